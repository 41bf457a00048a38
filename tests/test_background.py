"""A build's checks and rendering in two processes beside MkDocs' (generator/background.py)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, real_corpus, run_generator
from generator.background import BackgroundBuild, ContentFailed, Verdict, _Received
from generator.finisher import Finisher, FinishFailed
from generator.load import load_data, load_document
from generator.render import plan_pages, record_ids
from generator.schemas import load_schema_set
from generator.validate import load_unchecked, record_files_by_kind


def test_the_records_read_unchecked_are_the_records_the_checks_pass():
    checked = real_corpus()
    schema_set, problems = load_schema_set(ROOT / "schemas", load_document)
    assert not problems
    files = record_files_by_kind(ROOT / "content")
    unchecked = load_unchecked(ROOT, schema_set, files)
    for kind, records in checked.records.items():
        assert sorted(records) == [path.stem for path in files[kind]]
        assert {i: r.data for i, r in unchecked.records[kind].items()} == {i: r.data for i, r in records.items()}


def test_the_pages_planned_from_file_names_are_those_of_the_records_read():
    corpus = real_corpus()
    files = record_files_by_kind(ROOT / "content")
    from_names = plan_pages(corpus.schema_set, {kind: [p.stem for p in paths] for kind, paths in files.items()})
    from_records = plan_pages(corpus.schema_set, record_ids(corpus))
    assert [p.src_uri for p in from_names] == [p.src_uri for p in from_records]
    assert [p.source for p in from_names] == [p.source for p in from_records]
    record_pages = [p for p in from_names if p.source and p.source.startswith("content/")]
    assert len(record_pages) == sum(len(r.pages()) for r in corpus.all_records())


def _messages(*messages) -> BackgroundBuild:
    """A BackgroundBuild with no processes, that has received these (from_checker, message) pairs."""
    build = BackgroundBuild.__new__(BackgroundBuild)
    build._received = _Received()
    build._changed = threading.Condition()
    for from_checker, message in messages:
        build._take(from_checker, message)
    return build


def _later(build: BackgroundBuild, from_checker: bool, message: tuple) -> None:
    def send():
        time.sleep(0.2)
        with build._changed:
            build._take(from_checker, message)
            build._changed.notify_all()

    threading.Thread(target=send, daemon=True).start()


def test_when_the_renderer_fails_the_checks_say_why_if_they_fail():
    build = _messages((False, ("failed", "KeyError: 'updated' (model.py, line 1)")))
    _later(build, True, ("verdict", Verdict(False, "36 files checked: 1 problem in 1 file")))
    with pytest.raises(ContentFailed, match="^36 files checked: 1 problem in 1 file$"):
        build.take("index.md")  # waits for the verdict rather than report the renderer's error


def test_when_the_renderer_fails_on_content_the_checks_pass_its_error_is_reported():
    build = _messages((False, ("failed", "KeyError: 'x' (site.py, line 9)")))
    _later(build, True, ("verdict", Verdict(True, "36 files checked: all valid")))
    with pytest.raises(ContentFailed, match=r"^the pages could not be made: KeyError: 'x' \(site.py, line 9\)$"):
        build.plan()


def test_a_process_that_ends_without_a_word_is_a_failure_not_a_wait_for_ever():
    build = _messages((True, ("ended",)))
    with pytest.raises(ContentFailed, match="the validator failed: it stopped before it had finished"):
        build.verdict()


def test_a_file_is_let_go_of_once_taken():
    build = _messages((False, ("files", [("data/x.json", b"compressed", False, None, False)])), (False, ("rendered",)))
    assert build.data_files() == [("data/x.json", None)]
    assert build.take("data/x.json") == (b"compressed", False)
    assert build._received.files["data/x.json"][0] == b""


def test_content_that_breaks_the_renderer_gets_the_validators_messages(tmp_path):
    project = copy_project(tmp_path / "project")
    record = project / "content/exemplars/nottingham-parent-counsellor.yaml"
    text, replaced = re.subn(r"\ndates:\n(?:  .*\n)+", "\ndates: soon\n", record.read_text())
    assert replaced == 1
    record.write_text(text)
    site = tmp_path / "site"
    result = run_generator("--root", str(project), "build", "--site-dir", str(site))
    assert result.returncode == 1, result.stderr
    assert "content/exemplars/nottingham-parent-counsellor.yaml:" in result.stderr
    assert "$.dates:" in result.stderr
    assert "nothing was built" in result.stderr
    assert "could not be made" not in result.stderr and "Traceback" not in result.stderr
    assert not site.exists()


def _children(pid: int) -> list[int]:
    """The processes whose parent is pid, from /proc (Linux)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone since the listing
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads processes from /proc (Linux)")
def test_a_killed_build_leaves_no_process_behind(tmp_path):
    project = copy_project(tmp_path / "project")
    build = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--site-dir", str(tmp_path / "site")],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    deadline = time.monotonic() + 30
    while len(children := _children(build.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(children) >= 2, "the build started no background processes"
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 20
    while any(_alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [c for c in children if _alive(c)], "a background process outlived the build"


def test_the_unchecked_reading_refuses_aliases_rather_than_copy_them(tmp_path):
    laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    laughs += [f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 10)}]" for n in range(8)]
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(laughs) + "\n")
    started = time.monotonic()
    assert load_data(path) is None
    assert time.monotonic() - started < 1
    path.write_text("id: x\ntitle: plain\ncount: 3\nshare: 0.5\nflag: true\nnothing: null\nwhen: 2024-01-02\n")
    assert load_data(path).data == load_document(path).data


def test_the_finisher_marks_the_glossary_in_written_pages_and_says_when_it_cannot(tmp_path):
    vocabularies = real_corpus().vocabularies
    body = "<p>A CAF was opened.</p>"
    page = tmp_path / "index.html"
    page.write_text(f"<html><nav>CAF</nav><article>{body}</article></html>", encoding="utf-8")
    glossary_page = tmp_path / "glossary.html"
    glossary_page.write_text(f"<html><article>{body}</article></html>", encoding="utf-8")
    finisher = Finisher(vocabularies)
    finisher.page(str(page), body, [("Attendance", "<p>Pupils who <em>truant</em></p>"), ("Costs", "<p>None</p>")])
    finisher.page(str(glossary_page), None, [("Glossary", "<p>The families we met</p>")])  # no markup, but searched
    entries_words = finisher.finish()
    written = page.read_text(encoding="utf-8")
    assert written.startswith('<html><nav>CAF</nav><article><p>A <abbr class="ww-gloss"')  # the body only
    assert 'data-term="caf"' in written
    assert glossary_page.read_text(encoding="utf-8") == f"<html><article>{body}</article></html>"
    # Each search entry's synonyms, in the order sent: all the words of each group its words use.
    assert len(entries_words) == 3 and entries_words[1] == ""
    assert "absence" in entries_words[0] and "truancy" in entries_words[0]
    assert "carers" in entries_words[2]

    finisher = Finisher(vocabularies)
    finisher.page(str(tmp_path / "never-written.html"), body, [])
    with pytest.raises(FinishFailed, match="could not be added: FileNotFoundError"):
        finisher.finish()
    finisher.close()

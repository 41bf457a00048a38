"""Broken and hostile records: a clear error in bounded time and memory, or a safe page."""

from __future__ import annotations

import difflib
import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, copy_project, run_generator, serve

HOSTILE = FIXTURES / "hostile"
PAYLOADS = FIXTURES / "payloads"
MAX_SECONDS = 20  # "seconds, not minutes" of processor time, with room to spare
MAX_PEAK_MB = 150  # "tens of MB, not GB": the validator's own baseline is about 60 MB

# `python -m generator ARGS` in a child process, after PRELUDE (a test's patch, such as a
# kill at a chosen moment). The parent passes the child's output on and reports, on the
# last line of stderr, the child's processor time, peak memory and exit status, even when
# it was killed, and whether its first line of output came while it was still at work.
# Processor time is what the work takes on a core of its own: on this shared machine the
# wall time also counts whatever else runs (a hang is caught by the timeout instead).
_PARENT = (
    "import resource, subprocess, sys\n"
    "child = subprocess.Popen([sys.executable, '-c', sys.argv[1], *sys.argv[2:]], stdout=subprocess.PIPE)\n"
    "streamed = None\n"
    "for line in child.stdout:\n"
    "    streamed = child.poll() is None if streamed is None else streamed\n"
    "    sys.stdout.buffer.write(line)\n"
    "code = child.wait()\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "seconds, peak = usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024\n"
    "print(f'measured {seconds:.2f} {peak:.0f} {code} {streamed}', file=sys.stderr)\n"
)
_CHILD = "import sys\n{prelude}\nfrom generator.cli import main\nsys.exit(main(sys.argv[1:]))\n"


@dataclass
class Measured:
    code: int  # the exit status; -9 for a child killed by SIGKILL
    stdout: str
    stderr: str
    seconds: float  # of processor time, user and system
    peak_mb: float
    streamed: bool  # whether the first line of output came while the command was still at work

    def within(self, seconds: float = MAX_SECONDS, peak_mb: float = MAX_PEAK_MB) -> bool:
        return self.seconds < seconds and self.peak_mb < peak_mb


def run_measured(*args: str, prelude: str = "", cwd: Path = ROOT, timeout: float = 300) -> Measured:
    with subprocess.Popen(
        [sys.executable, "-c", _PARENT, _CHILD.format(prelude=prelude), *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so that a hung child can be ended with its parent
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    seconds, peak, code, streamed = re.search(r"measured ([\d.]+) (\d+) (-?\d+) (\w+)\n$", stderr).groups()
    stderr = stderr[: stderr.rindex("measured ")]
    assert "Traceback" not in stderr, stderr[-3000:]
    return Measured(int(code), stdout, stderr, float(seconds), float(peak), streamed == "True")


def validate_measured(*paths: Path) -> tuple[int, str, float, float]:
    run = run_measured("validate", *map(str, paths))
    return run.code, run.stdout, run.seconds, run.peak_mb


# (file in tests/fixtures/hostile/exemplars, what the error must say, where it must point)
BROKEN = [
    ("syntax-error", "YAML syntax error", ":5:8: $:"),
    ("tab-indentation", "tabs for indentation", ":9:1: $:"),
    ("empty-file", "the file is empty", ":1:1: $:"),
    ("comments-only", "the file is empty", ":1:1: $:"),
    ("list-not-mapping", "a record is a mapping of fields, not a list", ":1:1: $:"),
    ("string-not-mapping", "a record is a mapping of fields, not text", ":1:1: $:"),
    ("duplicate-keys", "duplicate field 'title' (first given on line 4)", ":5:1: $.title:"),
    ("python-object-tag", "the tag !!python/object/apply:os.system is not allowed", ":4:8: $.title:"),
    ("python-name-tag", "the tag !!python/name:os.system is not allowed", ":21:6: $.why:"),
    ("merge-key", "merge keys (<<) are not allowed", ":11:3: $.place:"),
    ("billion-laughs", "anchors and aliases (&name, *name) are not allowed", ":2:7: $.lol1[0]:"),
    ("missing-required", "missing required field 'summary'", ":2:1: $:"),
    ("wrong-types", "Phases: expected a list, got text", ":15:9: $.phases:"),
    ("unknown-field-typo", "unknown field 'lesons'; did you mean 'lessons'?", ":48:1: $.lesons:"),
    ("outside-vocabulary", "'france' is not an allowed Country. Allowed: england, scotland", ":9:12: $.place.country:"),
    ("id-not-file-name", "the id 'a-different-id' must equal the file name", ":3:5: $.id:"),
    ("missing-reference", "there is no exemplar with the id 'no-such-practice'", ":50:21: $.related_exemplars[0]:"),
    ("impossible-date", "'2023-02-30' is not a real date", ":56:14: $.dates.published:"),
    ("negative-count-and-cost", "Amount: must not be negative, got -5", ":36:11: $.cost.amount:"),
    ("validated-without-rating-body", "missing required field 'basis'", ":37:3: $.evidence_rating:"),
    ("bidi-in-title", "invisible control character U+202E", ":4:8: $.title:"),
    ("bidi-in-id", "invisible control character U+202E", ":3:5: $.id:"),
]


@pytest.mark.parametrize("name, message, position", BROKEN, ids=[case[0] for case in BROKEN])
def test_broken_record_gets_a_clear_error_in_bounded_time_and_memory(name, message, position):
    path = HOSTILE / "exemplars" / f"{name}.yaml"
    code, stdout, seconds, peak_mb = validate_measured(path)
    assert code == 1
    lines = [line for line in stdout.splitlines() if f"tests/fixtures/hostile/exemplars/{name}.yaml{position}" in line]
    assert any(message in line for line in lines), stdout
    assert seconds < MAX_SECONDS and peak_mb < MAX_PEAK_MB, (seconds, peak_mb)


def test_duplicate_ids_across_kinds_are_reported():
    code, stdout, _, _ = validate_measured(HOSTILE)
    assert code == 1
    assert "duplicate-id-across-kinds.yaml:3:5: $.id: the id 'duplicate-id-across-kinds' is already used by" in stdout


def _generated_cases(folder: Path) -> dict[str, tuple[bytes, str]]:
    valid = (FIXTURES / "valid/exemplars/fixture-exemplar.yaml").read_text(encoding="utf-8")
    return {
        "several-megabytes": (b"title: x\n" + b"# padding\n" * 600_000, "a record may be at most 1,000,000 bytes"),
        "binary": (bytes(range(256)) * 64, "this is a binary file, not YAML text"),
        "latin-1": ("id: latin-1\ntitle: Caf\xe9 des parents\n".encode("latin-1"), "the file is not UTF-8 text"),
        "deep-nesting": (b"a: " + b"[" * 20_000 + b"]" * 20_000 + b"\n", "nested too deeply"),
        "too-many-values": (
            b"themes:\n" + b"".join(b"  - t%d\n" % i for i in range(25_000)),
            "more than 20,000 values",
        ),
        "enormous-string": (
            valid.replace("id: fixture-exemplar", "id: enormous-string")
            .replace("what_was_done: A worker met parents every week.", "what_was_done: " + "very " * 150_000 + "long")
            .encode(),
            "What was done: too long, 750,004 characters; at most 20,000 allowed",
        ),
        "huge-number": (
            valid.replace("id: fixture-exemplar", "id: huge-number")
            .replace("  count: 12", "  count: " + "9" * 5000)
            .encode(),
            "cannot read this value",
        ),
    }


@pytest.mark.parametrize("name", list(_generated_cases(Path("."))))
def test_generated_hostile_files_fail_cleanly(tmp_path, name):
    content, message = _generated_cases(tmp_path)[name]
    path = tmp_path / "exemplars" / f"{name}.yaml"
    path.parent.mkdir()
    path.write_bytes(content)
    code, stdout, seconds, peak_mb = validate_measured(path)
    assert code == 1
    assert f"{name}.yaml:" in stdout and message in stdout, stdout[:500]
    assert seconds < MAX_SECONDS and peak_mb < MAX_PEAK_MB, (seconds, peak_mb)


@pytest.mark.parametrize("transform", ["byte-order-mark", "windows-line-endings"])
def test_unusual_but_valid_encodings_are_accepted(tmp_path, transform):
    text = (FIXTURES / "valid/exemplars/fixture-exemplar.yaml").read_text(encoding="utf-8")
    raw = text.encode("utf-8")
    raw = b"\xef\xbb\xbf" + raw if transform == "byte-order-mark" else raw.replace(b"\n", b"\r\n")
    path = tmp_path / "exemplars" / "fixture-exemplar.yaml"
    path.parent.mkdir()
    path.write_bytes(raw)
    code, stdout, _, _ = validate_measured(path)
    assert code == 0, stdout


# --- Payloads: valid records full of markup and script must render as text ---------


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("payload-project"))
    for kind in ("exemplars", "evidence"):
        for path in (PAYLOADS / kind).glob("*.yaml"):
            shutil.copy(path, project / "content" / kind / path.name)
    site = project / "site"
    result = run_generator("--root", str(project), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


@pytest.mark.parametrize(
    "page_path", ["exemplars/payload-exemplar", "evidence/payload-evidence", "themes/attendance", "exemplars"]
)
def test_payload_markup_never_becomes_elements_in_the_built_html(payload_site, page_path):
    page = (payload_site / page_path / "index.html").read_text(encoding="utf-8")
    head, body = page.split("</head>")
    assert "<script>alert" not in head  # Material prints the title and description unescaped
    parser = _Elements()
    parser.feed(body.split("<h1")[1].split("</article>")[0])  # the generated content
    for tag, attrs in parser.elements:
        if tag == "details":  # the templates' own disclosures, never one from a record
            assert attrs.get("class") in {"ww-passage-details", "ww-more", "ww-bibtex-details"}, attrs
            continue
        if tag == "script" and attrs == {"type": "application/ld+json"}:
            continue  # the page's own JSON-LD; test_discovery checks nothing breaks out of it
        assert tag not in {
            "script",
            "iframe",
            "object",
            "embed",
            "form",
            "meta",
            "link",
            "style",
            "svg",
            "img",
            "details",
            "math",
        }, tag
        assert not any(name.startswith("on") or name == "style" for name in attrs), (tag, attrs)
        for name in ("href", "src"):
            assert not re.match(r"\s*(javascript|data|vbscript):", attrs.get(name) or "", re.I), (tag, attrs)


def test_nothing_from_a_payload_executes_in_the_browser(payload_site, browser):
    """Every page of a site built with payload records: no dialog, no script error, no stray request."""
    with serve(payload_site) as base:
        problems = _visit_every_page(browser, payload_site, base)
    assert problems == []


def _visit_every_page(browser, site: Path, base: str) -> list[str]:
    problems: list[str] = []
    context = browser.new_context()
    context.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    context.on(
        "request", lambda request: None if request.url.startswith(base) else problems.append(f"request: {request.url}")
    )
    page = context.new_page()
    page.on(
        "console",
        lambda message: problems.append(f"console {message.type}: {message.text}") if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    try:
        pages = sorted(p.relative_to(site).parent.as_posix() for p in site.rglob("index.html"))
        assert len(pages) > 60
        for path in pages:
            page.goto(base + ("" if path == "." else path + "/"), wait_until="load")
            injected = page.evaluate(r"""() => {
                // Anything a payload could have smuggled in: inline handlers, script-bearing
                // links, and elements (or styles) that carry the payloads' markers.
                const found = [];
                const marked = (text) => /alert\(|evil\.example|onerror|onload/i.test(text || '');
                for (const el of document.querySelectorAll('article *')) {
                    for (const attr of el.attributes) {
                        if (attr.name.startsWith('on')) found.push(el.tagName + ' ' + attr.name);
                        if (attr.name === 'style' && marked(attr.value)) found.push(el.tagName + ' style ' + attr.value);
                        if ((attr.name === 'href' || attr.name === 'src' || attr.name === 'action') && /^\s*(javascript|data|vbscript):/i.test(attr.value)) found.push(el.tagName + ' ' + attr.value);
                    }
                    // JSON-LD is data, not script; its own test checks nothing breaks out of it.
                    const data = el.tagName === 'SCRIPT' && el.type === 'application/ld+json';
                    // A script's or a style's text is code; any other element is judged by its own
                    // tag (its children are judged in turn): a payload shown as text in a finder
                    // result inside the form is text, not markup.
                    const own = ['SCRIPT', 'STYLE'].includes(el.tagName) ? el.outerHTML : el.cloneNode(false).outerHTML;
                    if (!data && ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'FORM', 'STYLE', 'LINK', 'META', 'IMG', 'SVG'].includes(el.tagName)
                        && marked(own)) found.push(el.tagName + ' ' + own.slice(0, 80));
                }
                return found;
            }""")
            problems.extend(f"{path}: {item}" for item in injected)
        # The payload is visible as text, not run.
        page.goto(base + "exemplars/payload-exemplar/")
        assert "<script>alert('title')</script>" in page.locator("h1").inner_text()
        assert "{{ 7*7 }}" in page.locator("h1").inner_text()
        # Material's header search renders indexed text: search for the payload too.
        page.locator(".md-search__input").click()
        page.keyboard.type("payload", delay=30)
        page.wait_for_selector(".md-search-result__item", timeout=15_000)
        page.wait_for_timeout(500)
    finally:
        context.close()
    return problems


@pytest.mark.slow
def test_the_same_content_builds_byte_identical_sites(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        result = run_generator("build", "--site-dir", str(out))
        assert result.returncode == 0, result.stderr
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    different = [str(f) for f in files if (first / f).read_bytes() != (second / f).read_bytes()]
    assert different == []


# --- Second round (issue 14): bounded time and memory, nothing lost, nothing broken ----

VALID_TEXT = (FIXTURES / "valid/exemplars/fixture-exemplar.yaml").read_text(encoding="utf-8")
BUILD_SECONDS = 60  # of processor time: the real content builds in about 2 s, the brackets took 330 s
BUILD_PEAK_MB = 300  # the real content's build peaks at about 70 MB


def exemplar(record_id: str, **fields) -> str:
    """The valid fixture exemplar as YAML text, with another id and some fields replaced."""
    record = yaml.safe_load(VALID_TEXT)
    record.update(id=record_id, **fields)
    return yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=10**9)


def _project(tmp_path: Path, *parts: str) -> Path:
    """A copy of the project's parts (default: content and schemas) in tmp_path/project."""
    project = tmp_path / "project"
    for name in parts or ("content", "schemas"):
        shutil.copytree(ROOT / name, project / name)
    return project


def _position(text: str, character: str) -> str:
    """':LINE:COL:' of the first `character` in `text`, as the validator counts them."""
    index = text.index(character)
    return f":{text.count(chr(10), 0, index) + 1}:{index - text.rfind(chr(10), 0, index)}:"


# Row 1: Markdown that Python-Markdown took minutes over.


@pytest.mark.slow
def test_a_record_of_twenty_thousand_brackets_builds_in_bounded_time_and_memory(tmp_path):
    project = copy_project(tmp_path)
    brackets = "[" * 19_999 + "x"
    narrative = {**yaml.safe_load(VALID_TEXT)["impact"], "narrative": brackets}
    record = exemplar("brackets", what_was_done=brackets, why=brackets, impact=narrative)
    (project / "content/exemplars/brackets.yaml").write_text(record, encoding="utf-8")
    run = run_measured("--root", str(project), "build", "--site-dir", str(tmp_path / "site"))
    assert run.code == 0, run.stderr[-2000:]
    assert run.within(BUILD_SECONDS, BUILD_PEAK_MB), (run.seconds, run.peak_mb)  # was 330 s
    page = (tmp_path / "site/exemplars/brackets/index.html").read_text(encoding="utf-8")
    assert page.count("[" * 19_999 + "x") == 3  # every bracket shown, as text


# Row 2: thousands of broken files.

MISSING = 21  # required fields of an exemplar: `x: 1` misses them all, and has one unknown field


def _broken_files(folder: Path, count: int) -> Path:
    (folder / "exemplars").mkdir(parents=True)
    for index in range(count):
        (folder / "exemplars" / f"broken-{index:05}.yaml").write_text("x: 1\n", encoding="utf-8")
    return folder


def _check_broken_files_run(run: Measured, count: int) -> None:
    assert run.code == 1
    lines = run.stdout.splitlines()
    assert len(lines) == count * (MISSING + 1), lines[:30]
    assert len(set(lines)) == len(lines)  # one problem per missing field, none repeated
    missing = [line.split(": ", 2)[-1] for line in lines if "missing required field" in line]
    assert len(missing) == count * MISSING and all(len(m) < 80 for m in missing)  # its name, not every field's
    assert sum(line.endswith("$: missing required field 'title'") for line in lines) == count
    assert run.streamed  # printed while the validator was still at work, not kept to the end
    assert f"{count} files checked: {count * (MISSING + 1)} problems in {count} files" in run.stderr


def test_two_thousand_broken_files_get_one_short_problem_per_missing_field_streamed(tmp_path):
    count = 2_000
    run = run_measured("validate", str(_broken_files(tmp_path, count)))
    _check_broken_files_run(run, count)
    # "20,000 in under a minute and 300 MB": a tenth of them in a tenth of the time, with room.
    assert run.within(seconds=2 + count * 0.006, peak_mb=MAX_PEAK_MB), (run.seconds, run.peak_mb)


@pytest.mark.slow
def test_twenty_thousand_broken_files_in_under_a_minute_and_300_mb(tmp_path):
    count = 20_000
    run = run_measured("validate", str(_broken_files(tmp_path, count)))
    _check_broken_files_run(run, count)
    assert run.within(seconds=60, peak_mb=300), (run.seconds, run.peak_mb)


def test_a_file_stops_after_fifty_problems(tmp_path):
    path = tmp_path / "exemplars" / "many-fields.yaml"
    path.parent.mkdir()
    path.write_text("".join(f"field_{index}: 1\n" for index in range(200)), encoding="utf-8")
    run = run_measured("validate", str(path))
    lines = run.stdout.splitlines()
    assert run.code == 1 and len(lines) == 51
    assert sum(line.endswith("$: stopped after 50 problems; fix these and validate again") for line in lines) == 1
    assert run.within(), (run.seconds, run.peak_mb)


# Rows 3 and 8: characters that break the feed, or hide what text says.

REFUSED = [
    ("U+FFFE", '"Fixture \\uFFFE exemplar"', "not a character"),
    ("U+FFFF", '"Fixture \\uFFFF exemplar"', "not a character"),
    ("U+200E", "Fixture \u200e exemplar", "invisible control character U+200E (LEFT-TO-RIGHT MARK)"),
    ("U+200F", "Fixture \u200f exemplar", "invisible control character U+200F (RIGHT-TO-LEFT MARK)"),
    ("U+061C", "Fixture \u061c exemplar", "invisible control character U+061C (ARABIC LETTER MARK)"),
    ("U+FEFF", "Fixture \ufeff exemplar", "invisible control character U+FEFF (ZERO WIDTH NO-BREAK SPACE)"),
]


@pytest.mark.parametrize("title, message", [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_characters_that_break_outputs_or_hide_text_are_refused_with_line_and_column(tmp_path, title, message):
    text = VALID_TEXT.replace("title: Fixture exemplar", f"title: {title}")
    path = tmp_path / "exemplars" / "fixture-exemplar.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    run = run_measured("validate", str(path))
    assert run.code == 1
    # A character written as itself is pointed at; one written as an escape, at its value.
    raw = next((c for c in title if c in "\u200e\u200f\u061c\ufeff"), None)
    where = _position(text, raw) if raw else ":4:8:"
    assert f"fixture-exemplar.yaml{where} $.title: contains" in run.stdout and message in run.stdout, run.stdout
    assert run.within(), (run.seconds, run.peak_mb)


def test_a_refused_character_in_a_block_of_text_is_pointed_at_exactly(tmp_path):
    text = VALID_TEXT.replace(
        "what_was_done: A worker met parents every week.",
        "what_was_done: |\n  A worker met parents\n  every week, \u202eand more.\n",
    )
    path = tmp_path / "exemplars" / "fixture-exemplar.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    run = run_measured("validate", str(path))
    assert run.code == 1
    assert f"{_position(text, chr(0x202E))} $.what_was_done: contains the invisible control character U+202E" in (
        run.stdout
    )


# Row 4: files that are not files.


def _special_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """Special files as records, each with what its refusal must say; made when asked for."""
    large = folder / "large.bin"
    return {
        "fifo": (lambda p: os.mkfifo(p), "this is a named pipe (FIFO), not a regular file"),
        "link-to-dev-zero": (lambda p: os.symlink("/dev/zero", p), "this is a symbolic link, not a regular file"),
        "link-to-2-gb": (
            lambda p: (_sparse(large, 2 * 1024**3), os.symlink(large, p)),
            "this is a symbolic link, not a regular file",
        ),
        "2-gb": (lambda p: _sparse(p, 2 * 1024**3), "the file is 2,147,483,648 bytes; a record may be at most"),
    }


def _sparse(path: Path, size: int) -> None:
    with open(path, "wb") as stream:
        stream.truncate(size)  # no disk used, but a reader would read 2 GB


SPECIAL = ["fifo", "link-to-dev-zero", "link-to-2-gb", "2-gb"]


@pytest.mark.parametrize("case", SPECIAL)
@pytest.mark.parametrize("command", ["validate", "migrate"])
def test_anything_but_a_regular_file_is_refused_by_name_before_it_is_read(tmp_path, case, command):
    project = _project(tmp_path)
    path = project / "content/exemplars/f.yaml"
    make, message = _special_files(tmp_path)[case]
    make(path)
    run = run_measured("--root", str(project), command, timeout=60)
    assert run.code == 1
    said = run.stdout + run.stderr
    assert "content/exemplars/f.yaml" in said and message in said, said[-2000:]
    assert run.within(), (run.seconds, run.peak_mb)


# Row 5: migrate changes the migrated lines and nothing else.

_MIGRATION = """
from generator import migrate
def rename_lessons(record):
    position = list(record).index("lessons")
    record.insert(position, "lessons_learned", record.pop("lessons"))
migrate.MIGRATIONS["exemplar"] = {2: rename_lessons}
migrate.current_version = lambda schema_set, kind: 3 if kind == "exemplar" else 1
"""


def test_migrate_keeps_line_endings_byte_order_mark_and_permissions(tmp_path):
    project = _project(tmp_path)
    paths = sorted((project / "content/exemplars").glob("*.yaml"))
    windows, marked = paths[0], paths[1]
    windows.write_bytes(windows.read_bytes().replace(b"\n", b"\r\n"))
    marked.write_bytes(b"\xef\xbb\xbf" + marked.read_bytes())
    for mode, path in zip([0o644, 0o640, 0o664] * len(paths), paths, strict=False):
        path.chmod(mode)
    before = {path: (path.read_bytes(), path.stat().st_mode) for path in paths}
    run = run_measured("--root", str(project), "migrate", prelude=_MIGRATION)
    assert run.code == 0, run.stderr
    assert run.within(), (run.seconds, run.peak_mb)
    for path, (raw, mode) in before.items():
        after = path.read_bytes()
        assert path.stat().st_mode == mode, path.name
        assert after.startswith(b"\xef\xbb\xbf") == (path == marked)
        ending = b"\r\n" if path == windows else b"\n"
        assert after.count(ending) == raw.count(ending) and (ending == b"\r\n" or b"\r" not in after)
        changed = [
            line
            for line in difflib.ndiff(raw.decode("utf-8-sig").splitlines(), after.decode("utf-8-sig").splitlines())
            if line[:2] in ("- ", "+ ")
        ]
        assert sorted(changed) == ["+ lessons_learned:", "+ schema_version: 3", "- lessons:", "- schema_version: 2"]


# Row 6: records in the wrong folder.


@pytest.mark.parametrize("command", ["validate", "migrate"])
def test_records_anywhere_but_directly_in_their_kinds_folder_are_refused(tmp_path, command):
    project = _project(tmp_path)
    evidence = (FIXTURES / "valid/evidence/fixture-evidence.yaml").read_text(encoding="utf-8")
    misplaced = {
        "content/exemplars/evidence/x.yaml": evidence.replace("id: fixture-evidence", "id: x"),
        "content/packs/exemplars/y.yaml": exemplar("y"),
        "content/z.yaml": exemplar("z"),
        "content/other/w.yaml": exemplar("w"),
    }
    for name, text in misplaced.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    run = run_measured("--root", str(project), command)
    assert run.code == 1
    said = run.stdout + run.stderr
    for name in misplaced:
        assert re.search(
            rf"{re.escape(name)}(:1:1: \$)?: records are read only directly in content/exemplars/", said
        ), (
            name,
            said[-2000:],
        )
    assert run.within(), (run.seconds, run.peak_mb)


# Row 7: a build killed at any moment leaves a whole site.

_FAKE_BUILD = """
import os, signal
from pathlib import Path
import mkdocs.commands.build
import generator.swap as swap
def kill():
    os.kill(os.getpid(), signal.SIGKILL)
def build(config):  # MkDocs' build, faked: the moments that matter come after it
    Path(config.site_dir, "index.html").write_text("new")
    {during_build}
mkdocs.commands.build.build = build
"""
_KILL_DURING_BUILD = _FAKE_BUILD.format(during_build="kill()")
_KILL_AFTER_EXCHANGE = _FAKE_BUILD.format(during_build="") + (
    "exchange = swap._exchange\nswap._exchange = lambda a, b: (exchange(a, b), kill())\n"
)
# Where the two folders cannot trade names in one step: killed between the two renames.
_KILL_BETWEEN_RENAMES = _FAKE_BUILD.format(during_build="") + (
    "swap._exchange = lambda a, b: False\n"
    "rename, renames = os.rename, []\n"
    "def counted(a, b):\n"
    "    renames.append(a)\n"
    "    if len(renames) == 2:\n"
    "        kill()\n"
    "    rename(a, b)\n"
    "os.rename = counted\n"
)


def _site_project(tmp_path: Path) -> tuple[Path, Path]:
    project = copy_project(tmp_path / "project")
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("old")
    return project, site


def _build(project: Path, site: Path, prelude: str) -> Measured:
    run = run_measured("--root", str(project), "build", "--site-dir", str(site), prelude=prelude)
    assert run.within(BUILD_SECONDS, BUILD_PEAK_MB), (run.seconds, run.peak_mb)
    return run


def _leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(".site-"))


@pytest.mark.parametrize(
    "prelude, after_kill",
    [(_KILL_DURING_BUILD, "old"), (_KILL_AFTER_EXCHANGE, "new")],
    ids=["killed-while-building", "killed-after-the-exchange"],
)
def test_a_killed_build_leaves_a_whole_site_and_the_next_run_tidies_up(tmp_path, prelude, after_kill):
    project, site = _site_project(tmp_path)
    assert _build(project, site, prelude).code == -signal.SIGKILL
    assert (site / "index.html").read_text() == after_kill
    assert len(_leftovers(site)) == 1
    assert _build(project, site, _FAKE_BUILD.format(during_build="")).code == 0
    assert (site / "index.html").read_text() == "new"
    assert _leftovers(site) == []


def test_a_build_killed_between_two_renames_gets_the_old_site_back(tmp_path):
    project, site = _site_project(tmp_path)
    assert _build(project, site, _KILL_BETWEEN_RENAMES).code == -signal.SIGKILL
    assert not site.exists() and ".site-old" in _leftovers(site)
    # The next run puts the old site back before anything else: killed while building, it leaves that.
    assert _build(project, site, _KILL_DURING_BUILD).code == -signal.SIGKILL
    assert (site / "index.html").read_text() == "old"
    assert _build(project, site, _FAKE_BUILD.format(during_build="")).code == 0
    assert (site / "index.html").read_text() == "new" and _leftovers(site) == []


# Row 9: links that lead off the site, or nowhere.


def test_links_without_a_full_address_are_refused_with_the_field_named(tmp_path):
    path = tmp_path / "exemplars" / "fixture-exemplar.yaml"
    path.parent.mkdir()
    for link in ("//evil.example/x", "../exemplars/other/", "page.html", "#why"):
        path.write_text(exemplar("fixture-exemplar", why=f"See [this]({link}) for more."), encoding="utf-8")
        run = run_measured("validate", str(path))
        assert run.code == 1
        assert f"$.why: Why: the link {link!r} has no full address" in run.stdout, run.stdout
        assert run.within(), (run.seconds, run.peak_mb)


# Row 10: `new` with titles in any script, or far too long.

TITLES = [
    ("Σχολείο και οικογένεια", "scholeio-kai-oikogeneia"),
    ("مدرسة الأسرة", "mdrsh-l-srh"),
    ("Straße der Eltern", "strasse-der-eltern"),
    ("学校与家庭", "xuexiaoyujiating"),
]


@pytest.mark.parametrize("title, record_id", TITLES, ids=[case[1] for case in TITLES])
def test_new_makes_a_readable_id_from_a_title_in_any_script(tmp_path, title, record_id):
    project = _project(tmp_path)
    run = run_measured("--root", str(project), "new", "exemplar", "--title", title)
    assert run.code == 0, run.stderr
    assert f"wrote content/exemplars/{record_id}.yaml" in run.stderr
    assert yaml.safe_load((project / f"content/exemplars/{record_id}.yaml").read_text())["title"] == title
    assert run.within(), (run.seconds, run.peak_mb)


def test_new_cuts_a_long_title_short_in_its_error_and_takes_an_id_when_asked(tmp_path):
    project = _project(tmp_path)
    run = run_measured("--root", str(project), "new", "exemplar", "--title", "Good morning " * 8_000)
    assert run.code == 1 and "is 104,000 characters long; at most 200 allowed" in run.stderr
    assert len(run.stderr) < 300, run.stderr
    assert run.within(), (run.seconds, run.peak_mb)
    run = run_measured("--root", str(project), "new", "exemplar", "--title", "!?", "--id", "question-time")
    assert run.code == 0 and (project / "content/exemplars/question-time.yaml").exists()
    run = run_measured("--root", str(project), "new", "exemplar", "--title", "!?", "--id", "Not An Id")
    assert run.code == 1 and "the id 'Not An Id' is not usable" in run.stderr


# Row 11: whatever validates, the build is bounded.

HARD = ["[", "*a **a ", "[a", "_a ", "<", "&#", "`a", "a]", "![", "**a", "> ", "- ", "1. ", "\\", "{{", "|a", "~"]


def _filled(pattern: str, length: int) -> str:
    return (pattern * (length // len(pattern) + 1))[: length - 1] + "x"


@pytest.mark.slow
def test_the_largest_valid_record_of_hard_text_builds_in_bounded_time_and_memory(tmp_path):
    """About 1 MB (the loader's limit) of what renderers find hardest, in every kind of field."""
    project = copy_project(tmp_path / "project")
    fields = yaml.safe_load(VALID_TEXT)
    record = exemplar(
        "hard-text",
        title=_filled("[*_<&", 200),
        summary=_filled("[*_<&`", 600),
        what_was_done=_filled("[", 20_000),
        why=_filled("*a **a ", 20_000),
        impact={**fields["impact"], "narrative": _filled("[a", 20_000)},
        evidence_rating={**fields["evidence_rating"], "rationale": _filled("*_[<&", 2_000)},
        lessons=[_filled(HARD[index % len(HARD)], 800) for index in range(1_100)],
    )
    assert 900_000 < len(record.encode()) < 1_000_000
    (project / "content/exemplars/hard-text.yaml").write_text(record, encoding="utf-8")
    run = run_measured("--root", str(project), "build", "--site-dir", str(tmp_path / "site"))
    assert run.code == 0, run.stderr[-2000:]
    assert run.within(BUILD_SECONDS, BUILD_PEAK_MB), (run.seconds, run.peak_mb)

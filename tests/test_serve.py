"""`make serve`: the live preview rebuilds when a record changes, and only what the change
affects (generator/preview.py); a broken edit shows the validator's message and keeps the
old pages."""

import contextlib
import datetime
import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import ROOT, copy_project
from generator.cli import site_url
from generator.preview import affected
from generator.site import Site
from generator.validate import check_project

# `mkdocs serve` serves the site under site_url's path, as it will be published.
MOUNT = urlsplit(yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_url"]).path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, predicate, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = _fetch(url)
        if body is not None and predicate(body):
            return body
        time.sleep(0.5)
    raise AssertionError(f"{url} did not show the expected change within {seconds} s")


@pytest.mark.slow
def test_serve_rebuilds_when_a_record_changes(tmp_path):
    project = copy_project(tmp_path / "project")
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}{MOUNT}exemplars/nottingham-parent-counsellor/"
        _wait_for(url, lambda body: "Nottingham" in body)
        record = project / "content/exemplars/nottingham-parent-counsellor.yaml"
        record.write_text(
            record.read_text(encoding="utf-8").replace("title: ", "title: Changed in preview — ", 1), encoding="utf-8"
        )
        _wait_for(url, lambda body: "Changed in preview" in body)
        _assert_synonyms_in_search(f"http://127.0.0.1:{port}{MOUNT}", "Changed in preview")
    finally:
        server.send_signal(signal.SIGINT)  # as Ctrl-C: MkDocs and the plugin clean up their folders
        server.wait(timeout=30)
        log.close()
        print((tmp_path / "serve.log").read_text())


def _assert_synonyms_in_search(base: str, new_title: str) -> None:
    """The header search's index, once it has the edited title: the edited record's entry
    and the others have their synonyms."""
    index = json.loads(_wait_for(base + "search/search_index.json", lambda body: new_title in body, 30))
    edited = next(entry for entry in index["docs"] if new_title in entry["title"])
    assert "carers" in edited.get("synonyms", ""), edited  # "Parent" in its title: the parents group
    other = [e for e in index["docs"] if e["location"].startswith("exemplars/school-home-support-liverpool-sefton/")]
    assert any("truancy" in entry.get("synonyms", "") for entry in other)


@contextlib.contextmanager
def make_serve(project: Path, log_path: Path):
    """`make serve`'s command on the project, on a free port; yields the site's address."""
    port = _free_port()
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield f"http://127.0.0.1:{port}{MOUNT}"
    finally:
        server.send_signal(signal.SIGINT)  # as Ctrl-C: MkDocs and the plugin clean up their folders
        server.wait(timeout=30)
        log.close()
        print(log_path.read_text())


def _card_titles(base: str) -> set[str]:
    """Every title in the finder's cards, as the served site has them now."""
    facets = json.loads(_fetch(base + "finder/facets.json") or "{}")
    return {
        json.loads(_fetch(f"{base}finder/cards/{n}.json") or "{}").get("title", "") for n in range(facets["records"])
    }


def _without_reload_epoch(body: str | None) -> str | None:
    """The page as built: the live-reload script the server adds names the build it serves."""
    return None if body is None else re.sub(r"livereload\(\d+, \d+\)", "", body)


def _edit_title(record: Path, new: str) -> None:
    text = record.read_text(encoding="utf-8")
    record.write_text(re.sub(r"(?m)^title: .*$", f"title: {new}", text, count=1), encoding="utf-8")


@pytest.mark.slow
def test_an_edit_rebuilds_its_page_its_listings_its_neighbours_and_the_finder_data(tmp_path):
    project = copy_project(tmp_path / "project")
    record = project / "content/exemplars/nottingham-parent-counsellor.yaml"
    new = "Parent counsellors in Nottingham schools, edited in preview"
    # Pages that show the record: its own, its kind's listing, a theme it has, and an
    # evidence record that names it.
    showing = ["exemplars/nottingham-parent-counsellor/", "exemplars/", "themes/parental-engagement/"]
    showing.append("evidence/c4eo-delivering-services-trusted-intermediaries/")
    with make_serve(project, tmp_path / "serve.log") as base:
        _wait_for(base + showing[0], lambda body: "Nottingham" in body)
        assert new not in _card_titles(base)
        _edit_title(record, new)
        for page in showing:
            _wait_for(base + page, lambda body: new in body, 30)
        deadline = time.monotonic() + 60
        while new not in _card_titles(base):
            assert time.monotonic() < deadline, "the finder's data did not change"
            time.sleep(0.5)
        _assert_synonyms_in_search(base, new)


@pytest.mark.slow
def test_a_broken_edit_shows_the_validators_message_and_keeps_the_old_page(tmp_path):
    project = copy_project(tmp_path / "project")
    record = project / "content/exemplars/nottingham-parent-counsellor.yaml"
    page = "exemplars/nottingham-parent-counsellor/"
    with make_serve(project, tmp_path / "serve.log") as base:
        before = _wait_for(base + page, lambda body: "Nottingham" in body)
        text = record.read_text(encoding="utf-8")
        record.write_text(text.replace("  - parental-engagement\n", "  - parental-engagment\n", 1), encoding="utf-8")
        deadline = time.monotonic() + 30
        while "'parental-engagment' is not an allowed Theme" not in (tmp_path / "serve.log").read_text():
            assert time.monotonic() < deadline, "the validator's message did not appear"
            time.sleep(0.2)
        log = (tmp_path / "serve.log").read_text()
        assert "content/exemplars/nottingham-parent-counsellor.yaml:28:5: $.themes[0]:" in log
        assert "did you mean 'parental-engagement'?" in log
        assert "the preview shows the last valid content until they are fixed" in log
        time.sleep(2)  # the rebuild is over; the old page is still served, not a half-built or stalled one
        assert _without_reload_epoch(_fetch(base + page)) == _without_reload_epoch(before)
        _edit_title(record, "Fixed in preview")
        record.write_text(record.read_text(encoding="utf-8").replace("parental-engagment", "parental-engagement"))
        _wait_for(base + page, lambda body: "Fixed in preview" in body, 30)


def test_an_edit_affects_the_record_and_the_records_that_show_it_only(tmp_path):
    project = copy_project(tmp_path / "project")
    cache: dict = {}
    before = Site(check_project(project, cache=cache).corpus, site_url(project))
    _edit_title(project / "content/exemplars/nottingham-parent-counsellor.yaml", "A new title")
    result = check_project(project, cache=cache)
    after = Site(result.corpus, site_url(project))
    record = after.corpus.exemplars["nottingham-parent-counsellor"]
    expected = {"nottingham-parent-counsellor"} | after.neighbours(record)
    assert affected(before, after) == expected
    assert "c4eo-delivering-services-trusted-intermediaries" in expected  # names it
    assert "reaching-parents-who-do-not-easily-engage" in expected  # a pack that uses it
    assert len(expected) < len(after.corpus.all_records()) / 2
    # Nothing changed: nothing to make; a changed newest date: everything.
    assert affected(after, Site(check_project(project, cache=cache).corpus, site_url(project))) == set()
    text = (project / "content/exemplars/nottingham-parent-counsellor.yaml").read_text(encoding="utf-8")
    newest = after.corpus.newest_update()
    later = datetime.date.fromisoformat(newest) + datetime.timedelta(days=1)
    dated = re.sub(r"(?m)^  updated: .*$", f'  updated: "{later.isoformat()}"', text, count=1)
    assert dated != text
    (project / "content/exemplars/nottingham-parent-counsellor.yaml").write_text(dated, encoding="utf-8")
    result = check_project(project, cache=cache)
    assert result.ok, result.problems
    assert affected(after, Site(result.corpus, site_url(project))) is None

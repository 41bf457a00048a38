"""Shared fixtures: the project paths, a built site, a server for it, and Chromium."""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from generator.cli import main
from generator.validate import check_project

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


PROJECT_PARTS = ("content", "schemas", "docs", "overrides")


class ReadOutsideTheRepository(RuntimeError):  # not an OSError, which glob and others swallow
    """A test, or the code it runs, reached for a file beside the repository."""


def _beside_the_repository(path) -> str | None:
    """The path, if it lies in the folder that holds the repository but not in the
    repository itself (nor in the temporary folder, which may be that same folder, nor in
    the Python environment running the tests, which may be a virtual environment there)."""
    if isinstance(path, int):
        return None  # a file descriptor: already open
    resolved = os.path.abspath(os.fsdecode(path))
    inside = (str(ROOT), tempfile.gettempdir(), sys.prefix, sys.base_prefix)
    if resolved.startswith(str(ROOT.parent) + os.sep) and not any(
        resolved == folder or resolved.startswith(folder + os.sep) for folder in inside
    ):
        return resolved
    return None


def _refuse_reads_beside_the_repository(event: str, args: tuple) -> None:
    """The suite must pass in a fresh clone with nothing beside it: whatever sits next to
    this checkout (source documents, other projects) is not the project's to read."""
    if event in ("open", "os.listdir", "os.scandir") and args:
        path = _beside_the_repository(args[0])
        if path is not None:
            raise ReadOutsideTheRepository(f"tests must not read outside the repository: {path}")


sys.addaudithook(_refuse_reads_beside_the_repository)


def pytest_collection_modifyitems(items):
    """Every test that drives Chromium is a `browser` test, so `make test-fast` can leave them out."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def copy_project(destination: Path) -> Path:
    """A buildable copy of the project (content, schemas, docs, theme overrides, mkdocs.yml)."""
    for name in PROJECT_PARTS:
        shutil.copytree(ROOT / name, destination / name)
    shutil.copy(ROOT / "mkdocs.yml", destination / "mkdocs.yml")
    return destination


@functools.cache
def real_corpus():
    """The shipped content, validated once per test process; the tests only read it."""
    result = check_project(ROOT)
    assert result.ok, result.problems[:5]
    return result.corpus


def run_generator(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`python -m generator ARGS` run in this process (as check-jsonschema tests its CLI):
    the exit status and what it printed, as a finished subprocess would give them."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse's way of refusing bad usage
            code = exit_.code if isinstance(exit_.code, int) else 2
    return subprocess.CompletedProcess(["python", "-m", "generator", *args], code, stdout.getvalue(), stderr.getvalue())


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The real content, built once with `python -m generator build`."""
    out = tmp_path_factory.mktemp("built") / "site"
    result = run_generator("build", "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    return out


@contextlib.contextmanager
def serve(directory: Path):
    """A folder served on 127.0.0.1 on a free port, for as long as the block runs."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(site_dir):
    """The built site served on 127.0.0.1 on a free port."""
    with serve(site_dir) as url:
        yield url


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright. Missing browser = failure, never a skip."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), (
        "Debian's chromium is required: apt-get install chromium (make test does it as root)"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()

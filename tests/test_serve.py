"""`make serve`: the live preview rebuilds when a record changes."""

import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import ROOT, copy_project

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
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        print((tmp_path / "serve.log").read_text())

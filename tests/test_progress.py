"""Long work shows progress on a terminal, and nothing in a pipe or a CI log."""

import os
import pty
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT


@pytest.fixture(scope="module")
def many_records(tmp_path_factory):
    project = tmp_path_factory.mktemp("many")
    shutil.copytree(ROOT / "schemas", project / "schemas")
    folder = project / "content" / "exemplars"
    folder.mkdir(parents=True)
    (project / "content" / "evidence").mkdir()
    template = (FIXTURES / "valid/exemplars/fixture-exemplar.yaml").read_text(encoding="utf-8")
    template = template.replace("related_exemplars: [warrington-family-support-model]", "related_exemplars: []")
    for n in range(250):
        (folder / f"record-{n:03}.yaml").write_text(
            template.replace("id: fixture-exemplar", f"id: record-{n:03}"), encoding="utf-8"
        )
    return project


def _validate(project, *, terminal: bool, env_extra=None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "CI"} | (env_extra or {})
    command = [sys.executable, "-m", "generator", "--root", str(project), "validate"]
    if not terminal:
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120).stderr
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        command, stdout=secondary, stderr=secondary, env=env | {"COLUMNS": "100", "TERM": "xterm"}
    )
    os.close(secondary)
    output = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=120)
    os.close(primary)
    return output.decode("utf-8", "replace")


@pytest.mark.slow
def test_a_terminal_sees_progress_when_there_are_many_records(many_records):
    output = _validate(many_records, terminal=True)
    assert "Validating records" in output
    assert "250 files checked: all valid" in output


def test_pipes_and_ci_logs_stay_quiet(many_records):
    assert "Validating records" not in _validate(many_records, terminal=False)
    assert "Validating records" not in _validate(many_records, terminal=True, env_extra={"CI": "true"})

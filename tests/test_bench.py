"""The benchmark's record synthesiser makes records the validator accepts (`make bench` is not run here)."""

import subprocess
import sys

import pytest

from conftest import ROOT, run_generator


@pytest.mark.slow
def test_synthesised_records_validate(tmp_path):
    project = tmp_path / "project"
    made = subprocess.run(
        [sys.executable, "-m", "bench.synth", "--n", "20", "--out", str(project)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    records = sorted(project.glob("content/*/*.yaml"))
    assert len(records) == 20
    assert {p.parent.name for p in records} == {"exemplars", "evidence"}
    result = run_generator("validate", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "20 files checked: all valid" in result.stderr

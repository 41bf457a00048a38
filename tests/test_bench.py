"""The benchmark's record synthesiser makes records the validator accepts (`make bench` is not run here)."""

import json
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


@pytest.mark.slow
def test_the_build_bench_counts_the_memory_of_every_process_together(tmp_path):
    """bench.scale's peak is of a command and its children together: here a parent holding
    40 MB and a child holding 60 MB at the same time, more than either alone."""
    holder = "import time; block = bytearray({mb} * 1_000_000); block[::4096] = b'x' * len(block[::4096]); time.sleep({seconds})"
    script = (
        "import subprocess, sys, time\n"
        f"child = subprocess.Popen([sys.executable, '-c', {holder.format(mb=60, seconds=2)!r}])\n"
        f"{holder.format(mb=40, seconds=2)}\n"
        "child.wait()\n"
    )
    measured = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import json; from bench.scale import measured; print(json.dumps(measured([{sys.executable!r}, '-c', {script!r}], {str(tmp_path)!r}, every=0.1)))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert measured.returncode == 0, measured.stderr
    code, _, _, peak, _ = json.loads(measured.stdout)
    assert code == 0
    assert peak > 100, peak


@pytest.mark.slow
def test_the_preview_bench_times_an_edit_until_the_served_page_has_it():
    made = subprocess.run(
        [sys.executable, "-m", "bench.serve_edit", "--sizes", "20", "--runs", "1", "--no-record"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    row = next(line for line in made.stdout.splitlines() if line.startswith("| 20 |"))
    page_seconds = float(row.split("|")[3])
    assert 0 < page_seconds < 60

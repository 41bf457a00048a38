"""Hostile input at full size (issue 14), too slow for the test suite: prints its figures.

- 20,000 broken files, each only `x: 1`: `python -m generator validate` on them, with wall
  time, processor time and peak memory (target: under a minute and 300 MB on 2 cores);
- one valid exemplar whose three Markdown fields are each 19,999 brackets and an x, built
  with the real content, against the real content alone (the build took 330 s when
  Python-Markdown rendered the fields; the target is the time of an ordinary build).

    python -m bench.hostile               # both
    python -m bench.hostile --files 2000  # a quicker look
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

from .scale import measured
from .synth import PROJECT_PARTS, ROOT


def broken_files(workdir: Path, count: int) -> None:
    folder = workdir / "broken" / "exemplars"
    folder.mkdir(parents=True)
    for index in range(count):
        (folder / f"broken-{index:05}.yaml").write_text("x: 1\n", encoding="utf-8")
    code, wall, cpu, peak, _ = measured([sys.executable, "-m", "generator", "validate", str(folder)], ROOT)
    assert code == 1, "the broken files should be reported"
    print(f"{count:,} broken files: validate {wall:.1f} s wall, {cpu:.1f} s processor, {peak:.0f} MB peak")


def brackets_build(workdir: Path) -> None:
    project = workdir / "project"
    for part in PROJECT_PARTS:
        shutil.copytree(ROOT / part, project / part)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    build = [sys.executable, "-m", "generator", "build", "--site-dir", str(workdir / "site")]
    code, wall, cpu, peak, _ = measured(build, project)
    assert code == 0, "the real content should build"
    print(f"real content: build {wall:.1f} s wall, {cpu:.1f} s processor, {peak:.0f} MB peak")
    record = yaml.safe_load((ROOT / "tests/fixtures/valid/exemplars/fixture-exemplar.yaml").read_text())
    brackets = "[" * 19_999 + "x"
    record.update(id="brackets", what_was_done=brackets, why=brackets)
    record["impact"]["narrative"] = brackets
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=10**9)
    (project / "content/exemplars/brackets.yaml").write_text(text, encoding="utf-8")
    code, wall, cpu, peak, _ = measured(build, project)
    assert code == 0, "the record of brackets should build"
    print(f"with the record of brackets: build {wall:.1f} s wall, {cpu:.1f} s processor, {peak:.0f} MB peak")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000, help="how many broken files (default 20,000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        broken_files(Path(workdir), args.files)
        brackets_build(Path(workdir))


if __name__ == "__main__":
    main()

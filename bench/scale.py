"""`make bench` (second part): validation, build time, site size and memory as N grows.

For each N, on one synthetic corpus (bench/synth.py), measured side by side in one run:

- validation: `python -m generator validate` against check-jsonschema on the same files
  with the same (bundled) schemas; target at most 0.25 of its time;
- build: the full build with the plugin (`python -m generator build`: validation,
  generation, finder index, exports) against a plain Material build of the same pages
  (`python -m generator render --out DIR`, then `mkdocs build` on DIR without the plugin);
  target at most 1.10 of its time (issue 17);
- peak memory (resident set) of each build, all its processes together (the finder's
  index is made in a second one), sampled from /proc; what each added record costs
  should not grow with N;
- site bytes, whose cost per added record should stay flat (within 10%), and the largest
  HTML page, at most 300 KB at any N.

Medians of --runs runs (one run at N >= 20,000); the two sides of each ratio alternate so
machine noise hits both.

    python -m bench.scale                        # N = 100, 1,000, 5,000 and 20,000 (about 30 minutes on 2 cores)
    python -m bench.scale --max 5000             # the same without 20,000
    python -m bench.scale --sizes 100 --runs 1   # a quick look
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from generator.load import load_document
from generator.model import KINDS
from generator.schemas import load_schema_set

from .synth import ROOT, synthesise

DOC = ROOT / "docs" / "performance.md"
MARKERS = ("<!-- scale:start -->", "<!-- scale:end -->")
SIZES = [100, 1000, 5000, 20000]
ONE_RUN_FROM = 20000  # a build of 20,000 records takes minutes on 2 cores: one run there
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": "true"}  # CI: no progress bars in the timings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def tree_rss(root: int) -> int:
    """Bytes resident in memory for a process and all its descendants together, from /proc
    (Linux): the build and its finder index process, say."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # gone since the listing
        parent = int(text.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(text.split(" ", 1)[0]))
    total, waiting = 0, [root]
    while waiting:
        pid = waiting.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError):
            continue
        waiting += children.get(pid, [])
    return total


def measured(command: list[str], cwd: Path, every: float = 0.2) -> tuple[int, float, float, float, str]:
    """(exit status, wall seconds, processor seconds, peak MB, end of stderr) of one run of
    `command`. The peak is of all its processes together, sampled every `every` seconds by a
    thread, so that the wall time is taken the moment the command ends (polling for its end
    would round every time up to the next sample)."""
    stderr = tempfile.TemporaryFile()
    start = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=stderr)
    peak = 0
    ended = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not ended.wait(every):
            peak = max(peak, tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - start
    ended.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr.seek(0)
    tail = stderr.read()[-2000:].decode("utf-8", "replace")
    stderr.close()
    return process.returncode, wall, usage.ru_utime + usage.ru_stime, peak / 1e6, tail


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """(seconds, peak MB) of one run of `command`, which must succeed."""
    code, wall, _, peak, stderr = measured(command, cwd)
    if code:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr}")
    return wall, peak


def bundled_schemas(project: Path, out: Path) -> dict[str, Path]:
    """The published, self-contained schemas, as check-jsonschema needs them."""
    schema_set, problems = load_schema_set(project / "schemas", load_document)
    assert not problems, problems
    paths = {}
    for kind in KINDS.values():
        paths[kind.folder] = out / kind.schema_file
        paths[kind.folder].write_text(json.dumps(schema_set.bundled(kind.name)), encoding="utf-8")
    return paths


def check_jsonschema(project: Path, schemas: dict[str, Path]) -> list[list[str]]:
    """One check-jsonschema command per record kind that has files."""
    binary = str(Path(sys.executable).with_name("check-jsonschema"))
    commands = []
    for folder, schema in schemas.items():
        files = sorted(str(p) for p in (project / "content" / folder).glob("*.yaml"))
        if files:
            commands.append([binary, "--schemafile", str(schema), *files])
    return commands


def plain_config(project: Path, docs: Path) -> Path:
    """mkdocs.yml for the plain build: the same site, without the whatworks plugin."""
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"^  - whatworks\n", "", config, flags=re.M)
    config = config.replace("docs_dir: docs", f"docs_dir: {docs}")
    config = config.replace("custom_dir: overrides", f"custom_dir: {project / 'overrides'}")
    path = project / "mkdocs-plain.yml"
    path.write_text(config, encoding="utf-8")
    return path


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure_size(workdir: Path, n: int, runs: int) -> dict:
    project = workdir / f"scale-{n}"
    synthesise(project, n)
    schemas = bundled_schemas(project, workdir)
    ours_validate, theirs_validate, ours_build, plain_build, peaks, plain_peaks = [], [], [], [], [], []
    docs = workdir / f"docs-{n}"
    subprocess.run(
        [sys.executable, "-m", "generator", "render", "--out", str(docs)],
        cwd=project,
        env=ENV,
        check=True,
        capture_output=True,
    )
    plain = plain_config(project, docs)
    for _ in range(runs):
        ours_validate.append(timed([sys.executable, "-m", "generator", "validate"], project)[0])
        theirs_validate.append(sum(timed(command, project)[0] for command in check_jsonschema(project, schemas)))
        seconds, peak = timed(
            [sys.executable, "-m", "generator", "build", "--site-dir", str(workdir / f"site-{n}")], project
        )
        ours_build.append(seconds)
        peaks.append(peak)
        seconds, peak = timed(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "--quiet",
                "-f",
                str(plain),
                "-d",
                str(workdir / f"plain-{n}"),
            ],
            project,
        )
        plain_build.append(seconds)
        plain_peaks.append(peak)
    site_bytes = folder_bytes(workdir / f"site-{n}")
    largest = max((workdir / f"site-{n}").rglob("*.html"), key=lambda p: p.stat().st_size)
    return {
        "n": n,
        "validate": statistics.median(ours_validate),
        "check-jsonschema": statistics.median(theirs_validate),
        "build": statistics.median(ours_build),
        "plain build": statistics.median(plain_build),
        "site bytes": site_bytes,
        "bytes per record": site_bytes / n,
        "peak MB": max(peaks),
        "plain peak MB": max(plain_peaks),
        "largest page": largest.stat().st_size,
        "largest page path": str(largest.relative_to(workdir / f"site-{n}")),
        "load": os.getloadavg()[0],
        "runs": runs,
    }


def table(rows: list[dict]) -> str:
    """Three Markdown tables: times, memory, then size."""
    times = [
        "| N | runs | load average | validate (s) | check-jsonschema (s) | ratio (target ≤ 0.25) | build (s) | plain Material build (s) | ratio (target ≤ 1.10) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        times.append(
            f"| {r['n']:,} | {r['runs']} | {r['load']:.1f} | {r['validate']:.2f} | {r['check-jsonschema']:.2f} "
            f"| {r['validate'] / r['check-jsonschema']:.2f} | {r['build']:.1f} | {r['plain build']:.1f} "
            f"| {r['build'] / r['plain build']:.2f} |"
        )
    # Memory per record falls as N grows while the fixed part (Python, MkDocs, the theme)
    # is shared among more records; what each added record costs shows whether it grows.
    memory = [
        "| N | peak memory of the build, all processes (MB) | MB per 1,000 records added since the previous N | plain Material build (MB) | MB per 1,000 records added |",
        "|---:|---:|---:|---:|---:|",
    ]
    for before, r in zip([None, *rows], rows, strict=False):
        ours = plain = "–"
        if before is not None:
            ours = f"{(r['peak MB'] - before['peak MB']) / (r['n'] - before['n']) * 1000:.0f}"
            plain = f"{(r['plain peak MB'] - before['plain peak MB']) / (r['n'] - before['n']) * 1000:.0f}"
        memory.append(f"| {r['n']:,} | {r['peak MB']:.0f} | {ours} | {r['plain peak MB']:.0f} | {plain} |")
    # Bytes per record fall as N grows while the theme's assets and the fixed pages are
    # shared among more records; the bytes each added record costs show whether the
    # records' own share grows with N (a page listing every record on every record's page
    # would make it grow).
    first = rows[0]["bytes per record"]
    sizes = [
        f"| N | site (MB) | KB per record | vs N = {rows[0]['n']:,} | KB per record added since the previous N | vs the previous step (target within ±10%) | largest HTML page (KB; target ≤ 300) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    previous_added = None
    for before, r in zip([None, *rows], rows, strict=False):
        added = added_ratio = "–"
        if before is not None:
            per_added = (r["site bytes"] - before["site bytes"]) / (r["n"] - before["n"])
            added = f"{per_added / 1024:.1f}"
            if previous_added:
                added_ratio = f"{per_added / previous_added:.2f}"
            previous_added = per_added
        sizes.append(
            f"| {r['n']:,} | {r['site bytes'] / 1e6:.1f} | {r['bytes per record'] / 1024:.1f} | "
            f"{r['bytes per record'] / first:.2f} | {added} | {added_ratio} | "
            f"{r['largest page'] / 1000:.0f} (`{r['largest page path']}`) |"
        )
    return "\n".join(times + [""] + memory + [""] + sizes)


def record(rows: list[dict], runs: int, command: str) -> None:
    section = "\n".join(
        [
            f"Run on {datetime.date.today().isoformat()}, `{command}`, on {machine()}, "
            f"{platform.python_implementation()} {platform.python_version()}; medians of {runs} run(s) "
            f"(one at N ≥ {ONE_RUN_FROM:,}), each ratio from runs made side by side; the load average "
            "(other work on the shared machine) as each N finished.",
            "",
            table(rows),
        ]
    )
    write_section(MARKERS, "Validation, build time, size and memory", section)


def write_section(markers: tuple[str, str], heading: str, text: str) -> None:
    """Put text between the markers in docs/performance.md, or at its end under heading."""
    page = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    section = f"{markers[0]}\n{text}\n{markers[1]}"
    if markers[0] in page:
        page = re.sub(re.escape(markers[0]) + ".*?" + re.escape(markers[1]), lambda _: section, page, flags=re.S)
    else:
        page = page.rstrip() + f"\n\n## {heading}\n\n{section}\n"
    DOC.write_text(page, encoding="utf-8")


def machine() -> str:
    """Cores and processor, from /proc/cpuinfo where there is one."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = f" ({found.group(1).strip()})" if found else ""
    return f"{os.cpu_count()} cores{model}, {platform.system()} {platform.release()}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    parser.add_argument("--max", type=int, help="leave out the sizes above this, for a quicker run")
    parser.add_argument("--runs", type=int, default=3, help=f"runs per N (one at N >= {ONE_RUN_FROM:,})")
    parser.add_argument("--no-record", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="whatworks-scale-") as workdir:
        for n in [n for n in args.sizes if args.max is None or n <= args.max]:
            started = time.monotonic()
            rows.append(measure_size(Path(workdir), n, 1 if n >= ONE_RUN_FROM else args.runs))
            print(f"N = {n:,}: measured in {time.monotonic() - started:.0f} s", file=sys.stderr)
    print(table(rows))
    if not args.no_record:
        record(rows, args.runs, " ".join(["python -m bench.scale", *(argv if argv is not None else sys.argv[1:])]))


if __name__ == "__main__":
    main()

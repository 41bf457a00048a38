"""`make bench`: the finder against Material's header search, at N = 100, 1,000, 5,000 and 20,000.

For each N: synthesise N valid records into a temporary copy of the project (bench/synth.py),
check them with `python -m generator validate` while the site builds, serve the site
(bench/serve.py), and measure both searches on the same site, in turn, in headless
Chromium (bench/measure.py). Prints a table and writes it into docs/performance.md.

    python -m bench                      # the full run (about 30 minutes on 2 cores)
    python -m bench --max 5000           # without 20,000 (8 minutes)
    python -m bench --sizes 100 --runs 3 # a quick look
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .measure import ENGINES, measure, summarise
from .scale import free_port, machine
from .synth import ROOT, synthesise

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
QUERY, SECOND_QUERY = "attendance", "parents"
DOC = ROOT / "docs" / "performance.md"
MARKERS = ("<!-- bench:start -->", "<!-- bench:end -->")


def _env() -> dict:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def build(project: Path) -> tuple[float, float]:
    """Validate and build the project, the two at once. Returns (validate s, build s)."""
    started = time.monotonic()
    validate = subprocess.Popen(
        [sys.executable, "-m", "generator", "validate"],
        cwd=project,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    finished = {}
    waiter = threading.Thread(target=lambda: finished.update(errors=validate.communicate()[1], at=time.monotonic()))
    waiter.start()
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", "site"],
        cwd=project,
        env=_env(),
        capture_output=True,
        text=True,
    )
    built = time.monotonic() - started
    waiter.join()
    validated, errors = finished["at"] - started, finished["errors"]
    if validate.returncode != 0:
        raise SystemExit(f"the synthetic records are not valid:\n{errors}")
    if build.returncode != 0:
        raise SystemExit(f"the build failed:\n{build.stderr}")
    return validated, built


def data_sizes(site: Path) -> dict[str, int]:
    finder = site / "finder"
    shards = list((finder / "index").glob("*.json"))
    return {
        "material index": (site / "search" / "search_index.json").stat().st_size,
        "finder facets": (finder / "facets.json").stat().st_size,
        "finder index": sum(p.stat().st_size for p in shards),
        "finder shards": len(shards),
        "finder cards": sum(p.stat().st_size for p in (finder / "cards").glob("*.json")),
    }


def run_size(browser, workdir: Path, n: int, runs: int) -> dict:
    """Build a site of n records and measure both searches on it; `runs` per search, except
    Material at 5,000 records and more, where one run takes half a minute: 3 there, and 1
    from 20,000."""
    project = workdir / f"project-{n}"
    started = time.monotonic()
    synthesise(project, n)
    synthesised = time.monotonic() - started
    validated, built = build(project)
    print(
        f"N={n}: synthesised in {synthesised:.0f} s; validated in {validated:.0f} s while the site built in {built:.0f} s",
        flush=True,
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.serve", str(project / "site"), str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        server.stdout.readline()  # "ready"
        base = f"http://127.0.0.1:{port}/"
        results = {}
        load = os.getloadavg()[0]
        for engine in ENGINES:
            measured = []
            for number in range(material_runs(runs, n) if engine.name == "material" else runs):
                measured.append(measure(browser, base, engine, QUERY, SECOND_QUERY))
                print(
                    f"  {engine.name} run {number + 1}: {measured[-1].ms:.0f} ms, {measured[-1].sent:,} bytes",
                    flush=True,
                )
            results[engine.name] = summarise(measured)
    finally:
        server.terminate()
        server.wait()
    sizes = data_sizes(project / "site")
    shutil.rmtree(project)
    return {"n": n, "results": results, "sizes": sizes, "build_s": built, "validate_s": validated, "load": load}


def material_runs(runs: int, n: int) -> int:
    return 1 if n >= 20_000 else min(runs, 3) if n >= 5000 else runs


def _kb(size: int) -> str:
    return f"{size / 1000:,.0f} kB" if size >= 10_000 else f"{size / 1000:,.1f} kB"


def _ms(ms: float) -> str:
    return f"{ms:,.0f} ms"


def table(rows: list[dict]) -> str:
    lines = [
        "| N | bytes before first result, finder | Material | finder / Material | typing to first result, finder | Material | finder / Material | a second query, finder | Material |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        f, m = row["results"]["finder"], row["results"]["material"]
        lines.append(
            f"| {row['n']:,} | {_kb(f.sent)} ({_kb(f.decoded)}) | {_kb(m.sent)} ({_kb(m.decoded)}) | {f.sent / m.sent:.3f} "
            f"| {_ms(f.ms)} | {_ms(m.ms)} | {f.ms / m.ms:.3f} | {_ms(f.warm_ms)} | {_ms(m.warm_ms)} |"
        )
    return "\n".join(lines)


def sizes_table(rows: list[dict]) -> str:
    lines = [
        "| N | build (s) | load average when measuring | Material's index | finder facets.json | finder index shards | finder cards |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        s = row["sizes"]
        lines.append(
            f"| {row['n']:,} | {row['build_s']:.0f} | {row['load']:.1f} | {_kb(s['material index'])} | {_kb(s['finder facets'])} "
            f"| {_kb(s['finder index'])} in {s['finder shards']:,} files | {_kb(s['finder cards'])} in {row['n']:,} files |"
        )
    return "\n".join(lines)


def machine_and_browser(browser) -> str:
    return f"{machine()}, Python {platform.python_version()}, Chromium {browser.version} headless"


def record(text: str) -> None:
    """Replace the figures between the markers in docs/performance.md."""
    page = DOC.read_text(encoding="utf-8")
    start, end = page.index(MARKERS[0]) + len(MARKERS[0]), page.index(MARKERS[1])
    DOC.write_text(page[:start] + "\n" + text + "\n" + page[end:], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000, 20000])
    parser.add_argument("--max", type=int, help="leave out the sizes above this, for a quicker run")
    parser.add_argument(
        "--runs", type=int, default=5, help="runs per search and N (Material's: at most 3 at N >= 5,000)"
    )
    parser.add_argument("--no-record", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    rows = []
    with tempfile.TemporaryDirectory(prefix="whatworks-bench-") as workdir, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for n in [n for n in args.sizes if args.max is None or n <= args.max]:
            rows.append(run_size(browser, Path(workdir), n, args.runs))
        about = machine_and_browser(browser)
        browser.close()
    minutes = (time.monotonic() - started) / 60
    command = " ".join(["python -m bench", *sys.argv[1:]])
    command = f"`make bench` (`{command}`)" if command == "python -m bench" else f"`{command}`"
    summary = (
        f"Measured {datetime.date.today().isoformat()} with {command} in {minutes:.0f} minutes "
        f'on {about}. Query "{QUERY}" on a page just loaded, then "{SECOND_QUERY}" on the same page; '
        f"medians of {args.runs} runs (Material's: 3 at N = 5,000, 1 at 20,000), each in a fresh browser context. Bytes as sent with gzip "
        f"(decoded in brackets).\n\n{table(rows)}\n\nThe time to build the site (MkDocs with Material, the finder "
        f"included), the machine's load average while measuring (other work on it slows every figure), and the sizes "
        f"of the search data, uncompressed:\n\n{sizes_table(rows)}"
    )
    print()
    print(summary)
    if not args.no_record:
        record(summary)
        print(f"\nrecorded in {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

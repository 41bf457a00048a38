"""The live preview: how long after an edit the served page shows it, as N grows.

For each N: synthesise N records (bench/synth.py), start `mkdocs serve --dirty` on them
as `make serve` does, then, --runs times, change one exemplar's title in its YAML file and
time until the served page has the new title, and until the finder's data has been made
again (its facets.json changes). Each edit is of a different exemplar.

    python -m bench.serve_edit                       # N = 1,000 and 5,000; recorded in docs/performance.md
    python -m bench.serve_edit --sizes 100 --runs 2 --no-record
"""

from __future__ import annotations

import argparse
import datetime
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .scale import ENV, free_port, machine, write_section
from .synth import synthesise

MARKERS = ("<!-- serve:start -->", "<!-- serve:end -->")
TARGETS = {1000: 3.0, 5000: 5.0}  # seconds from the edit to the page, on 2 cores (issue 17)


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, predicate, seconds: float, every: float = 0.05) -> float:
    """Seconds until the body at url satisfies predicate; raises if it never does."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        body = fetch(url)
        if body is not None and predicate(body):
            return time.monotonic() - started
        time.sleep(every)
    raise SystemExit(f"{url} did not change within {seconds:.0f} s")


def measure_size(workdir: Path, n: int, runs: int) -> dict:
    project = workdir / f"serve-{n}"
    synthesise(project, n)
    port = free_port()
    mount = urlsplit(yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]).path
    base = f"http://127.0.0.1:{port}{mount}"
    log = (workdir / f"serve-{n}.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    pages, finders = [], []
    try:
        started = time.monotonic()
        wait_for(base + "finder/facets.json", lambda body: True, 3600, every=0.5)
        first_build = time.monotonic() - started
        exemplars = sorted((project / "content" / "exemplars").glob("*.yaml"))
        for run in range(runs):
            record = exemplars[(run * 7919) % len(exemplars)]
            url = f"{base}exemplars/{record.stem}/"
            facets = fetch(base + "finder/facets.json")
            marker = f"Edited in run {run + 1} of the preview bench"
            text = record.read_text(encoding="utf-8")
            edited = text.replace("\ntitle: ", f"\ntitle: {marker} — ", 1)
            assert edited != text, record
            edited_at = time.monotonic()
            record.write_text(edited, encoding="utf-8")
            pages.append(wait_for(url, lambda body, marker=marker: marker in body, 600))
            finders.append(_until_changed(base + "finder/facets.json", facets, edited_at))
            print(f"  N={n:,} run {run + 1}: page {pages[-1]:.2f} s, finder data {finders[-1]:.1f} s", flush=True)
            time.sleep(1)
    finally:
        server.send_signal(signal.SIGINT)  # as Ctrl-C: MkDocs and the plugin clean up their folders
        server.wait(timeout=60)
        log.close()
    return {
        "n": n,
        "first build": first_build,
        "page": statistics.median(pages),
        "page max": max(pages),
        "finder": statistics.median(finders),
        "load": os.getloadavg()[0],
    }


def _until_changed(url: str, before: str | None, since: float) -> float:
    """Seconds from `since` until the body at url differs from `before`."""
    while True:
        body = fetch(url)
        if body is not None and body != before:
            return time.monotonic() - since
        if time.monotonic() - since > 1200:
            raise SystemExit(f"{url} did not change within 1,200 s")
        time.sleep(0.1)


def table(rows: list[dict], runs: int) -> str:
    lines = [
        f"| N | first build (s) | edit to page shown, median of {runs} (s) | slowest (s) | target (s) | edit to finder data made again, median (s) | load average |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        target = TARGETS.get(r["n"])
        lines.append(
            f"| {r['n']:,} | {r['first build']:.0f} | {r['page']:.2f} | {r['page max']:.2f} | "
            f"{'–' if target is None else f'{target:.0f}'} | {r['finder']:.1f} | {r['load']:.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.serve_edit", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-record", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="whatworks-serve-") as workdir:
        for n in args.sizes:
            rows.append(measure_size(Path(workdir), n, args.runs))
    print(table(rows, args.runs))
    if not args.no_record:
        command = " ".join(["python -m bench.serve_edit", *(argv if argv is not None else sys.argv[1:])])
        write_section(
            MARKERS,
            "The live preview",
            f"Run on {datetime.date.today().isoformat()}, `{command}`, on {machine()}; each edit changes a "
            "different exemplar's title, timed from the file's save until the served page has the new title, "
            "and until the finder's data has been made again.\n\n" + table(rows, args.runs),
        )


if __name__ == "__main__":
    main()

"""Measure the finder's index choices on synthetic corpora (no browser): `python -m bench.sizes`.

For N = 100, 1,000 and 5,000 records: the size of lunr.py's serialised index with record
ids or positions as refs, with and without the long text field, split into shards; how
many bytes of shards a query needs at each shard size; and the size of the facets file
and the cards. docs/performance.md gives the figures and what was decided from them.
"""

from __future__ import annotations

import argparse
import bisect
import gzip
import json
import tempfile
import time
from pathlib import Path

from lunr import lunr
from lunr.stemmer import stemmer
from lunr.token import Token

from generator import finder
from generator.cli import site_url
from generator.site import Site
from generator.validate import check_project

from .synth import synthesise

QUERIES = ("attendance", "parents", "reading", "family support", "transitions")
SHARD_SIZES = (4_000, 8_000, 16_000, 32_000, 64_000)


def _json(value) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _index(site, records, fields, positional: bool) -> tuple[dict, float]:
    started = time.monotonic()
    documents = [{"ref": str(n) if positional else r.id, **finder._text(site, r)} for n, r in enumerate(records)]
    index = lunr(ref="ref", fields=[{"field_name": f, "boost": b} for f, b in fields], documents=documents)
    return index.serialize(), time.monotonic() - started


def query_bytes(shards: list[list], text: str) -> int:
    """Bytes of the shards the page fetches for the words of `text` (see finder-index.js)."""
    firsts = [shard[0][0] for shard in shards]
    sizes = [len(_json(shard)) for shard in shards]
    wanted = set()
    for word in text.lower().split():
        stem = str(stemmer(Token(word)))
        for term in {stem, word}:
            low, high = term, term + "\uffff"
            start = max(bisect.bisect_right(firsts, low) - 1, 0)
            end = bisect.bisect_right(firsts, high) - 1
            wanted.update(range(start, end + 1))
    return sum(sizes[n] for n in wanted)


def measure(n: int, workdir: Path) -> dict:
    project = workdir / f"project-{n}"
    synthesise(project, n)
    corpus = check_project(project).corpus
    site = Site(corpus, site_url(project))
    records = finder.records(site)
    short_fields = tuple(f for f in finder.FIELDS if f[0] != "body")
    by_id, _ = _index(site, records, finder.FIELDS, positional=False)
    full, seconds = _index(site, records, finder.FIELDS, positional=True)
    short, _ = _index(site, records, short_fields, positional=True)
    terms = finder.shard_terms(full)
    files = finder.data_files(site)
    cards = [v for k, v in files.items() if k.startswith("finder/cards/")]
    row = {
        "n": n,
        "terms": len(full["invertedIndex"]),
        "by id": len(_json(by_id)),
        "positional": len(_json(full)),
        "positional gz": len(gzip.compress(_json(full))),
        "no body": len(_json(short)),
        "shards total": sum(len(_json(t)) + 1 for t in terms) + 1,
        "build s": seconds,
        "facets": len(files["finder/facets.json"].encode("utf-8")),
        "facets gz": len(gzip.compress(files["finder/facets.json"].encode("utf-8"))),
        "card mean": sum(len(c.encode("utf-8")) for c in cards) / len(cards),
        "per query": {},
    }
    for size in SHARD_SIZES:
        shards = finder.cut_shards(terms, size)
        row["per query"][size] = (len(shards), [query_bytes(shards, q) for q in QUERIES])
    return row


def _kb(size: float) -> str:
    return f"{size / 1000:,.0f} kB" if size >= 10_000 else f"{size / 1000:,.1f} kB"


def report(rows: list[dict]) -> str:
    lines = [
        "| N | terms | index, ids as refs | positions as refs | gzip | without the body field | in shards (all) | lunr.py build | facets.json (gzip) | mean card |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['terms']:,} | {_kb(r['by id'])} | {_kb(r['positional'])} | {_kb(r['positional gz'])} "
            f"| {_kb(r['no body'])} | {_kb(r['shards total'])} | {r['build s']:.1f} s | {_kb(r['facets'])} ({_kb(r['facets gz'])}) "
            f"| {r['card mean']:.0f} B |"
        )
    lines += [
        "",
        "Shard bytes fetched per query (uncompressed), by the most a shard may hold, at each N:",
        "",
        "| N | shard size | shards | " + " | ".join(f'"{q}"' for q in QUERIES) + " |",
        "|---:|---:|---:|" + "---:|" * len(QUERIES),
    ]
    for r in rows:
        for size, (count, per_query) in r["per query"].items():
            lines.append(f"| {r['n']:,} | {_kb(size)} | {count:,} | " + " | ".join(_kb(b) for b in per_query) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="whatworks-sizes-") as workdir:
        rows = [measure(n, Path(workdir)) for n in args.sizes]
    print(report(rows))


if __name__ == "__main__":
    main()

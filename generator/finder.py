"""The finder's data files: facets, a sharded full-text index, one card per record.

The finder page (/find/) downloads, before its first result:

- finder/facets.json: which record has which facet value, as one bitset per value, each
  record's update date, the index's manifest, the characters lunr.py splits words at
  (SEPARATOR), so that the page splits a query as the records were split, and the groups
  of one-word synonyms, so that the page marks a synonym that found a result. Filtering,
  counting and sorting need nothing else, and it stays small: N/8 bytes per facet value,
  2 bytes per date.
- finder/lunr.js: lunr.js 2.3.9, the version lunr.py targets, shipped with the generator
  (generator/vendor/lunr.js) so that no engine's search plugin has to provide it.
- finder/index/<n>.json: only the index shards that hold the words typed. The index is
  built by lunr.py and cut into shards of contiguous terms; a shard holds, for each of its
  terms, the term's postings and its weights in each document's field vectors, which is
  all lunr.js needs to score that term. The page rebuilds a lunr.js index from the shards
  it has, so results are lunr's own, and the same as the whole index would give.
- finder/cards/<n>.json: what a result card shows, only for the results on screen.

Synonyms (schemas/vocabularies/synonyms.yaml) are applied when the index is built: each
record's "synonyms" field holds every word of each group its text uses, so that a search
for any word of a group finds what the others find (see synonyms.py).

docs/performance.md gives the measurements behind this split. With many records, the
index is built in a second process while the pages are made (index_in_background).
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import hashlib
import json
import multiprocessing
import os
import re
import struct
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from lunr import lunr
from lunr.builder import Builder
from lunr.stemmer import stemmer

from .markup import plain
from .model import KINDS, RECORD_CLASSES
from .site import page_url
from .synonyms import SEPARATOR, index_terms, synonyms

TYPE_LEGEND = "Record type"

# Fields indexed for full-text search, and how much a match in each counts.
# A title or theme match says more about what a record is than a word in its body.
# "synonyms" holds the words of every group of synonyms the other fields use (synonyms.py).
FIELDS = (
    ("title", 5),
    ("themes", 3),
    ("summary", 2),
    ("place", 2),
    ("organisations", 2),
    ("body", 1),
    ("synonyms", 1),
)
# Terms per shard are added until the shard reaches this many bytes (a single common
# term may exceed it). Chosen from the measurements in docs/performance.md.
SHARD_BYTES = 16_000

# From this many records, the index is built in a second process (index_in_background).
BACKGROUND_FROM = 1_000

DATA_DIR = "finder"
LUNR_JS = Path(__file__).parent / "vendor/lunr.js"


@dataclass(frozen=True)
class FacetValue:
    id: str
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    id: str  # the URL parameter
    legend: str
    values: tuple[FacetValue, ...]


# Facet id (its URL parameter) -> (vocabulary, a record's terms). In the page's order.
FACET_SOURCES = {
    "type": (None, lambda record: [record.type_term]),
    "rating": ("rating-levels", lambda record: [record.rating_level] if record.rating_level else []),
    "theme": ("themes", lambda record: record.data["themes"]),
    "phase": ("phases", lambda record: record.data.get("phases", [])),
    "country": ("countries", lambda record: record.countries),
    "group": ("target-groups", lambda record: record.data.get("target_groups", [])),
    "ecm": ("ecm-outcomes", lambda record: record.data["outcomes"].get("ecm", [])),
    "shanarri": ("shanarri", lambda record: record.data["outcomes"].get("shanarri", [])),
    "design": ("study-designs", lambda record: record.study_designs),
}


def listing_query(site, kind: str, vocabulary: str | None = None, term: str | None = None) -> str:
    """The finder's address query for a listing: one kind's records (tagged with a term of a
    vocabulary, if given), strongest evidence first, as the listing pages order them."""
    params: list[tuple[str, str | None]] = [("type", value) for value in RECORD_CLASSES[kind].type_terms(site.vocab)]
    if vocabulary is not None:
        facet = next(facet for facet, (source, _) in FACET_SOURCES.items() if source == vocabulary)
        params.append((facet, term))
    return urlencode([*params, ("sort", "rating")])


def records(site) -> list:
    """Every record in the finder's order, which is also its order before any sort:
    exemplars strongest-rated first, then evidence newest first, as the listing pages."""
    return site.exemplars() + site.evidence()


def facets(site) -> list[Facet]:
    """The facets with each value's label (from its vocabulary) and its count over all records."""
    all_records = records(site)
    result = []
    for facet_id, (vocabulary_id, terms_of) in FACET_SOURCES.items():
        if vocabulary_id is None:
            # The kinds have no vocabulary of their own; the evidence types come from theirs.
            exemplar = KINDS["exemplar"]
            choices = [(exemplar.name, exemplar.label)] + [
                (t, term["label"]) for t, term in site.vocab["evidence-types"].terms.items()
            ]
            legend = TYPE_LEGEND
        else:
            vocabulary = site.vocab[vocabulary_id]
            choices = [(t, term["label"]) for t, term in vocabulary.terms.items()]
            legend = vocabulary.title
        values = tuple(FacetValue(t, label, sum(1 for r in all_records if t in terms_of(r))) for t, label in choices)
        result.append(Facet(facet_id, legend, values))
    return result


def _bitset(members: list[bool]) -> str:
    """Record n is bit n % 8 of byte n // 8, base64-encoded: N/8 bytes however many match."""
    data = bytearray((len(members) + 7) // 8)
    for n, member in enumerate(members):
        if member:
            data[n // 8] |= 1 << (n % 8)
    return base64.b64encode(bytes(data)).decode("ascii")


def _text(site, record) -> dict[str, str]:
    """The words a record is found by, field by field (see FIELDS)."""
    data = record.data
    themes = " ".join(site.label("themes", t) for t in data["themes"])
    text = {
        "title": data["title"],
        "themes": themes,
        "summary": data["summary"],
        "place": site.place(record),
        "organisations": " ".join(record.organisation_names),
        "body": record.body,
    }
    return {**text, "synonyms": synonyms(site.vocab).words_for(list(text.values()))}


def index_documents(site, all_records: list) -> list[dict[str, str]]:
    """What lunr indexes, record by record: a ref, which is the record's position in
    `all_records` (short refs keep the index small, see docs/performance.md), and the
    record's text field by field."""
    return [{"ref": str(n), **_text(site, r)} for n, r in enumerate(all_records)]


def lunr_index(documents: list[dict[str, str]]):
    """lunr.py's index over index_documents()."""
    builder = Builder()  # its indexing pipeline stays empty: index_terms runs it
    builder.search_pipeline.add(stemmer)
    split = [{"ref": d["ref"], **{f: index_terms(d[f]) for f, _ in FIELDS}} for d in documents]
    return lunr(ref="ref", fields=[{"field_name": f, "boost": b} for f, b in FIELDS], documents=split, builder=builder)


def index_shards(documents: list[dict[str, str]]) -> tuple[dict, list[str]]:
    """The index built and cut into shards: the manifest's entry for it, and each shard as JSON."""
    serialised = lunr_index(documents).serialize()
    shards = cut_shards(shard_terms(serialised))
    entry = {
        "version": serialised["version"],
        "fields": serialised["fields"],
        "pipeline": serialised["pipeline"],
        "shards": [shard[0][0] for shard in shards],
    }
    return entry, [_json(shard) for shard in shards]


def _exit_with(parent: int) -> None:
    """In the second process: exit if the build that started it is killed, rather than
    wait for ever to hand it the index."""

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


@contextlib.contextmanager
def index_in_background(site):
    """Start building the index; give a function that returns it when it is done.

    From BACKGROUND_FROM records on, and with a second core, the index is built in a
    second process while this one renders the pages: at 5,000 records the index takes
    about as long as the pages. Below that, starting a process costs more than it saves,
    and the function builds the index when called.
    """
    documents = index_documents(site, records(site))
    if len(documents) < BACKGROUND_FROM or (os.cpu_count() or 1) < 2:
        yield lambda: index_shards(documents)
        return
    # "spawn", not "fork": the build may run beside other threads (mkdocs serve).
    pool = ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_exit_with, initargs=(os.getpid(),)
    )
    try:
        future = pool.submit(index_shards, documents)

        def result():
            try:
                return future.result()
            except BrokenProcessPool:  # the process could not start or was killed: build it here
                return index_shards(documents)

        yield result
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def shard_terms(serialised: dict) -> list[list]:
    """Each term of the index with its postings and weights, sorted by term.

    [term, term index, per field: [ref, weight, ref - previous ref, weight, ...]]. The
    weights are the term's entries in the field vectors; refs are delta-encoded.
    """
    fields = serialised["fields"]
    by_index: dict[int, list[list]] = {}
    for field_ref, elements in serialised["fieldVectors"]:
        field, ref = field_ref.split("/", 1)
        field_no = fields.index(field)
        for position in range(0, len(elements), 2):
            postings = by_index.setdefault(elements[position], [[] for _ in fields])
            postings[field_no].append((int(ref), elements[position + 1]))
    terms = []
    for term, posting in serialised["invertedIndex"]:
        per_field = by_index.get(posting["_index"], [[] for _ in fields])
        encoded = []
        for field_no, pairs in enumerate(per_field):
            pairs.sort()
            # The inverted index and the field vectors must agree, or scores would differ.
            assert [str(ref) for ref, _ in pairs] == sorted(posting[fields[field_no]], key=int), term
            flat, previous = [], 0
            for ref, weight in pairs:
                flat += [ref - previous, weight]
                previous = ref
            encoded.append(flat)
        terms.append([term, posting["_index"], encoded])
    return terms


def _json(value) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def cut_shards(terms: list[list], limit: int = SHARD_BYTES) -> list[list[list]]:
    """Contiguous runs of sorted terms, each up to `limit` bytes of JSON."""
    shards: list[list[list]] = [[]]
    size = 0
    for term in terms:
        term_size = len(_json(term).encode("utf-8")) + 1
        if shards[-1] and size + term_size > limit:
            shards.append([])
            size = 0
        shards[-1].append(term)
        size += term_size
    return shards if shards[0] else []


def _card(site, record) -> dict:
    """What a result card shows: what the listing cards show, with the phase and the date."""
    data = record.data
    facts = site.card_facts(record)
    phase = site.phases(record)
    if all(label != "Phase" for label, _ in facts) and phase and not phase.lower().startswith("not stated"):
        facts.append(("Phase", phase))
    facts.append(("Updated", data["dates"]["updated"]))
    card = {
        "url": page_url(site.uri(record)),
        "title": plain(data["title"]),
        "summary": plain(data["summary"]),
        "facts": facts,
    }
    card["type"] = site.kind_label(record)
    card["year"] = record.evidence_year
    strength, design = site.strength(record), site.strength_design(record)
    card["strength"] = [strength, site.label("study-designs", design) if design else "No claim of impact"]
    card["checked"] = [site.checked(record), site.label("rating-levels", site.checked(record))]
    headline = site.headline(record)
    if headline:
        card["figure"] = [headline["value"], headline["measures"]]
    elif "impact" in data:
        card["figure"] = None  # a practice with no outcome measured says so
    return card


def lunr_js() -> bytes:
    """lunr.js 2.3.9 (MIT licence, its header kept), the version lunr.py targets."""
    return LUNR_JS.read_bytes()


def lunr_js_version(source: bytes) -> str:
    """The version in lunr.js's header comment."""
    match = re.search(rb"lunr - http://lunrjs\.com - .* - (\d+\.\d+\.\d+)", source[:400])
    return match.group(1).decode("ascii") if match else ""


def _uint16(numbers: list[int]) -> str:
    """Whole numbers up to 65,535, two bytes each (little-endian), base64-encoded."""
    return base64.b64encode(struct.pack(f"<{len(numbers)}H", *numbers)).decode("ascii")


def _strongest_first(site, all_records: list) -> str:
    """Each record's place when sorted strongest evidence first, then the most outside
    checking (exemplars and evidence together): the finder's "strongest evidence" sort."""
    order = sorted(range(len(all_records)), key=lambda n: all_records[n].evidence_order(site.vocab))
    places = [0] * len(all_records)
    for place, n in enumerate(order):
        places[n] = min(place, 0xFFFF)
    return _uint16(places)


def _days(dates: list[str]) -> str:
    """Dates as days since 2000, two bytes each (little-endian), base64-encoded: enough
    to sort by date in the page, in a third of the bytes of a list of numbers."""
    days = [(datetime.date.fromisoformat(d) - datetime.date(2000, 1, 1)).days for d in dates]
    return _uint16([min(max(d, 0), 0xFFFF) for d in days])


def data_files(site, index: tuple[dict, list[str]] | None = None) -> dict[str, str | bytes]:
    """Every file the finder page loads, by its path in the site. `index` is what
    index_shards() returns, when it has been built already."""
    all_records = records(site)
    index_entry, shards = index or index_shards(index_documents(site, all_records))
    files: dict[str, str | bytes] = {f"{DATA_DIR}/lunr.js": lunr_js()}
    for n, record in enumerate(all_records):
        files[f"{DATA_DIR}/cards/{n}.json"] = _json(_card(site, record))
    for n, shard in enumerate(shards):
        files[f"{DATA_DIR}/index/{n}.json"] = shard

    manifest = {
        "records": len(all_records),
        "facets": {
            facet.id: {
                value.id: _bitset([value.id in FACET_SOURCES[facet.id][1](r) for r in all_records])
                for value in facet.values
            }
            for facet in facets(site)
        },
        "strongest": _strongest_first(site, all_records),
        "updated": _days([r.data["dates"]["updated"] for r in all_records]),
        "index": index_entry,
        "separator": SEPARATOR,
        "synonyms": synonyms(site.vocab).single_word_stems(),
    }
    # Data files change together; their content hash lets the page ask for this build's
    # files rather than ones a browser cached from an earlier build.
    digest = hashlib.sha256()
    for path in sorted(files):
        content = files[path]
        digest.update(path.encode("utf-8") + (content if isinstance(content, bytes) else content.encode("utf-8")))
    manifest["build"] = digest.hexdigest()[:12]
    files[f"{DATA_DIR}/facets.json"] = _json(manifest)
    return files

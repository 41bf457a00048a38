"""What pages and data files know about the site: generated files, URLs, and the corpus
as templates ask for it (labels, links between records, listings).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from .glossary import VOCABULARY, Glossary
from .markup import plain
from .model import RECORD_CLASSES, REFERENCE_FIELDS, Corpus, Kind, Record

# The outcome frameworks: URL folder -> vocabulary id.
FRAMEWORKS = {"every-child-matters": "ecm-outcomes", "shanarri": "shanarri"}
FRAMEWORK_FIELD = {"ecm-outcomes": "ecm", "shanarri": "shanarri"}
FEATURED_COUNT = 3
# The most cards a listing, theme or outcome page shows, strongest evidence first; the rest
# are a link away in the finder. Keeps every page small at any number of records.
LISTING_CAP = 50
# Evidence older than this many years carries a notice that policy and practice may have
# changed since. Counted from the newest record date, not the clock, so builds repeat.
OLD_EVIDENCE_YEARS = 10
STRENGTH_STEPS = 4  # the strength scale runs from 0 to this (study-designs.yaml)
SITE_NAME = "What works for schools and families"
EDITORS = "What Works editors"  # the corporate author of every page, as in exemplars' rated_by
# The licence of the content (records, pages, downloads); the code is MIT (pyproject.toml).
LICENCE = {
    "id": "CC-BY-4.0",
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}


@dataclass(frozen=True)
class GeneratedFile:
    src_uri: str  # path in the docs folder, e.g. "exemplars/warrington-family-support-model/index.md"
    content: str | bytes  # Markdown for pages; any text or bytes for data files
    source: str | None = None  # repository path of the file to edit for this page, if any


def page(name: str) -> str:
    """The docs path of a generated page: "compare" -> "compare/index.md".

    Every generated page is an index.md in a folder of its own, so that its folder is
    also its address: a link in the page's raw HTML then means the same whether an engine
    reads it relative to the page's address (MkDocs) or to its Markdown file (Zensical)."""
    return f"{name}/index.md"


def page_url(src_uri: str) -> str:
    """The site URL of a docs path with MkDocs' use_directory_urls: a/b.md -> a/b/."""
    stem = src_uri.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def relative_url(target_uri: str, from_uri: str) -> str:
    """A link from one page to another (or to a file) that works under any site prefix."""
    target = page_url(target_uri) if target_uri.endswith(".md") else target_uri
    base = page_url(from_uri)
    # Site paths have no "." or ".." parts, so the link is: up out of what the two paths do
    # not share, then down into the target. (posixpath.relpath asks for the working folder
    # on every call, which made it a tenth of the time spent making pages.)
    base_parts, target_parts = base.split("/")[:-1], target.split("/")
    shared = 0
    while shared < min(len(base_parts), len(target_parts) - 1) and base_parts[shared] == target_parts[shared]:
        shared += 1
    link = "../" * (len(base_parts) - shared) + "/".join(target_parts[shared:])
    return link or "./"


class Site:
    """What templates ask of the corpus: labels, links between records, listings."""

    def __init__(self, corpus: Corpus, site_url: str):
        self.corpus = corpus
        self.vocab = corpus.vocabularies
        self.url = site_url.rstrip("/") + "/"  # the published site's address, for feeds, data and citations

    def absolute(self, src_uri: str) -> str:
        """The full published address of a page (a .md docs path) or of a data file."""
        return self.url + (page_url(src_uri) if src_uri.endswith(".md") else src_uri)

    @cached_property
    def glossary(self) -> Glossary:
        return Glossary(self.vocab.get(VOCABULARY))

    def label(self, vocabulary: str, term: str) -> str:
        return self.vocab[vocabulary].label(term)

    # Listings are sorted once: every record page asks for its linked records, and sorting
    # the whole corpus for each of them made the build grow with the square of N.

    @cached_property
    def _listings(self) -> dict[str, tuple[Record, ...]]:
        return {
            name: tuple(cls.listing_order(list(self.corpus.records[name].values()), self.vocab))
            for name, cls in RECORD_CLASSES.items()
        }

    @cached_property
    def _listing_position(self) -> dict[str, int]:
        """Each record's place in its kind's listing."""
        return {r.id: n for records in self._listings.values() for n, r in enumerate(records)}

    @cached_property
    def _named_by(self) -> dict[tuple[str, str], set[str]]:
        """(link field, record id) -> ids of the records whose link field names that record."""
        index: dict[tuple[str, str], set[str]] = defaultdict(set)
        for records in (self.corpus.exemplars, self.corpus.evidence):
            for record in records.values():
                for field in REFERENCE_FIELDS:
                    for target in record.data.get(field, []):
                        index[(field, target)].add(record.id)
        return index

    def _linked(self, record: Record, field: str, backlink_field: str, targets: dict[str, Record]) -> list[Record]:
        """Records `record` names in `field`, and records naming it in `backlink_field`, in listing order."""
        ids = set(record.data.get(field, [])) | self._named_by.get((backlink_field, record.id), set())
        return sorted(
            (targets[i] for i in ids if i in targets and i != record.id), key=lambda r: self._listing_position[r.id]
        )

    def listing(self, kind: Kind | str) -> list[Record]:
        """A kind's records in its listing order (see each Record class's listing_order)."""
        return list(self._listings[kind if isinstance(kind, str) else kind.name])

    def exemplars(self) -> list[Record]:
        return self.listing("exemplar")

    def evidence(self) -> list[Record]:
        return self.listing("evidence")

    def uri(self, record: Record) -> str:
        return record.uri

    def place(self, record: Record) -> str:
        return ", ".join(plain(p) for p in record.place_parts(self.vocab) if p)

    def phases(self, record: Record) -> str:
        return ", ".join(self.label("phases", p) for p in record.data.get("phases", []))

    def card_facts(self, record: Record) -> list[tuple[str, str]]:
        """Labelled facts for a card, leaving out what the source does not state."""
        return [
            (label, plain(value))
            for label, value in record.card_facts(self.vocab)
            if value and not value.lower().startswith(("not stated", "not reported"))
        ]

    def headline(self, record: Record) -> dict | None:
        """The figure that shows what changed: the one marked as headline, else the first outcome."""
        marked = next((f for f in record.figures if f.get("headline")), None)
        return marked or next((f for f in record.figures if f["kind"] == "outcome"), None)

    # The two evidence signals, kept apart: how strong the evidence is, and who checked it.

    def strength(self, record: Record) -> int | None:
        return record.strength(self.vocab)

    def strength_design(self, record: Record) -> str | None:
        """The study design that sets the record's strength: its strongest."""
        return record.strongest_design(self.vocab)

    def checked(self, record: Record) -> str:
        """Who checked it, as a rating-levels term; a record without a rating is not rated."""
        return record.rating_level or "not-rated"

    @staticmethod
    def card_shares(*listings: list[Record]) -> list[int]:
        """How many cards of each listing one page shows: all, if together they fit in
        LISTING_CAP; otherwise the cap shared out evenly, what a short listing leaves going to the others."""
        shares = [0] * len(listings)
        left = LISTING_CAP
        by_size = sorted(range(len(listings)), key=lambda i: len(listings[i]))
        for done, i in enumerate(by_size):
            shares[i] = min(len(listings[i]), left // (len(by_size) - done))
            left -= shares[i]
        return shares

    def strongest_first(self, records: list[Record]) -> list[Record]:
        """Strongest evidence first, then the most outside checking; otherwise as given."""
        return sorted(records, key=lambda r: r.evidence_order(self.vocab))

    @cached_property
    def content_year(self) -> int:
        """The year of the newest record date: "now", for the age of evidence."""
        return int(self.corpus.newest_update()[:4])

    @staticmethod
    def first_sentence(text: str) -> str:
        match = re.match(r"\s*(.+?[.!?])(\s|$)", text, re.S)
        return " ".join((match.group(1) if match else text).split())

    def evidence_is_old(self, record: Record) -> bool:
        year = record.evidence_year
        return year is not None and self.content_year - year > OLD_EVIDENCE_YEARS

    def source(self, record: Record, source_id: str) -> dict:
        return next(s for s in record.data["sources"] if s["id"] == source_id)

    def source_number(self, record: Record, source_id: str) -> int:
        """Position of a source in the record's numbered Sources list."""
        return 1 + [s["id"] for s in record.data["sources"]].index(source_id)

    def evidence_for(self, exemplar: Record) -> list[Record]:
        """Evidence the exemplar names, and evidence that names the exemplar."""
        return self._linked(exemplar, "related_evidence", "exemplars", self.corpus.evidence)

    def exemplars_for(self, evidence: Record) -> list[Record]:
        return self._linked(evidence, "exemplars", "related_evidence", self.corpus.exemplars)

    def related_exemplars(self, exemplar: Record) -> list[Record]:
        return self._linked(exemplar, "related_exemplars", "related_exemplars", self.corpus.exemplars)

    @cached_property
    def _tagged(self) -> dict[tuple[str, str], tuple[list[Record], list[Record]]]:
        """(vocabulary, term) -> exemplars and evidence tagged with it, found in one pass:
        home, the theme and outcome indexes and each term's page all ask."""
        index: dict[tuple[str, str], tuple[list[Record], list[Record]]] = defaultdict(lambda: ([], []))
        for side, records in enumerate((self.exemplars(), self.strongest_first(self.evidence()))):
            for record in records:
                for term in record.data["themes"]:
                    index[("themes", term)][side].append(record)
                for vocabulary, field in FRAMEWORK_FIELD.items():
                    for term in record.data["outcomes"].get(field, []):
                        index[(vocabulary, term)][side].append(record)
        return index

    def tagged(self, vocabulary: str, term: str) -> tuple[list[Record], list[Record]]:
        """Exemplars (in listing order) and evidence (strongest first) tagged with a theme or an outcome term."""
        exemplars, evidence = self._tagged.get((vocabulary, term), ([], []))
        return list(exemplars), list(evidence)

    def count_by_strength_design(self, design: str) -> int:
        """Exemplars whose strength is set by this design."""
        return sum(1 for r in self.corpus.exemplars.values() if self.strength_design(r) == design)

    def worked_example(self) -> tuple[Record, Record] | None:
        """Two exemplars that show the signals apart: the one with the strongest evidence,
        and a validated one with weaker evidence (the one that gives the most figures)."""
        exemplars = self.exemplars()
        top = self.strength(exemplars[0]) if exemplars else None
        if top is None:
            return None
        strong = exemplars[0]
        weaker = [r for r in exemplars if r.rating_level == "validated" and (self.strength(r) or 0) < top]
        if strong.rating_level == "validated" or not weaker:
            return None
        return strong, max(weaker, key=lambda r: len(r.figures))

    def count_by_level(self, level: str) -> int:
        return sum(1 for r in self.corpus.exemplars.values() if r.data["evidence_rating"]["level"] == level)

    @staticmethod
    def term_uri(vocabulary: str, term: str) -> str:
        if vocabulary == "themes":
            return page(f"themes/{term}")
        folder = next(folder for folder, v in FRAMEWORKS.items() if v == vocabulary)
        return page(f"outcomes/{folder}/{term}")

    def shanarri_for(self, ecm_term: str) -> list[str]:
        """The crosswalk read backwards: SHANARRI indicators mapped to an ECM outcome."""
        return [t for t, term in self.vocab["shanarri"].terms.items() if ecm_term in term.get("ecm", [])]

    def featured(self) -> list[Record]:
        return self.exemplars()[:FEATURED_COUNT]

    # Session packs

    def packs(self) -> list[Record]:
        return self.listing("pack")

    def pack_records(self, pack: Record) -> list[Record]:
        """The exemplars and evidence a pack uses, in the pack's order."""
        return [self.corpus.records[item["kind"]][item["id"]] for item in pack.data["records"]]

    def pack_note(self, pack: Record, record: Record) -> str | None:
        return next((item.get("note") for item in pack.data["records"] if item["id"] == record.id), None)

    def running_order(self, pack: Record) -> list[tuple[dict, int, int]]:
        """Each activity with the minute it starts and ends, counted from the start of the session."""
        order, start = [], 0
        for activity in pack.data["activities"]:
            order.append((activity, start, start + activity["minutes"]))
            start += activity["minutes"]
        return order

    def record_by_id(self, record_id: str) -> Record:
        return self.corpus.exemplars.get(record_id) or self.corpus.evidence[record_id]

    def packs_using(self, record: Record) -> list[Record]:
        return [p for p in self.packs() if any(item["id"] == record.id for item in p.data["records"])]

    def neighbours(self, record: Record) -> set[str]:
        """Ids of the records whose pages show this one: those it names (which list it back),
        those that name it, and the packs that use it."""
        named = {target for _, _, target in record.references() if isinstance(target, str)}
        naming = {i for field in REFERENCE_FIELDS for i in self._named_by.get((field, record.id), ())}
        return named | naming | {p.id for p in self.packs_using(record)}

    def packs_tagged(self, term: str) -> list[Record]:
        return [p for p in self.packs() if term in p.data["themes"]]

    def kind_label(self, record: Record) -> str:
        return record.type_label(self.vocab)


def clock(minutes: int) -> str:
    """Minutes from the start of a session as h:mm, the way a running order is written."""
    return f"{minutes // 60}:{minutes % 60:02d}"

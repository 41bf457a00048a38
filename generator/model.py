"""The data model: the kinds of record, a record of each kind, and the corpus of valid records.

Each kind is a Record subclass that carries its own facts (a frozen Kind) and answers, in
its own way, the questions the rest of the generator asks of any record: where it is,
what type it is, what it refers to. So a new kind means a class here, a schema and a
template, and no `if kind == ...` anywhere else.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from .load import Document
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from .schemas import SchemaSet

PLACEHOLDER = "TODO"  # what `python -m generator new` writes where a value is still needed

# A record path, as parts: ("impact", "figures", 0, "source").
Parts = tuple[str | int, ...]


@dataclass(frozen=True)
class Kind:
    """What is fixed for every record of one kind."""

    name: str  # "exemplar": its schema (schemas/<name>.schema.json), the word `new` and packs use
    folder: str  # "exemplars": its folder under content/, its URL section and its data file
    noun: str  # "exemplar": one record, in messages
    label: str  # "Practice exemplar": a record's type on cards and pages
    title: str  # "Practice exemplars": the collection, on listings and in the data files
    description: str  # the collection in a sentence, for the data files
    template: str  # the record page's template in generator/templates/
    listing_template: str  # the template of the kind's index page

    @property
    def schema_file(self) -> str:
        return f"{self.name}.schema.json"


# What a reference in one record may point at: field name -> the kind of its targets.
REFERENCE_FIELDS = {"related_evidence": "evidence", "related_exemplars": "exemplar", "exemplars": "exemplar"}


class Record:
    """One valid-YAML record file. Subclasses answer for their kind; these are the defaults."""

    kind: ClassVar[Kind]
    # What the checks across records read: all that is kept of a record failing its schema.
    cross_record_fields: ClassVar[frozenset[str]] = frozenset({"id", "former_ids", *REFERENCE_FIELDS})

    def __init__(self, doc: Document, schema_valid: bool = True):
        self.doc = doc
        self.schema_valid = schema_valid

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.doc.path.name}>"

    @property
    def data(self) -> dict:
        return self.doc.data  # type: ignore[return-value]  # check_project keeps only mappings

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def uri(self) -> str:
        return self.uri_of(self.id)

    @classmethod
    def uri_of(cls, record_id: str) -> str:
        """A record's page in the docs folder: an index.md in a folder of its own (see site.page)."""
        return f"{cls.kind.folder}/{record_id}/index.md"

    def pages(self) -> list[tuple[str, str]]:
        """The record's pages: (template, docs path)."""
        return self.pages_of(self.id)

    @classmethod
    def pages_of(cls, record_id: str) -> list[tuple[str, str]]:
        """The pages of the record with this id, known from its file name before it is read.
        Most kinds have one; a pack has three."""
        return [(cls.kind.template, cls.uri_of(record_id))]

    @property
    def source_file(self) -> str:
        """The file to edit for this record, from the repository root."""
        return self.source_of(self.id)

    @classmethod
    def source_of(cls, record_id: str) -> str:
        return f"content/{cls.kind.folder}/{record_id}.yaml"

    @staticmethod
    def listing_order(records: list[Record], vocabularies: dict[str, Vocabulary]) -> list[Record]:
        return sorted(records, key=lambda r: r.data["title"].lower())

    def type_label(self, vocabularies: dict[str, Vocabulary]) -> str:
        return self.kind.label

    @property
    def type_term(self) -> str:
        """The record's value in the finder's "Record type" facet."""
        return self.kind.name

    @classmethod
    def type_terms(cls, vocabularies: dict[str, Vocabulary]) -> list[str]:
        """Every value a record of this kind may have in the finder's "Record type" facet."""
        return [cls.kind.name]

    @property
    def rating_level(self) -> str | None:
        """Who checked the evidence (a rating-levels term), for kinds that carry a rating."""
        return None

    @property
    def study_designs(self) -> list[str]:
        """The designs of the studies behind the record's claims (study-designs terms)."""
        return []

    def strongest_design(self, vocabularies: dict[str, Vocabulary]) -> str | None:
        """The strongest design behind the record's claims; None where none makes a claim of impact."""
        designs = vocabularies["study-designs"].terms
        rated = [d for d in self.study_designs if "strength" in designs[d]]
        return max(rated, key=lambda d: designs[d]["strength"], default=None)

    def strength(self, vocabularies: dict[str, Vocabulary]) -> int | None:
        """How strong the evidence is, 0 to 4: that of the strongest design behind the record's claims."""
        design = self.strongest_design(vocabularies)
        return None if design is None else vocabularies["study-designs"].terms[design]["strength"]

    def evidence_order(self, vocabularies: dict[str, Vocabulary]) -> tuple[int, int]:
        """Strongest evidence first, then the most outside checking: a sort key."""
        strength = self.strength(vocabularies)
        level = vocabularies["rating-levels"].terms.get(self.rating_level or "not-rated", {})
        return (1 if strength is None else -strength, level.get("rank", 99))  # no claim of impact: last

    @property
    def evidence_year(self) -> int | None:
        """The year of the newest evidence behind the record, where the record gives it."""
        return None

    @property
    def countries(self) -> list[str]:
        return self.data.get("countries", [])

    def place_parts(self, vocabularies: dict[str, Vocabulary]) -> list[str | None]:
        """Where, from the most local part to the country; None for a part not given."""
        return [vocabularies["countries"].label(c) for c in self.countries]

    def card_facts(self, vocabularies: dict[str, Vocabulary]) -> list[tuple[str, str]]:
        """Labelled facts for a card, before those the source does not state are left out."""
        return []

    @property
    def organisation_names(self) -> list[str]:
        return []

    @property
    def contributor(self) -> dict | None:
        """Who contributed the record (name, and organisation or role if given), if not the editors."""
        return self.data.get("contributed_by")

    @property
    def body(self) -> str:
        """The main text the finder searches."""
        return ""

    @property
    def figures(self) -> list[dict]:
        return self.data.get("impact", {}).get("figures", [])

    def references(self) -> Iterator[tuple[Parts, str, object]]:
        """Every place the record names another record: (path, kind name of the target, target id)."""
        for field_name, target_kind in REFERENCE_FIELDS.items():
            targets = self.data.get(field_name)
            if isinstance(targets, list):
                yield from (((field_name, index), target_kind, target) for index, target in enumerate(targets))

    def source_refs(self) -> Iterator[tuple[Parts, str]]:
        """Every place the record names one of its own `sources`: (path, source id)."""
        return iter(())


class Exemplar(Record):
    kind = Kind(
        name="exemplar",
        folder="exemplars",
        noun="exemplar",
        label="Practice exemplar",
        title="Practice exemplars",
        description="Real local projects where schools, families and services worked together.",
        template="exemplar.md.j2",
        listing_template="exemplar_index.md.j2",
    )

    @staticmethod
    def listing_order(records: list[Record], vocabularies: dict[str, Vocabulary]) -> list[Record]:
        return sorted(records, key=lambda r: (*r.evidence_order(vocabularies), r.data["title"].lower()))

    @property
    def rating_level(self) -> str | None:
        return self.data["evidence_rating"]["level"]

    @property
    def study_designs(self) -> list[str]:
        return self.data["evidence_rating"]["study_designs"]

    @property
    def evidence_year(self) -> int | None:
        """As the rating states it, or else the latest year of the period or of a source."""
        stated = self.data["evidence_rating"].get("evidence_year")
        if stated is not None:
            return stated
        period = self.data["period"]
        dates = [period.get("end"), period.get("start"), *(s.get("date") for s in self.data["sources"])]
        return max((int(d[:4]) for d in dates if d), default=None)

    @property
    def countries(self) -> list[str]:
        return [self.data["place"]["country"]]

    def place_parts(self, vocabularies: dict[str, Vocabulary]) -> list[str | None]:
        place = self.data["place"]
        return [place.get("setting"), place["area"], vocabularies["countries"].label(place["country"])]

    def card_facts(self, vocabularies: dict[str, Vocabulary]) -> list[tuple[str, str]]:
        phases = ", ".join(vocabularies["phases"].label(p) for p in self.data.get("phases", []))
        return [
            ("Where", _joined(self.place_parts(vocabularies))),
            ("When", self.data["period"]["as_stated"]),
            ("Phase", phases),
        ]

    @property
    def organisation_names(self) -> list[str]:
        return [o["name"] for o in self.data["organisations"]]

    @property
    def questions_by(self) -> str:
        """Who wrote the reflective questions: contributor, editors or source."""
        questions = self.data["reflective_questions"]
        return questions.get("written_by") or ("source" if questions.get("quoted_from") else "editors")

    @property
    def body(self) -> str:
        # What the page says the practice was, why, what changed, what it takes and what was
        # learned: a word the page uses about these is one the finder finds it by.
        data = self.data
        impact = data.get("impact", {})
        parts = [data["what_was_done"], data.get("why", ""), impact.get("narrative", "")]
        parts += [figure["measures"] for figure in impact.get("figures", [])]
        takes = data.get("what_it_takes", {})
        parts += [role["role"] for role in takes.get("staff", [])]
        parts += [takes.get(name, "") for name in ("training", "set_up", "partners", "governance", "referral")]
        parts += list(takes.get("funding", {}).values())
        parts += [f"{m['name']}: {m['what_it_measures']}" for m in takes.get("measures", [])]
        return "\n\n".join(part for part in parts + data.get("lessons", []) if part)

    def source_refs(self) -> Iterator[tuple[Parts, str]]:
        data = self.data
        sources_of = {
            ("reach", "source"): data.get("reach", {}).get("source"),
            ("cost", "source"): data.get("cost", {}).get("source"),
            ("evidence_rating", "basis"): data.get("evidence_rating", {}).get("basis"),
            ("reflective_questions", "quoted_from"): data.get("reflective_questions", {}).get("quoted_from"),
        }
        yield from ((path, ref) for path, ref in sources_of.items() if ref is not None)
        for index, figure in enumerate(self.figures):
            yield ("impact", "figures", index, "source"), figure["source"]
        for index, quotation in enumerate(data.get("quotations", [])):
            yield ("quotations", index, "source"), quotation["source"]
        takes = data.get("what_it_takes", {})
        if "source" in takes:
            yield ("what_it_takes", "source"), takes["source"]
        for listed in ("staff", "measures"):
            for index, item in enumerate(takes.get(listed, [])):
                if "source" in item:
                    yield ("what_it_takes", listed, index, "source"), item["source"]
                for n, change in enumerate(item.get("changes", [])):
                    if "source" in change:
                        yield ("what_it_takes", listed, index, "changes", n, "source"), change["source"]


class Evidence(Record):
    kind = Kind(
        name="evidence",
        folder="evidence",
        noun="evidence record",
        label="Evidence summary",
        title="Evidence summaries",
        description="Research briefs, reviews, surveys, evaluations and guidance, with their key findings.",
        template="evidence.md.j2",
        listing_template="evidence_index.md.j2",
    )

    @staticmethod
    def listing_order(records: list[Record], vocabularies: dict[str, Vocabulary]) -> list[Record]:
        by_title = sorted(records, key=lambda r: r.data["title"].lower())
        return sorted(by_title, key=lambda r: r.data["date"], reverse=True)

    def type_label(self, vocabularies: dict[str, Vocabulary]) -> str:
        return vocabularies["evidence-types"].label(self.data["type"])

    @property
    def type_term(self) -> str:
        return self.data["type"]

    @classmethod
    def type_terms(cls, vocabularies: dict[str, Vocabulary]) -> list[str]:
        return list(vocabularies["evidence-types"].terms)

    @property
    def study_designs(self) -> list[str]:
        return [self.data["study_design"]] if "study_design" in self.data else []

    @property
    def evidence_year(self) -> int | None:
        return int(self.data["date"][:4])

    def card_facts(self, vocabularies: dict[str, Vocabulary]) -> list[tuple[str, str]]:
        return [
            ("Published by", self.data["publisher"]),
            ("Date", self.data["date"]),
            ("Where", _joined(self.place_parts(vocabularies))),
        ]

    @property
    def organisation_names(self) -> list[str]:
        return [self.data["publisher"], *self.data.get("authors", [])]

    @property
    def body(self) -> str:
        return " ".join(self.data["key_findings"])


class Pack(Record):
    kind = Kind(
        name="pack",
        folder="packs",
        noun="session pack",
        label="Session pack",
        title="Session packs",
        description="Ready-made staff development sessions built from the exemplars and evidence.",
        template="pack.md.j2",
        listing_template="pack_index.md.j2",
    )
    cross_record_fields = Record.cross_record_fields | {"records"}

    @classmethod
    def pages_of(cls, record_id: str) -> list[tuple[str, str]]:
        """The session plan (the facilitator's print), the participants' handout and present mode."""
        folder = f"{cls.kind.folder}/{record_id}"
        handout = ("pack_handout.md.j2", f"{folder}/handout/index.md")
        return [*super().pages_of(record_id), handout, ("pack_present.md.j2", f"{folder}/present/index.md")]

    @property
    def handout_uri(self) -> str:
        return self.pages()[1][1]

    @property
    def present_uri(self) -> str:
        return self.pages()[2][1]

    def references(self) -> Iterator[tuple[Parts, str, object]]:
        yield from super().references()
        if isinstance(self.data.get("records"), list):
            for index, item in enumerate(self.data["records"]):
                if isinstance(item, dict) and item.get("kind") in KINDS:
                    yield ("records", index, "id"), item["kind"], item.get("id")

    def source_refs(self) -> Iterator[tuple[Parts, str]]:
        for index, activity in enumerate(self.data["activities"]):
            if "quotation" in activity:
                yield ("activities", index, "quotation", "source"), activity["quotation"]["source"]


def _joined(parts: list[str | None]) -> str:
    return ", ".join(p for p in parts if p)


# The registry: every kind of record, by name, in the order pages and data list them.
RECORD_CLASSES: dict[str, type[Record]] = {cls.kind.name: cls for cls in (Exemplar, Evidence, Pack)}
KINDS: dict[str, Kind] = {name: cls.kind for name, cls in RECORD_CLASSES.items()}
KIND_BY_FOLDER: dict[str, Kind] = {kind.folder: kind for kind in KINDS.values()}


RECORD_SUFFIXES = (".yaml", ".yml")  # .yml is found, to be told to rename itself


class Misplaced(Exception):
    """A YAML file where no record may be; the message says where records go."""


def record_files(content: Path) -> list[Path]:
    """Every YAML file under content/, however deep, so that one in the wrong place is
    reported rather than skipped. Folders reached through links are not entered."""
    if not content.is_dir():
        return []
    return sorted(
        p for p in content.rglob("*") if p.suffix in RECORD_SUFFIXES and not (p.is_dir() and not p.is_symlink())
    )


def kind_of(path: Path, content: Path) -> Kind:
    """The kind of a record file, from its folder: a kind's folder directly under content/
    (nowhere deeper, or a folder named evidence inside exemplars would make evidence), or,
    for a file outside content/ such as a test fixture, any folder of a kind's name."""
    try:
        inside = _real_folder(path.parent).relative_to(_real_folder(content)).parts
    except ValueError:  # outside content/
        if path.parent.name in KIND_BY_FOLDER:
            return KIND_BY_FOLDER[path.parent.name]
        folders = _either([kind.folder for kind in KINDS.values()])
        raise Misplaced(f"cannot tell the record type: put the file in a folder named {folders}") from None
    if len(inside) == 1 and inside[0] in KIND_BY_FOLDER:
        return KIND_BY_FOLDER[inside[0]]
    where = _either([f"content/{kind.folder}/" for kind in KINDS.values()])
    deeper = ", not in folders inside them" if inside and inside[0] in KIND_BY_FOLDER else ""
    raise Misplaced(f"records are read only directly in {where}{deeper}; move this file")


@functools.lru_cache(maxsize=256)
def _real_folder(folder: Path) -> Path:
    """A folder's real path: the same few folders hold every record, and resolving one path
    asks the file system about each of its parts (a second at 20,000 records)."""
    return folder.resolve()


def _either(words: list[str]) -> str:
    return ", ".join(words[:-1]) + f" or {words[-1]}"


def record_of(kind: Kind, doc: Document, schema_valid: bool = True) -> Record:
    return RECORD_CLASSES[kind.name](doc, schema_valid)


@dataclass
class Corpus:
    """The valid records, by kind name and id, with the schemas and vocabularies they follow."""

    root: Path
    schema_set: SchemaSet
    records: dict[str, dict[str, Record]] = field(default_factory=lambda: {name: {} for name in KINDS})

    @classmethod
    def of(cls, root: Path, schema_set: SchemaSet, records: list[Record]) -> Corpus:
        corpus = cls(root, schema_set)
        for record in records:
            corpus.records[record.kind.name][record.id] = record
        return corpus

    @property
    def vocabularies(self) -> dict[str, Vocabulary]:
        return self.schema_set.vocabularies

    @property
    def exemplars(self) -> dict[str, Record]:
        return self.records["exemplar"]

    @property
    def evidence(self) -> dict[str, Record]:
        return self.records["evidence"]

    @property
    def packs(self) -> dict[str, Record]:
        return self.records["pack"]

    def all_records(self) -> list[Record]:
        return [r for records in self.records.values() for r in records.values()]

    def newest_update(self) -> str:
        """The newest record date (YYYY-MM-DD): "now", as far as the content knows."""
        return max((r.data["dates"]["updated"] for r in self.all_records()), default="1970-01-01")

    def epoch(self) -> int:
        """The newest record date as a Unix time: a build date that depends on the content only."""
        newest = datetime.datetime.fromisoformat(self.newest_update())
        return int(newest.replace(tzinfo=datetime.UTC).timestamp())

"""Validate the content: every file, every error, each pointing at a line and column.

Order: YAML (load.py), then the JSON Schema, then checks across records that a
schema cannot express (ids and former ids, references, sources, dates, pack timings).
"""

from __future__ import annotations

import datetime
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from .load import Document, load_document
from .messages import describe, did_you_mean, field_title, named_path, quote, type_name
from .problems import Problem, display_path, json_path
from .progress import track
from .schemas import SchemaSet, Vocabulary, load_schema_set

MAX_ERRORS_PER_FILE = 50
PLACEHOLDER = "TODO"  # what `python -m generator new` writes where a value is still needed

# Folder name under content/ -> the schema its records follow.
RECORD_KINDS = {"exemplars": "exemplar", "evidence": "evidence", "packs": "pack"}
# What a reference in one record may point at: field name -> the folder of its targets.
REFERENCE_FIELDS = {"related_evidence": "evidence", "related_exemplars": "exemplars", "exemplars": "exemplars"}
# A pack names the kind of each record it uses in the singular.
PACK_RECORD_KINDS = {"exemplar": "exemplars", "evidence": "evidence"}
NOUNS = {"exemplars": "exemplar", "evidence": "evidence record", "packs": "session pack"}


@dataclass
class Record:
    kind: str  # "exemplars", "evidence" or "packs": the folder, and the URL section
    doc: Document
    schema_valid: bool = True

    @property
    def data(self) -> dict:
        return self.doc.data

    @property
    def id(self) -> str:
        return self.doc.data["id"]


@dataclass
class Corpus:
    root: Path
    schema_set: SchemaSet
    records: dict[str, dict[str, Record]] = field(default_factory=lambda: {kind: {} for kind in RECORD_KINDS})

    @property
    def vocabularies(self) -> dict[str, Vocabulary]:
        return self.schema_set.vocabularies

    @property
    def exemplars(self) -> dict[str, Record]:
        return self.records["exemplars"]

    @property
    def evidence(self) -> dict[str, Record]:
        return self.records["evidence"]

    @property
    def packs(self) -> dict[str, Record]:
        return self.records["packs"]


@dataclass
class Result:
    corpus: Corpus
    problems: list[Problem]
    files_checked: int

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return f"{self.files_checked} files checked: all valid"
        files = len({p.file for p in self.problems})
        return (f"{self.files_checked} files checked: {len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"
                f" in {files} file{'s' if files != 1 else ''}")


class UsageError(Exception):
    """A path the validator cannot use: the caller's mistake, not the content's."""




# Characters that change how text displays without being seen: bidirectional embeddings,
# overrides and isolates ("Trojan Source"), and C0/C1 controls other than tab and newline.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _strings(value, parts=()):
    if isinstance(value, str):
        yield parts, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, parts + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, parts + (index,))


def _check_text(doc: Document) -> tuple[list[Problem], set[tuple]]:
    """Problems with invisible characters, and the paths of values still the placeholder:
    one walk over the record's text for both."""
    problems, placeholders = [], set()
    for parts, text in _strings(doc.data):
        match = _INVISIBLE.search(text)
        if match:
            code = f"U+{ord(match.group()):04X}"
            problems.append(doc.problem(parts, f"contains the invisible control character {code} at character {match.start() + 1}; remove it"))
        if text.startswith(PLACEHOLDER):
            placeholders.add(parts)
    return problems, placeholders


def content_epoch(corpus: Corpus) -> int:
    """The newest record date as a Unix time: a build date that depends on the content only."""
    dates = [r.data["dates"]["updated"] for records in corpus.records.values() for r in records.values()]
    newest = max(dates, default="1970-01-01")
    return int(datetime.datetime.fromisoformat(newest).replace(tzinfo=datetime.timezone.utc).timestamp())


def doc_value(data, parts):
    for part in parts:
        data = data[part]
    return data


def _collect(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    return files


def check_project(root: Path, paths: list[Path] | None = None) -> Result:
    """Validate the vocabularies and every record under root/content.

    With `paths`, also load those files (which may lie outside content/, e.g. test
    fixtures) and report only their problems; references still resolve against the
    whole content, as they will on the site.
    """
    schema_set, problems = load_schema_set(root / "schemas", load_document)
    corpus = Corpus(root, schema_set)
    if problems:
        return Result(corpus, problems, 0)

    content = root / "content"
    files = {p.resolve(): p for p in _collect([content / kind for kind in RECORD_KINDS if (content / kind).is_dir()])}
    selected = None
    if paths:
        selected = {p.resolve() for p in _collect(paths)}
        files.update({p.resolve(): p for p in _collect(paths)})

    validators = {kind: schema_set.validator(schema) for kind, schema in RECORD_KINDS.items()}
    quick_checks = {kind: schema_set.quick_check(schema) for kind, schema in RECORD_KINDS.items()}
    loaded: list[Record] = []
    unreadable: list[tuple[str, str]] = []  # (kind, file stem) of files that are not valid YAML
    for resolved, path in track(sorted(files.items()), "Validating records"):
        kind = path.parent.name
        if kind not in RECORD_KINDS:
            folders = ", ".join(list(RECORD_KINDS)[:-1]) + f" or {list(RECORD_KINDS)[-1]}"
            problems.append(Problem(display_path(path), 1, 1, "$", f"cannot tell the record type: put the file in a folder named {folders}"))
            continue
        if path.suffix != ".yaml":
            problems.append(Problem(display_path(path), 1, 1, "$", f"record files end in .yaml; rename it to {path.stem}.yaml"))
            continue
        doc = load_document(path)
        problems.extend(doc.problems)
        if doc.problems:
            unreadable.append((kind, path.stem))
            continue
        if not isinstance(doc.data, dict):
            problems.append(doc.problem((), f"a record is a mapping of fields, not {type_name(doc.data)}"))
            continue
        root_schema = schema_set.schemas[RECORD_KINDS[kind]]
        invisible, placeholders = _check_text(doc)
        problems.extend(invisible)
        for parts in sorted(placeholders, key=lambda p: doc.position(p)):
            title = field_title(schema_set, root_schema, named_path(parts)) or json_path(parts)
            problems.append(doc.problem(parts, f"{title}: still the placeholder {quote(doc_value(doc.data, parts))}; replace it"))
        # Stop early: a file with this many errors needs fixing, not a longer list.
        errors = [] if quick_checks[kind](doc.data) else list(itertools.islice(validators[kind].iter_errors(doc.data), MAX_ERRORS_PER_FILE))
        for error in errors:
            if tuple(error.absolute_path) not in placeholders:  # already reported as a placeholder
                problems.extend(describe(error, doc, schema_set, root_schema))
        if len(errors) == MAX_ERRORS_PER_FILE:
            problems.append(doc.problem((), f"stopped after {MAX_ERRORS_PER_FILE} schema errors; fix these and validate again"))
        loaded.append(Record(kind, doc, schema_valid=not errors))

    problems.extend(_cross_record_checks(corpus, loaded, unreadable))
    if selected is not None:
        chosen = {display_path(p) for p in selected}
        problems = [p for p in problems if p.file in chosen]
    return Result(corpus, sorted(set(problems)), len(selected) if selected is not None else len(files))


def _cross_record_checks(corpus: Corpus, records: list[Record], unreadable: list[tuple[str, str]]) -> list[Problem]:
    problems: list[Problem] = []
    first_seen: dict[str, Record] = {}
    for record in records:
        doc = record.doc
        if not isinstance(record.data.get("id"), str):
            continue  # the schema has reported it
        if record.id != doc.path.stem:
            problems.append(doc.problem(("id",), f"the id {quote(record.id)} must equal the file name without .yaml ({quote(doc.path.stem)}); rename the file or change the id"))
        if record.id in first_seen:
            other = first_seen[record.id].doc
            problems.append(doc.problem(("id",), f"the id {quote(record.id)} is already used by {display_path(other.path)}; ids are unique across all records"))
            continue
        first_seen[record.id] = record

    # References may name a record with errors of its own: it exists, so that is no error here.
    # So may an unreadable file: its id should be its file name, and one error for it is enough.
    known = {kind: {r.id for r in first_seen.values() if r.kind == kind} for kind in RECORD_KINDS}
    for kind, stem in unreadable:
        known[kind].add(stem)
    former, former_problems = _check_former_ids(list(first_seen.values()), {i for ids in known.values() for i in ids})
    problems.extend(former_problems)
    for record in records:
        problems.extend(_check_references(known, former, record))
        if record.schema_valid:
            problems.extend(_check_sources(record))
            problems.extend(_check_dates(record))
            problems.extend(_check_pack(record))
    for record in first_seen.values():
        if record.schema_valid:
            corpus.records[record.kind][record.id] = record
    return problems


def _check_former_ids(records: list[Record], current: set[str]) -> tuple[dict[str, Record], list[Problem]]:
    """Each former id becomes a redirect page, so it must be free: no current id, no other record's."""
    problems: list[Problem] = []
    owners: dict[str, Record] = {}
    by_id = {r.id: r for r in records}
    for record in records:
        former_ids = record.data.get("former_ids")
        if not isinstance(former_ids, list):
            continue
        for index, former in enumerate(former_ids):
            if not isinstance(former, str):
                continue
            where = ("former_ids", index)
            if former == record.id:
                problems.append(record.doc.problem(where, f"'{former}' is this record's current id; list only ids it had before"))
            elif former in current:
                holder = display_path(by_id[former].doc.path) if former in by_id else f"a file named {former}.yaml"
                problems.append(record.doc.problem(where, f"'{former}' is the current id of {holder}; a former id must not be in use, or its redirect would hide that page"))
            elif former in owners:
                problems.append(record.doc.problem(where, f"'{former}' is already a former id of {display_path(owners[former].doc.path)}; an old address can redirect to one page only"))
            else:
                owners[former] = record
    return owners, problems


def _references(record: Record):
    """Every place a record names another record: (path, folder of the target, target id)."""
    for field_name, target_kind in REFERENCE_FIELDS.items():
        targets = record.data.get(field_name)
        if isinstance(targets, list):
            yield from (((field_name, index), target_kind, target) for index, target in enumerate(targets))
    if record.kind == "packs" and isinstance(record.data.get("records"), list):
        for index, item in enumerate(record.data["records"]):
            if isinstance(item, dict) and item.get("kind") in PACK_RECORD_KINDS:
                yield ("records", index, "id"), PACK_RECORD_KINDS[item["kind"]], item.get("id")


def _check_references(known: dict[str, set[str]], former: dict[str, Record], record: Record) -> list[Problem]:
    problems = []
    for path, target_kind, target in _references(record):
        if not isinstance(target, str):
            continue
        if target == record.data.get("id"):
            problems.append(record.doc.problem(path, "a record cannot refer to itself"))
        elif target not in known[target_kind]:
            noun = NOUNS[target_kind]
            other_kind = next((kind for kind, ids in known.items() if target in ids), None)
            if target in former and former[target].kind == target_kind:
                hint = f"; it was renamed: use its current id '{former[target].id}'"
            elif other_kind:
                hint = f"; '{target}' is {'an' if NOUNS[other_kind][0] in 'aeiou' else 'a'} {NOUNS[other_kind]}"
            else:
                hint = did_you_mean(target, sorted(known[target_kind]))
            problems.append(record.doc.problem(path, f"there is no {noun} with the id {quote(target)}{hint}"))
    return problems


def _source_refs(record: Record):
    """Every place a record names one of its own sources: (path, source id)."""
    data = record.data
    if record.kind == "packs":
        for index, activity in enumerate(data["activities"]):
            if "quotation" in activity:
                yield ("activities", index, "quotation", "source"), activity["quotation"]["source"]
        return
    sources_of = {
        ("reach", "source"): data.get("reach", {}).get("source"),
        ("cost", "source"): data.get("cost", {}).get("source"),
        ("evidence_rating", "basis"): data.get("evidence_rating", {}).get("basis"),
        ("reflective_questions", "quoted_from"): data.get("reflective_questions", {}).get("quoted_from"),
    }
    yield from ((path, ref) for path, ref in sources_of.items() if ref is not None)
    for index, figure in enumerate(data.get("impact", {}).get("figures", [])):
        yield ("impact", "figures", index, "source"), figure["source"]
    for index, quotation in enumerate(data.get("quotations", [])):
        yield ("quotations", index, "source"), quotation["source"]


def _check_sources(record: Record) -> list[Problem]:
    if record.kind == "evidence":
        return []  # an evidence record has one source and nothing that refers to it
    problems = []
    ids: list[str] = []
    for index, source in enumerate(record.data.get("sources", [])):
        if source["id"] in ids:
            problems.append(record.doc.problem(("sources", index, "id"), f"duplicate source id {quote(source['id'])}"))
        ids.append(source["id"])
    for path, ref in _source_refs(record):
        if ref not in ids:
            listed = f" Sources: {', '.join(ids)}" if ids else " This record lists no sources: add the document to `sources`."
            problems.append(record.doc.problem(path, f"{quote(ref)} is not the id of an entry in sources{did_you_mean(ref, ids) or '.'}{listed}"))
    if record.kind == "exemplars":
        headlines = [i for i, f in enumerate(record.data["impact"]["figures"]) if f.get("headline")]
        for index in headlines[1:]:
            problems.append(record.doc.problem(("impact", "figures", index, "headline"), "only one figure may be the headline"))
    return problems


def _check_pack(record: Record) -> list[Problem]:
    """A pack's own consistency: each record once, activities use only its records, timings add up."""
    if record.kind != "packs":
        return []
    problems = []
    data = record.data
    listed: list[str] = []
    for index, item in enumerate(data["records"]):
        if item["id"] in listed:
            problems.append(record.doc.problem(("records", index, "id"), f"'{item['id']}' is already in this pack's records; list each record once"))
        listed.append(item["id"])
    for index, activity in enumerate(data["activities"]):
        for position, used in enumerate(activity.get("uses", [])):
            if used not in listed:
                problems.append(record.doc.problem(("activities", index, "uses", position),
                                                   f"'{used}' is not one of this pack's records{did_you_mean(used, listed)} Add it to `records` first. Records: {', '.join(dict.fromkeys(listed))}"))
    minutes = [activity["minutes"] for activity in data["activities"]]
    if sum(minutes) != data["duration_minutes"]:
        sum_text = " + ".join(map(str, minutes)) + f" = {sum(minutes)}" if len(minutes) > 1 else str(sum(minutes))
        problems.append(record.doc.problem(("duration_minutes",),
                                           f"the activities take {sum_text} minutes, but the duration is {data['duration_minutes']}; make the timings add up"))
    return problems


def _check_dates(record: Record) -> list[Problem]:
    problems = []
    dates = record.data["dates"]
    if dates["updated"] < dates["published"]:
        problems.append(record.doc.problem(("dates", "updated"), f"updated ({dates['updated']}) is before published ({dates['published']})"))
    period = record.data.get("period", {})
    if "start" in period and "end" in period and period["end"] < period["start"]:
        problems.append(record.doc.problem(("period", "end"), f"the period ends ({period['end']}) before it starts ({period['start']})"))
    return problems

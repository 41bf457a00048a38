"""Validate the content: every file, every error, each pointing at a line and column.

Order: YAML (load.py), then the JSON Schema, then checks across records that a
schema cannot express (ids and former ids, references, sources, dates, pack timings).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from .load import Document, load_document
from .messages import describe, placeholder, quote, suggest, type_name
from .model import KIND_BY_FOLDER, KINDS, PLACEHOLDER, Corpus, Record, record_of
from .problems import Problem, display_path
from .progress import track
from .schemas import load_schema_set

MAX_ERRORS_PER_FILE = 50


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
        return (
            f"{self.files_checked} files checked: {len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"
            f" in {files} file{'s' if files != 1 else ''}"
        )


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
            problems.append(
                doc.problem(
                    parts,
                    f"contains the invisible control character {code} at character {match.start() + 1}; remove it",
                )
            )
        if text.startswith(PLACEHOLDER):
            placeholders.add(parts)
    return problems, placeholders


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
    if problems:
        return Result(Corpus(root, schema_set), problems, 0)

    content = root / "content"
    files = {
        p.resolve(): p for p in _collect([content / k.folder for k in KINDS.values() if (content / k.folder).is_dir()])
    }
    selected = None
    if paths:
        chosen = _collect(paths)
        selected = {p.resolve() for p in chosen}
        files.update({p.resolve(): p for p in chosen})

    checker = _RecordChecker(schema_set)
    loaded: list[Record] = []
    unreadable: list[tuple[str, str]] = []  # (kind name, file stem) of files that are not valid YAML
    for _, path in track(sorted(files.items()), "Validating records"):
        record, record_problems = checker.check(path)
        problems.extend(record_problems)
        if isinstance(record, Record):
            loaded.append(record)
        elif record is _UNREADABLE:
            unreadable.append((KIND_BY_FOLDER[path.parent.name].name, path.stem))

    unique, cross_problems = _cross_record_checks(loaded, unreadable)
    problems.extend(cross_problems)
    corpus = Corpus.of(root, schema_set, [r for r in unique if r.schema_valid])
    if selected is not None:
        shown = {display_path(p) for p in selected}
        problems = [p for p in problems if p.file in shown]
    return Result(corpus, sorted(set(problems)), len(selected) if selected is not None else len(files))


_UNREADABLE = object()


class _RecordChecker:
    """One record file on its own: where it is, its YAML, its text, then its schema."""

    def __init__(self, schema_set):
        self.schema_set = schema_set
        self.validators = {name: schema_set.validator(name) for name in KINDS}
        self.quick_checks = {name: schema_set.quick_check(name) for name in KINDS}

    def check(self, path: Path) -> tuple[Record | object | None, list[Problem]]:
        """The record, and its problems. Instead of a record: _UNREADABLE for a file that is
        not YAML, None for one that is not a record at all."""
        kind = KIND_BY_FOLDER.get(path.parent.name)
        if kind is None:
            folders = [k.folder for k in KINDS.values()]
            named = ", ".join(folders[:-1]) + f" or {folders[-1]}"
            return None, [
                Problem(
                    display_path(path),
                    1,
                    1,
                    "$",
                    f"cannot tell the record type: put the file in a folder named {named}",
                )
            ]
        if path.suffix != ".yaml":
            return None, [
                Problem(display_path(path), 1, 1, "$", f"record files end in .yaml; rename it to {path.stem}.yaml")
            ]
        doc = load_document(path)
        if doc.problems:
            return _UNREADABLE, doc.problems
        if not isinstance(doc.data, dict):
            return None, [doc.problem((), f"a record is a mapping of fields, not {type_name(doc.data)}")]
        problems, placeholders = _check_text(doc)
        root_schema = self.schema_set.schemas[kind.name]
        for parts in sorted(placeholders, key=lambda p: doc.position(p)):
            value = doc_value(doc.data, parts)
            problems.append(doc.problem(parts, placeholder(self.schema_set, root_schema, list(parts), value)))
        # Stop early: a file with this many errors needs fixing, not a longer list.
        errors = (
            []
            if self.quick_checks[kind.name](doc.data)
            else list(itertools.islice(self.validators[kind.name].iter_errors(doc.data), MAX_ERRORS_PER_FILE))
        )
        for error in errors:
            if tuple(error.absolute_path) not in placeholders:  # already reported as a placeholder
                problems.extend(describe(error, doc, self.schema_set, root_schema))
        if len(errors) == MAX_ERRORS_PER_FILE:
            problems.append(
                doc.problem((), f"stopped after {MAX_ERRORS_PER_FILE} schema errors; fix these and validate again")
            )
        return record_of(kind, doc, schema_valid=not errors), problems


def _cross_record_checks(
    records: list[Record], unreadable: list[tuple[str, str]]
) -> tuple[list[Record], list[Problem]]:
    """Checks across records and within a record that a schema cannot express. Returns the
    records with a unique id (the first of each), and the problems."""
    problems: list[Problem] = []
    first_seen: dict[str, Record] = {}
    for record in records:
        doc = record.doc
        if not isinstance(record.data.get("id"), str):
            continue  # the schema has reported it
        if record.id != doc.path.stem:
            problems.append(
                doc.problem(
                    ("id",),
                    f"the id {quote(record.id)} must equal the file name without .yaml ({quote(doc.path.stem)}); "
                    "rename the file or change the id",
                )
            )
        if record.id in first_seen:
            other = first_seen[record.id].doc
            problems.append(
                doc.problem(
                    ("id",),
                    f"the id {quote(record.id)} is already used by {display_path(other.path)}; "
                    "ids are unique across all records",
                )
            )
            continue
        first_seen[record.id] = record

    # References may name a record with errors of its own: it exists, so that is no error here.
    # So may an unreadable file: its id should be its file name, and one error for it is enough.
    known = {name: {r.id for r in first_seen.values() if r.kind.name == name} for name in KINDS}
    for kind_name, stem in unreadable:
        known[kind_name].add(stem)
    former, former_problems = _check_former_ids(list(first_seen.values()), {i for ids in known.values() for i in ids})
    problems.extend(former_problems)
    for record in records:
        problems.extend(_check_references(known, former, record))
        if record.schema_valid:
            problems.extend(_check_sources(record))
            problems.extend(_check_passages(record))
            problems.extend(_check_headline(record))
            problems.extend(_check_dates(record))
            problems.extend(_check_pack(record))
    return list(first_seen.values()), problems


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
                problems.append(
                    record.doc.problem(where, f"'{former}' is this record's current id; list only ids it had before")
                )
            elif former in current:
                holder = display_path(by_id[former].doc.path) if former in by_id else f"a file named {former}.yaml"
                problems.append(
                    record.doc.problem(
                        where,
                        f"'{former}' is the current id of {holder}; "
                        "a former id must not be in use, or its redirect would hide that page",
                    )
                )
            elif former in owners:
                problems.append(
                    record.doc.problem(
                        where,
                        f"'{former}' is already a former id of {display_path(owners[former].doc.path)}; "
                        "an old address can redirect to one page only",
                    )
                )
            else:
                owners[former] = record
    return owners, problems


def _check_references(known: dict[str, set[str]], former: dict[str, Record], record: Record) -> list[Problem]:
    problems = []
    for path, target_kind, target in record.references():
        if not isinstance(target, str):
            continue
        if target == record.data.get("id"):
            problems.append(record.doc.problem(path, "a record cannot refer to itself"))
        elif target not in known[target_kind]:
            noun = KINDS[target_kind].noun
            other_kind = next((kind for kind, ids in known.items() if target in ids), None)
            if target in former and former[target].kind.name == target_kind:
                hint = f"; it was renamed: use its current id '{former[target].id}'"
            elif other_kind:
                other_noun = KINDS[other_kind].noun
                hint = f"; '{target}' is {'an' if other_noun[0] in 'aeiou' else 'a'} {other_noun}"
            else:
                hint = suggest(target, sorted(known[target_kind]))
            problems.append(record.doc.problem(path, f"there is no {noun} with the id {quote(target)}{hint}"))
    return problems


def _check_sources(record: Record) -> list[Problem]:
    """A record's own `sources`: ids unique, and every reference to one resolves."""
    problems = []
    ids: list[str] = []
    for index, source in enumerate(record.data.get("sources", [])):
        if source["id"] in ids:
            problems.append(record.doc.problem(("sources", index, "id"), f"duplicate source id {quote(source['id'])}"))
        ids.append(source["id"])
    for path, ref in record.source_refs():
        if ref not in ids:
            listed = (
                f" Sources: {', '.join(ids)}"
                if ids
                else " This record lists no sources: add the document to `sources`."
            )
            problems.append(
                record.doc.problem(
                    path, f"{quote(ref)} is not the id of an entry in sources{suggest(ref, ids)}{listed}"
                )
            )
    return problems


def _check_headline(record: Record) -> list[Problem]:
    """The headline is what changed for children and families: one outcome figure at most."""
    problems = []
    headlines = [i for i, f in enumerate(record.figures) if f.get("headline")]
    for index in headlines:
        figure = record.figures[index]
        if figure["kind"] != "outcome":
            article = "an" if figure["kind"] == "output" else "a"
            problems.append(
                record.doc.problem(
                    ("impact", "figures", index, "headline"),
                    f"only an outcome can be the headline, and {quote(figure['value'])} is {article} {figure['kind']} "
                    f"({figure['measures']}); remove `headline: true`, or put it on the figure that shows what changed "
                    "for children or families",
                )
            )
    for index in headlines[1:]:
        problems.append(
            record.doc.problem(("impact", "figures", index, "headline"), "only one figure may be the headline")
        )
    return problems


def _words(text: str) -> str:
    return " ".join(text.split())


def _states(passage: str, value: str) -> bool:
    """Whether a passage holds the value word for word, and not as part of a longer number
    or word ("12" is not in "120")."""
    return re.search(rf"(?<!\w){re.escape(_words(value))}(?!\w)", _words(passage)) is not None


def _states_number(passage: str, number: float) -> bool:
    """Whether a passage gives the number in figures, with or without thousands separators."""
    whole = int(number) if float(number).is_integer() else None
    forms = {f"{whole:,}", str(whole)} if whole is not None else {str(number)}
    return any(re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d]|[.,]\d)", passage) for form in forms)


def _check_passages(record: Record) -> list[Problem]:
    """A figure, a reach and a cost must appear in the passage of the source quoted for
    them: the record carries its own evidence, so anyone can check it without the source."""
    problems = []
    for index, figure in enumerate(record.figures):
        if not _states(figure["as_stated"], figure["value"]):
            problems.append(
                record.doc.problem(
                    ("impact", "figures", index, "as_stated"),
                    f"the figure {quote(figure['value'])} ({figure['measures']}) is not in its source passage; "
                    "copy the sentence of the source that states it, word for word, or correct the value",
                )
            )
    reach, cost = record.data.get("reach", {}), record.data.get("cost", {})
    if "count" in reach and not _states_number(reach["as_stated"], reach["count"]):
        problems.append(
            record.doc.problem(
                ("reach", "as_stated"),
                f"the reach count {reach['count']:,} is not in the reach as stated; "
                "quote the source's words that give the number, or correct the count",
            )
        )
    if "amount" in cost and not _states_number(cost["as_stated"], cost["amount"]):
        problems.append(
            record.doc.problem(
                ("cost", "as_stated"),
                f"the cost amount {cost['amount']:,} is not in the cost as stated; "
                "quote the source's words that give the amount, or correct it",
            )
        )
    if "per_family_as_stated" in cost and not _states(cost["as_stated"], cost["per_family_as_stated"]):
        problems.append(
            record.doc.problem(
                ("cost", "per_family_as_stated"),
                f"{quote(cost['per_family_as_stated'])} is not in the cost as stated; "
                "copy the cost per family exactly as the source words it there",
            )
        )
    return problems


def _check_pack(record: Record) -> list[Problem]:
    """A pack's own consistency: each record once, activities use only its records, timings add up."""
    if "activities" not in record.data:
        return []
    problems = []
    data = record.data
    listed: list[str] = []
    for index, item in enumerate(data["records"]):
        if item["id"] in listed:
            problems.append(
                record.doc.problem(
                    ("records", index, "id"), f"'{item['id']}' is already in this pack's records; list each record once"
                )
            )
        listed.append(item["id"])
    for index, activity in enumerate(data["activities"]):
        for position, used in enumerate(activity.get("uses", [])):
            if used not in listed:
                problems.append(
                    record.doc.problem(
                        ("activities", index, "uses", position),
                        f"'{used}' is not one of this pack's records{suggest(used, listed)} "
                        f"Add it to `records` first. Records: {', '.join(dict.fromkeys(listed))}",
                    )
                )
    minutes = [activity["minutes"] for activity in data["activities"]]
    if sum(minutes) != data["duration_minutes"]:
        sum_text = " + ".join(map(str, minutes)) + f" = {sum(minutes)}" if len(minutes) > 1 else str(sum(minutes))
        problems.append(
            record.doc.problem(
                ("duration_minutes",),
                f"the activities take {sum_text} minutes, but the duration is {data['duration_minutes']}; "
                "make the timings add up",
            )
        )
    return problems


def _check_dates(record: Record) -> list[Problem]:
    problems = []
    dates = record.data["dates"]
    if dates["updated"] < dates["published"]:
        problems.append(
            record.doc.problem(
                ("dates", "updated"), f"updated ({dates['updated']}) is before published ({dates['published']})"
            )
        )
    period = record.data.get("period", {})
    if "start" in period and "end" in period and period["end"] < period["start"]:
        problems.append(
            record.doc.problem(
                ("period", "end"), f"the period ends ({period['end']}) before it starts ({period['start']})"
            )
        )
    return problems

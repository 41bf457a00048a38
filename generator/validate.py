"""Validate the content: every file, every error, each pointing at a line and column.

Order: YAML (load.py), then the JSON Schema, then checks across records that a
schema cannot express (ids and former ids, references, sources, dates, pack timings).
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from .glossary import VOCABULARY as GLOSSARY
from .glossary import Glossary
from .load import Document, load_data, load_document, read_limited
from .messages import describe, placeholder, suggest, type_name
from .model import KINDS, PLACEHOLDER, Corpus, Kind, Misplaced, Parts, Record, kind_of, record_files, record_of
from .problems import Problem, UsageError, display_path, json_path, quote
from .progress import track
from .schemas import SchemaSet, load_schema_set

MAX_PROBLEMS_PER_FILE = 50  # a file with more needs fixing, not a longer list


@dataclass
class Result:
    corpus: Corpus
    files_checked: int
    problem_count: int  # errors: the content is valid only without any
    files_with_problems: int
    problems: list[Problem] = field(default_factory=list)  # sorted; empty when they went to a `report` function
    warning_count: int = 0  # warnings: reported, but the content builds

    @property
    def ok(self) -> bool:
        return not self.problem_count

    def summary(self) -> str:
        warnings = self.warning_count
        also = f" ({warnings} warning{'s' if warnings != 1 else ''})" if warnings else ""
        if self.ok:
            return f"{self.files_checked} files checked: all valid{also}"
        count, files = self.problem_count, self.files_with_problems
        return (
            f"{self.files_checked} files checked: {count} problem{'s' if count != 1 else ''}"
            f" in {files} file{'s' if files != 1 else ''}{also}"
        )


def _strings(value, parts=()):
    if isinstance(value, str):
        yield parts, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, parts + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, parts + (index,))


def _placeholders(doc: Document) -> set[tuple]:
    """The paths of values that are still the placeholder `new` writes."""
    return {parts for parts, text in _strings(doc.data) if text.startswith(PLACEHOLDER)}


def doc_value(data, parts):
    for part in parts:
        data = data[part]
    return data


def _where(path: Path) -> Path:
    """A file's place, its folders resolved but not the file itself: a link stays a link."""
    return path.parent.resolve() / path.name


def _collect(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            files.extend(record_files(path))
        elif os.path.lexists(path):
            files.append(path)  # whatever it is: the loader refuses what is not a regular file, by name
        else:
            raise UsageError(f"{quote(str(path))}: no such file or folder")
    return files


def check_project(
    root: Path,
    paths: list[Path] | None = None,
    report: Callable[[list[Problem]], object] | None = None,
    cache: CheckCache | None = None,
) -> Result:
    """Validate the vocabularies and every record under root/content.

    With `paths`, also load those files (which may lie outside content/, e.g. test
    fixtures) and report only their problems; references still resolve against the
    whole content, as they will on the site.

    With `report`, each file's problems go to it as soon as that file is checked, and the
    problems found across records at the end: nothing is kept. Without it, the problems
    are returned in Result.problems.

    With `cache` (kept between runs by `mkdocs serve`), a file whose size and modification
    time are unchanged is not read again: its earlier result, problems included, is used.
    The checks across records always run on every record. A cache holds results for one
    set of schemas only; whoever keeps it empties it when they change.
    """
    collected: list[Problem] = []
    send = report or collected.extend
    problem_count = warning_count = 0
    files_with_problems: set[str] = set()
    shown: set[str] | None = None

    def emit(found: list[Problem]) -> None:
        nonlocal problem_count, warning_count
        found = [p for p in found if shown is None or p.file in shown]
        if found:
            errors = [p for p in found if p.severity == "error"]
            problem_count += len(errors)
            warning_count += len(found) - len(errors)
            files_with_problems.update(p.file for p in errors)
            send(found)

    def result(corpus: Corpus, files_checked: int) -> Result:
        return Result(corpus, files_checked, problem_count, len(files_with_problems), sorted(collected), warning_count)

    schema_set, problems = load_schema_set(root / "schemas", load_document)
    if problems:
        emit(problems)
        return result(Corpus(root, schema_set), 0)

    content = root / "content"
    files = {_where(p): p for p in record_files(content)}
    if paths:
        chosen = _collect(paths)
        shown = {display_path(p) for p in chosen}
        files.update({_where(p): p for p in chosen})

    checker = _RecordChecker(schema_set, content)
    loaded: list[Record] = []
    unreadable: list[tuple[str, str]] = []  # (kind name, file stem) of files that are not valid YAML
    for _, path in track(sorted(files.items()), "Validating records"):
        checked = checker.check(path) if cache is None else _check_cached(checker, path, cache)
        emit(checked.problems)
        if checked.record is not None:
            if not checked.record.schema_valid:
                # Kept for the checks across records only: let the rest go, however many files are broken.
                checked.record.doc.keep_only(checked.record.cross_record_fields)
            loaded.append(checked.record)
        elif checked.unreadable is not None:
            unreadable.append((checked.unreadable.name, path.stem))

    if cache is not None:
        for gone in set(cache) - set(files.values()):
            del cache[gone]
    unique, cross_problems = _cross_record_checks(loaded, unreadable)
    emit(sorted(set(cross_problems)))
    corpus = Corpus.of(root, schema_set, [r for r in unique if r.schema_valid])
    return result(corpus, len(shown) if shown is not None else len(files))


class Unreadable(Exception):
    """A file the unchecked reading below cannot make a record of; check_project() says why."""


def record_files_by_kind(content: Path) -> dict[str, list[Path]]:
    """The record files under content/, kind name by kind name, each kind's in order of
    file name (which is the record's id). Raises Unreadable at a file in no record folder,
    or not named *.yaml."""
    found: dict[str, list[Path]] = {name: [] for name in KINDS}
    for path in record_files(content):
        try:
            kind = kind_of(path, content)
        except Misplaced:
            raise Unreadable(display_path(path)) from None
        if path.suffix != ".yaml":
            raise Unreadable(display_path(path))
        found[kind.name].append(path)
    return {name: sorted(paths, key=lambda p: p.stem) for name, paths in found.items()}


def load_unchecked(
    root: Path, schema_set: SchemaSet, files: dict[str, list[Path]], pool: Executor | None = None
) -> Corpus:
    """The records in these files as they are read, with none of check_project()'s
    checks: for a build that renders while those checks run beside it (background.py),
    and publishes nothing unless they pass. With a process pool, the second half of the
    files is read there while this process reads the first. Raises Unreadable at the first
    file that is not a mapping in YAML."""
    named = [(name, path) for name, paths in files.items() for path in paths]
    half = len(named) // 2 if pool is not None else len(named)
    second = pool.submit(_read_all, [path for _, path in named[half:]]) if pool is not None else None
    docs = _read_all([path for _, path in named[:half]]) + (second.result() if second is not None else [])
    records = []
    for (name, path), doc in zip(named, docs, strict=True):
        if doc is None or not isinstance(doc.data, dict):
            raise Unreadable(display_path(path))
        records.append(record_of(KINDS[name], doc))
    return Corpus.of(root, schema_set, records)


def _read_all(paths: list[Path]) -> list[Document | None]:
    return [load_data(path) for path in paths]


def _check_cached(checker: _RecordChecker, path: Path, cache: CheckCache) -> _Checked:
    try:
        stat = path.stat()
    except OSError:
        return checker.check(path)  # gone or unreadable: check() says so
    key = (stat.st_mtime_ns, stat.st_size)
    earlier = cache.get(path)
    if earlier is not None and earlier[0] == key:
        return earlier[1]
    checked = checker.check(path)
    cache[path] = (key, checked)
    return checked


@dataclass
class _Checked:
    """One file checked on its own: its problems, and the record when it is a mapping of
    valid YAML, or the kind of a record file that is not (whose name still holds its id)."""

    problems: list[Problem]
    record: Record | None = None
    unreadable: Kind | None = None


# A file's path -> (its modification time in ns and size, what checking it found).
CheckCache = dict[Path, tuple[tuple[int, int], _Checked]]


class _RecordChecker:
    """One record file on its own: where it is, its YAML, its text, then its schema."""

    def __init__(self, schema_set, content: Path):
        self.schema_set = schema_set
        self.content = content
        self.validators = {name: schema_set.validator(name) for name in KINDS}
        self.glossary = Glossary(schema_set.vocabularies.get(GLOSSARY))
        self.quick_checks = {name: schema_set.quick_check(name) for name in KINDS}

    def check(self, path: Path) -> _Checked:
        try:
            kind = kind_of(path, self.content)
        except Misplaced as misplaced:
            return _Checked([Problem(display_path(path), 1, 1, "$", str(misplaced))])
        if path.suffix != ".yaml":
            return _Checked(
                [Problem(display_path(path), 1, 1, "$", f"record files end in .yaml; rename it to {path.stem}.yaml")]
            )
        doc = load_document(path)
        if doc.problems:
            return _Checked(_at_most(doc, doc.problems), unreadable=kind)
        if not isinstance(doc.data, dict):
            return _Checked([doc.problem((), f"a record is a mapping of fields, not {type_name(doc.data)}")])
        problems = []
        placeholders = _placeholders(doc)
        root_schema = self.schema_set.schemas[kind.name]
        for parts in sorted(placeholders, key=lambda p: doc.position(p)):
            value = doc_value(doc.data, parts)
            problems.append(doc.problem(parts, placeholder(self.schema_set, root_schema, list(parts), value)))
        # Stop early: a file with this many errors needs fixing, not a longer list.
        errors = (
            []
            if self.quick_checks[kind.name](doc.data)
            else list(itertools.islice(self.validators[kind.name].iter_errors(doc.data), MAX_PROBLEMS_PER_FILE))
        )
        missing_described: set[tuple] = set()
        for error in errors:
            at = tuple(error.absolute_path)
            if at in placeholders:
                continue  # already reported as a placeholder
            if error.validator == "required":
                # jsonschema gives one error per missing field of a `required` list; describe()
                # names that list's missing fields at once. Another list at the same place (an
                # if/then's) is described on its own.
                if (at, id(error.schema)) in missing_described:
                    continue
                missing_described.add((at, id(error.schema)))
            problems.extend(describe(error, doc, self.schema_set, root_schema))
        if not errors:
            problems.extend(_undefined_abbreviations(doc, self.glossary))
        return _Checked(_at_most(doc, problems), record=record_of(kind, doc, schema_valid=not errors))


def _undefined_abbreviations(doc: Document, glossary: Glossary) -> list[Problem]:
    """A warning for each abbreviation in the record's text that the glossary does not
    define, once per record, where it is first written; at most MAX_PROBLEMS_PER_FILE, so
    that a list of warnings never ends in the error that stops a long list."""
    warnings: list[Problem] = []
    warned: set[str] = set()
    lines: list[str] | None = None  # the file's lines, read only when there is something to find
    for parts, text in _strings(doc.data):
        for word, _ in glossary.undefined(text):
            if word in warned or len(warnings) == MAX_PROBLEMS_PER_FILE:
                continue
            warned.add(word)
            if lines is None:
                lines = read_limited(doc.path).decode("utf-8-sig", errors="replace").splitlines()
            line, column = _written_at(lines, doc.position(parts), word)
            message = (
                f"{quote(word)} looks like an abbreviation, and the glossary does not define it; add it to "
                f"schemas/vocabularies/{GLOSSARY}.yaml (label, expansion, description) or write it out in full"
            )
            warnings.append(Problem(doc.name, line, column, json_path(parts), message, "warning"))
    return warnings


def _written_at(lines: list[str], start: tuple[int, int], word: str) -> tuple[int, int]:
    """Where a word of a value is written: the first place at or after the value's start."""
    pattern = re.compile(rf"\b{re.escape(word)}\b")
    line, column = start
    for number in range(line, len(lines) + 1):
        found = pattern.search(lines[number - 1], column - 1 if number == line else 0)
        if found:
            return number, found.start() + 1
    return start


def _at_most(doc: Document, problems: list[Problem]) -> list[Problem]:
    """A file's problems in order, each once, and no more than MAX_PROBLEMS_PER_FILE."""
    problems = sorted(set(problems))
    if len(problems) <= MAX_PROBLEMS_PER_FILE:
        return problems
    unlisted = problems[MAX_PROBLEMS_PER_FILE]  # the stop is put where the first problem not listed is
    message = f"stopped after {MAX_PROBLEMS_PER_FILE} problems; fix these and validate again"
    return problems[:MAX_PROBLEMS_PER_FILE] + [Problem(doc.name, unlisted.line, unlisted.column, "$", message)]


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
                    f"the id {quote(record.id)} is already used by {other.name}; ids are unique across all records",
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
            problems.extend(_check_staff(record))
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
                    record.doc.problem(
                        where, f"{quote(former)} is this record's current id; list only ids it had before"
                    )
                )
            elif former in current:
                holder = by_id[former].doc.name if former in by_id else f"a file named {former}.yaml"
                problems.append(
                    record.doc.problem(
                        where,
                        f"{quote(former)} is the current id of {holder}; "
                        "a former id must not be in use, or its redirect would hide that page",
                    )
                )
            elif former in owners:
                problems.append(
                    record.doc.problem(
                        where,
                        f"{quote(former)} is already a former id of {owners[former].doc.name}; "
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
                hint = f"; {quote(target)} is {'an' if other_noun[0] in 'aeiou' else 'a'} {other_noun}"
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
    per_family_stated = cost.get("per_family_as_stated", "")
    if "per_family_amount" in cost and not _states_number(per_family_stated, cost["per_family_amount"]):
        problems.append(
            record.doc.problem(
                ("cost", "per_family_amount"),
                f"the cost per family {cost['per_family_amount']:,} is not in the cost per family as stated; "
                "give per_family_as_stated, copied from the source, with this number in it",
            )
        )
    if "per_family_amount" in cost and "currency" not in cost:
        problems.append(
            record.doc.problem(
                ("cost", "per_family_amount"), "a cost per family needs the cost's currency: add currency (GBP or EUR)"
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


def _check_staff(record: Record) -> list[Problem]:
    """A staff role's number and hours, and those of each change, must be in its passage."""
    problems = []
    for index, role in enumerate(record.data.get("what_it_takes", {}).get("staff", [])):
        entries: list[tuple[Parts, dict]] = [(("what_it_takes", "staff", index), role)]
        changes = enumerate(role.get("changes", []))
        entries += [(("what_it_takes", "staff", index, "changes", n), change) for n, change in changes]
        for path, entry in entries:
            for name in ("number", "hours"):
                if name in entry and not _states(entry["as_stated"], entry[name]):
                    problems.append(
                        record.doc.problem(
                            (*path, name),
                            f"{quote(entry[name])} ({role['role']}) is not in its source passage; "
                            "copy the words of the source that state it, or correct the value",
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

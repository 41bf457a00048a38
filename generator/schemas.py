"""The JSON Schemas and controlled vocabularies, wired together for validation.

The files in schemas/ refer to each other by relative address, as files on disk do
("common.schema.json#/$defs/id", "vocabularies/themes.schema.json"), so that any JSON
Schema tool, and any editor, resolves them from the files alone. A vocabulary is defined
once, in schemas/vocabularies/<id>.yaml; `python -m generator schemas` writes it as the
JSON Schema schemas/vocabularies/<id>.schema.json (an `enum` of its term ids) for those
tools. The generator itself makes that schema from the YAML, so it never reads a stale copy.

In memory every schema is named by an absolute address under BASE and every reference
is made absolute against it, so the rest of the generator looks references up by name.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from .load import Document, RefusedFile, read_limited
from .markup import markdown_problem
from .problems import Problem, display_path, json_path
from .vocabulary import SCHEMA_SUFFIX, VOCABULARY_FOLDER, Vocabulary

# Where the schemas are, in memory. The .invalid domain never resolves: nothing is fetched.
BASE = "https://schemas.whatworks.invalid/"
VOCABULARY_BASE = BASE + VOCABULARY_FOLDER

FORMAT_CHECKER = FormatChecker()
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@FORMAT_CHECKER.checks("partial-date")
def is_partial_date(value) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a date that exists on the calendar."""
    if not isinstance(value, str):
        return True
    match = _PARTIAL_DATE.match(value)
    if not match:
        return False
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


@FORMAT_CHECKER.checks("markdown", raises=ValueError)
def is_publishable_markdown(value) -> bool:
    """Markdown whose links and nesting the page keeps as written; the reason in a ValueError if not."""
    if isinstance(value, str):
        problem = markdown_problem(value)
        if problem:
            raise ValueError(problem)
    return True


def _passes(check: Callable[[object], bool]) -> Callable[[object], bool]:
    """A format check for jsonschema-rs, which wants a yes or no rather than an exception."""

    def passes(value) -> bool:
        try:
            return check(value)
        except ValueError:
            return False

    return passes


def vocabulary_id(ref: str) -> str | None:
    """The vocabulary an absolute reference names, if it names one."""
    if ref.startswith(VOCABULARY_BASE) and ref.endswith(SCHEMA_SUFFIX):
        return ref.removeprefix(VOCABULARY_BASE).removesuffix(SCHEMA_SUFFIX)
    return None


def is_vocabulary(schema: dict) -> bool:
    """Whether a (sub)schema is a vocabulary's own, in memory."""
    return vocabulary_id(str(schema.get("$id", ""))) is not None


def schema_json(schema: dict) -> str:
    """A schema as the files in schemas/ are written: two-space indents, a final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _absolute_refs(node, base: str):
    """A copy of a schema with every $ref made absolute against the schema's own address."""
    if isinstance(node, dict):
        return {
            key: urljoin(base, value) if key == "$ref" and isinstance(value, str) else _absolute_refs(value, base)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_absolute_refs(item, base) for item in node]
    return node


def _in_memory(schema: dict, path: str) -> dict:
    """A schema from schemas/<path> as the generator holds it: named and with absolute references."""
    address = BASE + path
    return {"$id": address, **_absolute_refs({k: v for k, v in schema.items() if k != "$id"}, address)}


def _refs(node):
    """Every $ref in a schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


@dataclass
class SchemaSet:
    """Every schema by name ("exemplar", "evidence", ...) and the vocabularies they use."""

    schemas: dict[str, dict] = field(default_factory=dict)
    vocabularies: dict[str, Vocabulary] = field(default_factory=dict)
    registry: Registry = field(default_factory=Registry)

    def validator(self, name: str) -> Draft202012Validator:
        return Draft202012Validator(self.schemas[name], registry=self.registry, format_checker=FORMAT_CHECKER)

    def quick_check(self, name: str) -> Callable[[object], bool]:
        """A yes-or-no test of a record against a schema, by jsonschema-rs: many times faster
        than jsonschema, which matters at thousands of records. Records it does not pass go
        on to jsonschema, whose errors the messages are made from, so jsonschema has the
        last word; the quick test must only never pass what jsonschema fails, which
        tests/test_quick_check.py checks on every fixture."""
        try:
            import jsonschema_rs
        except ImportError:  # an optional speed-up (the pre-commit hook goes without): jsonschema checks all
            return lambda instance: False
        # jsonschema checks the "uri" format only with an optional package, not installed;
        # so that the two agree, the quick test leaves it unchecked too.
        formats = {
            "partial-date": is_partial_date,
            "markdown": _passes(is_publishable_markdown),
            "uri": lambda value: True,
        }
        validator = jsonschema_rs.Draft202012Validator(self.bundled(name), formats=formats, validate_formats=True)

        def passes(instance) -> bool:
            try:
                return validator.is_valid(instance)
            except ValueError:  # a value it cannot take in, such as a mapping with a number for a key
                return False

        return passes

    def bundled(self, name: str) -> dict:
        """A self-contained copy of a schema, for publishing: references inlined under $defs."""
        defs: dict[str, dict] = {}

        def inline(node):
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str) and ref.startswith(BASE):
                    target = self.registry.resolver().lookup(ref).contents
                    # "common-id" for common.schema.json#/$defs/id, "themes" for a vocabulary
                    key = (
                        ref.removeprefix(VOCABULARY_BASE)
                        .removeprefix(BASE)
                        .replace(SCHEMA_SUFFIX, "")
                        .replace("#/$defs/", "-")
                    )
                    if key not in defs:
                        defs[key] = {}
                        defs[key] = inline(
                            {k: v for k, v in target.items() if k not in ("$id", "$schema", "$comment", "$defs")}
                        )
                    return {**{k: inline(v) for k, v in node.items() if k != "$ref"}, "$ref": f"#/$defs/{key}"}
                return {k: inline(v) for k, v in node.items()}
            if isinstance(node, list):
                return [inline(item) for item in node]
            return node

        body = inline(self.schemas[name])
        body.pop("$id", None)
        return {**body, "$defs": {**body.get("$defs", {}), **defs}}


def load_schema_set(schemas_dir: Path, load_document) -> tuple[SchemaSet, list[Problem]]:
    """Read schemas/*.schema.json and schemas/vocabularies/*.yaml; report any problem in them.
    The vocabularies' JSON Schemas are made from the YAML files, not read."""
    problems: list[Problem] = []
    result = SchemaSet()
    for path in sorted(schemas_dir.glob("*.schema.json")):
        try:
            text = read_limited(path, what="a schema").decode("utf-8")
            result.schemas[path.name.removesuffix(".schema.json")] = json.loads(text)
        except RefusedFile as refused:
            problems.append(Problem(display_path(path), 1, 1, "$", str(refused)))
        except UnicodeDecodeError as error:
            problems.append(Problem(display_path(path), 1, 1, "$", f"cannot read the schema: {error}"))
        except json.JSONDecodeError as error:
            problems.append(Problem(display_path(path), error.lineno, error.colno, "$", f"invalid JSON: {error.msg}"))
    # A schema that is not valid JSON Schema would fail later, inside a validator.
    meta_validator = Draft202012Validator(Draft202012Validator.META_SCHEMA, format_checker=FORMAT_CHECKER)
    invalid = [
        Problem(
            display_path(schemas_dir / f"{name}.schema.json"),
            1,
            1,
            json_path(error.absolute_path),
            f"not a valid JSON Schema: {error.message}",
        )
        for name, schema in result.schemas.items()
        for error in meta_validator.iter_errors(schema)
    ]
    if invalid:
        return result, problems + invalid
    if "vocabulary" not in result.schemas:
        problems.append(Problem(display_path(schemas_dir), 1, 1, "$", "vocabulary.schema.json is missing"))
        return result, problems
    result.schemas = {name: _in_memory(schema, name + SCHEMA_SUFFIX) for name, schema in result.schemas.items()}
    result.registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s, default_specification=DRAFT202012)) for s in result.schemas.values()
    )

    vocabulary_validator = result.validator("vocabulary")
    documents: list[Document] = []
    for path in sorted((schemas_dir / "vocabularies").glob("*.yaml")):
        doc = load_document(path)
        problems.extend(doc.problems)
        if doc.problems:
            continue
        errors = sorted(vocabulary_validator.iter_errors(doc.data), key=lambda e: list(e.absolute_path))
        problems.extend(doc.problem(e.absolute_path, e.message) for e in errors)
        if errors:
            continue
        data = doc.data
        if data["id"] != path.stem:
            problems.append(
                doc.problem(("id",), f"the vocabulary id '{data['id']}' must equal the file name '{path.stem}'")
            )
        terms: dict[str, dict] = {}
        for index, term in enumerate(data["terms"]):
            if term["id"] in terms:
                problems.append(doc.problem(("terms", index, "id"), f"duplicate term '{term['id']}'"))
            terms[term["id"]] = term
        result.vocabularies[data["id"]] = Vocabulary(
            data["id"], data["title"], data["description"], terms, path, data.get("notice")
        )
        documents.append(doc)

    # The SHANARRI crosswalk must point at real Every Child Matters terms.
    ecm = result.vocabularies.get("ecm-outcomes")
    for doc in documents:
        for index, term in enumerate(doc.data["terms"]):  # type: ignore[index]  # a valid vocabulary is a mapping
            for position, target in enumerate(term.get("ecm", [])):
                if ecm is None or target not in ecm.terms:
                    problems.append(
                        doc.problem(
                            ("terms", index, "ecm", position), f"'{target}' is not an Every Child Matters outcome"
                        )
                    )

    # A word in two groups of synonyms would join the groups into one without saying so.
    for doc in documents:
        group_of: dict[str, str] = {}
        for index, term in enumerate(doc.data["terms"]):  # type: ignore[index]  # a valid vocabulary is a mapping
            for position, word in enumerate(term.get("words", [])):
                if word in group_of and group_of[word] != term["id"]:
                    problems.append(
                        doc.problem(
                            ("terms", index, "words", position),
                            f"'{word}' is already in the group '{group_of[word]}'; a word may be in one group only",
                        )
                    )
                group_of.setdefault(word, term["id"])
    # A term's see_also names terms of its own vocabulary (the glossary's cross-references).
    for doc in documents:
        own = result.vocabularies[doc.data["id"]].terms  # type: ignore[index]  # a valid vocabulary is a mapping
        for index, term in enumerate(doc.data["terms"]):  # type: ignore[index]
            for position, target in enumerate(term.get("see_also", [])):
                if target not in own:
                    problems.append(
                        doc.problem(
                            ("terms", index, "see_also", position), f"'{target}' is not a term of this vocabulary"
                        )
                    )

    vocabulary_schemas = [_in_memory(v.as_schema(), v.schema_file) for v in result.vocabularies.values()]
    result.registry = result.registry.with_resources(
        (s["$id"], Resource.from_contents(s, default_specification=DRAFT202012)) for s in vocabulary_schemas
    )
    problems.extend(_unresolved(result, schemas_dir))
    return result, problems


def _unresolved(schema_set: SchemaSet, schemas_dir: Path) -> list[Problem]:
    """A reference that leads nowhere, named here rather than failing inside a validator."""
    problems = []
    for name, schema in schema_set.schemas.items():
        for ref in dict.fromkeys(_refs(schema)):
            try:
                schema_set.registry.resolver().lookup(ref)
            except Unresolvable:
                shown = ref.removeprefix(BASE)
                problems.append(
                    Problem(
                        display_path(schemas_dir / (name + SCHEMA_SUFFIX)),
                        1,
                        1,
                        "$",
                        f"the reference '{shown}' leads nowhere; refer to a file beside it, such as "
                        "'common.schema.json#/$defs/id' or 'vocabularies/themes.schema.json'",
                    )
                )
    return problems


def vocabulary_schema_files(schema_set: SchemaSet) -> dict[str, str]:
    """What schemas/vocabularies/<id>.schema.json should hold, by path in schemas/."""
    return {v.schema_file: schema_json(v.as_schema()) for v in schema_set.vocabularies.values()}

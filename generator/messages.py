"""Validator messages: turn a jsonschema error into a problem that names the field as a
contributor knows it and says what is allowed instead."""

from __future__ import annotations

import difflib
import json
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .fields import TYPE_NAMES, resolve, with_article
from .load import Document
from .problems import Problem, quote
from .schemas import SchemaSet, is_vocabulary


def suggest(value, allowed) -> str:
    """The end of a sentence that names a wrong value: "; did you mean 'x'?" when one of
    `allowed` is close to it, otherwise a full stop."""
    if isinstance(value, str):
        close = difflib.get_close_matches(value, [str(a) for a in allowed], n=1, cutoff=0.6)
        if close:
            return f"; did you mean '{close[0]}'?"
    return "."


# The JSON Schema type of a value YAML can give, in the order to test them (bool before int).
_SCHEMA_TYPES = (
    (bool, "boolean"),
    (str, "string"),
    (int, "integer"),
    (float, "number"),
    (list, "array"),
    (dict, "object"),
)


def type_name(value) -> str:
    """What a value is, in the words of the schema's types: "a list", "text", ..."""
    if value is None:
        return "nothing (the value is empty)"
    for python_type, schema_type in _SCHEMA_TYPES:
        if isinstance(value, python_type):
            return with_article(TYPE_NAMES[schema_type])
    return type(value).__name__


def field_title(schema_set: SchemaSet, schema: dict, parts: list) -> str | None:
    """The title a contributor knows a field by: the property's own, not a shared definition's."""
    node = schema
    for part in parts:
        container, _ = resolve(schema_set, node)
        node = container.get("items", {}) if isinstance(part, int) else container.get("properties", {}).get(part, {})
    return resolve(schema_set, node)[0].get("title") if parts else None


def optional(schema_set: SchemaSet, schema: dict, parts: list) -> bool:
    """Whether the field at `parts` (list indexes dropped) may be left out of its record."""
    field = named_path(parts)
    if not field:
        return False
    node = schema
    for part in field[:-1]:
        container, _ = resolve(schema_set, node)
        node = container.get("items", {}) if isinstance(part, int) else container.get("properties", {}).get(part, {})
    return field[-1] not in resolve(schema_set, node)[0].get("required", [])


def placeholder(schema_set: SchemaSet, schema: dict, parts: list, value: Any) -> str:
    """A value `new` wrote that is still there: what to do about it. An optional field can
    simply go, which is often the fix (ecm: [TODO] in a Scottish record)."""
    title = field_title(schema_set, schema, named_path(parts)) or ".".join(map(str, parts))
    if optional(schema_set, schema, parts):
        line = f"{named_path(parts)[-1]}: ..."
        return f"{title}: still the placeholder {quote(value)}; fill it in, or delete the line '{line}' if not needed"
    return f"{title}: still the placeholder {quote(value)}; replace it"


# What to type, for the patterns the schemas use: said instead of "not in the required form".
PATTERN_ADVICE = {r"\?$": "must end with a question mark: add '?' at the end"}


def _conditionally_required(schema: dict, instance: Any) -> set[str]:
    """Fields an if/then in `schema` requires of this instance: that error explains itself,
    so the plain "missing required field" for the same field is left out."""
    fields: set[str] = set()
    for condition in schema.get("allOf", []):
        if "if" in condition and Draft202012Validator(condition["if"]).is_valid(instance):
            fields.update(condition.get("then", {}).get("required", []))
    return fields


def describe(error: ValidationError, doc: Document, schema_set: SchemaSet, root_schema: dict) -> list[Problem]:
    """Turn one jsonschema error into problems whose message says what is allowed."""
    parts = list(error.absolute_path)
    # jsonschema types these as "or Unset"; an error from iter_errors has them all.
    keyword: str = error.validator  # type: ignore[assignment]
    expected: Any = error.validator_value
    value: Any = error.instance
    schema: dict = error.schema  # type: ignore[assignment]
    named_field = parts and isinstance(parts[-1], str)
    name = (
        (named_field and field_title(schema_set, root_schema, parts))
        or schema.get("title")
        or field_title(schema_set, root_schema, named_path(parts))
        or "record"
    )
    hint = schema.get("description", "")

    if keyword == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        return [
            doc.problem(
                parts + [extra],
                f"unknown field {quote(extra)}{suggest(extra, allowed)} Allowed here: {', '.join(allowed)}",
                key=True,
            )
            for extra in value
            if extra not in allowed
        ]
    if keyword == "required":
        explained = _conditionally_required(schema, value) if schema.get("properties") else set()
        missing = [field_name for field_name in expected if field_name not in value and field_name not in explained]
        props = schema.get("properties", {})
        why = f": {schema['description']}" if "description" in schema and not props else ""
        return [
            doc.problem(
                parts,
                f"missing required field '{m}'"
                + (f" ({props[m]['title']})" if "title" in props.get(m, {}) else "")
                + why,
            )
            for m in missing
        ]
    if keyword == "enum":
        if is_vocabulary(schema):
            message = (
                f"{quote(value)} is not an allowed {name}{suggest(value, expected)} Allowed: {', '.join(expected)}"
            )
        else:
            message = (
                f"{quote(value)} is not allowed{suggest(value, expected)} Allowed: {', '.join(map(str, expected))}"
            )
        return [doc.problem(parts, message)]
    if keyword == "const":
        return [doc.problem(parts, f"must be {expected!r}, not {quote(value)}")]
    if keyword == "type":
        wanted = " or ".join(
            with_article(TYPE_NAMES.get(t, t)) for t in ([expected] if isinstance(expected, str) else expected)
        )
        return [doc.problem(parts, f"{name}: expected {wanted}, got {type_name(value)}")]
    if keyword == "format":
        if expected == "markdown" and error.cause:
            return [doc.problem(parts, f"{name}: {error.cause}")]
        if expected in ("date", "partial-date"):
            form = "YYYY-MM-DD" if expected == "date" else "YYYY-MM-DD, YYYY-MM or YYYY"
            return [doc.problem(parts, f"{quote(value)} is not a real date written {form}")]
        return [doc.problem(parts, f"{quote(value)} is not a valid {expected}")]
    if keyword == "pattern":
        if expected in PATTERN_ADVICE:
            return [doc.problem(parts, f"{name}: {quote(value)} {PATTERN_ADVICE[expected]}")]
        return [doc.problem(parts, f"{name}: {quote(value)} is not in the required form. {hint}".rstrip())]
    if keyword == "minLength":
        return [doc.problem(parts, f"{name}: too short, {len(value)} characters; at least {expected} needed")]
    if keyword == "maxLength":
        return [doc.problem(parts, f"{name}: too long, {len(value):,} characters; at most {expected:,} allowed")]
    if keyword == "minItems":
        return [
            doc.problem(
                parts, f"{name}: needs at least {expected} item{'s' if expected != 1 else ''}, has {len(value)}"
            )
        ]
    if keyword == "maxItems":
        return [doc.problem(parts, f"{name}: at most {expected} items allowed, has {len(value)}")]
    if keyword == "uniqueItems":
        seen: set[str] = set()
        repeated: dict[str, Any] = {}  # the first few, by their JSON: a set, as a list of 20,000 items may come
        for item in value:
            key = json.dumps(item, sort_keys=True)
            if key in seen and len(repeated) < 5:
                repeated.setdefault(key, item)
            seen.add(key)
        listed = ", ".join(quote(r) for r in repeated.values())
        return [doc.problem(parts, f"{name}: lists {listed} more than once")]
    if keyword in ("minimum", "exclusiveMinimum"):
        return [
            doc.problem(
                parts, f"{name}: must not be {'negative' if expected == 0 else f'less than {expected}'}, got {value}"
            )
        ]
    return [doc.problem(parts, error.message)]


def named_path(parts) -> list:
    """The path without trailing list indexes: the field a list item belongs to."""
    parts = list(parts)
    while parts and isinstance(parts[-1], int):
        parts.pop()
    return parts

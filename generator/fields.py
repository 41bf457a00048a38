"""The fields of a record kind, read from its JSON Schema: one description for the
contributor reference page and for the `new` scaffold, so neither can drift from what
the validator checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .schemas import SchemaSet, vocabulary_id


@dataclass
class Field:
    name: str  # the key in the record
    path: str  # e.g. "impact.figures[].value"
    title: str
    description: str
    required: bool
    type: str  # "text", "list", "mapping", "whole number", ...
    vocabulary: str | None = None  # vocabulary id, when values come from one
    allowed: list[str] = field(default_factory=list)  # fixed values (enum/const)
    example: str | None = None  # one example, as YAML flow text
    children: list[Field] = field(default_factory=list)  # fields of a mapping, or of each list item
    item_type: str | None = None  # for lists: the type of each item
    min_items: int = 0  # for lists: how many items are required

    @property
    def is_list(self) -> bool:
        return self.type == "list"


# JSON Schema's type names in plain words: for the reference page, the scaffold and messages.
TYPE_NAMES = {
    "string": "text",
    "integer": "whole number",
    "number": "number",
    "boolean": "true or false",
    "array": "list",
    "object": "mapping",
    "null": "nothing",
}


def with_article(type_name: str) -> str:
    """ "list" -> "a list"; "text" and "true or false" take none."""
    return type_name if type_name in ("text", "true or false", "nothing") else f"a {type_name}"


def record_fields(schema_set: SchemaSet, name: str) -> list[Field]:
    """The top-level fields of a record kind, each with its nested fields, in schema order."""
    return _fields_of(schema_set, schema_set.schemas[name], "")


def resolve(schema_set: SchemaSet, node: dict) -> tuple[dict, str | None]:
    """Follow $ref and single allOf wrappers; keep the outermost title/description. Returns (schema, vocabulary id)."""
    merged: dict = {}
    vocabulary = None
    while True:
        for key in ("title", "description", "examples"):
            if key in node and key not in merged:
                merged[key] = node[key]
        if "$ref" in node:
            ref = node["$ref"]
            vocabulary = vocabulary_id(ref) or vocabulary
            node = schema_set.registry.resolver().lookup(ref).contents
        elif "allOf" in node and "properties" not in node and "items" not in node:
            node = node["allOf"][0]
        else:
            return {**node, **merged}, vocabulary


def _fields_of(schema_set: SchemaSet, schema: dict, prefix: str) -> list[Field]:
    schema, _ = resolve(schema_set, schema)
    required = set(schema.get("required", []))
    return [
        _field(schema_set, key, prop, f"{prefix}{key}", key in required)
        for key, prop in schema.get("properties", {}).items()
    ]


def _type_of(node: dict, vocabulary: str | None) -> str:
    if vocabulary:
        return "term"
    if "const" in node or "enum" in node:
        return "one of"
    return TYPE_NAMES.get(str(node.get("type")), "value")


def _field(schema_set: SchemaSet, key: str, prop: dict, path: str, required: bool) -> Field:
    node, vocabulary = resolve(schema_set, prop)
    result = Field(
        name=key,
        path=path,
        title=node.get("title", key),
        description=node.get("description", ""),
        required=required,
        type=_type_of(node, vocabulary),
        vocabulary=vocabulary,
        allowed=[
            json.dumps(v) if not isinstance(v, str) else v
            for v in node.get("enum", [node["const"]] if "const" in node else [])
        ]
        if not vocabulary
        else [],
        example=json.dumps(node["examples"][0], ensure_ascii=False) if node.get("examples") else None,
    )
    if result.type == "mapping":
        result.children = _fields_of(schema_set, node, f"{path}.")
    elif result.type == "list":
        item, item_vocabulary = resolve(schema_set, node.get("items", {}))
        result.vocabulary = item_vocabulary
        result.item_type = _type_of(item, item_vocabulary)
        result.min_items = node.get("minItems", 0)
        if result.item_type == "mapping":
            result.children = _fields_of(schema_set, item, f"{path}[].")
    return result


def walk(fields: list[Field]):
    """Every field, depth first."""
    for f in fields:
        yield f
        yield from walk(f.children)

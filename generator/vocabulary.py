"""A vocabulary: the terms a record field may take (schemas/vocabularies/<id>.yaml), as
schemas.py reads them. On its own so that what needs only the terms (the MkDocs
process's glossary and synonyms) need not load JSON Schema."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

VOCABULARY_FOLDER = "vocabularies/"
SCHEMA_SUFFIX = ".schema.json"


@dataclass
class Vocabulary:
    id: str
    title: str
    description: str
    terms: dict[str, dict]  # term id -> the term's fields, in file order
    source: Path
    notice: str | None = None  # shown on every page of the vocabulary

    def label(self, term_id: str) -> str:
        term = self.terms.get(term_id)
        return term["label"] if term else term_id

    @property
    def schema_file(self) -> str:
        """Its JSON Schema's path in schemas/."""
        return f"{VOCABULARY_FOLDER}{self.id}{SCHEMA_SUFFIX}"

    def as_schema(self) -> dict:
        """The vocabulary as JSON Schema: what schemas/vocabularies/<id>.schema.json holds.
        enumDescriptions is what editors (VS Code, the YAML language server) show beside each term."""
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$comment": f"Made from {self.source.name} by `python -m generator schemas`: edit that file, not this one.",
            "title": self.title,
            "description": self.description,
            "type": "string",
            "enum": list(self.terms),
            "enumDescriptions": [f"{term['label']}: {term['description']}" for term in self.terms.values()],
        }

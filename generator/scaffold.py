"""`python -m generator new`: a new record file with every field of its schema."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

from anyascii import anyascii
from jinja2 import Environment, FileSystemLoader
from jsonschema import Draft202012Validator

from .fields import record_fields, resolve, walk
from .migrate import current_version
from .model import KINDS, PLACEHOLDER, Corpus
from .problems import quote
from .render import TEMPLATES


class ScaffoldError(Exception):
    """The record cannot be written; the message says why and what to do instead."""


def id_from_title(title: str) -> str:
    """'Parent Counsellor: Nottingham (2009)' -> 'parent-counsellor-nottingham-2009'.

    Letters of any script are transliterated ('Straße' -> 'strasse', 'Σχολείο' ->
    'scholeio'), so that no word is silently lost from the id."""
    words = re.findall(r"[a-z0-9]+", anyascii(title).lower())
    record_id = ""
    for word in words:
        if len(record_id) + len(word) + 1 > 60:
            break
        record_id = f"{record_id}-{word}" if record_id else word
    return record_id


def scaffold(
    corpus: Corpus, kind: str, title: str, today: datetime.date, record_id: str | None = None
) -> tuple[Path, str]:
    """The path and text of a new record of `kind` ("exemplar", "evidence", ...) titled
    `title`, with the id given or else one made from the title."""
    if kind not in KINDS:
        raise ScaffoldError(f"unknown kind {quote(kind)}; choose one of {', '.join(KINDS)}")
    folder = KINDS[kind].folder
    properties = corpus.schema_set.schemas[kind]["properties"]
    longest = resolve(corpus.schema_set, properties["title"])[0].get("maxLength", 200)
    if len(title) > longest:
        raise ScaffoldError(f"the title {quote(title)} is {len(title):,} characters long; at most {longest} allowed")
    if record_id is None:
        record_id = id_from_title(title)
        if len(record_id) < 3:
            raise ScaffoldError(
                f"cannot make an id from the title {quote(title)}: give a title with a few words in it, "
                "or the id with --id (lower-case letters, digits and hyphens)"
            )
    else:
        rule = resolve(corpus.schema_set, properties["id"])[0]
        if not Draft202012Validator(rule).is_valid(record_id):
            raise ScaffoldError(f"the id {quote(record_id)} is not usable. {rule['description']}")
    # Ids are file names and unique across kinds, so the files say which ids are taken,
    # including records that do not validate yet.
    for other in KINDS.values():
        taken = corpus.root / "content" / other.folder / f"{record_id}.yaml"
        if taken.exists():
            raise ScaffoldError(
                f"the id '{record_id}' is already used by {taken.relative_to(corpus.root)}; "
                "choose a different title or --id, or edit that record"
            )
    path = corpus.root / "content" / folder / f"{record_id}.yaml"

    env = Environment(
        loader=FileSystemLoader(TEMPLATES), trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True
    )
    prefilled = {
        "schema_version": str(current_version(corpus.schema_set, kind)),
        "id": record_id,
        "title": json.dumps(title, ensure_ascii=False),
        "dates.published": f'"{today.isoformat()}"',
        "dates.updated": f'"{today.isoformat()}"',
    }
    fields = record_fields(corpus.schema_set, kind)
    # A required mapping whose fields are all optional (outcomes: ecm or shanarri) shows
    # them all, so that the file is well formed; the contributor deletes what does not apply.
    shown = {
        child.path
        for f in walk(fields)
        if f.required and f.type == "mapping" and not any(c.required for c in f.children)
        for child in f.children
    }
    text = env.get_template("scaffold.yaml.j2").render(
        schema_name=kind,
        kind_title=KINDS[kind].label,
        prefilled=prefilled,
        shown=shown,
        placeholder=PLACEHOLDER,
        record_fields=fields,
        vocabularies=corpus.vocabularies,
    )
    return path, re.sub(r"\n{3,}", "\n\n", text)

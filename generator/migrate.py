"""`python -m generator migrate`: bring records up to the current schema version.

When a schema changes a field, its `schema_version` const goes up by one and a function
is added to MIGRATIONS that turns a record of the old version into the new one. Records
are edited in place with ruamel.yaml's round-trip mode, so comments, key order and
formatting survive, and so do the file's line endings, byte-order mark and permissions:
only the migrated lines change. Each file is replaced atomically, and only when it changed.
"""

from __future__ import annotations

import codecs
import io
import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .fields import record_fields
from .load import RefusedFile, read_limited
from .model import KINDS, Misplaced, kind_of, record_files
from .problems import display_path
from .schemas import SchemaSet

Migration = Callable[[CommentedMap], None]


def exemplar_1_to_2(record: CommentedMap) -> None:
    """Version 2 lists the study designs behind the outcomes (a record may state more than
    one), and only an outcome figure may be the headline: an output is not impact."""
    rating = record.get("evidence_rating")
    if isinstance(rating, CommentedMap) and "study_design" in rating:
        position = list(rating).index("study_design")
        design = rating.pop("study_design")
        rating.insert(position, "study_designs", CommentedSeq([design]))
    impact = record.get("impact")
    for figure in impact.get("figures") or [] if isinstance(impact, CommentedMap) else []:
        if isinstance(figure, CommentedMap) and figure.get("headline") and figure.get("kind") != "outcome":
            del figure["headline"]


# MIGRATIONS[kind][n] turns a record of schema version n into version n + 1, in place.
# A change that renames, moves or reshapes a field adds its function here, with a test.
MIGRATIONS: dict[str, dict[int, Migration]] = {"exemplar": {1: exemplar_1_to_2}}


@dataclass
class Outcome:
    path: Path
    from_version: int | None
    to_version: int
    error: str | None = None

    @property
    def changed(self) -> bool:
        return self.error is None and self.from_version != self.to_version


def current_version(schema_set: SchemaSet, kind: str) -> int:
    """The schema_version the kind's schema requires (its `const`)."""
    field = next(f for f in record_fields(schema_set, kind) if f.name == "schema_version")
    return int(field.allowed[0])


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: keeps comments, order, quotes and flow style
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def migrate_file(path: Path, kind: str, target: int, *, write: bool) -> Outcome:
    try:
        raw = read_limited(path)
        text = raw.decode("utf-8-sig")
    except RefusedFile as refused:
        return Outcome(path, None, target, str(refused))
    except UnicodeDecodeError:
        return Outcome(path, None, target, "not UTF-8 text; run `python -m generator validate` first")
    windows = "\r\n" in text  # ruamel would keep a \r at the end of each comment, and write \n elsewhere
    yaml = _yaml()
    try:
        record = yaml.load(text.replace("\r\n", "\n"))
    except Exception as error:  # ruamel raises many kinds; the validator explains them better
        return Outcome(
            path, None, target, f"cannot read it ({type(error).__name__}); run `python -m generator validate` first"
        )
    version = record.get("schema_version") if isinstance(record, dict) else None
    if not isinstance(version, int):
        return Outcome(path, None, target, "no schema_version; run `python -m generator validate` first")
    if version > target:
        return Outcome(
            path,
            version,
            target,
            f"schema_version {version} is newer than this generator knows ({target}); update the generator",
        )
    steps = MIGRATIONS.get(kind, {})
    for step in range(version, target):
        if step not in steps:
            return Outcome(path, version, target, f"no migration from version {step} to {step + 1} for {kind} records")
        steps[step](record)
        record["schema_version"] = step + 1
    if write and version != target:
        buffer = io.StringIO()
        yaml.dump(record, buffer)
        migrated = buffer.getvalue().replace("\n", "\r\n") if windows else buffer.getvalue()
        bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
        _replace_atomically(path, bom + migrated.encode("utf-8"))
    return Outcome(path, version, target)


def _replace_atomically(path: Path, data: bytes) -> None:
    """Write beside the file, with its permissions, then rename over it: an interrupted run
    never leaves half a file."""
    mode = stat.S_IMODE(os.stat(path).st_mode)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, mode)  # mkstemp makes it 0600
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def migrate_project(root: Path, schema_set: SchemaSet, *, write: bool) -> list[Outcome]:
    """Every record under root/content; a file where no record may be is an error, as in validate."""
    content = root / "content"
    targets = {name: current_version(schema_set, name) for name in KINDS}
    outcomes = []
    for path in record_files(content):
        try:
            kind = kind_of(path, content).name
        except Misplaced as misplaced:
            outcomes.append(Outcome(path, None, 0, str(misplaced)))
            continue
        if path.suffix != ".yaml":
            rename = f"record files end in .yaml; rename it to {path.stem}.yaml"
            outcomes.append(Outcome(path, None, targets[kind], rename))
            continue
        outcomes.append(migrate_file(path, kind, targets[kind], write=write))
    return outcomes


def describe(outcome: Outcome) -> str:
    name = display_path(outcome.path)
    if outcome.error:
        return f"{name}: {outcome.error}"
    return f"{name}: schema version {outcome.from_version} -> {outcome.to_version}"

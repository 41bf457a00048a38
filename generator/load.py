"""Read one YAML record safely, keeping the line and column of every key and value.

PyYAML's own loaders lose positions, accept duplicate keys silently, expand aliases
(the "billion laughs") and turn dates into objects JSON Schema cannot check, so we
compose the node tree ourselves and build plain data from it.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import Problem, display_path, json_path, quote

MAX_FILE_BYTES = 1_000_000  # the longest real record is a few kilobytes
MAX_DEPTH = 40
MAX_VALUES = 20_000  # a real record has a few hundred; more means a mistake or an attack

# Characters a record's text may not hold: those that change how text displays without
# being seen (bidirectional marks, embeddings, overrides and isolates: "Trojan Source"),
# a byte-order mark inside the text, C0 and C1 controls other than tab and line breaks,
# and noncharacters and lone surrogates, which XML (the feed, the sitemap) and HTML refuse.
REFUSED_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ufeff\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)

ALLOWED_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _RecordLoader(_SafeLoader):
    """SafeLoader (libyaml's C parser where installed) without implicit timestamps:
    dates stay strings for the schema to check."""


_RecordLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class RefusedFile(Exception):
    """A file that is not read at all; the message says why."""


def read_limited(path: Path, limit: int = MAX_FILE_BYTES, what: str = "a record") -> bytes:
    """The bytes of a regular file of at most `limit` bytes, its size checked before reading.

    A pull request can put anything where a record should be: a FIFO, which would block
    a reader for ever; a symbolic link to /dev/zero, or to a file elsewhere on the
    machine that builds the site; a file of gigabytes. Only regular files are read.
    `what` the file should be, for the messages."""
    try:
        _refuse_special(os.lstat(path).st_mode, what)
        # Neither follow a link nor wait on a FIFO, in case the file was swapped since lstat.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        if error.errno == errno.ELOOP:
            _refuse_special(stat.S_IFLNK, what)
        raise RefusedFile(f"cannot read the file: {error.strerror}") from None
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(stream.fileno())
        _refuse_special(info.st_mode, what)
        raw = stream.read(limit + 1) if info.st_size <= limit else b""
    size = max(info.st_size, len(raw))  # it may have grown since fstat
    if size > limit:
        raise RefusedFile(f"the file is {size:,} bytes; {what} may be at most {limit:,} bytes")
    return raw


_SPECIAL_FILES = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse_special(mode: int, what: str) -> None:
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _SPECIAL_FILES if test(mode)), "a special file")
        raise RefusedFile(f"this is {kind}, not a regular file; {what} must be a plain file")


@dataclass
class Document:
    """A loaded YAML file: its data and where each value and key starts (1-based)."""

    path: Path
    data: object = None
    value_at: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_at: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @functools.cached_property
    def name(self) -> str:
        """The path as problems show it, worked out once, when first needed."""
        return display_path(self.path)

    def keep_only(self, fields) -> None:
        """Forget every top-level field but these, and their positions."""
        if isinstance(self.data, dict):
            self.data = {key: value for key, value in self.data.items() if key in fields}
        self.value_at = {parts: at for parts, at in self.value_at.items() if not parts or parts[0] in fields}
        self.key_at = {parts: at for parts, at in self.key_at.items() if parts[0] in fields}

    def position(self, parts, *, key: bool = False) -> tuple[int, int]:
        """Where the value (or its key) at `parts` starts, falling back to the nearest parent."""
        parts = tuple(parts)
        while True:
            table = self.key_at if key and parts in self.key_at else self.value_at
            if parts in table:
                return table[parts]
            if not parts:
                return (1, 1)
            parts = parts[:-1]

    def problem(self, parts, message: str, *, key: bool = False) -> Problem:
        line, column = self.position(parts, key=key)
        return Problem(self.name, line, column, json_path(parts), message)


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _mark(node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _position_of_offset(text: bytes, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return (before.count(b"\n") + 1, offset - (before.rfind(b"\n") + 1) + 1)


def _colon_in_value(line: str) -> str:
    """A value with ': ' in it reads to YAML as a second key. Say what to type instead."""
    key, _, value = line.partition(":")
    quoted = '"' + value.strip().replace("\\", "\\\\").replace('"', '\\"') + '"'
    return (
        "YAML syntax error: this value contains ': ', which YAML reads as a new field; "
        f"put the whole value in double quotes: {key.strip()}: {quoted}"
    )


def load_document(path: Path) -> Document:
    doc = Document(path)

    def fail(line: int, column: int, message: str) -> Document:
        doc.problems.append(Problem(doc.name, line, column, "$", message))
        return doc

    try:
        raw = read_limited(path)
    except RefusedFile as refused:
        return fail(1, 1, str(refused))
    if b"\0" in raw:
        return fail(*_position_of_offset(raw, raw.index(b"\0")), "this is a binary file, not YAML text")
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark is harmless: accept it
    except UnicodeDecodeError as error:
        line, column = _position_of_offset(raw, error.start)
        return fail(line, column, "the file is not UTF-8 text; save it as UTF-8")

    loader = None
    try:
        loader = _RecordLoader(text)
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = error.problem or error.context or "not valid YAML"
        if mark is None:
            return fail(1, 1, f"YAML syntax error: {reason}")
        lines = text.splitlines()
        offending = lines[mark.line][mark.column : mark.column + 1] if mark.line < len(lines) else ""
        if offending == "\t" or "\t" in reason or "'\\t'" in reason:
            reason += " (YAML does not allow tabs for indentation: use spaces)"
        if "mapping values are not allowed" in reason and mark.line < len(lines):
            return fail(mark.line + 1, mark.column + 1, _colon_in_value(lines[mark.line]))
        if "nesting depth" in reason:  # libyaml's own limit
            return fail(mark.line + 1, mark.column + 1, "the YAML is nested too deeply to be a record")
        return fail(mark.line + 1, mark.column + 1, f"YAML syntax error: {reason}")
    except yaml.reader.ReaderError as error:
        line, column = _position_of_offset(text.encode("utf-8"), len(text[: error.position].encode("utf-8")))
        return fail(line, column, f"the character U+{error.character:04X} is not allowed in YAML; remove it")
    except yaml.YAMLError as error:
        return fail(1, 1, f"YAML syntax error: {error}")
    except RecursionError:
        return fail(1, 1, "the YAML is nested too deeply to be a record")
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        return fail(1, 1, "the file is empty; a record is a mapping of fields (see the schema)")

    try:
        doc.data = _DataBuilder(doc, text).build(root, (), 0)
    except _TooLarge:
        doc.problems[:] = [
            Problem(doc.name, 1, 1, "$", f"the file holds more than {MAX_VALUES:,} values; a record is much smaller")
        ]
    return doc


def load_data(path: Path) -> Document | None:
    """A record's data alone, without positions or any of load_document's checks: for a
    build that renders while the checks run beside it (background.py). None when the file
    cannot be read as YAML; a valid record gives the same data as load_document."""
    try:
        root = yaml.compose(read_limited(path).decode("utf-8-sig"), Loader=_RecordLoader)
        return Document(path, _plain(root))
    except (RefusedFile, UnicodeDecodeError, yaml.YAMLError, ValueError, KeyError, RecursionError):
        return None


def _plain(root):
    """Plain data from a node tree, as _DataBuilder makes it from a valid record, with none
    of its checks but one: a node met twice (an alias) is refused, never copied, so that a
    "billion laughs" file costs no more than its size."""
    seen: set[int] = set()

    def plain(node):
        if id(node) in seen:
            raise ValueError("an alias")
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return {key.value: plain(value) for key, value in node.value}
        if isinstance(node, yaml.SequenceNode):
            return [plain(item) for item in node.value]
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        return _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)

    return None if root is None else plain(root)


class _DataBuilder:
    """Plain data from a YAML node tree, recording each value's position in the document
    and refusing (with a problem, not an exception) what a record may not hold."""

    def __init__(self, doc: Document, text: str):
        self.doc = doc
        self.text = text  # the YAML, to point at a refused character within a value
        self.seen: set[int] = set()  # ids of the nodes built so far: a node met twice came through an alias

    def build(self, node, parts: tuple, depth: int):
        doc = self.doc
        if id(node) in self.seen:
            # Refuse an alias rather than expand it, and say so once rather than for every use.
            if not any("aliases" in p.message for p in doc.problems):
                doc.problems.append(
                    doc.problem(
                        parts, "anchors and aliases (&name, *name) are not allowed in records; write the value out"
                    )
                )
            return None
        self.seen.add(id(node))
        if len(self.seen) > MAX_VALUES:
            raise _TooLarge
        doc.value_at[parts] = _mark(node)
        if depth > MAX_DEPTH:
            doc.problems.append(doc.problem(parts, f"nested more than {MAX_DEPTH} levels deep"))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, parts, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                doc.problems.append(
                    doc.problem(parts, f"the tag {_short_tag(node.tag)} is not allowed in records; write a plain list")
                )
                return None
            return [self.build(item, parts + (index,), depth + 1) for index, item in enumerate(node.value)]
        return self._scalar(node, parts)

    def _mapping(self, node, parts: tuple, depth: int):
        doc = self.doc
        if node.tag != "tag:yaml.org,2002:map":
            doc.problems.append(
                doc.problem(parts, f"the tag {_short_tag(node.tag)} is not allowed in records; write a plain mapping")
            )
            return None
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                if key_node.tag == "tag:yaml.org,2002:merge":
                    message = "merge keys (<<) are not allowed in records; write the fields out"
                else:
                    message = "a field name must be plain text"
                doc.problems.append(Problem(doc.name, *_mark(key_node), json_path(parts), message))
                continue
            key = key_node.value
            child = parts + (key,)
            if key in result or child in doc.key_at:
                first_line = doc.key_at[child][0]
                doc.problems.append(
                    Problem(
                        doc.name,
                        *_mark(key_node),
                        json_path(child),
                        f"duplicate field {quote(key)} (first given on line {first_line}); keep one",
                    )
                )
                continue
            doc.key_at[child] = _mark(key_node)
            result[key] = self.build(value_node, child, depth + 1)
        return result

    def _scalar(self, node, parts: tuple):
        doc = self.doc
        if node.tag not in ALLOWED_SCALAR_TAGS:
            doc.problems.append(
                doc.problem(
                    parts,
                    f"the tag {_short_tag(node.tag)} is not allowed in records; "
                    "they hold plain text, numbers, true/false, lists and mappings",
                )
            )
            return None
        try:
            value = _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
        except (yaml.YAMLError, ValueError) as error:
            doc.problems.append(doc.problem(parts, f"cannot read this value: {error}"))
            return None
        if isinstance(value, str) and REFUSED_CHARACTERS.search(value):
            doc.problems.append(self._refused_character(node, value, parts))
        return value

    def _refused_character(self, node, value: str, parts: tuple) -> Problem:
        """A problem at the first refused character of a value: where it stands in the file,
        or, when the YAML writes it as an escape ("\\u202e"), where the value starts."""
        start, end = node.start_mark, node.end_mark
        found = REFUSED_CHARACTERS.search(self.text, start.index, end.index)
        if found:
            offset = found.start()
            line_start = self.text.rfind("\n", start.index, offset) + 1
            line = start.line + 1 + self.text.count("\n", start.index, offset)
            column = offset - line_start + 1 if line_start else start.column + 1 + offset - start.index
            character, written = found.group(), ""
        else:
            line, column = _mark(node)
            character = REFUSED_CHARACTERS.search(value).group()  # type: ignore[union-attr]  # searched by the caller
            written = ", written as an escape"
        code = f"U+{ord(character):04X}"
        if unicodedata.category(character) in ("Cn", "Cs"):  # a noncharacter or a lone surrogate
            message = f"contains {code}{written}, which is not a character and breaks the feed and pages; remove it"
        else:
            name = f" ({unicodedata.name(character)})" if unicodedata.name(character, "") else ""
            message = f"contains the invisible control character {code}{name}{written}; remove it"
        return Problem(self.doc.name, line, column, json_path(parts), message)


class _TooLarge(Exception):
    pass


# A constructor detached from any stream, used only to turn scalar nodes into values
# (called directly, not through construct_object, which would cache every node).
_CONSTRUCTOR = _RecordLoader("")

"""A problem found in a file, the ways of printing problems, and a writer that prints
them as they are found."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO


class UsageError(Exception):
    """A path or setting a command cannot use: the caller's mistake, not the content's."""


MAX_CHARS = 1_000  # of a problem's path or message: the longest real one, a list of allowed fields, is 400


def quote(value) -> str:
    """A value from a record, for a message: quoted, with newlines and other invisible
    characters escaped, and cut short (a hostile record may hold 100 KB in one value)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:56] + "...'"


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 3] + "..."


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    path: str  # JSON path of the offending value, "$" for the whole document
    message: str
    # An error makes the content invalid; a warning (an abbreviation the glossary does not
    # define) is reported the same way and builds all the same.
    severity: str = "error"

    def __post_init__(self):
        # One problem, one line of sensible length, whatever a record contains.
        for name in ("file", "path", "message"):
            value = getattr(self, name)
            if any(c in value for c in "\r\n\u2028\u2029"):
                value = value.replace("\r", "\\r").replace("\n", "\\n").replace("\u2028", " ").replace("\u2029", " ")
            object.__setattr__(self, name, _cut(value) if name != "file" else value)


def json_path(parts) -> str:
    """("impact", "figures", 0, "value") -> "$.impact.figures[0].value"."""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def display_path(path: Path) -> str:
    """Paths relative to the working directory where possible, as editors and CI expect."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _text_line(p: Problem) -> str:
    warning = "warning: " if p.severity == "warning" else ""
    return f"{p.file}:{p.line}:{p.column}: {p.path}: {warning}{p.message}\n"


def _github_escape(value: str, *, prop: bool = False) -> str:
    # GitHub's workflow-command escaping; properties also escape ':' and ','.
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def _github_line(p: Problem) -> str:
    return (
        f"::{p.severity} file={_github_escape(p.file, prop=True)},line={p.line},col={p.column},"
        f"title={_github_escape(p.path, prop=True)}::{_github_escape(p.message)}\n"
    )


def _json_item(p: Problem) -> str:
    return json.dumps(asdict(p), ensure_ascii=False)


def format_text(problems: Iterable[Problem]) -> str:
    return "".join(_text_line(p) for p in problems)


_FORMATTERS = {"text": _text_line, "github": _github_line, "json": _json_item}
FORMATS = sorted(_FORMATTERS)


class ProblemWriter:
    """Prints problems in one of FORMATS: text (FILE:LINE:COL: $.path: message), GitHub
    annotations, or a JSON list.

    Up to SORTED problems are held and printed in order at the end, as the usual few
    mistakes in a pull request read best; past that many, they are printed as they come,
    so that memory stays flat however many files are broken."""

    SORTED = 10_000

    def __init__(self, stream: TextIO, format: str = "text"):
        self.stream = stream
        self.format = _FORMATTERS[format]
        self.json = format == "json"
        self.held: list[Problem] = []
        self.streaming = False
        self.written = 0
        self.files: set[str] = set()  # the files with problems, for the summary

    @property
    def count(self) -> int:
        return self.written + len(self.held)

    def add(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.files.add(problem.file)
            if self.streaming:
                self._write(problem)
            else:
                self.held.append(problem)
        if len(self.held) > self.SORTED:
            self._flush()
            self.streaming = True

    def close(self) -> None:
        """Print what is held, and end the JSON list."""
        self._flush()
        if self.json:
            self.stream.write("\n]\n" if self.written else "[]\n")
        self.stream.flush()

    def _flush(self) -> None:
        for problem in sorted(self.held):
            self._write(problem)
        self.held = []

    def _write(self, problem: Problem) -> None:
        if self.json:
            self.stream.write("[\n  " if not self.written else ",\n  ")
        self.stream.write(self.format(problem))
        self.written += 1

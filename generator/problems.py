"""A problem found in a file, and the three ways of printing a list of them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    path: str  # JSON path of the offending value, "$" for the whole document
    message: str

    def __post_init__(self):
        # One problem, one line: whatever a record contains, it cannot break the format.
        for name in ("file", "path", "message"):
            value = getattr(self, name)
            if any(c in value for c in "\r\n\u2028\u2029"):
                object.__setattr__(
                    self,
                    name,
                    value.replace("\r", "\\r").replace("\n", "\\n").replace("\u2028", " ").replace("\u2029", " "),
                )


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


def format_text(problems: list[Problem]) -> str:
    return "".join(f"{p.file}:{p.line}:{p.column}: {p.path}: {p.message}\n" for p in problems)


def _github_escape(value: str, *, prop: bool = False) -> str:
    # GitHub's workflow-command escaping; properties also escape ':' and ','.
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(problems: list[Problem]) -> str:
    return "".join(
        f"::error file={_github_escape(p.file, prop=True)},line={p.line},col={p.column},"
        f"title={_github_escape(p.path, prop=True)}::{_github_escape(p.message)}\n"
        for p in problems
    )


def format_json(problems: list[Problem]) -> str:
    return json.dumps([asdict(p) for p in problems], indent=2, ensure_ascii=False) + "\n"


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}

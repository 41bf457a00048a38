"""How to cite a record page: a plain-text citation and a BibTeX entry.

The authors are the record's contributor, if any, and the site's editors; the date is the
record's own last update (never the build date, so the citation is the same on every
build), and the address is the page's permanent published URL.
"""

from __future__ import annotations

import datetime
import re

from .model import Record
from .site import EDITORS, SITE_NAME, Site

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# Characters with a meaning in (La)TeX, written so that they print as themselves.
_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _date(record: Record) -> datetime.date:
    return datetime.date.fromisoformat(record.data["dates"]["updated"])


def authors(record: Record) -> list[str]:
    """The contributor first (the record is their work), then the editors who published it."""
    contributor = record.contributor
    return [contributor["name"], EDITORS] if contributor else [EDITORS]


def citation_text(site: Site, record: Record) -> str:
    """What Works editors (2026). Title. Practice exemplar, What works for schools and families.
    Updated 27 November 2026. URL"""
    date = _date(record)
    title = re.sub(r"\s+", " ", record.data["title"]).rstrip(".")
    return (
        f"{' and '.join(authors(record))} ({date.year}). {title}. {site.kind_label(record)}, {SITE_NAME}. "
        f"Updated {date.day} {MONTHS[date.month - 1]} {date.year}. {site.absolute(site.uri(record))}"
    )


def tex(text: str) -> str:
    return "".join(_TEX_SPECIAL.get(char, char) for char in re.sub(r"\s+", " ", text))


def bibtex(site: Site, record: Record) -> str:
    date = _date(record)
    fields = [
        # Each name in double braces: a corporate author or a name as given, never split into a surname.
        ("author", " and ".join(f"{{{tex(name)}}}" for name in authors(record))),
        ("title", f"{{{tex(record.data['title'])}}}"),  # keep the title's capitals
        ("howpublished", tex(f"{site.kind_label(record)}, {SITE_NAME}")),
        ("year", str(date.year)),
        ("month", BIBTEX_MONTHS[date.month - 1]),
        ("note", tex(f"Updated {date.isoformat()}")),
        ("url", site.absolute(site.uri(record))),
    ]
    lines = [f"  {name} = {value if name == 'month' else '{' + value + '}'}" for name, value in fields]
    return f"@misc{{whatworks:{record.id},\n" + ",\n".join(lines) + "\n}"

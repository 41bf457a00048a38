"""Material's header search: the text it indexes keeps its word boundaries, and finds synonyms.

Material's search plugin takes a page's text from its HTML by joining the text of every
element, so "<dt>Audience</dt><dd>Attendance</dd>" is indexed, and shown in results, as
"AudienceAttendance", which no search finds. spaced() puts a line break after the end
of each block element (and each <br>), where a browser shows a break anyway: the page
looks the same, and the search reads separate words.

add_synonyms() gives each entry of the built search_index.json a "synonyms" field with
every word of each group of synonyms (schemas/vocabularies/synonyms.yaml) its text uses,
as the finder's index does (generator/synonyms.py); mkdocs.yml tells Material's
search to index that field. Results show only the title and text, so the words are
searched but never shown.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

from .synonyms import Synonyms

# Elements a browser lays out as blocks (or table cells): text on either side of their
# end is never one word.
BLOCKS = (
    "address|article|aside|blockquote|caption|dd|details|div|dl|dt|fieldset|figcaption|figure|footer|"
    "form|h[1-6]|header|legend|li|nav|ol|p|section|summary|table|tbody|td|tfoot|th|thead|tr|ul"
)
_BLOCK_END = re.compile(rf"(</(?:{BLOCKS})>|<br\s*/?>)(?=\S)", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")

FIELD = "synonyms"  # the search index's field, named in mkdocs.yml (plugins: search: fields)


def spaced(html: str) -> str:
    """The page's HTML with a line break after each block's end tag, and each <br>, that
    something other than white space follows."""
    return _BLOCK_END.sub("\\1\n", html)


def text_of(html: str) -> str:
    """HTML's text, as the synonyms are looked for in it."""
    return unescape(_TAG.sub(" ", html))


def add_synonyms(search_index: Path, synonyms: Synonyms) -> None:
    """Add to each entry of Material's search_index.json the synonyms its words have."""
    if not search_index.is_file():  # the search plugin is off (the offline copy)
        return
    index = json.loads(search_index.read_text(encoding="utf-8"))
    for entry in index["docs"]:
        words = synonyms.words_for([entry.get("title", ""), text_of(entry.get("text", ""))])
        if words:
            entry[FIELD] = words
    # As Material writes it: compact, so the file stays as small.
    search_index.write_text(json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8")

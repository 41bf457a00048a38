"""Material's header search: the text it indexes keeps its word boundaries, and finds synonyms.

Material's search plugin takes a page's text from its HTML by joining the text of every
element, so "<dt>Audience</dt><dd>Attendance</dd>" is indexed, and shown in results, as
"AudienceAttendance", which no search finds. spaced() puts a line break after the end
of each block element (and each <br>), where a browser shows a break anyway: the page
looks the same, and the search reads separate words.

add_synonyms() gives each entry of Material's search index a "synonyms" field with every
word of each group of synonyms (schemas/vocabularies/synonyms.yaml) its text uses, as the
finder's index does (generator/synonyms.py), before Material writes search_index.json;
mkdocs.yml tells Material's search to index that field. Results show only the title and
text, so the words are searched but never shown.
"""

from __future__ import annotations

import re
from html import unescape

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


Entry = dict  # an entry of Material's search index: "location", "title", "text" (HTML) and more
EntryText = tuple[str, str]  # an entry's title and text, all that its synonyms come from


def search_entries(config) -> list[Entry] | None:
    """The entries of Material's search index so far, in the order its pages were made; None
    without Material's search (the offline copy)."""
    index = getattr(config.plugins.get("material/search"), "search_index", None)
    return getattr(index, "entries", None)


def synonyms_of(entry_text: EntryText, synonyms: Synonyms) -> str:
    """The synonyms the words of an entry's title and text have."""
    title, html = entry_text
    return synonyms.words_for([title, unescape(_TAG.sub(" ", html))])


def entry_text(entry: Entry) -> EntryText:
    return entry.get("title", ""), entry.get("text", "")


def add_synonyms(entries: list[Entry], words: list[str]) -> None:
    """Give each entry its synonyms (words[i] those of entries[i]), where it has any."""
    if len(words) != len(entries):
        raise ValueError(f"synonyms for {len(words)} entries of the search index, which has {len(entries)}")
    for entry, its_words in zip(entries, words, strict=True):
        if its_words:
            entry[FIELD] = its_words

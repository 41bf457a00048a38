"""Record text into safe page content.

Records come by pull request from people we do not know, so nothing in them reaches a
page unescaped: plain fields are escaped for Markdown and HTML, and Markdown fields are
converted here and then cleaned by nh3 to a short list of tags and link addresses.
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from .problems import quote

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "code", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
# An address the page keeps: nh3 drops other schemes, and relative or //host addresses.
_FULL_ADDRESS = re.compile(r"(?i)(https?|mailto):")
MAX_NESTING = 8  # lists inside one another; real records use two or three

# Characters that mean something to Markdown or its extensions inline; each is written
# as a numeric character reference, which every Markdown processor passes through as text.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>&#|~{}=^:!]")
# Unicode bidirectional controls can make text display in a misleading order.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

# CommonMark by markdown-it-py, whose time grows in step with the text whatever it holds
# (Python-Markdown took minutes on a field of brackets). Its nesting limit (20 levels,
# the CommonMark preset's) bounds the work per character; MAX_NESTING keeps valid
# records well inside it (a list and its item are two levels), so they render whole.
# Some CommonMark rules are switched off, each found by tests/test_markup_time.py to make
# markdown-it's time grow with the square of the text: quotes ("> " lines among
# paragraphs and lists: 13 s for 20,000 characters against 0.2 s for 2,500), link
# reference definitions ("[a]: /u" lines) and raw HTML (`]<!--<!---->` repeated: 0.19 s
# for 20,000 characters against 0.007 s for 2,500). Records need none of them: a source's
# words go in a quotation field, with the speaker and the source, links are written
# inline, and raw HTML stays text, as in every other field (nh3 would have dropped
# almost every tag anyway).
_MARKDOWN = MarkdownIt("commonmark").disable(["reference", "blockquote", "html_inline", "html_block"])
# How each token changes the depth of lists inside one another.
_DEPTH_CHANGE = {
    "bullet_list_open": 1,
    "bullet_list_close": -1,
    "ordered_list_open": 1,
    "ordered_list_close": -1,
}


def plain(text: str) -> str:
    return _BIDI_CONTROLS.sub("", str(text))


def markdown_inline(text) -> Markup:
    """Plain text for a Markdown line (headings, table cells): no syntax survives."""
    text = plain(text).replace("\r", " ").replace("\n", " ")
    return Markup(_MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text))


def markdown_block(text) -> Markup:
    """A record's Markdown field as cleaned HTML, ready to sit in a raw HTML block."""
    html = _MARKDOWN.render(plain(text))
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        url_relative="deny",  # relative and //host addresses would lead off or nowhere from a generated page
        link_rel="nofollow noopener",
        strip_comments=True,
    )
    # Blank lines, even the one a final newline makes before the template's next line,
    # would end the raw HTML block in the page's Markdown.
    return Markup(re.sub(r"\n\s*\n", "\n", cleaned).strip())


def markdown_problem(text: str) -> str | None:
    """Why a Markdown field cannot be published as written, or None: a link whose address
    the page would drop, or lists nested deeper than MAX_NESTING.

    (markdown-it makes no link at all of javascript:, vbscript:, file: and data:
    addresses: those stay text, and are no problem here.)"""
    depth = deepest = 0
    for token in _MARKDOWN.parse(text):
        depth += _DEPTH_CHANGE.get(token.type, 0)
        deepest = max(deepest, depth)
        for child in token.children or ():
            href = child.attrGet("href") if child.type == "link_open" else None
            if isinstance(href, str) and not _FULL_ADDRESS.match(href):
                return (
                    f"the link {quote(href)} has no full address; write it in full, starting "
                    "https://, http:// or mailto: (relative and //host links are not kept on the page)"
                )
    if deepest > MAX_NESTING:
        return f"lists are nested {deepest} levels deep; at most {MAX_NESTING} are allowed"
    return None


def code_spans(text) -> Markup:
    """Schema prose for an HTML page: escaped, with `backticks` shown as code."""
    escaped = str(escape(plain(text)))
    return Markup(re.sub(r"`([^`<>]+)`", r"<code>\1</code>", escaped))


def front_matter(text) -> str:
    """A page's title or description for its front matter, escaped for HTML.

    The theme prints page.meta.title and page.meta.description without escaping (in <title>,
    in the header and in a meta attribute), so the escaping has to happen here.
    """
    return str(escape(plain(text).replace("\r", " ").replace("\n", " ")))

"""Record text into safe page content.

Records come by pull request from people we do not know, so nothing in them reaches a
page unescaped: plain fields are escaped for Markdown and HTML, and Markdown fields are
converted here and then cleaned by nh3 to a short list of tags and link schemes.
"""

from __future__ import annotations

import re

import markdown
import nh3
from markupsafe import Markup, escape

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "code", "br", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

# Characters that mean something to Markdown or its extensions inline; each is written
# as a numeric character reference, which every Markdown processor passes through as text.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>&#|~{}=^:!]")
# Unicode bidirectional controls can make text display in a misleading order.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    return _BIDI_CONTROLS.sub("", str(text))


def markdown_inline(text) -> Markup:
    """Plain text for a Markdown line (headings, table cells): no syntax survives."""
    text = plain(text).replace("\r", " ").replace("\n", " ")
    return Markup(_MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text))


# One converter, reset for each field: making a new one each time took most of the time.
_MARKDOWN = markdown.Markdown(extensions=["sane_lists"], output_format="html")


def markdown_block(text) -> Markup:
    """A record's Markdown field as cleaned HTML, ready to sit in a raw HTML block."""
    html = _MARKDOWN.reset().convert(plain(text))
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
    )
    # Blank lines would end the raw HTML block in the page's Markdown.
    return Markup(re.sub(r"\n\s*\n", "\n", cleaned))


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

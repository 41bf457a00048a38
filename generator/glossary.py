"""The glossary: abbreviations and terms marked up on every page, and the validator's
warning on an abbreviation the glossary does not define.

The terms are defined once, in schemas/vocabularies/glossary.yaml. A page's HTML is
marked up in one pass of one compiled regular expression, whatever the number of terms,
so the cost grows with the page, not with the glossary: the first use of each term on a
page (and again inside each <details>, which may stay closed) becomes an <abbr> (or, for
a term that is not an abbreviation, a <span>) that keyboard users can focus, carrying
its expansion in `title` and its definition in `data-definition`, which whatworks.css
shows on focus and hover and print.css prints after the abbreviation. Text inside links,
headings, code, buttons, labels, summaries, scripts, <dfn> and existing <abbr> is left
alone, as are tags and their attributes.

The MkDocs plugin marks up every page (generated and written by hand); `render` writes
the pages for other engines unmarked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import escape

if TYPE_CHECKING:  # MkDocs' process imports this module; the schemas' jsonschema is heavy
    from .schemas import Vocabulary

VOCABULARY = "glossary"
PAGE = "glossary/index.md"  # the page that lists every term, itself left unmarked

# Elements whose text is never marked up: a focusable term inside a link, a button or a
# summary would be a control inside a control; labels and legends name form controls;
# headings feed the page's contents; code is literal. Each is skipped whole, up to its
# closing tag.
_SKIPPED = (
    "a|abbr|button|code|dfn|h[1-6]|kbd|label|legend|option|pre|samp|script|select|style|summary|svg|textarea|title"
)
# Words in capitals that are not abbreviations: roman numerals.
_ROMAN = re.compile(r"[IVXLCDM]+")
# What the validator counts as an abbreviation: two or more capitals or digits, starting
# with a capital, as a whole word; a plural "s" is allowed ("PSWs").
ABBREVIATION = re.compile(r"\b([A-Z][A-Z0-9]+)s?\b")
_ADDRESS = re.compile(r"(?i)\b(?:https?://|mailto:)\S*")


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    expansion: str | None
    definition: str
    see_also: tuple[str, ...] = ()

    @property
    def initial(self) -> str:
        """The letter the glossary page lists it under."""
        return self.label[0].upper()

    @property
    def is_abbreviation(self) -> bool:
        """One word with two or more capitals: CAF, C4EO, DfE. Matched in its own capitals only."""
        return " " not in self.label and sum(c.isupper() for c in self.label) >= 2


# How a character of a term's written form is matched on a page. A page may write an
# apostrophe straight, curly or as a character reference, and "&" as "&amp;".
_APOSTROPHE_FORMS = ("'", "\u2019", "&#39;", "&#x27;", "&rsquo;", "&#8217;")
_CHARACTER = {" ": r"\s+", "'": r"(?:'|\u2019|&#39;|&#x27;|&rsquo;|&#8217;)", "&": "&(?:amp;)?"}


def _trie_pattern(forms: list[tuple[str, bool]], after: str = "") -> str:
    """One regular expression for many written forms, as a trie: forms that share a start
    share its test, so a page is scanned at one speed however many terms there are (an
    alternative per term made marking a page fifty times slower). Each form is (text,
    exact): an abbreviation matches in its capitals only, a term in any case. `after` is
    a test each match must pass where it ends."""
    trie: dict = {}
    for text, exact in forms:
        node = trie
        for char in text:
            key = char if exact or not char.isalpha() else char.lower()
            node = node.setdefault((key, exact or not char.isalpha()), {})
        node[None] = True

    def branches(node: dict, top: bool = False) -> list[str]:
        found = []
        for (char, exact), child in sorted((k, v) for k, v in node.items() if k is not None):
            rest = pattern(child)
            if char in _CHARACTER:
                found.append(_CHARACTER[char] + rest)
            elif exact:
                found.append(re.escape(char) + rest)
            elif top:  # either case, as two plain characters (see below)
                found.extend((char + rest, char.upper() + rest))
            else:
                found.append(f"[{char}{char.upper()}]{rest}")
        return found

    def pattern(node: dict) -> str:
        alternatives = branches(node)
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if None in node else body

    # The first characters stay at the top of the alternation, each a plain character, so
    # that the regular expression engine skips straight to the places where a term could
    # start; each then checks that no letter comes before it (a word boundary). Forms that
    # start with the same character share one alternative (in their order), so that the
    # engine tests each character once at every letter it stops at.
    by_first: dict[str, list[str]] = {}
    for alternative in branches(trie, top=True):
        by_first.setdefault(alternative[0], []).append(alternative[1:])
    return "|".join(f"{first}(?<!\\w.)(?:{'|'.join(rests)})(?:s)?\\b{after}" for first, rests in by_first.items())


def _normal(text: str) -> str:
    """A written form as matched on a page, as the glossary writes it: single spaces, straight apostrophes."""
    text = " ".join(text.split()).replace("&amp;", "&")
    for apostrophe in _APOSTROPHE_FORMS[1:]:
        text = text.replace(apostrophe, "'")
    return text


class Glossary:
    def __init__(self, vocabulary: Vocabulary | None):
        entries = vocabulary.terms if vocabulary else {}
        self.terms = {
            term_id: Term(
                term_id, term["label"], term.get("expansion"), term["description"], tuple(term.get("see_also", []))
            )
            for term_id, term in entries.items()
        }
        # Abbreviations by their exact form, other terms by their form in lower case.
        self._forms: dict[str, Term] = {}
        written: list[tuple[str, bool]] = []
        for term_id, term in entries.items():
            for form in (term["label"], *term.get("also_written", [])):
                exact = self.terms[term_id].is_abbreviation
                self._forms[form if exact else form.lower()] = self.terms[term_id]
                written.append((form, exact))
        # Every alternative starts with a plain character ("<", or a term's first letter),
        # so that the engine skips straight to the places where one could match. Only what
        # needs a decision matches: a skipped element, a comment, a <details>' start or
        # end, and a term that no ">" follows before a "<", so not inside a tag (a page's
        # text has no bare ">": Markdown and the templates escape it). Other tags are
        # passed over by the engine rather than handed to Python one by one.
        terms = _trie_pattern(written, after=r"(?![^<>]*>)")
        self._page = re.compile(
            rf"<(?:(?P<tag>{_SKIPPED})\b[^>]*>.*?</(?P=tag)\s*>|!--.*?-->"
            r"|(?P<open>details\b[^>]*>)|(?P<close>/details\s*>))" + (f"|{terms}" if terms else ""),
            re.S,
        )
        self._written: dict[str, Term | None] = {}  # each form met on a page, and the term it is
        self.defined = {form for form in self._forms if ABBREVIATION.fullmatch(form)}

    def _term(self, written: str) -> Term | None:
        """The term a matched form is, if any: as written, in lower case, or without a plural "s"."""
        if written not in self._written:
            self._written[written] = self._term_of(written)
        return self._written[written]

    def _term_of(self, written: str) -> Term | None:
        text = _normal(written)
        for form in (text, text.lower(), text[:-1], text[:-1].lower()):
            term = self._forms.get(form)
            if term is not None and (form == text or form == text[:-1] or not term.is_abbreviation):
                return term
        return None

    def sorted_terms(self) -> list[Term]:
        """Every term in alphabetical order, as the glossary page lists them."""
        return sorted(self.terms.values(), key=lambda t: t.label.lower())

    def see_also(self, term: Term) -> list[Term]:
        return [self.terms[other] for other in term.see_also if other in self.terms]

    def marked_up(self, html: str) -> str:
        """A page's HTML with the first use of each term marked up (see the module's docstring)."""
        sections: list[set[str]] = [set()]  # the terms marked so far: the page's, then each open <details>'

        def replace(match: re.Match) -> str:
            if match.group("open"):
                sections.append(set())
                return match.group()
            if match.group("close"):
                if len(sections) > 1:
                    sections.pop()
                return match.group()
            if match.group().startswith("<"):  # a comment or a skipped element
                return match.group()
            term = self._term(match.group())
            if term is None:
                return match.group()
            if term.id in sections[-1]:
                return match.group()
            sections[-1].add(term.id)
            # "Common Assessment Framework (CAF)", "C4EO (Centre for ...)": the text spells it
            # out already, so print adds nothing.
            text = match.string
            explained = text[match.start() - 1 : match.start()] == "(" or text[match.end() : match.end() + 2] == " ("
            return _element(term, match.group(), explained)

        return self._page.sub(replace, html)

    def undefined(self, text: str) -> Iterator[tuple[str, int]]:
        """Each abbreviation in a record's text that the glossary does not define, with its
        offset in the text: all capitals, two or more, and not a roman numeral. Web and mail
        addresses are passed over."""
        text = _ADDRESS.sub(lambda m: " " * len(m.group()), text)
        for match in ABBREVIATION.finditer(text):
            word = match.group(1)
            if word not in self.defined and not _ROMAN.fullmatch(word):
                yield word, match.start()


def _element(term: Term, text: str, explained: bool) -> str:
    definition = f"{term.expansion}. {term.definition}" if term.expansion else term.definition
    title = f' title="{escape(term.expansion)}"' if term.expansion else ""
    tag = "abbr" if term.is_abbreviation else "span"
    classes = "ww-gloss ww-gloss--explained" if explained else "ww-gloss"
    return (
        f'<{tag} class="{classes}" tabindex="0"{title} data-term="{term.id}"'
        f' data-definition="{escape(definition)}">{text}</{tag}>'
    )

"""Groups of words that mean the same (schemas/vocabularies/synonyms.yaml), and text split
into index terms as the finder's index splits it.

The finder's index (finder.py) and Material's header search (header_search.py) both give
a text that uses any word of a group every word of the group. This module needs only lunr's
tokeniser's characters, its indexing pipeline and its stemmer, so that MkDocs' process,
which adds synonyms to the header search, does not import the finder.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lunr.pipeline import Pipeline
from lunr.stemmer import stemmer
from lunr.stop_word_filter import stop_word_filter
from lunr.tokenizer import SEPARATOR_CHARS
from lunr.trimmer import trimmer

if TYPE_CHECKING:
    from .schemas import Vocabulary

SYNONYMS = "synonyms"  # the vocabulary of words that mean the same
# The page matches a word of fewer letters than this as a whole word, longer ones as the
# start of words (MIN_PREFIX in assets/finder-index.js).
MIN_PREFIX = 3


def _character_class(chars: str) -> str:
    """A regular-expression character class of exactly `chars`, read the same by Python's re
    and JavaScript's RegExp (with or without the u flag): ASCII letters and digits as they
    are, every other character as \\uXXXX."""
    assert all(ord(c) <= 0xFFFF for c in chars), "\\uXXXX writes only the Basic Multilingual Plane"
    return "[" + "".join(c if c.isascii() and c.isalnum() else f"\\u{ord(c):04x}" for c in chars) + "]"


# The characters lunr.py splits text into words at. The finder's manifest carries it, and
# the page splits the words of a query, and the text it highlights, at the same characters.
SEPARATOR = _character_class(SEPARATOR_CHARS)

# lunr's default indexing pipeline (trim, drop stop words, stem) maps each word on its own,
# the same way wherever it occurs. Running it once per distinct word, rather than once per
# occurrence, and handing lunr the words already split (lunr takes a list as tokens; its
# own tokenizer walks a string a character at a time) gives the same index several times
# faster. The search pipeline, which lunr.js runs on queries, is lunr's own.
_SEPARATORS = re.compile(SEPARATOR + "+")
_INDEXING = Pipeline()
_INDEXING.add(trimmer, stop_word_filter, stemmer)
# str.split() splits at white space, which is lunr's separators but "-" and these: where a
# text has none of them, "-" made a space and str.split() split it as lunr does, in a
# fraction of the time (tests/test_synonyms.py checks the list).
_OTHER_SPACES = re.compile(r"[\x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def _words(text: str) -> list[str]:
    """The text's words in lower case, split where lunr splits them."""
    lower = text.lower()
    if _OTHER_SPACES.search(lower):
        return [word for word in _SEPARATORS.split(lower) if word]
    return lower.replace("-", " ").split()


@functools.cache
def _index_terms(word: str) -> tuple[str, ...]:
    return tuple(_INDEXING.run_string(word))


def index_terms(text: str) -> list[str]:
    """The text's words as lunr indexes them, in order: split, trimmed, stop words dropped, stemmed."""
    return [term for word in _words(text) for term in _index_terms(word)]


# A word of a synonym as the page matches a typed word: its stem and the word itself, each
# as the start of an index term, or the stem alone as a whole term for a short word.
Word = tuple[str, str, bool]  # (stem, word, whole term only)


def _word(text: str) -> Word | None:
    stems = _index_terms(text)
    return (stems[0], text, len(text) < MIN_PREFIX) if stems else None


@functools.cache
def _phrase_pattern(phrase: tuple[Word, ...]) -> re.Pattern:
    """A phrase's words in a row, in a run of index terms with a space before and after each:
    each word as the start of a term (or, for a short word, the whole term). One search of a
    run's text, not a comparison at every position: the header search asks this of every
    section of a site. Starting with a space and the first word's letters, the pattern lets
    the engine skip straight to where that word is."""
    parts = [
        re.escape(stem) if whole else f"(?:{re.escape(stem)}|{re.escape(raw)})[^ ]*" for stem, raw, whole in phrase
    ]
    return re.compile(" " + " ".join(parts) + "(?= )")


@dataclass(frozen=True)
class Synonyms:
    """Groups of words that mean the same (schemas/vocabularies/synonyms.yaml), applied when
    an index is built: a text that uses any word of a group gets every word of the group
    in its "synonyms" field, so that each word finds what the others find. A text "uses" a
    word where a search for that word would find it: an index term starting with the word
    or its stem (as the page matches the words typed), and a phrase's words in a row.

    A site's texts share most of their words, so what each distinct word of a text gives
    (which words of the groups its index terms use) is worked out once and kept: a text
    then costs a set lookup per distinct word, and the search for a phrase's words in a row
    is made only when the text has every one of them."""

    groups: tuple[tuple[str, tuple[tuple[Word, ...], ...]], ...]  # (all its words as text, its phrases)
    # The words of the groups by what an index term must start with to use them, and
    # (words shorter than MIN_PREFIX) by what it must be.
    _starts: dict[str, list[Word]] = field(init=False, repr=False, compare=False)
    _wholes: dict[str, list[Word]] = field(init=False, repr=False, compare=False)
    _alone: dict[Word, list[int]] = field(init=False, repr=False, compare=False)  # groups where a word is a phrase
    _phrases: list[tuple[int, tuple[Word, ...]]] = field(init=False, repr=False, compare=False)  # of two words or more
    # What is known of each word of a text met so far: its index terms, joined by spaces;
    # the words of the groups it gives, or that it gives none.
    _terms: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _gives: dict[str, frozenset[Word]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _plain: set[str] = field(default_factory=set, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts: dict[str, list[Word]] = {}
        wholes: dict[str, list[Word]] = {}
        alone: dict[Word, list[int]] = {}
        phrases: list[tuple[int, tuple[Word, ...]]] = []
        for group, (_, group_phrases) in enumerate(self.groups):
            for phrase in group_phrases:
                if len(phrase) == 1:
                    alone.setdefault(phrase[0], []).append(group)
                else:
                    phrases.append((group, phrase))
                for word in phrase:
                    stem, raw, whole = word
                    for key, table in ((stem, wholes),) if whole else ((stem, starts), (raw, starts)):
                        if word not in table.setdefault(key, []):
                            table[key].append(word)
        for name, value in (("_starts", starts), ("_wholes", wholes), ("_alone", alone), ("_phrases", phrases)):
            object.__setattr__(self, name, value)

    @classmethod
    @functools.cache
    def of(cls, groups: tuple[tuple[str, ...], ...]) -> Synonyms:
        """Synonyms from groups of words (or words in a row)."""
        made = []
        for group in groups:
            phrases = []
            for phrase in group:
                words = tuple(w for w in (_word(part) for part in _SEPARATORS.split(phrase.lower()) if part) if w)
                if words:
                    phrases.append(words)
            made.append((" ".join(group), tuple(phrases)))
        return cls(tuple(made))

    def _learn(self, word: str) -> None:
        """Work out, and keep, a word's index terms and the words of the groups they give."""
        terms = _index_terms(word)
        self._terms[word] = " ".join(terms)
        given: set[Word] = set()
        for term in terms:
            given.update(self._wholes.get(term, ()))
            for end in range(len(term) + 1):
                given.update(self._starts.get(term[:end], ()))
        if given:
            self._gives[word] = frozenset(given)
        else:
            self._plain.add(word)

    def words_for(self, texts: list[str]) -> str:
        """Every word of every group the texts use, to be indexed with them."""
        if not self.groups:
            return ""
        split = [_words(text) for text in texts]
        words = set().union(*split)
        words -= self._plain
        for word in words.difference(self._gives):  # met for the first time
            self._learn(word)
        words -= self._plain
        if not words:
            return ""
        given: set[Word] = set().union(*map(self._gives.__getitem__, words))
        used = {group for word in given for group in self._alone.get(word, ())}
        runs: list[str] | None = None  # each text's index terms, a space before and after each
        for group, phrase in self._phrases:
            if group in used or not given.issuperset(phrase):
                continue
            if runs is None:
                runs = [f" {' '.join(filter(None, map(self._terms.__getitem__, text)))} " for text in split]
            if any(_phrase_pattern(phrase).search(run) for run in runs):
                used.add(group)
        return " ".join(self.groups[group][0] for group in sorted(used))

    def single_word_stems(self) -> list[list[str]]:
        """Each group's one-word synonyms as index terms: the page marks them in a result
        that a synonym found, as it marks the words typed."""
        groups = [sorted({phrase[0][0] for phrase in phrases if len(phrase) == 1}) for _, phrases in self.groups]
        return [group for group in groups if len(group) > 1]


def synonyms(vocabularies: dict[str, Vocabulary]) -> Synonyms:
    """The groups of synonyms in these vocabularies (none if there is no such vocabulary)."""
    vocabulary = vocabularies.get(SYNONYMS)
    terms = vocabulary.terms.values() if vocabulary else ()
    return Synonyms.of(tuple(tuple(term.get("words", ())) for term in terms))

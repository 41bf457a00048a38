"""Synonyms (schemas/vocabularies/synonyms.yaml) in the finder's index and in Material's header
search, and the header search's text keeping its words apart. The browser side is in
test_finder.py."""

import json
import re
import shutil
from html import unescape

import pytest
from lunr.query import Query, QueryPresence
from lunr.stemmer import stemmer
from lunr.token import Token
from lunr.tokenizer import SEPARATOR_CHARS
from material.plugins.search.plugin import Parser

from conftest import ROOT, real_corpus, run_generator
from generator import finder
from generator.cli import site_url
from generator.header_search import spaced
from generator.site import Site
from generator.synonyms import _OTHER_SPACES, _SEPARATORS, Synonyms, _index_terms, index_terms

CORPUS = real_corpus()
SITE = Site(CORPUS, site_url(ROOT))
RECORDS = finder.records(SITE)
GROUPS = {term_id: term["words"] for term_id, term in CORPUS.vocabularies["synonyms"].terms.items()}
INDEX = finder.lunr_index(finder.index_documents(SITE, RECORDS))


def found_by(word: str) -> set[str]:
    """What the finder page asks lunr for one word: its stem as the start of a term, required."""
    query = INDEX.create_query()
    query.term(
        str(stemmer(Token(word))), use_pipeline=False, wildcard=Query.WILDCARD_TRAILING, presence=QueryPresence.REQUIRED
    )
    return {RECORDS[int(result["ref"])].id for result in INDEX.query(query)}


def test_truancy_and_attendance_find_the_same_records_both_ways():
    truancy, attendance = found_by("truancy"), found_by("attendance")
    assert not any("truan" in json.dumps(r.data).lower() for r in RECORDS), "no record says truancy: the synonym finds"
    assert truancy == attendance
    assert "school-home-support-liverpool-sefton" in truancy  # says "absence", "absentee" and "attendance"
    assert "central-learning-partnership-parent-support-workers" in truancy


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_every_one_word_synonym_finds_what_the_others_find(group):
    words = [w for w in GROUPS[group] if not re.search(r"[\s-]", w)]
    results = {word: found_by(word) for word in words}
    for word in words:
        assert results[word] == results[words[0]], f"{word!r} and {words[0]!r} differ"


def test_a_phrase_is_a_synonym_only_as_words_in_a_row():
    synonyms = Synonyms.of((("transition", "move to secondary"),))
    assert synonyms.words_for(["Support for the move to secondary school"]) == "transition move to secondary"
    assert synonyms.words_for(["Parents move house; the secondary school"]) == ""
    assert synonyms.words_for(["Transitional arrangements"]) == "transition move to secondary"
    assert Synonyms.of(()).words_for(["anything"]) == ""


def test_a_text_is_split_into_words_where_lunr_splits_it():
    """Synonyms split a text with str.split() where it can: it must give lunr's words."""
    spaces = {chr(c) for c in range(0x110000) if chr(c).isspace()}  # where str.split() splits
    assert set(SEPARATOR_CHARS) - {"-"} <= spaces
    assert {c for c in spaces if _OTHER_SPACES.fullmatch(c)} == spaces - set(SEPARATOR_CHARS)
    wellbeing = Synonyms.of((("wellbeing", "well-being"),))
    for text, expected in (
        ("Staff well-being", "wellbeing well-being"),
        ("Staff well\xa0being", "wellbeing well-being"),
        # An em space is white space to Python, not to lunr: one word, so no phrase.
        ("Staff well\u2003being", ""),
        ("Staff\u2003wellbeing", ""),
        ("Wellbeing of staff", "wellbeing well-being"),
    ):
        assert wellbeing.words_for([text]) == expected, text
        assert [term for word in _SEPARATORS.split(text.lower()) if word for term in _index_terms(word)] == (
            index_terms(text)
        ), text


def test_what_each_word_gives_is_kept_and_gives_the_same_again():
    synonyms = Synonyms.of((("transition", "move to secondary"), ("parents", "carers")))
    texts = ["Carers help with the move to secondary school", "Parents and the school"]
    first = [synonyms.words_for([text]) for text in texts]
    assert first == ["transition move to secondary parents carers", "parents carers"]
    assert [synonyms.words_for([text]) for text in texts] == first
    assert synonyms.words_for(["Secondary school: a move"]) == ""  # its words, not in a row


def test_the_manifest_gives_the_page_each_groups_one_word_stems(site_dir):
    manifest = json.loads((site_dir / "finder" / "facets.json").read_text(encoding="utf-8"))
    attendance = next(group for group in manifest["synonyms"] if "attend" in group)
    assert {"absenc", "absent", "truanci", "truant"} <= set(attendance)


def _vocabulary_problem(tmp_path, old: str, new: str) -> str:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "schemas", project / "schemas")
    shutil.copytree(ROOT / "content", project / "content")
    vocabulary = project / "schemas" / "vocabularies" / "synonyms.yaml"
    text = vocabulary.read_text(encoding="utf-8")
    assert old in text
    vocabulary.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_generator("--root", str(project), "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    return result.stdout


def test_a_word_in_two_groups_is_refused_at_its_line(tmp_path):
    out = _vocabulary_problem(tmp_path, "words: [pupils, students, learners]", "words: [pupils, students, truancy]")
    line = next(
        n
        for n, text in enumerate((ROOT / "schemas/vocabularies/synonyms.yaml").read_text().splitlines(), 1)
        if "pupils, students" in text
    )
    assert re.search(
        rf"synonyms\.yaml:{line}:\d+: \$\.terms\[\d+\]\.words\[2\]: 'truancy' is already in the group 'attendance'", out
    ), out


def test_a_capitalised_synonym_is_refused(tmp_path):
    out = _vocabulary_problem(tmp_path, "words: [wellbeing, well-being]", "words: [Wellbeing, well-being]")
    assert "synonyms.yaml:" in out and "words[0]" in out and "Wellbeing" in out


# ---- Material's header search -----------------------------------------------------------


def _search_index(site_dir) -> dict:
    return json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))


def test_material_reads_block_ends_as_spaces():
    html = "<dl><div><dt>Audience</dt><dd>Attendance</dd></div></dl><p>One<br>Two</p><td>a</td><td>b</td>"
    for text, expected in ((html, False), (spaced(html), True)):
        parser = Parser()
        parser.feed(text)
        parser.close()
        words = "".join(parser.data[0].text)
        assert ("Audience" in words and "Attendance" in words) and (
            ("AudienceAttendance" not in words and "OneTwo" not in words) == expected
        ), words


def test_the_header_search_index_has_no_words_run_together(site_dir):
    joined = set()
    for entry in _search_index(site_dir)["docs"]:
        # Code (a name such as localStorage) is written joined on purpose.
        prose = re.sub(r"<code>.*?</code>", " ", entry["text"], flags=re.S)
        text = unescape(re.sub(r"<[^>]*>", " ", prose))
        joined |= set(re.findall(r"\b[a-z]{2,}[A-Z][a-z]{2,}\w*", text))
    assert joined == set()
    page = " ".join(
        unescape(re.sub(r"<[^>]*>", " ", e["text"]))
        for e in _search_index(site_dir)["docs"]
        if e["location"].startswith("exemplars/school-home-support-liverpool-sefton/")
    )
    assert "Who checked it Provider's own report" in re.sub(r"\s+", " ", page)


def test_the_header_search_finds_synonyms_and_each_record_on_its_own_page(site_dir):
    index = _search_index(site_dir)
    assert index["config"]["fields"]["synonyms"]["boost"] < index["config"]["fields"]["text"]["boost"]
    with_truancy = {e["location"].split("#")[0] for e in index["docs"] if "truancy" in e.get("synonyms", "").split()}
    assert "exemplars/school-home-support-liverpool-sefton/" in with_truancy
    # A record's card, a pack's handout and present mode, and a record's related lists are
    # not indexed: the words of a record lead to that record's page.
    locations = [e["location"] for e in index["docs"]]
    assert not [loc for loc in locations if loc.endswith(("/handout/", "/present/"))]
    listing = next(e for e in index["docs"] if e["location"] == "exemplars/")
    assert "Strength of evidence" not in listing["text"]
    assert not [loc for loc in locations if loc.endswith(("#cite-this-page", "#related-exemplars"))]


def test_the_header_search_and_the_finder_find_the_same_records_for_attendance(site_dir):
    """The header search also finds guidance, packs, themes and vocabularies, and reads a
    record's key facts (outcomes, target groups) that the finder offers as filters; for
    the records themselves, the two agree on these words."""

    def header(word: str) -> set[str]:
        found = set()
        for entry in _search_index(site_dir)["docs"]:
            match = re.match(r"(?:exemplars|evidence)/([^/#]+)/", entry["location"])
            text = " ".join(
                [entry["title"], unescape(re.sub(r"<[^>]*>", " ", entry["text"])), entry.get("synonyms", "")]
            )
            if match and any(token.startswith(word) for token in re.split(r"[\s\-]+", text.lower())):
                found.add(match.group(1))
        return found

    for word in ("attendance", "truancy", "absence", "exclusion", "poverty"):
        assert header(word) == found_by(word), word

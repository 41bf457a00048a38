"""The finder's data files: lunr versions agree, shards hold the whole index, facets are exact."""

import base64
import datetime
import json
import multiprocessing
import re
import signal
import struct
import subprocess
import sys
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from html.parser import HTMLParser
from pathlib import Path

import lunr as lunr_py
from lunr.tokenizer import SEPARATOR_CHARS, Tokenizer

from conftest import ROOT, real_corpus
from generator import finder
from generator.cli import site_url
from generator.site import Site

CORPUS = real_corpus()
SITE = Site(CORPUS, site_url(ROOT))
RECORDS = finder.records(SITE)


def test_lunr_py_targets_the_lunr_js_the_generator_ships():
    shipped = finder.lunr_js_version(finder.lunr_js())
    assert shipped, "no version found in the header of generator/vendor/lunr.js"
    assert lunr_py.__TARGET_JS_VERSION__ == shipped
    assert b"@license MIT" in finder.lunr_js()[:200], "keep lunr.js's licence header"


def test_the_site_ships_the_generators_lunr_js_unchanged(site_dir):
    assert (site_dir / "finder" / "lunr.js").read_bytes() == finder.lunr_js()


def test_the_manifest_gives_lunr_py_word_separator(site_dir):
    # The page splits a query, and the text it highlights, at the manifest's separator:
    # it must be exactly the characters lunr.py's tokenizer splits the records at.
    manifest = json.loads((site_dir / "finder" / "facets.json").read_text(encoding="utf-8"))
    separator = re.compile(manifest["separator"])
    assert {chr(c) for c in range(0x10000) if separator.fullmatch(chr(c))} == set(SEPARATOR_CHARS)
    assert re.fullmatch(r"\[(\\u[0-9a-f]{4}|[A-Za-z0-9])+\]", manifest["separator"]), (
        "read alike by Python and JavaScript"
    )
    text = "Multi-agency\u00a0work,\tparents' evenings\u2003(year 7) school\u2013home  -- end"
    assert [word for word in re.split(manifest["separator"] + "+", text.lower()) if word] == [
        str(token) for token in Tokenizer(text)
    ]


def _decode_shards(site_dir, manifest):
    """The shards read back into lunr's serialised form: {term: posting}, {field/ref: {index: weight}}."""
    fields = manifest["index"]["fields"]
    inverted, vectors = {}, {}
    for number, first in enumerate(manifest["index"]["shards"]):
        terms = json.loads((site_dir / "finder" / "index" / f"{number}.json").read_text(encoding="utf-8"))
        assert terms[0][0] == first
        for term, term_index, per_field in terms:
            posting = {"_index": term_index}
            for field, flat in zip(fields, per_field, strict=True):
                refs, ref = {}, 0
                for position in range(0, len(flat), 2):
                    ref += flat[position]
                    refs[str(ref)] = {}
                    vectors.setdefault(f"{field}/{ref}", {})[term_index] = flat[position + 1]
                posting[field] = refs
            inverted[term] = posting
    return inverted, vectors


def test_the_index_is_the_one_lunr_builds_with_its_own_pipeline():
    # The build runs lunr's indexing pipeline once per distinct word and hands lunr the
    # words already split; the index must be what lunr.py makes from the text itself.
    documents = finder.index_documents(SITE, RECORDS)
    fields = [{"field_name": field, "boost": boost} for field, boost in finder.FIELDS]
    assert (
        finder.lunr_index(documents).serialize()
        == lunr_py.lunr(ref="ref", fields=fields, documents=documents).serialize()
    )


def test_the_index_built_in_a_second_process_is_the_same(monkeypatch):
    monkeypatch.setattr(finder, "BACKGROUND_FROM", 1)
    with finder.index_in_background(SITE) as index:
        assert multiprocessing.active_children(), "no second process was started"
        in_background = finder.data_files(SITE, index())
    assert in_background == finder.data_files(SITE)


def test_when_the_second_process_breaks_the_index_is_built_here(monkeypatch):
    class BrokenPool:
        def __init__(self, **options):
            pass

        def submit(self, *call):
            future = Future()
            future.set_exception(BrokenProcessPool("the process was killed"))
            return future

        def shutdown(self, **options):
            pass

    monkeypatch.setattr(finder, "BACKGROUND_FROM", 1)
    monkeypatch.setattr(finder, "ProcessPoolExecutor", BrokenPool)
    with finder.index_in_background(SITE) as index:
        assert index() == finder.index_shards(finder.index_documents(SITE, RECORDS))


def test_the_shards_hold_the_whole_index_in_order(site_dir):
    manifest = json.loads((site_dir / "finder" / "facets.json").read_text(encoding="utf-8"))
    serialised = finder.lunr_index(finder.index_documents(SITE, RECORDS)).serialize()
    inverted, vectors = _decode_shards(site_dir, manifest)
    assert list(inverted) == [term for term, _ in serialised["invertedIndex"]]  # sorted, no gaps, no overlaps
    assert inverted == dict(serialised["invertedIndex"])
    # An empty field has an empty vector, which no query can match: the shards leave it out.
    expected = {
        ref: dict(zip(elements[::2], elements[1::2], strict=True))
        for ref, elements in serialised["fieldVectors"]
        if elements
    }
    assert vectors == expected
    assert manifest["index"]["version"] == serialised["version"]
    assert manifest["index"]["fields"] == [field for field, _ in finder.FIELDS]


def _members(bitset: str) -> set[int]:
    data = base64.b64decode(bitset)
    return {n for n in range(len(data) * 8) if data[n // 8] >> (n % 8) & 1}


def test_facet_bitsets_are_exactly_the_records_with_each_value(site_dir):
    manifest = json.loads((site_dir / "finder" / "facets.json").read_text(encoding="utf-8"))
    assert manifest["records"] == len(CORPUS.exemplars) + len(CORPUS.evidence)

    def expected(facet, value):
        """Read from the records here, not through the finder's own extractors."""
        found = set()
        for n, record in enumerate(RECORDS):
            data, exemplar = record.data, record.kind.folder == "exemplars"
            values = {
                "type": ["exemplar" if exemplar else data["type"]],
                "rating": [data["evidence_rating"]["level"]] if exemplar else [],
                "theme": data["themes"],
                "phase": data.get("phases", []),
                "country": [data["place"]["country"]] if exemplar else data.get("countries", []),
                "group": data.get("target_groups", []),
                "ecm": data["outcomes"].get("ecm", []),
                "shanarri": data["outcomes"].get("shanarri", []),
                "design": data["evidence_rating"]["study_designs"] if exemplar else [data.get("study_design")],
            }[facet]
            if value in values:
                found.add(n)
        return found

    for facet, values in manifest["facets"].items():
        for value, bitset in values.items():
            assert _members(bitset) == expected(facet, value), f"{facet}={value}"
    validated = _members(manifest["facets"]["rating"]["validated"])
    assert {RECORDS[n].id for n in validated} == {
        i for i, r in CORPUS.exemplars.items() if r.data["evidence_rating"]["level"] == "validated"
    }


class _Labels(HTMLParser):
    """Each facet's legend and its checkboxes' label texts, from the finder page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.facets: dict[str, tuple[str, list[str]]] = {}
        self._facet = self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "fieldset" and "data-facet" in attrs:
            self._facet = attrs["data-facet"]
            self.facets[self._facet] = ("", [])
        elif self._facet and tag in ("legend", "label"):
            self._in = tag
            if tag == "label":
                self.facets[self._facet][1].append("")
        elif tag == "span":
            self._in = None  # the count follows the label's text

    def handle_endtag(self, tag):
        if tag == "fieldset":
            self._facet = None
        if tag in ("legend", "label"):
            self._in = None

    def handle_data(self, data):
        if self._facet and self._in == "legend":
            self.facets[self._facet] = (self.facets[self._facet][0] + data, self.facets[self._facet][1])
        elif self._facet and self._in == "label":
            self.facets[self._facet][1][-1] += data


def test_facet_labels_are_the_vocabularies_labels(site_dir):
    page = _Labels()
    page.feed((site_dir / "find" / "index.html").read_text(encoding="utf-8"))
    vocabularies = {
        "rating": "rating-levels",
        "theme": "themes",
        "phase": "phases",
        "country": "countries",
        "group": "target-groups",
        "ecm": "ecm-outcomes",
        "shanarri": "shanarri",
        "design": "study-designs",
    }
    for facet, vocabulary_id in vocabularies.items():
        vocabulary = CORPUS.vocabularies[vocabulary_id]
        legend, labels = page.facets[facet]
        assert legend.strip() == vocabulary.title
        assert [label.strip() for label in labels] == [term["label"] for term in vocabulary.terms.values()]
    types = [label.strip() for label in page.facets["type"][1]]
    assert types[1:] == [term["label"] for term in CORPUS.vocabularies["evidence-types"].terms.values()]


def test_every_record_has_a_card_with_what_its_page_shows(site_dir):
    for n, record in enumerate(RECORDS):
        card = json.loads((site_dir / "finder" / "cards" / f"{n}.json").read_text(encoding="utf-8"))
        assert card["title"] == record.data["title"]
        assert card["summary"] == record.data["summary"]
        assert (site_dir / card["url"] / "index.html").is_file()
        # The two signals, apart: strength (0 to 4 and the design that sets it) and who checked it.
        designs = CORPUS.vocabularies["study-designs"].terms
        if record.kind.folder == "exemplars":
            level = record.data["evidence_rating"]["level"]
            strongest = max(record.data["evidence_rating"]["study_designs"], key=lambda d: designs[d]["strength"])
            assert card["strength"] == [designs[strongest]["strength"], designs[strongest]["label"]]
            assert card["checked"] == [level, CORPUS.vocabularies["rating-levels"].label(level)]
        else:
            assert card["checked"] == ["not-rated", CORPUS.vocabularies["rating-levels"].label("not-rated")]
        headline = SITE.headline(record)
        if headline:
            assert card["figure"] == [headline["value"], headline["measures"]]
            assert headline["kind"] == "outcome"
        else:
            assert card.get("figure", "absent") == (None if record.kind.folder == "exemplars" else "absent")


def test_the_finder_is_in_the_nav_and_records_are_not():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n")[1].split("\n\n")[0]
    assert "find/index.md" in nav
    assert not any(record.id in nav for record in RECORDS)


def test_update_dates_are_the_records_dates(site_dir):
    manifest = json.loads((site_dir / "finder" / "facets.json").read_text(encoding="utf-8"))
    raw = base64.b64decode(manifest["updated"])
    days = struct.unpack(f"<{len(raw) // 2}H", raw)
    dates = [(datetime.date(2000, 1, 1) + datetime.timedelta(days=d)).isoformat() for d in days]
    assert dates == [record.data["dates"]["updated"] for record in RECORDS]


def test_the_second_process_ends_when_the_build_is_killed(tmp_path):
    script = tmp_path / "killed_build.py"
    script.write_text(
        f"""
import multiprocessing, os, signal, sys
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from generator import finder
from generator.site import Site
from generator.validate import check_project

if __name__ == "__main__":
    finder.BACKGROUND_FROM = 1
    site = Site(check_project(Path({str(ROOT)!r})).corpus, "https://example.org/")
    with finder.index_in_background(site):
        print(multiprocessing.active_children()[0].pid, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
""",
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    child = Path(f"/proc/{int(done.stdout)}/status")
    deadline = time.monotonic() + 15
    while child.exists() and "State:\tZ" not in child.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not child.exists() or "State:\tZ" in child.read_text(), "the second process outlived the build"

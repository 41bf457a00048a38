"""Records to Markdown pages, through the Jinja templates in generator/templates/.

Files are returned in memory, each with its path in the docs folder; the MkDocs plugin
adds them to the build and `python -m generator render` writes them to disk.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from . import finder
from .markup import markdown_block, markdown_inline, plain
from .validate import Corpus, Record

TEMPLATES = Path(__file__).parent / "templates"

# The outcome frameworks: URL folder -> vocabulary id.
FRAMEWORKS = {"every-child-matters": "ecm-outcomes", "shanarri": "shanarri"}
FRAMEWORK_FIELD = {"ecm-outcomes": "ecm", "shanarri": "shanarri"}
FEATURED_COUNT = 3


@dataclass(frozen=True)
class GeneratedFile:
    src_uri: str  # path in the docs folder, e.g. "exemplars/warrington-family-support-model.md"
    content: str | bytes  # Markdown for pages; any text or bytes for data files
    source: str | None = None  # repository path of the file to edit for this page, if any


def page_url(src_uri: str) -> str:
    """The site URL of a docs path with MkDocs' use_directory_urls: a/b.md -> a/b/."""
    stem = src_uri.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def relative_url(target_uri: str, from_uri: str) -> str:
    """A link from one page to another (or to a file) that works under any site prefix."""
    target = page_url(target_uri) if target_uri.endswith(".md") else target_uri
    base = page_url(from_uri)
    link = posixpath.relpath(target or ".", base or ".")
    if target.endswith("/") or not target:
        link = link.rstrip("/") + "/" if link != "." else "./"
    return link


class Site:
    """What templates ask of the corpus: labels, links between records, listings."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.vocab = corpus.vocabularies

    def label(self, vocabulary: str, term: str) -> str:
        return self.vocab[vocabulary].label(term)

    def exemplars(self) -> list[Record]:
        rank = self.vocab["rating-levels"].terms
        return sorted(self.corpus.exemplars.values(),
                      key=lambda r: (rank[r.data["evidence_rating"]["level"]]["rank"], r.data["title"].lower()))

    def evidence(self) -> list[Record]:
        by_title = sorted(self.corpus.evidence.values(), key=lambda r: r.data["title"].lower())
        return sorted(by_title, key=lambda r: r.data["date"], reverse=True)

    def uri(self, record: Record) -> str:
        return f"{record.kind}/{record.id}.md"

    def place(self, record: Record) -> str:
        if record.kind == "exemplars":
            place = record.data["place"]
            parts = [place.get("setting"), place["area"], self.label("countries", place["country"])]
        else:
            parts = [self.label("countries", c) for c in record.data.get("countries", [])]
        return ", ".join(plain(p) for p in parts if p)

    def phases(self, record: Record) -> str:
        return ", ".join(self.label("phases", p) for p in record.data.get("phases", []))

    def card_facts(self, record: Record) -> list[tuple[str, str]]:
        """Labelled facts for a card, leaving out what the source does not state."""
        if record.kind == "exemplars":
            facts = [("Where", self.place(record)), ("When", record.data["period"]["as_stated"]), ("Phase", self.phases(record))]
        else:
            facts = [("Published by", record.data["publisher"]), ("Date", record.data["date"]), ("Where", self.place(record))]
        return [(label, plain(value)) for label, value in facts if value and not value.lower().startswith(("not stated", "not reported"))]

    def headline(self, record: Record) -> dict | None:
        figures = record.data.get("impact", {}).get("figures", [])
        return next((f for f in figures if f.get("headline")), None)

    def source(self, record: Record, source_id: str) -> dict:
        return next(s for s in record.data["sources"] if s["id"] == source_id)

    def source_number(self, record: Record, source_id: str) -> int:
        """Position of a source in the record's numbered Sources list."""
        return 1 + [s["id"] for s in record.data["sources"]].index(source_id)

    def evidence_for(self, exemplar: Record) -> list[Record]:
        """Evidence the exemplar names, and evidence that names the exemplar."""
        named = set(exemplar.data.get("related_evidence", []))
        return [e for e in self.evidence() if e.id in named or exemplar.id in e.data.get("exemplars", [])]

    def exemplars_for(self, evidence: Record) -> list[Record]:
        named = set(evidence.data.get("exemplars", []))
        return [x for x in self.exemplars() if x.id in named or evidence.id in x.data.get("related_evidence", [])]

    def related_exemplars(self, exemplar: Record) -> list[Record]:
        named = set(exemplar.data.get("related_exemplars", []))
        return [x for x in self.exemplars()
                if x.id != exemplar.id and (x.id in named or exemplar.id in x.data.get("related_exemplars", []))]

    def tagged(self, vocabulary: str, term: str) -> tuple[list[Record], list[Record]]:
        """Exemplars and evidence tagged with a theme or an outcome term."""
        def has(record: Record) -> bool:
            if vocabulary == "themes":
                return term in record.data["themes"]
            return term in record.data["outcomes"].get(FRAMEWORK_FIELD[vocabulary], [])
        return [r for r in self.exemplars() if has(r)], [r for r in self.evidence() if has(r)]

    def count_by_level(self, level: str) -> int:
        return sum(1 for r in self.corpus.exemplars.values() if r.data["evidence_rating"]["level"] == level)

    def term_uri(self, vocabulary: str, term: str) -> str:
        if vocabulary == "themes":
            return f"themes/{term}.md"
        folder = next(folder for folder, v in FRAMEWORKS.items() if v == vocabulary)
        return f"outcomes/{folder}/{term}.md"

    def shanarri_for(self, ecm_term: str) -> list[str]:
        """The crosswalk read backwards: SHANARRI indicators mapped to an ECM outcome."""
        return [t for t, term in self.vocab["shanarri"].terms.items() if ecm_term in term.get("ecm", [])]

    def featured(self) -> list[Record]:
        return self.exemplars()[:FEATURED_COUNT]


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # every value from a record is HTML-escaped unless a filter says otherwise
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_block
    env.filters["inline"] = markdown_inline
    env.filters["plain"] = plain
    return env


def render_site(corpus: Corpus) -> list[GeneratedFile]:
    """Every generated file of the site: pages, then data files."""
    return render_pages(corpus) + [GeneratedFile(path, content) for path, content in finder.data_files(Site(corpus)).items()]


def render_pages(corpus: Corpus) -> list[GeneratedFile]:
    env = _environment()
    site = Site(corpus)
    pages: list[GeneratedFile] = []

    def add(template: str, src_uri: str, source: str | None = None, **context) -> None:
        content = env.get_template(template).render(
            site=site, page_uri=src_uri, link=lambda target: relative_url(target, src_uri), **context
        )
        pages.append(GeneratedFile(src_uri, content, source))

    add("home.md.j2", "index.md")
    add("exemplar_index.md.j2", "exemplars/index.md")
    for record in site.exemplars():
        add("exemplar.md.j2", site.uri(record), f"content/exemplars/{record.id}.yaml", record=record)
    add("evidence_index.md.j2", "evidence/index.md")
    for record in site.evidence():
        add("evidence.md.j2", site.uri(record), f"content/evidence/{record.id}.yaml", record=record)

    themes = site.vocab["themes"]
    add("theme_index.md.j2", "themes/index.md", f"schemas/vocabularies/{themes.id}.yaml", vocabulary=themes)
    for term_id, term in themes.terms.items():
        add("term.md.j2", f"themes/{term_id}.md", f"schemas/vocabularies/{themes.id}.yaml",
            vocabulary=themes, term=term, section="Themes", section_uri="themes/index.md")

    add("outcome_index.md.j2", "outcomes/index.md", frameworks=FRAMEWORKS)
    for folder, vocabulary_id in FRAMEWORKS.items():
        vocabulary = site.vocab[vocabulary_id]
        for term_id, term in vocabulary.terms.items():
            add("term.md.j2", f"outcomes/{folder}/{term_id}.md", f"schemas/vocabularies/{vocabulary_id}.yaml",
                vocabulary=vocabulary, term=term, section="Outcomes", section_uri="outcomes/index.md")

    add("ratings.md.j2", "ratings.md", "schemas/vocabularies/rating-levels.yaml")
    add("find.md.j2", "find.md", facets=finder.facets(site))
    return pages


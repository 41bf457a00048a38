"""Records to Markdown pages, through the Jinja templates in generator/templates/, and the
site's other generated files from one module each (data, feed, redirects).

Files are returned in memory, each with its path in the docs folder; the MkDocs plugin
adds them to the build and `python -m generator render` writes them to disk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from . import citation, compare, exports, finder, linked_data
from .feed import render_feed
from .fields import record_fields, walk
from .glossary import PAGE as GLOSSARY_PAGE
from .glossary import VOCABULARY
from .markup import code_spans, front_matter, markdown_block, markdown_inline, plain
from .model import KINDS, RECORD_CLASSES, Corpus
from .redirects import render_redirects
from .schemas import SchemaSet
from .site import FRAMEWORKS, LICENCE, OLD_EVIDENCE_YEARS, SITE_NAME, GeneratedFile, Site, clock, page, relative_url
from .template_cache import compiled_templates

TEMPLATES = Path(__file__).parent / "templates"

__all__ = [
    "TEMPLATES",
    "GeneratedFile",
    "PlannedPage",
    "render_site",
    "plan_pages",
    "render_pages",
    "render_data",
    "finder_files",
]


def environment(site: Site) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        bytecode_cache=compiled_templates(),  # compiled once, not on every build
        autoescape=True,  # every value from a record is HTML- (and XML-) escaped unless a filter says otherwise
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_block
    env.filters["inline"] = markdown_inline
    env.filters["plain"] = plain
    env.filters["clock"] = clock
    env.filters["code_spans"] = code_spans
    env.filters["front_matter"] = front_matter
    env.globals.update(
        json_ld=partial(linked_data.json_ld, site),
        citation_text=partial(citation.citation_text, site),
        bibtex=partial(citation.bibtex, site),
        compare=compare,
        finder_query=partial(finder.listing_query, site),
        exports=exports,
        kinds=KINDS,
        old_evidence_years=OLD_EVIDENCE_YEARS,
        site_name=SITE_NAME,
        licence=LICENCE,
    )
    return env


def render_site(corpus: Corpus, site_url: str) -> Iterator[GeneratedFile]:
    """Every generated file of the site, one at a time, so that none need be held: pages,
    then data files, the feed, redirects and the finder's data."""
    site = Site(corpus, site_url)
    env = environment(site)
    with finder.index_in_background(site) as finder_index:
        yield from render_pages(site, env)
        yield from render_data(site, env)
        yield from finder_files(site, finder_index())


def render_data(site: Site, env: Environment) -> Iterator[GeneratedFile]:
    """The open data, the feed and the redirects."""
    yield from exports.render_exports(site)
    yield from render_feed(site, env)
    yield from render_redirects(site, env)


def finder_files(site: Site, index: tuple[dict, list[str]] | None = None) -> Iterator[GeneratedFile]:
    """The finder's data; `index` is what finder.index_shards gives, if already built."""
    return (GeneratedFile(path, content) for path, content in finder.data_files(site, index).items())


@dataclass(frozen=True)
class PlannedPage:
    """A page to be rendered: where it goes, the file to edit for it, its template, and what
    the template is given, worked out from the site when the page is rendered. Pages are
    planned from the record files' names alone, so that a build can lay out the site
    before the records are read (background.py)."""

    src_uri: str
    source: str | None
    template: str
    context: Callable[[Site], dict] = lambda site: {}

    def render(self, site: Site, env: Environment) -> GeneratedFile:
        content = env.get_template(self.template).render(
            site=site,
            page_uri=self.src_uri,
            link=lambda target: relative_url(target, self.src_uri),
            **self.context(site),
        )
        return GeneratedFile(self.src_uri, content, self.source)


def record_ids(corpus: Corpus, records: set[str] | None = None) -> dict[str, list[str]]:
    """The ids of the records (all, or those named), kind by kind, in the order their pages are made."""
    return {name: sorted(i for i in by_id if records is None or i in records) for name, by_id in corpus.records.items()}


def render_pages(site: Site, env: Environment, records: set[str] | None = None) -> Iterator[GeneratedFile]:
    """Every page; with `records`, the pages of only those records (by id) and every other page."""
    planned = plan_pages(site.corpus.schema_set, record_ids(site.corpus, records))
    return (page.render(site, env) for page in planned)


def _record(kind: str, record_id: str, site: Site) -> dict:
    return {"record": site.corpus.records[kind][record_id]}


def plan_pages(schema_set: SchemaSet, ids: dict[str, list[str]]) -> list[PlannedPage]:
    """Every page, in the order they are made: those of the records with these ids (kind
    name -> ids), and every other page."""
    pages = [PlannedPage("index.md", None, "home.md.j2")]
    for name, kind in KINDS.items():
        pages.append(PlannedPage(f"{kind.folder}/index.md", None, kind.listing_template))
        record_class = RECORD_CLASSES[name]
        for record_id in ids.get(name, []):
            for template, uri in record_class.pages_of(record_id):
                source = record_class.source_of(record_id)
                pages.append(PlannedPage(uri, source, template, partial(_record, name, record_id)))
    pages.append(PlannedPage(page("compare"), None, "compare.md.j2"))

    vocabularies = schema_set.vocabularies
    themes = vocabularies["themes"]
    themes_file = f"schemas/vocabularies/{themes.id}.yaml"
    pages.append(PlannedPage("themes/index.md", themes_file, "theme_index.md.j2", lambda site: {"vocabulary": themes}))
    for term_id, term in themes.terms.items():
        context = {"vocabulary": themes, "term": term, "section": "Themes", "section_uri": "themes/index.md"}
        pages.append(PlannedPage(Site.term_uri("themes", term_id), themes_file, "term.md.j2", _given(context)))

    pages.append(PlannedPage("outcomes/index.md", None, "outcome_index.md.j2", lambda site: {"frameworks": FRAMEWORKS}))
    for vocabulary_id in FRAMEWORKS.values():
        vocabulary = vocabularies[vocabulary_id]
        for term_id, term in vocabulary.terms.items():
            context = {
                "vocabulary": vocabulary,
                "term": term,
                "section": "Outcomes",
                "section_uri": "outcomes/index.md",
            }
            uri = Site.term_uri(vocabulary_id, term_id)
            pages.append(PlannedPage(uri, f"schemas/vocabularies/{vocabulary_id}.yaml", "term.md.j2", _given(context)))

    pages.append(PlannedPage(page("ratings"), "schemas/vocabularies/rating-levels.yaml", "ratings.md.j2"))
    glossary_file = f"schemas/vocabularies/{VOCABULARY}.yaml"
    pages.append(PlannedPage(GLOSSARY_PAGE, glossary_file, "glossary.md.j2", lambda site: {"glossary": site.glossary}))
    pages.append(PlannedPage(page("find"), None, "find.md.j2", lambda site: {"facets": finder.facets(site)}))
    pages.append(PlannedPage(page("data"), None, "data.md.j2"))
    pages.append(PlannedPage(page("my-reflections"), None, "my_reflections.md.j2"))
    fields = {name: list(walk(record_fields(schema_set, name))) for name in KINDS}
    pages.append(PlannedPage(page("reference"), None, "reference.md.j2", lambda site: {"fields": fields}))
    return pages


def _given(context: dict) -> Callable[[Site], dict]:
    return lambda site: context

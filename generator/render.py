"""Records to Markdown pages, through the Jinja templates in generator/templates/, and the
site's other generated files from one module each (data, feed, redirects).

Files are returned in memory, each with its path in the docs folder; the MkDocs plugin
adds them to the build and `python -m generator render` writes them to disk.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

from jinja2 import BytecodeCache, Environment, FileSystemLoader

from . import citation, compare, exports, finder, linked_data
from .feed import render_feed
from .fields import record_fields, walk
from .glossary import PAGE as GLOSSARY_PAGE
from .glossary import VOCABULARY
from .markup import code_spans, front_matter, markdown_block, markdown_inline, plain
from .model import KINDS, Corpus
from .redirects import render_redirects
from .site import FRAMEWORKS, LICENCE, OLD_EVIDENCE_YEARS, SITE_NAME, GeneratedFile, Site, clock, page, relative_url

TEMPLATES = Path(__file__).parent / "templates"

__all__ = ["TEMPLATES", "GeneratedFile", "render_site", "render_pages", "render_data", "finder_files"]


def environment(site: Site, bytecode_cache: BytecodeCache | None = None) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        bytecode_cache=bytecode_cache,  # mkdocs serve's: templates compiled once, not on every rebuild
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


def render_site(corpus: Corpus, site_url: str, bytecode_cache: BytecodeCache | None = None) -> Iterator[GeneratedFile]:
    """Every generated file of the site, one at a time, so that none need be held: pages,
    then data files, the feed, redirects and the finder's data."""
    site = Site(corpus, site_url)
    env = environment(site, bytecode_cache)
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


def render_pages(site: Site, env: Environment, records: set[str] | None = None) -> Iterator[GeneratedFile]:
    """Every page; with `records`, the pages of only those records (by id) and every other page."""

    def render(template: str, src_uri: str, source: str | None = None, **context) -> GeneratedFile:
        content = env.get_template(template).render(
            site=site, page_uri=src_uri, link=lambda target: relative_url(target, src_uri), **context
        )
        return GeneratedFile(src_uri, content, source)

    yield render("home.md.j2", "index.md")
    for kind in KINDS.values():
        yield render(kind.listing_template, f"{kind.folder}/index.md")
        for record in site.listing(kind):
            if records is None or record.id in records:
                for template, uri in record.pages():
                    yield render(template, uri, record.source_file, record=record)
    yield render("compare.md.j2", page("compare"))

    themes = site.vocab["themes"]
    yield render("theme_index.md.j2", "themes/index.md", f"schemas/vocabularies/{themes.id}.yaml", vocabulary=themes)
    for term_id, term in themes.terms.items():
        yield render(
            "term.md.j2",
            site.term_uri("themes", term_id),
            f"schemas/vocabularies/{themes.id}.yaml",
            vocabulary=themes,
            term=term,
            section="Themes",
            section_uri="themes/index.md",
        )

    yield render("outcome_index.md.j2", "outcomes/index.md", frameworks=FRAMEWORKS)
    for vocabulary_id in FRAMEWORKS.values():
        vocabulary = site.vocab[vocabulary_id]
        for term_id, term in vocabulary.terms.items():
            yield render(
                "term.md.j2",
                site.term_uri(vocabulary_id, term_id),
                f"schemas/vocabularies/{vocabulary_id}.yaml",
                vocabulary=vocabulary,
                term=term,
                section="Outcomes",
                section_uri="outcomes/index.md",
            )

    yield render("ratings.md.j2", page("ratings"), "schemas/vocabularies/rating-levels.yaml")
    yield render("glossary.md.j2", GLOSSARY_PAGE, f"schemas/vocabularies/{VOCABULARY}.yaml", glossary=site.glossary)
    yield render("find.md.j2", page("find"), facets=finder.facets(site))
    yield render("data.md.j2", page("data"))
    yield render("my_reflections.md.j2", page("my-reflections"))
    fields = {name: list(walk(record_fields(site.corpus.schema_set, name))) for name in KINDS}
    yield render("reference.md.j2", page("reference"), fields=fields)

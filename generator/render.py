"""Records to Markdown pages, through the Jinja templates in generator/templates/, and the
site's other generated files from one module each (data, feed, redirects).

Files are returned in memory, each with its path in the docs folder; the MkDocs plugin
adds them to the build and `python -m generator render` writes them to disk.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from . import citation, compare, exports, finder, linked_data
from .feed import render_feed
from .fields import record_fields, walk
from .markup import code_spans, front_matter, markdown_block, markdown_inline, plain
from .model import KINDS, Corpus
from .redirects import render_redirects
from .site import FRAMEWORKS, LICENCE, OLD_EVIDENCE_YEARS, SITE_NAME, GeneratedFile, Site, clock, page, relative_url

TEMPLATES = Path(__file__).parent / "templates"

__all__ = ["TEMPLATES", "GeneratedFile", "render_site"]


def environment(site: Site) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
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


def render_site(corpus: Corpus, site_url: str) -> list[GeneratedFile]:
    """Every generated file of the site: pages, then data files, the feed, redirects and the finder's data."""
    site = Site(corpus, site_url)
    env = environment(site)
    with finder.index_in_background(site) as finder_index:
        return [
            *render_pages(site, env),
            *exports.render_exports(site),
            *render_feed(site, env),
            *render_redirects(site, env),
            *(GeneratedFile(path, content) for path, content in finder.data_files(site, finder_index()).items()),
        ]


def render_pages(site: Site, env: Environment) -> list[GeneratedFile]:
    pages: list[GeneratedFile] = []

    def add(template: str, src_uri: str, source: str | None = None, **context) -> None:
        content = env.get_template(template).render(
            site=site, page_uri=src_uri, link=lambda target: relative_url(target, src_uri), **context
        )
        pages.append(GeneratedFile(src_uri, content, source))

    add("home.md.j2", "index.md")
    for kind in KINDS.values():
        add(kind.listing_template, f"{kind.folder}/index.md")
        for record in site.listing(kind):
            for template, uri in record.pages():
                add(template, uri, record.source_file, record=record)
    add("compare.md.j2", page("compare"))

    themes = site.vocab["themes"]
    add("theme_index.md.j2", "themes/index.md", f"schemas/vocabularies/{themes.id}.yaml", vocabulary=themes)
    for term_id, term in themes.terms.items():
        add(
            "term.md.j2",
            site.term_uri("themes", term_id),
            f"schemas/vocabularies/{themes.id}.yaml",
            vocabulary=themes,
            term=term,
            section="Themes",
            section_uri="themes/index.md",
        )

    add("outcome_index.md.j2", "outcomes/index.md", frameworks=FRAMEWORKS)
    for vocabulary_id in FRAMEWORKS.values():
        vocabulary = site.vocab[vocabulary_id]
        for term_id, term in vocabulary.terms.items():
            add(
                "term.md.j2",
                site.term_uri(vocabulary_id, term_id),
                f"schemas/vocabularies/{vocabulary_id}.yaml",
                vocabulary=vocabulary,
                term=term,
                section="Outcomes",
                section_uri="outcomes/index.md",
            )

    add("ratings.md.j2", page("ratings"), "schemas/vocabularies/rating-levels.yaml")
    add("find.md.j2", page("find"), facets=finder.facets(site))
    add("data.md.j2", page("data"))
    fields = {name: list(walk(record_fields(site.corpus.schema_set, name))) for name in KINDS}
    add("reference.md.j2", page("reference"), fields=fields)
    return pages

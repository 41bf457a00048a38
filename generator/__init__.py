"""What Works knowledge base: content -> load -> validate -> render -> site.

This list is the package's one map; tests/test_layout.py checks that it names every module.

load.py         YAML with line numbers, safely
vocabulary.py   a controlled vocabulary's terms
schemas.py      JSON Schemas, and the vocabularies read from their YAML
model.py        the kinds of record (one class each), records and the corpus
problems.py     a problem found in a file, and the formats that print them
messages.py     jsonschema errors in words a contributor knows
fields.py       a kind's fields, read from its schema (reference page, scaffold, messages)
validate.py     schema and cross-record checks, every error with file:line:col
markup.py       record text to safe page content
glossary.py     abbreviations and terms: marked up on every page, and undefined ones found in records
site.py         what templates know: URLs, labels, listings, generated files
render.py       records to Markdown pages through templates/, and every other generated file:
compare.py        costs per family for the comparison page, with their formula
citation.py       "cite this page": plain text and BibTeX
linked_data.py    schema.org JSON-LD for record pages
exports.py        open data: JSON, CSV, vocabularies, published schemas
feed.py           the Atom feed
redirects.py      pages at former ids' addresses
finder.py         the finder's data: facets, sharded lunr index, cards, synonyms
template_cache.py  compiled templates, ours and the theme's, kept on disk between builds
site_files.py   generated files on disk: a plain docs folder, or the folder MkDocs reads
offline.py      `build --offline`: a built site made to work from file://
progress.py     a progress bar on a terminal, silence elsewhere
scaffold.py     `new`: a record file with every field, ready to fill in
from_issue.py   `from-issue`: a "Share a project" issue's answers as a new exemplar
migrate.py      `migrate`: records brought up to the current schema version
theme_html.py   the theme's HTML, corrected where no template override reaches
synonyms.py     words that mean the same: the groups a text uses, for the finder and header search
header_search.py  Material's header search: words kept apart, synonyms added
background.py   a build's checks and rendering, in two processes beside MkDocs'
finisher.py     the pages MkDocs wrote, finished in a process of their own: glossary, search synonyms
preview.py      `mkdocs serve --dirty`: each rebuild makes only what an edit affects
plugin.py       the MkDocs plugin: a thin adapter over the above
swap.py         a new site in place of the old, safe against a kill at any moment
cli.py          python -m generator validate | render | build | new | from-issue | migrate | schemas
__main__.py     runs cli.py
"""

"""What Works knowledge base: content -> load -> validate -> render -> site.

load.py      YAML with line numbers, safely
schemas.py   JSON Schemas and controlled vocabularies
validate.py  schema and cross-record checks, every error with file:line:col
markup.py    record text to safe page content
site.py      what templates know: URLs, labels, listings, generated files
render.py    records to Markdown pages through templates/, and every other generated file:
compare.py     costs per family for the comparison page, with their formula
citation.py    "cite this page": plain text and BibTeX
linked_data.py schema.org JSON-LD for record pages
exports.py     open data: JSON, CSV, vocabularies, published schemas
feed.py        the Atom feed
redirects.py   pages at former ids' addresses
site_files.py writing a plain docs folder
plugin.py    the MkDocs plugin: a thin adapter over the above
cli.py       python -m generator validate | render | build
"""

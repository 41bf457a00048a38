"""What Works knowledge base: content -> load -> validate -> render -> site.

load.py      YAML with line numbers, safely
schemas.py   JSON Schemas and controlled vocabularies
validate.py  schema and cross-record checks, every error with file:line:col
markup.py    record text to safe page content
render.py    records to Markdown pages through templates/
site_files.py writing a plain docs folder
plugin.py    the MkDocs plugin: a thin adapter over the above
cli.py       python -m generator validate | render | build
"""

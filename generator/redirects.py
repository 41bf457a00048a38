"""Permanent URLs: a page at every former id's address that sends the reader to the record.

A static site cannot answer with an HTTP redirect, so each old address gets a small page
with a meta refresh, a canonical link to the new address for search engines, and a plain
link for anyone whose browser does not follow the refresh.
"""

from __future__ import annotations

from jinja2 import Environment

from .site import GeneratedFile, Site, relative_url


def render_redirects(site: Site, env: Environment) -> list[GeneratedFile]:
    template = env.get_template("redirect.html.j2")
    files = []
    for records in site.corpus.records.values():
        for record in sorted(records.values(), key=lambda r: r.id):
            folder = record.kind.folder
            for former in record.data.get("former_ids", []):
                old_page = f"{folder}/{former}.md"  # the docs path the old page had
                content = template.render(
                    title=record.data["title"],
                    target=relative_url(site.uri(record), old_page),
                    canonical=site.absolute(site.uri(record)),
                    kind_label=site.kind_label(record),
                )
                files.append(GeneratedFile(f"{folder}/{former}/index.html", content))
    return files

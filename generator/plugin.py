"""The MkDocs plugin: a thin adapter that validates, renders and adds the pages.

All the work happens in on_config, before MkDocs cleans site/, so invalid content
stops the build with the validator's messages and leaves the previous site alone.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from rich.progress import Progress

from .finder import synonyms
from .glossary import PAGE as GLOSSARY_PAGE
from .glossary import VOCABULARY, Glossary
from .header_search import add_synonyms, spaced
from .problems import ProblemWriter
from .progress import showing
from .render import TEMPLATES, GeneratedFile, render_site
from .theme_html import corrected
from .validate import Result, check_project

MATERIAL_OVERRIDES = "overrides/material"


class WhatWorksPlugin(BasePlugin):
    validated: Result | None = None  # a validation result `python -m generator build` has already made
    bar: Progress | None = None  # the progress bar while pages are built, on a terminal
    epoch_set = False  # whether this build set SOURCE_DATE_EPOCH, and so must unset it

    def on_config(self, config):
        self.root = Path(config.config_file_path).resolve().parent
        result, self.validated = self.validated, None
        if result is None:
            writer = ProblemWriter(sys.stderr)
            result = check_project(self.root, report=writer.add)
            writer.close()
        if not result.ok:
            raise PluginError(f"{result.summary()}; nothing was built")
        if not config.site_url:
            raise PluginError("set site_url in mkdocs.yml: the feed, open data and citations give full addresses")
        self.generated: list[GeneratedFile] = render_site(result.corpus, config.site_url)
        self.synonyms = synonyms(result.corpus.vocabularies)
        self.glossary = Glossary(result.corpus.vocabularies.get(VOCABULARY))
        # Reproducible builds: MkDocs stamps the sitemap with SOURCE_DATE_EPOCH when it is
        # set; otherwise use the newest record date, never the clock. Set for this build
        # only, so that a later build in the same process (mkdocs serve) dates its own content.
        self.epoch_set = "SOURCE_DATE_EPOCH" not in os.environ
        if self.epoch_set:
            os.environ["SOURCE_DATE_EPOCH"] = str(result.corpus.epoch())
        return config

    def on_files(self, files: Files, config) -> Files:
        for generated in self.generated:
            file = File.generated(config, generated.src_uri, content=generated.content)
            file.edit_uri = generated.source  # "edit this page" opens the record's YAML
            files.append(file)
        for file in files:
            # edit_uri in mkdocs.yml points at the repository root, not at docs/.
            if not file.generated_by and file.src_uri.endswith(".md"):
                file.edit_uri = f"docs/{file.src_uri}"
        return files

    def on_env(self, env, config, files: Files):
        # Our changes to Material's own partials (overrides/material/partials/) come first,
        # for Material only: in custom_dir they would also replace the partials of the same
        # name of any other engine that builds the rendered pages, such as Zensical's.
        if config.theme.name == "material":
            env.loader = ChoiceLoader([FileSystemLoader(str(self.root / MATERIAL_OVERRIDES)), env.loader])
        # MkDocs renders pages one by one after this; show how far it has got.
        self.bar = None
        pages = len(files.documentation_pages())
        if showing(pages):
            from rich.console import Console

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("Building pages", total=pages)
        return env

    def on_page_content(self, html: str, page, config, files) -> str:
        # Before Material's search reads the page (on_page_context): words stay apart.
        html = spaced(html)
        # The page's body only: the theme's title, navigation and header stay as they are.
        # The glossary page defines every term, so marking them there would only repeat it.
        return html if page.file.src_uri == GLOSSARY_PAGE else self.glossary.marked_up(html)

    def on_post_page(self, output: str, page, config) -> str:
        if self.bar is not None:
            self.bar.advance(self.task)
        return corrected(output)

    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        # The theme's static pages, such as 404.html.
        return corrected(output_content) if template_name.endswith(".html") else output_content

    def on_post_build(self, config):
        # After Material's search (listed before this plugin) has written its index.
        add_synonyms(Path(config.site_dir) / "search" / "search_index.json", self.synonyms)
        self._finish()

    def on_build_error(self, error):
        self._finish()

    def _finish(self):
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
        if getattr(self, "epoch_set", False):
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self.epoch_set = False

    def on_serve(self, server, config, builder):
        for folder in (self.root / "content", self.root / "schemas", TEMPLATES):
            if folder.is_dir():
                server.watch(str(folder))
        return server

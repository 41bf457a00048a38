"""The MkDocs plugin: a thin adapter that validates, renders and adds the pages.

All the work happens in on_config, before MkDocs cleans site/, so invalid content
stops the build with the validator's messages and leaves the previous site alone.
The generated files are compressed as they are made, so that the build does not hold
them all as text. Under `mkdocs serve`, a Preview (preview.py) writes them to a folder
MkDocs reads them from, keeps it and the validator's results between rebuilds, and each
rebuild makes only what the edit affects.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import zlib
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from rich.progress import Progress

from .finder import synonyms
from .glossary import PAGE as GLOSSARY_PAGE
from .glossary import VOCABULARY, Glossary
from .header_search import add_synonyms, spaced
from .preview import Preview
from .problems import ProblemWriter
from .progress import showing
from .render import TEMPLATES, render_site
from .site_files import GeneratedFolder
from .theme_html import corrected
from .validate import Result, check_project

MATERIAL_OVERRIDES = "overrides/material"


class _DirtyIsThePoint(logging.Filter):
    """--dirty makes MkDocs warn that navigation may be stale, which strict mode would
    count as a failure; the preview renders every page that shows a changed record."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


class CompressedFile(File):
    """A generated file held compressed until MkDocs reads or copies it: a fifth of the
    memory of its text. (A folder on disk would do too, but writing and deleting thousands
    of files costs more than the build's whole margin over a plain Material build.)"""

    compressed: bytes = b""
    is_text = True

    @property
    def _content(self) -> str | bytes | None:
        data = zlib.decompress(self.compressed)
        return data.decode("utf-8") if self.is_text else data

    @_content.setter
    def _content(self, content: str | bytes | None) -> None:
        self.is_text = isinstance(content, str)
        self.compressed = zlib.compress(content.encode("utf-8") if isinstance(content, str) else content or b"", 1)


class WhatWorksPlugin(BasePlugin):
    validated: Result | None = None  # a validation result `python -m generator build` has already made
    bar: Progress | None = None  # the progress bar while pages are built, on a terminal
    epoch_set = False  # whether this build set SOURCE_DATE_EPOCH, and so must unset it
    serving = False  # under `mkdocs serve`: MkDocs keeps this plugin from one rebuild to the next
    preview: Preview | None = None
    folder: GeneratedFolder | None = None  # where the preview's generated files are
    generated: list[File]  # or, in a build, the generated files themselves (CompressedFile)
    held: dict[str, bytes]  # docs path -> a page's HTML, compressed, until MkDocs writes the page

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_DirtyIsThePoint())

    def on_config(self, config):
        self.root = Path(config.config_file_path).resolve().parent
        self.held = {}
        if not config.site_url:
            raise PluginError("set site_url in mkdocs.yml: the feed, open data and citations give full addresses")
        result, self.validated = self.validated, None
        if self.serving and self.preview is None:
            self.preview = Preview(self.root, Path(tempfile.mkdtemp(prefix="whatworks-preview-")))
        if result is None:
            writer = ProblemWriter(sys.stderr)
            result = self.preview.validate(writer.add) if self.preview else check_project(self.root, report=writer.add)
            writer.close()
        self.generated = []
        corpus = result.corpus
        if not result.ok:
            if self.preview is None or self.preview.site is None:
                raise PluginError(f"{result.summary()}; nothing was built")
            # A broken edit under `mkdocs serve`: MkDocs would hold every request until the
            # next good build; rather, the preview goes on showing the last valid pages.
            print(f"{result.summary()}; the preview shows the last valid content until they are fixed", file=sys.stderr)
            corpus = self.preview.site.corpus
            self.folder = self.preview.folder
        elif self.preview:
            self.preview.rebuild(result.corpus, config.site_url, Path(config.site_dir))
            self.folder = self.preview.folder
        else:
            for generated in render_site(result.corpus, config.site_url):
                file = CompressedFile.generated(config, generated.src_uri, content=generated.content)
                file.edit_uri = generated.source  # "edit this page" opens the record's YAML
                self.generated.append(file)
        self.synonyms = synonyms(corpus.vocabularies)
        self.glossary = Glossary(corpus.vocabularies.get(VOCABULARY))
        # Reproducible builds: MkDocs stamps the sitemap with SOURCE_DATE_EPOCH when it is
        # set; otherwise use the newest record date, never the clock. Set for this build
        # only, so that a later build in the same process (mkdocs serve) dates its own content.
        self.epoch_set = "SOURCE_DATE_EPOCH" not in os.environ
        if self.epoch_set:
            os.environ["SOURCE_DATE_EPOCH"] = str(corpus.epoch())
        return config

    def on_files(self, files: Files, config) -> Files:
        for generated in self.generated:
            files.append(generated)
        if self.folder is not None:
            for src_uri, path, source in self.folder.files():
                on_disk = File.generated(config, src_uri, abs_src_path=str(path))
                on_disk.edit_uri = source
                files.append(on_disk)
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
        if self.preview is not None:
            env.bytecode_cache = self.preview.templates
        # MkDocs renders pages one by one after this; show how far it has got.
        self.bar = None
        pages = len(files.documentation_pages())
        if showing(pages):
            from rich.console import Console

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("Building pages", total=pages)
        return env

    # MkDocs makes every page's HTML before it writes any, so that it can check links to
    # anchors across pages. In between, each page's HTML is held compressed (a fifth of
    # the memory), its Markdown is let go, and once the page is written so is its HTML.

    @event_priority(-100)  # after any other plugin's changes to the page
    def on_page_content(self, html: str, page, config, files) -> str:
        # Words stay apart for Material's search, which reads the page in on_page_context.
        html = spaced(html)
        # The page's body only: the theme's title, navigation and header stay as they are.
        # The glossary page defines every term, so marking them there would only repeat it.
        if page.file.src_uri != GLOSSARY_PAGE:
            html = self.glossary.marked_up(html)
        page.markdown = None
        self.held[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
        return ""

    @event_priority(100)  # before the search plugin reads the page
    def on_page_context(self, context, page, config, nav):
        held = self.held.pop(page.file.src_uri, None)
        if held is not None:
            page.content = zlib.decompress(held).decode("utf-8")
        return context

    def on_post_page(self, output: str, page, config) -> str:
        page.content = None
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
        if self.preview is not None:
            self.preview.after_build()

    def on_build_error(self, error):
        self._finish()

    def _finish(self):
        self.generated = []
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
        if getattr(self, "epoch_set", False):
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self.epoch_set = False

    def on_shutdown(self):
        if self.preview is not None:
            shutil.rmtree(self.preview.folder.path, ignore_errors=True)

    def on_serve(self, server, config, builder):
        for folder in (self.root / "content", self.root / "schemas", TEMPLATES):
            if folder.is_dir():
                server.watch(str(folder))
        return server

"""The MkDocs plugin: a thin adapter that adds the generated pages and files to the build.

In a build, the content is checked and rendered in two other processes (background.py)
while MkDocs builds pages here: the pages are listed in on_files and each is read when
MkDocs first asks for it; the other files come in on_env. A plain `mkdocs build` waits
for the checks in on_config, before MkDocs cleans site/, so invalid content stops the
build with the validator's messages and leaves the previous site alone. Under `mkdocs
serve`, a Preview (preview.py) validates here and writes the generated files to a folder
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
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

from jinja2 import ChoiceLoader, FileSystemLoader
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_build_date

from .background import BackgroundBuild, ContentFailed
from .finisher import Finisher, FinishFailed
from .glossary import PAGE as GLOSSARY_PAGE
from .glossary import VOCABULARY, Glossary
from .header_search import add_synonyms, entry_text, search_entries, spaced, synonyms_of
from .problems import ProblemWriter
from .progress import showing
from .synonyms import synonyms
from .template_cache import compiled_templates
from .theme_html import corrected

if TYPE_CHECKING:
    from rich.progress import Progress

    from .preview import Preview
    from .site_files import GeneratedFolder

MATERIAL_OVERRIDES = "overrides/material"


class _DirtyIsThePoint(logging.Filter):
    """--dirty makes MkDocs warn that navigation may be stale, which strict mode would
    count as a failure; the preview renders every page that shows a changed record."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


class CompressedFile(File):
    """A generated file whose content comes from the background build when MkDocs first
    reads or copies it, and is held zlib-compressed from then on: a fifth of the memory
    of its text."""

    compressed: bytes | None = None
    is_text = True
    fetch: Callable[[], tuple[bytes, bool]]  # gives (compressed content, whether it is text)

    @classmethod
    def fetched(cls, config, src_uri: str, source: str | None, fetch: Callable[[], tuple[bytes, bool]]) -> File:
        file = cast(CompressedFile, cls.generated(config, src_uri, content=b""))
        file.compressed = None  # generated() set an empty content; the real one comes from fetch
        file.fetch = fetch
        file.edit_uri = source  # "edit this page" opens the record's YAML
        return file

    @property
    def _content(self) -> str | bytes | None:
        if self.compressed is None:
            self.compressed, self.is_text = self.fetch()
        data = zlib.decompress(self.compressed)
        return data.decode("utf-8") if self.is_text else data

    @_content.setter
    def _content(self, content: str | bytes | None) -> None:
        self.is_text = isinstance(content, str)
        self.compressed = zlib.compress(content.encode("utf-8") if isinstance(content, str) else content or b"", 1)


class WhatWorksPlugin(BasePlugin):
    background: BackgroundBuild | None = None  # the content's work, for a build (`python -m generator build` starts it)
    finisher: Finisher | None = None  # in a build, what finishes the pages MkDocs has written
    entries_sent = 0  # how many of the search index's entries have gone to the finisher
    started: BackgroundBuild | None = None  # the one this plugin started itself, to stop when the build ends
    bar: Progress | None = None  # the progress bar while pages are built, on a terminal
    epoch_set = False  # whether this build set SOURCE_DATE_EPOCH, and so must unset it
    serving = False  # under `mkdocs serve`: MkDocs keeps this plugin from one rebuild to the next
    preview: Preview | None = None
    folder: GeneratedFolder | None = None  # where the preview's generated files are

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_DirtyIsThePoint())

    def on_config(self, config):
        self.root = Path(config.config_file_path).resolve().parent
        if not config.site_url:
            raise PluginError("set site_url in mkdocs.yml: the feed, open data and citations give full addresses")
        if not self.serving:
            if self.background is None:
                # A plain `mkdocs build` writes into site/ itself: nothing may touch it before
                # the checks pass. (`python -m generator build` starts the work sooner, and
                # waits for the verdict before it swaps in the staging folder it builds into.)
                self.background = self.started = BackgroundBuild(self.root, config.site_url)
                verdict = self.background.report(sys.stderr)
                if not verdict.ok:
                    raise PluginError(f"{verdict.summary}; nothing was built")
            return config
        if self.preview is None:
            from .preview import Preview  # only mkdocs serve needs it

            self.preview = Preview(self.root, Path(tempfile.mkdtemp(prefix="whatworks-preview-")))
        writer = ProblemWriter(sys.stderr)
        result = self.preview.validate(writer.add)
        writer.close()
        corpus = result.corpus
        if not result.ok:
            if self.preview.site is None:
                raise PluginError(f"{result.summary()}; nothing was built")
            # A broken edit under `mkdocs serve`: MkDocs would hold every request until the
            # next good build; rather, the preview goes on showing the last valid pages.
            print(f"{result.summary()}; the preview shows the last valid content until they are fixed", file=sys.stderr)
            corpus = self.preview.site.corpus
        else:
            self.preview.rebuild(result.corpus, config.site_url, Path(config.site_dir))
        self.folder = self.preview.folder
        # In a build the finisher does both, in its own process.
        self.synonyms = synonyms(corpus.vocabularies)
        self.glossary = Glossary(corpus.vocabularies.get(VOCABULARY))
        self._date(corpus.epoch())
        return config

    def _date(self, epoch: int) -> None:
        # Reproducible builds: MkDocs stamps the sitemap with SOURCE_DATE_EPOCH when it is
        # set; otherwise use the newest record date, never the clock. Set for this build
        # only, so that a later build in the same process (mkdocs serve) dates its own content.
        self.epoch_set = "SOURCE_DATE_EPOCH" not in os.environ
        if self.epoch_set:
            os.environ["SOURCE_DATE_EPOCH"] = str(epoch)

    def on_files(self, files: Files, config) -> Files:
        if self.background is not None:
            plan = self._waiting(self.background.plan)
            self.finisher = Finisher(plan.vocabularies)
            self.entries_sent = 0
            for src_uri, source in plan.pages:
                files.append(CompressedFile.fetched(config, src_uri, source, partial(self._take, src_uri)))
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

    def _take(self, src_uri: str) -> tuple[bytes, bool]:
        assert self.background is not None
        return self._waiting(self.background.take, src_uri)

    @staticmethod
    def _waiting(wait, *args):
        """What the background build gives, or the build stopped with why it cannot come."""
        try:
            return wait(*args)
        except ContentFailed as failed:
            raise PluginError(str(failed)) from None

    def on_env(self, env, config, files: Files):
        # Our changes to Material's own partials (overrides/material/partials/) come first,
        # for Material only: in custom_dir they would also replace the partials of the same
        # name of any other engine that builds the rendered pages, such as Zensical's.
        if config.theme.name == "material":
            env.loader = ChoiceLoader([FileSystemLoader(str(self.root / MATERIAL_OVERRIDES)), env.loader])
        # The theme's templates, compiled once rather than on every build (ours are too).
        env.bytecode_cache = compiled_templates()
        if self.background is not None:
            # The build's date is the newest record's, known once the records are read. MkDocs
            # dated the pages (for the sitemap) when it laid out the site, before that.
            self._date(self._waiting(self.background.epoch))
            for file in files.documentation_pages():
                if file.page is not None:
                    file.page.update_date = get_build_date()
            # The files other than pages: only now, after every page is made, does MkDocs
            # copy them, and by now the second process has made them.
            for src_uri, source in self._waiting(self.background.data_files):
                files.append(CompressedFile.fetched(config, src_uri, source, partial(self._take, src_uri)))
        # MkDocs renders pages one by one after this; show how far it has got.
        self.bar = None
        pages = len(files.documentation_pages())
        if showing(pages):
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("Building pages", total=pages)
        return env

    # MkDocs makes every page's HTML before it writes any, so that it can check links to
    # anchors across pages. In between, each page's Markdown is let go, and once the page
    # is written so is its HTML. (Holding the HTML compressed would save a page's worth of
    # memory a page, and cost more time than the whole build may spend beyond MkDocs'.)

    @event_priority(-100)  # after any other plugin's changes to the page
    def on_page_content(self, html: str, page, config, files) -> str:
        if self.background is not None and self.background.failed():
            raise PluginError("the content failed its checks")  # no use building the rest
        page.markdown = None
        # Words stay apart for Material's search, which reads the page in on_page_context.
        return spaced(html)

    def on_post_page(self, output: str, page, config) -> str:
        # The glossary marks up the page's body only (the theme's title, navigation and
        # header stay as they are), and only now, after Material's search has read it: its
        # elements add nothing to search but time. The glossary page defines every term, so
        # marking them there would only repeat it.
        body = page.content if page.content and page.file.src_uri != GLOSSARY_PAGE else None
        if self.finisher is not None:  # once the page is written; with its search entries
            entries = search_entries(config) or []
            self.finisher.page(page.file.abs_dest_path, body, [entry_text(e) for e in entries[self.entries_sent :]])
            self.entries_sent = len(entries)
        elif body is not None:
            output = output.replace(body, self.glossary.marked_up(body), 1)
        page.content = None
        if self.bar is not None:
            self.bar.advance(self.task)
        return corrected(output)

    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        # The theme's static pages, such as 404.html.
        return corrected(output_content) if template_name.endswith(".html") else output_content

    @event_priority(50)  # before Material's search writes its index, so that the synonyms are in it
    def on_post_build(self, config):
        entries = search_entries(config)
        try:
            if self.finisher is not None:
                words = self.finisher.finish()
            else:
                words = [synonyms_of(entry_text(entry), self.synonyms) for entry in entries or ()]
            if entries is not None:
                add_synonyms(entries, words)
        except (FinishFailed, ValueError) as failed:
            raise PluginError(str(failed)) from None
        self._finish()
        if self.preview is not None:
            self.preview.after_build()

    def on_build_error(self, error):
        self._finish()

    def _finish(self):
        if self.finisher is not None:
            self.finisher.close()
            self.finisher = None
        if self.started is not None:
            self.started.close()
        self.background = self.started = None
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
        from .render import TEMPLATES

        for folder in (self.root / "content", self.root / "schemas", TEMPLATES):
            if folder.is_dir():
                server.watch(str(folder))
        return server

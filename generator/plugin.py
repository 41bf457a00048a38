"""The MkDocs plugin: a thin adapter that validates, renders and adds the pages.

All the work happens in on_config, before MkDocs cleans site/, so invalid content
stops the build with the validator's messages and leaves the previous site alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .problems import format_text
from .render import TEMPLATES, GeneratedFile, render_site
from .validate import check_project


class WhatWorksPlugin(BasePlugin):
    def on_config(self, config):
        self.root = Path(config.config_file_path).resolve().parent
        result = check_project(self.root)
        if not result.ok:
            sys.stderr.write(format_text(result.problems))
            raise PluginError(f"{len(result.problems)} problem(s) in the content; nothing was built")
        if not config.site_url:
            raise PluginError("set site_url in mkdocs.yml: the feed, open data and citations give full addresses")
        self.generated: list[GeneratedFile] = render_site(result.corpus, config.site_url)
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

    def on_serve(self, server, config, builder):
        for folder in (self.root / "content", self.root / "schemas", TEMPLATES):
            if folder.is_dir():
                server.watch(str(folder))
        return server

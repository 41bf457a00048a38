"""Generated files on disk: a plain MkDocs docs folder, or the folder the plugin has
MkDocs read them from."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from .render import GeneratedFile


def write_docs_folder(files: Iterable[GeneratedFile], docs_dir: Path, out: Path) -> int:
    """Copy docs_dir into out, then write every generated file over it. Returns the file count."""
    out.mkdir(parents=True, exist_ok=True)
    if docs_dir.is_dir():
        shutil.copytree(docs_dir, out, dirs_exist_ok=True)
    count = 0
    for generated in files:
        count += 1
        target = out / generated.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(generated.content, bytes):
            target.write_bytes(generated.content)
        else:
            target.write_text(generated.content, encoding="utf-8")
    return count


class GeneratedFolder:
    """The generated files, written as they are made so that the build need not hold them,
    for MkDocs to read from disk (File.generated with abs_src_path). A file is written only
    when its bytes change, so its modification time tells `mkdocs serve --dirty` whether its
    page must be built again."""

    def __init__(self, path: Path):
        self.path = path
        self.sources: dict[str, str | None] = {}  # docs path -> the repository file to edit for it
        self._digests: dict[str, bytes] = {}

    def write(self, files: Iterable[GeneratedFile]) -> tuple[set[str], list[str]]:
        """Write what changed. Returns the docs paths of all the files given, and of those written."""
        given: set[str] = set()
        written: list[str] = []
        for generated in files:
            content = generated.content
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            digest = hashlib.blake2b(data, digest_size=16).digest()
            given.add(generated.src_uri)
            self.sources[generated.src_uri] = generated.source
            if self._digests.get(generated.src_uri) != digest:
                replace(self.path / generated.src_uri, data)
                self._digests[generated.src_uri] = digest
                written.append(generated.src_uri)
        return given, written

    def keep_only(self, src_uris: set[str]) -> None:
        """Delete every file not named."""
        for src_uri in set(self.sources) - src_uris:
            (self.path / src_uri).unlink(missing_ok=True)
            del self.sources[src_uri]
            self._digests.pop(src_uri, None)

    def files(self) -> Iterator[tuple[str, Path, str | None]]:
        """(docs path, file on disk, file to edit) of each file, in the order first written."""
        return ((src_uri, self.path / src_uri, source) for src_uri, source in self.sources.items())


def replace(target: Path, data: bytes) -> None:
    """Write a file whole: a reader at the same moment sees the old bytes or the new, never part."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.new")
    temporary.write_bytes(data)
    os.replace(temporary, target)

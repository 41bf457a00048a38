"""Write the generated files, with the hand-written docs, as a plain MkDocs docs folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from .render import GeneratedFile


def write_docs_folder(files: list[GeneratedFile], docs_dir: Path, out: Path) -> int:
    """Copy docs_dir into out, then write every generated file over it. Returns the file count."""
    out.mkdir(parents=True, exist_ok=True)
    if docs_dir.is_dir():
        shutil.copytree(docs_dir, out, dirs_exist_ok=True)
    for generated in files:
        target = out / generated.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(generated.content, bytes):
            target.write_bytes(generated.content)
        else:
            target.write_text(generated.content, encoding="utf-8")
    return len(files)

"""Write the generated pages, with the hand-written docs, as a plain MkDocs docs folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from .render import GeneratedPage


def write_docs_folder(pages: list[GeneratedPage], docs_dir: Path, out: Path) -> int:
    """Copy docs_dir into out, then write every generated page over it. Returns the page count."""
    out.mkdir(parents=True, exist_ok=True)
    if docs_dir.is_dir():
        shutil.copytree(docs_dir, out, dirs_exist_ok=True)
    for page in pages:
        target = out / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
    return len(pages)

"""`build --offline`: the built site made to work opened from disk (file://), as a
reviewer opens a downloaded preview.

Two things need a web server, and this module removes the need for each: a link to a
folder ("exemplars/x/"), which a server answers with its index.html but a browser on disk
shows as a folder listing; and the finder's data, which it reads with fetch(), refused on
file://. Material's header search (a web worker) cannot run from disk either; the offline
build leaves the search plugin out, so the page offers no search box that cannot work.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .finder import DATA_DIR

OFFLINE_DATA = f"{DATA_DIR}/offline-files.js"  # the finder's JSON files, preloaded (finder-index.js read())

# href="PATH" where PATH is relative (no scheme, not from the root) and may end in ?query or #fragment.
_HREF = re.compile(r'(href=")([^"#?:/][^"#?:]*|\.|\.\.)([?#][^"]*)?"')


# The feed's <link rel="alternate">: Material reads every alternate link as another
# language of the site and asks for its sitemap.xml, a request refused on file://.
_FEED_LINK = re.compile(r'<link rel="alternate" type="application/atom\+xml"[^>]*>\s*')


def _to_file(path: str) -> str:
    """A link to a folder as a link to its index.html; any other link unchanged."""
    if path.rsplit("/", 1)[-1] in (".", ".."):
        return path + "/index.html"
    return path + "index.html" if path.endswith("/") else path


def localise_links(html: str) -> str:
    return _HREF.sub(lambda m: f'{m.group(1)}{_to_file(m.group(2))}{m.group(3) or ""}"', html)


def finder_files(site_dir: Path) -> dict[str, object]:
    """The finder's JSON files by their path in the site, with each card's address a file."""
    files: dict[str, object] = {}
    for path in sorted((site_dir / DATA_DIR).rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("url"), str):
            data["url"] = _to_file(data["url"])
        files[path.relative_to(site_dir).as_posix()] = data
    return files


def make_offline(site_dir: Path) -> None:
    """Rewrite a built site in place so that it works from file://."""
    data = json.dumps(finder_files(site_dir), ensure_ascii=False, separators=(",", ":"))
    (site_dir / OFFLINE_DATA).write_text(f"window.WW_FINDER_FILES = {data};\n", encoding="utf-8")
    for page in site_dir.rglob("*.html"):
        html = localise_links(_FEED_LINK.sub("", page.read_text(encoding="utf-8")))
        if "data-finder" in html:  # the finder's page: its data before its scripts
            up = "../" * (len(page.relative_to(site_dir).parts) - 1)
            html = html.replace("</head>", f'<script src="{up}{OFFLINE_DATA}"></script>\n</head>', 1)
        page.write_text(html, encoding="utf-8")

"""`make serve` (`mkdocs serve --dirty`): a rebuild makes only what an edit affects.

The plugin keeps a Preview from one rebuild to the next. It holds:

- the validator's result for each file: a file whose size and modification time are
  unchanged is not read again, but the checks across records run on every record, and a
  broken edit still stops the rebuild with the validator's messages (the old pages stay);
- the generated files, in a folder MkDocs reads them from (site_files.GeneratedFolder),
  each rewritten only when its bytes change, so that MkDocs' --dirty rebuilds only the
  pages whose files changed;
- the last rebuild's Site, to tell which records changed.

A rebuild renders the pages of the changed records and of the records whose pages show
them (Site.neighbours), and every page that is not a record's (home, listings, themes,
outcomes, the finder's page and the other fixed pages: listings are capped, so these are
few and small). It renders everything when a schema or a template changed, or the newest
record date, which dates the build and ages evidence.

The data files, each made from every record, come after the pages, in a thread: the open
data, the feed, the redirects and the finder's data (its index made again over all
records, since lunr weighs each word by how many records hold it, in a second process as
in a build). When they are done they replace the served ones; until then the finder
answers from the previous data.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment

from . import finder
from .model import Corpus
from .problems import Problem
from .render import TEMPLATES, environment, finder_files, render_data, render_pages, render_site
from .site import Site
from .site_files import GeneratedFolder, replace
from .validate import CheckCache, Result, check_project


class Preview:
    def __init__(self, root: Path, folder: Path):
        self.root = root
        self.folder = GeneratedFolder(folder)
        self.checks: CheckCache = {}
        self.site: Site | None = None  # the last rebuild's
        self.depends_on: tuple = ()  # the schemas' and templates' sizes and times at the last rebuild
        self.rebuilds = 0  # counts rebuilds, so that a finder thread knows it has been overtaken
        self.lock = threading.Lock()  # one writer of the folder at a time
        self.data_thread: threading.Thread | None = None
        self.pending: tuple | None = None  # what the data thread needs, until the pages are written
        self.data_files: set[str] = set()  # docs paths of the files made from every record

    def validate(self, report: Callable[[list[Problem]], object]) -> Result:
        depends_on = self._schemas_and_templates()
        if depends_on != self.depends_on:
            self.checks.clear()  # results hold for one set of schemas
            self.site = None  # and every page must be made again
            self.depends_on = depends_on
        return check_project(self.root, report=report, cache=self.checks)

    def _schemas_and_templates(self) -> tuple:
        found = []
        for folder in (self.root / "schemas", TEMPLATES):
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    stat = path.stat()
                    found.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(found)

    def rebuild(self, corpus: Corpus, site_url: str, site_dir: Path) -> set[str] | None:
        """Write the generated files this corpus changes. Returns the ids of the records whose
        pages were made, or None when everything was."""
        site = Site(corpus, site_url)
        with self.lock:
            self.rebuilds += 1
            records = None if self.site is None else affected(self.site, site)
            self.site = site
            if records is None:
                given, _ = self.folder.write(render_site(corpus, site_url))
                self.folder.keep_only(given)
                self.data_files = given - {uri for uri in given if uri.endswith(".md")}
                self.pending = None
                return None
            env = environment(site)
            given, _ = self.folder.write(render_pages(site, env, records))
            record_pages = {uri for record in corpus.all_records() for _, uri in record.pages()}
            self.folder.keep_only(given | record_pages | self.data_files)
        self.pending = (site, env, site_dir, self.rebuilds)
        return records

    def after_build(self) -> None:
        """Start making the data files, once MkDocs has written the pages: before, the
        thread would slow the pages down."""
        if self.pending is not None:
            self.data_thread = threading.Thread(target=self._data, args=self.pending, daemon=True)
            self.data_thread.start()
            self.pending = None

    def _data(self, site: Site, env: Environment, site_dir: Path, rebuild: int) -> None:
        with finder.index_in_background(site) as index:
            files = list(itertools.chain(render_data(site, env), finder_files(site, index())))
        with self.lock:
            if rebuild != self.rebuilds:
                return  # a later rebuild has started its own
            given, written = self.folder.write(files)
            stale = self.data_files - given
            self.folder.keep_only(set(self.folder.sources) - stale)
            self.data_files = given
            # Straight to the served site: MkDocs copies data files unchanged, and no rebuild is coming to do it.
            for uri in written:
                replace(site_dir / uri, (self.folder.path / uri).read_bytes())
            for uri in stale:
                (site_dir / uri).unlink(missing_ok=True)


def affected(before: Site, after: Site) -> set[str] | None:
    """Ids of the records whose pages an edit changes: the records that changed and their
    neighbours, before and after. None when every page may change."""
    if before.corpus.newest_update() != after.corpus.newest_update():
        return None
    old = {r.id: r for r in before.corpus.all_records()}
    new = {r.id: r for r in after.corpus.all_records()}
    # The validator hands back the same record for a file it did not read again.
    changed = {i for i in old.keys() | new.keys() if old.get(i) is not new.get(i)}
    ids = set(changed)
    for record_id in changed:
        if record_id in old:
            ids |= before.neighbours(old[record_id])
        if record_id in new:
            ids |= after.neighbours(new[record_id])
    return ids

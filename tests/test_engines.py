"""The rendered docs folder (`make render`) builds with other MkDocs-compatible engines, and
no internal link breaks: ProperDocs (a continuation of MkDocs 1.x) and Zensical (from the
makers of Material, whose end of life is 5 May 2027), each from its own virtual
environment installed by `make test` from a lock file (requirements/<engine>.txt)."""

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import ROOT, run_generator, serve
from generator.cli import site_url

ENGINES = ROOT / ".venv-engines"
SITE_PATH = urlsplit(site_url(ROOT)).path  # "/knowledge-base/": absolute links start with it


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("href", "src") and value]


def broken_links(site: Path) -> tuple[int, list[str]]:
    """How many links within the site its pages hold, and those that lead to no file."""
    total, broken = 0, []
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        address = "https://site.invalid/" + page.relative_to(site).as_posix()
        for url in parser.urls:
            if url.startswith(SITE_PATH):
                url = "/" + url.removeprefix(SITE_PATH)
            elif re.match(r"^[a-z][a-z0-9+.-]*:|^//|^#", url):
                continue  # another site, mailto:, or a place on the same page
            total += 1
            path = unquote(urlsplit(urljoin(address, url)).path).lstrip("/")
            target = site / path
            if not path or path.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {url}")
    return total, broken


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """A project folder holding the rendered pages as docs/, the theme overrides and an
    mkdocs.yml without the whatworks plugin: what another engine is given."""
    project = tmp_path_factory.mktemp("engines") / "project"
    result = run_generator("render", "--out", str(project / "docs"))
    assert result.returncode == 0, result.stderr
    shutil.copytree(ROOT / "overrides", project / "overrides")
    config = re.sub(r"^  - whatworks\n", "", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), flags=re.M)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    return project


def build(engine: str, project: Path) -> Path:
    program = ENGINES / engine / "bin" / engine
    assert program.exists(), f"{engine} is installed by `make test` (.venv-engines/{engine}, requirements/{engine}.txt)"
    site = project / f"site-{engine}"
    arguments = ["build", "-f", "mkdocs.yml"] + (["-d", str(site)] if engine == "properdocs" else [])
    result = subprocess.run([str(program), *arguments], cwd=project, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    if engine == "zensical":  # it builds into site_dir, and has no option to change it
        shutil.move(project / "site", site)
    return site


@pytest.fixture(scope="module")
def properdocs_site(rendered) -> Path:
    return build("properdocs", rendered)


@pytest.fixture(scope="module")
def zensical_site(rendered) -> Path:
    return build("zensical", rendered)


@pytest.mark.slow
def test_properdocs_builds_the_rendered_pages_with_no_broken_link(properdocs_site, site_dir):
    total, broken = broken_links(properdocs_site)
    assert total > 1000 and broken == [], broken[:20]
    pages = {p.relative_to(properdocs_site) for p in properdocs_site.rglob("index.html")}
    assert pages == {p.relative_to(site_dir) for p in site_dir.rglob("index.html")}


@pytest.mark.slow
def test_zensical_builds_the_rendered_pages_with_its_own_header_search_and_the_finder(zensical_site):
    home = (zensical_site / "index.html").read_text(encoding="utf-8")
    assert 'class="md-search__button"' in home, "an override replaced Zensical's own search partial"
    finder = (zensical_site / "find/index.html").read_text(encoding="utf-8")
    assert "assets/finder.js" in finder and (zensical_site / "finder/lunr.js").exists()


@pytest.mark.slow
def test_zensical_builds_the_rendered_pages_with_no_broken_link(zensical_site):
    total, broken = broken_links(zensical_site)
    assert total > 1000 and broken == [], f"{len(broken)} of {total} links broken: {broken[:10]}"


@pytest.mark.slow
def test_the_finder_holds_zensicals_site_index_until_its_header_search_is_used(browser, zensical_site):
    # The hold knows no file name: Zensical's index is search.json, Material's search/search_index.json.
    with serve(zensical_site) as url:
        page = browser.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(url + "find/?text=attendance")
        page.wait_for_load_state("networkidle")
        assert any("/finder/facets.json" in u for u in requested), "the finder did not load"
        assert not [u for u in requested if u.endswith("/search.json")]
        page.click(".md-search__button")
        page.wait_for_timeout(1000)
        page.wait_for_load_state("networkidle")
        assert [u for u in requested if u.endswith("/search.json")]
        page.close()

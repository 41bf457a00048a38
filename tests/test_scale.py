"""Listings at scale (issue 17): at most LISTING_CAP cards a page, strongest evidence first,
then a link to all of them in the finder, which opens with that filter ticked; no page
over 300 KB of HTML. On a synthetic corpus (bench/synth.py) large enough that every
listing is cut."""

import html
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from conftest import ROOT, run_generator, serve
from generator.cli import site_url as configured_site_url
from generator.site import LISTING_CAP, Site
from generator.validate import check_project

N = 300  # enough that each listing, theme and outcome page has more than LISTING_CAP records
PAGE_LIMIT = 300_000  # bytes of HTML, at any N


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> tuple[Path, Site]:
    project = tmp_path_factory.mktemp("large") / "project"
    made = subprocess.run(
        [sys.executable, "-m", "bench.synth", "--n", str(N), "--out", str(project)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    built = run_generator("build", "--site-dir", str(project / "site"), cwd=project)
    assert built.returncode == 0, built.stderr
    result = check_project(project)
    assert result.ok
    return project / "site", Site(result.corpus, configured_site_url(project))


def card_ids(page: str) -> list[str]:
    return re.findall(r'<h\d class="ww-card__title"><a href="[^"]*?([^/"]+)/">', page)


def see_all(page: str) -> list[tuple[int, dict[str, list[str]]]]:
    """Each "See all N ... in the finder" link: N, and the finder's filters it sets."""
    links = []
    for href, count in re.findall(r'<a href="([^"]*find/\?[^"]*)">See all ([\d,]+) [^<]* in the finder</a>', page):
        filters: dict[str, list[str]] = {}
        for name, value in parse_qsl(urlsplit(html.unescape(href)).query):
            filters.setdefault(name, []).append(value)
        links.append((int(count.replace(",", "")), filters))
    return links


def listings(site: Site):
    """(page folder, [(records the page lists, in its order, the finder filters that select them)])."""
    vocab = site.vocab
    evidence_types = sorted(vocab["evidence-types"].terms)
    yield "exemplars", [(site.exemplars(), {"type": ["exemplar"]})]
    yield "evidence", [(site.strongest_first(site.evidence()), {"type": evidence_types})]
    for vocabulary, facet in (("themes", "theme"), ("ecm-outcomes", "ecm"), ("shanarri", "shanarri")):
        for term in vocab[vocabulary].terms:
            exemplars, evidence = site.tagged(vocabulary, term)
            folder = site.term_uri(vocabulary, term).removesuffix("/index.md")
            yield (
                folder,
                [
                    (exemplars, {"type": ["exemplar"], facet: [term]}),
                    (evidence, {"type": evidence_types, facet: [term]}),
                ],
            )


@pytest.mark.slow
def test_listings_show_the_strongest_then_link_to_all_in_the_finder(large):
    site_dir, site = large
    cut = 0
    for folder, sections in listings(site):
        page = (site_dir / folder / "index.html").read_text(encoding="utf-8")
        shown = card_ids(page)
        assert len(shown) <= LISTING_CAP, folder
        expected, links = [], []
        for records, filters in sections:
            total = len(records)
            share = site.card_shares(*(r for r, _ in sections))[sections.index((records, filters))]
            expected += [r.id for r in records[:share]]
            if share < total:
                links.append((total, {**filters, "sort": ["rating"]}))
        assert shown == expected, folder  # strongest evidence first, as the finder's "rating" sort
        found = [
            (count, {name: sorted(values) for name, values in filters.items()}) for count, filters in see_all(page)
        ]
        assert found == [(count, {name: sorted(v) for name, v in f.items()}) for count, f in links], folder
        cut += bool(links)
    assert cut > 20, "the corpus is too small to cut most listings"


@pytest.mark.slow
def test_the_comparison_table_is_capped_too(large):
    site_dir, site = large
    page = (site_dir / "compare" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr>\s*<th scope=\"row\"", page)
    assert len(rows) == LISTING_CAP
    assert see_all(page) == [(len(site.exemplars()), {"type": ["exemplar"], "sort": ["rating"]})]


@pytest.mark.slow
def test_no_page_is_over_300_kb(large):
    site_dir, _ = large
    sizes = {p: p.stat().st_size for p in site_dir.rglob("*.html")}
    biggest = max(sizes, key=sizes.get)
    assert sizes[biggest] <= PAGE_LIMIT, (biggest, sizes[biggest])


def _finder_ticks(page) -> dict[str, list[str]]:
    ticked = page.locator("[data-finder] input[type=checkbox]:checked").evaluate_all(
        "boxes => boxes.map(b => [b.name, b.value])"
    )
    found: dict[str, list[str]] = {}
    for name, value in ticked:
        found.setdefault(name, []).append(value)
    return {name: sorted(values) for name, values in found.items()}


@pytest.mark.parametrize(
    "choose",
    [
        pytest.param(lambda site: "exemplars", id="exemplars"),
        pytest.param(lambda site: "evidence", id="evidence"),
        pytest.param(lambda site: site.term_uri("themes", next(iter(site.vocab["themes"].terms))), id="theme"),
        pytest.param(lambda site: site.term_uri("ecm-outcomes", "enjoy-and-achieve"), id="ecm"),
        pytest.param(lambda site: site.term_uri("shanarri", next(iter(site.vocab["shanarri"].terms))), id="shanarri"),
    ],
)
def test_following_see_all_opens_the_finder_with_that_filter_and_all_the_results(browser, large, choose):
    site_dir, site = large
    folder = choose(site).removesuffix("/index.md")
    with serve(site_dir) as url:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        problems = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(f"{url}{folder}/")
        expected = see_all(page.content())
        assert expected, f"{folder} has nothing cut"
        count, filters = expected[-1]
        page.locator(".ww-see-all a").last.click()
        page.wait_for_url("**/find/?**")
        page.wait_for_function(
            "(n) => document.querySelector('#ww-finder-status').textContent === n + ' results'", arg=str(count)
        )
        assert _finder_ticks(page) == {k: sorted(v) for k, v in filters.items() if k != "sort"}
        assert page.locator("#ww-finder-sort").input_value() == "rating"
        assert problems == []
        page.context.close()


CAPPED_PAGES = ["exemplars/", "evidence/", "themes/attendance/", "outcomes/shanarri/included/", "compare/"]


@pytest.mark.slow
def test_the_nu_html_checker_finds_nothing_on_capped_pages(large):
    site_dir, _ = large
    vnu = ROOT / "requirements/node_modules/vnu-jar/build/dist/vnu.jar"
    assert vnu.exists(), "the Nu HTML Checker is an npm test tool: make test installs it with npm ci"
    pages = [str(site_dir / path / "index.html") for path in CAPPED_PAGES]
    result = subprocess.run(
        ["java", "-jar", str(vnu), "--format", "gnu", *pages], capture_output=True, text=True, timeout=600
    )
    report = result.stderr.splitlines() + result.stdout.splitlines()
    assert result.returncode == 0 and report == [], "\n".join(report[:20])


@pytest.mark.parametrize("path", CAPPED_PAGES)
def test_axe_finds_no_violations_on_capped_pages(browser, large, path):
    from axe_playwright_python.sync_playwright import Axe

    site_dir, _ = large
    with serve(site_dir) as url:
        page = browser.new_context().new_page()
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
        violations = Axe().run(page).response["violations"]
        assert [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in violations] == []
        page.context.close()

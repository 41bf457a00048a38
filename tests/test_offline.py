"""The offline copy (`build --offline`, `make site-offline`): opened from disk, every link
opens a page, the finder searches without fetch, present mode and print work, and answers
to reflective questions are kept and gathered on "My reflections"."""

import html
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import run_generator

HREF = re.compile(r'href="([^"]*)"')


@pytest.fixture(scope="module")
def offline_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("offline") / "site-offline"
    result = run_generator("build", "--offline", "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_every_link_between_pages_opens_a_file(offline_dir):
    broken = []
    for page in offline_dir.rglob("*.html"):
        for href in HREF.findall(page.read_text(encoding="utf-8")):
            url = urlsplit(html.unescape(href))
            if url.scheme or url.netloc or not url.path or url.path.startswith("/"):
                continue  # other sites, and links within the page
            target = (page.parent / unquote(url.path)).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(offline_dir)} -> {href}")
    assert broken == []


def test_no_header_search_that_cannot_work_from_disk(offline_dir):
    page = (offline_dir / "index.html").read_text(encoding="utf-8")
    assert "search_index" not in page and 'data-md-component="search"' not in page


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(path.as_uri())
    return page, problems


def test_the_finder_searches_from_disk_and_its_results_open(browser, offline_dir):
    page, problems = _open(browser, offline_dir / "find" / "index.html")
    page.wait_for_selector("[data-finder]:not([hidden])")
    page.fill("#ww-finder-q", "attendance")
    page.wait_for_selector("[data-results] > li")
    assert page.locator("[data-results] > li").count() >= 1
    page.locator("[data-results] .ww-card__title a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and page.url.endswith("/index.html")
    assert page.locator("h1").count() == 1
    assert problems == []
    page.close()


def test_a_pack_is_presented_and_printed_from_disk(browser, offline_dir):
    pack = sorted((offline_dir / "packs").glob("*/present/index.html"))[0]
    page, problems = _open(browser, pack)
    page.get_by_role("button", name="Start presenting").click()
    page.keyboard.press("ArrowRight")
    assert page.locator(".ww-slide:not([hidden]) [data-ww-timer]").is_visible()
    page.keyboard.press("Escape")
    page.goto((pack.parent.parent / "handout" / "index.html").as_uri())
    assert len(page.pdf(format="A4")) > 10_000
    assert problems == []
    page.close()


def test_answers_are_kept_from_disk_and_my_reflections_opens_their_page(browser, offline_dir):
    exemplar = sorted((offline_dir / "exemplars").glob("*/index.html"))[0]
    page, problems = _open(browser, exemplar)
    page.locator("textarea.ww-answer").first.fill("Written from disk")
    page.wait_for_function("Object.keys(localStorage).some(k => k.startsWith('whatworks.reflections.'))")
    page.get_by_role("link", name="My reflections").first.click()
    page.wait_for_load_state()
    assert page.url == (offline_dir / "my-reflections" / "index.html").as_uri()
    assert page.locator(".ww-reflection dd").inner_text() == "Written from disk"
    page.locator(".ww-reflection h2 a").click()
    page.wait_for_load_state()
    assert page.url == exemplar.as_uri()
    assert page.locator("textarea.ww-answer").first.input_value() == "Written from disk"
    assert problems == []
    page.close()

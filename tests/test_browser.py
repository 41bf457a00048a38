"""Real pages in Debian's Chromium: they load cleanly, read in order, and work at phone width."""

import pytest

from conftest import ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"


def open_page(browser, url, width=1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url}"))
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(url.split("/")[0] + "//127.0.0.1")
            else problems.append(f"third-party request: {request.url}")
        ),
    )
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page, problems


@pytest.mark.parametrize(
    "path",
    [
        "",
        "exemplars/",
        "exemplars/new-cumnock-home-school-link-practitioner/",
        "evidence/",
        "evidence/extended-schools-core-offer-2008/",
        "themes/attendance/",
        "outcomes/",
        "ratings/",
    ],
)
def test_pages_load_without_errors_or_third_party_requests(browser, site_url, path):
    page, problems = open_page(browser, site_url + path)
    assert page.locator("h1").count() == 1
    assert problems == []
    page.close()


def test_exemplar_page_puts_the_glance_box_first_with_both_signals(browser, site_url):
    page, _ = open_page(browser, site_url + "exemplars/warrington-family-support-model/")
    glance = page.get_by_role("region", name="At a glance")
    assert glance.is_visible()
    assert glance.locator("dt").all_inner_texts() == [
        "What it is",
        "For whom",
        "Where and when",
        "Strength of evidence",
        "Who checked it",
        "Headline outcome",
        "Cost per family",
        "Evidence from",
    ]
    assert glance.locator(".ww-checked").inner_text() == "Validated by an outside body"
    assert glance.locator(".ww-strength__text").inner_text() == "Strength 1 of 4: Monitoring data"
    first_section = page.get_by_role("heading", name="What was done")
    assert glance.bounding_box()["y"] < first_section.bounding_box()["y"]
    figures = page.get_by_role("table").filter(has_text="What it measures")
    assert "57 per cent" in figures.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "exemplar-desktop.png", full_page=True)
    page.close()


def test_exemplar_page_fits_a_phone_screen(browser, site_url):
    page, problems = open_page(browser, site_url + "exemplars/school-home-support-liverpool-sefton/", width=375)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at phone width"
    assert page.get_by_role("region", name="At a glance").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "exemplar-phone.png", full_page=True)
    assert problems == []
    page.close()


def test_source_references_jump_to_the_source(browser, site_url):
    page, _ = open_page(browser, site_url + "exemplars/hertfordshire-summer-reading-challenge/")
    page.locator(".ww-figures a.ww-ref").first.click()
    assert page.evaluate("location.hash").startswith("#source-")
    target = page.locator(page.evaluate("location.hash"))
    assert target.is_visible() and "Schools and Communities" in target.inner_text()
    page.close()

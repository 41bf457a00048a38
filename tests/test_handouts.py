"""Handouts: Chromium's print-to-PDF of record and pack pages, read back with pypdf.

The checks are the trainer's: the questions are on paper, last, with nothing of the
site's navigation; an exemplar fits on three A4 pages; the print button prints.
"""

import io
import re

import pytest
from pypdf import PdfReader

from conftest import ROOT, real_corpus

CORPUS = real_corpus()
ARTIFACTS = ROOT / "tests" / "artifacts"
MAX_EXEMPLAR_PAGES = 3
# Text that belongs to the site's chrome (navigation, search, header, footer), never to a handout.
CHROME = [
    "Practice exemplars",
    "Compare exemplars",
    "Session packs",
    "Open data",
    "Evidence ratings",
    "Search",
    "Skip to content",
    "Table of contents",
    "Back to top",
    "Made with",
    "Material for MkDocs",
    "Print handout",
    "Edit this page",
    "CC BY 4.0 · code MIT",
]


def squash(text: str) -> str:
    """Text without any whitespace, so that line wrapping in the PDF does not matter."""
    return re.sub(r"\s+", "", text)


def without_expansions(flat: str) -> str:
    """Squashed printed text without the expansions print gives abbreviations ("DCSF(Department...)")."""
    for term in CORPUS.vocabularies["glossary"].terms.values():
        if "expansion" in term:
            flat = flat.replace(f"({squash(term['expansion'])})", "")
    return flat


def print_pdf(browser, url: str, css_page_size: bool = False) -> PdfReader:
    """Print to PDF as a reader would: A4, with the page's own margins (and, if asked, its page size)."""
    page = browser.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    pdf = page.pdf(format="A4", prefer_css_page_size=css_page_size)
    page.close()
    return PdfReader(io.BytesIO(pdf))


def pdf_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("record_id", sorted(CORPUS.exemplars))
def test_exemplar_prints_as_a_handout_of_at_most_three_pages(browser, site_url, record_id):
    reader = print_pdf(browser, f"{site_url}exemplars/{record_id}/")
    text = pdf_text(reader)
    flat = without_expansions(squash(text))
    data = CORPUS.exemplars[record_id].data
    assert len(reader.pages) <= MAX_EXEMPLAR_PAGES, f"{record_id} prints on {len(reader.pages)} pages"
    assert squash(data["title"]) in flat
    for chrome in CHROME:
        assert chrome not in text, f"{record_id}: {chrome!r} printed"

    # At a glance, with both evidence signals, comes first, on page one.
    first_page = squash(reader.pages[0].extract_text())
    for label in (
        "Ataglance",
        "Whereandwhen",
        "Strengthofevidence",
        "Whocheckedit",
        "Headlineoutcome",
        "Costperfamily",
    ):
        assert label in first_page
    assert squash(CORPUS.vocabularies["rating-levels"].label(data["evidence_rating"]["level"])) in first_page
    assert "Thesource'swords" not in flat and "BibTeX" not in flat  # on-screen disclosures stay on screen

    # The reflective questions come last: after every other section, and each one is there.
    questions_at = flat.rindex("Reflectivequestions")
    for heading in ("Whatwasdone", "Impact", "Evidencerating", "Lessonslearned", "Sources", "Citethispage"):
        assert flat.index(heading) < questions_at, f"{record_id}: {heading} prints after the questions"
    last = questions_at
    for question in data["reflective_questions"]["questions"]:
        position = flat.find(squash(question), questions_at)
        assert position > last, f"{record_id}: question missing or out of order: {question}"
        last = position


def test_each_question_has_room_to_write_after_it(browser, site_url):
    """With no answer typed, ruled space under each question, kept on the page with it."""
    page = browser.new_page()
    page.goto(site_url + "exemplars/warrington-family-support-model/")
    page.emulate_media(media="print")
    room = page.evaluate("""() => [...document.querySelectorAll('.ww-questions li')].map(li => {
        const space = li.querySelector('.ww-answer-print');
        return {height: space.getBoundingClientRect().height, display: getComputedStyle(space).display,
                box: getComputedStyle(li.querySelector('textarea')).display, breakInside: getComputedStyle(li).breakInside};
    })""")
    page.close()
    assert room and all(
        r["display"] == "block" and r["height"] >= 40 and r["box"] == "none" and r["breakInside"] == "avoid"
        for r in room
    ), room


@pytest.mark.parametrize("record_id", sorted(CORPUS.evidence))
def test_evidence_page_prints_without_chrome(browser, site_url, record_id):
    reader = print_pdf(browser, f"{site_url}evidence/{record_id}/")
    text = pdf_text(reader)
    assert len(reader.pages) <= MAX_EXEMPLAR_PAGES
    assert squash(CORPUS.evidence[record_id].data["title"]) in squash(text)
    assert "Keyfindings" in squash(text)
    for chrome in CHROME:
        assert chrome not in text, f"{record_id}: {chrome!r} printed"


@pytest.mark.parametrize("pack_id", sorted(CORPUS.packs))
def test_pack_prints_a_facilitators_version_and_a_participants_handout(browser, site_url, pack_id):
    pack = CORPUS.packs[pack_id].data
    used = [(CORPUS.exemplars if i["kind"] == "exemplar" else CORPUS.evidence)[i["id"]].data for i in pack["records"]]

    plan = squash(pdf_text(print_pdf(browser, f"{site_url}packs/{pack_id}/")))
    for heading in ("Runningorder", "Facilitatornotes", "Activities"):
        assert heading in plan
    for activity in pack["activities"]:
        for prompt in activity.get("prompts", []):
            assert squash(prompt) in plan

    reader = print_pdf(browser, f"{site_url}packs/{pack_id}/handout/")
    text = pdf_text(reader)
    flat = without_expansions(squash(text))
    for chrome in CHROME:
        assert chrome not in text, f"{pack_id}: {chrome!r} printed"
    for record in used:
        assert squash(record["summary"])[:80] in flat
        for question in record.get("reflective_questions", {}).get("questions", []):
            assert squash(question) in flat, f"{pack_id}: missing {question}"
    for facilitators_only in ("Facilitatornotes", "Runningorder", "Discussionprompts"):
        assert facilitators_only not in flat


@pytest.mark.parametrize(
    "path", ["exemplars/warrington-family-support-model/", "packs/{pack}/", "packs/{pack}/handout/"]
)
def test_printed_body_text_is_at_least_10pt(browser, site_url, path):
    page = browser.new_page()
    page.goto(site_url + path.format(pack=sorted(CORPUS.packs)[0]))
    page.emulate_media(media="print")
    sizes = page.evaluate("""() => [...document.querySelectorAll('article p, article li, article dd, article dt, article td, article th')]
        .filter(e => e.getBoundingClientRect().height && !e.closest('.ww-print-origin'))
        .map(e => parseFloat(getComputedStyle(e).fontSize))""")
    page.close()
    assert sizes and min(sizes) >= 10 * 96 / 72 - 0.01, min(sizes)


def test_compare_page_prints_landscape_with_every_column(browser, site_url):
    reader = print_pdf(browser, site_url + "compare/", css_page_size=True)
    box = reader.pages[0].mediabox
    assert box.width > box.height, "the comparison should print on landscape pages"
    flat = squash(pdf_text(reader))
    for column in (
        "Exemplar",
        "Place",
        "Phase",
        "When",
        "Reach",
        "Cost",
        "Headlineimpact",
        "Strengthofevidence",
        "Whocheckedit",
    ):
        assert column in flat
    for record in CORPUS.exemplars.values():
        assert squash(record.data["title"]) in flat


def test_print_button_prints_and_is_not_printed(browser, site_url):
    page = browser.new_page()
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    page.goto(site_url + "exemplars/nottingham-parent-counsellor/")
    button = page.get_by_role("button", name="Print handout")
    assert button.is_visible()
    assert button.evaluate("b => b.tagName") == "BUTTON"
    button.click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    assert not button.is_visible()
    page.close()


def test_print_button_is_not_offered_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "exemplars/nottingham-parent-counsellor/")
    assert page.locator("button[data-ww-print]").count() == 1
    assert not page.locator("button[data-ww-print]").is_visible()
    context.close()


def test_save_a_handout_for_inspection(browser, site_url):
    """CI keeps tests/artifacts: the PDF of one exemplar, to look at."""
    page = browser.new_page()
    page.goto(site_url + "exemplars/warrington-family-support-model/")
    page.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=ARTIFACTS / "handout-warrington-family-support-model.pdf", format="A4", prefer_css_page_size=True)
    page.close()
    assert (ARTIFACTS / "handout-warrington-family-support-model.pdf").stat().st_size > 10_000

"""Reflect on your own setting: answer boxes under the reflective questions, in Chromium.

What a reader does: types an answer, reloads and finds it, prints it, downloads it, finds it
on "My reflections" and clears it; and what must never happen: the text leaving the browser
in any request, or a box that seems to save when the script is not there to save it.
"""

import io
import re
from datetime import datetime
from urllib.parse import quote, quote_plus

import pytest
from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfReader

from conftest import real_corpus

CORPUS = real_corpus()
EXEMPLAR = CORPUS.exemplars["warrington-family-support-model"]
EXEMPLAR_PAGE = f"exemplars/{EXEMPLAR.id}/"
QUESTIONS = EXEMPLAR.data["reflective_questions"]["questions"]
PACK = CORPUS.packs["attendance-and-the-move-to-secondary-school"]
PREFIX = "whatworks.reflections."
MATERIAL_PALETTE = "/.__palette"  # Material keeps the colour scheme it shows, on every page
# Words no page of the site holds, so that finding them anywhere means they were carried there.
ANSWER = "Our attendance lead and the school nurse meet on Tuesdays: quillwort 4417."
SECOND_LINE = "Ask the family-support team about a shared referral form."


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def today() -> str:
    """Today as the page writes it, "1 December 2026" (the browser runs in this machine's time zone)."""
    now = datetime.now()
    return f"{now.day} {now:%B %Y}"


@pytest.fixture
def context(browser):
    """A fresh browser profile (empty storage) that records every request made in it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.requests = []
    context.on("request", lambda request: context.requests.append(request))
    yield context
    context.close()


def box(page, number: int = 1, record_id: str = EXEMPLAR.id):
    return page.locator(f"#ww-answer-{record_id}-q{number}")


def stored(page) -> dict:
    return page.evaluate(
        "prefix => Object.fromEntries(Object.keys(localStorage).filter(k => k.startsWith(prefix))"
        ".map(k => [k, JSON.parse(localStorage.getItem(k))]))",
        PREFIX,
    )


def type_answer(page, number: int = 1, record_id: str = EXEMPLAR.id, text: str = ANSWER):
    box(page, number, record_id).fill(text)
    key = PREFIX + record_id
    page.wait_for_function("([key, text]) => (localStorage.getItem(key) || '').includes(text)", arg=[key, text[:20]])


def test_each_question_is_the_label_of_its_answer_box(context, site_url):
    page = context.new_page()
    page.goto(site_url + EXEMPLAR_PAGE)
    for number, question in enumerate(QUESTIONS, start=1):
        answer = page.get_by_role("textbox", name=question, exact=True)
        assert answer.is_enabled() and answer.get_attribute("id") == f"ww-answer-{EXEMPLAR.id}-q{number}"
    note = page.locator("#reflective-questions ~ .ww-questions [data-ww-answers-on]")
    assert note.is_visible()
    assert "in this browser only" in note.inner_text() and "nothing is sent anywhere" in note.inner_text()
    assert "do not write children's or families' names" in note.inner_text()
    assert not page.locator("[data-ww-answers-off]").is_visible()


def test_an_answer_survives_a_reload_and_no_request_carries_it(context, site_url):
    page = context.new_page()
    page.goto(site_url + EXEMPLAR_PAGE)
    text = ANSWER + "\n" + SECOND_LINE
    type_answer(page, 2, text=text)
    assert page.get_by_role("status").first.inner_text().startswith("Saved in this browser")
    page.reload()
    assert box(page, 2).input_value() == text
    assert box(page, 1).input_value() == ""
    entry = stored(page)[PREFIX + EXEMPLAR.id]
    assert entry["title"] == EXEMPLAR.data["title"] and entry["url"] == site_url + EXEMPLAR_PAGE
    assert entry["answers"][QUESTIONS[1]]["text"] == text
    # Visit "My reflections" too, and download, so that every part of the feature has had its chance to send.
    page.goto(site_url + "my-reflections/")
    with page.expect_download():
        page.get_by_role("button", name="Download all as Markdown").click()

    assert len(context.requests) > 10  # the recording works: pages, styles and scripts were requested
    needle = "quillwort"
    for request in context.requests:
        for form in (needle, quote(needle), quote_plus(needle)):
            assert form not in request.url, request.url
        body = request.post_data_buffer or b""
        assert needle.encode() not in body, request.url
    assert all(request.method == "GET" for request in context.requests)


def test_print_shows_the_typed_answer_and_ruled_space_for_the_others(context, site_url):
    page = context.new_page()
    page.goto(site_url + EXEMPLAR_PAGE)
    type_answer(page, 1, text=ANSWER + "\n" + SECOND_LINE)
    page.emulate_media(media="print")
    copy = page.locator("[data-ww-answer-print='q1']")
    assert copy.is_visible() and copy.inner_text() == ANSWER + "\n" + SECOND_LINE
    assert not box(page, 1).is_visible()
    empty = page.locator("[data-ww-answer-print='q2']")
    assert empty.inner_text() == "" and empty.bounding_box()["height"] >= 40
    text = squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages))
    assert squash(QUESTIONS[0]) + squash(ANSWER) + squash(SECOND_LINE) + "2." + squash(QUESTIONS[1]) in text


def test_the_page_downloads_its_answers_as_markdown_and_for_word(context, site_url):
    page = context.new_page()
    page.goto(site_url + EXEMPLAR_PAGE)
    type_answer(page, 3, text=ANSWER + " <b>&</b>")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as Markdown").click()
    name = download.value.suggested_filename
    assert name == f"my-reflections-warrington-family-support-model-{datetime.now():%Y-%m-%d}.md"
    markdown = open(download.value.path(), encoding="utf-8").read()
    assert markdown.startswith("# My reflections: Warrington Family Support Model\n")
    assert f"## {EXEMPLAR.data['title']}\n" in markdown
    assert f"### {QUESTIONS[2]}\n\n{ANSWER} <b>&</b>\n" in markdown
    assert f"Last changed {today()}" in markdown and site_url + EXEMPLAR_PAGE in markdown
    assert page.get_by_role("status").first.inner_text() == f"Downloaded {name}."

    with page.expect_download() as download:
        page.get_by_role("button", name="Download for Word").click()
    assert download.value.suggested_filename == name.removesuffix(".md") + ".doc"
    word = open(download.value.path(), encoding="utf-8-sig").read()
    assert word.startswith('<html xmlns:o="urn:schemas-microsoft-com:office:office" ')
    assert 'xmlns:w="urn:schemas-microsoft-com:office:word"' in word and 'charset=utf-8"' in word
    assert f"<h3>{QUESTIONS[2]}</h3>" in word.replace("&#x27;", "'")
    assert f"<p>{ANSWER} &lt;b&gt;&amp;&lt;/b&gt;</p>" in word  # the reader's text is text, never markup
    # The file is an HTML document that reads as one, as Word and LibreOffice read it.
    page.set_content(word)
    assert page.locator("h3").first.inner_text() == QUESTIONS[2]
    assert page.locator("p", has_text="quillwort").inner_text() == ANSWER + " <b>&</b>"


def test_my_reflections_lists_answers_by_page_and_clears_them_all(context, site_url):
    page = context.new_page()
    page.goto(site_url + EXEMPLAR_PAGE)
    type_answer(page, 1)
    page.goto(site_url + f"packs/{PACK.id}/")
    prompt_box = page.locator("textarea[data-ww-answer='a1-p1']")
    prompt = PACK.data["activities"][0]["prompts"][0]
    assert page.get_by_role("textbox", name=prompt, exact=True).get_attribute("id") == prompt_box.get_attribute("id")
    prompt_box.fill(SECOND_LINE)
    page.wait_for_function("key => localStorage.getItem(key) !== null", arg=PREFIX + PACK.id)

    page.get_by_role("link", name="My reflections").first.click()
    page.wait_for_url(site_url + "my-reflections/")
    sections = page.locator(".ww-reflection")
    assert sections.count() == 2
    titles = sorted([EXEMPLAR.data["title"], PACK.data["title"]], key=str.lower)
    assert [h.inner_text() for h in page.locator(".ww-reflection h2").all()] == titles
    exemplar = page.locator(".ww-reflection", has_text=EXEMPLAR.data["title"])
    assert exemplar.get_by_role("link", name=EXEMPLAR.data["title"]).get_attribute("href") == site_url + EXEMPLAR_PAGE
    assert f"Practice exemplar · last changed {today()} at " in exemplar.inner_text()
    assert exemplar.locator("dt").inner_text() == QUESTIONS[0] and exemplar.locator("dd").inner_text() == ANSWER
    pack = page.locator(".ww-reflection", has_text=PACK.data["title"])
    assert "Session pack · last changed" in pack.inner_text() and pack.locator("dd").inner_text() == SECOND_LINE

    with page.expect_download() as download:
        page.get_by_role("button", name="Download all as Markdown").click()
    assert download.value.suggested_filename == f"my-reflections-{datetime.now():%Y-%m-%d}.md"
    markdown = open(download.value.path(), encoding="utf-8").read()
    assert f"### {QUESTIONS[0]}\n\n{ANSWER}\n" in markdown and f"### {prompt}\n\n{SECOND_LINE}\n" in markdown

    # Clearing asks first; "Keep them" keeps them.
    page.get_by_role("button", name="Clear all my answers").click()
    assert page.get_by_text("Delete all your answers, for 2 pages, from this browser?").is_visible()
    page.get_by_role("button", name="Keep them").click()
    assert sections.count() == 2 and len(stored(page)) == 2
    page.get_by_role("button", name="Clear all my answers").click()
    page.get_by_role("button", name="Delete them all").click()
    assert sections.count() == 0
    assert page.get_by_text("You have not written any answers in this browser yet.").is_visible()
    # Nothing is left but Material's record of the colour scheme shown.
    assert page.evaluate("Object.keys(localStorage)") == [MATERIAL_PALETTE]
    page.goto(site_url + EXEMPLAR_PAGE)
    assert box(page, 1).input_value() == ""


def test_an_answer_stays_with_its_question_when_the_questions_change(context, site_url):
    """Answers are kept under the question's words: a question that moved finds its answer,
    and one the page no longer asks keeps its answer on "My reflections"."""
    page = context.new_page()
    page.goto(site_url + EXEMPLAR_PAGE)
    kept = {
        "id": EXEMPLAR.id,
        "title": EXEMPLAR.data["title"],
        "kind": "Practice exemplar",
        "url": site_url + EXEMPLAR_PAGE,
        "changed": "2026-01-05T10:00:00.000Z",
        "answers": {
            QUESTIONS[2]: {
                "question": QUESTIONS[2],
                "text": "Was the first question",
                "order": 0,
                "changed": "2026-01-05T10:00:00.000Z",
            },
            "A question since reworded?": {
                "question": "A question since reworded?",
                "text": SECOND_LINE,
                "order": 1,
                "changed": "2026-01-05T10:00:00.000Z",
            },
        },
    }
    page.evaluate("([key, entry]) => localStorage.setItem(key, JSON.stringify(entry))", [PREFIX + EXEMPLAR.id, kept])
    page.reload()
    assert [box(page, n).input_value() for n in range(1, len(QUESTIONS) + 1)] == [
        "Was the first question" if n == 3 else "" for n in range(1, len(QUESTIONS) + 1)
    ]
    type_answer(page, 1)
    page.goto(site_url + "my-reflections/")
    # In the page's order, then the answer to the question the page no longer asks.
    assert page.locator(".ww-reflection dt").all_inner_texts() == [
        QUESTIONS[0],
        QUESTIONS[2],
        "A question since reworded?",
    ]
    assert page.locator(".ww-reflection dd").all_inner_texts() == [ANSWER, "Was the first question", SECOND_LINE]


def test_clearing_one_page_keeps_the_others(context, site_url):
    page = context.new_page()
    page.goto(site_url + f"packs/{PACK.id}/")
    page.locator("textarea[data-ww-answer='a1-p1']").fill(SECOND_LINE)
    page.wait_for_function("key => localStorage.getItem(key) !== null", arg=PREFIX + PACK.id)
    page.goto(site_url + EXEMPLAR_PAGE)
    type_answer(page, 1)
    type_answer(page, 4)
    page.get_by_role("button", name="Clear my answers on this page").click()
    page.get_by_role("button", name="Delete them").click()
    assert box(page, 1).input_value() == "" and box(page, 4).input_value() == ""
    assert list(stored(page)) == [PREFIX + PACK.id]
    page.goto(site_url + "my-reflections/")
    page.get_by_role("button", name=f"Delete your answers for {PACK.data['title']}").click()
    page.get_by_role("button", name="Delete them", exact=True).click()
    assert page.locator(".ww-reflection").count() == 0 and stored(page) == {}


def test_the_pack_handout_shows_the_answers_typed_on_an_exemplar_page(context, site_url):
    """An exemplar's questions are the same questions in a pack's handout: one answer, in both places."""
    used = next(item["id"] for item in PACK.data["records"] if item["kind"] == "exemplar")
    page = context.new_page()
    page.goto(site_url + f"exemplars/{used}/")
    type_answer(page, 1, record_id=used)
    page.goto(site_url + f"packs/{PACK.id}/handout/")
    assert box(page, 1, used).input_value() == ANSWER
    page.emulate_media(media="print")
    text = squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages))
    assert squash(ANSWER) in text


def test_without_javascript_the_boxes_do_not_pretend_to_save(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for path in (EXEMPLAR_PAGE, f"packs/{PACK.id}/", f"packs/{PACK.id}/handout/"):
        page.goto(site_url + path)
        boxes = page.locator("textarea.ww-answer")
        assert boxes.count() > 0 and all(b.is_disabled() for b in boxes.all()), path
        assert page.locator("[data-ww-answers-off]").first.is_visible(), path
        assert not page.locator("[data-ww-answers-on]").first.is_visible(), path
        assert not page.get_by_role("button", name="Download as Markdown").is_visible(), path
    page.goto(site_url + "my-reflections/")
    assert page.get_by_text("This page needs JavaScript").is_visible()
    assert not page.get_by_role("button", name="Clear all my answers").is_visible()
    context.close()


def test_a_browser_that_keeps_nothing_is_told_so_and_can_still_download(context, site_url):
    page = context.new_page()
    page.add_init_script("Storage.prototype.setItem = () => { throw new DOMException('refused', 'SecurityError'); }")
    page.goto(site_url + EXEMPLAR_PAGE)
    note = page.locator(".ww-questions [data-ww-answers-on]")
    assert note.is_visible() and "will be lost when you leave this page" in note.inner_text()
    box(page, 1).fill(ANSWER)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as Markdown").click()
    assert f"### {QUESTIONS[0]}\n\n{ANSWER}\n" in open(download.value.path(), encoding="utf-8").read()


@pytest.mark.parametrize("path", [EXEMPLAR_PAGE, f"packs/{PACK.id}/", "my-reflections/"])
def test_no_sideways_scrolling_on_a_phone(browser, site_url, path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_url + EXEMPLAR_PAGE)
    type_answer(page, 1)
    page.goto(site_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for element in page.locator("textarea.ww-answer, .ww-reflection dd, .ww-answers-tools button").all():
        if element.is_visible():
            box_ = element.bounding_box()
            assert box_["x"] >= 0 and box_["x"] + box_["width"] <= 390, (path, box_)
    context.close()


def test_axe_finds_no_violations_with_answers_and_a_clear_question_open(context, site_url):
    page = context.new_page()
    page.goto(site_url + EXEMPLAR_PAGE)
    type_answer(page, 1)
    page.get_by_role("button", name="Clear my answers on this page").click()
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []
    page.goto(site_url + "my-reflections/")
    page.get_by_role("button", name="Clear all my answers").click()
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []

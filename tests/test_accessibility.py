"""WCAG 2.2 AA in a real browser: axe-core on every kind of page, keyboard, structure."""

import difflib
import itertools
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import ROOT, real_corpus

MATERIAL_PARTIALS = Path(__import__("material").__file__).parent / "templates" / "partials"

# One page of every kind the site generates.
PAGES = [
    "",
    "exemplars/",
    "exemplars/warrington-family-support-model/",
    "exemplars/new-cumnock-home-school-link-practitioner/",
    "evidence/",
    "evidence/extended-schools-core-offer-2008/",
    "themes/",
    "themes/attendance/",
    "outcomes/",
    "outcomes/shanarri/included/",
    "outcomes/every-child-matters/enjoy-and-achieve/",
    "ratings/",
    "reference/",
    "about/",
    "accessibility/",
    "packs/",
    "packs/attendance-and-the-move-to-secondary-school/",
    "packs/attendance-and-the-move-to-secondary-school/handout/",
    "packs/attendance-and-the-move-to-secondary-school/present/",
    "compare/",
    "glossary/",
    "data/",
    "licence/",
    "find/",
    "find/?text=attendance",
    "my-reflections/",
    "performance/",
]


def _violations(page) -> list[str]:
    result = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in result.response["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations(browser, site_url, path, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == (
        "slate" if scheme == "dark" else "default"
    )
    assert _violations(page) == []
    context.close()


# States a visitor reaches by searching: Material's header search open with results (a
# ?q= address opens it), and the finder with words, ticked facets and highlighted matches.
SEARCHES = {
    "?q=family": (".md-search-result__item", ".md-search-result mark"),
    "find/?text=family+support&theme=family-support&phase=primary": (".ww-finder__list li", ".ww-finder__list mark"),
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", SEARCHES)
def test_axe_finds_no_violations_with_search_results_and_highlights(browser, site_url, path, scheme):
    results, highlights = SEARCHES[path]
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    page.locator(highlights).first.wait_for()
    assert page.locator(results).count() >= 2
    if path.startswith("find/"):
        assert page.locator("input[type=checkbox]:checked").count() == 2
    else:
        assert page.locator("#__search").is_checked(), "the header search dialog is not open"
    assert _violations(page) == []
    context.close()


def test_axe_finds_no_violations_in_print_view(browser, site_url):
    page = browser.new_page()
    page.emulate_media(media="print")
    page.goto(site_url + "exemplars/school-home-support-liverpool-sefton/")
    assert _violations(page) == []
    page.close()


def test_axe_finds_no_violations_while_presenting(browser, site_url):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(site_url + "packs/attendance-and-the-move-to-secondary-school/present/")
    page.get_by_role("button", name="Start presenting").click()
    page.keyboard.press("ArrowRight")
    assert _violations(page) == []
    page.close()


def test_structure_language_skip_link_landmarks_headings(browser, site_url):
    page = browser.new_page()
    for path in PAGES:
        page.goto(site_url + path)
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.locator("a.md-skip").count() == 1
        for role in ("banner", "navigation", "main", "contentinfo"):
            assert page.get_by_role(role).count() >= 1, f"{path}: no {role} landmark"
        levels = page.evaluate(
            "[...document.querySelectorAll('article h1, article h2, article h3, article h4, article h5, article h6')].map(h => +h.tagName[1])"
        )
        assert levels[0] == 1 and levels.count(1) == 1, path
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, f"{path}: heading h{before} is followed by h{after}"
    page.close()


def test_keyboard_reaches_every_link_button_and_answer_box_in_an_exemplar_with_visible_focus(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "exemplars/school-home-support-liverpool-sefton/")
    # Links inside a closed disclosure (more quotations, the source's words) are reached
    # once it is opened; its summary is reached now.
    targets = page.evaluate(
        "[...document.querySelectorAll('article a[href], article button, article textarea')]"
        ".filter(e => e.offsetParent !== null && !e.closest('details:not([open])')).length"
    )
    reached, unmarked = set(), []
    for _ in range(400):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
            const e = document.activeElement;
            if (!e || !e.closest('article')) return null;
            const style = getComputedStyle(e);
            const marked = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 || style.boxShadow !== 'none';
            return {id: [...document.querySelectorAll('article a[href], article button, article textarea')].indexOf(e), marked};
        }""")
        if focused and focused["id"] >= 0:
            reached.add(focused["id"])
            if not focused["marked"]:
                unmarked.append(focused["id"])
        if len(reached) == targets:
            break
    assert len(reached) == targets, f"reached {len(reached)} of {targets} links and buttons"
    assert unmarked == [], "focus is not visible on some elements"
    page.close()


def test_both_evidence_signals_carry_their_meaning_as_text(browser, site_url):
    """Strength is dots and words; who checked it is words; neither relies on colour."""
    vocab = real_corpus().vocabularies
    page = browser.new_page()
    page.goto(site_url + "exemplars/")
    checked = page.locator(".ww-card .ww-checked")
    assert checked.count() == len(real_corpus().exemplars)
    assert set(checked.all_inner_texts()) <= {term["label"] for term in vocab["rating-levels"].terms.values()}
    for text in page.locator(".ww-card .ww-strength__text").all_inner_texts():
        assert re.fullmatch(r"Strength [0-4] of 4: .+", text), text
    colours = page.eval_on_selector_all(
        ".ww-checked",
        "els => [...new Set(els.map(e => getComputedStyle(e).borderColor + getComputedStyle(e).backgroundColor))]",
    )
    assert len(colours) == 1, "every level is drawn alike"
    page.close()


# Each override of a Material partial, and the only lines it adds or changes.
OVERRIDES = {
    "search.html": [
        '+<div class="md-search" data-md-component="search" role="dialog" aria-label="{{ lang.t(\'search\') }}">'
    ],
    "toc.html": ['+    <label class="md-nav__title"{% if page in nav.pages %} for="__toc"{% endif %}>'],
}


@pytest.mark.parametrize("name", OVERRIDES)
def test_partial_overrides_differ_from_material_only_where_they_mean_to(name):
    ours = (ROOT / "overrides/material/partials" / name).read_text().splitlines()
    theirs = (MATERIAL_PARTIALS / name).read_text().splitlines()
    changes = [
        line
        for line in difflib.unified_diff(theirs, ours, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    code_changes = [
        line for line in changes if not line.startswith("- ") and "This file was automatically generated" not in line
    ]
    # Our own Jinja comments ({#- ... #}) explain each change; they are not markup.
    added = [line for line in code_changes if line.startswith("+") and not _in_a_comment(line, ours)]
    assert added == OVERRIDES[name]


def _in_a_comment(line: str, ours: list[str]) -> bool:
    """Whether an added line lies inside a Jinja comment of ours, or opens or closes one."""
    text = line[1:]
    index = ours.index(text)
    opened = max((i for i in range(index + 1) if "{#" in ours[i]), default=-1)
    closed = max((i for i in range(index) if "#}" in ours[i]), default=-1)
    return opened > closed or "{#" in text or text.strip().endswith("#}")

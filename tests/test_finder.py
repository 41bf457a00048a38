"""The finder page (/find/) in Chromium: search, facets, URL state, keyboard, no JavaScript,
lunr.js agreeing with lunr.py, accessibility, and record text kept as text.

Expected results are computed here from the records themselves, never written down.
"""

import re

import pytest
from lunr.query import Query, QueryPresence
from lunr.stemmer import stemmer
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token
from lunr.tokenizer import SEPARATOR_CHARS, Tokenizer
from lunr.trimmer import trimmer
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from conftest import ROOT, copy_project, real_corpus, run_generator, serve
from generator import finder
from generator.cli import site_url
from generator.site import Site

ARTIFACTS = ROOT / "tests" / "artifacts"
CORPUS = real_corpus()
SITE = Site(CORPUS, site_url(ROOT))
RECORDS = finder.records(SITE)
VOCAB = CORPUS.vocabularies
BOX = "#ww-finder-q"


# ---- what the records say the results must be ------------------------------------------


def _stems(text: str) -> list[str]:
    stems = []
    for token in Tokenizer(text):
        token = trimmer(token)
        if stop_word_filter(token) is not None:
            stems.append(str(stemmer(token)))
    return stems


def _searchable(record) -> list[str]:
    """What the page says a search looks in: title, summary, themes, places, organisations,
    what was done, why, the impact (its narrative and what each figure measures), lessons
    and key findings."""
    data = record.data
    parts = [data["title"], data["summary"], *(VOCAB["themes"].label(t) for t in data["themes"])]
    if record.kind.folder == "exemplars":
        place = data["place"]
        parts += [place.get("setting", ""), place["area"], VOCAB["countries"].label(place["country"])]
        parts += [o["name"] for o in data["organisations"]] + [data["what_was_done"], data["why"]]
        parts += [data["impact"]["narrative"], *(f["measures"] for f in data["impact"]["figures"])]
        parts += data.get("lessons", [])
    else:
        parts += [VOCAB["countries"].label(c) for c in data.get("countries", [])]
        parts += [data["publisher"], *data.get("authors", []), *data["key_findings"]]
    return parts


def _uses(stems: list[str], phrase: str) -> bool:
    """Whether the words of a synonym are in `stems` in a row, each as the start of a stem
    (its own stem's start, or its own letters')."""
    words = [(stem, word) for word, stem in zip(_words(phrase), _stems(phrase), strict=True)]
    return any(
        all(stems[at + k].startswith(stem) or stems[at + k].startswith(word) for k, (stem, word) in enumerate(words))
        for at in range(len(stems) - len(words) + 1)
    )


def _words(text: str) -> list[str]:
    return [str(t) for t in (trimmer(token) for token in Tokenizer(text)) if stop_word_filter(t) is not None]


def _with_synonyms(parts: list[str]) -> set[str]:
    """The stems of a record's text, and of every word of each group of synonyms it uses."""
    runs = [_stems(part) for part in parts]
    stems = {s for run in runs for s in run}
    for term in VOCAB["synonyms"].terms.values():
        if any(_uses(run, phrase) for run in runs for phrase in term["words"]):
            stems |= {s for phrase in term["words"] for s in _stems(phrase)}
    return stems


SEARCHABLE = {record.id: _with_synonyms(_searchable(record)) for record in RECORDS}


def matching(text: str) -> set[str]:
    """Records in which every word of the text begins a word (both stemmed), synonyms included."""
    words = _stems(text)
    return {i for i, stems in SEARCHABLE.items() if all(any(s.startswith(w) for s in stems) for w in words)}


def with_value(field_test) -> set[str]:
    return {r.id for r in RECORDS if field_test(r)}


# ---- driving the page -----------------------------------------------------------------


def open_finder(browser, site_url, query="", width=1280, **context):
    page = browser.new_context(viewport={"width": width, "height": 900}, **context).new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("console", lambda message: page.problems.append(message.text) if message.type == "error" else None)
    page.goto(site_url + "find/" + query)
    if context.get("java_script_enabled", True):
        wait_for_status(page, r"\d+ results?|No results")
    return page


def wait_for_status(page, pattern):
    page.wait_for_function(
        "([pattern]) => new RegExp('^(' + pattern + ')$').test(document.querySelector('#ww-finder-status').textContent)",
        arg=[pattern],
        timeout=15_000,
    )


def settle(page, expected: set[str], query=""):
    """Wait until the page shows `expected` results for `query`; then all of them, in order."""
    count = f"{len(expected)} results?" if expected else "No results.*"
    wait_for_status(page, count)
    page.wait_for_selector(f'[data-results][data-query="{query}"]', state="attached")
    while page.locator("[data-more]").is_visible():
        shown = page.locator("[data-results] > li").count()
        try:
            page.click("[data-more]", timeout=5_000)
        except PlaywrightTimeoutError:
            continue  # the results were drawn again between the look and the click: look again
        page.wait_for_function("(n) => document.querySelectorAll('[data-results] > li').length > n", arg=shown)
    page.wait_for_function("(n) => document.querySelectorAll('[data-results] > li').length === n", arg=len(expected))
    return shown_ids(page)


def shown_ids(page) -> list[str]:
    hrefs = page.locator("[data-results] .ww-card__title a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs]


def close(page):
    assert page.problems == []
    page.context.close()


# ---- the tests ----------------------------------------------------------------


def test_typing_attendance_finds_the_school_home_support_exemplar(browser, site_url):
    page = open_finder(browser, site_url)
    page.fill(BOX, "attendance")
    expected = matching("attendance")
    assert "school-home-support-liverpool-sefton" in expected
    ids = settle(page, expected, "attendance")
    assert set(ids) == expected
    assert "school-home-support-liverpool-sefton" in ids
    assert "text=attendance" in page.url
    close(page)


def test_truancy_and_attendance_find_the_same_records(browser, site_url):
    """No record says "truancy": the synonyms vocabulary makes it find what "attendance"
    finds, and the other way round, and the card marks the synonym that matched."""
    expected = matching("attendance")
    assert expected == matching("truancy") and "school-home-support-liverpool-sefton" in expected
    page = open_finder(browser, site_url)
    page.fill(BOX, "truancy")
    by_truancy = settle(page, expected, "truancy")
    marked = {m.lower() for m in page.locator("[data-results] mark").all_inner_texts()}
    assert marked and all(m.startswith(("attend", "absen", "truan", "non-attend")) for m in marked), marked
    page.fill(BOX, "attendance")
    by_attendance = settle(page, expected, "attendance")
    assert set(by_truancy) == set(by_attendance) == expected
    close(page)


def test_an_unknown_word_is_not_cut_down_to_a_few_letters_that_match_another(browser, site_url):
    """While the last word is typed it may lose a few letters to reach its stem, but no
    fewer than five: "truaxyz" must not become "tru" and find "trust"."""
    assert matching("trust"), "the content must use 'trust' for this test to mean anything"
    page = open_finder(browser, site_url)
    page.fill(BOX, "truaxyz")
    wait_for_status(page, "No results.*")
    close(page)


def test_ticking_validated_leaves_exactly_the_validated_exemplars(browser, site_url):
    page = open_finder(browser, site_url)
    label = page.locator("label[for=ww-f-rating-validated]").inner_text()
    assert label.startswith(VOCAB["rating-levels"].label("validated"))
    page.check("#ww-f-rating-validated")
    expected = with_value(lambda r: r.kind.folder == "exemplars" and r.data["evidence_rating"]["level"] == "validated")
    assert expected
    assert set(settle(page, expected)) == expected
    checked = page.locator("[data-results] .ww-checked").all_inner_texts()
    assert checked == [VOCAB["rating-levels"].label("validated")] * len(expected)
    close(page)


def test_a_theme_and_text_narrow_each_other(browser, site_url):
    theme, text = "multi-agency-working", "parents"
    by_text, by_theme = matching(text), with_value(lambda r: theme in r.data["themes"])
    expected = by_text & by_theme
    assert expected and expected < by_text and expected < by_theme, "choose a theme and text that narrow each other"
    page = open_finder(browser, site_url)
    page.fill(BOX, text)
    assert set(settle(page, by_text, text)) == by_text
    # Before ticking, the theme's count says how many results ticking it gives.
    assert page.locator(f"label[for=ww-f-theme-{theme}] [data-count]").inner_text() == f"({len(expected)})"
    page.check(f"#ww-f-theme-{theme}")
    assert set(settle(page, expected, text)) == expected
    page.fill(BOX, "")
    assert set(settle(page, by_theme)) == by_theme
    close(page)


def test_counts_say_what_each_value_would_give(browser, site_url):
    text = "families"
    page = open_finder(browser, site_url)
    page.fill(BOX, text)
    found = matching(text)
    settle(page, found, text)
    themes = {t: len(found & with_value(lambda r, t=t: t in r.data["themes"])) for t in VOCAB["themes"].terms}
    shown = {t: page.locator(f"label[for=ww-f-theme-{t}] [data-count]").inner_text() for t in VOCAB["themes"].terms}
    assert shown == {t: f"({n})" for t, n in themes.items()}
    close(page)


def test_the_url_reproduces_the_view_after_a_reload_and_in_a_new_page(browser, site_url):
    page = open_finder(browser, site_url)
    page.fill(BOX, "parents")
    settle(page, matching("parents"), "parents")
    page.check("#ww-f-theme-family-support")
    page.select_option("#ww-finder-sort", "rating")
    expected = matching("parents") & with_value(lambda r: "family-support" in r.data["themes"])
    ids = settle(page, expected, "parents")
    url = page.url
    assert re.search(r"[?&]text=parents\b", url) and "theme=family-support" in url and "sort=rating" in url
    designs, levels = VOCAB["study-designs"].terms, VOCAB["rating-levels"].terms

    def strongest_first(record_id):
        """Worked out here: strength (its strongest design), then who checked it."""
        record = CORPUS.exemplars.get(record_id) or CORPUS.evidence[record_id]
        rating = record.data.get("evidence_rating", {})
        names = rating.get("study_designs") or [record.data.get("study_design", "not-applicable")]
        strength = max((designs[d].get("strength", -1) for d in names), default=-1)
        return (-strength, levels[rating.get("level", "not-rated")]["rank"])

    keys = [strongest_first(i) for i in ids]
    assert keys == sorted(keys), "strongest evidence first, then the most outside checking"

    def same_view(view):
        # The form is filled in from the address once the finder's data has loaded, after
        # the page's load event, which is all that reload() waits for: results first.
        assert settle(view, expected, "parents") == ids
        assert view.input_value(BOX) == "parents"
        assert view.is_checked("#ww-f-theme-family-support")
        assert view.locator("#ww-f-theme-parental-engagement").is_checked() is False
        assert view.input_value("#ww-finder-sort") == "rating"

    page.reload()
    same_view(page)
    fresh = open_finder(browser, url.split("/find/")[0] + "/", "?" + url.split("?", 1)[1])
    same_view(fresh)
    close(fresh)
    close(page)


def test_back_undoes_the_last_change(browser, site_url):
    page = open_finder(browser, site_url)
    everything = {r.id for r in RECORDS}
    page.fill(BOX, "parents")
    settle(page, matching("parents"), "parents")
    page.check("#ww-f-type-exemplar")
    settle(page, matching("parents") & set(CORPUS.exemplars), "parents")
    page.go_back()
    assert set(settle(page, matching("parents"), "parents")) == matching("parents")
    assert not page.is_checked("#ww-f-type-exemplar")
    assert page.input_value(BOX) == "parents"
    page.go_back()
    assert set(settle(page, everything)) == everything
    assert page.input_value(BOX) == ""
    page.go_forward()
    assert set(settle(page, matching("parents"), "parents")) == matching("parents")
    close(page)


def test_clear_all_empties_the_box_and_the_ticks(browser, site_url):
    page = open_finder(browser, site_url, "?text=parents&theme=family-support&sort=rating")
    settle(page, matching("parents") & with_value(lambda r: "family-support" in r.data["themes"]), "parents")
    page.click("[data-clear]")
    everything = {r.id for r in RECORDS}
    assert set(settle(page, everything)) == everything
    assert page.input_value(BOX) == "" and not page.is_checked("#ww-f-theme-family-support")
    page.wait_for_function("location.search === '?sort=rating'")
    close(page)


def test_keyboard_only(browser, site_url):
    page = open_finder(browser, site_url)

    def tab_until(test, limit=80):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(test):
                return
        raise AssertionError(f"Tab never reached {test}")

    tab_until("document.activeElement.id === 'ww-finder-q'")
    page.keyboard.type("parents")
    found = matching("parents")
    settle(page, found, "parents")
    tab_until("document.activeElement.type === 'checkbox'")
    focused = page.evaluate("[document.activeElement.id, getComputedStyle(document.activeElement).outlineStyle]")
    assert focused[0] == "ww-f-type-exemplar"
    assert focused[1] != "none", "the focused checkbox shows a focus outline"
    page.keyboard.press("Space")
    assert page.is_checked("#ww-f-type-exemplar")
    assert set(settle(page, found & set(CORPUS.exemplars), "parents")) == found & set(CORPUS.exemplars)
    page.keyboard.press("Space")
    assert set(settle(page, found, "parents")) == found
    close(page)


def test_without_javascript_the_page_says_so_and_links_to_listings(browser, site_url):
    page = open_finder(browser, site_url, java_script_enabled=False)
    message = page.locator(".ww-finder-nojs").first
    assert message.is_visible()
    assert "needs JavaScript" in message.inner_text()
    links = message.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert {"../themes/", "../ratings/", "../exemplars/"} <= set(links)
    assert not page.locator("form[data-finder]").is_visible()
    page.context.close()


# ---- lunr.py and lunr.js --------------------------------------------------------------


def test_lunr_js_loads_a_lunr_py_index_and_ranks_as_lunr_py_does(browser, site_url):
    index = finder.lunr_index(finder.index_documents(SITE, RECORDS))
    queries = ["attendance", "parent*", "+school +home", "reading library^3", "title:transitions", "famil* -poverty"]
    expected = [[(r["ref"], r["score"]) for r in index.search(q)[:10]] for q in queries]
    assert all(expected), "every query finds something"
    page = browser.new_page()
    page.goto(site_url)
    page.add_script_tag(url=site_url + "finder/lunr.js")
    found = page.evaluate(
        """([serialised, queries]) => {
        const index = lunr.Index.load(serialised);
        return queries.map((q) => index.search(q).slice(0, 10).map((r) => [r.ref, r.score]));
    }""",
        [index.serialize(), queries],
    )
    for query, ours, theirs in zip(queries, expected, found, strict=True):
        assert [ref for ref, _ in theirs] == [ref for ref, _ in ours], query
        assert [round(score, 9) for _, score in theirs] == [round(score, 9) for _, score in ours], query
    page.close()


def test_the_page_splits_and_trims_words_as_lunr_py_does(browser, site_url):
    """The page splits words at the separator in the manifest, which is lunr.py's, both the
    words of a query and the text it highlights; lunr.js's own separator (any white space
    or hyphen) would differ, at a non-breaking or an em space for one."""
    texts = [
        "Multi-agency\u00a0working, (parents') evenings",
        "school\u2003home\u2013links -- and\tthe\nend",
        "Year 7: transition\u3000support\u00a0\u00a0for\u2028families",
        "  ",
        "The and of",
    ]
    expected = []
    for text in texts:
        tokens = [trimmer(token) for token in Tokenizer(text)]
        expected.append([str(token) for token in tokens if stop_word_filter(token) is not None])
    page = open_finder(browser, site_url)
    found = page.evaluate(
        """async ([url, texts]) => {
        const index = await FinderIndex.load(url);
        const words = await Promise.all(texts.map((text) => index.words(text)));
        const separators = [];
        for (let c = 0; c < 0x10000; c++) {
            if ((await index.words("x" + String.fromCharCode(c) + "y")).length === 2) separators.push(String.fromCharCode(c));
        }
        const marked = index.highlight("Parents\u00a0and\u2003parents-day", new Set(["parent"]));
        return { words, separators, marked };
    }""",
        [site_url + "finder/facets.json", texts],
    )
    assert found["words"] == expected
    assert set(found["separators"]) == set(SEPARATOR_CHARS)
    assert found["marked"] == ["", "Parents", "\u00a0and\u2003parents-day"]
    close(page)


@pytest.mark.parametrize("text", ["attendance", "parents", "school home", "transition"])
def test_the_finder_ranks_as_lunr_py_does_with_the_whole_index(browser, site_url, site_dir, text):
    """The page fetches only the shards its words need; its ranking must be the whole index's."""
    index = finder.lunr_index(finder.index_documents(SITE, RECORDS))
    query = index.create_query()
    for word in _stems(text):
        query.term(word, use_pipeline=False, wildcard=Query.WILDCARD_TRAILING, presence=QueryPresence.REQUIRED)
    expected = [RECORDS[int(r["ref"])].id for r in index.query(query)]
    assert set(expected) == matching(text)
    page = open_finder(browser, site_url)
    page.fill(BOX, text)
    assert settle(page, set(expected), text) == expected
    fetched = page.evaluate(
        "performance.getEntriesByType('resource').filter(e => e.name.includes('/finder/index/')).length"
    )
    assert 0 < fetched < len(list(site_dir.glob("finder/index/*.json")))
    close(page)


# ---- highlighting, and record text kept as text ----------------------------------------


def test_matched_words_are_highlighted(browser, site_url):
    page = open_finder(browser, site_url)
    page.fill(BOX, "parents")
    settle(page, matching("parents"), "parents")
    marked = page.locator("[data-results] mark").all_inner_texts()
    # The word typed, and its synonyms ("carers", "families") where they found a record.
    synonyms = tuple(s for word in VOCAB["synonyms"].terms["parents"]["words"] for s in _stems(word))
    assert marked and all(str(stemmer(Token(m.lower()))).startswith(synonyms) for m in marked), marked
    assert any(m.lower().startswith("parent") for m in marked)
    close(page)


def test_record_text_is_never_markup(browser, tmp_path):
    project = copy_project(tmp_path / "project")
    record = project / "content/exemplars/hertfordshire-summer-reading-challenge.yaml"
    hostile = 'Reading <img src=x onerror="window.pwned=1"> <b>Challenge</b> & more'
    text = record.read_text(encoding="utf-8").replace(
        "title: Hertfordshire Summer Reading Challenge", f"title: '{hostile}'"
    )
    record.write_text(text, encoding="utf-8")
    result = run_generator("--root", str(project), "build", "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    with serve(tmp_path / "site") as url:
        page = open_finder(browser, url)
        page.fill(BOX, "reading")
        page.wait_for_selector('[data-results][data-query="reading"] > li')
        titles = page.locator("[data-results] .ww-card__title").all_inner_texts()
        assert hostile in titles
        assert page.locator("[data-results] img, [data-results] b").count() == 0
        assert page.evaluate("window.pwned") is None
        assert "Reading" in page.locator("[data-results] mark").all_inner_texts()
        close(page)


# ---- Material's header search stays -----------------------------------------------------


def test_material_search_still_works_and_loads_its_index_only_when_used(browser, site_url):
    page = open_finder(browser, site_url)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.wait_for_load_state("networkidle")
    assert not [u for u in requested if "search_index.json" in u]
    page.click("input[data-md-component=search-query]")
    page.keyboard.type("attendance")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    assert [u for u in requested if "search_index.json" in u]
    close(page)


def test_material_search_finds_a_record_by_a_synonym_it_does_not_use(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "?q=truancy")  # ?q= opens Material's search with the word typed
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    # Material shows ten pages at a time, and more as its list is scrolled to the end.
    pages = int(page.inner_text(".md-search-result__meta").split()[0])
    for _ in range(pages):
        if page.locator(".md-search-result__list > li").count() >= pages:
            break
        # As a reader scrolls: Material loads the next results when the last is in view.
        page.locator(".md-search-result__list > li").last.scroll_into_view_if_needed()
        page.mouse.move(600, 400)
        page.mouse.wheel(0, 3000)
        page.wait_for_timeout(200)
    links = page.locator(".md-search-result__item > a").evaluate_all("links => links.map(a => a.href)")
    assert any("/exemplars/school-home-support-liverpool-sefton/?" in link for link in links), links
    page.close()


# ---- accessibility and layout ---------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_accessibility_violations_with_results_and_facets(browser, site_url, scheme):
    from axe_playwright_python.sync_playwright import Axe

    page = open_finder(browser, site_url, "?text=parents&theme=family-support", color_scheme=scheme)
    settle(page, matching("parents") & with_value(lambda r: "family-support" in r.data["themes"]), "parents")
    assert page.locator("[data-results] mark").count() > 0
    violations = Axe().run(page).response["violations"]
    assert violations == [], "\n".join(
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:5]}" for v in violations
    )
    close(page)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_fits_the_screen_and_screenshots(browser, site_url, width, scheme):
    page = open_finder(browser, site_url, "?text=parents", width=width, color_scheme=scheme)
    settle(page, matching("parents"), "parents")
    ARTIFACTS.mkdir(exist_ok=True)
    if width < 720:
        assert not page.locator("#ww-f-theme-attendance").is_visible(), "on a phone the filters wait behind a button"
        page.screenshot(path=ARTIFACTS / f"finder-{width}-{scheme}.png", full_page=False)
        page.click("[data-open-filters]")
    assert page.locator("#ww-f-theme-attendance").is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
    name = f"finder-{width}-{scheme}-filters.png" if width < 720 else f"finder-{width}-{scheme}.png"
    page.screenshot(path=ARTIFACTS / name, full_page=False)
    close(page)


# ---- on a phone ------------------------------------------------------------------------

PHONE = {"width": 390, "height": 844}


def open_on_a_phone(browser, site_url, query=""):
    page = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.goto(site_url + "find/" + query)
    wait_for_status(page, r"\d+ results?|No results")
    return page


@pytest.mark.parametrize("query", ["", "?text=parents&theme=family-support&phase=primary&group=parents-and-carers"])
def test_on_a_phone_the_first_result_is_on_the_first_screen(browser, site_url, query):
    page = open_on_a_phone(browser, site_url, query)
    page.wait_for_selector("[data-results] > li")
    top = page.evaluate("document.querySelector('[data-results] > li').getBoundingClientRect().top")
    assert 0 < top <= PHONE["height"], f"the first result starts {top}px down a {PHONE['height']}px screen"
    assert page.evaluate("window.scrollY") == 0
    close(page)


def test_on_a_phone_one_button_opens_the_filters_and_counts_the_ticks(browser, site_url):
    page = open_on_a_phone(browser, site_url, "?theme=family-support&phase=primary&group=parents-and-carers")
    button = page.locator("[data-open-filters]")
    assert button.inner_text() == "Filters (3)"
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    dialog = page.locator("dialog[data-filters-dialog]")
    assert dialog.is_visible() and page.evaluate("document.querySelector('dialog').matches(':modal')")
    assert button.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.querySelector('dialog').contains(document.activeElement)"), "the focus moves in"
    page.click("label[for=ww-f-type-exemplar]")
    expected = with_value(
        lambda r: (
            r.kind.folder == "exemplars"
            and "family-support" in r.data["themes"]
            and "primary" in r.data.get("phases", [])
            and "parents-and-carers" in r.data.get("target_groups", [])
        )
    )
    wait_for_status(page, f"{len(expected)} results?" if expected else "No results.*")
    assert page.locator("[data-close-filters]").inner_text() in (f"Show {len(expected)} results", "Show 1 result")
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    # The dialog's close event, which resets the button, comes a moment after Escape.
    expect(button).to_have_attribute("aria-expanded", "false")
    assert page.evaluate("document.activeElement.hasAttribute('data-open-filters')"), (
        "the focus goes back to the button"
    )
    assert button.inner_text() == "Filters (4)"
    # The address is written once the search has answered (or after half a second).
    expect(page).to_have_url(re.compile(r"type=exemplar"))
    close(page)


def test_choices_no_result_has_are_hidden_until_asked_for(browser, site_url):
    page = open_finder(browser, site_url, "?text=attendance")
    settle(page, matching("attendance"), "attendance")
    themes = VOCAB["themes"].terms
    found = matching("attendance")
    none = [t for t in themes if not found & with_value(lambda r, t=t: t in r.data["themes"])]
    some = [t for t in themes if t not in none]
    assert none and some, "choose words that leave some themes with no result"
    facet = page.locator("fieldset[data-facet=theme]")
    more = facet.locator("[data-more-choices]")
    assert more.inner_text() == f"Show {len(none)} more {'choice' if len(none) == 1 else 'choices'}"
    assert [t for t in themes if page.locator(f"#ww-f-theme-{t}").is_visible()] == some
    more.click()
    assert more.get_attribute("aria-expanded") == "true" and more.inner_text() == "Show fewer choices"
    assert all(page.locator(f"#ww-f-theme-{t}").is_visible() for t in themes)
    assert page.locator(f"label[for=ww-f-theme-{none[0]}] [data-count]").inner_text() == "(0)"
    # A ticked choice stays in sight even when it would give nothing more.
    page.check(f"#ww-f-theme-{none[0]}")
    wait_for_status(page, "No results.*")
    more.click()
    assert page.locator(f"#ww-f-theme-{none[0]}").is_visible()
    close(page)


def test_back_from_a_result_returns_to_the_same_place(browser, site_url):
    page = open_on_a_phone(browser, site_url)
    # An unload handler keeps the page out of the back-forward cache, so that Back loads
    # it again, as browsers often do, rather than showing it as it was left.
    page.add_init_script("window.addEventListener('unload', () => {})")
    page.reload()
    everything = {r.id for r in RECORDS}
    settle(page, everything)  # shows every result: more than one screen's worth
    link = page.locator("[data-results] > li").nth(24).locator(".ww-card__title a")
    link.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -100)")
    where = page.evaluate("window.scrollY")
    assert where > 3 * PHONE["height"]
    title = link.inner_text()
    link.click()
    page.wait_for_url("**/evidence/**")
    page.go_back()
    wait_for_status(page, r"\d+ results?")
    assert page.evaluate("performance.getEntriesByType('navigation')[0].type") == "back_forward"
    page.wait_for_function("(y) => Math.abs(window.scrollY - y) <= 2", arg=where, timeout=10_000)
    assert page.locator("[data-results] > li").count() == len(everything)
    assert page.locator("[data-results] > li").nth(24).locator(".ww-card__title a").inner_text() == title
    close(page)

"""Present mode in Chromium: one screen at a time, driven by the keys a keyboard or a
clicker sends, a countdown from the activity's minutes, Escape to stop, readable at 1280x720."""

from conftest import ROOT, real_corpus

CORPUS = real_corpus()
ARTIFACTS = ROOT / "tests" / "artifacts"
PACK_ID = "attendance-and-the-move-to-secondary-school"
ACTIVITIES = CORPUS.packs[PACK_ID].data["activities"]


def _present(browser, site_url, clock=False):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    if clock:
        page.clock.install()
    page.goto(f"{site_url}packs/{PACK_ID}/present/")
    page.get_by_role("button", name="Start presenting").click()
    return page, problems


def _visible_title(page) -> str:
    return page.locator(".ww-slide:not([hidden]) .ww-slide__title").inner_text()


def test_keys_move_one_screen_at_a_time_and_escape_stops(browser, site_url):
    page, problems = _present(browser, site_url)
    assert page.locator(".ww-slide:not([hidden])").count() == 1
    assert _visible_title(page) == CORPUS.packs[PACK_ID].data["title"]
    page.keyboard.press("ArrowRight")
    assert _visible_title(page) == ACTIVITIES[0]["title"]
    page.keyboard.press("Space")
    assert _visible_title(page) == ACTIVITIES[1]["title"]
    page.keyboard.press("PageDown")  # what a clicker sends
    assert _visible_title(page) == ACTIVITIES[2]["title"]
    page.keyboard.press("PageUp")
    page.keyboard.press("ArrowLeft")
    assert _visible_title(page) == ACTIVITIES[0]["title"]
    for prompt in ACTIVITIES[0]["prompts"]:
        assert page.get_by_text(prompt).is_visible()
    page.keyboard.press("Escape")
    assert not page.locator(".ww-present.is-presenting").count()
    assert page.locator(".ww-slide:not([hidden])").count() == len(ACTIVITIES) + 1  # back to the list
    assert problems == []
    page.close()


def test_countdown_runs_from_the_activity_minutes_and_pauses(browser, site_url):
    page, problems = _present(browser, site_url, clock=True)
    page.keyboard.press("ArrowRight")
    timer = page.locator(".ww-slide:not([hidden]) [data-ww-timer]")
    minutes = ACTIVITIES[0]["minutes"]
    assert timer.inner_text() == f"{minutes}:00"
    page.clock.run_for(61_000)
    assert timer.inner_text() == f"{minutes - 2}:59"
    page.keyboard.press("p")
    page.clock.run_for(120_000)
    assert timer.inner_text() == f"{minutes - 2}:59"  # paused
    page.keyboard.press("p")
    page.clock.run_for(minutes * 60_000)
    assert timer.inner_text() == "0:00"
    assert "is-over" in (timer.get_attribute("class") or "")
    page.keyboard.press("ArrowRight")  # the next activity starts its own countdown
    assert page.locator(".ww-slide:not([hidden]) [data-ww-timer]").inner_text() == f"{ACTIVITIES[1]['minutes']}:00"
    assert problems == []
    page.close()


def test_each_screen_fits_a_projector_at_1280_by_720(browser, site_url):
    page, _ = _present(browser, site_url)
    ARTIFACTS.mkdir(exist_ok=True)
    for number in range(len(ACTIVITIES) + 1):
        fits = page.evaluate("""() => {
            const deck = document.querySelector('.ww-present');
            const slide = deck.querySelector('.ww-slide:not([hidden])');
            const prompts = slide.querySelector('.ww-slide__prompts');
            return {overflow: deck.scrollHeight <= deck.clientHeight + 1,
                    promptSize: prompts ? parseFloat(getComputedStyle(prompts).fontSize) : 99};
        }""")
        assert fits["overflow"], f"screen {number} overflows at 1280x720"
        assert fits["promptSize"] >= 28, "prompts should be large enough to read projected"
        if number == 1:
            page.screenshot(path=ARTIFACTS / f"present-{PACK_ID}-1280x720.png")
        page.keyboard.press("ArrowRight")
    page.close()

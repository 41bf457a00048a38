"""Measure a search in headless Chromium: bytes before the first result, and time to it.

Each run opens a fresh browser context (an empty cache), loads the page, waits until the
network has been idle for 500 ms (the page looks loaded), then types the query in one
input event and times it in the page (bench/probe.js). Bytes are the response bodies the
page had received by the time the first result showed, from the page itself onwards, as
sent (gzip) and as decoded.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

PROBE = (Path(__file__).parent / "probe.js").read_text(encoding="utf-8")
CLEAR = """(box) => {
  const input = document.querySelector(box);
  input.value = "";
  input.dispatchEvent(new Event("input", { bubbles: true }));
  input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
}"""


@dataclass(frozen=True)
class Engine:
    name: str
    path: str  # the page it is measured on
    box: str  # CSS selector of the search box
    result: str  # CSS selector of a first result, with {query} for the query it shows
    cleared: str  # CSS selector that matches nothing once the query is cleared


ENGINES = (
    Engine(
        "finder", "find/", "#ww-finder-q", '[data-results][data-query="{query}"] > li', '[data-results][data-query=""]'
    ),
    # Material's header search, on the home page, as configured for the site (nothing changed).
    Engine(
        "material", "", "input[data-md-component=search-query]", ".md-search-result__item", ".md-search-result__item"
    ),
)


@dataclass
class Run:
    ms: float  # typing to the first result, on a page just loaded
    sent: int  # bytes received before the first result, as sent (gzip)
    decoded: int  # the same bodies, decoded
    requests: int
    warm_ms: float  # a second query on the same page


def measure(browser, base_url: str, engine: Engine, query: str, second_query: str) -> Run:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base_url + engine.path)
        page.wait_for_load_state("networkidle", timeout=120_000)
        first = page.evaluate(PROBE, {"box": engine.box, "result": engine.result.format(query=query), "query": query})
        # The second query starts from an empty box, so it cannot see the first one's results.
        page.evaluate(CLEAR, engine.box)
        if engine.name == "material":
            page.wait_for_function(f"!document.querySelector('{engine.cleared}')", timeout=60_000)
        else:
            page.wait_for_selector(engine.cleared, state="attached", timeout=60_000)
        second = page.evaluate(
            PROBE, {"box": engine.box, "result": engine.result.format(query=second_query), "query": second_query}
        )
        return Run(first["ms"], first["sent"], first["decoded"], first["requests"], second["ms"])
    finally:
        context.close()


@dataclass
class Summary:
    ms: float
    sent: int
    decoded: int
    requests: int
    warm_ms: float


def summarise(runs: list[Run]) -> Summary:
    return Summary(
        statistics.median(r.ms for r in runs),
        int(statistics.median(r.sent for r in runs)),
        int(statistics.median(r.decoded for r in runs)),
        int(statistics.median(r.requests for r in runs)),
        statistics.median(r.warm_ms for r in runs),
    )

"""The comparison page: every exemplar in short cells, figures right-aligned, its prose behind
a disclosure under its row, derived costs worked out right and shown with their inputs,
stated costs as stated, and sorting that works with a keyboard and a screen reader."""

import html
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
import yaml
from test_site import text_of

from conftest import ROOT
from generator.site import Site

EXEMPLARS = {
    p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (ROOT / "content" / "exemplars").glob("*.yaml")
}
SYMBOLS = {"GBP": "£", "EUR": "€"}
COLUMNS = [
    "Exemplar",
    "Place",
    "Phase",
    "When",
    "Reach",
    "Cost",
    "Headline impact",
    "Strength of evidence",
    "Who checked it",
]


def expected_derivation(data: dict) -> str | None:
    """Worked out here from the YAML alone, independently of the generator."""
    cost, reach = data["cost"], data["reach"]
    if "amount" not in cost or "count" not in reach or "famil" not in reach.get("unit", ""):
        return None
    symbol = SYMBOLS[cost["currency"]]
    per_family = (Decimal(cost["amount"]) / Decimal(reach["count"])).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{symbol}{cost['amount']:,} / {reach['count']:,} {reach['unit']} = {symbol}{per_family:,} per family"


def _text(markup: str) -> str:
    """Text as read: inline elements (a glossary term among them) leave no gap, others a space."""
    inline = re.sub(r"</?(?:abbr|span|strong|em|a|q|cite)\b[^>]*>", "", markup)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline))).strip()


def groups(site_dir) -> dict[str, tuple[list[str], str]]:
    """Each exemplar's row of the comparison table as the text of its cells, and the text
    of the details under it, by exemplar title."""
    markup = (site_dir / "compare/index.html").read_text(encoding="utf-8")
    result = {}
    for group in re.findall(r"<tbody[^>]*>(.*?)</tbody>", markup, re.S):
        row, details = re.findall(r"<tr[^>]*>(.*?)</tr>", group, re.S)
        cells = [_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        result[cells[0]] = (cells, _text(details))
    return result


def rows(site_dir) -> dict[str, list[str]]:
    """Each exemplar's row of the comparison table as text, by exemplar title."""
    return {title: cells for title, (cells, _) in groups(site_dir).items()}


def first_clause(text: str) -> str:
    return re.split(r"\. |; | \(", " ".join(text.split()), maxsplit=1)[0].rstrip(".")


def test_every_exemplar_has_a_row_with_every_column(site_dir):
    table = rows(site_dir)
    assert set(table) == {re.sub(r"\s+", " ", d["title"]) for d in EXEMPLARS.values()}
    assert all(len(cells) == len(COLUMNS) for cells in table.values())
    markup = (site_dir / "compare/index.html").read_text(encoding="utf-8")
    header = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', markup.split("<thead>")[1].split("</thead>")[0])
    assert header == COLUMNS


def test_one_cost_column_says_which_figure_is_stated_and_which_derived(site_dir):
    table = groups(site_dir)
    derived = stated_totals = 0
    for data in EXEMPLARS.values():
        cells, details = table[re.sub(r"\s+", " ", data["title"])]
        cost = cells[COLUMNS.index("Cost")]
        formula = expected_derivation(data)
        if formula:
            derived += 1
            per_family = formula.split(" = ")[1]
            assert f"{per_family} derived" in cost
            assert f"Worked out: {formula}" in details
        else:
            assert "derived" not in cost
        stated = data["cost"].get("per_family_as_stated")
        if stated:
            assert cost.startswith(f"{stated} stated")
        elif "amount" in data["cost"]:
            stated_totals += 1
            assert cost.startswith(f"{SYMBOLS[data['cost']['currency']]}{data['cost']['amount']:,} stated in total")
        if not formula and not stated and "amount" not in data["cost"]:
            assert cost == first_clause(data["cost"]["as_stated"])
        # The source's words in full, under the row.
        assert re.sub(r"\s+", " ", data["cost"]["as_stated"]) in details
        assert re.sub(r"\s+", " ", data["reach"]["as_stated"]) in details
    assert derived >= 1, "no exemplar has both a total cost and a count of families: nothing was tested"


def test_cells_are_short_and_the_prose_is_under_each_row(site_dir):
    table = groups(site_dir)
    for data in EXEMPLARS.values():
        cells, details = table[re.sub(r"\s+", " ", data["title"])]
        reach = data["reach"]
        expected_reach = f"{reach['count']:,} {reach['unit']}" if "count" in reach else first_clause(reach["as_stated"])
        assert cells[COLUMNS.index("Reach")] == expected_reach
        assert cells[COLUMNS.index("When")] == first_clause(data["period"]["as_stated"])
        # The cost cell ends with the cost band where there is one, on a line of its own.
        band = re.search(r" ?£+ Band \d of \d: [a-z ]+$", cells[COLUMNS.index("Cost")])
        short = {name: cells[COLUMNS.index(name)] for name in COLUMNS if name not in ("Exemplar", "Headline impact")}
        short["Cost"] = short["Cost"][: band.start()] if band else short["Cost"]
        for name, text in short.items():
            assert len(text) <= 60, (name, text)
        # What was done, the period, reach and cost in full, and the reasons for the rating.
        assert re.sub(r"\s+", " ", data.get("one_line") or Site.first_sentence(data["summary"])) in details
        assert re.sub(r"\s+", " ", data["period"]["as_stated"]) in details
        assert re.sub(r"\s+", " ", data["evidence_rating"]["rationale"]) in details


def test_the_page_says_costs_are_on_different_bases_and_how_figures_were_worked_out(site_dir):
    text = text_of(site_dir, "compare")
    assert "Costs are reported on different bases" in text
    worked = text[text.index("How the figures were worked out") :]
    for data in EXEMPLARS.values():
        formula = expected_derivation(data)
        if formula:
            assert formula in worked
            assert f"({data['reach']['count']:,})" in worked


def _column(page, name: str) -> list[str]:
    index = COLUMNS.index(name)
    return page.eval_on_selector_all(
        "table[data-ww-sortable] tbody tr:first-child", f"rows => rows.map(r => r.cells[{index}].innerText.trim())"
    )


def test_columns_sort_with_buttons_that_announce_the_order(browser, site_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "compare/")
    headers = page.locator("table[data-ww-sortable] thead th")
    assert headers.count() == len(COLUMNS)
    for name in COLUMNS:
        assert page.get_by_role("button", name=name, exact=True).count() == 1

    # Reach sorts by the number reached, smallest first; records with no count go last.
    reach = page.get_by_role("button", name="Reach", exact=True)
    reach.focus()
    page.keyboard.press("Enter")
    th = page.locator("thead th").nth(COLUMNS.index("Reach"))
    assert th.get_attribute("aria-sort") == "ascending"
    counted = sorted((d for d in EXEMPLARS.values() if "count" in d["reach"]), key=lambda d: d["reach"]["count"])
    titles = _column(page, "Exemplar")
    assert titles[: len(counted)] == [re.sub(r"\s+", " ", d["title"]) for d in counted]
    reach.click()
    assert th.get_attribute("aria-sort") == "descending"
    assert _column(page, "Exemplar")[: len(counted)] == [re.sub(r"\s+", " ", d["title"]) for d in reversed(counted)]
    assert page.locator("thead th[aria-sort]").count() == 1
    assert "sorted by reach, descending" in page.locator("caption").inner_text()

    # A text column sorts alphabetically.
    page.get_by_role("button", name="Exemplar", exact=True).click()
    titles = _column(page, "Exemplar")
    assert titles == sorted(titles, key=str.lower)
    assert page.locator("thead th").nth(COLUMNS.index("Reach")).get_attribute("aria-sort") is None

    # Each exemplar's details moved with its row.
    for group in page.locator("table[data-ww-sortable] tbody").all():
        title = group.locator("th[scope=row]").inner_text().strip()
        data = next(d for d in EXEMPLARS.values() if re.sub(r"\s+", " ", d["title"]) == title)
        assert group.locator("tr").count() == 2
        assert re.sub(r"\s+", " ", data["period"]["as_stated"]) in group.locator("details").text_content()
    page.close()


def test_the_table_works_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "compare/")
    assert page.locator("table[data-ww-sortable] tbody").count() == len(EXEMPLARS)
    assert page.locator("table[data-ww-sortable] button").count() == 0
    assert page.locator("thead th").all_inner_texts() == COLUMNS
    context.close()


@pytest.mark.parametrize("width", [1280, 390, 375])
def test_compare_page_fits_the_screen(browser, site_url, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(site_url + "compare/")
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    region = page.get_by_role("region", name="Practice exemplars")
    assert region.get_attribute("tabindex") == "0"  # a keyboard can scroll it if it must
    # Every column in view without scrolling sideways, on a desktop and on a phone (where
    # each exemplar is a block of labelled facts).
    assert region.evaluate("r => r.scrollWidth - r.clientWidth") <= 0
    page.close()


def test_figures_are_right_aligned_in_tabular_numbers_and_prose_is_closed(browser, site_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "compare/")
    for name in ("Reach", "Cost"):
        column = COLUMNS.index(name) + 1
        cells = page.locator(f"table[data-ww-sortable] tbody tr:first-child > :nth-child({column})")
        assert cells.count() == len(EXEMPLARS)
        for cell in cells.all():
            style = cell.evaluate("c => [getComputedStyle(c).textAlign, getComputedStyle(c).fontVariantNumeric]")
            assert style == ["right", "tabular-nums"], (name, style)
    details = page.locator("table[data-ww-sortable] details")
    assert details.count() == len(EXEMPLARS)
    assert all(d.get_attribute("open") is None for d in details.all())
    first = details.first
    assert not first.locator("dl").is_visible()
    first.locator("summary").click()
    assert first.locator("dl").is_visible()
    page.close()


def test_a_record_with_figures_but_no_outcome_does_not_say_no_figures_were_published(site_dir):
    table = rows(site_dir)
    for data in EXEMPLARS.values():
        cell = table[re.sub(r"\s+", " ", data["title"])][COLUMNS.index("Headline impact")]
        outcomes = [f for f in data["impact"]["figures"] if f["kind"] == "outcome"]
        if outcomes:
            assert any(f["value"] in cell for f in outcomes), cell
        elif data["impact"]["figures"]:
            assert cell.startswith("No outcome measured;") and "no figures published" not in cell, cell
        else:
            assert cell == "No outcome measured; no figures published"

"""The comparison page: every exemplar, derived costs worked out right and shown with their
inputs, stated costs as stated, and sorting that works with a keyboard and a screen reader."""

import html
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
import yaml
from test_site import text_of

from conftest import ROOT

EXEMPLARS = {
    p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (ROOT / "content" / "exemplars").glob("*.yaml")
}
SYMBOLS = {"GBP": "£", "EUR": "€"}
COLUMNS = [
    "Exemplar",
    "Place",
    "Phase",
    "Period",
    "Reach",
    "Cost as stated",
    "Cost per family",
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


def rows(site_dir) -> dict[str, str]:
    """Each exemplar's row of the comparison table as text, by exemplar title."""
    markup = (site_dir / "compare/index.html").read_text(encoding="utf-8")
    body = markup.split("<tbody>")[1].split("</tbody>")[0]
    result = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [
            re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", c))).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        result[cells[0]] = cells
    return result


def test_every_exemplar_has_a_row_with_every_column(site_dir):
    table = rows(site_dir)
    assert set(table) == {re.sub(r"\s+", " ", d["title"]) for d in EXEMPLARS.values()}
    assert all(len(cells) == len(COLUMNS) for cells in table.values())
    markup = (site_dir / "compare/index.html").read_text(encoding="utf-8")
    header = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', markup.split("<thead>")[1].split("</thead>")[0])
    assert header == COLUMNS


def test_derived_costs_are_correct_and_show_formula_and_inputs(site_dir):
    table = rows(site_dir)
    derived = 0
    for data in EXEMPLARS.values():
        cells = table[re.sub(r"\s+", " ", data["title"])]
        per_family = cells[COLUMNS.index("Cost per family")]
        formula = expected_derivation(data)
        if formula:
            derived += 1
            assert formula in per_family
            assert "Worked out" in per_family
        else:
            assert "Worked out" not in per_family
        stated = data["cost"].get("per_family_as_stated")
        if stated:
            assert f"Stated {stated}" in per_family
        if not formula and not stated:
            assert "Cannot be worked out" in per_family
        assert re.sub(r"\s+", " ", data["cost"]["as_stated"]) in cells[COLUMNS.index("Cost as stated")]
        assert re.sub(r"\s+", " ", data["reach"]["as_stated"]) in cells[COLUMNS.index("Reach")]
    assert derived >= 1, "no exemplar has both a total cost and a count of families: nothing was tested"


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
        "table[data-ww-sortable] tbody tr", f"rows => rows.map(r => r.cells[{index}].innerText.trim())"
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
    page.close()


def test_the_table_works_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "compare/")
    assert page.locator("table[data-ww-sortable] tbody tr").count() == len(EXEMPLARS)
    assert page.locator("table[data-ww-sortable] button").count() == 0
    assert page.locator("thead th").all_inner_texts() == COLUMNS
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_compare_page_fits_the_screen(browser, site_url, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(site_url + "compare/")
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    region = page.get_by_role("region", name="Practice exemplars")
    assert region.get_attribute("tabindex") == "0"  # a keyboard can scroll it if it must
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

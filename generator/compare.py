"""The comparison of exemplars: costs per family, and the values the comparison table sorts by.

Sources report costs on different bases, so this module never works a figure out from
anything but the numbers a record holds (cost.amount and reach.count), shows every worked-out
figure with its formula and inputs, and shows a cost per family that the source states
itself exactly as stated, never recalculated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .model import Record

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€"}
PENNY = Decimal("0.01")


def money(value, currency: str | None) -> str:
    """158000, "GBP" -> "£158,000"; 298.676..., "GBP" -> "£298.68"."""
    amount = Decimal(str(value))
    text = f"{int(amount):,}" if amount == amount.to_integral_value() else f"{amount.quantize(PENNY, ROUND_HALF_UP):,}"
    if currency in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[currency] + text
    return f"{text} {currency}" if currency else text


@dataclass(frozen=True)
class Derivation:
    """A cost per family worked out from a record's total cost and the families it reached."""

    total: float  # cost.amount
    currency: str | None  # cost.currency
    count: int  # reach.count
    unit: str  # what the count counts, as the record says: "families"
    value: Decimal  # total / count, to the penny

    @property
    def formula(self) -> str:
        """ "£158,000 / 529 families = £298.68 per family": the inputs, the sum and the result."""
        total, value = money(self.total, self.currency), money(self.value, self.currency)
        return f"{total} / {self.count:,} {self.unit} = {value} per family"


@dataclass(frozen=True)
class CostPerFamily:
    stated: str | None  # the source's own figure, exactly as stated
    derived: Derivation | None
    why_not_derived: str | None  # said plainly when there is no derived figure
    stated_amount: float | None = None  # the stated figure as a number, where it covers the whole period

    @property
    def for_band(self) -> tuple[Decimal, str] | None:
        """The cost per family a band is read from, and whether it is "stated" or "worked out".
        A stated figure comes first; a cost per week is never scaled up to a year."""
        if self.stated_amount is not None:
            return Decimal(str(self.stated_amount)), "stated"
        if self.derived is not None:
            return self.derived.value, "worked out"
        return None


def cost_per_family(record: Record) -> CostPerFamily:
    cost, reach = record.data["cost"], record.data["reach"]
    stated, stated_amount = cost.get("per_family_as_stated"), cost.get("per_family_amount")
    unit = reach.get("unit", "")
    why_not = None
    if "amount" not in cost:
        why_not = "no total cost is recorded"
    elif "count" not in reach:
        why_not = "no count of families reached is recorded"
    elif "famil" not in unit.lower():
        # Dividing by children or pupils would give a different measure, not a cost per family.
        why_not = f"reach is counted in {unit or 'unstated units'}, not families"
    elif reach["count"] == 0:
        why_not = "the recorded reach is zero"
    if why_not:
        return CostPerFamily(stated, None, why_not, stated_amount)
    value = (Decimal(str(cost["amount"])) / Decimal(reach["count"])).quantize(PENNY, ROUND_HALF_UP)
    derived = Derivation(cost["amount"], cost.get("currency"), reach["count"], unit, value)
    return CostPerFamily(stated, derived, None, stated_amount)


@dataclass(frozen=True)
class CostBand:
    term: str  # a cost-bands term id
    label: str  # "Low"
    symbol: str  # "££"
    step: int  # 1 (very low) to the number of bands
    steps: int
    per_family: Decimal
    basis: str  # "stated" or "worked out"


def cost_band(site, record: Record) -> CostBand | None:
    """The record's place on the cost-bands scale, where a cost per family in pounds is
    stated or can be worked out; None otherwise."""
    if record.data["cost"].get("currency") != "GBP":
        return None  # the bands are in pounds
    found = cost_per_family(record).for_band
    if found is None:
        return None
    value, basis = found
    terms = list(site.vocab["cost-bands"].terms.items())
    for step, (term_id, term) in enumerate(terms, start=1):
        if "below" not in term or value < term["below"]:
            return CostBand(term_id, term["label"], term["symbol"], step, len(terms), value, basis)
    return None


@dataclass(frozen=True)
class CostFigure:
    """One figure in the comparison's cost cell, with what kind of figure it is."""

    kind: str  # "stated": the source's own words; "derived": worked out here, with its formula
    text: str  # the figure as the cell shows it
    note: str | None = None  # what it is, in a few words: shown beside it, and in full under the row


def cost_figures(record: Record) -> list[CostFigure]:
    """The figures of the cost column, each labelled with where it comes from: the cost per
    family the source states, or else the total it states; and a cost per family worked
    out from the record's numbers. Empty when the source states no cost. The one list the
    cell is made from, so that a further kind of figure is one more entry here."""
    cost = record.data["cost"]
    figures = []
    if "per_family_as_stated" in cost:
        figures.append(CostFigure("stated", cost["per_family_as_stated"]))
    elif "amount" in cost:
        figures.append(CostFigure("stated", money(cost["amount"], cost.get("currency")), "in total"))
    derived = cost_per_family(record).derived
    if derived is not None:
        figures.append(CostFigure("derived", f"{money(derived.value, derived.currency)} per family", derived.formula))
    return figures


def first_clause(text: str) -> str:
    """A record's words cut at the first full stop, semicolon or bracket, for a short cell:
    "2008–09 (the period of ...); the source ..." -> "2008–09". The whole text stays under the row."""
    return re.split(r"\. |; | \(", text, maxsplit=1)[0].rstrip(".")


def reach_figure(record: Record) -> str:
    """The number reached, with what it counts, where the record gives one; otherwise the
    source's words, cut short ("Not reported")."""
    reach = record.data["reach"]
    if "count" in reach:
        return f"{reach['count']:,} {reach.get('unit', '')}".strip()
    return first_clause(reach["as_stated"])


def place(site, record: Record) -> str:
    """Where, for a table cell: setting and area where the source gives them, then the country."""
    where = record.data["place"]
    area_stated = not where["area"].lower().startswith("not stated")
    parts = [where.get("setting"), where["area"] if area_stated else None, site.label("countries", where["country"])]
    text = ", ".join(part for part in parts if part)
    return text if area_stated else f"{text} (area not stated)"


def sort_values(site, record: Record) -> dict[str, str]:
    """What each column sorts by: numbers where the record has them, blank where it does not."""
    data = record.data
    derived = cost_per_family(record).derived
    headline = site.headline(record)
    return {
        "title": data["title"].lower(),
        "period": data["period"].get("start", ""),
        "reach": str(data["reach"].get("count", "")),
        "cost": str(derived.value) if derived else "",
        "headline": headline["value"].lower() if headline else "",
        "strength": str(site.strength(record) if site.strength(record) is not None else -1),
        "checked": str(site.vocab["rating-levels"].terms[site.checked(record)]["rank"]),
    }


def band_counts(site) -> dict[str, int]:
    """How many exemplars fall in each cost band, for the ratings page."""
    counts = dict.fromkeys(site.vocab["cost-bands"].terms, 0)
    for record in site.exemplars():
        band = cost_band(site, record)
        if band:
            counts[band.term] += 1
    return counts

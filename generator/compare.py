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


def cost_per_family(record: Record) -> CostPerFamily:
    cost, reach = record.data["cost"], record.data["reach"]
    stated = cost.get("per_family_as_stated")
    unit = reach.get("unit", "")
    if "amount" not in cost:
        return CostPerFamily(stated, None, "no total cost is recorded")
    if "count" not in reach:
        return CostPerFamily(stated, None, "no count of families reached is recorded")
    if "famil" not in unit.lower():
        # Dividing by children or pupils would give a different measure, not a cost per family.
        return CostPerFamily(stated, None, f"reach is counted in {unit or 'unstated units'}, not families")
    if reach["count"] == 0:
        return CostPerFamily(stated, None, "the recorded reach is zero")
    value = (Decimal(str(cost["amount"])) / Decimal(reach["count"])).quantize(PENNY, ROUND_HALF_UP)
    return CostPerFamily(stated, Derivation(cost["amount"], cost.get("currency"), reach["count"], unit, value), None)


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

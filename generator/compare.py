"""The comparison of exemplars: costs per family, and the values the comparison table sorts by.

Sources report costs on different bases, so this module never works a figure out from
anything but the numbers a record holds (cost.amount and reach.count), shows every worked-out
figure with its formula and inputs, and shows a cost per family that the source states
itself exactly as stated, never recalculated.
"""

from __future__ import annotations

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
        "cost": str(data["cost"].get("amount", "")),
        "per_family": str(derived.value) if derived else "",
        "headline": headline["value"].lower() if headline else "",
        "strength": str(site.strength(record) if site.strength(record) is not None else -1),
        "checked": str(site.vocab["rating-levels"].terms[site.checked(record)]["rank"]),
    }

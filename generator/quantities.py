"""The registry of quantities and units, as content/quantities/ declares them.

One canonical unit per quantity; every other unit a declared conversion into it (or, without a
factor, a unit only ever shown). Checks, wording, pictures and the widgets' specs all read units
from here, and the browser reads them from the widgets' specs: nothing about any one lab value
is written in code.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .content import Content, computed_once
from .model import QuantitySpec, UnitSpec


@dataclass(frozen=True)
class Units:
    """Every quantity and unit in content, looked up by id and code."""

    quantities: dict[str, QuantitySpec]

    def quantity(self, quantity_id: str) -> QuantitySpec | None:
        return self.quantities.get(quantity_id)

    def required_quantity(self, quantity_id: str | None) -> QuantitySpec:
        """A quantity that must exist (validation has checked it). Raises KeyError for one that does not."""
        quantity = self.quantities.get(quantity_id) if quantity_id else None
        if quantity is None:
            raise KeyError(f"no quantity '{quantity_id}' in content/quantities/")
        return quantity

    def unit(self, code: str) -> UnitSpec | None:
        """A unit by its code, wherever it is declared (the first declaration's display wins)."""
        return next((u for q in self.quantities.values() for u in q.units if u.code == code), None)

    @property
    def known(self) -> tuple[str, ...]:
        """Every unit code content may use, in the order declared."""
        return tuple(dict.fromkeys(u.code for q in self.quantities.values() for u in q.units))

    def display(self, code: str) -> str:
        unit = self.unit(code)
        return unit.display if unit else code

    def factor(self, quantity_id: str | None, code: str) -> float | None:
        """The factor that turns a value in code into the quantity's canonical unit; None if it does not fit
        (or there is no quantity)."""
        quantity = self.quantities.get(quantity_id) if quantity_id else None
        unit = next((u for u in quantity.units if u.code == code), None) if quantity else None
        return unit.factor if unit else None

    def required_factor(self, quantity_id: str | None, code: str) -> float:
        """The factor of a unit that must convert (validation has checked it). Raises KeyError for one that does not."""
        factor = self.factor(quantity_id, code)
        if factor is None:
            raise KeyError(f"{code} does not convert into {quantity_id}'s canonical unit")
        return factor

    def to_canonical(self, quantity_id: str, value: float, code: str) -> float:
        """A value in its quantity's canonical unit. Raises KeyError for a unit that does not convert."""
        return value * self.required_factor(quantity_id, code)

    def converting(self, quantity_id: str) -> list[UnitSpec]:
        """The units a value of this quantity can be typed in (those with a factor)."""
        quantity = self.quantities.get(quantity_id)
        return [u for u in quantity.units if u.factor is not None] if quantity else []

    def suggest(self, code: str) -> str | None:
        """The known unit someone most likely meant by an unknown spelling: 'cells/µL', 'x10^9/L'."""
        typed = _as_typed(code)
        found = next((known for known in self.known if _as_typed(known) == typed), None)
        close = difflib.get_close_matches(code, self.known, n=1, cutoff=0.75)
        return found or (close[0] if close else None)

def _as_typed(unit: str) -> str:
    """A unit reduced to how people type it: 'cells/µL', '×10⁹/L' and 'x10^9/L' all become comparable."""
    text = unit.strip().lower().translate(str.maketrans("µμ³⁹⁶^", "uu396*"))
    for noise in (" ", "cells", "cell"):
        text = text.replace(noise, "")
    return text.replace("percent", "%").lstrip("x×")


@computed_once
def units(content: Content) -> Units:
    return Units(dict(content.quantities))

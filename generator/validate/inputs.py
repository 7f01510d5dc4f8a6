"""Checks on one widget input (a calculator's, or a checklist's count): its quantity fits its type,
its units are that quantity's, its sanity bounds are in order, and the inputs it names exist."""

from __future__ import annotations

import difflib

from ..content import Content
from ..model import CalculatorInput, Record
from ..problems import Problem
from ..quantities import Units, units


SANITY_ORDER = ("reject_below", "warn_below", "warn_above", "reject_above")


# The canonical unit a quantity must have for each type of input; None: the type takes no quantity.
CANONICAL_OF_TYPE = {"measurement": "", "percent": "%", "days": "days", "date": None, "yes-no": None}


def quantity_problem(inp: CalculatorInput, registry: Units) -> str:
    """Why this input's quantity does not fit its type ("" when it does)."""
    wanted = CANONICAL_OF_TYPE[inp.type]
    if wanted is None:
        return f"a {inp.type} input takes no quantity" if inp.quantity else ""
    quantity = registry.quantity(inp.quantity) if inp.quantity else None
    if quantity is None:
        return f"a {inp.type} input needs a quantity from content/quantities/" + (f", not '{inp.quantity}'"
                                                                                  if inp.quantity else "")
    if wanted and quantity.canonical_unit != wanted:
        return f"a {inp.type} input needs a quantity measured in {wanted}, not {quantity.id}"
    return ""


def input_problems(content: Content, record: Record, at: tuple, inp: CalculatorInput,
                   by_id: dict[str, CalculatorInput]) -> list[Problem]:
    """One input of a calculator (or a checklist's count): its quantity, units, bounds and links fit its type."""
    problems = []

    def problem(*path, message: str, hint: str = "") -> None:
        problems.append(content.problem(record, *at, *path, message=message, hint=hint))

    if inp.id in content.contexts:
        problem("id", message=f"'{inp.id}' is a context question's name",
                hint="both live in the page address: give the input another id")
    registry = units(content)
    if wrong := quantity_problem(inp, registry):
        close = difflib.get_close_matches(inp.quantity, list(content.quantities), n=1) \
            if inp.quantity and registry.quantity(inp.quantity) is None else []
        problem("quantity" if inp.quantity else "type", message=wrong,
                hint=f"did you mean '{close[0]}'?" if close
                else "set 'quantity:' to what the threshold facts compare the value with")
    if (inp.type == "measurement") != bool(inp.units):
        problem("type", message="only a measurement input offers units, and it must offer at least one",
                hint="list them under 'units:'")
    offered = [u.code for u in registry.converting(inp.quantity)] if inp.quantity else []
    for u, unit in enumerate(inp.units):
        if unit not in offered:
            problem("units", u, message=f"'{unit}' is not a unit of {inp.quantity}", hint="use " + ", ".join(offered))
    if inp.type == "measurement" and inp.input_sanity_bounds is None:
        problem("type", message="a measurement input needs input_sanity_bounds",
                hint="they catch unit mix-ups such as 72000 typed with ×10⁹/L")
    problems += sanity_bound_problems(content, record, at, inp)
    if inp.percent_of is not None and (inp.type != "percent" or getattr(by_id.get(inp.percent_of), "type", None)
                                       != "measurement"):
        problem("percent_of", message="percent_of links a percent input to a measurement input of this calculator",
                hint="check both inputs")
    if inp.default and inp.type != "date":
        problem("default", message="only a date input can default to today")
    if inp.or_days_between:
        for end in ("start", "end"):
            other = getattr(inp.or_days_between, end)
            if inp.type != "days" or getattr(by_id.get(other), "type", None) != "date":
                problem("or_days_between", end, message=f"'{other}' is not a date input of this calculator",
                        hint="or_days_between belongs on a days input and names two date inputs")
    return problems


def sanity_bound_problems(content: Content, record: Record, at: tuple, inp: CalculatorInput) -> list[Problem]:
    b = inp.input_sanity_bounds
    if b is None:
        return []
    at = at + ("input_sanity_bounds",)
    if inp.quantity is None or units(content).factor(inp.quantity, b.unit) is None:
        return [content.problem(record, *at, "unit", message=f"'{b.unit}' is not a unit for {inp.quantity}")]
    given = [(k, getattr(b, k)) for k in SANITY_ORDER if getattr(b, k) is not None]
    return [content.problem(record, *at, high_key, message=f"{high_key} ({high:g}) must be above {low_key} ({low:g})")
            for (low_key, low), (high_key, high) in zip(given, given[1:]) if not low < high]

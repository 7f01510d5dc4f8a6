"""The calculator's part of the decision table (generator/render/decisions.py): the values worth trying
each calculator's scale at, and what the calculator shows for one of them, as its reference evaluator
(evaluate.py) gives it: never worked out again here.

Pure functions only: no MkDocs, no HTML.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from ...content import Content, computed_once
from ...inputs import InputSpec
from ...quantities import units
from ...render.decisions import cells, fact_lines
from ...render.kit import Cell, Line, Probe, in_order
from ...wording import short_threshold
from .evaluate import bands_containing, evaluate, summarize
from .spec import BandSpec, CalculatorSpec, ScaleSpec, calculator_spec

# What a result holds that is not what the calculator decides: the value typed back (its days, its absolute
# counts), the quick fix for a typing slip, and the list of every definition with its status, which restates
# the thresholds (the "Every definition checked" table) rather than choosing what to show.
NOT_SHOWN = ("state", "checks", "met", "fix", "days", "absolute")


@computed_once
def _specs(content: Content) -> dict[str, CalculatorSpec]:
    """Each calculator's spec, made once: the table evaluates each at a hundred-odd rows."""
    return {calc.id: calculator_spec(calc, content) for calc in content.calculators.values()}


def probes(content: Content) -> list[Probe]:
    """For every calculator with a scale on a quantity: each band edge, and one value inside each band,
    in ascending order."""
    found: list[Probe] = []
    for calc in in_order(content.calculators.values()):
        spec = _specs(content)[calc.id]
        scale = spec["scale"]
        if scale is None or scale["quantity"] is None:
            continue
        inp = _input(spec, scale["input"])
        edges: dict[float, list[str]] = {}
        for band in scale["bands"]:
            for bound in (band["lower"], band["upper"]):
                if bound and bound["fact"] not in edges.setdefault(bound["value"], []):
                    edges[bound["value"]].append(bound["fact"])
        here = [Probe(calc.id, calc.title, scale["quantity"], value, "edge",
                      " / ".join(dict.fromkeys(short_threshold(content.facts[f], units(content)) for f in facts)),
                      tuple(facts)) for value, facts in edges.items()]
        for band in scale["bands"]:
            value = _inside(scale, band, inp)
            if value is not None:
                here.append(Probe(calc.id, calc.title, scale["quantity"], value, "inside", band["label"]))
        found += sorted(here, key=lambda p: p.value)
    return found


def _inside(scale: ScaleSpec, band: BandSpec, inp: InputSpec) -> float | None:
    """One value inside the band: halfway between its edges; below its only edge, half of it; above its only
    edge, half as much again (so 150 above 100). Where that would be outside the input's sanity bounds (a value
    the calculator would ask to check the unit of), halfway between the edge and the bound instead. Days are
    whole. None if the value would not lie in the band."""
    lower = band["lower"]["value"] if band["lower"] else None
    upper = band["upper"]["value"] if band["upper"] else None
    bounds = inp["bounds"]
    low = bounds.get("warn_below", bounds.get("reject_below", 0.0))
    high = bounds.get("warn_above", bounds.get("reject_above", math.inf))
    if lower is not None and upper is not None:
        value = (lower + upper) / 2
    elif upper is not None:
        value = upper / 2 if upper / 2 >= low else (low + upper) / 2
    elif lower is not None:
        value = lower * 1.5 if lower * 1.5 <= high else (lower + high) / 2
        value = value if value > 0 else 1.0
    else:
        value = 1.0  # one band covers every value
    if inp["type"] == "days":
        value = float(math.floor(value + 0.5))
    return value if bands_containing(scale, value) == [band["id"]] else None


def _input(spec: CalculatorSpec, input_id: str) -> InputSpec:
    return next(i for i in spec["inputs"] if i["id"] == input_id)


def typed(inp: InputSpec, value: float) -> dict[str, str]:
    """The value as a reader types it: in the canonical unit where one is offered (else the first), in plain
    digits."""
    unit = next((u for u in inp["units"] if u["factor"] == 1), inp["units"][0] if inp["units"] else None)
    number = value / unit["factor"] if unit else value
    raw = {inp["id"]: format(Decimal(repr(float(number))).normalize(), "f")}
    return raw | ({inp["id"] + "_unit": unit["code"]} if unit else {})


def shows(content: Content, probe: Probe, context: Mapping[str, str]) -> list[Cell]:
    """What the probe's own calculator shows for its value and these context answers."""
    calc = content.calculators.get(probe.record)
    if calc is None:
        return []
    spec = _specs(content)[calc.id]
    if spec["scale"] is None:
        return []
    summary = summarize(evaluate(spec, {**context, **typed(_input(spec, spec["scale"]["input"]), probe.value)}))
    bands = {b["id"]: b for b in spec["scale"]["bands"]}
    registry = units(content)

    def band(value: Any) -> tuple[Line, ...]:
        return (Line(bands[str(value)]["label"]),) if value else ()

    def severity(value: Any) -> tuple[Line, ...]:
        return (Line(str(value)),) if value else ()

    def facts(conditional: bool) -> Callable[[Any], tuple[Line, ...]]:
        return lambda value: fact_lines(content, value, conditional)

    def boundary(value: Any) -> tuple[Line, ...]:
        return tuple(Line(f"{short_threshold(content.facts[f], registry)}: "
                          f"{content.facts[f].required_threshold().defines}", f) for f in value)

    def flags(value: Any) -> tuple[Line, ...]:
        messages = {f.id: f.message for f in calc.flags}
        return tuple(Line(messages.get(f) or f, f) for f in value)

    shown = {"band": ("Band", band), "severity": ("Badge", severity),
             "advice": ("What the sources say to do", facts(False)),
             "conditional": ("What each source says about its own patients", facts(True)),
             "boundary": ("At a threshold the source leaves unclear", boundary), "flags": ("Flags", flags)}
    return cells(calc.id, calc.title, dict(summary), shown, NOT_SHOWN, severity="severity")

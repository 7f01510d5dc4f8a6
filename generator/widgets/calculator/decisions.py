"""The calculator's part of the decision table (generator/render/decisions.py): the values worth trying
each calculator's scale at, and what the calculator shows for one of them, as its reference evaluator
(evaluate.py) gives it: never worked out again here.

Pure functions only: no MkDocs, no HTML.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any, cast

from ...advice import CountGateSpec
from ...content import Content, computed_once
from ...inputs import InputSpec
from ...quantities import units
from ...render.decisions import cells, fact_lines, outside_lines
from ...render.kit import Cell, Line, Probe, in_order
from ...wording import quantity_text, short_threshold
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
    """For every calculator with a scale on a quantity, in ascending order: each band edge and each end of a
    count gate on that quantity (a threshold some advice needs, the range of counts a study reported), and one
    value inside each band, or inside each part of a band such a gate divides."""
    found: list[Probe] = []
    registry = units(content)
    for calc in in_order(content.calculators.values()):
        spec = _specs(content)[calc.id]
        scale = spec["scale"]
        if scale is None or scale["quantity"] is None:
            continue
        inp = _input(spec, scale["input"])
        edges: dict[float, dict[str, str]] = {}  # value -> {fact: what the edge is, in words}
        for band in scale["bands"]:
            for bound in (band["lower"], band["upper"]):
                if bound:
                    edges.setdefault(bound["value"], {})[bound["fact"]] = short_threshold(content.facts[bound["fact"]],
                                                                                          registry)
        for gate in _gates(spec):
            if gate["quantity"] != scale["quantity"]:
                continue
            if gate["value"] is not None:
                edges.setdefault(gate["value"], {})[gate["fact"]] = short_threshold(content.facts[gate["fact"]], registry)
            for end in (gate["low"], gate["high"]):
                if end is not None:
                    words = f"an end of the counts a study reported ({quantity_text(end, _unit(content, scale), registry)})"
                    edges.setdefault(end, {}).setdefault(gate["fact"], words)
        here = [Probe(calc.id, calc.title, scale["quantity"], value, "edge", " / ".join(dict.fromkeys(named.values())),
                      tuple(named)) for value, named in edges.items()]
        for band in scale["bands"]:
            lower = band["lower"]["value"] if band["lower"] else None
            upper = band["upper"]["value"] if band["upper"] else None
            cuts = sorted(v for v in edges if (lower is None or v > lower) and (upper is None or v < upper))
            for low, high in zip([lower, *cuts], [*cuts, upper]):
                value = _inside(scale, band, inp, low, high)
                if value is not None:
                    here.append(Probe(calc.id, calc.title, scale["quantity"], value, "inside", band["label"]))
        found += sorted(here, key=lambda p: p.value)
    return found


def _gates(node: object) -> Iterator[CountGateSpec]:
    """Every count gate anywhere in a spec (advice's, red flags'): whatever carries them, none is missed."""
    if isinstance(node, Mapping):
        if {"fact", "quantity", "comparator", "value", "low", "high"} <= set(node):
            yield cast(CountGateSpec, node)
        for child in node.values():
            yield from _gates(child)
    elif isinstance(node, list):
        for child in node:
            yield from _gates(child)


def _unit(content: Content, scale: ScaleSpec) -> str:
    registry = units(content)
    return registry.required_quantity(scale["quantity"] or "").canonical_unit


def _inside(scale: ScaleSpec, band: BandSpec, inp: InputSpec, lower: float | None, upper: float | None) -> float | None:
    """One value between lower and upper (the band's edges, or a gate's inside it): halfway between them; below
    an only upper edge, half of it; above an only lower edge, half as much again (so 150 above 100). Where that
    would be outside the input's sanity bounds (a value the calculator would ask to check the unit of), halfway
    between the edge and the bound instead. Days are whole. None if the value would not lie in the band."""
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
    result = evaluate(spec, {**context, **typed(_input(spec, spec["scale"]["input"]), probe.value)})
    summary = summarize(result)
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

    def red_flags(value: Any) -> tuple[Line, ...]:
        labels = {f["id"]: f["label"] for f in spec["red_flags"]}
        return tuple(Line(labels.get(f, f), f) for f in value)

    def outside(value: Any) -> tuple[Line, ...]:
        return outside_lines(content, result["advice"], value)

    shown = {"band": ("Band", band), "severity": ("Badge", severity), "red_flags": ("Red flags", red_flags),
             "advice": ("What the sources say to do", facts(False)),
             "conditional": ("What each source says about its own patients", facts(True)),
             "outside": ("Outside the counts a study reported", outside),
             "boundary": ("At a threshold the source leaves unclear", boundary), "flags": ("Flags", flags)}
    return cells(calc.id, calc.title, dict(summary), shown, NOT_SHOWN, severity="severity")

"""The calculator's test cases: case inputs as typed, a result compared with what a case expects,
and cases made for every threshold (just below, at and just above it, in every unit offered)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from ...inputs import close, upper_side_includes_value
from ...validate.cases import shortfall
from .evaluate import CalculatorSummary
from .spec import CalculatorSpec


def compare(expect: Mapping[str, Any], summary: CalculatorSummary) -> list[str]:
    """Each way the summary falls short of what a case expects, in words."""
    wrong = []
    for key, wanted in expect.items():
        said = " ".join((summary.get("flag_messages") or {}).values())
        if key in ("flag_says", "flag_does_not_say"):
            wrong += [f"expected the flags {'not ' if key == 'flag_does_not_say' else ''}to say {phrase!r}, got {said!r}"
                      for phrase in wanted if (phrase in said) == (key == "flag_does_not_say")]
            continue
        got: Any = summary.get(key)  # whichever of the summary's values the case names
        if key == "check":
            got = summary["checks"].get(wanted["fact"])
            wanted = {"status": wanted["status"], "boundary": wanted["boundary"]}
        elif key in ("met", "boundary", "flags", "advice", "conditional", "outside", "red_flags"):
            wanted, got = sorted(wanted), sorted(got or [])
        elif key == "absolute":
            got = {k: v for k, v in (got or {}).items() if k in wanted}
            if set(got) == set(wanted) and all(close(got[k], v) for k, v in wanted.items()):
                continue
        elif key == "days" and got is not None and close(got, wanted):
            continue
        if got != wanted:
            wrong.append(shortfall(key, wanted, got))
    return wrong


def case_inputs(inputs: Mapping) -> dict[str, str]:
    """Case inputs as the strings a person would type (YAML may give bare numbers)."""
    return {k: v if isinstance(v, str) else repr(v) for k, v in inputs.items()}


def boundary_cases(spec: CalculatorSpec) -> list[dict[str, Any]]:
    """Cases just below, at and just above every threshold a calculator checks,
    in every unit it offers. Expectations come from each comparator's meaning,
    not from the evaluator."""
    cases = []
    between = _bands_either_side(spec)
    for check in spec["checks"]:
        for inputs, unit_label in _typings(spec, check["quantity"], check["value"]):
            for position, typed in zip(("just below", "at", "just above"), inputs):
                met = {"just below": check["comparator"] in ("<", "<="), "at": check["comparator"] in (">=", "<="),
                       "just above": check["comparator"] in (">", ">=")}[position]
                expect: dict[str, Any] = {"check": {"fact": check["fact"], "status": "met" if met else "not-met",
                                    "boundary": position == "at" and check["ambiguous_at_value"]}}
                if check["fact"] in between:
                    below, above = between[check["fact"]]
                    on_upper = position == "just above" or (
                        position == "at" and upper_side_includes_value(check["comparator"]))
                    expect["band"] = above if on_upper else below
                cases.append({"name": f"{check['fact']}: {position} the threshold, in {unit_label}",
                              "inputs": typed, "expect": expect})
    return cases


def _bands_either_side(spec: CalculatorSpec) -> dict[str, tuple[str, str]]:
    """For each fact that ends one band and starts the next: (the band below, the band above)."""
    bands = spec["scale"]["bands"] if spec["scale"] else []
    return {lower["upper"]["fact"]: (lower["id"], upper["id"])
            for lower, upper in zip(bands, bands[1:])
            if lower["upper"] and upper["lower"] and lower["upper"]["fact"] == upper["lower"]["fact"]}


def _typings(spec: CalculatorSpec, quantity: str, value: float) -> Iterator[tuple[list[dict[str, str]], str]]:
    """For each way to enter the quantity: (inputs below, at, above the value) and a label for the way."""
    for inp in spec["inputs"]:
        if inp["quantity"] != quantity:
            continue
        if inp["type"] == "measurement":
            for unit in inp["units"]:
                texts = _nearby_texts(Decimal(repr(value)) / Decimal(repr(unit["factor"])))
                yield [{inp["id"]: t, inp["id"] + "_unit": unit["code"]} for t in texts], unit["display"]
        elif inp["type"] == "days":
            days = int(value)
            yield [{inp["id"]: str(d)} for d in (days - 1, days, days + 1) if d >= 0], "days typed"
            if inp["days_between"]:
                start = dt.date(2026, 1, 1)
                yield [{inp["days_between"]["start"]: start.isoformat(),
                        inp["days_between"]["end"]: (start + dt.timedelta(days=d)).isoformat()}
                       for d in (days - 1, days, days + 1) if d >= 0], "dates"
        else:
            yield [{inp["id"]: t} for t in _nearby_texts(Decimal(repr(value)))], inp["label"]


def _nearby_texts(value: Decimal) -> list[str]:
    """The value and its near neighbours as typed decimals, one step in the fifth significant figure."""
    value = value.normalize()
    step = Decimal(1).scaleb(value.adjusted() - 4)
    return [_plain(value - step), _plain(value), _plain(value + step)]


def _plain(d: Decimal) -> str:
    text = f"{d:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text

"""The calculator's reference evaluator: reads only the JSON spec (spec.py) and the raw field
values, as the browser's calculator.js does, function for function; the YAML test cases run in both.

Pure functions only: no MkDocs, no HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, TypedDict

from ... import advice
from ...advice import ShownAdvice
from ...arrangement import Arranged, arrange
from ...inputs import READERS, Fix, Issue, close, issue, meets, on_upper_side, strip_space
from ...model import Severity
from .spec import CalculatorSpec, CheckSpec, ScaleSpec

State = Literal["empty", "error", "ok"]


class CheckOutcome(TypedDict):
    fact: str
    status: Literal["met", "not-met", "missing"]
    boundary: bool  # the value sits at a threshold the sources leave unclear


class CalculatorResult(TypedDict):
    """What the values typed add up to; calculator.js gives the same for the same spec and values."""

    state: State  # "empty": nothing to show yet; "error": an input must be fixed first; "ok"
    issues: list[Issue[Fix]]
    values: dict[str, float | str]  # by input: a number (a date as days since 1970-01-01), or a yes-no answer
    derived_from_dates: list[str]  # days inputs worked out from their two dates
    context: dict[str, str]  # the reader's answer to each context question
    quantities: dict[str, float]  # each quantity's value, in its canonical unit
    absolute: dict[str, float]  # a percentage input's share of its measurement, as a count
    checks: list[CheckOutcome]
    band: str | None
    severity: Severity | None
    flags: list[str]
    flag_messages: dict[str, str]  # a raised flag's words for this reader
    red_flags: list[str]  # raised by the context and the count (generator/advice.py)
    advice: list[ShownAdvice]
    arranged: Arranged  # the facts shown, in the order the result lists them: to do, not yet known, background


class CheckSummary(TypedDict):
    status: Literal["met", "not-met", "missing"]
    boundary: bool


class CalculatorSummary(TypedDict):
    """What a YAML test case can expect of a result (model.CaseExpectation names the same keys)."""

    state: State
    band: str | None
    met: list[str]
    boundary: list[str]
    checks: dict[str, CheckSummary]
    flags: list[str]
    flag_messages: dict[str, str]
    error: str | None
    warning: str | None
    fix: dict[str, str] | None
    days: float | None
    absolute: dict[str, float]
    severity: Severity | None
    advice: list[str]
    conditional: list[str]
    to_do: list[str]
    background: list[str]
    outside: list[str]
    red_flags: list[str]


def bands_containing(scale: ScaleSpec, value: float) -> list[str]:
    """Ids of every band the value lies in (exactly one when the bands are sound)."""
    return [b["id"] for b in scale["bands"]
            if (b["lower"] is None or on_upper_side(value, b["lower"]))
            and (b["upper"] is None or not on_upper_side(value, b["upper"]))]


def evaluate(spec: CalculatorSpec, raw: Mapping[str, str]) -> CalculatorResult:
    """The result for the raw field values (strings, as typed), keyed by field name.

    state is "empty" (nothing to show yet), "error" (an input must be fixed
    first: no range is shown) or "ok"."""
    values: dict[str, float | str] = {}
    issues: list[Issue[Fix]] = []
    for inp in spec["inputs"]:
        value, found = READERS[inp["type"]](inp, raw)
        if found:
            issues.append(found)
        if value is not None:
            values[inp["id"]] = value
    issues += _cross_checks(spec, _numbers(values))
    derived = _days_from_dates(spec, values, raw, issues)
    numbers = _numbers(values)
    reader = advice.read_context(spec["contexts"], raw)
    result: CalculatorResult = {
        "state": "ok", "issues": issues, "values": values, "derived_from_dates": derived, "context": reader,
        "quantities": {}, "absolute": {}, "checks": [], "band": None, "severity": None, "flags": [],
        "flag_messages": {}, "red_flags": [], "advice": [], "arranged": {"to_do": [], "conditional": [], "background": []}}
    if any(i["level"] == "error" for i in issues):
        result["state"] = "error"
        return result
    numeric = {i["id"]: i for i in spec["inputs"] if i["quantity"] and i["id"] in numbers}
    required_missing = any(i["required"] and i["id"] not in values for i in spec["inputs"])
    answered = [i for i in spec["inputs"] if i["type"] == "yes-no" and i["id"] in values]
    if required_missing or not (numeric or answered):
        result["state"] = "empty"
        return result
    result["quantities"] = {inp["quantity"]: numbers[i] for i, inp in numeric.items() if inp["quantity"]}
    result["absolute"] = {i: numbers[i] * numbers[inp["percent_of"]] / 100 for i, inp in numeric.items()
                          if inp["percent_of"] and inp["percent_of"] in numbers}
    result["checks"] = [_check(c, result["quantities"]) for c in spec["checks"]]
    scale = spec["scale"]
    if scale and scale["input"] in numbers:
        result["band"] = next(iter(bands_containing(scale, numbers[scale["input"]])), None)
    result["flags"] = [f["id"] for f in spec["flags"] if values.get(f["input"]) == f["equals"]]
    # A flag reads right for the patient: "rule out a newly arisen blood cancer" is not for one with leukaemia.
    result["flag_messages"] = {f["id"]: next((m["message"] for m in f["message_by_context"]
                                              if advice.matches(m["contexts"], reader)), f["message"])
                               for f in spec["flags"] if f["id"] in result["flags"]}
    if result["band"] is not None:
        result["red_flags"] = advice.raised(spec["red_flags"], reader, result["quantities"])
    result["severity"], result["advice"] = _advice(spec, result, reader)
    result["arranged"] = arrange(result["advice"], spec["roles"])
    return result


def _numbers(values: Mapping[str, float | str]) -> dict[str, float]:
    """The values that are numbers: every input's but a yes-no answer, which is a word."""
    return {i: v for i, v in values.items() if not isinstance(v, str)}


def _advice(spec: CalculatorSpec, result: CalculatorResult,
            reader: Mapping[str, str]) -> tuple[Severity | None, list[ShownAdvice]]:
    """The band's severity for this reader (a red flag makes it "danger"), and every advice group the result
    shows with its mode: each raised red flag's, then the band's, then each met check's, then each raised flag's."""
    band = next((b for b in spec["scale"]["bands"] if b["id"] == result["band"]), None) if spec["scale"] else None
    counts = result["quantities"]
    shown = advice.red_flag_advice(spec["red_flags"], result["red_flags"], reader, counts)
    shown += advice.shown(band["advice"], reader, band["id"], counts) if band else []
    for check, outcome in zip(spec["checks"], result["checks"]):
        if outcome["status"] == "met":
            shown += advice.shown(check["advice"], reader, check["fact"], counts)
    for flag in spec["flags"]:
        if flag["id"] in result["flags"]:
            shown += advice.shown(flag["advice"], reader, flag["id"], counts)
    level = advice.severity(band["severity"], band["severity_by_context"], reader) if band else None
    return ("danger" if result["red_flags"] else level), shown


def _check(check: CheckSpec, quantities: Mapping[str, float]) -> CheckOutcome:
    value = quantities.get(check["quantity"])
    if value is None:
        return {"fact": check["fact"], "status": "missing", "boundary": False}
    return {"fact": check["fact"], "status": "met" if meets(value, check["comparator"], check["value"]) else "not-met",
            "boundary": close(value, check["value"]) and check["ambiguous_at_value"]}


def _cross_checks(spec: CalculatorSpec, numbers: Mapping[str, float]) -> list[Issue[Fix]]:
    """Percentages of the same count cannot add up to more than the whole."""
    found: list[Issue[Fix]] = []
    for whole in {i["percent_of"] for i in spec["inputs"] if i["percent_of"]}:
        parts = [numbers[i["id"]] for i in spec["inputs"] if i["percent_of"] == whole and i["id"] in numbers]
        if sum(parts) > 100 + 1e-6:
            found.append(issue("percent-sum-over-100"))
    return found


def _days_from_dates(spec: CalculatorSpec, values: dict[str, float | str], raw: Mapping[str, str],
                     issues: list[Issue[Fix]]) -> list[str]:
    """Fill a days input from its two dates when it was left empty; returns the inputs so filled."""
    filled = []
    for inp in spec["inputs"]:
        between = inp["days_between"]
        if not between or inp["id"] in values or strip_space(raw.get(inp["id"], "")):
            continue
        start, end = values.get(between["start"]), values.get(between["end"])
        if start is None or end is None or isinstance(start, str) or isinstance(end, str):  # dates are numbers
            continue
        if end < start:
            issues.append(issue("dose-after-count", input=between["start"]))
            continue
        values[inp["id"]] = float(end - start)
        filled.append(inp["id"])
    return filled


def summarize(result: CalculatorResult) -> CalculatorSummary:
    """What a test case can expect of a result (the browser test reads the same from the page)."""
    errors = [i for i in result["issues"] if i["level"] == "error"]
    warnings = [i for i in result["issues"] if i["level"] == "warning"]
    fixes = (errors or warnings)[0]["fixes"] if errors or warnings else []  # the first issue's
    by_mode = advice.facts_by_mode(result["advice"])
    return {
        "state": result["state"],
        "band": result["band"],
        "met": sorted(c["fact"] for c in result["checks"] if c["status"] == "met"),
        "boundary": sorted(c["fact"] for c in result["checks"] if c["boundary"]),
        "checks": {c["fact"]: {"status": c["status"], "boundary": c["boundary"]} for c in result["checks"]},
        "flags": sorted(result["flags"]),
        "flag_messages": result["flag_messages"],
        "error": errors[0]["code"] if errors else None,
        "warning": warnings[0]["code"] if warnings else None,
        "fix": {fixes[0]["field"]: fixes[0]["value"]} if fixes else None,
        "days": result["quantities"].get("days"),
        "absolute": result["absolute"],
        "severity": result["severity"],
        "advice": by_mode["advice"],
        "conditional": by_mode["conditional"],
        "to_do": result["arranged"]["to_do"],
        "background": result["arranged"]["background"],
        "outside": by_mode["outside"],
        "red_flags": sorted(result["red_flags"]),
    }

"""Calculators: the JSON spec the browser gets, and the reference evaluator.

`calculator_spec` turns a Calculator record and the threshold facts it
references into plain JSON-able data, with every number converted to the
quantity's canonical unit. `evaluate` reads only that spec, so the Python
evaluator (used at build time and in tests) and the JavaScript one in
docs/assets/refsite.js evaluate exactly the same data. Keep the two in step:
every change here needs the same change there, and the test cases run in both.

Pure functions only: no MkDocs, no HTML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from . import advice
from .content import Content
from .inputs import (MESSAGES, NOUNS, READERS, close, input_spec, issue, meets, on_upper_side, strip_space,
                     upper_side_includes_value)
from .model import Calculator, Fact
from .quantities import Units, units
from .wording import threshold_in_canonical

# ---------------------------------------------------------------- spec


def calculator_facts(calc: Calculator) -> list[str]:
    """Every fact a calculator's page rests on: the thresholds it checks or bounds its bands by,
    and the facts it shows for a result, a band or a flag."""
    ids = [check.fact for check in calc.checks] + advice_facts(calc)
    for band in calc.scale.bands if calc.scale else []:
        ids += [f for f in (band.lower, band.upper) if f]
    return list(dict.fromkeys(ids))


def advice_groups(calc: Calculator) -> list:
    """Every advice group a result can show: the bands', the checks' and the flags', in the order a reader
    meets them."""
    return ([g for band in (calc.scale.bands if calc.scale else []) for g in band.facts]
            + [g for check in calc.checks for g in check.when_met] + [g for flag in calc.flags for g in flag.facts])


def advice_facts(calc: Calculator) -> list[str]:
    """Every fact a result can show as advice, once each, in the order a reader meets them."""
    return list(dict.fromkeys(f for group in advice_groups(calc) for f in group.facts))


def calculator_path(calc: Calculator) -> str:
    """A calculator's page: top-level, like topic pages, so every relative link the renderers write works."""
    return f"{calc.id}-calculator.md"


def calculator_spec(calc: Calculator, content: Content) -> dict:
    """Everything the evaluator needs, as JSON-able data (numbers in canonical units)."""
    bounds_facts = [content.facts[b] for band in (calc.scale.bands if calc.scale else [])
                    for b in (band.lower, band.upper) if b]
    check_facts = [content.facts[c.fact] for c in calc.checks]
    registry = units(content)
    return {
        "id": calc.id,
        "inputs": [input_spec(i, registry) for i in calc.inputs],
        "contexts": advice.contexts_spec(content),
        "checks": [{**_check_spec(f, check_facts + bounds_facts, registry), "advice": advice.advice_spec(c.when_met)}
                   for f, c in zip(check_facts, calc.checks)],
        "scale": _scale_spec(calc, content) if calc.scale else None,
        "flags": [{"id": f.id, "input": f.input, "equals": f.equals, "severity": f.severity,
                   "advice": advice.advice_spec(f.facts)} for f in calc.flags],
        "text": {"messages": MESSAGES, "nouns": NOUNS},
    }


def _check_spec(fact: Fact, all_bounds: list[Fact], registry: Units) -> dict:
    value = threshold_in_canonical(fact, registry)
    side = upper_side_includes_value(fact.threshold.comparator)
    disagree = any(close(threshold_in_canonical(other, registry), value) and other.threshold.quantity == fact.threshold.quantity
                   and upper_side_includes_value(other.threshold.comparator) != side for other in all_bounds)
    return {"fact": fact.id, "quantity": fact.threshold.quantity, "comparator": fact.threshold.comparator,
            "value": value, "ambiguous_at_value": bool(fact.threshold.boundary_note) or disagree}


def _bound(fact_id: str | None, content: Content) -> dict | None:
    if fact_id is None:
        return None
    fact = content.facts[fact_id]
    return {"fact": fact_id, "comparator": fact.threshold.comparator, "value": threshold_in_canonical(fact, units(content))}


def _scale_spec(calc: Calculator, content: Content) -> dict:
    inp = next(i for i in calc.inputs if i.id == calc.scale.input)
    return {"input": inp.id, "quantity": inp.quantity,
            "bands": [{"id": b.id, "label": b.label, "short_label": b.short_label, "severity": b.severity,
                       "severity_by_context": advice.severity_rules_spec(b.severity_by_context),
                       "advice": advice.advice_spec(b.facts),
                       "lower": _bound(b.lower, content), "upper": _bound(b.upper, content)}
                      for b in calc.scale.bands]}


# ---------------------------------------------------------------- comparing


def bands_containing(scale: dict, value: float) -> list[str]:
    """Ids of every band the value lies in (exactly one when the bands are sound)."""
    return [b["id"] for b in scale["bands"]
            if (b["lower"] is None or on_upper_side(value, b["lower"]))
            and (b["upper"] is None or not on_upper_side(value, b["upper"]))]


# ---------------------------------------------------------------- reading inputs


# ---------------------------------------------------------------- evaluating


def evaluate(spec: dict, raw: Mapping[str, str]) -> dict:
    """The result for the raw field values (strings, as typed), keyed by field name.

    state is "empty" (nothing to show yet), "error" (an input must be fixed
    first: no range is shown) or "ok"."""
    values, issues = {}, []
    for inp in spec["inputs"]:
        value, found = READERS[inp["type"]](inp, raw)
        if found:
            issues.append(found)
        if value is not None:
            values[inp["id"]] = value
    issues += _cross_checks(spec, values)
    derived = _days_from_dates(spec, values, raw, issues)
    reader = advice.read_context(spec["contexts"], raw)
    result = {"state": "ok", "issues": issues, "values": values, "derived_from_dates": derived, "context": reader,
              "quantities": {}, "absolute": {}, "checks": [], "band": None, "severity": None, "flags": [],
              "advice": []}
    if any(i["level"] == "error" for i in issues):
        result["state"] = "error"
        return result
    numeric = {i["id"]: i for i in spec["inputs"] if i["quantity"] and i["id"] in values}
    required_missing = any(i["required"] and i["id"] not in values for i in spec["inputs"])
    answered = [i for i in spec["inputs"] if i["type"] == "yes-no" and i["id"] in values]
    if required_missing or not (numeric or answered):
        result["state"] = "empty"
        return result
    result["quantities"] = {inp["quantity"]: values[i] for i, inp in numeric.items()}
    result["absolute"] = {i: values[i] * values[inp["percent_of"]] / 100 for i, inp in numeric.items()
                          if inp["percent_of"] and inp["percent_of"] in values}
    result["checks"] = [_check(c, result["quantities"]) for c in spec["checks"]]
    scale = spec["scale"]
    if scale and scale["input"] in values:
        result["band"] = (bands_containing(scale, values[scale["input"]]) or [None])[0]
    result["flags"] = [f["id"] for f in spec["flags"] if values.get(f["input"]) == f["equals"]]
    result["severity"], result["advice"] = _advice(spec, result, reader)
    return result


def _advice(spec: dict, result: dict, reader: dict) -> tuple[str | None, list[dict]]:
    """The band's severity for this reader, and every advice group the result shows with its mode:
    the band's, then each met check's, then each raised flag's."""
    band = next((b for b in spec["scale"]["bands"] if b["id"] == result["band"]), None) if spec["scale"] else None
    shown = advice.shown(band["advice"], reader, band["id"]) if band else []
    for check, outcome in zip(spec["checks"], result["checks"]):
        if outcome["status"] == "met":
            shown += advice.shown(check["advice"], reader, check["fact"])
    for flag in spec["flags"]:
        if flag["id"] in result["flags"]:
            shown += advice.shown(flag["advice"], reader, flag["id"])
    level = advice.severity(band["severity"], band["severity_by_context"], reader) if band else None
    return level, shown


def _check(check: dict, quantities: dict) -> dict:
    value = quantities.get(check["quantity"])
    if value is None:
        return {"fact": check["fact"], "status": "missing", "boundary": False}
    return {"fact": check["fact"], "status": "met" if meets(value, check["comparator"], check["value"]) else "not-met",
            "boundary": close(value, check["value"]) and check["ambiguous_at_value"]}


def _cross_checks(spec: dict, values: dict) -> list[dict]:
    """Percentages of the same count cannot add up to more than the whole."""
    found = []
    for whole in {i["percent_of"] for i in spec["inputs"] if i["percent_of"]}:
        parts = [values[i["id"]] for i in spec["inputs"] if i["percent_of"] == whole and i["id"] in values]
        if sum(parts) > 100 + 1e-6:
            found.append(issue("percent-sum-over-100"))
    return found


def _days_from_dates(spec: dict, values: dict, raw: Mapping[str, str], issues: list) -> list[str]:
    """Fill a days input from its two dates when it was left empty; returns the inputs so filled."""
    filled = []
    for inp in spec["inputs"]:
        between = inp["days_between"]
        if not between or inp["id"] in values or strip_space(raw.get(inp["id"], "")):
            continue
        start, end = values.get(between["start"]), values.get(between["end"])
        if start is None or end is None:
            continue
        if end < start:
            issues.append(issue("dose-after-count", input=between["start"]))
            continue
        values[inp["id"]] = float(end - start)
        filled.append(inp["id"])
    return filled


# ---------------------------------------------------------------- test cases


def summarize(result: dict) -> dict:
    """What a test case can expect of a result (the browser test reads the same from the page)."""
    errors = [i for i in result["issues"] if i["level"] == "error"]
    warnings = [i for i in result["issues"] if i["level"] == "warning"]
    first = (errors or warnings or [{"fixes": []}])[0]
    by_mode = advice.facts_by_mode(result["advice"])
    return {
        "state": result["state"],
        "band": result["band"],
        "met": sorted(c["fact"] for c in result["checks"] if c["status"] == "met"),
        "boundary": sorted(c["fact"] for c in result["checks"] if c["boundary"]),
        "checks": {c["fact"]: {"status": c["status"], "boundary": c["boundary"]} for c in result["checks"]},
        "flags": sorted(result["flags"]),
        "error": errors[0]["code"] if errors else None,
        "warning": warnings[0]["code"] if warnings else None,
        "fix": {first["fixes"][0]["field"]: first["fixes"][0]["value"]} if first["fixes"] else None,
        "days": result["quantities"].get("days"),
        "absolute": result["absolute"],
        "severity": result["severity"],
        "advice": by_mode["advice"],
        "conditional": by_mode["conditional"],
    }


def compare(expect: dict, summary: dict) -> list[str]:
    """Each way the summary falls short of what a case expects, in words."""
    wrong = []
    for key, wanted in expect.items():
        got = summary.get(key)
        if key == "check":
            got = summary["checks"].get(wanted["fact"])
            wanted = {"status": wanted["status"], "boundary": wanted["boundary"]}
        elif key in ("met", "boundary", "flags", "advice", "conditional"):
            wanted, got = sorted(wanted), sorted(got or [])
        elif key == "absolute":
            got = {k: v for k, v in (got or {}).items() if k in wanted}
            if set(got) == set(wanted) and all(close(got[k], v) for k, v in wanted.items()):
                continue
        elif key == "days" and got is not None and close(got, wanted):
            continue
        if got != wanted:
            wrong.append(f"expected {key} {_shown(wanted)}, got {_shown(got)}")
    return wrong


def _shown(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]" if value else "none"
    return "none" if value is None else str(value)


def case_inputs(inputs: Mapping) -> dict[str, str]:
    """Case inputs as the strings a person would type (YAML may give bare numbers)."""
    return {k: v if isinstance(v, str) else repr(v) for k, v in inputs.items()}


def boundary_cases(spec: dict) -> list[dict]:
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
                expect = {"check": {"fact": check["fact"], "status": "met" if met else "not-met",
                                    "boundary": position == "at" and check["ambiguous_at_value"]}}
                if check["fact"] in between:
                    below, above = between[check["fact"]]
                    on_upper = position == "just above" or (
                        position == "at" and upper_side_includes_value(check["comparator"]))
                    expect["band"] = above if on_upper else below
                cases.append({"name": f"{check['fact']}: {position} the threshold, in {unit_label}",
                              "inputs": typed, "expect": expect})
    return cases


def _bands_either_side(spec: dict) -> dict[str, tuple[str, str]]:
    """For each fact that ends one band and starts the next: (the band below, the band above)."""
    bands = spec["scale"]["bands"] if spec["scale"] else []
    return {lower["upper"]["fact"]: (lower["id"], upper["id"])
            for lower, upper in zip(bands, bands[1:])
            if lower["upper"] and upper["lower"] and lower["upper"]["fact"] == upper["lower"]["fact"]}


def _typings(spec: dict, quantity: str, value: float):
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

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
import math
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from . import advice
from .content import Content
from .model import Calculator, CalculatorInput, Fact
from .units import TO_CANONICAL, display

# Canonical unit of each quantity a threshold can be about, and how other units convert to it.
CANONICAL_UNIT = {"wbc": "10*9/L", "neutrophil-percent": "%", "lymphocyte-percent": "%",
                  "monocyte-percent": "%", "days": "days"}
QUANTITY_FACTORS: dict[str, dict[str, float]] = {
    "wbc": TO_CANONICAL,
    "neutrophil-percent": {"%": 1.0},
    "lymphocyte-percent": {"%": 1.0},
    "monocyte-percent": {"%": 1.0},
    "days": {"days": 1.0},
}

# Input parsing rules (mirrored in refsite.js). Only [0-9] counts as a digit:
# full-width or Arabic-Indic digits are refused rather than half-understood.
SPACE = " \t\n\r\f\v\u00a0\u2009\u202f"
MAX_LENGTH = 24
PLAIN = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
EXPONENT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+")
THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
DECIMAL_COMMA = re.compile(r"[+-]?[0-9]*,[0-9]+")
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
YEARS = (1900, 2199)  # dates outside are typing slips, not clinical limits
TOLERANCE = 1e-9      # relative: values this close to a threshold are "at" it

# Words shown for each outcome; the browser fills {unit} and {noun}.
MESSAGES = {
    "not-a-number": "Type digits only, with a point for decimals.",
    "negative": "A {noun} cannot be negative.",
    "zero": "A count of zero cannot be placed on these ranges: type the measured count.",
    "decimal-comma": "Use a point, not a comma, for decimals.",
    "thousands-separator": "Type the number without thousands separators (commas).",
    "exponent": "Type the number in full, without an exponent (e).",
    "too-long": "That is too long to be a number.",
    "too-large": "That number is too large.",
    "implausible-low": "That is too low to be a {noun} in {unit}: check the unit.",
    "implausible-high": "That is too high to be a {noun} in {unit}: check the unit.",
    "unusually-low": "Unusually low for {unit}: check the unit before relying on the result.",
    "unusually-high": "Unusually high for {unit}: check the unit before relying on the result.",
    "percent-over-100": "A percentage cannot be more than 100.",
    "percent-sum-over-100": "These percentages add up to more than 100: check each one.",
    "not-whole-days": "Type whole days.",
    "too-many-days": "That is more days than this calculator can use: check the number.",
    "bad-date": "Enter a full date: day, month and year.",
    "dose-after-count": "The dose date is after the date of the count: check both dates.",
}
NOUNS = {"cell-count": "white count", "percent": "percentage", "days": "number of days", "date": "date"}


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


def unit_factor(quantity: str, unit: str) -> float | None:
    """Factor turning a value in unit into the quantity's canonical unit; None if the unit does not fit."""
    return QUANTITY_FACTORS.get(quantity, {}).get(unit)


def threshold_in_canonical(fact: Fact) -> float:
    t = fact.threshold
    return t.value * unit_factor(t.quantity, t.unit)


def upper_side_includes_value(comparator: str) -> bool:
    """Whether a value exactly at the threshold lies on the upper side of the line it draws."""
    return comparator in (">=", "<")


def calculator_spec(calc: Calculator, content: Content) -> dict:
    """Everything the evaluator needs, as JSON-able data (numbers in canonical units)."""
    bounds_facts = [content.facts[b] for band in (calc.scale.bands if calc.scale else [])
                    for b in (band.lower, band.upper) if b]
    check_facts = [content.facts[c.fact] for c in calc.checks]
    return {
        "id": calc.id,
        "inputs": [input_spec(i) for i in calc.inputs],
        "contexts": advice.contexts_spec(content),
        "checks": [{**_check_spec(f, check_facts + bounds_facts), "advice": advice.advice_spec(c.when_met)}
                   for f, c in zip(check_facts, calc.checks)],
        "scale": _scale_spec(calc, content) if calc.scale else None,
        "flags": [{"id": f.id, "input": f.input, "equals": f.equals, "severity": f.severity,
                   "advice": advice.advice_spec(f.facts)} for f in calc.flags],
        "text": {"messages": MESSAGES, "nouns": NOUNS},
    }


def input_spec(inp: CalculatorInput) -> dict:
    quantity = inp.quantity
    units = [{"code": u, "display": display(u), "factor": TO_CANONICAL[u]} for u in inp.units]
    bounds = {}
    if inp.input_sanity_bounds:
        b = inp.input_sanity_bounds
        factor = unit_factor(quantity, b.unit) if quantity else 1.0
        bounds = {k: getattr(b, k) * factor for k in ("reject_below", "warn_below", "warn_above", "reject_above")
                  if getattr(b, k, None) is not None}
    return {
        "id": inp.id, "label": inp.label, "type": inp.type, "quantity": quantity, "required": inp.required,
        "canonical_unit": display(CANONICAL_UNIT[quantity]) if quantity else None,
        "units": units, "bounds": bounds, "percent_of": inp.percent_of, "default": inp.default,
        "days_between": inp.or_days_between.model_dump() if inp.or_days_between else None,
    }


def _check_spec(fact: Fact, all_bounds: list[Fact]) -> dict:
    value = threshold_in_canonical(fact)
    side = upper_side_includes_value(fact.threshold.comparator)
    disagree = any(close(threshold_in_canonical(other), value) and other.threshold.quantity == fact.threshold.quantity
                   and upper_side_includes_value(other.threshold.comparator) != side for other in all_bounds)
    return {"fact": fact.id, "quantity": fact.threshold.quantity, "comparator": fact.threshold.comparator,
            "value": value, "ambiguous_at_value": bool(fact.threshold.boundary_note) or disagree}


def _bound(fact_id: str | None, content: Content) -> dict | None:
    if fact_id is None:
        return None
    fact = content.facts[fact_id]
    return {"fact": fact_id, "comparator": fact.threshold.comparator, "value": threshold_in_canonical(fact)}


def _scale_spec(calc: Calculator, content: Content) -> dict:
    inp = next(i for i in calc.inputs if i.id == calc.scale.input)
    return {"input": inp.id, "quantity": inp.quantity,
            "bands": [{"id": b.id, "label": b.label, "short_label": b.short_label, "severity": b.severity,
                       "severity_by_context": advice.severity_rules_spec(b.severity_by_context),
                       "advice": advice.advice_spec(b.facts),
                       "lower": _bound(b.lower, content), "upper": _bound(b.upper, content)}
                      for b in calc.scale.bands]}


# ---------------------------------------------------------------- comparing


def close(value: float, threshold: float) -> bool:
    return abs(value - threshold) <= TOLERANCE * max(1.0, abs(threshold))


def meets(value: float, comparator: str, threshold: float) -> bool:
    if close(value, threshold):
        return comparator in (">=", "<=")
    return value > threshold if comparator in (">", ">=") else value < threshold


def on_upper_side(value: float, bound: dict) -> bool:
    if close(value, bound["value"]):
        return upper_side_includes_value(bound["comparator"])
    return value > bound["value"]


def bands_containing(scale: dict, value: float) -> list[str]:
    """Ids of every band the value lies in (exactly one when the bands are sound)."""
    return [b["id"] for b in scale["bands"]
            if (b["lower"] is None or on_upper_side(value, b["lower"]))
            and (b["upper"] is None or not on_upper_side(value, b["upper"]))]


# ---------------------------------------------------------------- reading inputs


def issue(code: str, *, input: str | None = None, level: str = "error", fixes: list | None = None) -> dict:
    return {"input": input, "level": level, "code": code, "fixes": fixes or []}


def strip_space(text: str) -> str:
    return text.strip(SPACE)


def parse_number(text: str) -> tuple[float | None, dict | None]:
    """(value, None) for a plain decimal number; (None, issue) otherwise; (None, None) when empty."""
    s = strip_space(text)
    if s == "":
        return None, None
    if len(s) > MAX_LENGTH:
        return None, issue("too-long")
    if PLAIN.fullmatch(s):
        value = float(s)
        if not math.isfinite(value):
            return None, issue("too-large")
        return (None, issue("negative")) if value < 0 else (value, None)
    if EXPONENT.fullmatch(s):
        return None, issue("exponent")
    if THOUSANDS.fullmatch(s):
        fixes = [s.replace(",", "")]
        if s.count(",") == 1 and "." not in s:
            fixes.append(s.replace(",", "."))  # or was it a decimal comma?
        return None, issue("thousands-separator", fixes=fixes)
    if DECIMAL_COMMA.fullmatch(s):
        return None, issue("decimal-comma", fixes=[s.replace(",", ".")])
    return None, issue("not-a-number")


EPOCH = dt.date(1970, 1, 1)


def parse_date(text: str) -> int | None:
    """Days since 1970-01-01 of an ISO date (YYYY-MM-DD) within YEARS, or None."""
    m = ISO_DATE.fullmatch(strip_space(text))
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not YEARS[0] <= year <= YEARS[1]:
        return None
    try:
        return (dt.date(year, month, day) - EPOCH).days
    except ValueError:
        return None


def _text_fixes(inp: dict, found: dict) -> dict:
    found["input"] = inp["id"]
    found["fixes"] = [{"field": inp["id"], "value": v} for v in found["fixes"]]
    return found


def read_cell_count(inp: dict, raw: Mapping[str, str]) -> tuple[float | None, dict | None]:
    """The count in canonical units, or the issue that stops it being used."""
    value, found = parse_number(raw.get(inp["id"], ""))
    if found:
        return None, _text_fixes(inp, found)
    if value is None:
        return None, None
    if value == 0:
        return None, issue("zero", input=inp["id"])
    unit = chosen_unit(inp, raw)
    canonical = value * unit["factor"]
    b = inp["bounds"]
    if canonical < b.get("reject_below", 0) or canonical > b.get("reject_above", math.inf):
        code = "implausible-low" if canonical < b.get("reject_below", 0) else "implausible-high"
        return None, issue(code, input=inp["id"], fixes=_unit_fixes(inp, value, unit, comfortable=False))
    for code, outside in (("unusually-low", canonical < b.get("warn_below", 0)),
                          ("unusually-high", canonical > b.get("warn_above", math.inf))):
        if outside:
            return canonical, issue(code, input=inp["id"], level="warning",
                                    fixes=_unit_fixes(inp, value, unit, comfortable=True))
    return canonical, None


def chosen_unit(inp: dict, raw: Mapping[str, str]) -> dict:
    """The unit picked for a cell count; the first offered when none (or an unknown one) is given."""
    code = raw.get(inp["id"] + "_unit", "")
    return next((u for u in inp["units"] if u["code"] == code), inp["units"][0])


def _unit_fixes(inp: dict, value: float, unit: dict, *, comfortable: bool) -> list[dict]:
    """Other units in which the number typed would be a believable count, most believable first."""
    b = inp["bounds"]
    seen = {unit["factor"]}
    ok, rest = [], []
    for other in inp["units"]:
        if other["factor"] in seen:
            continue
        seen.add(other["factor"])
        canonical = value * other["factor"]
        inside_warn = b.get("warn_below", 0) <= canonical <= b.get("warn_above", math.inf)
        inside_reject = b.get("reject_below", 0) <= canonical <= b.get("reject_above", math.inf)
        fix = {"field": inp["id"] + "_unit", "value": other["code"]}
        if inside_warn:
            ok.append(fix)
        elif inside_reject and not comfortable:
            rest.append(fix)
    return ok + rest


def read_percent(inp: dict, raw: Mapping[str, str]) -> tuple[float | None, dict | None]:
    value, found = parse_number(raw.get(inp["id"], ""))
    if found:
        return None, _text_fixes(inp, found)
    if value is not None and value > 100:
        return None, issue("percent-over-100", input=inp["id"])
    return value, None


def read_days(inp: dict, raw: Mapping[str, str]) -> tuple[float | None, dict | None]:
    value, found = parse_number(raw.get(inp["id"], ""))
    if found:
        return None, _text_fixes(inp, found)
    if value is None:
        return None, None
    if value != math.floor(value):
        return None, issue("not-whole-days", input=inp["id"])
    if value > inp["bounds"].get("reject_above", math.inf):
        return None, issue("too-many-days", input=inp["id"])
    return value, None


def read_date(inp: dict, raw: Mapping[str, str]) -> tuple[int | None, dict | None]:
    text = strip_space(raw.get(inp["id"], ""))
    if text == "":
        return None, None
    day = parse_date(text)
    return (day, None) if day is not None else (None, issue("bad-date", input=inp["id"]))


def read_yes_no(inp: dict, raw: Mapping[str, str]) -> tuple[str | None, None]:
    answer = raw.get(inp["id"], "")
    return (answer if answer in ("yes", "no") else None), None


READERS = {"cell-count": read_cell_count, "percent": read_percent, "days": read_days,
           "date": read_date, "yes-no": read_yes_no}


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


# ---------------------------------------------------------------- display numbers


def format_value(x: float) -> str:
    """Up to six significant figures, thousands separated, never an exponent
    (mirrors formatNumber in refsite.js: round half up on the shortest decimal form)."""
    if not math.isfinite(x):
        return "–"
    magnitude = 0 if x == 0 else math.floor(math.log10(abs(x)))
    digits = min(6, max(0, 5 - magnitude))
    rounded = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


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
        if inp["type"] == "cell-count":
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

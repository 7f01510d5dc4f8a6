"""Typed inputs, shared by the widgets: what a reader types (a measurement in one of its quantity's
units, a percentage, days, a date, yes or no), read as a value or as the problem that stops it
being used, and compared with a threshold.

`input_spec` turns an input's record into the JSON the browser gets; the readers here and in the
site's core script, docs/assets/refsite.js (which both widgets' scripts use), read that same spec.
Keep the two in step: the test cases run in both.
Pure functions only: no MkDocs, no HTML.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from typing import Generic, Literal, TypedDict, TypeVar

from .model import CalculatorInput, Comparator, InputType
from .quantities import Units

# Input parsing rules (mirrored in docs/assets/refsite.js). Only [0-9] counts as a digit:
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
# What a typed value is called in messages, by input type; a measurement takes its quantity's noun.
NOUNS = {"percent": "percentage", "days": "number of days", "date": "date"}


# ---------------------------------------------------------------- the browser's spec
#
# The JSON an input becomes, and what reading it gives, as types: a key renamed on one side fails the
# type check (make typecheck), not a reader. refsite.js reads the same keys.


class InputText(TypedDict):
    """The words a widget's inputs are read with: MESSAGES and NOUNS."""

    messages: dict[str, str]
    nouns: dict[str, str]


class UnitOption(TypedDict):
    """A unit a measurement can be typed in, and its factor into the quantity's canonical unit."""

    code: str
    display: str
    factor: float


BoundKey = Literal["reject_below", "warn_below", "warn_above", "reject_above"]
BOUND_KEYS: tuple[BoundKey, ...] = ("reject_below", "warn_below", "warn_above", "reject_above")


class Bounds(TypedDict, total=False):
    """An input's sanity bounds in its canonical unit: only those it gives."""

    reject_below: float
    warn_below: float
    warn_above: float
    reject_above: float


class DaysBetweenSpec(TypedDict):
    start: str
    end: str


class InputSpec(TypedDict):
    """One input as the readers (here and in the browser) read it."""

    id: str
    label: str
    type: InputType
    quantity: str | None
    required: bool
    noun: str | None
    canonical_unit: str | None
    units: list[UnitOption]
    bounds: Bounds
    percent_of: str | None
    default: Literal["today"] | None
    days_between: DaysBetweenSpec | None


class Fix(TypedDict):
    """A one-tap fix: put value in field."""

    field: str
    value: str


F = TypeVar("F")


class Issue(TypedDict, Generic[F]):
    """What stops a value being used (level error) or asks for a second look (warning). Its fixes are Fix;
    parse_number, which knows no field, gives them as the texts to type (Issue[str])."""

    input: str | None
    level: Literal["error", "warning"]
    code: str
    fixes: list[F]


class Cutoff(TypedDict):
    """A threshold as a value is compared with it, in the canonical unit."""

    comparator: Comparator
    value: float


def input_spec(inp: CalculatorInput, units: Units) -> InputSpec:
    """Everything the readers need of one input, with its units' factors into the canonical unit."""
    quantity = units.quantity(inp.quantity) if inp.quantity else None
    # Validation has checked that the units an input offers, and its bounds' unit, convert into its quantity's.
    offered: list[UnitOption] = [{"code": u, "display": units.display(u),
                                  "factor": units.required_factor(inp.quantity, u)} for u in inp.units]
    bounds: Bounds = {}
    if inp.input_sanity_bounds:
        b = inp.input_sanity_bounds
        factor = units.required_factor(inp.quantity, b.unit) if quantity else 1.0
        for key in BOUND_KEYS:
            if (bound := getattr(b, key)) is not None:
                bounds[key] = bound * factor
    return {
        "id": inp.id, "label": inp.label, "type": inp.type, "quantity": inp.quantity, "required": inp.required,
        "noun": quantity.noun if quantity and inp.type == "measurement" else None,
        "canonical_unit": units.display(quantity.canonical_unit) if quantity else None,
        "units": offered, "bounds": bounds, "percent_of": inp.percent_of, "default": inp.default,
        "days_between": ({"start": inp.or_days_between.start, "end": inp.or_days_between.end}
                         if inp.or_days_between else None),
    }


def noun(inp: InputSpec) -> str:
    """What a typed value of this input is called in a message."""
    return inp.get("noun") or NOUNS.get(inp["type"], "value")


# ---------------------------------------------------------------- comparing


def upper_side_includes_value(comparator: str) -> bool:
    """Whether a value exactly at the threshold lies on the upper side of the line it draws."""
    return comparator in (">=", "<")


def close(value: float, threshold: float) -> bool:
    return abs(value - threshold) <= TOLERANCE * max(1.0, abs(threshold))


def meets(value: float, comparator: str, threshold: float) -> bool:
    if close(value, threshold):
        return comparator in (">=", "<=")
    return value > threshold if comparator in (">", ">=") else value < threshold


def on_upper_side(value: float, bound: Cutoff) -> bool:
    if close(value, bound["value"]):
        return upper_side_includes_value(bound["comparator"])
    return value > bound["value"]


# ---------------------------------------------------------------- reading


def issue(code: str, *, input: str | None = None, level: Literal["error", "warning"] = "error",
          fixes: list[F] | None = None) -> Issue[F]:
    return {"input": input, "level": level, "code": code, "fixes": fixes or []}


def strip_space(text: str) -> str:
    return text.strip(SPACE)


def parse_number(text: str) -> tuple[float | None, Issue[str] | None]:
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


def _text_fixes(inp: InputSpec, found: Issue[str]) -> Issue[Fix]:
    """The issue with its input, and its texts as fixes to that input."""
    return issue(found["code"], input=inp["id"], level=found["level"],
                 fixes=[{"field": inp["id"], "value": v} for v in found["fixes"]])


def read_measurement(inp: InputSpec, raw: Mapping[str, str]) -> tuple[float | None, Issue[Fix] | None]:
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


def chosen_unit(inp: InputSpec, raw: Mapping[str, str]) -> UnitOption:
    """The unit picked for a cell count; the first offered when none (or an unknown one) is given."""
    code = raw.get(inp["id"] + "_unit", "")
    return next((u for u in inp["units"] if u["code"] == code), inp["units"][0])


def _unit_fixes(inp: InputSpec, value: float, unit: UnitOption, *, comfortable: bool) -> list[Fix]:
    """Other units in which the number typed would be a believable count, most believable first."""
    b = inp["bounds"]
    seen = {unit["factor"]}
    ok: list[Fix] = []
    rest: list[Fix] = []
    for other in inp["units"]:
        if other["factor"] in seen:
            continue
        seen.add(other["factor"])
        canonical = value * other["factor"]
        inside_warn = b.get("warn_below", 0) <= canonical <= b.get("warn_above", math.inf)
        inside_reject = b.get("reject_below", 0) <= canonical <= b.get("reject_above", math.inf)
        fix: Fix = {"field": inp["id"] + "_unit", "value": other["code"]}
        if inside_warn:
            ok.append(fix)
        elif inside_reject and not comfortable:
            rest.append(fix)
    return ok + rest


def read_percent(inp: InputSpec, raw: Mapping[str, str]) -> tuple[float | None, Issue[Fix] | None]:
    value, found = parse_number(raw.get(inp["id"], ""))
    if found:
        return None, _text_fixes(inp, found)
    if value is not None and value > 100:
        return None, issue("percent-over-100", input=inp["id"])
    return value, None


def read_days(inp: InputSpec, raw: Mapping[str, str]) -> tuple[float | None, Issue[Fix] | None]:
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


def read_date(inp: InputSpec, raw: Mapping[str, str]) -> tuple[int | None, Issue[Fix] | None]:
    text = strip_space(raw.get(inp["id"], ""))
    if text == "":
        return None, None
    day = parse_date(text)
    return (day, None) if day is not None else (None, issue("bad-date", input=inp["id"]))


def read_yes_no(inp: InputSpec, raw: Mapping[str, str]) -> tuple[str | None, None]:
    answer = raw.get(inp["id"], "")
    return (answer if answer in ("yes", "no") else None), None


# A value read: a number (a date as days since 1970-01-01), or a yes-no input's word.
Reader = Callable[[InputSpec, Mapping[str, str]], tuple[float | str | None, Issue[Fix] | None]]
READERS: dict[InputType, Reader] = {"measurement": read_measurement, "percent": read_percent, "days": read_days,
                                    "date": read_date, "yes-no": read_yes_no}

"""Shared wording: how a number, a quantity, a threshold, a measure or a source's claim reads,
wherever it is shown.

Pure functions from content to plain text; every page, widget and copied note words these
the same way (the browser's formatNumber mirrors format_number).
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

from .citations import INLINE_CITATION
from .model import Fact, Measure
from .quantities import Units

COMPARATOR_SYMBOL = {">": ">", ">=": "≥", "<": "<", "<=": "≤", "range": ""}


def format_number(x: float) -> str:
    """A number as a clinician reads it: up to six significant figures, thousands separated, no
    trailing zeros, never an exponent (round half up on the shortest decimal form)."""
    if not math.isfinite(x):
        return "–"
    magnitude = 0 if x == 0 else math.floor(math.log10(abs(x)))
    digits = min(6, max(0, 5 - magnitude))
    rounded = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def quantity_text(value: float, unit: str, units: Units) -> str:
    """'100 ×10⁹/L', '50,000/µL', '10 days': a unit starting with '/' joins its number."""
    shown = units.display(unit)
    return f"{format_number(value)}{shown}" if shown.startswith("/") else f"{format_number(value)} {shown}"


def _canonical(fact: Fact, units: Units) -> tuple[float, str] | None:
    """(value, unit) of a threshold in its quantity's canonical unit, where it converts."""
    t = fact.required_threshold()
    quantity = units.quantity(t.quantity)
    factor = units.factor(t.quantity, t.unit)
    return (t.value * factor, quantity.canonical_unit) if quantity and factor is not None else None


def threshold_text(fact: Fact, units: Units) -> str:
    """A threshold with its comparator, in its quantity's canonical unit and, where the quantity says,
    a second one in brackets, so that nobody has to convert at the bedside: '> 100 ×10⁹/L (100,000/µL)'."""
    t = fact.required_threshold()
    symbol = COMPARATOR_SYMBOL[t.comparator]
    quantity, canonical = units.quantity(t.quantity), _canonical(fact, units)
    also_in = quantity.also_shown_in if quantity else None
    if canonical and also_in and (also_factor := units.factor(t.quantity, also_in)):
        also = canonical[0] / also_factor
        return f"{symbol} {quantity_text(*canonical, units)} ({quantity_text(also, also_in, units)})"
    return f"{symbol} {quantity_text(t.value, t.unit, units)}"


def short_threshold(fact: Fact, units: Units, unit: bool = True) -> str:
    """A cut-off in a few characters, in its canonical unit: '≤ 10 days', '> 100 ×10⁹/L'; without its
    unit where a heading gives it: '> 100'."""
    t = fact.required_threshold()
    value, shown_unit = _canonical(fact, units) or (t.value, t.unit)
    return f"{COMPARATOR_SYMBOL[t.comparator]} {quantity_text(value, shown_unit, units) if unit else format_number(value)}"


def threshold_in_canonical(fact: Fact, units: Units) -> float:
    """A threshold's value in its quantity's canonical unit (the validator has checked that it converts)."""
    t = fact.required_threshold()
    return units.to_canonical(t.quantity, t.value, t.unit)


def measure_text(m: Measure, units: Units) -> str:
    """The numbers of a measure in one line, as the source gives them."""
    parts = []
    unit = f" {units.display(m.unit)}" if m.unit else ""
    if m.n is not None and m.denominator is not None:
        parts.append(f"{format_number(m.n)} of {m.denominator}")
    elif m.n is not None:
        parts.append(f"n = {format_number(m.n)}")
    if m.reported_percent is not None:
        parts.append(f"{format_number(m.reported_percent)}% as reported")
    if m.percent_low is not None or m.percent_high is not None:
        parts.append(_range(m.comparator, m.percent_low, m.percent_high, "%"))
    if m.value is not None:
        label = f"{m.statistic} " if m.statistic and m.statistic not in ("count", "proportion") else ""
        comparator = f"{m.comparator} " if m.comparator and m.comparator != "range" else ""
        parts.append(f"{label}{comparator}{format_number(m.value)}{unit}")
    if m.low is not None or m.high is not None:
        parts.append(("range " if m.value is not None else "") + _range("range", m.low, m.high, unit))
    return "; ".join(parts)


def _range(comparator, low, high, unit) -> str:
    if low is not None and high is not None:
        return f"{format_number(low)}–{format_number(high)}{unit}"
    value = low if low is not None else high
    return f"{comparator or ''} {format_number(value)}{unit}".strip()


def plain(text: str) -> str:
    """Prose without its citation markers, for link labels, short lists and copied notes."""
    return re.sub(r"\s+([.,;:])", r"\1", INLINE_CITATION.sub("", text)).strip()


def in_population(population: str, source: str) -> str:
    """The words that turn a fact into what one source says about its population, for a reader whose
    context is not known: 'In acute myeloid leukaemia, according to Röllig & Ehninger (2015):'."""
    first, _, rest = population.partition(" ")
    if not first.isupper():  # keep abbreviations such as AML as they are
        first = first[:1].lower() + first[1:]
    return f"In {' '.join(p for p in (first, rest) if p)}, according to {source}:"


def reported_range(fact: Fact, units: Units) -> str:
    """The range of counts a study reported, with what it measured: 'WBC at presentation: 43.7–130.1 K/µL'."""
    m = fact.required_measure()
    unit = f" {units.display(m.unit)}" if m.unit else ""
    return (f"{m.criterion}: " if m.criterion else "") + _range("range", m.low, m.high, unit)


def outside_reported(fact: Fact, units: Units) -> str:
    """A count outside a study's reported range, in words: what the study's findings are not applied to."""
    return (f"Outside the counts this study reported ({reported_range(fact, units)}): its findings are not applied "
            f"to this count.")

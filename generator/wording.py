"""Shared wording: how a threshold, a quantity or a source's claim reads, wherever it is shown.

Pure functions from content to plain text; every page, widget and copied note words these
the same way.
"""

from __future__ import annotations

import re

from .citations import INLINE_CITATION
from .model import Fact
from .units import display, format_number, is_cell_concentration, to_canonical

COMPARATOR_SYMBOL = {">": ">", ">=": "≥", "<": "<", "<=": "≤", "range": ""}


def quantity_text(value: float, unit: str) -> str:
    shown = display(unit)
    return f"{format_number(value)}{shown}" if shown.startswith("/") else f"{format_number(value)} {shown}"


def threshold_text(fact: Fact) -> str:
    """A threshold with its comparator; white counts in ×10⁹/L first, then per µL,
    so that nobody has to convert at the bedside."""
    t = fact.threshold
    symbol = COMPARATOR_SYMBOL[t.comparator]
    if t.quantity == "wbc" and is_cell_concentration(t.unit):
        canonical = to_canonical(t.value, t.unit)
        return f"{symbol} {quantity_text(canonical, '10*9/L')} ({quantity_text(canonical * 1000, '/uL')})"
    return f"{symbol} {quantity_text(t.value, t.unit)}"


def short_threshold(fact: Fact, unit: bool = True) -> str:
    """A cut-off in a few characters: '≤ 10 days', '> 100 ×10⁹/L' (white counts in ×10⁹/L); without its
    unit where a heading gives it: '> 100'."""
    t = fact.threshold
    value, shown_unit = (to_canonical(t.value, t.unit), "10*9/L") if is_cell_concentration(t.unit) else (t.value, t.unit)
    return f"{COMPARATOR_SYMBOL[t.comparator]} {quantity_text(value, shown_unit) if unit else format_number(value)}"


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

"""Units: UCUM spellings in data, one canonical unit per quantity, pretty forms for display."""

from __future__ import annotations

import difflib

CELL_CONCENTRATION = "10*9/L"

# factor that turns a value in this unit into the canonical ×10⁹/L
TO_CANONICAL: dict[str, float] = {
    "10*9/L": 1.0,
    "10*3/uL": 1.0,
    "K/uL": 1.0,
    "/uL": 1e-3,
    "/mm3": 1e-3,
    "10*6/L": 1e-3,
}

DISPLAY: dict[str, str] = {
    "10*9/L": "×10⁹/L",
    "10*3/uL": "×10³/µL",
    "K/uL": "K/µL",
    "/uL": "/µL",
    "/mm3": "/mm³",
    "10*6/L": "×10⁶/L",
    "%": "%",
    "mg": "mg",
    "days": "days",
    "weeks": "weeks",
    "months": "months",
    "years": "years",
}

KNOWN_UNITS = tuple(DISPLAY)


def _plain(unit: str) -> str:
    """A unit reduced to how people type it: 'cells/µL', '×10⁹/L' and 'x10^9/L' all become comparable."""
    text = unit.strip().lower().translate(str.maketrans("µμ³⁹⁶^", "uu396*"))
    for noise in (" ", "cells", "cell"):
        text = text.replace(noise, "")
    return text.replace("percent", "%").lstrip("x×")


def suggest_unit(unit: str) -> str | None:
    """The known unit someone most likely meant by an unknown spelling."""
    plain = _plain(unit)
    for known in KNOWN_UNITS:
        if _plain(known) == plain:
            return known
    close = difflib.get_close_matches(unit, KNOWN_UNITS, n=1, cutoff=0.75)
    return close[0] if close else None


def is_cell_concentration(unit: str) -> bool:
    return unit in TO_CANONICAL


def to_canonical(value: float, unit: str) -> float:
    """Convert a cell concentration to ×10⁹/L. Raises KeyError for other units."""
    return value * TO_CANONICAL[unit]


def from_canonical(value: float, unit: str) -> float:
    return value / TO_CANONICAL[unit]


def display(unit: str) -> str:
    return DISPLAY.get(unit, unit)


def format_number(value: float) -> str:
    """Numbers as a clinician reads them: thousands separated, no trailing .0."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) >= 1 else f"{value:.6g}"

"""The checklist's test cases: a result compared with what a YAML case expects."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ... import advice
from ...validate.cases import shortfall
from .evaluate import ChecklistResult


def compare(expect: Mapping[str, Any], result: ChecklistResult) -> list[str]:
    """Each way the result falls short of what a case expects, in words."""
    wrong = []
    by_mode = advice.facts_by_mode(result["advice"])
    for key, wanted in expect.items():
        got: Any = result.get(key)  # whichever of the result's values the case names
        if key in ("advice", "conditional"):
            got, wanted = sorted(by_mode[key]), sorted(wanted)
        if got != wanted:
            wrong.append(shortfall(key, wanted, got))
    return wrong

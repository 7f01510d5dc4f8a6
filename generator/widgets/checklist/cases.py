"""The checklist's test cases: a result compared with what a YAML case expects."""

from __future__ import annotations

from ... import advice
from ...validate.cases import shortfall


def compare(expect: dict, result: dict) -> list[str]:
    """Each way the result falls short of what a case expects, in words."""
    wrong = []
    by_mode = advice.facts_by_mode(result["advice"])
    for key, wanted in expect.items():
        got = result.get(key)
        if key in ("advice", "conditional"):
            got, wanted = sorted(by_mode[key]), sorted(wanted)
        if got != wanted:
            wrong.append(shortfall(key, wanted, got))
    return wrong

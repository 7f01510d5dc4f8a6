"""The checklist's test cases: a result compared with what a YAML case expects."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ... import advice
from ...validate.cases import shortfall
from .evaluate import ChecklistResult
from .spec import ChecklistSpec
from .summary import short_text, status, summary_text

# The time a case's notes are written at: the words a case names never depend on it.
STAMP = "2026-11-26 03:14"


def compare(expect: Mapping[str, Any], result: ChecklistResult, spec: ChecklistSpec) -> list[str]:
    """Each way the result falls short of what a case expects, in words. `says` and `does_not_say` are read
    in what a clinician reads: the status line and the two copied notes."""
    wrong = []
    by_mode = advice.facts_by_mode(result["advice"])
    texts = {"status": status(spec, result), "short": short_text(spec, result, STAMP),
             "full": summary_text(spec, result, STAMP)}
    for key, wanted in expect.items():
        if key == "says":
            wrong += [f"expected the {_PLACES[place]} to say {phrase!r}, got {texts[place]!r}"
                      for place, phrases in wanted.items() for phrase in phrases if phrase not in texts[place]]
            continue
        if key == "does_not_say":
            wrong += [f"expected the {_PLACES[place]} not to say {phrase!r}, got {text!r}"
                      for phrase in wanted for place, text in texts.items() if phrase in text]
            continue
        got: Any = result.get(key)  # whichever of the result's values the case names
        if key in ("advice", "conditional"):
            got, wanted = sorted(by_mode[key]), sorted(wanted)
        if got != wanted:
            wrong.append(shortfall(key, wanted, got))
    return wrong


_PLACES = {"status": "status line", "short": "short note", "full": "full note"}

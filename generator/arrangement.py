"""How a widget's result arranges the advice it shows: shared by the calculators and the checklist.

Advice (generator/advice.py decides which facts a reader sees, and how) is arranged in three parts,
each listed only when it has lines:

- "to_do": what the sources say to do for this patient: warnings first (do not anticoagulate), then
  management and monitoring;
- "conditional": what each source says about its own patients, where the reader's answers do not yet
  say whether it applies: warnings, then management, then background;
- "background": facts that describe rather than instruct (a definition, a statistic, a distinguishing
  feature), under their own heading, last, so they never lead a red-flag case.

A fact's role comes from its `kind` (model.advice_role), which the editor sets in YAML. The site's
core script, docs/assets/refsite.js (arrangeAdvice), mirrors arrange() and reads the same roles.
Pure functions only: no MkDocs, no HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal, TypedDict

from .advice import ShownAdvice, facts_by_mode
from .content import Content
from .model import ADVICE_ROLES, AdviceRole, advice_role

Part = Literal["to_do", "conditional", "background"]
PARTS: tuple[Part, ...] = ("to_do", "conditional", "background")  # in the order a result shows them


class Arranged(TypedDict):
    """Fact ids in the order a result lists them, by part."""

    to_do: list[str]
    conditional: list[str]
    background: list[str]


def roles_spec(content: Content, fact_ids: Iterable[str]) -> dict[str, AdviceRole]:
    """Each fact's role, for the browser's spec: by its kind."""
    return {f: advice_role(content.facts[f].kind) for f in fact_ids}


def arrange(entries: list[ShownAdvice], roles: Mapping[str, AdviceRole]) -> Arranged:
    """The facts shown (each once, at its most direct mode, as advice.facts_by_mode gives them) in the order a
    result lists them: to do (warnings, then management), what is not yet known to apply, then background.
    Within a role, facts keep the order they were met in."""
    by_mode = facts_by_mode(entries)

    def ranked(ids: list[str]) -> list[str]:
        return sorted(ids, key=lambda f: ADVICE_ROLES.index(roles[f]))  # stable: first met first within a role

    return {"to_do": ranked([f for f in by_mode["advice"] if roles[f] != "background"]),
            "conditional": ranked(by_mode["conditional"]),
            "background": [f for f in by_mode["advice"] if roles[f] == "background"]}

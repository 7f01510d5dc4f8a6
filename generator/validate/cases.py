"""What every widget's checks share: a record's structure is checked before its behaviour, and a
test case that falls short is worded the same way in every widget."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from ..advice import red_flags_of
from ..content import Content
from ..model import UNKNOWN, Advice, Record
from ..problems import Problem
from .advice import red_flag_problems
from .records import fact_resolves

R = TypeVar("R")
Check = Callable[[Content, R], list[Problem]]


def structure_then_behaviour(content: Content, records: Iterable[R], structure: Check, behaviour: Check,
                             facts: Callable[[R], Iterable[str]]) -> list[Problem]:
    """Each record's structural problems; only where there are none and every fact it rests on
    loaded and names only what exists (its sources, units, quantity), its behaviour (its test cases
    through the reference evaluator, which build the record's spec from those facts), so a
    contributor sees the cause rather than its knock-on effects, or a traceback. A fact that failed
    to load or names what does not exist is reported at itself."""
    problems: list[Problem] = []
    red_flags_sound = not red_flag_problems(content)  # every widget raises them: reported once, in contexts
    flag_facts = [f for flag in red_flags_of(content) for f in (flag.needs_count, flag.from_count, *advised(flag.advice))
                  if f]
    for record in records:
        found = structure(content, record)
        if not found and red_flags_sound and all(fact_id in content.facts and fact_resolves(content, content.facts[fact_id])
                                                 for fact_id in [*facts(record), *flag_facts]):
            found = behaviour(content, record)
        problems += found
    return problems


def advised(groups: Iterable[Advice]) -> list[str]:
    """The facts advice rests on: those it shows, and those that gate it by the count."""
    return [f for group in groups for f in [*group.facts, *group.count]]


def shortfall(key: str, wanted: object, got: object) -> str:
    """How a case's expectation and the evaluator's result differ, in words."""
    return f"expected {key} {shown(wanted)}, got {shown(got)}"


def shown(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]" if value else "none"
    if value is None:
        return "none"
    return str(value).lower() if isinstance(value, bool) else str(value)


def context_answer_problems(content: Content, record: Record, path: tuple, question: str,
                            answer: object) -> list[Problem]:
    """A test case's answer to one of the patient's context questions must be one of its options."""
    options = [option.id for option in content.contexts[question].options]
    if answer in options + [UNKNOWN]:
        return []
    return [content.problem(record, *path, message=f"'{answer}' is not an answer to '{question}'",
                            hint="answers: " + ", ".join(options) + " (leave it out for not known)")]

"""Advice gated by the reader's context: shared by the calculators and the checklist.

A reader's context is their answers to the questions in content/contexts/ (the underlying
condition, leukostasis symptoms), read from the page address; a question not answered is
"not known". Each piece of advice names the answers it is shown for (`contexts`), and
`mode` decides how it is shown:

- "advice": every question it names is answered with one of its answers: shown as it is;
- "conditional": no answer rules it out, but some question it names is not known: shown only
  as what its source says about its population ("In <population>, according to <source>: …"),
  never as an instruction;
- "hidden": an answer rules it out.

The site's core script, docs/assets/refsite.js, mirrors these functions for both widgets' scripts
and reads the same spec; the YAML cases run in both. Pure functions only: no MkDocs, no HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, TypedDict

from .content import Content
from .model import UNKNOWN, Advice, ContextQuestion, Severity, SeverityRule

Mode = Literal["advice", "conditional", "hidden"]
MODES: tuple[Mode, ...] = ("advice", "conditional", "hidden")

# ---------------------------------------------------------------- the browser's spec
#
# The JSON the widgets' specs carry for context and advice, and what showing advice gives, as types:
# a key renamed on one side fails the type check (make typecheck), not a reader.

ContextsSpec = dict[str, list[str]]
"""Answers by question id: {condition: [leukaemia]}; {} is every reader."""


class OptionSpec(TypedDict):
    id: str
    label: str


class QuestionSpec(TypedDict):
    """A context question as the forms ask it and the evaluators read its answer."""

    id: str
    label: str
    hint: str | None
    unknown_label: str
    options: list[OptionSpec]


class AdviceSpec(TypedDict):
    """A group of facts shown as advice for these answers."""

    facts: list[str]
    contexts: ContextsSpec


class SeverityRuleSpec(TypedDict):
    contexts: ContextsSpec
    severity: Severity


# An advice group as a result shows it: where it comes from (a band, a check, a flag or a red flag), how.
ShownAdvice = TypedDict("ShownAdvice", {"from": str, "facts": list[str], "mode": Mode})


def context_questions(content: Content) -> list[ContextQuestion]:
    """The questions in the order they are asked."""
    return sorted(content.contexts.values(), key=lambda q: (q.order, q.id))


def contexts_spec(content: Content) -> list[QuestionSpec]:
    """The questions as JSON-able data, for the evaluators and the forms."""
    return [{"id": q.id, "label": q.label, "hint": q.hint, "unknown_label": q.unknown_label,
             "options": [{"id": o.id, "label": o.label} for o in q.options]}
            for q in context_questions(content)]


def advice_spec(groups: list[Advice]) -> list[AdviceSpec]:
    return [{"facts": list(g.facts), "contexts": {q: list(a) for q, a in g.contexts.items()}} for g in groups]


def severity_rules_spec(rules: list[SeverityRule]) -> list[SeverityRuleSpec]:
    return [{"contexts": {q: list(a) for q, a in r.contexts.items()}, "severity": r.severity} for r in rules]


def read_context(questions: list[QuestionSpec], raw: Mapping[str, str]) -> dict[str, str]:
    """Each question's answer; "unknown" when it is missing or not one of its options."""
    answers = {}
    for question in questions:
        given = raw.get(question["id"], "")
        answers[question["id"]] = given if any(o["id"] == given for o in question["options"]) else UNKNOWN
    return answers


def mode(contexts: Mapping[str, list[str]], reader: Mapping[str, str]) -> Mode:
    """How advice for these answers is shown to this reader (see the module's docstring)."""
    conditional = False
    for question, answers in contexts.items():
        given = reader.get(question, UNKNOWN)
        if given == UNKNOWN:
            conditional = True
        elif given not in answers:
            return "hidden"
    return "conditional" if conditional else "advice"


def matches(contexts: Mapping[str, list[str]], reader: Mapping[str, str]) -> bool:
    """Whether the reader's answers are among these (a severity rule may name "unknown")."""
    return all(reader.get(question, UNKNOWN) in answers for question, answers in contexts.items())


def severity(default: Severity, rules: list[SeverityRuleSpec], reader: Mapping[str, str]) -> Severity:
    """The first rule the reader's answers match gives the severity; otherwise the default."""
    return next((r["severity"] for r in rules if matches(r["contexts"], reader)), default)


def shown(groups: list[AdviceSpec], reader: Mapping[str, str], origin: str) -> list[ShownAdvice]:
    """Each advice group with its mode for this reader, and where it comes from (a band or a check)."""
    return [{"from": origin, "facts": g["facts"], "mode": mode(g["contexts"], reader)} for g in groups]


def facts_by_mode(entries: list[ShownAdvice]) -> dict[str, list[str]]:
    """Fact ids by how they are shown, each once, at its most direct mode (advice before conditional),
    in the order first met."""
    found: dict[str, str] = {}
    for entry in entries:
        for fact in entry["facts"]:
            if fact not in found or MODES.index(entry["mode"]) < MODES.index(found[fact]):
                found[fact] = entry["mode"]
    return {m: [f for f, fm in found.items() if fm == m] for m in MODES}

"""Advice gated by the reader's context: shared by the calculators and the checklist.

A reader's context is their answers to the questions in content/contexts/ (the underlying
condition, leukostasis symptoms), read from the page address; a question not answered is
"not known". Each piece of advice names the answers it is shown for (`contexts`), and
`mode` decides how it is shown:

- "advice": every question it names is answered with one of its answers: shown as it is;
- "conditional": no answer rules it out, but some question it names is not known (or the count is not
  given, or the answer is one it is only quoted for, `quoted_for`): shown only as what its source says
  about its population ("In <population>, according to <source>: …"), never as an instruction;
- "outside": the count lies outside the range of counts a study it rests on reported: the page says so
  instead of showing it;
- "hidden": an answer rules it out, or the count does not meet a threshold it needs.

Advice may also name facts the count must fit (`count`): a threshold fact the count must meet, or a
fact that reports a range of counts. With no count, it reads as conditional.

Red flags are context answers too (`red_flag` on an answer in content/contexts/): `raised` decides,
from the answers and the count, which are raised, the same way for every widget, so the calculator and
the checklist agree on the red flags and on what their sources say to do.

The site's core script, docs/assets/refsite.js, mirrors these functions for both widgets' scripts
and reads the same spec; the YAML cases run in both. Pure functions only: no MkDocs, no HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Literal, TypedDict

from .content import Content
from .inputs import meets
from .model import UNKNOWN, Advice, ContextQuestion, Fact, RedFlag, Severity, SeverityRule
from .quantities import Units, units
from .wording import threshold_in_canonical

Mode = Literal["advice", "conditional", "outside", "hidden"]
MODES: tuple[Mode, ...] = ("advice", "conditional", "outside", "hidden")

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


class CountGateSpec(TypedDict):
    """A fact the count must fit, in its quantity's canonical unit: a threshold (comparator and value), or a
    range a study reported (low and high)."""

    fact: str
    quantity: str
    comparator: str | None
    value: float | None
    low: float | None
    high: float | None


class AdviceSpec(TypedDict):
    """A group of facts shown as advice for these answers (and counts)."""

    facts: list[str]
    contexts: ContextsSpec
    quoted_for: ContextsSpec  # answers it reads for only as what its source says about its population
    count: list[CountGateSpec]


class RedFlagSpec(TypedDict):
    """A context answer that is a red flag: raised by that answer, at the counts its gates allow."""

    id: str
    label: str
    question: str
    answer: str
    needs_count: CountGateSpec | None  # raised only with a count that meets it
    from_count: CountGateSpec | None  # raised unless the count is known and does not meet it
    advice: list[AdviceSpec]


class SeverityRuleSpec(TypedDict):
    contexts: ContextsSpec
    severity: Severity


# An advice group as a result shows it: where it comes from (a band, a check, a flag or a red flag), how, and
# (mode "outside") the facts whose reported counts the count lies outside.
ShownAdvice = TypedDict("ShownAdvice", {"from": str, "facts": list[str], "mode": Mode, "outside": list[str]})


def context_questions(content: Content) -> list[ContextQuestion]:
    """The questions in the order they are asked."""
    return sorted(content.contexts.values(), key=lambda q: (q.order, q.id))


def contexts_spec(content: Content) -> list[QuestionSpec]:
    """The questions as JSON-able data, for the evaluators and the forms."""
    return [{"id": q.id, "label": q.label, "hint": q.hint, "unknown_label": q.unknown_label,
             "options": [{"id": o.id, "label": o.label} for o in q.options]}
            for q in context_questions(content)]


def advice_spec(groups: list[Advice], content: Content) -> list[AdviceSpec]:
    return [{"facts": list(g.facts), "contexts": {q: list(a) for q, a in g.contexts.items()},
             "quoted_for": {q: list(a) for q, a in g.quoted_for.items()}, "count": [count_gate_spec(content.facts[f], units(content)) for f in g.count]} for g in groups]


def count_gate_spec(fact: Fact, registry: Units) -> CountGateSpec:
    """A threshold fact, or a fact reporting a range of counts, as the evaluators compare a count with it."""
    if fact.threshold is not None:
        t = fact.threshold
        return {"fact": fact.id, "quantity": t.quantity, "comparator": t.comparator,
                "value": threshold_in_canonical(fact, registry), "low": None, "high": None}
    m = fact.required_measure()
    quantity = reported_quantity(fact, registry)
    if quantity is None or m.low is None or m.high is None or m.unit is None:
        raise ValueError(f"fact '{fact.id}' reports no range of counts")  # validation refuses such a gate
    return {"fact": fact.id, "quantity": quantity, "comparator": None, "value": None,
            "low": registry.to_canonical(quantity, m.low, m.unit), "high": registry.to_canonical(quantity, m.high, m.unit)}


def reported_quantity(fact: Fact, registry: Units) -> str | None:
    """The quantity a fact's reported range (low to high, in a converting unit) is of; None if it reports none."""
    m = fact.measure
    if fact.threshold is not None or m is None or m.low is None or m.high is None or m.unit is None:
        return None
    return next((q for q in registry.quantities if registry.factor(q, m.unit) is not None), None)


def red_flags_spec(content: Content) -> list[RedFlagSpec]:
    """Every answer that is a red flag, in the order the questions are asked."""
    registry = units(content)

    def gate(fact_id: str | None) -> CountGateSpec | None:
        return count_gate_spec(content.facts[fact_id], registry) if fact_id else None

    return [{"id": flag.id, "label": flag.label, "question": q.id, "answer": o.id,
             "needs_count": gate(flag.needs_count), "from_count": gate(flag.from_count),
             "advice": advice_spec(flag.advice, content)}
            for q in context_questions(content) for o in q.options if (flag := o.red_flag) is not None]


def red_flags_of(content: Content) -> list[RedFlag]:
    return [o.red_flag for q in context_questions(content) for o in q.options if o.red_flag is not None]


def severity_rules_spec(rules: list[SeverityRule]) -> list[SeverityRuleSpec]:
    return [{"contexts": {q: list(a) for q, a in r.contexts.items()}, "severity": r.severity} for r in rules]


def read_context(questions: list[QuestionSpec], raw: Mapping[str, str]) -> dict[str, str]:
    """Each question's answer; "unknown" when it is missing or not one of its options."""
    answers = {}
    for question in questions:
        given = raw.get(question["id"], "")
        answers[question["id"]] = given if any(o["id"] == given for o in question["options"]) else UNKNOWN
    return answers


Counts = Mapping[str, float]
"""The counts known, by quantity, in canonical units."""
NO_COUNT: Counts = MappingProxyType({})
NO_ANSWERS: Mapping[str, list[str]] = MappingProxyType({})

GateState = Literal["fits", "unknown", "below", "outside"]


def gate_state(gate: CountGateSpec, counts: Counts) -> GateState:
    """How the count fits one gate: "below" a threshold it does not meet, "outside" a reported range."""
    value = counts.get(gate["quantity"])
    if value is None:
        return "unknown"
    if gate["comparator"] is not None and gate["value"] is not None:
        return "fits" if meets(value, gate["comparator"], gate["value"]) else "below"
    low, high = gate["low"], gate["high"]
    return "fits" if low is not None and high is not None and meets(value, ">=", low) and meets(value, "<=", high) \
        else "outside"


def mode(contexts: Mapping[str, list[str]], reader: Mapping[str, str], gates: Sequence[CountGateSpec] = (),
         counts: Counts = NO_COUNT, quoted: Mapping[str, list[str]] = NO_ANSWERS) -> Mode:
    """How advice for these answers (and counts) is shown to this reader (see the module's docstring); `quoted`:
    answers it reads for only as what its source says."""
    conditional = False
    for question, answers in contexts.items():
        given = reader.get(question, UNKNOWN)
        if given == UNKNOWN or given in quoted.get(question, ()):
            conditional = True
        elif given not in answers:
            return "hidden"
    states = [gate_state(g, counts) for g in gates]
    if "below" in states:
        return "hidden"
    if "outside" in states:
        return "outside"
    return "conditional" if conditional or "unknown" in states else "advice"


def outside_of(gates: Sequence[CountGateSpec], counts: Counts) -> list[str]:
    """The facts whose reported counts the count lies outside."""
    return [g["fact"] for g in gates if gate_state(g, counts) == "outside"]


def raised(flags: list[RedFlagSpec], reader: Mapping[str, str], counts: Counts) -> list[str]:
    """The red flags this reader's answers and count raise, in the order declared."""
    def count_allows(flag: RedFlagSpec) -> bool:
        needs, start = flag["needs_count"], flag["from_count"]
        return (needs is None or gate_state(needs, counts) == "fits") \
            and (start is None or gate_state(start, counts) != "below")
    return [f["id"] for f in flags if reader.get(f["question"]) == f["answer"] and count_allows(f)]


def red_flag_advice(flags: list[RedFlagSpec], ids: list[str], reader: Mapping[str, str],
                    counts: Counts) -> list[ShownAdvice]:
    """What the sources say to do about each raised red flag, for this reader."""
    return [entry for f in flags if f["id"] in ids for entry in shown(f["advice"], reader, f["id"], counts)]


def matches(contexts: Mapping[str, list[str]], reader: Mapping[str, str]) -> bool:
    """Whether the reader's answers are among these (a severity rule may name "unknown")."""
    return all(reader.get(question, UNKNOWN) in answers for question, answers in contexts.items())


def severity(default: Severity, rules: list[SeverityRuleSpec], reader: Mapping[str, str]) -> Severity:
    """The first rule the reader's answers match gives the severity; otherwise the default."""
    return next((r["severity"] for r in rules if matches(r["contexts"], reader)), default)


def shown(groups: list[AdviceSpec], reader: Mapping[str, str], origin: str, counts: Counts = NO_COUNT) -> list[ShownAdvice]:
    """Each advice group with its mode for this reader and count, and where it comes from (a band or a check)."""
    return [{"from": origin, "facts": g["facts"], "mode": mode(g["contexts"], reader, g["count"], counts, g["quoted_for"]),
             "outside": outside_of(g["count"], counts)} for g in groups]


def facts_by_mode(entries: list[ShownAdvice]) -> dict[str, list[str]]:
    """Fact ids by how they are shown, each once, at its most direct mode (advice before conditional),
    in the order first met."""
    found: dict[str, str] = {}
    for entry in entries:
        for fact in entry["facts"]:
            if fact not in found or MODES.index(entry["mode"]) < MODES.index(found[fact]):
                found[fact] = entry["mode"]
    return {m: [f for f, fm in found.items() if fm == m] for m in MODES}

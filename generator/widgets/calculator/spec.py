"""The calculator's spec: a Calculator record and the facts it rests on, as the plain JSON-able data
the evaluators read (every number in its quantity's canonical unit). evaluate.py here and the
browser's calculator.js evaluate exactly this data; keep the two in step (the test cases run in both).

Pure functions only: no MkDocs, no HTML.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from ... import advice
from ...advice import AdviceSpec, ContextsSpec, QuestionSpec, RedFlagSpec, SeverityRuleSpec
from ...arrangement import roles_spec
from ...content import Content
from ...inputs import MESSAGES, NOUNS, Cutoff, InputSpec, InputText, close, input_spec, upper_side_includes_value
from ...model import Advice, AdviceRole, Calculator, Fact, Severity
from ...quantities import Units, units
from ...wording import threshold_in_canonical


# ---------------------------------------------------------------- the spec's types
#
# A key renamed here, in evaluate.py or in a renderer fails the type check (make typecheck), not a reader;
# calculator.js reads the same keys.


class CheckedThreshold(Cutoff):
    """A threshold fact a value is checked against."""

    fact: str
    quantity: str
    ambiguous_at_value: bool  # the source is unclear which side a value exactly at it falls, or sources disagree


class CheckSpec(CheckedThreshold):
    advice: list[AdviceSpec]  # shown when the value meets the threshold


class BoundSpec(Cutoff):
    """Where a band starts or ends: a threshold fact's comparator and value."""

    fact: str


class BandSpec(TypedDict):
    id: str
    label: str
    short_label: str
    severity: Severity
    severity_by_context: list[SeverityRuleSpec]
    advice: list[AdviceSpec]
    lower: BoundSpec | None  # none for the first band
    upper: BoundSpec | None  # none for the last band


class ScaleSpec(TypedDict):
    input: str
    quantity: str | None
    bands: list[BandSpec]


class FlagMessageSpec(TypedDict):
    contexts: ContextsSpec
    message: str


class FlagSpec(TypedDict):
    id: str
    input: str
    equals: Literal["yes", "no"]
    severity: Severity
    message: str  # when no rule under message_by_context matches the reader's answers
    message_by_context: list[FlagMessageSpec]
    advice: list[AdviceSpec]


class CalculatorSpec(TypedDict):
    """Everything both evaluators read of one calculator."""

    id: str
    inputs: list[InputSpec]
    contexts: list[QuestionSpec]
    checks: list[CheckSpec]
    scale: ScaleSpec | None
    flags: list[FlagSpec]
    roles: dict[str, AdviceRole]  # each advice fact's place in a result: a warning, management or background
    red_flags: list[RedFlagSpec]  # the context's red flags its count bears on (generator/advice.py)
    text: InputText


def calculator_facts(calc: Calculator) -> list[str]:
    """Every fact a calculator's page rests on: the thresholds it checks or bounds its bands by,
    and the facts it shows for a result, a band or a flag."""
    ids = [check.fact for check in calc.checks] + advice_facts(calc)
    for band in calc.scale.bands if calc.scale else []:
        ids += [f for f in (band.lower, band.upper) if f]
    return list(dict.fromkeys(ids))


def advice_groups(calc: Calculator) -> list[Advice]:
    """Every advice group a result can show: the bands', the checks' and the flags', in the order a reader
    meets them."""
    return ([g for band in (calc.scale.bands if calc.scale else []) for g in band.facts]
            + [g for check in calc.checks for g in check.when_met] + [g for flag in calc.flags for g in flag.facts])


def advice_facts(calc: Calculator) -> list[str]:
    """Every fact a result can show as advice, once each, in the order a reader meets them."""
    return list(dict.fromkeys(f for group in advice_groups(calc) for f in group.facts))


def spec_advice_groups(spec: CalculatorSpec) -> list[AdviceSpec]:
    """Every advice group a result can show, in the order a reader meets them: the red flags', the bands', the
    checks' and the flags'."""
    return ([g for f in spec["red_flags"] for g in f["advice"]]
            + [g for band in (spec["scale"]["bands"] if spec["scale"] else []) for g in band["advice"]]
            + [g for check in spec["checks"] for g in check["advice"]] + [g for f in spec["flags"] for g in f["advice"]])


def calculator_spec(calc: Calculator, content: Content) -> CalculatorSpec:
    """Everything the evaluator needs, as JSON-able data (numbers in canonical units)."""
    bounds_facts = [content.facts[b] for band in (calc.scale.bands if calc.scale else [])
                    for b in (band.lower, band.upper) if b]
    check_facts = [content.facts[c.fact] for c in calc.checks]
    registry = units(content)
    red_flags = _red_flags(calc, content)
    # Every fact a result can show, the red flags' too: by its kind, what to do or background.
    shown = dict.fromkeys([f for flag in red_flags for g in flag["advice"] for f in g["facts"]] + advice_facts(calc))
    return {
        "id": calc.id,
        "inputs": [input_spec(i, registry) for i in calc.inputs],
        "contexts": advice.contexts_spec(content),
        "checks": [{**_check_spec(f, check_facts + bounds_facts, registry), "advice": advice.advice_spec(c.when_met, content)}
                   for f, c in zip(check_facts, calc.checks)],
        "scale": _scale_spec(calc, content),
        "flags": [{"id": f.id, "input": f.input, "equals": f.equals, "severity": f.severity, "message": f.message,
                   "message_by_context": [{"contexts": {q: list(a) for q, a in m.contexts.items()}, "message": m.message}
                                          for m in f.message_by_context],
                   "advice": advice.advice_spec(f.facts, content)} for f in calc.flags],
        "red_flags": red_flags,
        "roles": roles_spec(content, shown),
        "text": {"messages": MESSAGES, "nouns": NOUNS},
    }


def _red_flags(calc: Calculator, content: Content) -> list[RedFlagSpec]:
    """The red flags whose counts this calculator's scale measures: a calculator of another quantity (days since a
    dose) raises none, as it cannot tell the count they need."""
    scale = _scale_spec(calc, content)
    quantity = scale["quantity"] if scale else None

    def gates(flag: RedFlagSpec) -> list[advice.CountGateSpec]:
        return [g for g in (flag["needs_count"], flag["from_count"]) if g is not None]
    return [f for f in advice.red_flags_spec(content) if gates(f) and all(g["quantity"] == quantity for g in gates(f))]


def _check_spec(fact: Fact, all_bounds: list[Fact], registry: Units) -> CheckedThreshold:
    value = threshold_in_canonical(fact, registry)
    t = fact.required_threshold()
    side = upper_side_includes_value(t.comparator)
    disagree = any(close(threshold_in_canonical(other, registry), value)
                   and other.required_threshold().quantity == t.quantity
                   and upper_side_includes_value(other.required_threshold().comparator) != side for other in all_bounds)
    return {"fact": fact.id, "quantity": t.quantity, "comparator": t.comparator,
            "value": value, "ambiguous_at_value": bool(t.boundary_note) or disagree}


def _bound(fact_id: str | None, content: Content) -> BoundSpec | None:
    if fact_id is None:
        return None
    fact = content.facts[fact_id]
    return {"fact": fact_id, "comparator": fact.required_threshold().comparator,
            "value": threshold_in_canonical(fact, units(content))}


def _scale_spec(calc: Calculator, content: Content) -> ScaleSpec | None:
    if calc.scale is None:
        return None
    inp = next(i for i in calc.inputs if i.id == calc.scale.input)
    return {"input": inp.id, "quantity": inp.quantity,
            "bands": [{"id": b.id, "label": b.label, "short_label": b.short_label, "severity": b.severity,
                       "severity_by_context": advice.severity_rules_spec(b.severity_by_context),
                       "advice": advice.advice_spec(b.facts, content),
                       "lower": _bound(b.lower, content), "upper": _bound(b.upper, content)}
                      for b in calc.scale.bands]}

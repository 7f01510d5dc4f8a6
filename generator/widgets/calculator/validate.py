"""Checks on calculators: references resolve to threshold facts of the right
quantity, bands cover every value once, and every test case passes.

Structure is checked first; the reference evaluator runs (band sweep and test
cases) only on a calculator whose structure is sound, so a contributor sees
the cause rather than its knock-on effects.
"""

from __future__ import annotations

import re

from ...content import Content
from ...advice import context_questions, severity, severity_rules_spec
from ...model import SEVERITY_ORDER, UNKNOWN, Calculator, Severity
from ...problems import Problem
from ...quantities import units
from ...validate.advice import advice_problems, contexts_problems
from ...validate.cases import advised, context_answer_problems, structure_then_behaviour
from ...validate.inputs import input_problems
from .cases import case_inputs, compare
from .evaluate import bands_containing, evaluate, summarize
from .spec import CalculatorSpec, advice_groups, calculator_facts, calculator_spec


DIGIT = re.compile(r"[0-9]")


def check_calculators(content: Content) -> list[Problem]:
    return structure_then_behaviour(content, content.calculators.values(), _structure, _behaviour, _fact_ids)


def _fact_ids(calc: Calculator) -> list[str]:
    """Every fact the evaluator reads: the page's, and those that gate its advice by the count."""
    return calculator_facts(calc) + advised(advice_groups(calc))


def _structure(content: Content, calc: Calculator) -> list[Problem]:
    return (_inputs(content, calc) + _checks(content, calc) + _scale(content, calc) + _severity_never_falls(content, calc)
            + _flags(content, calc)
            + _no_digits(content, calc) + _cases(content, calc))


def _problem(content: Content, calc: Calculator, *path, message: str, hint: str = "") -> Problem:
    return content.problem(calc, *path, message=message, hint=hint)


def _inputs(content: Content, calc: Calculator) -> list[Problem]:
    problems, seen = [], set()
    by_id = {i.id: i for i in calc.inputs}
    for n, inp in enumerate(calc.inputs):
        if inp.id in seen:
            problems.append(_problem(content, calc, "inputs", n, "id", message=f"two inputs are called '{inp.id}'",
                                     hint="give each input its own id"))
        seen.add(inp.id)
        problems += input_problems(content, calc, ("inputs", n), inp, by_id)
    return problems


def _threshold_problems(content: Content, calc: Calculator, path: tuple, fact_id: str,
                        quantities: set) -> list[Problem]:
    """A reference that must be a threshold fact about one of the calculator's quantities."""
    if fact_id not in content.facts:
        return content.unknown(calc, path, "facts", fact_id)
    t = content.facts[fact_id].threshold
    if t is None:
        return [_problem(content, calc, *path, message=f"fact '{fact_id}' has no threshold block",
                         hint="give the fact a 'threshold:' with quantity, comparator, value and unit")]
    if t.quantity not in quantities:
        return [_problem(content, calc, *path, message=f"fact '{fact_id}' is a threshold for {t.quantity}, "
                         f"but no input here gives {t.quantity}", hint="pick a fact about an input's quantity")]
    if t.comparator == "range":
        return [_problem(content, calc, *path, message=f"fact '{fact_id}' is a range, not a cut-off",
                         hint="a calculator needs >, >=, < or <=")]
    if units(content).factor(t.quantity, t.unit) is None:
        return [_problem(content, calc, *path, message=f"fact '{fact_id}': unit '{t.unit}' does not fit {t.quantity}")]
    return []


def _shown_by(calc: Calculator) -> str:
    return f"calculator '{calc.id}'"


def _quantities(calc: Calculator) -> set:
    return {i.quantity for i in calc.inputs if i.quantity}


def _checks(content: Content, calc: Calculator) -> list[Problem]:
    problems, seen = [], set()
    for n, check in enumerate(calc.checks):
        if check.fact in seen:
            problems.append(_problem(content, calc, "checks", n, "fact", message=f"'{check.fact}' is checked twice"))
        seen.add(check.fact)
        problems += _threshold_problems(content, calc, ("checks", n, "fact"), check.fact, _quantities(calc))
        problems += advice_problems(content, calc, ("checks", n, "when_met"), check.when_met, _shown_by(calc))
    return problems


def _scale(content: Content, calc: Calculator) -> list[Problem]:
    if calc.scale is None:
        return []
    inp = next((i for i in calc.inputs if i.id == calc.scale.input), None)
    if inp is None or inp.quantity is None:
        return [_problem(content, calc, "scale", "input", message=f"'{calc.scale.input}' is not a numeric input here")]
    problems, bands = [], calc.scale.bands
    for n, band in enumerate(bands):
        at = ("scale", "bands", n)
        for end in ("lower", "upper"):
            fact_id = getattr(band, end)
            expected = not ((end == "lower" and n == 0) or (end == "upper" and n == len(bands) - 1))
            if (fact_id is not None) != expected:
                where = "first" if n == 0 else "last" if n == len(bands) - 1 else "middle"
                needs = f"needs a '{end}'" if expected else f"must not have a '{end}': it runs on without end"
                problems.append(_problem(content, calc, *at, *((end,) if fact_id else ()), message=f"the {where} band {needs}",
                                         hint="bands run from lowest to highest and cover every value once"))
            elif fact_id is not None:
                problems += _threshold_problems(content, calc, at + (end,), fact_id, {inp.quantity})
        problems += advice_problems(content, calc, at + ("facts",), band.facts, _shown_by(calc))
        for r, rule in enumerate(band.severity_by_context):
            problems += contexts_problems(content, calc, at + ("severity_by_context", r, "contexts"), rule.contexts,
                                          allow_unknown=True)
    if [b.id for b in bands] != list(dict.fromkeys(b.id for b in bands)):
        problems.append(_problem(content, calc, "scale", "bands", message="two bands share an id"))
    return problems


def _every_context(content: Content) -> list[dict[str, str]]:
    """Every combination of answers to the context questions, "not known" included."""
    combos: list[dict[str, str]] = [{}]
    for question in context_questions(content):
        combos = [{**c, question.id: answer} for c in combos for answer in [UNKNOWN, *(o.id for o in question.options)]]
    return combos


def _severity_never_falls(content: Content, calc: Calculator) -> list[Problem]:
    """A higher count never reads as less severe than a lower one, for any patient: a badge that fell from
    Warning to Caution above 100 ×10⁹/L in a solid tumour told a reader the higher count was the safer one."""
    if calc.scale is None or not calc.scale.severity_rises:
        return []
    rules = [(b.severity, severity_rules_spec(b.severity_by_context)) for b in calc.scale.bands]
    falls: dict[int, list[tuple[dict[str, str], Severity, Severity]]] = {}
    for reader in _every_context(content):
        levels = [severity(default, band_rules, reader) for default, band_rules in rules]
        for n in range(1, len(levels)):
            if SEVERITY_ORDER.index(levels[n]) < SEVERITY_ORDER.index(levels[n - 1]):
                falls.setdefault(n, []).append((reader, levels[n], levels[n - 1]))
    problems = []
    for n, found in falls.items():  # one problem per band, naming its first context and how many more
        reader, level, below = found[0]
        given = ", ".join(f"{q}: {a}" for q, a in reader.items())
        more = f" (and {len(found) - 1} more contexts)" if len(found) > 1 else ""
        problems.append(_problem(
            content, calc, "scale", "bands", n, "severity",
            message=f"band '{calc.scale.bands[n].id}' is '{level}' for a patient with {given}{more}, less severe than "
                    f"'{below}' in the band below it",
            hint="raise this band's severity (or add a severity_by_context rule) so it never falls as the count rises"))
    return problems


def _flags(content: Content, calc: Calculator) -> list[Problem]:
    problems = []
    kinds = {i.id: i.type for i in calc.inputs}
    for n, flag in enumerate(calc.flags):
        if kinds.get(flag.input) != "yes-no":
            problems.append(_problem(content, calc, "flags", n, "input",
                                     message=f"'{flag.input}' is not a yes-no input of this calculator"))
        problems += advice_problems(content, calc, ("flags", n, "facts"), flag.facts, _shown_by(calc))
        for r, rule in enumerate(flag.message_by_context):
            problems += contexts_problems(content, calc, ("flags", n, "message_by_context", r, "contexts"),
                                          rule.contexts, allow_unknown=True)
    return problems


def _no_digits(content: Content, calc: Calculator) -> list[Problem]:
    """Numbers reach the reader from facts only: words written in a calculator carry none."""
    texts: list[tuple[tuple[str | int, ...], str | None]] = [(("title",), calc.title), (("summary",), calc.summary)]
    texts += [(("inputs", n, key), getattr(i, key)) for n, i in enumerate(calc.inputs) for key in ("label", "hint")]
    if calc.scale:
        texts += [(("scale", "bands", n, key), getattr(b, key)) for n, b in enumerate(calc.scale.bands)
                  for key in ("label", "short_label")]
    texts += [(("flags", n, "message"), f.message) for n, f in enumerate(calc.flags)]
    texts += [(("flags", n, "message_by_context", r, "message"), m.message) for n, f in enumerate(calc.flags)
              for r, m in enumerate(f.message_by_context)]
    return [_problem(content, calc, *path, message="numbers in a calculator's own words are not allowed",
                     hint="a number shown to readers must come from a fact: reference the fact instead")
            for path, text in texts if text and DIGIT.search(text)]


def _cases(content: Content, calc: Calculator) -> list[Problem]:
    problems = []
    inputs = {i.id: i for i in calc.inputs}
    check_ids = {c.fact for c in calc.checks}
    band_ids = {b.id for b in calc.scale.bands} if calc.scale else set()
    for n, case in enumerate(calc.cases):
        at = ("cases", n)
        for key, value in case.inputs.items():
            base = key.removesuffix("_unit")
            if key in content.contexts and key not in inputs:
                problems += context_answer_problems(content, calc, (*at, "inputs", key), key, value)
            elif key not in inputs and not (key.endswith("_unit") and getattr(inputs.get(base), "type", "") == "measurement"):
                problems.append(_problem(content, calc, *at, "inputs", message=f"case input '{key}' is not a field here",
                                         hint="use an input id, or '<id>_unit' for a measurement unit"))
            elif key.endswith("_unit") and key not in inputs and value not in inputs[base].units:
                problems.append(_problem(content, calc, *at, "inputs", key,
                                         message=f"'{value}' is not one of the units this input offers"))
        e = case.expect
        wanted = [("met", f) for f in e.met or []] + [("boundary", f) for f in e.boundary or []]
        problems += [_problem(content, calc, *at, "expect", key, message=f"'{f}' is not one of this calculator's checks")
                     for key, f in wanted if f not in check_ids]
        if e.band and e.band not in band_ids:
            problems.append(_problem(content, calc, *at, "expect", "band", message=f"no band is called '{e.band}'"))
        problems += [_problem(content, calc, *at, "expect", "flags", message=f"no flag is called '{f}'")
                     for f in e.flags or [] if f not in {fl.id for fl in calc.flags}]
    return problems


def _behaviour(content: Content, calc: Calculator) -> list[Problem]:
    """Run the reference evaluator: the bands must place every value in exactly one band, and every case must pass."""
    spec = calculator_spec(calc, content)
    problems = _band_sweep(content, calc, spec)
    for n, case in enumerate(calc.cases):
        wrong = compare(case.expect.model_dump(exclude_none=True), summarize(evaluate(spec, case_inputs(case.inputs))))
        if wrong:
            problems.append(_problem(content, calc, "cases", n, "expect", message=f"case '{case.name}': " + "; ".join(wrong),
                                     hint="correct the expectation, or the facts and bands it depends on"))
    return problems


def _band_sweep(content: Content, calc: Calculator, spec: CalculatorSpec) -> list[Problem]:
    scale = spec["scale"]
    if scale is None:
        return []
    edges = sorted({bound["value"] for b in scale["bands"] for bound in (b["lower"], b["upper"]) if bound})
    points = [edges[0] / 2, edges[-1] * 2] + edges + [e * (1 + s * 1e-6) for e in edges for s in (-1, 1)]
    points += [(a + b) / 2 for a, b in zip(edges, edges[1:])]
    problems = []
    for value in sorted(set(points)):
        found = bands_containing(scale, value)
        if len(found) != 1:
            what = "no band covers" if not found else f"bands {' and '.join(found)} overlap at"
            problems.append(_problem(content, calc, "scale", "bands", message=f"{what} {value:g} (canonical units)",
                                     hint="each band should start exactly where the one below it ends"))
    lows = [lower["value"] for b in scale["bands"] if (lower := b["lower"])]
    if lows != sorted(lows):
        problems.append(_problem(content, calc, "scale", "bands", message="bands are not in order from lowest to highest"))
    return problems

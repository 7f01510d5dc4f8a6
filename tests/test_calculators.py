"""Calculators in Python: the YAML cases and generated boundary cases, properties of
the reference evaluator, validation located at file:line, and the rendered page."""

from __future__ import annotations

import json
import math
import re
import shutil
import itertools
import typing
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.inputs import MESSAGES, parse_number
from generator.model import SEVERITY_ORDER, ErrorCode, WarningCode
from generator.pipeline import check, checked_content
from generator.render.kit import json_for_html
from generator.render.kit import widget_data as kit_widget_data
from generator.widgets.calculator.cases import boundary_cases, case_inputs, compare
from generator.widgets.calculator.evaluate import evaluate, summarize
from generator.widgets.calculator.spec import calculator_spec, spec_advice_groups
from generator.wording import format_number
from tests.conftest import REAL_CONTENT, ROOT, WIDGET_DATA, widget_data
from tests.test_validate import line_of, problems_for, replace

CONTENT, _ = check(REAL_CONTENT)
SPECS = {c.id: calculator_spec(c, CONTENT) for c in CONTENT.calculators.values()}
WBC = SPECS["white-cell-count"]
YAML_CASES = [(c.id, case) for c in CONTENT.calculators.values() for case in c.cases]
GENERATED = [(calc_id, case) for calc_id, spec in SPECS.items() for case in boundary_cases(spec)]


def summary_for(spec: dict, raw: dict) -> dict:
    return summarize(evaluate(spec, raw))


# ---------------------------------------------------------------- cases from YAML, and at every boundary


def test_the_three_calculators_exist_with_cases():
    assert set(SPECS) == {"white-cell-count", "differential", "growth-factor-window"}
    assert all(len(c.cases) >= 10 for c in CONTENT.calculators.values())


@pytest.mark.parametrize("calc_id, case", YAML_CASES, ids=[f"{c}: {case.name}" for c, case in YAML_CASES])
def test_yaml_case(calc_id, case):
    expect = case.expect.model_dump(exclude_none=True)
    assert compare(expect, summary_for(SPECS[calc_id], case_inputs(case.inputs))) == []


@pytest.mark.parametrize("calc_id, case", GENERATED, ids=[f"{c}: {case['name']}" for c, case in GENERATED])
def test_generated_boundary_case(calc_id, case):
    assert compare(case["expect"], summary_for(SPECS[calc_id], case["inputs"])) == []


def test_boundary_cases_cover_every_check_in_every_unit():
    checks = [c["fact"] for c in WBC["checks"]]
    units = [u["code"] for u in WBC["inputs"][0]["units"]]
    cases = boundary_cases(WBC)
    assert len(cases) == len(checks) * len(units) * 3
    fifty = [c for c in cases if c["expect"]["check"]["fact"] == "cohort-inclusion-threshold"
             and c["inputs"]["wbc_unit"] == "/uL"]
    assert [c["inputs"]["wbc"] for c in fifty] == ["49999", "50000", "50001"]
    window = [c["inputs"] for c in boundary_cases(SPECS["growth-factor-window"])]
    assert {"days": "10"} in window and {"dose_date": "2026-01-01", "count_date": "2026-01-11"} in window


def test_the_cohorts_two_comparators_are_both_shown_at_fifty_thousand():
    at = summary_for(WBC, {"wbc": "50", "wbc_unit": "K/uL"})
    assert at["checks"]["cohort-inclusion-threshold"] == {"status": "met", "boundary": True}
    assert at["checks"]["leukemoid-reaction-definition"] == {"status": "not-met", "boundary": True}


def test_a_threshold_fact_drives_the_calculator(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, content)
    replace(content / "facts" / "definitions.yaml", "    value: 100000\n    unit: /uL\n    defines: Hyperleukocytosis",
            "    value: 120000\n    unit: /uL\n    defines: Hyperleukocytosis")
    changed, problems = check(content)
    spec = calculator_spec(changed.calculators["white-cell-count"], changed)
    assert next(c["value"] for c in spec["checks"] if c["fact"] == "hyperleukocytosis-threshold-aml") == 120
    assert summary_for(spec, {"wbc": "110"})["band"] == "extreme"
    # the YAML case written for the old cut-off now fails, located at the case
    file = content / "calculators" / "white-cell-count.yaml"
    assert any(str(p).startswith("content/calculators/white-cell-count.yaml:") and "case 'exactly 100" in str(p)
               for p in problems), [str(p) for p in problems]
    assert line_of(file, "exactly 100") > 1


def test_every_outcome_a_case_can_expect_has_words_for_the_reader():
    assert set(typing.get_args(ErrorCode)) | set(typing.get_args(WarningCode)) == set(MESSAGES)


# ---------------------------------------------------------------- properties of the reference evaluator

# No per-example deadline: timing on a loaded 2-core machine says nothing about correctness.
relaxed = settings(deadline=None)
plausible = st.floats(min_value=0.5, max_value=1000, allow_nan=False, allow_infinity=False)
band_order = [b["id"] for b in WBC["scale"]["bands"]]


def typed(value: float) -> str:
    return format(Decimal(repr(value)), "f")


@relaxed
@given(plausible, plausible)
def test_a_larger_count_never_falls_in_a_lower_range(a, b):
    low, high = sorted((a, b))
    lo, hi = summary_for(WBC, {"wbc": typed(low)}), summary_for(WBC, {"wbc": typed(high)})
    assert band_order.index(lo["band"]) <= band_order.index(hi["band"])
    assert set(lo["met"]) <= set(hi["met"])  # every cut-off here is an upward one


@relaxed
@given(plausible, st.sampled_from(WBC["inputs"][0]["units"]))
def test_units_round_trip_and_agree(value, unit):
    in_unit = Decimal(repr(value)) / Decimal(repr(unit["factor"]))
    result = evaluate(WBC, {"wbc": format(in_unit, "f"), "wbc_unit": unit["code"]})
    assert math.isclose(result["values"]["wbc"], value, rel_tol=1e-12)
    assert result["band"] == evaluate(WBC, {"wbc": typed(value)})["band"]


@pytest.mark.parametrize("check_spec", [c for s in SPECS.values() for c in s["checks"]], ids=lambda c: c["fact"])
@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=1e-6, max_value=0.5))
def test_boundaries_behave_per_comparator(check_spec, step):
    spec = next(s for s in SPECS.values() if check_spec in s["checks"])
    field = next(i for i in spec["inputs"] if i["quantity"] == check_spec["quantity"])
    t = check_spec["value"]
    if field["type"] == "days":
        step = 1.0
    up = ">" in check_spec["comparator"]

    def met(value):
        raw = {field["id"]: typed(value)}
        return summarize(evaluate(spec, raw))["checks"][check_spec["fact"]]["status"] == "met"

    assert met(t + step * max(1, t / 100)) is up
    assert met(t - step * max(1, t / 100)) is not up
    assert met(t) is ("=" in check_spec["comparator"])


@relaxed
@given(st.text(max_size=40))
def test_parsing_never_raises_and_never_yields_a_non_finite_number(text):
    value, found = parse_number(text)
    assert (value is None) or (math.isfinite(value) and value >= 0 and found is None)


fields = sorted({name for s in SPECS.values() for i in s["inputs"] for name in (i["id"], i["id"] + "_unit")})


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(SPECS.values())),
       st.dictionaries(st.sampled_from(fields), st.one_of(st.text(max_size=30), st.from_regex(r"-?[0-9]{0,6}[.,]?[0-9]{0,4}",
                                                                                                fullmatch=True))))
def test_evaluation_never_raises_and_never_yields_nan_or_infinity(spec, raw):
    result = evaluate(spec, raw)
    json.dumps(result, allow_nan=False)  # raises on NaN or Infinity anywhere
    if result["state"] == "error":
        assert result["checks"] == [] and result["band"] is None  # nothing is placed until the input is fixed


@relaxed
@given(st.floats(min_value=0, max_value=1e15, allow_nan=False))
def test_display_numbers_are_plain_and_close(x):
    text = format_number(x)
    assert re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)?", text), text
    assert math.isclose(float(text.replace(",", "")), x, rel_tol=1e-5, abs_tol=1e-6)


@pytest.mark.parametrize("x, text", [(72, "72"), (72000, "72,000"), (57.6, "57.6"), (0.07, "0.07"),
                                     (49999.5, "49,999.5"), (1234567.5, "1,234,568"), (2.675, "2.675"),
                                     (0.1 + 0.2, "0.3")])
def test_display_numbers(x, text):
    assert format_number(x) == text


# ---------------------------------------------------------------- validation, located


@pytest.fixture
def calc_content(content_copy: Path) -> Path:
    """The fixture content plus one small calculator (tests/fixtures/calculators/count.yaml)."""
    shutil.copytree(ROOT / "tests" / "fixtures" / "calculators", content_copy / "calculators")
    return content_copy


def test_fixture_calculator_is_clean(calc_content):
    assert problems_for(calc_content) == []


OVERLAP_FACT = """- id: test-threshold-ge
  kind: threshold
  statement: The same cut-off printed with greater-or-equal.
  threshold: {quantity: wbc, comparator: ">=", value: 50000, unit: /uL, defines: leukemoid reaction, as_stated: "≥ 50,000/µL"}
  context: {population: malignant bone tumour}
  cite: [{source: cohort, locator: Methods}]
"""

# (text to replace in count.yaml, replacement, line marker after editing, expected message part)
BROKEN = [
    ("- fact: test-threshold\n", "- fact: test-treshold\n", "test-treshold",
     "unknown fact 'test-treshold' — did you mean 'test-threshold'?"),
    ("- fact: test-threshold\n", "- fact: test-sex\n", "fact: test-sex", "fact 'test-sex' has no threshold block"),
    ("- facts: [test-dose]", "- facts: [test-dosage]", "test-dosage", "unknown fact 'test-dosage'"),
    # advice reaching readers its facts' population does not cover, each way
    ("contexts: {condition: [solid-tumour, bone-tumour]}", "contexts: {condition: [leukaemia, bone-tumour]}",
     "contexts: {condition: [leukaemia, bone-tumour]}", "but this advice is also shown for condition: leukaemia"),
    ("      - facts: [test-dose]\n        contexts: {condition: [solid-tumour, bone-tumour]}\n",
     "      - facts: [test-dose]\n", "- facts: [test-dose]", "but this advice is shown whatever the condition"),
    ("contexts: {condition: [solid-tumour, bone-tumour]}", "contexts: {conditon: [solid-tumour]}",
     "conditon", "unknown question 'conditon' — did you mean 'condition'?"),
    ("contexts: {condition: [solid-tumour, bone-tumour]}", "contexts: {condition: [solid-tumor]}",
     "solid-tumor", "'solid-tumor' is not an answer to 'condition' — did you mean 'solid-tumour'?"),
    ("contexts: {condition: [solid-tumour, bone-tumour]}", "contexts: {condition: [unknown]}",
     "[unknown]", "advice cannot be shown for 'unknown'"),
    ("inputs: {wbc: \"72\", condition: bone-tumour}", "inputs: {wbc: \"72\", condition: bone}",
     "condition: bone}", "'bone' is not an answer to 'condition'"),
    ("expect: {band: above, advice: [test-neutrophils, test-dose], conditional: []}",
     "expect: {band: above, advice: [test-dose], conditional: [test-neutrophils]}", "advice: [test-dose], conditional",
     "expected advice [test-dose], got [test-dose, test-neutrophils]"),
    ("label: Below the cut-off", "label: Below fifty thousand, under 50", "Below fifty",
     "numbers in a calculator's own words are not allowed"),
    ("expect: {band: above, met: [test-threshold]}", "expect: {band: below, met: [test-threshold]}",
     "band: below, met", "case 'above the cut-off': expected band below, got above"),
    ("expect: {band: above, met: [test-threshold]}", "expect: {band: middle}", "band: middle", "no band is called 'middle'"),
    ("quantity: neutrophil-percent", "quantity: days", "quantity: days", "a percent input needs a quantity measured in %"),
    ("      upper: test-threshold\n", "      lower: test-threshold\n      upper: test-threshold\n", "lower: test-threshold",
     "the first band must not have a 'lower'"),
    ("inputs: {wbc: \"72\", wbc_unit: 10*9/L}", "inputs: {wbc: \"72\", wbc_unit: K/uL}", "wbc_unit: K/uL",
     "'K/uL' is not one of the units this input offers"),
    ("warn_above: 1000", "warn_above: 10000", "warn_above: 10000", "reject_above (5000) must be above warn_above (10000)"),
    ("percent_of: wbc", "percent_of: neutrophils", "percent_of: neutrophils", "percent_of links a percent input"),
    ("units: [10*9/L, /uL]", "units: [10*9/L, cells/uL]", "cells/uL", "'cells/uL' is not a unit of wbc"),
    ("    input_sanity_bounds: {unit: 10*9/L, reject_below: 0.01, warn_above: 1000, reject_above: 5000}\n", "",
     "type: measurement", "a measurement input needs input_sanity_bounds"),
    ("      severity: danger\n", "      severity: scary\n", "severity: scary", "scale.bands.1.severity: Input should be"),
]


@pytest.mark.parametrize("old, new, marker, expected", BROKEN, ids=[b[3][:40] for b in BROKEN])
def test_each_calculator_error_is_located(calc_content, old, new, marker, expected):
    file = calc_content / "calculators" / "count.yaml"
    replace(file, old, new)
    found = [p for p in problems_for(calc_content) if expected in p]
    assert found, problems_for(calc_content)
    assert found[0].startswith(f"content/calculators/count.yaml:{line_of(file, marker)}:"), found


@pytest.mark.parametrize("above, context", [
    ("      severity: caution\n", "condition: unknown"),  # for every patient
    ("      severity: danger\n      severity_by_context:\n        - contexts: {condition: [bone-tumour]}\n"
     "          severity: caution\n", "condition: bone-tumour"),  # for one context only
])
def test_a_band_less_severe_than_the_one_below_it_is_refused(calc_content, above, context):
    """C1 (review 2026-12): on a scale where a higher value is never less worrying, the badge must never fall."""
    file = calc_content / "calculators" / "count.yaml"
    replace(file, "      short_label: Below\n      severity: info\n", "      short_label: Below\n      severity: warning\n")
    replace(file, "      short_label: Above\n      severity: danger\n", "      short_label: Above\n" + above)
    line = line_of(file, "short_label: Above") + 1
    found = [p for p in problems_for(calc_content) if "less severe than 'warning' in the band below it" in p]
    assert found and found[0].startswith(f"content/calculators/count.yaml:{line}:") and context in found[0], found
    replace(file, "  severity_rises: true\n", "")  # a scale that may fall (days since a dose) is not checked
    assert not [p for p in problems_for(calc_content) if "less severe" in p]


def test_advice_from_a_fact_that_says_nothing_of_whom_it_applies_to_is_refused_at_its_use(calc_content):
    replace(calc_content / "facts" / "facts.yaml", ", applies_to: {condition: [solid-tumour, bone-tumour]}", "")
    file = calc_content / "calculators" / "count.yaml"
    found = [p for p in problems_for(calc_content) if "does not say whom it applies to" in p]
    assert found and found[0].startswith(f"content/calculators/count.yaml:{line_of(file, '- facts: [test-dose]')}:")
    assert "(content/facts/facts.yaml:" in found[0] and "add 'applies_to:'" in found[0]


def test_a_facts_applies_to_names_real_questions_and_answers(calc_content):
    file = calc_content / "facts" / "facts.yaml"
    replace(file, "applies_to: {condition: [bone-tumour]}", "applies_to: {condition: [bone-tumor]}")
    found = [p for p in problems_for(calc_content) if "'bone-tumor' is not an answer to 'condition'" in p]
    assert found and found[0].startswith(f"content/facts/facts.yaml:{line_of(file, 'bone-tumor')}:")


def test_overlapping_bands_are_found_by_the_evaluator(calc_content):
    facts = calc_content / "facts" / "facts.yaml"
    facts.write_text(facts.read_text() + OVERLAP_FACT)
    replace(calc_content / "topics" / "test-topic.yaml", "facts: [test-threshold, test-dose]",
            "facts: [test-threshold, test-dose, test-threshold-ge]")
    file = calc_content / "calculators" / "count.yaml"
    replace(file, "      lower: test-threshold\n", "      lower: test-threshold-ge\n")
    found = [p for p in problems_for(calc_content) if "bands below and above overlap at 50" in p]
    assert found and found[0].startswith(f"content/calculators/count.yaml:{line_of(file, 'bands:') + 1}:"), \
        problems_for(calc_content)


# ---------------------------------------------------------------- the rendered page


def test_calculator_page_has_form_static_tables_and_its_data(calc_content):
    page = checked_content(calc_content, with_history=False).pages()["count-calculator.md"]
    assert '<label for="count-wbc"><span class="calc__label">White-cell count</span>\n<input id="count-wbc"' in page
    assert 'inputmode="decimal"' in page and 'name="wbc_unit" value="/uL"' in page
    # without JavaScript: the range table with the threshold from the fact and its citation
    assert "| Below the cut-off | ≤ 50 ×10⁹/L |" in page
    assert '**&gt; 50 ×10⁹/L (50,000/µL)**' in page and 'popovertarget="cite-cohort"' in page
    # no inline script at all (instant navigation would re-create it as script); the data is an attribute,
    # and its spec is the evaluator's spec
    assert re.findall(r"<script\b", page) == []
    assert [element_id for element_id, _ in WIDGET_DATA.findall(page)] == ["calc-data-count"]
    [data] = widget_data(page)
    content, _ = check(calc_content)
    assert data["spec"] == json.loads(json.dumps(calculator_spec(content.calculators["count"], content)))
    # every message the browser may show, in both its forms, carries citation markers listed in this page's
    # references, and links to a real page's address (the engine never sees links inside widget data)
    for form in ("advice", "conditional"):
        assert 'popovertarget="cite-ai-page" data-ref="AI"' in data["view"]["messages"]["test-dose"][form]
        assert 'href="../test-topic/#test-dose"' in data["view"]["messages"]["test-dose"][form]
    assert data["view"]["messages"]["test-dose"]["conditional"].startswith(
        '<span class="calc-msg__if">In cancer patients with paraneoplastic leukemoid reaction, according to ')
    assert "Population:" not in data["view"]["messages"]["test-dose"]["conditional"]
    assert '<span id="ref-ai-page"></span><span class="reference__label">[AI]</span>' in page and 'id="cite-ai-page" popover' in page
    # the patient's context is asked with labelled controls, "not known" first
    assert '<label for="count-context-condition"><span class="calc__label" id="count-context-condition-label">Underlying condition</span>' in page
    assert '<select id="count-context-condition" name="condition" form="calc-count" aria-labelledby="count-context-condition-label"' in page
    assert re.search(r'name="condition"[^>]*>\n<option value="">Not known</option>', page)


def test_json_cannot_end_its_attribute_early():
    # content validation already refuses raw HTML; the data attribute is safe even without that
    text = "'></div><script>alert(1)</script> <!-- & \" -->"
    block = str(json_for_html({"text": text}))
    assert not set("<>&'") & set(block)
    assert json.loads(block) == {"text": text}
    [data] = widget_data(str(kit_widget_data("x", {"text": text})))
    assert data == {"text": text}


# ---------------------------------------------------------------- severity never falls as the count rises (review C1)

WHITE_COUNT_CONTENT, _ = check(REAL_CONTENT)
WHITE_COUNT = calculator_spec(WHITE_COUNT_CONTENT.calculators["white-cell-count"], WHITE_COUNT_CONTENT)
SEVERITY_RANK = {None: -1, **{level: rank for rank, level in enumerate(SEVERITY_ORDER)}}
CONTEXT_ANSWERS = {q["id"]: ["", *(o["id"] for o in q["options"])] for q in WHITE_COUNT["contexts"]}


@settings(max_examples=400, deadline=None, derandomize=True)
@given(low=st.floats(min_value=0.02, max_value=4000), rise=st.floats(min_value=0.01, max_value=1000),
       answers=st.fixed_dictionaries({q: st.sampled_from(a) for q, a in CONTEXT_ANSWERS.items()}))
def test_the_badge_never_falls_as_the_count_rises_for_any_patient(low, rise, answers):
    high = min(low + rise, 4999)
    severities = [evaluate(WHITE_COUNT, {"wbc": format_number(value).replace(",", ""), "wbc_unit": "10*9/L", **answers})["severity"]
                  for value in (low, high)]
    assert SEVERITY_RANK[severities[1]] >= SEVERITY_RANK[severities[0]], (low, high, answers, severities)


# ---------------------------------------------------------------- what to do before background (review 2026-12, M9)

ROLE_RANK = {"warning": 0, "management": 1, "background": 2}
ALL_CONTEXTS = [dict(zip(CONTEXT_ANSWERS, answers)) for answers in itertools.product(*CONTEXT_ANSWERS.values())]


def in_each_band(spec: dict) -> list[str]:
    """One count inside each band of a calculator's scale (×10⁹/L), and one at each edge."""
    edges = sorted({b[end]["value"] for b in spec["scale"]["bands"] for end in ("lower", "upper") if b[end]})
    inside = [edges[0] / 2] + [(a + b) / 2 for a, b in zip(edges, edges[1:])] + [edges[-1] * 2]
    return [format_number(v).replace(",", "") for v in sorted(inside + edges)]


def test_each_advice_fact_has_its_kinds_role():
    for calc in CONTENT.calculators.values():
        roles = SPECS[calc.id]["roles"]
        assert set(roles) == {f for group in spec_advice_groups(SPECS[calc.id]) for f in group["facts"]}
        for fact_id, role in roles.items():
            kind = CONTENT.facts[fact_id].kind
            assert role == {"warning": "warning", "management": "management", "monitoring": "management"}.get(kind, "background")


@pytest.mark.parametrize("context", ALL_CONTEXTS, ids=[" ".join(f"{q}={a or 'unknown'}" for q, a in c.items()) for c in ALL_CONTEXTS])
def test_what_to_do_comes_first_warnings_first_and_background_never_leads_a_red_flag(context):
    for count in in_each_band(WHITE_COUNT):
        result = evaluate(WHITE_COUNT, {"wbc": count, "wbc_unit": "10*9/L", **context})
        arranged = result["arranged"]
        roles = WHITE_COUNT["roles"]
        ranks = [ROLE_RANK[roles[f]] for f in arranged["to_do"]]
        assert ranks == sorted(ranks) and 2 not in ranks, (count, context, arranged["to_do"])
        assert all(roles[f] == "background" for f in arranged["background"])
        assert [ROLE_RANK[roles[f]] for f in arranged["conditional"]] == sorted(ROLE_RANK[roles[f]] for f in arranged["conditional"])
        shown = arranged["to_do"] + arranged["conditional"] + arranged["background"]
        # A red-flag result opens with the red flags raised (the calculator's red-flag line), then what to do; where a
        # flag of the calculator's own (not the context's) makes it one, what it shows must not open with background.
        if result["severity"] == "danger" and not result["red_flags"]:
            assert shown and shown[0] not in arranged["background"], (count, context, arranged)
def test_the_blasts_flag_reads_right_for_leukaemia_and_leads_with_the_warning():
    """Review 2026-12, m13: with leukaemia the flag said 'a newly arisen blood cancer has to be ruled out', and its
    first line was the reassurance that a few blasts do not settle the diagnosis. The flag now has its own words
    for leukaemia, and for every context the caveat about blasts in severe leukemoid reactions comes last."""
    spec = SPECS["differential"]
    for context in ("", "acute-leukaemia", "chronic-leukaemia", "solid-tumour", "bone-tumour"):
        result = evaluate(spec, {"blasts": "yes", "condition": context})
        message = result["flag_messages"]["blasts-seen"]
        assert ("newly arisen" in message) == (not context.endswith("leukaemia")), (context, message)
        assert message.startswith("Blasts on the film") and "point" in message.split(",")[0]
        shown = [f for entry in result["advice"] if entry["mode"] != "hidden" for f in entry["facts"]]
        assert shown[-1] == "leukemoid-occasional-blasts-in-severe-reactions", (context, shown)
        if context in ("solid-tumour", "bone-tumour"):
            assert shown[0] == "leukemoid-smear-orderly-maturation"  # blasts usually absent: the warning first
    assert evaluate(spec, {"blasts": "no", "condition": "acute-leukaemia"})["flag_messages"] == {}

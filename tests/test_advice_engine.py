"""One advice engine (generator/advice.py): the white-count calculator and the checklist raise the same red flags,
and show the same red-flag advice in the same way, for every patient context and count (issue 24, item 1).

The counts tried are every band edge of the calculator's scale, a value inside each band and one far above the
last edge, so a change to any threshold fact moves the cases with it.
"""

from __future__ import annotations

import itertools

import pytest

from generator import advice
from generator.pipeline import check
from generator.widgets.calculator.evaluate import evaluate as evaluate_calculator
from generator.widgets.calculator.spec import calculator_spec
from generator.widgets.checklist.evaluate import evaluate as evaluate_checklist
from generator.widgets.checklist.spec import checklist_spec
from generator.wording import format_number

from conftest import REAL_CONTENT

CONTENT, PROBLEMS = check(REAL_CONTENT)
CALCULATOR = calculator_spec(CONTENT.calculators["white-cell-count"], CONTENT)
CHECKLIST = checklist_spec(CONTENT.checklists["extreme-leukocytosis"], CONTENT)


def counts_to_try() -> list[float]:
    edges = sorted({b[end]["value"] for b in CALCULATOR["scale"]["bands"] for end in ("lower", "upper") if b[end]})
    inside = [(a + b) / 2 for a, b in zip([0.0, *edges], edges)] + [edges[-1] * 5]
    return sorted(set(edges + inside))


CONTEXTS = [dict(zip([q["id"] for q in CALCULATOR["contexts"]], answers)) for answers in
            itertools.product(*[["", *(o["id"] for o in q["options"])] for q in CALCULATOR["contexts"]])]
CASES = [(context, count) for context in CONTEXTS for count in counts_to_try()]


def red_flag_advice(result: dict) -> dict[str, list[str]]:
    """The advice a result shows for its red flags, by mode."""
    raised = result["red_flags"] if "raised" not in result else result["raised"]
    return advice.facts_by_mode([a for a in result["advice"] if a["from"] in raised])


def test_the_content_is_valid():
    assert not PROBLEMS


@pytest.mark.parametrize("context,count", CASES, ids=[f"{c}-{n:g}" for c, n in CASES])
def test_calculator_and_checklist_agree_on_red_flags_and_their_advice(context, count):
    raw = {"wbc": format_number(count).replace(",", ""), "wbc_unit": "10*9/L", **context}
    calc, chk = evaluate_calculator(CALCULATOR, raw), evaluate_checklist(CHECKLIST, raw)
    assert calc["red_flags"] == chk["raised"], (context, count)
    assert set(chk["raised"]) <= set(chk["red_flags"])  # every raised red flag is listed as one
    assert red_flag_advice(calc) == red_flag_advice(chk), (context, count)
    assert (calc["severity"] == "danger") >= bool(calc["red_flags"])  # a red flag always gives the red badge


def test_leukostasis_symptoms_are_a_red_flag_from_the_leukocytosis_cut_off_up_in_every_condition():
    cutoff = next(b["lower"]["value"] for b in CALCULATOR["scale"]["bands"] if b["lower"]
                  and b["lower"]["fact"] == "leukocytosis-threshold-adults")
    for context in CONTEXTS:
        present = {**context, "leukostasis": "present"}
        for count in counts_to_try():
            result = evaluate_calculator(CALCULATOR, {"wbc": format_number(count).replace(",", ""), "wbc_unit": "10*9/L",
                                                      **present})
            raised = "leukostasis" in result["red_flags"]
            assert raised == (count > cutoff), (present, count)
            assert (result["severity"] == "danger") or not raised


def test_without_a_count_the_checklist_still_raises_the_symptoms_but_not_the_count_s_red_flag():
    result = evaluate_checklist(CHECKLIST, {"condition": "acute-leukaemia", "leukostasis": "present"})
    assert result["raised"] == ["leukostasis"]


# ---------------------------------------------------------------- the engine's rules, one by one

THRESHOLD = {"fact": "t", "quantity": "wbc", "comparator": ">", "value": 100.0, "low": None, "high": None}
REPORTED = {"fact": "r", "quantity": "wbc", "comparator": None, "value": None, "low": 43.7, "high": 130.1}


@pytest.mark.parametrize("count,wanted", [(None, "conditional"), (60, "hidden"), (100, "hidden"), (150, "advice")])
def test_advice_that_needs_a_count_is_advice_only_at_counts_that_meet_it(count, wanted):
    counts = {} if count is None else {"wbc": count}
    assert advice.mode({"condition": ["solid-tumour"]}, {"condition": "solid-tumour"}, [THRESHOLD], counts) == wanted


@pytest.mark.parametrize("count,wanted", [(None, "conditional"), (43.7, "advice"), (130.1, "advice"),
                                          (130.2, "outside"), (500, "outside"), (30, "outside")])
def test_a_study_s_findings_hold_only_within_the_counts_it_reported(count, wanted):
    counts = {} if count is None else {"wbc": count}
    assert advice.mode({"condition": ["bone-tumour"]}, {"condition": "bone-tumour"}, [REPORTED], counts) == wanted
    assert advice.outside_of([REPORTED], counts) == (["r"] if wanted == "outside" else [])


def test_an_answer_ruling_advice_out_hides_it_whatever_the_count():
    assert advice.mode({"condition": ["bone-tumour"]}, {"condition": "solid-tumour"}, [REPORTED], {"wbc": 500}) == "hidden"


def test_quoted_for_shows_a_source_to_other_patients_only_as_what_it_says():
    groups = [{"facts": ["aml"], "contexts": {"condition": ["acute"]}, "quoted_for": {"condition": ["chronic"]},
               "count": []}]
    modes = {answer: advice.shown(groups, {"condition": answer}, "x")[0]["mode"]
             for answer in ("acute", "chronic", "solid", "unknown")}
    assert modes == {"acute": "advice", "chronic": "conditional", "solid": "hidden", "unknown": "conditional"}


def test_a_red_flag_from_a_count_needs_the_count_and_one_from_symptoms_does_not():
    flags = [{"id": "symptoms", "label": "", "question": "leukostasis", "answer": "present", "needs_count": None,
              "from_count": {**THRESHOLD, "value": 11.0}, "advice": []},
             {"id": "count", "label": "", "question": "condition", "answer": "acute", "needs_count": THRESHOLD,
              "from_count": None, "advice": []}]
    reader = {"leukostasis": "present", "condition": "acute"}
    assert advice.raised(flags, reader, {}) == ["symptoms"]
    assert advice.raised(flags, reader, {"wbc": 8}) == []
    assert advice.raised(flags, reader, {"wbc": 72}) == ["symptoms"]
    assert advice.raised(flags, reader, {"wbc": 150}) == ["symptoms", "count"]
    assert advice.raised(flags, {"leukostasis": "absent", "condition": "unknown"}, {"wbc": 150}) == []


def test_a_fact_covering_only_some_counts_is_refused_as_advice_shown_at_any_count(tmp_path):
    """applies_to's `count:` holds advice to the counts a population covers: the differential calculator once
    showed the bone-tumour cohort's 'clinically stable' picture at any count (caught by this rule)."""
    import shutil
    content = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, content)
    calc = content / "calculators" / "differential.yaml"
    text = calc.read_text()
    gated = "        count: [cohort-inclusion-threshold, cohort-mean-wbc-at-presentation]\n"
    assert gated in text
    calc.write_text(text.replace(gated, "", 1))
    _, problems = check(content)
    [problem] = [p for p in problems if "only at the counts" in p.message]
    assert problem.path.endswith("calculators/differential.yaml") and "cohort-plr-clinical-picture" in problem.message
    assert "add count: [cohort-inclusion-threshold, cohort-mean-wbc-at-presentation]" in problem.hint

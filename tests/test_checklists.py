"""Checklists in Python: the YAML cases through the reference evaluator, properties of the
summary logic, validation located at file:line, and the rendered page."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from generator.checklists import GROUPS, checklist_spec, compare, evaluate, status, summary, summary_text
from generator.pipeline import build_pages, check
from tests.conftest import REAL_CONTENT
from tests.test_validate import replace

CONTENT, _ = check(REAL_CONTENT)
CHECKLIST = CONTENT.checklists["extreme-leukocytosis"]
SPEC = checklist_spec(CHECKLIST, CONTENT)
SPEC["references"] = {str(n): f"reference {n}" for n in range(1, 30)}
ITEMS = {group: [i["id"] for i in SPEC[group]] for group in GROUPS}
CASES = CHECKLIST.cases
DEFINITION = CHECKLIST.definition.text
PAGE = "extreme-leukocytosis-checklist.md"


# ---------------------------------------------------------------- the YAML cases


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_yaml_case(case):
    assert compare(case.expect.model_dump(exclude_none=True), evaluate(SPEC, case.states)) == []


def test_the_checklist_has_the_items_the_issue_asks_for():
    assert len(ITEMS["causes"]) == 6 and len(ITEMS["features"]) == 4 and len(ITEMS["red_flags"]) == 3
    names = " ".join(i["name"] for group in GROUPS for i in SPEC[group]).lower()
    for words in ("infection", "growth factor", "≤ 10 days", "corticosteroids or vasopressors", "chronic myeloid",
                  "bleeding", "haemolysis", "intoxication", "metastases with necrosis", "alkaline phosphatase",
                  "thrombocytopenia", "blasts or nucleated red cells", "tumour responds", "leukostasis",
                  "> 100 ×10⁹/l", "pulmonary embolism", "tumour lysis"):
        assert words in names, words


def test_every_red_flag_states_its_sources_population_and_what_to_do():
    for item in SPEC["red_flags"]:
        assert item["populations"] and item["action"]
        line = next(line for line in summary(SPEC, evaluate(SPEC, {item["id"]: "present"}))[0]["lines"])
        assert "Sources' population: " + "; ".join(item["populations"]) in line["detail"]
    leukostasis = next(i for i in SPEC["red_flags"] if i["id"] == "leukostasis")
    assert "Acute myeloid leukaemia" in leukostasis["populations"]


# ---------------------------------------------------------------- properties of the summary logic

answers = st.fixed_dictionaries({}, optional={item: st.sampled_from(["present", "excluded", "", "maybe"])
                                              for group in GROUPS for item in ITEMS[group]})


@settings(deadline=None, max_examples=200)
@given(answers)
def test_each_item_is_in_exactly_one_place_and_the_definition_needs_every_cause_excluded(raw):
    result = evaluate(SPEC, raw)
    assert sorted(result["causes_present"] + result["causes_open"] + result["causes_excluded"]) == sorted(ITEMS["causes"])
    assert set(result["red_flags"]) | set(result["red_flags_open"]) <= set(ITEMS["red_flags"])
    assert result["meets_definition"] == all(raw.get(c) == "excluded" for c in ITEMS["causes"])
    assert result["ignored"] == [i for group in GROUPS for i in ITEMS[group] if raw.get(i) == "maybe"]
    text = summary_text(SPEC, result)
    assert (DEFINITION in text) == result["meets_definition"]
    assert not re.search(r"\bdiagnos(is|ed) (of|with) PLR\b|\bhas (a )?PLR\b", text, re.I)


@settings(deadline=None, max_examples=200)
@given(answers)
def test_red_flags_come_first_and_cml_warnings_follow_the_features(raw):
    result = evaluate(SPEC, raw)
    sections = summary(SPEC, result)
    if result["red_flags"]:
        assert sections[0]["kind"] == "red-flags"
        assert status(SPEC, result).startswith("Red flags present")
    kinds = [s["kind"] for s in sections]
    assert ("cml-pattern" in kinds) == any(raw.get(f) == "excluded" for f in ITEMS["features"])
    assert ("recheck" in kinds) == ("cml-pattern" in kinds and raw.get("haematological-malignancy") == "excluded")


@settings(deadline=None, max_examples=100)
@given(answers)
def test_the_copied_text_lists_exactly_the_references_it_cites(raw):
    text = summary_text(SPEC, evaluate(SPEC, raw))
    body, _, references = text.partition("\nReferences:\n")
    cited = {int(n) for group in re.findall(r"\[([\d, ]+)\]", body) for n in group.split(", ")}
    assert [int(line.split(".")[0]) for line in references.splitlines()] == sorted(cited)


# ---------------------------------------------------------------- validation, located at the line


@pytest.fixture(scope="module")
def real_copy(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("checklist") / "content"
    shutil.copytree(REAL_CONTENT, target)
    return target


BROKEN = [
    ("thresholds: [cohort-csf-attribution]", "thresholds: [cohort-csf-atribution]", "cohort-csf-atribution",
     "unknown fact 'cohort-csf-atribution' — did you mean 'cohort-csf-attribution'?"),
    ("facts: [leukemoid-vs-cml-lap]", "facts: [leukemoid-vs-cml-lap]\n      thresholds: [leukemoid-vs-cml-lap]",
     "thresholds: [leukemoid-vs-cml-lap]", "fact 'leukemoid-vs-cml-lap' has no threshold block"),
    ("label: No thrombocytopenia", "label: Platelets above 150", "Platelets above 150",
     "numbers in a checklist's own words are not allowed"),
    ("      when_excluded: LAP score not raised\n", "", "id: lap-raised", "this item needs 'when_excluded'"),
    ("    - id: growth-factor\n", "    - id: growth-factor\n      action: Stop it.\n", "action: Stop it.",
     "only red flags take 'action'"),
    ("bears_on: haematological-malignancy", "bears_on: blood-cancer", "bears_on: blood-cancer",
     "'blood-cancer' is not one of this checklist's causes"),
    ("    - id: pe-mimic", "    - id: leukostasis", "- id: leukostasis\n      label: Imaging",
     "two items are called 'leukostasis'"),
    ("Meets the cohort's definition of PLR:", "Diagnosis of PLR:", "Diagnosis of PLR",
     "the definition's wording must not read as a diagnosis"),
    ("states: {infection: maybe, tumour-lysis: present", "states: {infektion: excluded, tumour-lysis: present",
     "infektion", "'infektion' is not an item of this checklist"),
    ("      cml_pattern: [falls-with-response]\n", "      cml_pattern: [infection]\n", "cml_pattern: [infection]",
     "'infection' is not one of this checklist's features"),
    ("      causes_open: [bone-metastases-necrosis]\n      meets_definition: false",
     "      causes_open: [bone-metastases-necrosis]\n      meets_definition: true",
     "      causes_open: [bone-metastases-necrosis]\n      meets_definition: true",
     "case 'five of six causes excluded is not yet the cohort's definition': expected meets_definition true, got false"),
]


@pytest.mark.parametrize("old, new, marker, expected", BROKEN, ids=[b[3][:50] for b in BROKEN])
def test_each_checklist_error_is_located(real_copy, tmp_path, old, new, marker, expected):
    content = tmp_path / "content"
    shutil.copytree(real_copy, content)
    file = content / "checklists" / "extreme-leukocytosis.yaml"
    replace(file, old, new)
    _, problems = check(content)
    found = [p for p in problems if expected in str(p)]
    assert found, [str(p) for p in problems]
    text = file.read_text()
    line = text[:text.index(marker)].count("\n") + 1
    assert (found[0].path.endswith("checklists/extreme-leukocytosis.yaml"), found[0].line) == (True, line), str(found[0])


def test_a_broken_fact_is_reported_at_the_fact_not_as_a_crash_of_the_checklist(real_copy, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(real_copy, content)
    facts = content / "facts" / "management.yaml"
    replace(facts, "- id: leukostasis-pulmonary-distress\n  kind: observation\n  statement:",
            "- id: leukostasis-pulmonary-distress\n  kind: observation\n  statment:")
    _, problems = check(content)
    assert [str(p) for p in problems] == [f"content/facts/management.yaml:{_line(facts, 'statment:')}:3: unknown key "
                                          "'statment' — did you mean 'statement'?"]


def _line(file: Path, needle: str) -> int:
    return next(n for n, line in enumerate(file.read_text().splitlines(), 1) if needle in line)


def test_a_threshold_fact_drives_the_checklist(real_copy, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(real_copy, content)
    replace(content / "facts" / "cohort-methods.yaml", "    value: 10\n    unit: days", "    value: 14\n    unit: days")
    changed, problems = check(content)
    assert [p for p in problems if "checklists/" in p.path] == []  # (the calculators' own cases notice the change)
    spec = checklist_spec(changed.checklists["extreme-leukocytosis"], changed)
    assert next(i["name"] for i in spec["causes"] if i["id"] == "growth-factor").endswith("(≤ 14 days)")


# ---------------------------------------------------------------- the rendered page


@pytest.fixture(scope="module")
def page() -> str:
    return build_pages(REAL_CONTENT)[PAGE]


def page_spec(markdown: str) -> dict:
    block = re.search(r'<script type="application/json" id="checklist-data-[^"]+">(.*?)</script>', markdown, re.S)
    return json.loads(block.group(1))["spec"]


def test_every_item_is_a_fieldset_with_a_legend_and_three_answers(page):
    fieldsets = re.findall(r'<fieldset class="checklist-item[^"]*" id="item-([^"]+)".*?</fieldset>', page, re.S)
    assert fieldsets == [i for group in GROUPS for i in ITEMS[group]]
    for item_id in fieldsets:
        block = page[page.index(f'id="item-{item_id}"'):]
        block = block[:block.index("</fieldset>")]
        assert block.count("<legend") == 1
        assert re.findall(r'<input type="radio" name="([^"]+)" value="([^"]*)"', block) == [
            (item_id, "present"), (item_id, "excluded"), (item_id, "")]
        assert "How to assess:" in block and "<details" in block and 'popovertarget="cite-' in block


def test_the_pages_numbers_are_the_summarys_numbers(page):
    spec = page_spec(page)
    for group in GROUPS:
        for item in spec[group]:
            block = page[page.index(f'id="item-{item["id"]}"'):]
            criterion = re.search(r'<p class="checklist-item__criterion">(.*?)</p>', block, re.S).group(1)
            assert sorted(int(n) for n in re.findall(r'data-ref="(\d+)"', criterion)) == item["refs"]
    references = re.findall(r'<div class="cite-popover" id="cite-([^"]+)"', page)
    assert len(spec["references"]) == len(references)
    for n in range(1, len(references) + 1):  # each as plain text, with its source's strength
        assert re.search(r"\w.* \((Very weak|Weak|Moderate|Strong) source: [^<>]+\.\)$", spec["references"][str(n)])


def test_the_definition_is_stated_as_a_study_definition_not_a_diagnosis(page):
    assert DEFINITION in page and "not a diagnosis" in page
    assert not re.search(r"diagnos", DEFINITION, re.I)


def test_the_home_page_and_quick_reference_link_the_checklist():
    pages = build_pages(REAL_CONTENT)
    assert f"]({PAGE})" in pages["index.md"]
    card = pages["quick-reference.md"]
    for item in SPEC["causes"] + SPEC["red_flags"]:
        assert str(escape(item["name"])) in card, item["name"]


def test_summary_before_any_answer_is_in_the_page_as_the_script_would_show_it(built_site):
    """Rendered at build time, so the page does not jump when the script takes over."""
    from generator.checklists import checklist_spec, evaluate, status, summary
    from generator.pipeline import check
    from tests.conftest import REAL_CONTENT

    content, _ = check(REAL_CONTENT)
    checklist = next(iter(content.checklists.values()))
    spec = checklist_spec(checklist, content)
    html = (built_site / "extreme-leukocytosis-checklist" / "index.html").read_text()
    region = html.split('id="checklist-summary"')[1].split("</section>")[0]
    nothing = evaluate(spec, {})
    assert status(spec, nothing) in region
    for section in summary(spec, nothing):
        assert f'data-section="{section["kind"]}"' in region
        for line in section["lines"]:
            assert f'<li data-item="{line["item"]}"><span class="checklist-summary__name">' in region

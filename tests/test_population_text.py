"""A fact's population text against its applies_to (generator/validate/advice.py): which answers the
words of a population name, by each answer's `named_by:` in content/contexts/, and the check that
refuses an applies_to leaving out an answer its population names (review 2026-12, M1 and M5); and an
address from before the leukaemia answer was split reading as "not known"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.advice import contexts_spec, read_context
from generator.model import UNKNOWN
from generator.pipeline import check
from generator.validate.advice import population_names, population_proper, population_text_misfits
from tests.conftest import REAL_CONTENT
from tests.test_validate import replace

CONTENT, _ = check(REAL_CONTENT)
NAMED_BY = {q.id: {o.id: list(o.named_by) for o in q.options} for q in CONTENT.contexts.values()}
LEUKAEMIA = {"acute-leukaemia", "chronic-leukaemia"}


def named(text: str) -> dict[str, set[str]]:
    """{question: answers} a population text names, by the real content's words."""
    found: dict[str, set[str]] = {}
    for name in population_names(text, NAMED_BY):
        for question, answer in name.answers:
            found.setdefault(question, set()).add(answer)
    return found


# ---------------------------------------------------------------- which answers a text names


@pytest.mark.parametrize("text, expected", [
    # the longest phrase wins: acute myeloid leukaemia is acute, not also every leukaemia by its last word
    ("Acute myeloid leukaemia", {"condition": {"acute-leukaemia"}}),
    ("Newly diagnosed acute myeloid leukemia", {"condition": {"acute-leukaemia"}}),
    ("Patients with AML", {"condition": {"acute-leukaemia"}}),
    ("Chronic myeloid leukaemia in chronic phase", {"condition": {"chronic-leukaemia"}}),
    ("Patients with CLL", {"condition": {"chronic-leukaemia"}}),
    # generic leukaemia names both, and so does "myeloid leukaemia (any type)": CML is a myeloid leukaemia
    ("Patients with leukaemia", {"condition": LEUKAEMIA}),
    ("Patients with leukaemias", {"condition": LEUKAEMIA}),
    ("Patients with myeloid leukaemia (any type)", {"condition": LEUKAEMIA}),
    # the leukostasis question is named too
    ("Patients with leukaemia and leukostasis", {"condition": LEUKAEMIA, "leukostasis": {"present"}}),
    # tumours; a hyphen is a space; the sources' "cancer" is the two tumour answers, never leukaemia
    ("Single patient from the bone-tumour cohort (PLR)", {"condition": {"bone-tumour"}}),
    ("Malignant bone tumours", {"condition": {"bone-tumour"}}),
    ("Solid tumour patients", {"condition": {"solid-tumour"}}),
    ("Patients with cancer-associated leukemoid reactions", {"condition": {"solid-tumour", "bone-tumour"}}),
    # brackets and what follows "compared with" are a comparison, not the population
    ("Leukemoid reactions compared with acute leukaemia (background in the bone-tumour paper)", {}),
    ("Leukemoid reactions in advanced malignancy compared with CML", {"condition": {"solid-tumour", "bone-tumour"}}),
    ("Malignant bone tumour patients (cohort paper) compared with non-haematological cancer patients (2009 study)",
     {"condition": {"bone-tumour"}}),
    ("Adults (not AML (nor CLL))", {}),
    # whole words only, and an abbreviation only in capitals: "leukemoid" is not "leukemic", "all" is not ALL
    ("Leukemoid reactions in general", {}),
    ("Malignant bone tumour patients with extreme leukocytosis (all causes)", {"condition": {"bone-tumour"}}),
    ("all adults, aml or not", {}),
    ("Adults", {}),
])
def test_a_population_names_the_answers_its_words_say(text, expected):
    assert named(text) == expected


def test_each_name_says_which_words_named_which_answers():
    names = population_names("Patients with acute myeloid leukaemia and leukostasis", NAMED_BY)
    assert [(n.words, n.answers) for n in names] == [
        ("acute myeloid leukaemia", (("condition", "acute-leukaemia"),)),
        ("leukostasis", (("leukostasis", "present"),))]


def test_comparisons_are_cut_from_the_text_read():
    assert population_proper("A (B (C)) and D compared with E; F").split() == ["A", "and", "D", ";", "F"]


# ---------------------------------------------------------------- applies_to against the text


def test_an_aml_population_may_be_acute_leukaemia_only():
    assert population_text_misfits("Acute myeloid leukaemia", {"condition": ["acute-leukaemia"]}, NAMED_BY) == []


def test_a_leukaemia_population_narrowed_to_acute_leukaemia_is_refused_saying_which_words_and_how_to_fix():
    [(question, message, hint)] = population_text_misfits("Patients with leukaemia", {"condition": ["acute-leukaemia"]},
                                                          NAMED_BY)
    assert question == "condition"
    assert "names condition 'chronic-leukaemia' by the words 'leukaemia'" in message
    assert "leaves it out" in message
    assert hint.startswith("add chronic-leukaemia to condition in applies_to")


def test_a_leukostasis_population_that_applies_to_every_leukostasis_answer_is_refused():
    """Review 2026-12, M1: the blog's facts were about patients with leukostasis, their applies_to only about
    the condition, so their advice reached patients whose symptoms were marked absent."""
    [(question, message, hint)] = population_text_misfits(
        "Patients with leukaemia and leukostasis or leukemic lung infiltrates",
        {"condition": ["acute-leukaemia", "chronic-leukaemia"]}, NAMED_BY)
    assert question == "leukostasis"
    assert "names leukostasis 'present' by the words 'leukostasis'" in message
    assert "covers every leukostasis answer" in message
    assert hint.startswith("add leukostasis: [present] to applies_to")


def test_answers_beyond_the_texts_words_are_not_refused():
    assert population_text_misfits("Patients with cancer (background)",
                                   {"condition": ["solid-tumour", "bone-tumour"]}, NAMED_BY) == []
    assert population_text_misfits("Leukemoid reactions in general", {}, NAMED_BY) == []


def test_every_real_fact_fits_its_population_text():
    misfits = {f.id: population_text_misfits(f.context.population, f.context.answers_covered(), NAMED_BY)
               for f in CONTENT.facts.values() if f.context.applies_to is not None}
    assert {k: v for k, v in misfits.items() if v} == {}


# ---------------------------------------------------------------- refsite check, at file:line


@pytest.fixture(scope="module")
def real_copy(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("population") / "content"
    shutil.copytree(REAL_CONTENT, target)
    return target


@pytest.mark.parametrize("fact, old, new, expected", [
    ("hyperleukocytosis-frequency-new-aml", "    population: Newly diagnosed acute myeloid leukaemia\n",
     "    population: Newly diagnosed leukaemia\n",
     "names condition 'chronic-leukaemia' by the words 'leukaemia', but applies_to's condition (acute-leukaemia) "
     "leaves it out"),
    ("leukostasis-no-anticoagulation",
     "    applies_to: {condition: [acute-leukaemia, chronic-leukaemia], leukostasis: [present]}\n",
     "    applies_to: {condition: [acute-leukaemia, chronic-leukaemia]}\n",
     "names leukostasis 'present' by the words 'leukostasis', but applies_to does not name leukostasis"),
])
def test_refsite_check_refuses_the_fact_at_its_applies_to(real_copy, tmp_path, fact, old, new, expected):
    content = tmp_path / "content"
    shutil.copytree(real_copy, content)
    [file] = [f for f in (content / "facts").glob("*.yaml") if f"- id: {fact}\n" in f.read_text()]
    text = file.read_text()
    start = text.index(f"- id: {fact}\n")
    end = text.find("\n- id: ", start + 1)
    end = len(text) if end < 0 else end
    assert old in text[start:end], (fact, old)
    file.write_text(text[:start] + text[start:end].replace(old, new, 1) + text[end:])
    _, problems = check(content)
    found = [p for p in problems if expected in str(p)]
    assert found, [str(p) for p in problems]
    edited = file.read_text()
    line = edited[:edited.index("applies_to:", start)].count("\n") + 1
    assert (found[0].path.endswith(f"facts/{file.name}"), found[0].line) == (True, line), str(found[0])
    assert f"fact '{fact}'" in str(found[0])


def test_the_words_naming_an_answer_are_content(real_copy, tmp_path):
    """Take "leukaemia" from chronic leukaemia's words, and the AML-only facts pass a "leukaemia" population:
    the check reads the words from content/contexts/, nothing is built in."""
    content = tmp_path / "content"
    shutil.copytree(real_copy, content)
    facts = content / "facts" / "epidemiology.yaml"
    replace(facts, "    population: Newly diagnosed acute myeloid leukaemia\n", "    population: Newly diagnosed leukaemia\n")
    assert [p for p in check(content)[1] if "chronic-leukaemia" in str(p)]
    replace(content / "contexts" / "contexts.yaml", "chronic leukemia,\n                 leukaemia, leukemia,",
            "chronic leukemia,\n                 leukemia,")
    assert [str(p) for p in check(content)[1]] == []


# ---------------------------------------------------------------- addresses from before the split


def test_an_old_address_naming_leukaemia_reads_as_not_known():
    questions = contexts_spec(CONTENT)
    assert read_context(questions, {"condition": "leukaemia", "leukostasis": "present"}) == {
        "condition": UNKNOWN, "leukostasis": "present"}
    assert read_context(questions, {"condition": "acute-leukaemia"})["condition"] == "acute-leukaemia"
    assert read_context(questions, {"condition": "chronic-leukaemia"})["condition"] == "chronic-leukaemia"

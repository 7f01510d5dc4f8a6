"""The decision table (generator/render/decisions.py): every context combination × every band edge and one
value inside each band, what every widget shows, as their own evaluators give it; the copy committed at
review/decision-table.csv kept up to date with it; the page and its CSV in the built site."""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
import zipfile

import pytest

from generator import checked_content
from generator.advice import context_questions
from generator.model import UNKNOWN
from generator.quantities import units
from generator.render.decisions import BADGES, CSV_PATH, PAGE
from generator.wording import plain, threshold_in_canonical
from tests.conftest import FIXTURE_CONTENT, REAL_CONTENT, ROOT
from tests.test_build import html_of

COMMITTED = ROOT / "review" / "decision-table.csv"


@pytest.fixture(scope="module")
def checked():
    return checked_content(REAL_CONTENT, with_history=False)


@pytest.fixture(scope="module")
def table(checked) -> str:
    return checked.decision_table()


@pytest.fixture(scope="module")
def rows(table) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(table)))


def test_the_committed_copy_is_the_table_the_content_and_evaluators_give(table):
    committed = COMMITTED.read_text(encoding="utf-8") if COMMITTED.is_file() else ""
    assert committed == table, (
        "review/decision-table.csv is out of date with what the widgets show: run `make decision-table`, "
        "review the diff (each changed line is a change to what a reader is shown) and commit it")


def test_the_site_offers_the_same_table_as_the_committed_copy(checked, table):
    pages = checked.pages()
    assert pages[CSV_PATH] == table
    assert PAGE in pages


def test_a_row_for_each_context_combination_at_each_band_edge_and_one_value_inside_each_band(checked, rows):
    """Every band edge of every scale (read from its threshold facts) is a value of the table, and every band has
    a value inside it (more than one where a count limit some advice carries divides it); at each value, each
    combination of context answers (every option and "not known", read from content) has one row."""
    content = checked.content
    questions = context_questions(content)
    combinations = sorted(itertools.product(*([o.label for o in q.options] + [q.unknown_label] for q in questions)))
    assert len(combinations) == math.prod(len(q.options) + 1 for q in questions)
    registry = units(content)
    values = 0
    for calc in content.calculators.values():
        if calc.scale is None:
            continue
        mine = [r for r in rows if r["Widget"] == calc.title]
        edges = {threshold_in_canonical(content.facts[f], registry)
                 for band in calc.scale.bands for f in (band.lower, band.upper) if f}
        at_edges = {float(r["Value"].split()[0].replace(",", "")) for r in mine if r["Where"] == "edge"}
        assert edges <= at_edges, calc.id
        for band in calc.scale.bands:
            assert any(r["Where"] == "inside band" and r["At"] == band.label for r in mine), (calc.id, band.id)
        for value in dict.fromkeys(r["Value"] for r in mine):
            at_value = sorted(tuple(r[q.label] for q in questions) for r in mine if r["Value"] == value)
            assert at_value == combinations, (calc.id, value)  # each combination once
            values += 1
    assert len(rows) == values * len(combinations)
    assert [int(r["Row"]) for r in rows] == list(range(1, len(rows) + 1))


def _question(content, question_id):
    return next(q for q in context_questions(content) if q.id == question_id)


def test_leukostasis_in_leukaemia_in_the_top_band_gives_the_red_flag_badge_and_the_leukostasis_advice(checked, rows):
    """Leukaemia with leukostasis symptoms at the value inside the top band (150 ×10⁹/L): the calculator's
    badge is the red flag, and what it says to do includes the blog's leukostasis advice, as does the
    checklist's, which lists the leukostasis red flag as present: at every value inside the top band."""
    content = checked.content
    calc = content.calculators["white-cell-count"]
    top = next(b for b in calc.scale.bands if b.upper is None)
    advice = content.facts["leukostasis-leukapheresis-with-chemotherapy"]
    condition = _question(content, "condition")
    leukaemia = next(o.label for o in condition.options if o.id in advice.context.applies_to["condition"])
    present = next(o.label for o in _question(content, "leukostasis").options if o.id == "present")
    found = [r for r in rows if r["Widget"] == calc.title and r["At"] == top.label
             and r[condition.label] == leukaemia and r[_question(content, "leukostasis").label] == present]
    assert found
    for row in found:
        _leukostasis_row(content, row)


def _leukostasis_row(content, row):
    assert row["White-cell count: Badge"] == f"{BADGES['danger'][1]} (danger)"
    for fact_id in ("leukostasis-leukapheresis-with-chemotherapy", "leukostasis-treat-the-leukaemia",
                    "leukostasis-no-anticoagulation"):
        statement = plain(content.facts[fact_id].statement)  # as an instruction: no "In …, according to …:"
        for column in ("White-cell count", content.checklists["extreme-leukocytosis"].title):
            assert any(line.startswith(statement) for line in row[f"{column}: What the sources say to do"].splitlines())
    red_flag = next(i.label for i in content.checklists["extreme-leukocytosis"].red_flags.items if i.id == "leukostasis")
    assert red_flag in row[f"{content.checklists['extreme-leukocytosis'].title}: Red flags present"]


def test_with_the_condition_not_known_population_advice_is_only_what_a_source_says_about_its_patients(checked, rows):
    """No instruction that rests on a population reaches a reader whose context is not known: it is conditional
    text naming its population ('In patients with leukaemia …, according to …:')."""
    content = checked.content
    questions = context_questions(content)
    unknown = [r for r in rows if all(r[q.label] == q.unknown_label for q in questions)]
    assert unknown
    for r in unknown:
        for key, text in r.items():
            if key.endswith("What each source says about its own patients"):
                assert all(line.startswith("In ") and "according to" in line for line in text.splitlines() if line)
    statement = plain(content.facts["leukostasis-no-anticoagulation"].statement)
    assert not any(statement in r["White-cell count: What the sources say to do"] for r in unknown)
    assert any(statement in r["White-cell count: What each source says about its own patients"] for r in unknown)


def test_the_severity_badges_are_those_the_widgets_draw():
    script = (ROOT / "docs" / "assets" / "refsite.js").read_text(encoding="utf-8")
    drawn = dict(re.findall(r'(\w+): \{ icon: "[^"]*", word: "([^"]*)" \}', script))
    assert drawn == {severity: word for severity, (_, word) in BADGES.items()}


def test_content_with_no_scale_has_no_decision_table():
    """The small fixture has no calculator: no page, no CSV, and `refsite decision-table` says so."""
    fixture = checked_content(FIXTURE_CONTENT, with_history=False)
    assert fixture.decision_table() == ""
    assert PAGE not in fixture.pages() and CSV_PATH not in fixture.pages()


def test_refsite_decision_table_writes_the_file_and_check_fails_on_a_stale_copy(tmp_path, table, capsys):
    from generator.cli import main

    out = tmp_path / "table.csv"
    assert main(["--content", str(REAL_CONTENT), "decision-table", "--check", "--out", str(out)]) == 1
    assert "run `make decision-table`" in capsys.readouterr().out
    assert main(["--content", str(REAL_CONTENT), "decision-table", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == table
    assert main(["--content", str(REAL_CONTENT), "decision-table", "--check", "--out", str(out)]) == 0
    out.write_text(table.replace("Red flag (danger)", "Warning (warning)", 1), encoding="utf-8")
    assert main(["--content", str(REAL_CONTENT), "decision-table", "--check", "--out", str(out)]) == 1


# ---------------------------------------------------------------- the built site


def test_the_page_and_its_csv_are_in_the_built_site_and_the_offline_bundle(built_site, table):
    page = html_of(built_site, PAGE)
    assert 'href="../downloads/decision-table.csv"' in page and 'download="decision-table.csv"' in page
    assert "For reviewers" in page
    assert (built_site / CSV_PATH).read_text(encoding="utf-8") == table
    editors = html_of(built_site, "editors-choices.md")
    assert 'href="../decision-table/"' in editors  # in the navigation beside the editors' choices
    with zipfile.ZipFile(next((built_site / "downloads").glob("*.zip"))) as bundle:
        names = bundle.namelist()
    assert any(n.endswith(CSV_PATH) for n in names) and any(n.endswith("decision-table.html") for n in names)


def test_no_value_or_context_is_missing_from_the_page(built_site, rows):
    page = html_of(built_site, PAGE)
    numbers = {int(n) for n in re.findall(r'<span class="decision__row">Row (\d+)</span>', page)}
    assert numbers == {int(r["Row"]) for r in rows}


def test_above_the_counts_a_study_reported_its_findings_are_held_back_and_the_page_says_why(checked, rows):
    """A group of advice limited to the counts a study reported (a range gate) is shown as advice for its own
    context at a value inside that range, and above it only as the study's 'outside the counts' line with each
    finding marked as not shown: read from the calculator's spec, at the rows for that context."""
    from generator.render.decisions import HELD_BACK
    from generator.widgets.calculator.spec import calculator_spec, spec_advice_groups
    from generator.wording import outside_reported

    content = checked.content
    calc = content.calculators["white-cell-count"]
    spec = calculator_spec(calc, content)
    group, gate = next((g, c) for g in spec_advice_groups(spec) for c in g["count"] if c["high"] is not None)
    questions = {q.id: q for q in context_questions(content)}
    context = {questions[q].label: next(o.label for o in questions[q].options if o.id == answers[0])
               for q, answers in group["contexts"].items()}
    mine = [r for r in rows if r["Widget"] == calc.title and all(r[q] == a for q, a in context.items())
            and all(r[q.label] == q.unknown_label for q in questions.values() if q.label not in context)]

    def value(row: dict[str, str]) -> float:
        return float(row["Value"].split()[0].replace(",", ""))

    above = [r for r in mine if value(r) > gate["high"]]
    inside = [r for r in mine if gate["low"] <= value(r) <= gate["high"]
              and all(plain(content.facts[f].statement) in r["White-cell count: What the sources say to do"]
                      for f in group["facts"])]
    assert above and inside
    for row in above:
        shown = row["White-cell count: Outside the counts a study reported"].splitlines()
        assert shown[0].startswith(outside_reported(content.facts[gate["fact"]], units(content)))
        for fact_id in group["facts"]:
            statement = plain(content.facts[fact_id].statement)
            assert f"{HELD_BACK} {statement}" in row["White-cell count: Outside the counts a study reported"]
            assert statement not in row["White-cell count: What the sources say to do"]

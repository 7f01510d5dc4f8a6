"""The `refsite` command as a contributor meets it: grouped problems with the
offending line and a caret, did-you-mean hints, JSON for tools, and `new`
scaffolding records that pass the checks."""

from __future__ import annotations

import io
import json
import os

import pytest

from generator import cli
from generator.pipeline import check, checked_content
from generator.problems import ContentError
from generator.schemas import modeline
from tests.conftest import line_of, replace, run_cli


def break_two_files(content):
    replace(content / "facts" / "facts.yaml", "  statement: Most", "  statment: Most")
    replace(content / "facts" / "facts.yaml", "unit: /uL", "unit: cells/µL")
    replace(content / "glossary" / "glossary.yaml", "topic: test-topic", "topic: test-topics")


def test_check_groups_by_file_with_line_caret_and_summary(content_copy):
    break_two_files(content_copy)
    result = run_cli(content_copy, "check")
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    facts, glossary = "content/facts/facts.yaml", "content/glossary/glossary.yaml"
    assert lines[0] == f"── {facts} (2 problems)"
    assert f"── {glossary} (1 problem)" in lines
    assert lines.index(f"── {glossary} (1 problem)") > max(i for i, l in enumerate(lines) if l.startswith(facts))
    # the plain line, then the source line with its number, then a caret under the column
    key_line = line_of(content_copy / "facts" / "facts.yaml", "statment:")
    plain = f"{facts}:{key_line}:3: unknown key 'statment' — did you mean 'statement'?"
    at = lines.index(plain)
    assert lines[at + 1] == f"{key_line:>6} |   statment: Most had neutrophil predominance."
    assert lines[at + 2] == "       |   ^"
    assert lines[-1] == "3 problems in 2 files (8 files checked); fix them and run `refsite check` again"


def test_caret_sits_under_the_column_in_a_long_line(content_copy):
    replace(content_copy / "facts" / "facts.yaml", "unit: /uL", "unit: cells/µL")
    lines = run_cli(content_copy, "check").stdout.splitlines()
    at = next(i for i, l in enumerate(lines) if "unknown unit 'cells/µL' — did you mean '/uL'?" in l)
    column = int(lines[at].split(":")[2])
    shown, caret = lines[at + 1].split("| ", 1)[1], lines[at + 2].split("| ", 1)[1]
    assert shown[len(caret) - 1:].startswith("cells/µL")  # long line: cut to a window, caret still aligned
    assert shown.startswith("…") and column > len(caret)


def test_did_you_mean_for_listed_values_units_and_ids(content_copy):
    replace(content_copy / "facts" / "facts.yaml", "kind: statistic\n  statement: Men", "kind: statstic\n  statement: Men")
    replace(content_copy / "facts" / "facts.yaml", "unit: /uL", "unit: x10^3/µL")
    replace(content_copy / "topics" / "test-topic.yaml", "facts: [test-threshold, test-dose]", "facts: [test-treshold, test-dose]")
    out = run_cli(content_copy, "check").stdout
    assert "did you mean 'statistic'?" in out
    assert "unknown unit 'x10^3/µL' — did you mean '10*3/uL'?" in out
    assert "unknown fact 'test-treshold' — did you mean 'test-threshold'?" in out


def test_a_broken_record_is_reported_once_not_again_where_it_is_referenced(content_copy):
    replace(content_copy / "facts" / "facts.yaml", "  statement: Most", "  statment: Most")
    out = run_cli(content_copy, "check").stdout
    assert "unknown key 'statment'" in out
    assert "unknown fact 'test-neutrophils'" not in out


def test_json_format_for_tools(content_copy):
    break_two_files(content_copy)
    result = run_cli(content_copy, "check", "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False and report["files_checked"] == 8
    assert len(report["problems"]) == 3
    first = report["problems"][0]
    assert set(first) >= {"path", "line", "column", "message", "hint", "text", "source_line"}
    assert first["text"] == f"{first['path']}:{first['line']}:{first['column']}: {first['message']} — {first['hint']}"
    assert first["source_line"] == (content_copy.parent / first["path"]).read_text().splitlines()[first["line"] - 1]


def test_json_format_when_valid(content_copy):
    result = run_cli(content_copy, "check", "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["valid"] is True and report["problems"] == []
    assert report["records"] == {"site": 1, "quantities": 6, "contexts": 2, "sources": 2, "facts": 4, "topics": 1, "glossary": 1, "calculators": 0, "choices": 1,
                                 "checklists": 0}


def test_what_check_prints_reaches_a_pipe_whole_before_the_command_exits(content_copy):
    """`refsite check` ends its process without freeing the loaded content (os._exit), which skips
    Python's own flushing: a short report, and the tail of a long one, must still arrive through a
    pipe, in both formats (with Python's buffering on, as a contributor's terminal tool has it)."""
    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    valid = run_cli(content_copy, "check", env=buffered)
    assert valid.returncode == 0 and valid.stdout.startswith("content is valid: 1 site")
    assert json.loads(run_cli(content_copy, "check", "--format", "json", env=buffered).stdout)["valid"] is True
    records = "".join(f"- id: broken-{n}\n  statment: Typo.\n" for n in range(400))
    (content_copy / "facts" / "broken.yaml").write_text(f"{modeline('facts')}\n{records}")
    text = run_cli(content_copy, "check", env=buffered)
    assert text.returncode == 1 and len(text.stdout) > 200_000  # far more than a pipe's buffer
    assert text.stdout.endswith("1600 problems in 1 file (9 files checked); fix them and run `refsite check` again\n")
    report = run_cli(content_copy, "check", "--format", "json", env=buffered)
    assert report.returncode == 1 and len(json.loads(report.stdout)["problems"]) == 1600


# ---------------------------------------------------------------- refsite new

THRESHOLD_FLAGS = ["--file", "facts.yaml", "--id", "test-high-count", "--kind", "threshold",
                   "--statement", "A count above 30 is called high here.", "--population", "malignant bone tumour",
                   "--source", "cohort", "--locator", "Table I", "--quantity", "wbc", "--comparator", ">",
                   "--value", "30", "--unit", "10*9/L", "--defines", "a high count", "--as-stated", "above 30 x 10^9/L"]


def test_new_fact_from_flags_is_valid_and_listed_on_its_page(content_copy):
    result = run_cli(content_copy, "new", "fact", *THRESHOLD_FLAGS, "--topic", "test-topic", "--section", "Cohort")
    assert result.returncode == 0, result.stderr
    assert "content is valid" in result.stdout
    content, problems = check(content_copy)
    assert problems == []
    fact = content.facts["test-high-count"]
    assert (fact.threshold.comparator, fact.threshold.value, fact.threshold.unit) == (">", 30, "10*9/L")
    assert content.topics["test-topic"].sections[1].facts[-1] == "test-high-count"
    line = line_of(content_copy / "facts" / "facts.yaml", "- id: test-high-count")
    assert f"added fact 'test-high-count' at {content_copy}/facts/facts.yaml:{line}" in result.stdout


def test_new_fact_in_a_new_file_starts_with_the_modeline(content_copy):
    flags = [f if f != "facts.yaml" else "new-thresholds.yaml" for f in THRESHOLD_FLAGS]
    assert run_cli(content_copy, "new", "fact", *flags, "--topic", "test-topic", "--section", "Definition").returncode == 0
    text = (content_copy / "facts" / "new-thresholds.yaml").read_text()
    assert text.splitlines()[0] == modeline("facts")
    assert check(content_copy)[1] == []


def test_new_fact_in_a_block_style_section(content_copy):
    replace(content_copy / "topics" / "test-topic.yaml", "facts: [test-threshold, test-dose]",
            "facts:\n      - test-threshold\n      - test-dose  # a comment")
    assert run_cli(content_copy, "new", "fact", *THRESHOLD_FLAGS, "--topic", "test-topic", "--section", "Definition").returncode == 0
    assert "      - test-dose  # a comment\n      - test-high-count\n" in (content_copy / "topics" / "test-topic.yaml").read_text()
    content, problems = check(content_copy)
    assert problems == [] and content.topics["test-topic"].sections[0].facts[-1] == "test-high-count"


def test_new_with_bad_or_missing_answers_writes_nothing(content_copy):
    before = {p: p.read_bytes() for p in content_copy.rglob("*.yaml")}
    result = run_cli(content_copy, "new", "fact", "--no-input", "--file", "facts.yaml", "--id", "Bad Id",
                     "--kind", "threshhold", "--source", "cohrt")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "--id: 'Bad Id' is not an id" in result.stderr
    assert "did you mean 'threshold'?" in result.stderr
    assert "--source: 'cohrt' is not one of: ai-page, cohort; did you mean 'cohort'?" in result.stderr
    assert "--statement: an answer is needed" in result.stderr
    duplicate = run_cli(content_copy, "new", "fact", *[f if f != "test-high-count" else "test-sex" for f in THRESHOLD_FLAGS])
    assert duplicate.returncode == 1 and "there is already a fact 'test-sex'" in duplicate.stderr
    assert {p: p.read_bytes() for p in content_copy.rglob("*.yaml")} == before


def test_new_source_and_topic(content_copy):
    source = run_cli(content_copy, "new", "source", "--no-input", "--id", "riley-test", "--type", "article-journal",
                     "--title", "Evaluation of patients with leukocytosis", "--short-title", "Riley review", "--label", "Riley 2015",
                     "--year", "2015", "--doi", "10.1000/test.1", "--document-type", "Narrative review",
                     "--editors-addition", "a standard definition from outside the source documents",
                     "--strength", "moderate", "--summary", "A review for family physicians.")
    assert source.returncode == 0, source.stderr
    topic = run_cli(content_copy, "new", "topic", "--no-input", "--id", "second-topic", "--title", "Second topic",
                    "--summary", "Another page.", "--heading", "Numbers", "--facts", "test-sex, test-neutrophils",
                    "--reviewed-by", "A. Reviewer", "--last-reviewed", "2026-01-02")
    assert topic.returncode == 0, topic.stderr
    content, problems = check(content_copy)
    assert problems == []
    assert content.sources["riley-test"].issued.date_parts == [[2015]]
    second = content.topics["second-topic"]
    assert second.order == 2 and second.sections[0].facts == ["test-sex", "test-neutrophils"]
    assert (content_copy / "topics" / "second-topic.yaml").read_text().startswith(modeline("topics") + "\n")


class _Typed(io.StringIO):
    """Answers typed at a terminal."""

    def isatty(self):
        return True


def test_new_fact_asks_for_what_is_missing_and_asks_again_after_a_bad_answer(content_copy, monkeypatch, capsys):
    # not the fixture's own count of men (test-sex): a second fact with it would be refused as a duplicate
    answers = ["facts.yaml", "test-typed-fact", "statstic", "statistic", "Fewer than half were women.",
               "malignant bone tumour", "cohort", "Table II", "test-topic", "Cohort", "46", "105", "43.8"]
    monkeypatch.setattr("sys.stdin", _Typed("\n".join(answers) + "\n"))
    assert cli.main(["--content", str(content_copy), "new", "fact"]) == 0
    out = capsys.readouterr().out
    assert "Kind of fact [definition, threshold" in out
    assert "'statstic' is not one of" in out and "did you mean 'statistic'?" in out
    assert "Count (n)" in out  # a statistic asks for its numbers
    content, problems = check(content_copy)
    assert problems == []
    measure = content.facts["test-typed-fact"].measure
    assert (measure.n, measure.denominator, measure.reported_percent) == (46, 105, 43.8)
    assert content.topics["test-topic"].sections[1].facts[-1] == "test-typed-fact"


def test_new_stops_cleanly_when_input_ends(content_copy, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", _Typed("facts.yaml\n"))
    assert cli.main(["--content", str(content_copy), "new", "fact"]) == 1
    assert "--id: no answer given" in capsys.readouterr().err


@pytest.mark.parametrize("what, flag", [("fact", "--as-stated"), ("source", "--short-title"), ("topic", "--reviewed-by")])
def test_new_help_lists_its_flags(what, flag, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["new", what, "--help"])
    assert exit_info.value.code == 0 and flag in capsys.readouterr().out


@pytest.mark.parametrize("folder", ["missing", "empty"])
def test_a_missing_or_empty_content_folder_is_one_located_problem_not_an_empty_site(tmp_path, folder):
    content = tmp_path / "content"
    if folder == "empty":
        (content / "facts").mkdir(parents=True)
        (content / "facts" / "notes.txt").write_text("not YAML", encoding="utf-8")
    result = run_cli(content, "check")
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    wanted = {"missing": "content: content folder not found — run from the project's root folder",
              "empty": "content: the content folder holds no content files — put each record's YAML file in the subfolder"}
    assert wanted[folder] in result.stdout
    assert "1 problem in 1 file (0 files checked)" in result.stdout
    with pytest.raises(ContentError) as raised:
        checked_content(content)
    assert [str(p).split(" — ")[0] for p in raised.value.problems] == [wanted[folder].split(" — ")[0]]

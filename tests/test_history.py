"""When content changed: dates from git for every page, a changes page that
marks threshold changes, and file dates outside a git checkout."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.history import read_history
from generator.pipeline import check
from generator.pipeline import CheckedContent
from tests.conftest import FIXTURE_CONTENT, replace


def git(repo: Path, *args: str, date: str = "2026-01-02") -> str:
    stamp = f"{date}T12:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_NAME": "Test",
           "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def commit_all(repo: Path, message: str, date: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A project whose content has three commits: created, a threshold raised, an unrelated source added."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE_CONTENT, root / "content")
    git(root, "init", "-q")
    commit_all(root, "Add the test content", "2026-01-02")
    replace(root / "content" / "facts" / "facts.yaml", "value: 50000", "value: 60000")
    commit_all(root, "Raise the leukemoid threshold", "2026-02-03")
    other = (root / "content" / "sources" / "sources.yaml").read_text().split("- id: ai-page")[0]
    (root / "content" / "sources" / "other.yaml").write_text(other.replace("id: cohort", "id: other-cohort")
                                                                .replace("label: Test cohort", "label: Other cohort"))
    commit_all(root, "Add another source", "2026-03-04")
    return root


def test_dates_and_changes_come_from_git(repo):
    history = read_history(repo / "content")
    assert history.from_git and not history.shallow
    assert history.file_dates["content/facts/facts.yaml"] == dt.date(2026, 2, 3)
    assert history.file_dates["content/topics/test-topic.yaml"] == dt.date(2026, 1, 2)
    assert history.file_dates["content/sources/other.yaml"] == dt.date(2026, 3, 4)
    assert [c.subject for c in history.changes] == ["Add another source", "Raise the leukemoid threshold",
                                                    "Add the test content"]
    raised = history.changes[1]
    assert [(t.fact_id, t.before, t.after) for t in raised.thresholds] == [("test-threshold", (">", 50000, "/uL"), (">", 60000, "/uL"))]
    assert history.changes[0].thresholds == []
    assert [t.fact_id for t in history.changes[2].thresholds] == ["test-threshold"]  # new in the first commit


def test_uncommitted_edits_use_the_file_date(repo):
    facts = repo / "content" / "facts" / "facts.yaml"
    replace(facts, "Most had", "Nearly all had")
    stamp = dt.datetime(2026, 4, 5, 12).timestamp()
    os.utime(facts, (stamp, stamp))
    assert read_history(repo / "content").file_dates["content/facts/facts.yaml"] == dt.date(2026, 4, 5)


def test_each_page_shows_when_the_content_it_rests_on_last_changed(repo):
    content, problems = check(repo / "content")
    assert problems == []
    pages = CheckedContent(content, read_history(repo / "content")).pages()
    # the topic page rests on the topic, its facts and their sources: not on the source added later
    assert "Content last changed 2026-02-03 · [All content changes](changes.md)" in pages["test-topic.md"]
    assert "Content last changed 2026-03-04" in pages["index.md"] and "Content last changed 2026-03-04" in pages["sources.md"]


def test_changes_page_lists_changes_by_date_and_marks_thresholds(repo):
    content, _ = check(repo / "content")
    page = CheckedContent(content, read_history(repo / "content")).pages()["changes.md"]
    assert [m for m in re.findall(r"^## (\S+)", page, re.M)] == ["2026-03-04", "2026-02-03", "2026-01-02"]
    raised = page[page.index("## 2026-02-03"):page.index("## 2026-01-02")]
    assert '<div class="change change--threshold" markdown>' in raised
    assert "[leukemoid reaction](test-topic.md#test-threshold): &gt; 50,000 /µL → &gt; 60,000 /µL" in raised
    assert "Pages: [Test topic](test-topic.md)" in raised
    added = page[page.index("## 2026-03-04"):page.index("## 2026-02-03")]
    assert "change--threshold" not in added and "[References](sources.md)" in added


def test_changes_page_lists_what_changed_in_the_content_never_commit_messages(repo):
    """Review 2026-12, m19: the page showed engineering commit subjects ("WIP: …", "After rebase on main…").
    It lists, per kind of content, the records each change added, changed (and which of their parts) or
    removed; a change to comments or layout only is left out."""
    facts = repo / "content" / "facts" / "facts.yaml"
    replace(facts, "  statement: Most had neutrophil predominance.", "  statement: Nearly all had neutrophil predominance.")
    text = facts.read_text()
    facts.write_text(text[:text.index("- id: test-dose")])
    replace(repo / "content" / "topics" / "test-topic.yaml", "facts: [test-threshold, test-dose]", "facts: [test-threshold]")
    commit_all(repo, "WIP: after rebase on main, reword and drop", "2026-04-05")
    facts.write_text("# A comment only\n" + facts.read_text())
    commit_all(repo, "Comment tidy-up", "2026-05-06")
    history = read_history(repo / "content")
    assert [(r.kind, r.record_id, r.how, r.fields) for r in history.changes[1].records] == [
        ("facts", "test-dose", "removed", []), ("facts", "test-neutrophils", "changed", ["statement"]),
        ("topics", "test-topic", "changed", ["sections"])]
    assert history.changes[0].records == []  # the comment
    content, _ = check(repo / "content")
    page = CheckedContent(content, history).pages()["changes.md"]
    for subject in ("WIP", "rebase", "Comment tidy-up", "Raise the leukemoid threshold", "Add another source",
                    "Add the test content"):
        assert subject not in page, subject
    assert "## 2026-05-06" not in page  # nothing a reader sees changed that day
    reworded = page[page.index("## 2026-04-05"):page.index("## 2026-03-04")]
    assert "Statements" in reworded
    assert "- [test-neutrophils](test-topic.md#test-neutrophils): changed (reworded)" in reworded
    assert "- test-dose: removed" in reworded  # no page left to link to
    assert "Topic pages" in reworded and "- [Test topic](test-topic.md): changed (sections)" in reworded
    raised = page[page.index("## 2026-02-03"):page.index("## 2026-01-02")]
    assert "- [test-threshold](test-topic.md#test-threshold): changed (threshold)" in raised
    added = page[page.index("## 2026-03-04"):page.index("## 2026-02-03")]
    assert "References" in added and ": added" in added
    # the same history gives the same page
    assert CheckedContent(content, read_history(repo / "content")).pages()["changes.md"] == page


def test_a_threshold_written_in_another_unit_says_it_is_the_same_cut_off(repo):
    replace(repo / "content" / "facts" / "facts.yaml", "value: 60000, unit: /uL", "value: 60, unit: 10*9/L")
    commit_all(repo, "Same cut-off in ×10⁹/L", "2026-04-05")
    content, _ = check(repo / "content")
    page = CheckedContent(content, read_history(repo / "content")).pages()["changes.md"]
    day = page[page.index("## 2026-04-05"):page.index("## 2026-03-04")]
    assert "→ &gt; 60 ×10⁹/L (the same cut-off, written in another unit)" in day
    assert "(the same cut-off" not in page[page.index("## 2026-02-03"):]  # 50,000 → 60,000 is a new value


def test_shallow_clone_says_older_changes_are_missing(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    history = read_history(clone / "content")
    assert history.shallow and len(history.changes) == 1
    content, _ = check(clone / "content")
    assert "Only part of the version history" in CheckedContent(content, history).pages()["changes.md"]


def test_outside_a_git_checkout_file_dates_are_used(content_copy):
    stamp = dt.datetime(2026, 5, 6, 12).timestamp()
    for file in content_copy.rglob("*.yaml"):
        os.utime(file, (stamp, stamp))
    history = read_history(content_copy)
    assert not history.from_git and history.changes == []
    content, _ = check(content_copy)
    pages = CheckedContent(content, history).pages()
    assert "Content last changed 2026-05-06 (file dates: no version history in this copy)" in pages["test-topic.md"]
    assert "built outside the project's version history" in pages["changes.md"]


def test_without_history_pages_are_unchanged():
    content, _ = check(FIXTURE_CONTENT)
    pages = CheckedContent(content).pages()
    assert "changes.md" not in pages and not any("page-history" in text for text in pages.values())


def test_built_site_shows_dates_and_the_changes_page(built_site):
    for page in ("leukemoid-reaction", "sources", "changes"):
        html = (built_site / page / "index.html").read_text()
        assert re.search(r'<p class="page-history">Content last changed \d{4}-\d{2}-\d{2}', html), page
    assert "<h1" in (built_site / "changes" / "index.html").read_text()

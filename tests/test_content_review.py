"""The real content against what a clinician-editor's review found (issue 13), where no general
validator rule can say it: each test names the defect it would have caught."""

from __future__ import annotations

import re

import pytest

from generator.citations import inline_citations
from generator.pipeline import check
from tests.conftest import REAL_CONTENT


@pytest.fixture(scope="module")
def content():
    content, problems = check(REAL_CONTENT)
    assert problems == []
    return content


# ---------------------------------------------------------------- rules that read English words
#
# Validator rules in spirit, kept here because they read words: the benchmarks' synthetic content turns
# every word into one of a few dozen placeholders, and those collide.

ADVICE_KINDS = {"management", "monitoring", "warning"}
SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z\[(\"“])")


def mentioned(entry, text: str) -> str | None:
    """The first of a glossary entry's names that text holds as whole words (abbreviations in capitals only)."""
    for name in [entry.term, *entry.synonyms, *entry.misspellings]:
        if found := re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, 0 if name.isupper() else re.I):
            return found.group(0)
    return None


def test_topic_summaries_say_whose_advice_they_repeat(content):
    """A summary is read on its own (the home page lists them): 'Treat the leukaemia urgently
    (leukapheresis with chemotherapy)' read as the site's instruction, when only the blog post calls
    it standard of care and the AI answer says it 'might be considered'."""
    assert unattributed(content) == []


def test_the_attribution_rule_finds_the_summary_the_review_found(content):
    import copy
    topic = copy.deepcopy(content.topics["hyperleukocytosis-and-leukostasis"])
    topic.summary = ("Treat the leukaemia urgently (leukapheresis with chemotherapy), and do not start "
                     "anticoagulation for a CT picture that looks like a PE.")
    found = unattributed(content, [topic])
    assert ("hyperleukocytosis-and-leukostasis", "leukapheresis") in {(t, n) for t, n, _ in found}
    assert ("hyperleukocytosis-and-leukostasis", "PE") in {(t, n) for t, n, _ in found}


def unattributed(content, topics=None) -> list[tuple[str, str, list[str]]]:
    weak = {s.id for s in content.sources.values() if s.appraisal.strength in ("very-low", "low")}
    found = []
    for topic in topics or content.topics.values():
        advice = [content.facts[f] for s in topic.sections for f in s.facts
                  if content.facts[f].kind in ADVICE_KINDS and all(c.source in weak for c in content.facts[f].cite)]
        for sentence in SENTENCE_END.split(topic.summary):
            cited = {key for key, _ in inline_citations(sentence)}
            for entry in content.glossary.values():
                name = mentioned(entry, sentence)
                if not name or mentioned(entry, topic.title):
                    continue
                facts = [f for f in advice if mentioned(entry, f.statement)]
                if facts and not cited & {c.source for f in facts for c in f.cite}:
                    found.append((topic.id, name, [f.id for f in facts]))
    return found

"""The real content against what a clinician-editor's review found (issue 13), where no general
validator rule can say it: each test names the defect it would have caught."""

from __future__ import annotations

import re

import pytest

from generator.citations import inline_citations
from generator.pipeline import check
from generator.render.kit import STRENGTH_LABEL
from tests.conftest import REAL_CONTENT, ROOT


@pytest.fixture(scope="module")
def content():
    content, problems = check(REAL_CONTENT)
    assert problems == []
    return content


# What each kind of document is called on the evidence page, by words of its appraisal's document type.
DOCUMENT_WORDS = {"case report": "case report", "review": "review", "blog": "blog post",
                  "ai-generated": "AI-generated", "retrospective": "retrospective"}


def test_the_evidence_page_rates_each_kind_of_source_as_the_sources_are_rated(content):
    """The page said case reports were weak sources while the one case report is rated very weak, and
    used rating words ('Strong and moderate') that are not the badges the site shows."""
    page = (ROOT / "docs" / "reading-the-evidence.md").read_text()
    bullets = {label: line for label in STRENGTH_LABEL.values()
               for line in page.splitlines() if line.strip().startswith(f"- *{label}*")}
    assert set(bullets) == set(STRENGTH_LABEL.values()), "one bullet per badge, in the badge's own words"
    for source in content.sources.values():
        kind = source.appraisal.document_type.lower()
        words = [w for key, w in DOCUMENT_WORDS.items() if key in kind]
        assert words, f"say on the evidence page where a {kind} stands"
        bullet = bullets[STRENGTH_LABEL[source.appraisal.strength]]
        assert any(w.lower() in bullet.lower() for w in words), (source.id, bullet)
    unrated = {s.appraisal.strength for s in content.sources.values()}
    for strength, label in STRENGTH_LABEL.items():
        if strength not in unrated:
            assert "No source on this site is rated" in bullets[label], label


def test_no_fact_gives_the_whole_cohorts_count_range_to_the_plr_group(content):
    """Table II's white-count range (43.7-130.1 K/µL) describes all 105 patients; nothing says the PLR
    patients reached 130.1."""
    whole = content.facts["cohort-mean-wbc-at-presentation"]
    assert "all causes" in whole.context.population
    for fact in content.facts.values():
        if "PLR" in fact.context.population and "all causes" not in fact.context.population:
            assert not re.search(r"\b(130\.1|43\.7)\b", fact.statement), fact.id


def test_the_plr_summary_names_every_cause_to_exclude_and_how_it_resolves(content):
    """The summary left out bone metastases with necrosis, and said PLR settles 'only if' the cancer is
    treated where the paper says it resolves with treatment of the underlying cancer."""
    summary = content.topics["paraneoplastic-leukemoid-reaction"].summary
    for cause in ("infection", "blood cancer", "corticosteroids", "growth factors", "bleeding",
                  "bone metastases with necrosis"):
        assert cause in summary, cause
    assert "resolves with treatment of the underlying cancer" in summary and "only if" not in summary


def test_table_two_tumour_rows_are_read_as_the_plr_groups_only_as_an_inference(content):
    """Table III shows the infection group had the same four tumour types, so the rows under the PLR row
    are the PLR group's only by inference, and every one of them says so."""
    rows = [f for f in content.facts.values() if f.id.startswith("cohort-plr-tumour-")]
    assert len(rows) == 4
    for fact in rows:
        assert "inference" in fact.statement and "inference" in fact.context.population, fact.id
    reading = content.facts["cohort-table2-tumour-rows-reading"]
    assert {c.locator for c in reading.cite} == {"Table II", "Table III"}


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


def test_a_term_with_its_own_glossary_entry_is_no_other_entrys_synonym(content):
    """'Extreme leukocytosis' was given as a synonym of leukemoid reaction; a leukemoid reaction is one
    cause of an extreme count. A synonym claims two words mean the same, so a term with an entry of its
    own is not another entry's synonym or misspelling, and no two entries share a term."""
    terms = {}
    for entry in content.glossary.values():
        assert terms.setdefault(entry.term.lower(), entry.id) == entry.id, entry.term
    for entry in content.glossary.values():
        for name in entry.synonyms + entry.misspellings:
            assert terms.get(name.lower(), entry.id) == entry.id, (entry.id, name)
    assert "extreme leukocytosis" in terms
    assert "extreme leukocytosis" not in [n.lower() for n in content.glossary["leukemoid"].synonyms]


def test_no_note_says_a_percent_fits_no_denominator_when_truncation_fits_one(content):
    """Review 2026-12, m3: '3% fits no obvious denominator' (4/105 = 3.8%) and 'none gives 3%' (2/58 = 3.4%),
    though the site reads printed percents as rounded or truncated."""
    claims = re.compile(r"fits no\b|fits none|none gives|no obvious denominator", re.I)
    found = [(fact.id, text) for fact in content.facts.values() for _path, text, _prose in fact.texts()
             if claims.search(text)]
    assert found == []
    reading = content.choices["percent-rounded-or-truncated"]
    assert {p.id for p in reading.where} >= {"cohort-plr-hospice-lost", "cohort-infection-urinary"}

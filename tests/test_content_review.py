"""The real content against what a clinician-editor's review found (issue 13), where no general
validator rule can say it: each test names the defect it would have caught."""

from __future__ import annotations

import re

import pytest

from generator.citations import inline_citations
from generator.pipeline import CheckedContent, check
from generator.render.kit import STRENGTH_LABEL, site_settings
from generator.widgets.checklist.spec import checklist_items, item_facts
from tests.conftest import REAL_CONTENT, ROOT, widget_data


@pytest.fixture(scope="module")
def content():
    content, problems = check(REAL_CONTENT)
    assert problems == []
    return content


@pytest.fixture(scope="module")
def real_pages(content):
    return CheckedContent(content).pages()


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
    # m6 (review 2026-12): the paper's claim, resting on earlier reports and 2 survivors, not a stated fact
    assert "the paper says it resolves" in summary and "2 survivors" in summary


def test_site_inferences_are_not_stated_as_the_sources_findings(content):
    """m5, m7 (review 2026-12): 'much less common' compared shares of different groups; 'should receive
    effective anticancer treatment' rests on 2 survivors with no comparison group."""
    infiltrates = content.facts["leukemic-infiltrates-frequency"].statement
    assert "much less common than" not in infiltrates and "different groups" in infiltrates
    treat = content.facts["cohort-give-effective-anticancer-treatment"]
    assert "2 patients" in treat.statement and "no comparison group" in treat.statement
    assert "Results, paragraph 2" in [c.locator for c in treat.cite]  # where the 2 survivors are reported


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


def test_widget_results_mark_every_fact_from_a_source_the_editors_added(content, real_pages):
    """M8 (review 2026-12): topic pages said Riley and Röllig were added by the editors, but the calculator's
    check lines and result messages showed them only as "(Moderate source)". Every line a widget's script
    shows for a fact (result messages in both forms, check lines, boundary notes) and every checklist item
    line carries the editors' mark exactly when one of its sources is an editors' addition."""
    tag = site_settings(content).editors_tag
    assert "outside the three source documents" in tag
    added = {s.id for s in content.sources.values() if s.editors_addition}

    def from_added(facts) -> bool:
        return any(c.source in added for f in facts for c in f.cite)

    marked = unmarked = 0
    for path, text in real_pages.items():
        for data in widget_data(text):
            view = data["view"]
            lines = [(f, html) for f, forms in view.get("messages", {}).items() for html in forms.values()]
            lines += [(f, html) for key in ("checks", "boundary_notes") for f, html in view.get(key, {}).items()]
            for fact_id, html in lines:
                expected = from_added([content.facts[fact_id]])
                assert (tag in html) == expected, (path, fact_id, html)
                marked, unmarked = marked + expected, unmarked + (not expected)
            for item in [i for checklist in content.checklists.values() for i in checklist_items(checklist)]:
                if item.id in view.get("markers", {}):
                    assert (tag in view["markers"][item.id]) == from_added(item_facts(item, content)), item.id
                    marked += from_added(item_facts(item, content))
    assert marked >= 5 and unmarked >= 5  # the calculator's definitions and messages, and the rest


def test_standard_definitions_quote_their_printed_wording(content):
    """M8, m1: 'As printed' showed the editors' summary ("above 100 × 10⁹/L"), and Röllig's pages were marked
    unconfirmed; both were checked against the publishers' pages (2026-12)."""
    assert content.facts["hyperleukocytosis-threshold-aml"].threshold.as_stated == \
        "commonly defined by a white blood cell count >100 000/µL"
    assert content.facts["leukocytosis-threshold-adults"].threshold.as_stated == \
        "greater than 11,000 per mm3 (11.0 × 10⁹ per L) in nonpregnant adults"
    assert "4.5 to 11.0 × 10⁹ per L" in content.facts["adult-wbc-reference-range"].measure.criterion
    for source_id in ("riley-2015-leukocytosis", "rollig-2015-hyperleukocytosis"):
        source = content.sources[source_id]
        assert source.unconfirmed == [] and "not re-checked" not in source.editors_addition
        assert "from outside the three source documents" in source.editors_addition
    assert content.sources["rollig-2015-hyperleukocytosis"].page == "3246-3252"
    for fact in content.facts.values():
        if any(c.source in ("riley-2015-leukocytosis", "rollig-2015-hyperleukocytosis") for c in fact.cite):
            assert "not re-checked" not in ((fact.threshold and fact.threshold.provenance_note) or ""), fact.id


def test_granger_is_a_full_record_and_shared_figures_count_once(content):
    """m2 (review 2026-12): the bone-tumour paper's abstract repeats Granger and Kontoyiannis 2009 almost sentence
    for sentence, so the two agreeing is one line of evidence; both appraisals must say so."""
    granger = content.sources["granger-2009-extreme-leukocytosis"]
    assert (granger.container_title, granger.volume, granger.issue, granger.page, granger.DOI, granger.PMID) == \
        ("Cancer", "115", "17", "3919-3923", "10.1002/cncr.24480", "19551882")
    assert granger.unconfirmed == [] and granger.appraisal.n == 758
    for source in (granger, content.sources["bone-tumour-cohort"]):
        problems = " ".join(source.appraisal.problems)
        assert "one line of evidence, not two" in problems, source.id
    cohort = " ".join(content.sources["bone-tumour-cohort"].appraisal.problems)
    assert "shares most of its sentences" in cohort and "cannot be settled here" not in cohort


def test_the_card_says_the_editors_treat_an_item_as_a_red_flag(real_pages):
    """m9 (review 2026-12): the quick-reference card said 'a red flag in the sources', though no source uses the
    words; the editors' choice says the editors label them."""
    card = real_pages["quick-reference.md"]
    assert "red flag in the sources" not in card and "a red flag (editors) in:" in card


def test_a_low_count_is_not_shown_as_only_not_above_the_cut_off(content):
    """Review 2026-12: a count of 1 or 0.5 read only 'Not above the adult leukocytosis cut-off'; the band takes
    every count up to 11, so its label says a count there may be below the reference range, and its first fact
    gives the range."""
    band = next(b for b in content.calculators["white-cell-count"].scale.bands if b.lower is None)
    assert "below the adult reference range" in band.label
    assert band.facts[0].facts[0] == "adult-wbc-reference-range"


def test_an_item_with_two_sources_cut_offs_does_not_put_both_in_its_title(content):
    """m10 (review 2026-12): the leukostasis item read 'Symptoms that could be leukostasis (> 100 ×10⁹/L or
    ≥ 100 ×10⁹/L)'. With differing cut-offs the title is the label alone, and each cut-off is listed with its
    source under the item; a single cut-off stays in the title."""
    from generator.widgets.checklist.spec import item_name
    items = {i.id: i for c in content.checklists.values() for i in checklist_items(c)}
    assert item_name(items["leukostasis"], content) == items["leukostasis"].label
    single = next(i for i in items.values() if len(i.thresholds) == 1)
    assert item_name(single, content).startswith(single.label + " (")


def test_the_choices_page_lists_the_interpretations_the_review_found_missing(content, real_pages):
    """Review 2026-12, section 3 (items 7, 9, 10, 11): the band's name and span, inferences written into facts,
    truncation against rounding, and details taken from the editors' look-ups rather than the documents. The
    items about gating, severity and advice selection wait for the advice engine's rewrite."""
    page = real_pages["editors-choices.md"]
    for choice in ("extreme-band-name-and-span", "inferences-written-into-facts", "truncated-percentages",
                   "provenance-from-the-project-guide"):
        assert choice in content.records["choices"], choice
        assert f'id="choice-{choice}"' in page, choice
    assert "A definition is never tagged" not in page  # m15: two cut-offs are tagged

def test_no_note_says_a_percent_fits_no_denominator_when_truncation_fits_one(content):
    """Review 2026-12, m3: '3% fits no obvious denominator' (4/105 = 3.8%) and 'none gives 3%' (2/58 = 3.4%),
    though the site reads printed percents as rounded or truncated."""
    claims = re.compile(r"fits no\b|fits none|none gives|no obvious denominator", re.I)
    found = [(fact.id, text) for fact in content.facts.values() for _path, text, _prose in fact.texts()
             if claims.search(text)]
    assert found == []
    reading = content.choices["percent-rounded-or-truncated"]
    assert {p.id for p in reading.where} >= {"cohort-plr-hospice-lost", "cohort-infection-urinary"}


# ---------------------------------------------------------------- review 2026-12: wording and provenance (editorial)


def test_counts_at_presentation_and_peak_counts_are_not_compared_as_one_measure(content, real_pages):
    """m4 (review 2026-12): the infection group's peaks (up to 182.46) were 'higher than the overall maximum the
    paper gives in Table II', and two discrepancies called it the paper disagreeing with itself; Table II's 130.1 is
    a count at presentation, a different measure."""
    for fact in content.facts.values():
        assert "overall maximum" not in fact.statement, fact.id
        for d in fact.discrepancies:
            text = " ".join([d.summary, *(str(v.value) for v in d.values)])
            assert not ("182.46" in text and "130.1" in text), (fact.id, d.id)
    assert "at presentation" in content.facts["cohort-infection-wbc-maximum"].statement
    assert "not the highest the cohort reached" in content.facts["cohort-mean-wbc-at-presentation"].statement
    cohort = " ".join(content.sources["bone-tumour-cohort"].appraisal.problems)
    assert "exceed Table II's stated maximum" not in cohort and "a different measure" in cohort
    assert 'id="choice-presentation-and-peak-counts-apart"' in real_pages["editors-choices.md"]


def test_table_one_agrees_with_the_results_55_of_58_in_proportion_only(content):
    """Review 2026-12, section 3: Table I's 100 of 105 and the Results' 55 of 58 agree as shares (95.2% against
    94.8%), never as counts; every place that sets them side by side says so."""
    texts = [content.facts["cohort-table1-deaths-within-12-weeks"].statement,
             content.facts["cohort-plr-12-week-outcome"].statement,
             content.facts["cohort-plr-12-week-outcome"].discrepancies[0].summary,
             content.choices["table-one-rows-as-separate-intervals"].reason,
             next(p for p in content.sources["bone-tumour-cohort"].appraisal.problems if p.startswith("Twelve-week"))]
    for text in texts:
        assert "in proportion" in text, text


def test_the_reviews_candidate_discrepancies_are_recorded(content):
    """m22 (review 2026-12): 58 with data less 55 dead leaves 3, but only 2 survivors are reported; Table I read as
    titled puts nearly every growth-factor and infection patient among its 100 deaths; 21 deaths within a week sit
    beside 'clinically stable'. Each is a discrepancy on the fact it concerns, its arithmetic marked recomputed."""
    expected = {"cohort-plr-12-week-outcome": "cohort-plr-third-survivor-missing",
                "cohort-table1-deaths-within-12-weeks": "cohort-table1-deaths-beyond-the-plr-group",
                "cohort-plr-clinical-picture": "cohort-plr-stable-yet-early-deaths"}
    for fact_id, discrepancy_id in expected.items():
        found = {d.id: d for d in content.facts[fact_id].discrepancies}
        assert discrepancy_id in found, (fact_id, discrepancy_id)
        recomputed = [v for v in found[discrepancy_id].values if "recomputed" in str(v.value)]
        assert recomputed and all(v.locator.endswith("recomputed") for v in recomputed), discrepancy_id
    # "progressed quickly" stays a discrepancy, and its choice says no widget rests on one side (C1)
    pace = content.choices["plr-pace-left-unresolved"]
    assert "cohort-plr-pace" in {d.id for d in content.facts["cohort-plr-clinical-picture"].discrepancies}
    assert "No widget" in pace.choice and "white-cell-count" in {w.id for w in pace.where}


def test_the_dose_withheld_choice_gives_no_unsourced_reason_as_a_source_s(content):
    """m16 (review 2026-12): 'another answer … gives a different dose … doses are usually set by weight' had no
    source; the first is marked as the editors' knowledge, the second is gone."""
    reason = content.choices["hydroxyurea-dose-withheld"].reason
    assert "weight" not in reason
    assert "another answer" in reason and "the editors' knowledge" in reason


def test_the_evidence_and_home_pages_describe_the_citation_labels_the_site_uses(content, real_pages):
    """m17 (review 2026-12): the evidence page described 'a numbered citation such as [2, Table II]' and the home
    page marks 'numbered as in the references below', though citations read [Cohort], [Blog], [AI], [Röllig 2015]."""
    page = (ROOT / "docs" / "reading-the-evidence.md").read_text()
    home = real_pages["index.md"]
    for text in (page, home):
        assert not re.search(r"numbered (as in|citation)|\[\d+[,\]]", text, re.I)
    labels = set(re.findall(r"`\[([^\],]+)[,\]]", page))
    assert {"Cohort", "Blog", "AI"} <= labels <= {s.label for s in content.sources.values()}, labels
    assert "[Cohort]" in home and "not re-checked" not in page  # the definitions were checked (M8)


def test_provenance_the_documents_do_not_give_is_said_in_the_appraisals(content):
    """m20 (review 2026-12): the cohort was typed 'Journal article' though no journal is known, and the AI page's
    title, address and 'pending human review' label come from the editors' notes, not the text held."""
    cohort = content.sources["bone-tumour-cohort"]
    assert not cohort.appraisal.document_type.startswith("Journal article")
    assert "not known" in cohort.appraisal.document_type
    assert any("not a confirmed fact" in p for p in cohort.appraisal.problems)
    ai = content.sources["dr-oracle-leukemoid-ai"]
    assert "editors' look-up" in ai.appraisal.document_type
    assert any("not from the text held" in p and "pending human review" in p for p in ai.appraisal.problems)


def test_glossary_tooltips_mark_the_editors_words_and_inferences(content):
    """m21 (review 2026-12): the TLS entry gave chemistry no source describes, and MFH was 'the commonest tumour
    among PLR patients', an inference from Table II stated as fact. A tooltip shows only an entry's first sentence,
    so the marks must be in it."""
    from generator.render.finish import abbreviation_definitions
    tooltips = dict(abbreviation_definitions(content))
    assert "the editors' words" in tooltips["TLS"] and "no source here describes it" in tooltips["TLS"]
    assert "inference" in tooltips["MFH"] and "the editors add" in tooltips["MFH"]
    assert {w.id for w in content.choices["glossary-in-the-editors-words"].where} >= {"tls", "mfh"}


def test_inside_the_growth_factor_window_says_what_the_cohort_did_with_such_a_count(content):
    """m23 (review 2026-12): 'Inside the cohort's growth-factor window' did not say what inside means: the cohort
    put such counts down to growth factors, so it did not class them as PLR."""
    inside = next(b for b in content.calculators["growth-factor-window"].scale.bands if b.id == "inside")
    assert "growth-factor-related" in inside.label and "not PLR" in inside.label


def test_the_blogs_hyperleukocytosis_share_sits_beside_rollig_s(content):
    """Review 2026-12, section 3: the blog's 'up to 10–20%' names no count; Röllig (an editors' addition, checked)
    gives '∼5% to 20%' of untreated AML with the above-100,000/µL definition. Shown beside it, cited where it is."""
    rollig = content.facts["hyperleukocytosis-frequency-untreated-aml-rollig"]
    assert [(c.source, c.locator) for c in rollig.cite] == [("rollig-2015-hyperleukocytosis",
                                                               "Incidence and pathophysiology")]
    assert (rollig.measure.percent_low, rollig.measure.percent_high) == (5, 20) and "∼5% to 20%" in rollig.measure.criterion
    blog = content.facts["hyperleukocytosis-frequency-new-aml"]
    assert ("rollig-2015-hyperleukocytosis", "Incidence and pathophysiology") in inline_citations(blog.statement)
    section = next(s for s in content.topics["hyperleukocytosis-and-leukostasis"].sections if blog.id in s.facts)
    assert rollig.id in section.facts
    assert rollig.id in {w.id for w in content.choices["up-to-ten-to-twenty-percent-without-a-definition"].where}


def test_sources_not_read_for_the_site_are_rated_by_their_kind_of_document(content):
    """Review 2026-12, section 3: the strength ratings of Riley, Röllig and Koh (and Piro, and Granger beyond its
    abstract) rest on what kind of document each is, not on reading it; their appraisals, the choice and the
    evidence page say so."""
    unread = ["koh-2005-myeloid-lung", "piro-2011-leukostasis", "riley-2015-leukocytosis",
              "rollig-2015-hyperleukocytosis", "granger-2009-extreme-leukocytosis"]
    reason = content.choices["source-strength-ratings"].reason
    for source_id in unread:
        source = content.sources[source_id]
        assert any(re.search(r"\brated by (its|that) kind of document", p, re.I) for p in source.appraisal.problems), \
            source_id
        assert source.label.split()[0] in reason, source_id
    page = (ROOT / "docs" / "reading-the-evidence.md").read_text()
    assert "rated by its kind of document alone" in page

"""Each page kind rendered from the small fixture content."""

from __future__ import annotations

import re

import pytest

from generator.pipeline import check, checked_content
from generator.pipeline import CheckedContent
from generator.render import Site
from tests.conftest import FIXTURE_CONTENT


@pytest.fixture(scope="module")
def pages():
    return checked_content(FIXTURE_CONTENT, with_history=False).pages()


def test_every_page_kind_is_rendered(pages):
    assert set(pages) == {"index.md", "sources.md", "discrepancies.md", "quick-reference.md", "test-topic.md", "editors-choices.md",
                          "sources/cohort.md", "sources/ai-page.md",
                          "downloads/references.bib", "downloads/references.ris", "downloads/references.json",
                          # every page loads both widgets' scripts (mkdocs.yml), so they are written without a widget too
                          "assets/widgets/calculator.js", "assets/widgets/checklist.js"}


def test_editors_choices_are_listed_with_reason_place_and_sign_off(pages):
    page = pages["editors-choices.md"]
    assert "## Comparators the sources leave open { #comparator }" in page
    assert '<div class="editors-choice" id="choice-test-boundary-read-as-strict" markdown>' in page
    assert "The Methods use ≥ instead; the stricter reading is kept" in page
    assert "](test-topic.md#test-threshold)" in page and "](sources/cohort.md)" in page
    assert "**Awaiting clinical sign-off**" in page and "1 of 1 are awaiting clinical sign-off" in page
    assert 'popovertarget="cite-cohort"' in page  # prose cites like any other


def test_topic_page_shows_fact_with_its_sources_label_and_locator(pages):
    page = pages["test-topic.md"]
    assert 'id="test-threshold"' in page
    assert '[Test cohort<span class="cite__locator">, Introduction</span>]' in page
    assert 'popovertarget="cite-ai-page" data-ref="AI"' in page
    # listed in order of first citation on the page: the cohort first, the AI page second
    assert page.index('<span id="ref-cohort"></span><span class="reference__label">[Test cohort]</span>') < \
        page.index('<span id="ref-ai-page"></span><span class="reference__label">[AI]</span>')


def test_a_source_has_the_same_label_on_every_page(pages):
    """[AI] is the AI page wherever it is cited: a reader never has to look up what a number means here."""
    labels = {}
    for path, text in pages.items():
        if path.endswith(".md"):
            for source, label in re.findall(r'popovertarget="cite-([^"]+)" data-ref="([^"]+)"', text):
                labels.setdefault(source, set()).add(label)
    assert labels == {"cohort": {"Test cohort"}, "ai-page": {"AI"}}


def test_two_sources_may_not_share_a_label(content_copy):
    from tests.test_validate import line_of, problems_for
    file = content_copy / "sources" / "sources.yaml"
    file.write_text(file.read_text().replace("  label: AI\n", "  label: test COHORT\n"))
    found = [p for p in problems_for(content_copy) if "label 'test COHORT' is also source 'cohort''s" in p]
    assert found and found[0].startswith(f"content/sources/sources.yaml:{line_of(file, 'label: test COHORT')}:"), found


def test_threshold_shows_comparator_units_conversion_and_boundary_note(pages):
    page = pages["test-topic.md"]
    assert "&gt; 50 ×10⁹/L (50,000/µL)" in page
    assert "Methods use ≥ instead." in page


def test_table_layout_shows_reported_and_recomputed_percent(pages):
    page = pages["test-topic.md"]
    assert "| 99/105 | 94.8% | 94.3% |" in page
    assert "[⚠ discrepancy](#discrepancy-test-neutrophil-percent)" in page


def test_discrepancy_shown_next_to_fact_and_on_its_page(pages):
    assert 'id="discrepancy-test-neutrophil-percent"' in pages["test-topic.md"]
    assert "99 of 105 is 94.3%, not the 94.8% printed." in pages["discrepancies.md"]
    assert "(test-topic.md#test-neutrophils)" in pages["discrepancies.md"]


def test_weak_and_unverified_sources_are_marked(pages):
    page = pages["test-topic.md"]
    assert "Unverified: rests only on an AI-generated summary" in page
    assert "Weak evidence" in page
    assert '<span class="strength strength--very-low">Very weak source</span>' in page


def test_a_dose_resting_only_on_weak_sources_is_refused_at_its_line(content_copy):
    from tests.test_validate import line_of, problems_for
    file = content_copy / "facts" / "facts.yaml"
    dose = '  dose: {drug: hydroxyurea, low: 500, high: 1000, unit: mg, frequency: twice daily, as_stated: "500 mg"}\n'
    text = file.read_text()
    at = text.index("  context: {population: cancer patients")
    file.write_text(text[:at] + dose + text[at:])
    found = [p for p in problems_for(content_copy) if "a dose resting only on weak sources (ai-page)" in p]
    assert found and found[0].startswith(f"content/facts/facts.yaml:{line_of(file, 'dose: {drug')}:"), found


def test_no_dose_reaches_the_real_site():
    from generator.pipeline import checked_content
    from tests.conftest import REAL_CONTENT
    pages = checked_content(REAL_CONTENT, with_history=False).pages()
    assert not any(re.search(r"\d\s*(mg|g)\b", text) for path, text in pages.items() if path.endswith(".md")), \
        [path for path, text in pages.items() if path.endswith(".md") and re.search(r"\d\s*(mg|g)\b", text)]


def test_reference_is_formatted_in_vancouver_style(pages):
    # written by hand from Citing Medicine: initials run together, page range with a hyphen and shortened
    assert "Tester AB. Leukemoid reaction in a small test cohort. Journal of Fixtures. 2012;16:1-5." in pages["test-topic.md"]


def test_sources_page_lists_every_source_with_appraisal_and_its_own_page(pages):
    page = pages["sources.md"]
    assert '<span id="cohort"></span>' in page and '<span id="ai-page"></span>' in page
    assert "[Not confirmed against the publication: journal.]" in page
    assert "(sources/cohort.md)" in page and "(sources/ai-page.md)" in page


def test_source_page_has_problems_and_reverse_index(pages):
    page = pages["sources/cohort.md"]
    assert "- Counts disagree between text and table" in page
    assert "(../test-topic.md#test-neutrophils)" in page and "(../test-topic.md#test-threshold)" in page
    assert "(../discrepancies.md#discrepancy-test-neutrophil-percent)" in page
    assert "(../test-topic.md#test-dose)" not in page  # rests on the AI page only
    assert "(../test-topic.md#test-dose)" in pages["sources/ai-page.md"]


def test_home_lists_thresholds_red_flags_and_topics(pages):
    page = pages["index.md"]
    assert '<span data-fact="test-threshold">&gt; 50 (50,000/µL)</span>' in page  # the ladder's table
    assert "[leukemoid reaction](test-topic.md#test-threshold)" in page
    assert "(test-topic.md#test-dose)" in page  # the red flag links to its fact
    assert "- [Test topic](test-topic.md)" in page


def test_content_text_cannot_inject_html(content_copy):
    file = content_copy / "facts" / "facts.yaml"
    file.write_text(file.read_text().replace("Most had neutrophil predominance.",
                                             "Most had <script>alert(1)</script> predominance."))
    content, problems = check(content_copy)
    assert any("raw HTML '<script>'" in str(p) for p in problems)  # the validator refuses it...
    page = CheckedContent(content).pages()["test-topic.md"]  # ...and rendering is safe even if that check were skipped
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_threshold_is_findable_however_it_is_written():
    from generator.content import load_content
    from generator.render.search import threshold_aliases

    content, _ = load_content(FIXTURE_CONTENT)
    aliases = threshold_aliases(content.facts["test-threshold"], content)
    assert {"50000/µL", "50,000/uL", "50 x10^9/L", "50k"} <= set(aliases)


def test_glossary_abbreviations_and_search_terms(pages):
    from generator.content import load_content
    from generator.render.finish import abbreviation_definitions, definitions_markdown

    content, _ = load_content(FIXTURE_CONTENT)
    assert definitions_markdown(abbreviation_definitions(content)) == "*[WBC]: white blood cell count\n"
    import yaml

    front_matter = yaml.safe_load(pages["test-topic.md"].split("---")[1])
    assert front_matter["tags"][:4] == ["WBC", "leukaemoid", "white count", "50000/µL"]  # abbreviations first
    assert front_matter["search"] == {"boost": 2}


def test_a_page_gets_the_abbreviation_definitions_its_words_use():
    from generator.render.finish import definitions_markdown

    definitions = [("G-CSF", "*[G-CSF]: granulocyte colony-stimulating factor"), ("AML", "*[AML]: acute myeloid leukaemia"),
                   ("WBC", "*[WBC]: white blood cell count")]
    page = "G-CSF was given in AML-M5; WBCs rose."
    assert definitions_markdown(definitions, page) == definitions[0][1] + "\n\n" + definitions[1][1] + "\n"
    assert definitions_markdown(definitions).count("*[") == 3
    # Not when only its parts are on the page, apart ("G" and "CSF"); yes inside a longer run ("GM-G-CSF-x")
    assert definitions_markdown(definitions, "G was, CSF was") == "\n"
    assert definitions_markdown(definitions, "see GM-G-CSF-x") == definitions[0][1] + "\n"


def test_every_abbreviation_markdown_finds_on_a_page_is_defined_on_it():
    """The page's definitions are a superset of what the abbr extension would mark with all of them."""
    import markdown

    from generator.render.finish import definitions_markdown
    terms = ["G-CSF", "GM-CSF", "CSF", "IL-6", "AML", "WBC", "A1-B2-C3"]
    definitions = [(t, f"*[{t}]: expansion of {t}") for t in sorted(terms, key=len, reverse=True)]
    pages = ["GM-CSF, not G-CSF; CSF alone.", "IL-6-driven (IL-6).", "x-A1-B2-C3-y and A1-B2", "AML_M5 and WBCé; (WBC)",
             "**AML**-WBC [G-CSF](https://example.org) `CSF`", "nothing here"]

    def marked(text: str, extra: str) -> list[str]:
        html = markdown.markdown(text + "\n\n" + extra, extensions=["abbr"])
        return sorted(re.findall(r"<abbr title=\"[^\"]*\">([^<]*)</abbr>", html))
    for page in pages:
        everything = "\n\n".join(line for _, line in definitions) + "\n"
        assert marked(page, definitions_markdown(definitions, page)) == marked(page, everything), page


def test_markers_open_a_popover_with_the_full_reference_and_appraisal(pages):
    page = pages["test-topic.md"]
    assert '<button type="button" class="cite cite--weak" popovertarget="cite-cohort" data-ref="Test cohort">' in page
    popover = page[page.index('<div class="cite-popover" id="cite-cohort" popover="auto"'):]
    popover = popover[:popover.index("</div>")]
    assert "Tester AB. Leukemoid reaction in a small test cohort." in popover
    assert '<span class="strength strength--low">Weak source</span> Retrospective single-centre cohort' in popover
    assert "Known problems (1)" in popover and "Counts disagree between text and table" in popover
    assert "[Not confirmed against the publication: journal.]" in popover
    assert "(sources/cohort.md)" in popover


def test_every_marker_on_every_page_has_its_popover(pages):
    for path, text in pages.items():
        if path.endswith(".md"):
            for target in re.findall(r'popovertarget="([^"]+)"', text):
                assert f'id="{target}" popover="auto"' in text, f"{path}: no popover {target}"


def test_inline_citation_in_an_appraisal_joins_the_page_references(content_copy):
    file = content_copy / "sources" / "sources.yaml"
    file.write_text(file.read_text().replace("summary: A small retrospective series.",
                                             "summary: A small retrospective series, unlike [@ai-page, paragraph 2]."))
    page = checked_content(content_copy, with_history=False).pages()["sources/cohort.md"]
    assert 'popovertarget="cite-ai-page" data-ref="AI"' in page and 'id="cite-ai-page" popover="auto"' in page
    assert "(../sources/cohort.md)" in checked_content(content_copy, with_history=False).pages()["sources/ai-page.md"]  # reverse index both ways


def test_cite_this_page_gives_address_date_and_vancouver_citation(content_copy):
    site = Site("Test site", "https://example.org/ref/")
    page = checked_content(content_copy, with_history=False).pages(site)["test-topic.md"]
    assert '<code class="cite-this__url">https://example.org/ref/test-topic/</code>' in page
    assert '<time datetime="2026-11-01">' in page  # the topic's review date
    assert "Test site [Internet]. 2026. Test topic. Available from: https://example.org/ref/test-topic/" in page


def test_discrepancy_links_to_its_source_page_and_fact(pages):
    page = pages["discrepancies.md"]
    assert "Source: [Test cohort](sources/cohort.md). Fact: [Most had neutrophil predominance.](test-topic.md#test-neutrophils)" in page


def test_references_page_offers_the_three_downloads(pages):
    for path in ("downloads/references.bib", "downloads/references.ris", "downloads/references.json"):
        assert f"]({path})" in pages["sources.md"]

"""References in Vancouver style, inline citation markers, and the three exports
read back by real parsers."""

from __future__ import annotations

import json
import re
import warnings

import bibtexparser
import pytest
import rispy
from pydantic import ValidationError

from generator.citations import format_references, inline_citations, malformed_citations, shown_title
from generator.exports import bibtex, csl_json_file, ris
from generator.model import Source
from generator.pipeline import check
from tests.conftest import REAL_CONTENT, WIDGET_DATA, widget_data



def read_csl_json(items: list[dict]):
    """Read CSL-JSON with citeproc-py's own reader, a real CSL-JSON consumer; it
    warns about any field that is not a CSL variable, and here that is an error."""
    from citeproc.source.json import CiteProcJSON

    # `custom` is CSL-JSON 1.0.2 (it carries our unconfirmed-field list) but newer than this reader.
    items = [{k: v for k, v in item.items() if k != "custom"} for item in items]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return CiteProcJSON(items)

# Written by hand from Citing Medicine (NLM/Vancouver), not copied from the output:
# initials run together without stops; dates as "2005 Oct"; page ranges with a
# hyphen, the end page shortened ("514-9"); journal abbreviations as recorded;
# "doi:" then the DOI; a PMID after it as "PubMed PMID: n.". After the reference, in
# brackets, what the record could not confirm or find, and why the editors added a source.
CAVEAT = '<span class="reference__caveat">[{}]</span>'
STANDARD = ("Added by the editors: a standard definition from outside the three source documents ({}); "
            "its printed wording and pages were checked against the publisher's page in December 2026.")
EXPECTED = {
    # post-weblog with its address (so [Internet] and Available from)
    "grover-2012-blog":
        "Grover J. Leukostasis-related pulmonary distress syndrome and leukemic infiltrates. dailyem [Internet]. "
        "2012 Aug 23. Available from: "
        "https://dailyem.wordpress.com/2012/08/23/leukostasis-related-pulmonary-distress-syndrome-and-leukemic-infiltrates/",
    # webpage, part of a site (site name first, then the page title); no author, no date found
    "dr-oracle-leukemoid-ai":
        "Dr. Oracle [Internet]. What is the treatment approach for leukomoid leukocyte disorder. Available from: "
        "https://www.droracle.ai/articles/162021/what-is-the-treatment-approach-for-leukomoid-leukocyte-disorder "
        + CAVEAT.format("Not identified: date."),
    # article-journal known only by a descriptive title: no journal guessed, the rest not found
    "bone-tumour-cohort":
        "Leukemoid reaction in patients with malignant bone tumour: a retrospective study of 105 patients "
        "[descriptive title]. " + CAVEAT.format("Not identified: authors, journal, date, volume, issue, pages."),
    # article-journal with month and DOI
    "koh-2005-myeloid-lung":
        "Koh TT, Colby TV, Müller NL. Myeloid leukemias and lung involvement. Semin Respir Crit Care Med. "
        "2005 Oct;26(5):514-9. doi:10.1055/s-2005-922034",
    # article-journal with a truncated author list and electronic pages
    "piro-2011-leukostasis":
        "Piro E, Carillio G, et al. Reversal of leukostasis-related pulmonary distress syndrome after leukapheresis "
        "and low-dose chemotherapy in acute myeloid leukemia. J Clin Oncol. 2011 Sep;29(26):e725-6. "
        + CAVEAT.format("Not confirmed against the publication: authors, title, journal, date, volume, issue, pages."),
    # article-journal with DOI and PMID
    "granger-2009-extreme-leukocytosis":
        "Granger JM, Kontoyiannis DP. Etiology and outcome of extreme leukocytosis in 758 nonhematologic cancer "
        "patients: a retrospective, single-institution study. Cancer. 2009;115(17):3919-23. "
        "doi:10.1002/cncr.24480. PubMed PMID: 19551882. "
        + CAVEAT.format("Added by the editors: a study from outside the three source documents, listed because the "
                        "bone-tumour paper's abstract closely parallels it; only its abstract was compared, and no "
                        "fact on this site rests on its figures."),
    "riley-2015-leukocytosis":
        "Riley LK, Rupert J. Evaluation of patients with leukocytosis. Am Fam Physician. 2015;92(11):1004-11. "
        "PubMed PMID: 26760415. "
        + CAVEAT.format(STANDARD.format("the adult reference range and the cut-off for leukocytosis")),
    "rollig-2015-hyperleukocytosis":
        "Röllig C, Ehninger G. How I treat hyperleukocytosis in acute myeloid leukemia. Blood. 2015;125(21):3246-52. "
        + CAVEAT.format(STANDARD.format("the usual cut-off for hyperleukocytosis in AML, and how often it is found")),
}


@pytest.fixture(scope="module")
def content():
    content, problems = check(REAL_CONTENT)
    assert problems == []
    return content


def test_every_real_source_renders_as_expected_in_vancouver_style(content):
    sources = list(content.sources.values())
    assert {s.id for s in sources} == set(EXPECTED), "add the expected reference for each new source"
    assert dict(zip((s.id for s in sources), format_references(sources))) == EXPECTED


def source(**fields) -> Source:
    record = {"id": "x", "type": "article-journal", "title": "A title", "short_title": "X", "label": "X",
              "appraisal": {"document_type": "d", "strength": "low", "summary": "s"}, **fields}
    return Source.model_validate(record)


ONLINE = [
    ({"type": "post-weblog", "title": "A post", "author": [{"family": "Grover", "given": "J."}],
      "container-title": "dailyem", "issued": {"date-parts": [[2012, 8, 23]]}, "URL": "https://example.org/post",
      "accessed": {"date-parts": [[2026, 11, 3]]}},
     "Grover J. A post. dailyem [Internet]. 2012 Aug 23 [cited 2026 Nov 3]. Available from: https://example.org/post"),
    ({"type": "book", "title": "Hematology", "author": [{"family": "Hoffman", "given": "R."}], "publisher": "Elsevier",
      "publisher-place": "Philadelphia", "issued": {"date-parts": [[2018]]}},
     "Hoffman R. Hematology. Philadelphia: Elsevier; 2018."),
    ({"type": "chapter", "title": "Leukocytosis", "author": [{"family": "Hoffman", "given": "R."}],
      "container-title": "Hematology", "publisher": "Elsevier", "publisher-place": "Philadelphia",
      "issued": {"date-parts": [[2018]]}, "page": "100-110"},
     "Hoffman R. Leukocytosis. In: Hematology. Philadelphia: Elsevier; 2018. p. 100-10."),
]


@pytest.mark.parametrize("fields, expected", ONLINE, ids=["blog-with-url", "book", "chapter"])
def test_other_source_types_render_as_expected(fields, expected):
    assert format_references([source(**fields)]) == [expected]


@pytest.mark.parametrize("given, initials", [("J. M.", "JM"), ("J.M.", "JM"), ("John Michael", "JM"), ("T.", "T")])
def test_given_names_become_run_together_initials(given, initials):
    [text] = format_references([source(author=[{"family": "Smith", "given": given}])])
    assert text.startswith(f"Smith {initials}. A title.")


def test_field_values_are_escaped():
    [text] = format_references([source(title="IL-6 <b>& G-CSF</b>")])
    assert "IL-6 &lt;b&gt;&amp; G-CSF&lt;/b&gt;" in text and "<b>" not in text


@pytest.mark.parametrize("fields, message", [
    ({"author": [{"family": "Smith", "given": "JM"}]}, "write initials with full stops and spaces: 'J. M.'"),
    ({"author": [{"given": "J."}]}, "a name needs 'family'"),
    ({"DOI": "https://doi.org/10.1002/cncr.24480"}, "not a valid DOI"),
    ({"PMID": "PMID 19551882"}, "not a valid PubMed id"),
    ({"URL": "www.example.org"}, "not a valid web address"),
    ({"issued": {"date-parts": [[2012, 13, 1]]}}, "is not a real date"),
    ({"issued": {"date-parts": [[2012, 2, 30]]}}, "is not a real date"),
    ({"unconfirmed": ["pages"]}, "Input should be"),
], ids=["initials", "no-family", "doi", "pmid", "url", "month", "day", "unconfirmed-field"])
def test_bad_bibliographic_fields_are_refused_with_the_fix(fields, message):
    with pytest.raises(ValidationError) as err:
        source(**fields)
    assert message in str(err.value)


def test_inline_citations_are_parsed_with_locators():
    text = "Cut-offs differ [@bone-tumour-cohort, Table II] and [@riley-2015-leukocytosis]."
    assert inline_citations(text) == [("bone-tumour-cohort", "Table II"), ("riley-2015-leukocytosis", "")]
    assert malformed_citations(text) == []


def test_malformed_inline_citations_are_found():
    assert malformed_citations("see [@Bone_Cohort, Table II] or [ @koh] and [@ok]") == [
        "[@Bone_Cohort, Table II]", "[ @koh]"]


# ---------------------------------------------------------------- exports


def test_csl_json_export_is_read_by_a_csl_processor_and_keeps_key_fields(content):
    items = json.loads(csl_json_file(list(content.sources.values())))
    parsed = read_csl_json(items)
    assert [i["id"] for i in items] == list(content.sources) == list(parsed)
    for item, s in zip(items, content.sources.values()):
        assert item["type"] == s.type and item["title"] == shown_title(s)
        assert item.get("DOI") == s.DOI and item.get("PMID") == s.PMID and item.get("page") == s.page
        assert [a.get("family") for a in item.get("author", [])] == [a.family for a in s.author]
        assert item.get("custom", {}).get("unconfirmed", []) == s.unconfirmed
        assert str(parsed[s.id]["title"]) == shown_title(s)
        assert item.get("custom", {}).get("descriptive_title", False) == s.title_is_descriptive
        assert item.get("custom", {}).get("editors_addition") == s.editors_addition


def test_csl_reader_is_strict_enough_to_catch_a_bad_export(content):
    items = json.loads(csl_json_file(list(content.sources.values())))
    items[0]["appraisal"] = "weak"  # a site-only field leaking into the export
    with pytest.raises(UserWarning, match="appraisal"):
        read_csl_json(items)


def test_bibtex_export_parses_and_round_trips_key_fields(content):
    library = bibtexparser.parse_string(bibtex(list(content.sources.values())))
    assert library.failed_blocks == []
    entries = {e.key: e.fields_dict for e in library.entries}
    assert list(entries) == list(content.sources)
    for s in content.sources.values():
        fields = {k: v.value for k, v in entries[s.id].items()}
        assert fields["title"] == shown_title(s)
        assert fields.get("doi") == s.DOI and fields.get("pmid") == s.PMID and fields.get("volume") == s.volume
        assert fields.get("pages") == (s.page.replace("-", "--") if s.page else None)
        assert fields.get("year") == (str(s.issued.date_parts[0][0]) if s.issued else None)
        families = [n.strip().split(",")[0] for n in fields.get("author", "").split(" and ") if n.strip()]
        assert families == [a.family or ("others" if a.literal == "et al." else "{" + a.literal + "}") for a in s.author]
        recorded = s.model_dump(by_alias=True)
        assert ("Not confirmed" in fields.get("note", "")) == any(recorded.get(f) for f in s.unconfirmed if f != "title")
        assert ("Not identified" in fields.get("note", "")) == any(not recorded.get(f) for f in s.unconfirmed)
        assert ("Added by the editors" in fields.get("note", "")) == bool(s.editors_addition)
    assert entries["koh-2005-myeloid-lung"]["author"].value == "Koh, T. T. and Colby, T. V. and Müller, N. L."


def test_ris_export_parses_and_round_trips_key_fields(content):
    records = rispy.loads(ris(list(content.sources.values())))
    assert [r["id"] for r in records] == list(content.sources)
    for r, s in zip(records, content.sources.values()):
        assert r["title"] == shown_title(s) and r.get("doi") == s.DOI and r.get("volume") == s.volume
        notes = " ".join(r.get("notes", []))
        assert ("Not identified" in notes) == any(not s.model_dump(by_alias=True).get(f) for f in s.unconfirmed)
        assert ("Added by the editors" in notes) == bool(s.editors_addition)
        assert [a.split(",")[0] for a in r.get("authors", [])] == [a.family for a in s.author if a.family]
        if s.page:
            assert f'{r["start_page"]}-{r["end_page"]}' == s.page
    koh = records[list(content.sources).index("koh-2005-myeloid-lung")]
    assert (koh["type_of_reference"], koh["year"], koh["number"]) == ("JOUR", "2005", "5")
    granger = records[list(content.sources).index("granger-2009-extreme-leukocytosis")]
    assert "PMID: 19551882" in granger["notes"]


def test_a_descriptive_title_unconfirmed_fields_and_an_editors_addition_are_marked_in_the_reference():
    """The reference itself says what its record does not know, so every copy of it does too."""
    record = source(title="A study of 105 patients", title_is_descriptive=True,
                    unconfirmed=["title", "author", "issued"], short_title="Cohort")
    assert format_references([record]) == [
        "A study of 105 patients [descriptive title]. "
        '<span class="reference__caveat">[Not identified: authors, date.]</span>']
    piro = source(author=[{"family": "Piro", "given": "E."}], **{"container-title": "J Clin Oncol"}, page="e725-e726",
                  unconfirmed=["author", "container-title", "page"], editors_addition="a reference of a reference")
    assert format_references([piro]) == [
        "Piro E. A title. J Clin Oncol. e725-6. "
        '<span class="reference__caveat">[Not confirmed against the publication: authors, journal, pages.]</span> '
        '<span class="reference__caveat">[Added by the editors: a reference of a reference.]</span>']
    blog = source(type="post-weblog", **{"container-title": "dailyem"}, unconfirmed=["container-title", "URL"])
    assert "[Not confirmed against the publication: blog.]" in format_references([blog])[0]
    assert "[Not identified: web address.]" in format_references([blog])[0]


def test_every_copy_of_a_real_reference_carries_its_caveats(content):
    """References page, source pages, popovers and the checklist's copied references: wherever a source's
    reference appears, its caveats follow it (a guessed journal is never recorded, so never shown)."""
    from generator.citations import _formatted, caveats, csl_json
    from generator.pipeline import checked_content

    pages = checked_content(REAL_CONTENT, with_history=False).pages()
    cautious = [s for s in content.sources.values() if caveats(s)]
    assert {s.id for s in cautious} >= {"bone-tumour-cohort", "piro-2011-leukostasis", "riley-2015-leukocytosis",
                                        "rollig-2015-hyperleukocytosis"}
    assert content.sources["bone-tumour-cohort"].container_title is None
    seen = 0
    for s in cautious:
        item = {k: v for k, v in csl_json(s).items() if k not in ("note", "custom")}
        bare = _formatted(json.dumps(item, sort_keys=True))
        marks = "".join(f' <span class="reference__caveat">[{c}]</span>' for c in caveats(s))
        plain = "".join(f" [{c}]" for c in caveats(s))  # as the checklist's copied references carry them
        for path, page in pages.items():
            if not path.endswith(".md"):
                continue
            markup = WIDGET_DATA.sub("", page)  # the widgets' data is read as JSON below
            for at in [m.start() for m in re.finditer(re.escape(bare), markup)]:
                seen += 1
                assert markup[at + len(bare):].startswith((marks, plain)), (s.id, path)
        for path, page in pages.items():
            for data in widget_data(page, "checklist-data-"):
                for text in data["spec"]["references"].values():
                    if text.startswith(re.sub(r"<[^>]+>", "", bare)):
                        seen += 1
                        assert all(f"[{c}]" in text for c in caveats(s)), (s.id, path, text)
    assert seen > 20


def test_exports_escape_tex_specials():
    entry = bibtex([source(title="G-CSF & IL-6: 50% of #1")])
    assert r"G-CSF \& IL-6: 50\% of \#1" in entry
    assert bibtexparser.parse_string(entry).failed_blocks == []


def test_page_citations_from_the_shared_entry_match_citeproc_exactly():
    import datetime as dt

    from generator.citations import _page_citation, page_citation
    titles = ["White-cell count calculator", "Leukemoid reaction: causes & signs", "CML <or> AML", "×10⁹/L and µL",
              "What is it?", "Ends with a full stop.", 'A "quoted" title', "It's", "A", "Trailing colon:", "x  y"]
    urls = ["http://127.0.0.1:8000/white-cell-count-calculator/", "https://example.org/a?b=1&c=2#d", "https://x.org/a b"]
    for site in ("Extreme leukocytosis", "", "Site & co"):
        for changed in (dt.date(2026, 11, 2), dt.date(2025, 1, 31)):
            for title in titles:
                for url in urls:
                    assert page_citation(title, url, site, changed) == _page_citation(title, url, site, changed), (title, url)


def test_a_sources_page_lists_the_calculators_and_checklist_items_resting_on_it(content):
    """Each calculator and checklist item is listed on the page of every source its facts cite
    (and on no other), linked to the calculator's page or the item's place on the checklist."""
    from generator.render.sources import source_uses
    from generator.widgets import WIDGETS
    from generator.widgets.calculator.render import calculator_path
    from generator.widgets.calculator.render import GROUP as CALCULATORS
    from generator.widgets.calculator.spec import calculator_facts
    from generator.widgets.checklist.spec import GROUPS, item_facts

    uses = source_uses(content, [use for widget in WIDGETS for use in widget.uses(content)])
    for calc in content.calculators.values():
        cited = {c.source for f in calculator_facts(calc) for c in content.facts[f].cite}
        assert cited, calc.id
        for source_id, listed in uses.items():
            here = any(u.group == CALCULATORS and u.link == calculator_path(calc) for u in listed)
            assert here == (source_id in cited), (calc.id, source_id)
    for checklist in content.checklists.values():
        for item in [i for name in GROUPS for i in getattr(checklist, name).items]:
            cited = {c.source for f in item_facts(item, content) for c in f.cite}
            for source_id, listed in uses.items():
                here = any(u.group == checklist.title and u.link.endswith(f"#item-{item.id}") for u in listed)
                assert here == (source_id in cited), (item.id, source_id)

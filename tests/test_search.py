"""Search the way clinicians type: abbreviations, British spellings, misspellings,
numbers with units. Each query goes through Material's real search box."""

from __future__ import annotations

import pytest

from tests.test_browser import search

pytestmark = pytest.mark.browser

HYPER = "hyperleukocytosis-and-leukostasis"
LEUKEMOID = "leukemoid-reaction"
PLR = "paraneoplastic-leukemoid-reaction"
MANAGE = "management-and-monitoring"
COHORT = "bone-tumour-cohort-study"
INFILTRATES = "leukemic-infiltrates"

QUERIES = [
    ("leukostasis", HYPER),
    ("leucostasis", HYPER),
    ("hyperleucocytosis", HYPER),
    ("hyperviscosity", HYPER),
    ("AML", HYPER),
    ("CTPA", HYPER),
    ("pulmonary embolism", HYPER),
    ("white count", LEUKEMOID),
    ("WBC", LEUKEMOID),
    ("TLC", LEUKEMOID),
    ("leucocytosis", LEUKEMOID),
    ("leukomoid", LEUKEMOID),
    ("leukaemoid", LEUKEMOID),
    ("LAP", LEUKEMOID),
    ("CML", LEUKEMOID),
    ("PLR", PLR),
    ("filgrastim", PLR),
    ("G-CSF", PLR),
    ("leukopheresis", MANAGE),
    ("leukapheresis", MANAGE),
    ("TLS", MANAGE),
    ("tumour lysis", MANAGE),
    ("tumor lysis", MANAGE),
    ("hydroxyurea", MANAGE),
    ("anticoagulation", MANAGE),
    ("osteosarcoma", COHORT),
    ("leukaemic infiltrates", INFILTRATES),
    ("100000", HYPER),
    ("100,000", HYPER),
    ("100k", HYPER),
    ("50000", LEUKEMOID),
    ("50,000/uL", LEUKEMOID),
    ("50 x10^9", LEUKEMOID),
]


def top_three(page, site_url, query: str) -> list[str]:
    page.goto(site_url + "/")
    search(page, query)
    page.wait_for_timeout(150)  # results render in batches; let the first settle
    # read at once: the list may still be redrawn for the last keystroke between a count and a read
    return page.locator(".md-search-result__item > a").evaluate_all("links => links.slice(0, 3).map((a) => a.getAttribute('href'))")


def test_realistic_queries_find_the_right_page_in_top_three(phone, site_url):
    misses = []
    for query, expected in QUERIES:
        hrefs = top_three(phone, site_url, query)
        if not any(f"/{expected}/" in href for href in hrefs):
            misses.append((query, expected, hrefs))
    assert misses == []


def test_abbreviations_show_their_meaning(phone, site_url):
    phone.goto(site_url + "/leukemoid-reaction/")
    abbr = phone.locator("abbr", has_text="CML").first
    assert "chronic myeloid leuk" in abbr.get_attribute("title").lower()


def test_tapping_an_abbreviation_spells_it_out(phone, site_url):
    phone.goto(site_url + "/leukemoid-reaction/")
    abbr = phone.locator("abbr", has_text="CML").first
    abbr.scroll_into_view_if_needed()
    before = abbr.bounding_box()["width"]
    abbr.tap()
    assert "abbr--open" in abbr.get_attribute("class")
    assert abbr.bounding_box()["width"] > before + 50  # the expansion now takes room on the line


INDEX = "/search/search_index.json"


def test_the_search_index_loads_when_search_is_opened_not_with_the_page(phone, site_url):
    """Most page views never search: the index (half of a cold load) waits for the reader."""
    requested = []
    phone.on("request", lambda request: requested.append(request.url))
    phone.goto(site_url + "/", wait_until="networkidle")
    phone.wait_for_timeout(300)
    assert not [url for url in requested if url.endswith(INDEX)]
    results = search(phone, "leukostasis")
    assert [url for url in requested if url.endswith(INDEX)] and results.count() > 0


def test_a_search_result_opened_in_a_new_page_still_highlights_the_words(phone, site_url):
    """Material marks the searched words on arrival (?h=), which needs the index at once."""
    phone.goto(f"{site_url}/{HYPER}/?h=leukostasis")
    marks = phone.locator("mark[data-md-highlight]")
    marks.first.wait_for()
    assert "leukostasis" in marks.first.inner_text().lower()

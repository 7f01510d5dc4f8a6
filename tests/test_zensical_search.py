"""Search on the Zensical build as clinicians type: the realistic queries of test_search.py through
Zensical's own search box. Zensical ranks without search.boost or tags, so a few queries may miss
that MkDocs finds (it finds all 33): at least 31 of the 33 must reach the right page's top three."""

from __future__ import annotations

import pytest

from tests.test_search import QUERIES
from tests.test_zensical_browser import zensical_search

pytestmark = pytest.mark.browser

AT_LEAST = 31


def test_realistic_queries_find_the_right_page_in_the_top_three(zensical_phone, zensical_url):
    zensical_phone.goto(zensical_url + "/")
    misses = []
    for query, expected in QUERIES:
        top = zensical_search(zensical_phone, query)[:3]
        if not any(f"/{expected}/" in href for href in top):
            misses.append((query, expected, top))
    assert len(QUERIES) - len(misses) >= AT_LEAST, misses
    assert zensical_phone.console_errors == []

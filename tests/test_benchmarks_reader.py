"""The reader-side benchmark runs on the built site: every kind of page it finds is loaded cold,
and search is timed (a calculator too, once the site has one)."""

from __future__ import annotations

import re

import pytest

from tests.test_benchmarks import bench


@pytest.mark.browser
def test_reader_benchmark_runs_on_the_built_site(built_site):
    out = bench("reader.py", "--site", str(built_site), timeout=240).stdout
    assert "home " in out and "topic " in out and "target: no page over 500 KB" in out
    assert "search (" in out and "ms" in out
    has_calculator = any('data-refsite-widget="calculator"' in p.read_text() for p in built_site.rglob("*.html"))
    assert ("input event → result" in out) if has_calculator else ("skipped: no calculator page" in out)
    # the offline figure counts the pages too (precached by folder URL, not by file name)
    precached = int(re.search(r"precaches (\d+) files", out).group(1))
    assert precached > len(list(built_site.rglob("index.html")))

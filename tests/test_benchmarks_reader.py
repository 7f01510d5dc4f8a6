"""The reader-side benchmark runs on the built site: every kind of page it finds is loaded cold,
and search is timed against stock Material in the same run (a calculator too, once the site has one)."""

from __future__ import annotations

import re

import pytest

from tests.test_benchmarks import bench


@pytest.mark.browser
def test_reader_benchmark_runs_on_the_built_site(built_site):
    out = bench("reader.py", "--site", str(built_site), "--repeats", "1", timeout=240).stdout
    assert "home " in out and "topic " in out and "target: no page over 500 KB" in out
    # search is timed on our site and on stock Material over the same Markdown, and given as a ratio
    assert "search, warm: last keystroke → results painted" in out
    ratio = re.search(r"search / stock Material \(same run\) ≤ 1.5: (\d+\.\d+)", out)
    assert ratio and float(ratio.group(1)) > 0, out
    has_calculator = any('data-refsite-widget="calculator"' in p.read_text() for p in built_site.rglob("*.html"))
    assert ("input event → result" in out) if has_calculator else ("skipped: no calculator page" in out)
    # the offline figure counts the pages too (precached by folder URL, not by file name)
    precached = int(re.search(r"precaches (\d+) files", out).group(1))
    assert precached > len(list(built_site.rglob("index.html")))

"""scripts/lighthouse.py's own logic: what it reads from a Lighthouse report and how it judges our
pages against the stock Material baseline. Lighthouse itself is not run here: the script is a
benchmark (benchmarks/RESULTS.md), and its figures depend on the machine."""

from __future__ import annotations

import importlib.util
import sys

import pytest
import yaml

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("lighthouse_script", ROOT / "scripts" / "lighthouse.py")
lighthouse = importlib.util.module_from_spec(spec)
sys.modules["lighthouse_script"] = lighthouse
spec.loader.exec_module(lighthouse)


def report(performance=0.97, tbt=120.0, bytes_=80_000, benchmark_index=1500.0, accessibility=1.0) -> dict:
    """The parts of a Lighthouse 12 JSON report the script reads, shaped as Lighthouse writes them."""
    metric = lambda value: {"score": 0.9, "numericValue": value, "scoreDisplayMode": "numeric"}  # noqa: E731
    return {
        "categories": {"performance": {"score": performance}, "accessibility": {"score": accessibility},
                       "best-practices": {"score": 1.0}, "seo": {"score": 1.0}},
        "environment": {"benchmarkIndex": benchmark_index},
        "audits": {
            "total-blocking-time": metric(tbt), "total-byte-weight": metric(bytes_),
            "first-contentful-paint": metric(900.0), "largest-contentful-paint": metric(1200.0),
            "cumulative-layout-shift": metric(0.0),
            "mainthread-work-breakdown": {"score": 1, "scoreDisplayMode": "metricSavings", "details": {"items": [
                {"group": "scriptEvaluation", "groupLabel": "Script Evaluation", "duration": 400.5},
                {"group": "styleLayout", "groupLabel": "Style & Layout", "duration": 250.0}]}},
            "bootup-time": {"score": 1, "scoreDisplayMode": "metricSavings", "details": {"items": [
                {"url": "http://127.0.0.1:1/assets/javascripts/bundle.js", "total": 300.0, "scripting": 250.0}]}},
            "unminified-javascript": {"score": 0.5, "scoreDisplayMode": "metricSavings"},
            "dom-size": {"score": 1, "scoreDisplayMode": "metricSavings"},
            "viewport": {"score": 1, "scoreDisplayMode": "binary"},
        },
    }


def test_a_report_gives_scores_metrics_benchmark_index_and_main_thread_work():
    run = lighthouse.read_report(report(performance=0.964, tbt=123.4, bytes_=81_920))
    assert run.scores == {"performance": 96, "accessibility": 100, "best-practices": 100, "seo": 100}
    assert run.metrics["tbt"] == 123.4 and run.metrics["bytes"] == 81_920 and run.metrics["lcp"] == 1200.0
    assert run.benchmark_index == 1500.0
    assert run.mainthread == {"Script Evaluation": 400.5, "Style & Layout": 250.0}
    assert run.bootup == {"http://127.0.0.1:1/assets/javascripts/bundle.js": 300.0}
    assert run.failed == ["unminified-javascript"]


def test_the_median_is_taken_figure_by_figure():
    runs = [lighthouse.read_report(report(performance=p, tbt=t, benchmark_index=b))
            for p, t, b in [(0.90, 400.0, 1000.0), (0.99, 100.0, 3000.0), (0.95, 250.0, 2000.0)]]
    median = lighthouse.median_run(runs)
    assert median.scores["performance"] == 95 and median.metrics["tbt"] == 250.0 and median.benchmark_index == 2000.0


def judged(ours: dict, stock: dict) -> lighthouse.Comparison:
    return lighthouse.compare(lighthouse.read_report(report(**ours)), lighthouse.read_report(report(**stock)))


def test_figures_at_the_targets_pass_against_stock():
    at_the_line = judged({"performance": 0.95, "tbt": 250.0, "bytes_": 120_000},
                         {"performance": 0.97, "tbt": 150.0, "bytes_": 80_000})
    assert at_the_line.missed == []
    assert (at_the_line.tbt_over, at_the_line.performance_under, at_the_line.bytes_ratio) == (100.0, 2, 1.5)


@pytest.mark.parametrize("ours, missed", [
    ({"tbt": 251.0}, "total blocking time +101 ms over stock"),
    ({"performance": 0.94}, "performance 3 points under stock"),
    ({"bytes_": 120_001}, "bytes 1.50× stock"),
    ({"accessibility": 0.98}, "accessibility 98 < 100"),
])
def test_each_figure_past_its_target_is_reported(ours, missed):
    result = judged({"performance": 0.97, "tbt": 150.0, "bytes_": 80_000} | ours,
                    {"performance": 0.97, "tbt": 150.0, "bytes_": 80_000})
    assert len(result.missed) == 1 and result.missed[0].startswith(missed), result.missed


def test_the_stock_site_has_our_theme_settings_and_nothing_of_ours(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from common import local_config
    from stock import build, placeholder_site

    project = placeholder_site(tmp_path / "stock")
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    ours = local_config(ROOT / "mkdocs.yml")
    assert config["theme"] == {k: v for k, v in ours["theme"].items() if k not in ("custom_dir", "favicon")}
    assert config["theme"]["font"] is False and config["plugins"] == ["search"]
    assert "extra_css" not in config and "extra_javascript" not in config
    site = build(project)
    pages = sorted(site.rglob("index.html"))
    assert len(pages) == 20 and (site / "reference-table" / "index.html").read_text().count("<tr>") > 40
    home = (site / "index.html").read_text()
    assert "refsite" not in home and "fonts.googleapis" not in home and 'data-md-color-primary="indigo"' in home

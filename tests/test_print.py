"""The quick-reference card prints on one page."""

from __future__ import annotations

import html as html_module
import re

import pytest

pytestmark = pytest.mark.browser


def test_quick_reference_card_prints_on_one_a4_page(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/quick-reference/")
    pdf = page.pdf(format="A4", print_background=True)
    page.close()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


def test_quick_reference_card_has_thresholds_and_red_flags(built_site):
    html = (built_site / "quick-reference" / "index.html").read_text()
    assert "White-count thresholds ×10⁹/L" in html and "Red flags" in html
    from generator.pipeline import check
    from generator.render.figures import ladder_thresholds
    from tests.conftest import REAL_CONTENT
    content, _ = check(REAL_CONTENT)
    lines = re.findall(r'<li><strong>([^<]+)</strong> ([^<]+) <span class="qr-who">· ([^<]+)</span>', html)
    assert [(f.threshold.defines, f.context.population.split(" (")[0]) for f in ladder_thresholds(content)] == \
        [(html_module.unescape(defines), who) for _, defines, who in lines]  # each with its own population

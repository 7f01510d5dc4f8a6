"""The quick-reference card prints on one page."""

from __future__ import annotations

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
    assert "White-count thresholds" in html and "Red flags" in html
    assert html.count("×10⁹/L") >= 5

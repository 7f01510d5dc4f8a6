"""Every page of the Zensical build at phone size: no Content-Security-Policy violation (Chromium
logs each one as a console error: an inline script or style without its hash), no request to
another host, and axe-core finds nothing, in light and dark."""

from __future__ import annotations

import pytest

from tests.conftest import phone_page
from tests.test_accessibility import violations
from tests.test_browser import all_pages
from tests.test_zensical_browser import zensical_search

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_keeps_the_policy_and_passes_axe(browser, zensical_url, zensical_site, scheme):
    pages = all_pages(zensical_site)
    assert len(pages) >= 20
    found = {}
    with phone_page(browser, zensical_url, color_scheme=scheme) as page:
        for path in pages:
            page.goto(zensical_url + path, wait_until="networkidle")
            assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
            problems = violations(page)
            if problems:
                found[path] = problems
        assert zensical_search(page, "leukostasis")  # its panel's stylesheet needs its hash too
        assert page.external_requests == []
        assert page.console_errors == []
    assert found == {}

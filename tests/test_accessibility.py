"""axe-core (bundled by axe-playwright-python) on every page, at phone size, light and dark."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.test_browser import all_pages

pytestmark = pytest.mark.browser


def violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']})"
            for v in results.response["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_on_any_page(browser, site_url, built_site, scheme):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  color_scheme=scheme)
    page = context.new_page()
    found = {}
    for path in all_pages(built_site):
        page.goto(site_url + path)
        problems = violations(page)
        if problems:
            found[path] = problems
    context.close()
    assert found == {}

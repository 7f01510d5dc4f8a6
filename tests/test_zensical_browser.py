"""Smoke tests of the Zensical build (`make build-zensical`) in a phone-sized Chromium: the
calculators' YAML cases and a checklist case against the Python reference evaluator, with the
helpers of their own browser tests; every page offline after the first visit; the offline zip
from file://. (Policy, other hosts and axe: test_zensical_accessibility.py; search:
test_zensical_search.py.)"""

from __future__ import annotations

import time
import zipfile
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.postbuild import BUNDLE_NAME, BUNDLE_PATH
from generator.widgets.calculator.cases import compare
from tests import test_calculators_browser as calculators
from tests import test_checklist_browser as checklist
from tests.conftest import PHONE
from tests.test_offline import every_page_opens_offline_after_the_first_visit

pytestmark = pytest.mark.browser


def zensical_search(page, query: str) -> list[str]:
    """Zensical's own search as a person uses it (its box and results live in a shadow root, which
    Playwright's locators enter): the addresses of the results for this query, best first."""
    box = page.get_by_role("combobox", name="Search")
    if not box.is_visible():
        page.click("label.md-header__button[for=__search]")
    box.fill("")
    box.press_sequentially(query, delay=20)
    results = page.locator("a[role=option]")
    deadline = time.monotonic() + 10
    last: list[str] = []
    while time.monotonic() < deadline:  # until the list shown is this query's (each result carries it as ?h=)
        hrefs = results.evaluate_all("links => links.map((a) => a.getAttribute('href'))")  # at once: redrawn as it is typed
        if hrefs and parse_qs(urlsplit(hrefs[0]).query).get("h") == [query]:
            if hrefs == last:  # and has stayed so for one poll: the list is redrawn as ranking finishes
                return hrefs
            last = hrefs
        page.wait_for_timeout(150)
    return []  # a list that never settled is not an answer


@pytest.mark.parametrize("calc_id", sorted(calculators.SPECS))
def test_every_calculator_case_typed_into_the_form(zensical_phone, zensical_url, calc_id):
    form, result = calculators.open_calculator(zensical_phone, zensical_url, calc_id)
    failures = []
    yaml_cases = calculators.all_cases(calc_id)[:len(calculators.CONTENT.calculators[calc_id].cases)]  # listed first
    assert yaml_cases
    for name, inputs, expect, key_by_key in yaml_cases:
        calculators.enter(zensical_phone, form, calculators.SPECS[calc_id], inputs, key_by_key=key_by_key)
        wrong = compare(expect, calculators.read(result))
        if wrong:
            failures.append(f"{name} {inputs}: {'; '.join(wrong)}")
    assert failures == []
    assert zensical_phone.console_errors == []


def test_a_checklist_case_clicked_through(zensical_phone, zensical_url):
    page = zensical_phone
    page.goto(zensical_url + checklist.PATH)
    spec = checklist.page_spec(page)
    case = max((c for c in checklist.CHECKLIST.cases if set(c.states.values()) <= {"present", "excluded"}),
               key=lambda c: len(c.states))
    checklist.answer(page, spec, case.states)
    want, got = checklist.expected(spec, case.states), checklist.shown(page)
    assert [got["status"], got["sections"]] == [want["status"], want["sections"]], case.name
    assert {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()} == case.states
    assert page.console_errors == []


def test_every_page_opens_offline_after_the_first_visit(browser, zensical_url, zensical_site):
    context, page = every_page_opens_offline_after_the_first_visit(browser, zensical_url, zensical_site)
    form, result = calculators.open_calculator(page, zensical_url, "white-cell-count")
    calculators.enter(page, form, calculators.SPECS["white-cell-count"], {"wbc": "72"})
    assert calculators.read(result)["band"] == "extreme"
    page.goto(zensical_url + "/")
    assert any("/hyperleukocytosis-and-leukostasis/" in href for href in zensical_search(page, "leukostasis")[:3])
    context.close()


def test_the_offline_zip_works_from_file_urls_with_search(browser, zensical_site, tmp_path):
    zipfile.ZipFile(zensical_site / BUNDLE_PATH).extractall(tmp_path)
    bundle = tmp_path / BUNDLE_NAME
    context = browser.new_context(**PHONE)
    page = context.new_page()
    errors, requests = [], []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto((bundle / "index.html").as_uri())
    found = zensical_search(page, "leukostasis")
    assert found and found[0].startswith((bundle / "hyperleukocytosis-and-leukostasis.html").as_uri())
    page.goto((bundle / "white-cell-count-calculator.html").as_uri())
    form, result = page.locator("form#calc-white-cell-count"), page.locator("#calc-result-white-cell-count")
    calculators.enter(page, form, calculators.SPECS["white-cell-count"], {"wbc": "72"})
    assert calculators.read(result)["band"] == "extreme"
    assert errors == []
    assert all(url.startswith(("file://", "data:", "blob:", "about:")) for url in requests), requests
    context.close()

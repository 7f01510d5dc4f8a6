"""The site as a clinician meets it: a phone-sized headless Chromium."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def all_pages(built_site) -> list[str]:
    """URL paths of every page: "/", "/leukemoid-reaction/", …"""
    folders = (p.parent.relative_to(built_site).as_posix() for p in built_site.rglob("index.html"))
    return sorted("/" if f == "." else f"/{f}/" for f in folders)


def search(page, query: str):
    page.click("label.md-header__button[for=__search]")
    box = page.locator("input.md-search__input")
    box.press_sequentially(query, delay=20)
    page.wait_for_selector(".md-search-result__item")
    return page.locator(".md-search-result__item")


def test_search_leukostasis_reaches_the_right_page(phone, site_url):
    phone.goto(site_url + "/")
    results = search(phone, "leukostasis")
    hrefs = [results.nth(i).locator("a").first.get_attribute("href") for i in range(min(3, results.count()))]
    assert any("hyperleukocytosis-and-leukostasis" in h for h in hrefs), hrefs
    results.locator("a[href*='hyperleukocytosis-and-leukostasis']").first.click()
    phone.wait_for_url("**/hyperleukocytosis-and-leukostasis/**")
    assert "leukostasis" in phone.locator("h1").inner_text().lower()


def test_no_page_requests_another_host_or_logs_errors(phone, site_url, built_site):
    pages = all_pages(built_site)
    assert len(pages) >= 10
    for path in pages:
        phone.goto(site_url + path, wait_until="networkidle")
    assert phone.external_requests == []
    assert phone.console_errors == []

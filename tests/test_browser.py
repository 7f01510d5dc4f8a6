"""The site as a clinician meets it: a phone-sized headless Chromium."""

from __future__ import annotations

import pytest

from tests.conftest import arrive, tap_in_site

pytestmark = pytest.mark.browser


def all_pages(built_site) -> list[str]:
    """URL paths of every page: "/", "/leukemoid-reaction/", …"""
    folders = (p.parent.relative_to(built_site).as_posix() for p in built_site.rglob("index.html"))
    return sorted("/" if f == "." else f"/{f}/" for f in folders)


def search(page, query: str):
    page.click("label.md-header__button[for=__search]")
    # The index loads when search opens (docs/assets/search-on-demand.js). Ranking tests type once it
    # is in: typed earlier, the last keys' results can come after a busy machine's 150 ms settle.
    page.locator(".md-search-result__meta", has_text="Type to start searching").wait_for()
    box = page.locator("input.md-search__input")
    box.press_sequentially(query, delay=20)
    page.wait_for_selector(".md-search-result__item")
    return page.locator(".md-search-result__item")


def test_search_leukostasis_reaches_the_right_page(phone, site_url):
    phone.goto(site_url + "/")
    results = search(phone, "leukostasis")
    hrefs = [results.nth(i).locator("a").first.get_attribute("href") for i in range(min(3, results.count()))]
    assert any("hyperleukocytosis-and-leukostasis" in h for h in hrefs), hrefs
    tap_in_site(phone, results.locator("a[href*='hyperleukocytosis-and-leukostasis']").first,
                "**/hyperleukocytosis-and-leukostasis/**")
    assert "leukostasis" in phone.locator("article.md-content__inner h1").inner_text().lower()


def test_no_page_requests_another_host_or_logs_errors(phone, site_url, built_site):
    pages = all_pages(built_site)
    assert len(pages) >= 10
    for path in pages:
        phone.goto(site_url + path, wait_until="networkidle")
    assert phone.external_requests == []
    assert phone.console_errors == []


def open_popover_id(page) -> str | None:
    return page.evaluate("document.querySelector(':popover-open')?.id ?? null")


def test_tapping_a_citation_shows_the_full_reference_in_place(phone, site_url):
    phone.goto(site_url + "/bone-tumour-cohort-study/")
    marker = phone.locator("button.cite").filter(visible=True).first   # not one folded inside a figure's table
    target = marker.get_attribute("popovertarget")
    marker.scroll_into_view_if_needed()
    marker.tap()
    popover = phone.locator(f"#{target}")
    popover.wait_for(state="visible")
    assert open_popover_id(phone) == target
    assert phone.url.endswith("/bone-tumour-cohort-study/")  # still on the same page, nothing loaded
    text = popover.inner_text()
    # the reference says what its record does not know: a descriptive title, no guessed journal
    assert "[descriptive title]" in text and "[Not identified: authors, journal" in text
    assert "Eur Rev Med Pharmacol Sci" not in text
    assert "Weak source" in text and "Known problems" in text
    box = popover.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] >= 0  # fits the phone screen
    popover.get_by_role("button", name="Close").tap()
    popover.wait_for(state="hidden")
    assert phone.external_requests == [] and phone.console_errors == []


@pytest.mark.browser
def test_without_the_popover_api_a_marker_goes_to_its_card_and_close_comes_back(browser, site_url):
    """Safari before 17 and Firefox before 125 have no popovers: the cards are a list at the end
    of the page, a tap on a marker scrolls to its card and Close scrolls back to the marker."""
    from tests.conftest import PHONE

    context = browser.new_context(**PHONE)
    context.add_init_script("delete HTMLElement.prototype.popover")  # as in a browser without the API
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(site_url + "/bone-tumour-cohort-study/")
    assert page.evaluate("document.documentElement.classList.contains('no-popover')")
    marker = page.locator("button.cite").filter(visible=True).first
    card = page.locator(f"#{marker.get_attribute('popovertarget')}")
    assert card.is_visible() and "[descriptive title]" in card.inner_text()  # listed, not hidden

    def in_view(locator) -> bool:
        box = locator.bounding_box()
        return box is not None and 0 <= box["y"] and box["y"] + min(box["height"], 100) <= 844

    marker.scroll_into_view_if_needed()
    assert not in_view(card)
    marker.tap()
    page.wait_for_function("(id) => document.activeElement && document.activeElement.id === id", arg=card.get_attribute("id"))
    assert in_view(card) and open_popover_id(page) is None
    header = page.locator("header.md-header").bounding_box()
    assert card.bounding_box()["y"] >= header["y"] + header["height"]  # its title clear of the sticky header
    card.get_by_role("button", name="Close").tap()
    page.wait_for_function("() => document.activeElement && document.activeElement.matches('button.cite')")
    assert in_view(marker) and page.evaluate("document.activeElement.getAttribute('popovertarget')") == card.get_attribute("id")
    assert errors == []
    context.close()


def test_citation_popover_works_from_the_keyboard_and_passes_axe(phone, site_url):
    from axe_playwright_python.sync_playwright import Axe

    phone.goto(site_url + "/leukemoid-reaction/")
    marker = phone.locator("button.cite").filter(visible=True).first   # not one folded inside a figure's table
    marker.focus()
    phone.keyboard.press("Enter")
    target = marker.get_attribute("popovertarget")
    phone.locator(f"#{target}").wait_for(state="visible")
    assert open_popover_id(phone) == target
    results = Axe().run(phone)
    assert results.violations_count == 0, results.generate_report()
    phone.keyboard.press("Escape")
    phone.locator(f"#{target}").wait_for(state="hidden")
    assert phone.evaluate("document.activeElement.getAttribute('popovertarget')") == target


def test_header_shows_one_colour_scheme_toggle(phone, site_url):
    phone.goto(site_url + "/")
    toggles = phone.locator("form[data-md-component=palette] label.md-header__button")
    assert sum(toggles.nth(i).is_visible() for i in range(toggles.count())) == 1


def test_home_is_readable_at_360px_without_horizontal_scroll(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True)
    page = context.new_page()
    for path in ("/", "/bone-tumour-cohort-study/"):
        page.goto(site_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    context.close()


CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
  e => window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || e.sample)));
"""


def test_content_security_policy_runs_the_site_and_blocks_injected_script(phone, site_url):
    phone.context.add_init_script(CSP_VIOLATIONS)
    phone.goto(site_url + "/")
    assert search(phone, "hyperleukocytosis").count() >= 1  # the theme's inline scripts and search worker run
    phone.keyboard.press("Escape")
    phone.locator(".md-content a[href*='leukemoid-reaction']:visible").first.click()  # instant navigation
    phone.wait_for_url("**/leukemoid-reaction/**")
    assert phone.evaluate("window.__cspViolations") == []
    # A script that content managed to smuggle in would not run:
    phone.evaluate("""() => { const s = document.createElement("script");
                              s.textContent = "window.__injected = true"; document.body.append(s); }""")
    assert phone.evaluate("window.__injected") is None
    assert any(v.startswith("script-src") for v in phone.evaluate("window.__cspViolations"))


# Each page kind a reader may tap from, and the widget page reached from it (conftest.arrive adds an in-site link
# where the page has none of its own to that widget, as a search result or "More" link would be).
START_PAGES = ["/", "/leukemoid-reaction/", "/sources/bone-tumour-cohort/", "/quick-reference/",
               "/differential-calculator/", "/extreme-leukocytosis-checklist/", "/editors-choices/"]


@pytest.mark.parametrize("start", START_PAGES)
def test_both_widgets_answer_after_a_tap_from_every_page_kind(phone, site_url, start):
    arrive(phone, site_url, "/white-cell-count-calculator/", "tap", start=start)
    phone.locator("form#calc-white-cell-count").get_by_label("White-cell count", exact=True).press_sequentially("150")
    assert phone.locator("#calc-result-white-cell-count").get_attribute("data-band") == "above-aml-cutoff"
    arrive(phone, site_url, "/extreme-leukocytosis-checklist/?wbc=72", "tap", start=start)
    phone.locator("#item-pe-mimic .checklist-option--present").tap()
    assert phone.locator("[data-section=red-flags]").count() == 1
    assert phone.console_errors == []


def test_the_menu_reaches_a_working_calculator(phone, site_url):
    phone.goto(site_url + "/leukemoid-reaction/")
    phone.locator("label.md-header__button[for=__drawer]").tap()
    drawer = phone.locator("nav.md-nav--primary")
    drawer.get_by_text("Calculators", exact=True).first.tap()
    tap_in_site(phone, drawer.get_by_role("link", name="White-cell count", exact=True), "**/white-cell-count-calculator/")
    phone.locator("form#calc-white-cell-count").get_by_label("White-cell count", exact=True).press_sequentially("72")
    assert phone.locator("#calc-result-white-cell-count").get_attribute("data-band") == "extreme"
    assert phone.console_errors == []

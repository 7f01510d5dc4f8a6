"""The bedside tasks as a clinician does them on a phone (390×844, touch), from the home page, by taps only, on
the site served at the address its sitemap names (so instant navigation swaps every page in place, as on the
published host). Each task must reach its answer; the taps and screens it took are printed, never asserted as
timings (figures from this machine say little about a phone).

Run alone to see the figures: `.venv/bin/python -m pytest tests/test_phone_tasks.py -s -q`."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.conftest import FIRST_MARK_IN_VIEW, PHONE, phone_page, tap_in_site

pytestmark = pytest.mark.browser

SCREEN = PHONE["viewport"]["height"]


@dataclass
class Walk:
    """A reader's way through the site: every tap goes through here, and so does the scrolling it takes."""

    page: object
    name: str
    taps: int = 0
    scrolled: float = 0.0
    steps: list[str] = field(default_factory=list)

    def _scroll_to(self, locator) -> None:
        before = self.page.evaluate("scrollY")
        locator.scroll_into_view_if_needed()
        self.scrolled += abs(self.page.evaluate("scrollY") - before)

    def tap(self, locator, why: str) -> None:
        self._scroll_to(locator)
        locator.tap()
        self.taps += 1
        self.steps.append(why)

    def follow(self, locator, why: str, url_glob: str | None = None) -> None:
        """Tap a link within the site: the page must be swapped in place (instant navigation), not reloaded."""
        self._scroll_to(locator)
        tap_in_site(self.page, locator, url_glob)
        self.taps += 1
        self.steps.append(why)

    def type(self, locator, text: str, why: str) -> None:
        self.tap(locator, why)
        self.page.keyboard.type(text)

    def choose(self, locator, value: str, why: str) -> None:
        self.tap(locator, why)  # the tap opens the phone's picker; choosing in it is the second tap
        locator.select_option(value)
        self.taps += 1

    def report(self) -> str:
        return f"{self.name}: {self.taps} taps, {self.scrolled / SCREEN:.1f} screens scrolled ({'; '.join(self.steps)})"


@pytest.fixture
def walk(browser, site_url, request):
    with phone_page(browser, site_url, service_workers="allow") as page:  # as a reader's phone, worker and all
        page.goto(site_url + "/")
        walking = Walk(page, request.node.name.removeprefix("test_").replace("_", " "))
        yield walking
        assert page.console_errors == []
        with request.config.pluginmanager.get_plugin("capturemanager").global_and_fixture_disabled():
            print("\n" + walking.report())


def open_calculator(walk: Walk) -> None:
    home = walk.page.locator("article.md-content__inner")
    walk.follow(home.get_by_role("link", name="White-cell count", exact=True).first, "the calculator from the home page",
                "**/white-cell-count-calculator/")


def verdict(page) -> str:
    return page.locator("#calc-result-white-cell-count .calc-result__summary").inner_text()


def test_a_count_of_72_k_per_ul_in_a_bone_tumour_patient(walk):
    open_calculator(walk)
    form = walk.page.locator("form#calc-white-cell-count")
    walk.type(form.get_by_label("White-cell count", exact=True), "72", "type 72")
    walk.tap(form.get_by_label("K/µL", exact=True), "unit K/µL")
    walk.choose(walk.page.get_by_label("Underlying condition", exact=True), "bone-tumour", "malignant bone tumour")
    result = walk.page.locator("#calc-result-white-cell-count")
    assert result.get_attribute("data-band") == "extreme"
    assert "72 K/µL = 72 ×10⁹/L" in result.inner_text()
    assert result.locator("[data-mode=advice]").count() + result.locator("[data-mode=conditional]").count() > 0


def test_150_in_acute_leukaemia_with_shortness_of_breath(walk):
    open_calculator(walk)
    form = walk.page.locator("form#calc-white-cell-count")
    walk.type(form.get_by_label("White-cell count", exact=True), "150", "type 150")
    walk.choose(walk.page.get_by_label("Underlying condition", exact=True), "acute-leukaemia", "acute leukaemia")
    walk.choose(walk.page.get_by_label("Symptoms that could be leukostasis", exact=True), "present", "dyspnoea: leukostasis symptoms")
    result = walk.page.locator("#calc-result-white-cell-count")
    assert result.get_attribute("data-severity") == "danger"
    assert "leukapheresis" in result.locator("[data-mode=advice]").all_inner_texts().__str__().lower()


def test_the_checklist_from_the_calculator_with_three_causes_excluded_and_a_red_flag(walk):
    open_calculator(walk)
    form = walk.page.locator("form#calc-white-cell-count")
    walk.type(form.get_by_label("White-cell count", exact=True), "72", "type 72")
    walk.choose(walk.page.get_by_label("Underlying condition", exact=True), "bone-tumour", "malignant bone tumour")
    walk.follow(walk.page.get_by_role("link", name="Work through the checklist"), "the checklist, count carried",
                "**/extreme-leukocytosis-checklist/**")
    page = walk.page
    assert page.locator("#checklist-context").get_by_label("White-cell count", exact=True).input_value() == "72"
    for cause in ("infection", "growth-factor", "steroids-vasopressors"):
        walk.tap(page.locator(f"#item-{cause} .checklist-option--excluded"), f"{cause} excluded")
    walk.tap(page.locator("#item-pe-mimic .checklist-option--present"), "red flag: imaging like a pulmonary embolism")
    walk.tap(page.locator(".checklist-bar__summary"), "the summary, from the bar")
    summary = page.locator("#checklist-summary")
    assert "Imaging that looks like a pulmonary embolism" in summary.inner_text()
    header = page.locator(".md-header").bounding_box()
    assert page.locator("#checklist-summary-title").bounding_box()["y"] >= header["y"] + header["height"]


def test_search_for_hydroxyurea(walk):
    page = walk.page
    walk.tap(page.locator("label.md-header__button[for=__search]"), "search")
    page.keyboard.type("hydroxyurea")
    page.locator(".md-search-result__item").first.wait_for()
    walk.follow(page.locator(".md-search-result__item").first.locator("a").first, "the first result")
    page.wait_for_timeout(2600)  # held at the match once the page has settled
    assert page.evaluate(FIRST_MARK_IN_VIEW)


def test_the_calculator_offline_after_the_first_visit(walk):
    page = walk.page
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()  # the worker now answers for the site
    page.wait_for_function("async () => (await caches.keys()).length > 0 && (await (await caches.open((await caches.keys())[0])).keys())"
                           ".some((r) => r.url.endsWith('/white-cell-count-calculator/'))", timeout=60000)
    page.context.set_offline(True)
    open_calculator(walk)
    walk.type(page.locator("form#calc-white-cell-count").get_by_label("White-cell count", exact=True), "150", "type 150")
    assert page.locator("#calc-result-white-cell-count").get_attribute("data-band") == "above-aml-cutoff"

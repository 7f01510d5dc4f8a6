"""Every page at 360 px: no sideways scrolling, and every tap target that is not a
link inside a sentence is at least 44×44 CSS px."""

from __future__ import annotations

import pytest

from tests.conftest import TAP_AREA_MISS
from tests.test_browser import all_pages

pytestmark = pytest.mark.browser

SMALL_TARGETS = """() => {
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, input, select, label[for], summary')) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || style.opacity === '0') continue;  // e.g. the skip link until focused
    if (el.closest('.md-sidebar, .md-search, [hidden]')) continue;   // off-canvas until opened
    if (el.closest('details:not([open]) > :not(summary)')) continue;   // folded away until its summary is tapped
    // A link or citation marker inside running text is exempt (WCAG 2.5.8): its parent holds more text than it.
    const parentText = (el.parentElement.innerText || '').trim();
    const inline = (el.tagName === 'A' || el.matches('button.cite')) && parentText.length > (el.innerText || '').trim().length + 2;
    if (inline) continue;
    if (box.width < 44 || box.height < 44) small.push(`${el.tagName.toLowerCase()} "${(el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
  }
  return small;
}"""


def test_no_sideways_scroll_and_big_enough_tap_targets(browser, site_url, built_site):
    context = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True)
    page = context.new_page()
    problems = {}
    for path in all_pages(built_site):
        page.goto(site_url + path)
        # against clientWidth: on a phone a too-wide page widens the layout viewport (innerWidth) with it
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        small = page.evaluate(SMALL_TARGETS)
        if overflow > 0 or small:
            problems[path] = {"overflow_px": overflow, "small_targets": small[:5]}
    context.close()
    assert problems == {}


# The interactive elements under root that do not answer a tap across 44 × 44 px (conftest.TAP_AREA_MISS), each
# with where a tap went instead.
NO_TAP_AREA = f"""(root) => {{
  const miss = {TAP_AREA_MISS};
  const missed = [];
  for (const el of document.querySelectorAll(`${{root}} :is(a[href], button, select, input, summary)`)) {{
    if (!el.checkVisibility() || el.closest('details:not([open]) > :not(summary)')) continue;
    el.scrollIntoView({{ block: 'center', behavior: 'instant' }});
    const why = miss(el);
    if (why) missed.push(`${{el.tagName.toLowerCase()}}.${{el.className}} "${{(el.innerText || el.value || '').trim().slice(0, 30)}}" ${{why}}`);
  }}
  return missed;
}}"""

WIDGET_RESULTS = [
    ("/white-cell-count-calculator/?wbc=150&condition=acute-leukaemia&leukostasis=present", ".calc-result"),
    ("/white-cell-count-calculator/?wbc=72&condition=bone-tumour", ".calc-result"),
    ("/differential-calculator/?wbc=72&neutrophils=80&lymphocytes=10&monocytes=5&blasts=no", ".calc-result"),
    ("/extreme-leukocytosis-checklist/?leukostasis=present&pe-mimic=absent&infection=present&lap-raised=absent"
     "&condition=chronic-leukaemia&wbc=130", "#checklist-summary"),
]


@pytest.mark.parametrize("path, root", WIDGET_RESULTS)
def test_every_control_in_a_widget_result_has_a_44_px_tap_area(phone, site_url, path, root):
    phone.goto(site_url + path)
    phone.locator(root).locator("details").evaluate_all("(all) => all.forEach((d) => { d.open = true; })")
    assert phone.evaluate(NO_TAP_AREA, root) == []


def test_a_tapped_abbreviation_stays_inside_a_360_px_screen(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True)
    page = context.new_page()
    wide = []
    for path in ("/paraneoplastic-leukemoid-reaction/", "/hyperleukocytosis-and-leukostasis/", "/leukemoid-reaction/"):
        page.goto(site_url + path)
        # Those in headings (a box hangs from them) and the last few in running text (nearest the right edge).
        abbrs = page.locator("article :is(h1, h2, h3, h4) abbr[title]").all() + page.locator("article p abbr[title]").all()[:6]
        abbrs = [abbr for abbr in abbrs if abbr.is_visible()]  # not one folded away in a closed box
        assert abbrs, path
        for abbr in abbrs:
            abbr.scroll_into_view_if_needed()
            abbr.tap()
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                wide.append((path, abbr.inner_text(), overflow))
            abbr.tap()
    context.close()
    assert wide == []

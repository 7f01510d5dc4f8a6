"""Every page at 360 px: no sideways scrolling, and every tap target that is not a
link inside a sentence is at least 44×44 CSS px."""

from __future__ import annotations

import pytest

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

"""The pictures as a clinician sees them: phone-sized Chromium, light and dark, axe-core."""

from __future__ import annotations

import struct
import zlib

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import PHONE
from tests.test_phone_layout import SMALL_TARGETS

pytestmark = pytest.mark.browser

PAGES = ["/", "/bone-tumour-cohort-study/", "/hyperleukocytosis-and-leukostasis/"]

# Every text and mark of each figure: where it is drawn, the box it fits in, and its colour.
MEASURE = """svg => {
  const box = svg.viewBox.baseVal, rect = svg.getBoundingClientRect();
  const parts = [...svg.querySelectorAll('text, rect.figure__bar, line.figure__rung, line.figure__also')]
    .filter(el => el.getAttribute('display') !== 'none' && !el.closest('[display="none"]'));
  return {
    rect: {x: rect.x, width: rect.width, height: rect.height}, viewBox: {width: box.width, height: box.height},
    parts: parts.map(el => {
      const b = el.getBBox(), style = getComputedStyle(el);
      return {tag: el.tagName, cls: el.getAttribute('class'), text: el.textContent,
              x: b.x, y: b.y, width: b.width, height: b.height,
              colour: el.tagName === 'line' ? style.stroke : style.fill,
              size: parseFloat(el.getAttribute('font-size') || '0')};
    }),
  };
}"""
# The first opaque background behind the figures (Material paints it on body or html).
BACKGROUND = """() => {
  for (let el = document.querySelector('figure.figure'); el; el = el.parentElement) {
    const colour = getComputedStyle(el).backgroundColor;
    if (colour && !colour.startsWith('rgba(0, 0, 0, 0)') && colour !== 'transparent') return colour;
  }
  return 'rgb(255, 255, 255)';
}"""


def rgba(colour: str) -> tuple[float, float, float, float]:
    parts = [float(c) for c in colour[colour.index("(") + 1:colour.index(")")].split(",")]
    return (*parts[:3], parts[3] if len(parts) == 4 else 1.0)


def luminance(rgb) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio; a translucent foreground is blended over the background first."""
    *fg, alpha = rgba(foreground)
    bg = rgba(background)[:3]
    blended = [alpha * f + (1 - alpha) * b for f, b in zip(fg, bg)]
    high, low = sorted((luminance(blended), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def distinct_bytes(png: bytes) -> int:
    """How varied a PNG's pixel data is: a blank picture decompresses to a few byte values."""
    data, at = b"", 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        if kind == b"IDAT":
            data += png[at + 8:at + 8 + length]
        at += 12 + length
    return len(set(zlib.decompress(data)))


@pytest.fixture(params=["light", "dark"])
def scheme(request, browser, site_url):
    context = browser.new_context(**PHONE, color_scheme=request.param)
    page = context.new_page()
    page.scheme = request.param
    yield page
    context.close()


def test_figures_are_visible_unclipped_and_readable_in_both_schemes(scheme, site_url, tmp_path):
    for path in PAGES:
        scheme.goto(site_url + path)
        svgs = scheme.locator("figure.figure svg")
        assert svgs.count() >= 1, f"no figure on {path}"
        background = scheme.evaluate(BACKGROUND)
        for i in range(svgs.count()):
            svg = svgs.nth(i)
            svg.scroll_into_view_if_needed()
            found = svg.evaluate(MEASURE)
            rect, box = found["rect"], found["viewBox"]
            where = f"{path} figure {i + 1} ({scheme.scheme})"
            assert rect["width"] > 250 and rect["height"] > 150, where
            assert rect["x"] >= 0 and rect["x"] + rect["width"] <= PHONE["viewport"]["width"], where
            for part in found["parts"]:
                assert part["width"] > 0 or part["height"] > 0, f"{where}: nothing drawn {part}"
                assert part["x"] >= -0.5 and part["x"] + part["width"] <= box["width"] + 0.5, f"{where}: clipped {part}"
                assert part["y"] >= -0.5 and part["y"] + part["height"] <= box["height"] + 0.5, f"{where}: clipped {part}"
                needed = 4.5 if part["tag"] == "text" else 3
                assert contrast(part["colour"], background) >= needed, f"{where}: {part['cls']} {part['colour']}"
                if part["size"]:
                    assert part["size"] * rect["width"] / box["width"] >= 10.5, f"{where}: text too small {part}"
            shot = svg.screenshot(path=tmp_path / f"{path.strip('/') or 'home'}-{i}-{scheme.scheme}.png")
            assert distinct_bytes(shot) > 30, f"{where} looks blank"


def test_each_figure_has_a_table_that_opens_with_the_same_numbers(scheme, site_url):
    scheme.goto(site_url + "/bone-tumour-cohort-study/")
    figure = scheme.locator("figure.figure").first
    details = scheme.locator("figure.figure + details.figure__data").first
    assert not details.locator("table").is_visible()
    details.locator("summary").click()
    table = details.locator("table")
    assert table.is_visible()
    drawn = figure.locator("svg g[data-fact]")
    for i in range(drawn.count()):
        group = drawn.nth(i)
        cell = table.locator(f"span[data-fact='{group.get_attribute('data-fact')}']")
        assert cell.get_attribute("data-count") == group.get_attribute("data-count")
        assert cell.inner_text().startswith(group.get_attribute("data-count") + " of ")


def test_figure_tables_once_opened_pass_axe_and_have_big_enough_targets(scheme, site_url):
    # test_accessibility and test_phone_layout check every page as it loads; this opens the tables.
    for path in PAGES:
        scheme.goto(site_url + path)
        scheme.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        result = Axe().run(scheme)
        violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]]
        assert violations == [], f"{path} ({scheme.scheme}): {violations}"
        assert scheme.evaluate(SMALL_TARGETS) == [], path
        assert scheme.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0, path

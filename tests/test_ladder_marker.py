"""The white-count calculator marks the entered count on the threshold ladder."""

from __future__ import annotations

import math

import pytest

pytestmark = pytest.mark.browser


def expected_y(stops: list[tuple[float, float]], value: float) -> float:
    """Log interpolation between the ladder's stops (highest value first), as the figure documents."""
    for (v1, y1), (v2, y2) in zip(stops, stops[1:]):
        if v2 <= value <= v1:
            return y1 + math.log(v1 / value) / math.log(v1 / v2) * (y2 - y1)
    raise AssertionError(f"{value} is outside the ladder")


def test_entered_count_is_marked_at_its_place_on_the_ladder(phone, site_url):
    phone.goto(site_url + "/white-cell-count-calculator/")
    ladder = phone.locator(".figure__svg--ladder").first
    stops = [tuple(map(float, pair.split(":"))) for pair in ladder.get_attribute("data-stops").split()]
    marker = ladder.locator(".figure__entered")
    assert marker.get_attribute("display") == "none"
    for typed, unit, canonical in [("72", "10*9/L", 72), ("72000", "/uL", 72), ("150", "K/uL", 150), ("8", "10*9/L", 8)]:
        phone.locator(f"input[name=wbc_unit][value='{unit}']").check()
        phone.fill("#white-cell-count-wbc", typed)
        phone.wait_for_function("document.querySelector('.figure__entered').getAttribute('display') === 'inline'")
        y = float(marker.get_attribute("transform").removeprefix("translate(0,").removesuffix(")"))
        assert y == pytest.approx(expected_y(stops, canonical), abs=0.2), typed
        assert marker.locator("text").text_content() == str(canonical)
    phone.fill("#white-cell-count-wbc", "not a number")
    phone.wait_for_function("document.querySelector('.figure__entered').getAttribute('display') === 'none'")
    assert phone.console_errors == []


VISIBLE_TEXTS = """(svg, marker) => [...svg.querySelectorAll("text")]
  .filter((t) => !marker.contains(t) && t.getAttribute("visibility") !== "hidden" && t.textContent.trim())
  .map((t) => { const b = t.getBoundingClientRect(); return [t.textContent, b.left, b.top, b.right, b.bottom]; })"""


def _overlaps(box: dict, texts: list) -> list[str]:
    return [text for text, left, top, right, bottom in texts
            if left < box["x"] + box["width"] and box["x"] < right and top < box["y"] + box["height"] and box["y"] < bottom]


@pytest.mark.parametrize("count", ["1", "11", "50", "72", "100", "130", "500"])
def test_the_marker_never_covers_a_label(phone, site_url, count):
    """On the calculator's range scale and on the threshold ladder, the mark for the count covers no
    visible label: a label it would cover is hidden while it is there (the count reads in its place)."""
    phone.goto(f"{site_url}/white-cell-count-calculator/?wbc={count}")
    for svg_selector, marker_selector in ((".calc-scale__picture", ".calc-scale__marker"),
                                          (".figure__svg--ladder", ".figure__entered")):
        svg = phone.locator(svg_selector).first
        marker = svg.locator(marker_selector)
        phone.wait_for_function("(m) => m.getAttribute('display') === 'inline'", arg=marker.element_handle())
        texts = svg.evaluate(VISIBLE_TEXTS, marker.element_handle())
        for part in marker.locator("path, text").all():
            box = part.bounding_box()
            assert box and _overlaps(box, texts) == [], (svg_selector, count, _overlaps(box, texts))
    # the ladder's own labels come back when the count no longer covers them
    phone.locator("#white-cell-count-wbc").fill("3")
    phone.wait_for_function("!document.querySelector('.figure__svg--ladder text[data-covered]') || "
                            "[...document.querySelectorAll('.figure__svg--ladder text[data-covered]')].every("
                            "(t) => !['100', '50', '11', '500'].includes(t.textContent))")

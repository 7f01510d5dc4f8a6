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

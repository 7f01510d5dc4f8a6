"""Calculators under random input: 500 random strings typed into each numeric field
with no NaN, Infinity or undefined on the page and no console error; and the
JavaScript evaluator giving exactly the Python evaluator's result for random forms."""

from __future__ import annotations

import random
import re
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.widgets.calculator.evaluate import evaluate
from generator.wording import format_number
from tests.test_calculators_browser import BAD_WORDS, SPECS, open_calculator

pytestmark = pytest.mark.browser

STRINGS_PER_FIELD = 500
PIECES = ["0", "1", "5", "7", "9", "00", "72", "50000", ".", ",", "-", "+", "e", "E", " ", "\u00a0", "\t", "µL",
          "×10⁹", "x", "/", "%", "١", "７", "٫", "'", '"', "<b>", "&amp;", "😀", "NaN", "Infinity", "undefined", "null",
          "1e309", "-0", "0x1F", "9" * 30, "1,000", "72,5", "K/µL"]
# Other fields hold a plausible value while one is fuzzed, so every code path after it runs too.
BASELINE = {
    "white-cell-count": {},
    "differential": {"wbc": "72", "neutrophils": "80", "lymphocytes": "10", "monocytes": "5"},
    "growth-factor-window": {},
}


def random_strings(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    strings = []
    for _ in range(n):
        if rng.random() < 0.3:  # number-like: the inputs most likely to slip through
            strings.append(f"{rng.choice(['', '-', '+', ' '])}{rng.uniform(0, 10 ** rng.randint(0, 12)):.{rng.randint(0, 4)}f}")
        else:
            strings.append("".join(rng.choice(PIECES) for _ in range(rng.randint(0, 6))))
    return strings


NUMERIC = [(calc_id, inp) for calc_id, spec in sorted(SPECS.items()) for inp in spec["inputs"]
           if inp["type"] in ("measurement", "percent", "days")]


# Enter each string as the browser does for typing (value, then an "input" event) and read the page,
# in one round trip for the lot: 500 strings through Playwright one by one would cost most of a minute.
FUZZ_IN_PAGE = """([name, strings]) => {
  const form = document.querySelector("form.calc");
  const field = form.querySelector(`input[name="${name}"]`);
  const result = document.querySelector(".calc-result");
  const bad = [];
  const states = new Set();
  for (const text of strings) {
    field.value = text;
    field.dispatchEvent(new InputEvent("input", {bubbles: true, inputType: "insertText", data: text}));
    states.add(result.dataset.state);
    const found = (form.innerText + result.innerText).match(/\\b(NaN|Infinity|undefined|null)\\b/);
    if (found) bad.push([text, found[0]]);
  }
  return [bad, [...states].sort()];
}"""
TYPED_FOR_REAL = 40  # of them also entered through Playwright's own text input


@pytest.mark.parametrize("calc_id, inp", NUMERIC, ids=[f"{c}-{i['id']}" for c, i in NUMERIC])
def test_random_strings_never_show_nan_infinity_or_undefined(phone, site_url, calc_id, inp):
    form, result = open_calculator(phone, site_url, calc_id)
    for name, value in BASELINE[calc_id].items():
        if name != inp["id"]:
            form.locator(f"[name={name}]").fill(value)
    strings = random_strings(zlib.crc32(inp["id"].encode()), STRINGS_PER_FIELD)
    bad, states = phone.evaluate(FUZZ_IN_PAGE, [inp["id"], strings])
    assert bad == []
    assert {"ok", "error"} <= set(states)  # the fuzz reached both outcomes
    field = form.locator(f"input[name={inp['id']}]")
    for text in strings[:TYPED_FOR_REAL]:
        field.fill(text)
        assert not BAD_WORDS.search(result.evaluate("(r) => r.closest('article').innerText")), text
    assert phone.console_errors == []


# ---------------------------------------------------------------- one evaluator, two runtimes

JS_EVALUATE = """async ([spec, raw]) => {
  const refsite = window.refsite;
  return refsite.evaluate(spec, raw);
}"""

number_text = st.one_of(
    st.from_regex(r"\s?[+-]?[0-9]{0,7}([.,][0-9]{0,4})?\s?", fullmatch=True),
    st.from_regex(r"[0-9]{1,3}(,[0-9]{3}){1,2}(\.[0-9]{1,2})?", fullmatch=True),
    st.floats(min_value=0, max_value=1e7, allow_nan=False).map(repr),
    st.text(alphabet="0123456789.,-+eE x%µ١", max_size=12),
    st.sampled_from(["", "0", "-0", "11", "50", "50000", "100", "10", "65", "40", "1e3", "72,5", "1,000,000"]),
)
date_text = st.one_of(st.dates().map(lambda d: d.isoformat()), st.sampled_from(["", "2026-02-30", "incomplete", "1899-12-31"]))


def form_values(spec: dict):
    fields = {}
    for inp in spec["inputs"]:
        if inp["type"] in ("measurement", "percent", "days"):
            fields[inp["id"]] = number_text
        if inp["type"] == "measurement":
            fields[inp["id"] + "_unit"] = st.sampled_from([u["code"] for u in inp["units"]] + ["", "cells"])
        if inp["type"] == "date":
            fields[inp["id"]] = date_text
        if inp["type"] == "yes-no":
            fields[inp["id"]] = st.sampled_from(["", "yes", "no", "maybe"])
    for question in spec["contexts"]:  # the patient's context decides severity, advice and a flag's words
        fields[question["id"]] = st.sampled_from([o["id"] for o in question["options"]] + ["", "unknown", "maybe"])
    return st.fixed_dictionaries({}, optional=fields)


forms = st.sampled_from(sorted(SPECS)).flatmap(lambda calc_id: st.tuples(st.just(calc_id), form_values(SPECS[calc_id])))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(forms)
def test_javascript_and_python_evaluators_agree(phone, site_url, calc_form):
    calc_id, raw = calc_form
    if not phone.url.startswith(site_url):
        open_calculator(phone, site_url, "white-cell-count")
    spec = SPECS[calc_id]
    assert phone.evaluate(JS_EVALUATE, [spec, raw]) == evaluate(spec, raw)


def test_javascript_and_python_choose_each_flags_words_alike_in_every_context(phone, site_url):
    """A flag's words depend on the patient (review 2026-12, m13): every flag raised, in every context answer,
    gives the same words in both evaluators; random draws rarely line a flag and a context up."""
    open_calculator(phone, site_url, "white-cell-count")
    raws = [(calc_id, {flag["input"]: flag["equals"], **({question["id"]: answer} if answer else {})})
            for calc_id, spec in sorted(SPECS.items()) for flag in spec["flags"] for question in spec["contexts"]
            for answer in [o["id"] for o in question["options"]] + ["", "unknown"]]
    assert raws
    for calc_id, raw in raws:
        js = phone.evaluate(JS_EVALUATE, [SPECS[calc_id], raw])
        assert js["flag_messages"] == evaluate(SPECS[calc_id], raw)["flag_messages"] != {}, (calc_id, raw)
    said = {evaluate(SPECS[c], raw)["flag_messages"]["blasts-seen"] for c, raw in raws if c == "differential"}
    assert len(said) == 2  # the leukaemia words and the others'


def test_javascript_and_python_format_numbers_alike(phone, site_url):
    open_calculator(phone, site_url, "white-cell-count")
    rng = random.Random(7)
    numbers = [0, 0.5, 2.5, 1234567.5, 0.125, 2.675, 72, 72000, 57.6, 0.07, 49999.5, 1e15, 1e-7]
    numbers += [round(rng.uniform(0, 10 ** rng.randint(-3, 9)), rng.randint(0, 8)) for _ in range(500)]
    shown = phone.evaluate("""async (numbers) => {
      const refsite = window.refsite;
      return numbers.map(refsite.formatNumber);
    }""", numbers)
    assert [(x, s) for x, s in zip(numbers, shown) if s != format_number(x)] == []
    assert all(re.fullmatch(r"[0-9,]+(\.[0-9]+)?", s) for s in shown)

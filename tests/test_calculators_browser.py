"""Calculators in a phone-sized Chromium: every YAML case and every generated boundary
case typed into the real form, shareable URLs, one-tap unit fixes, phone layout,
no JavaScript, instant navigation and axe-core."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from generator.pipeline import check
from generator.widgets.calculator.cases import boundary_cases, case_inputs, compare
from generator.widgets.calculator.spec import calculator_spec
from tests.conftest import PHONE, REAL_CONTENT, TAP_AREA_MISS, arrive, back_in_site, landed_on, tap_in_site

pytestmark = pytest.mark.browser

CONTENT, _ = check(REAL_CONTENT)
SPECS = {c.id: calculator_spec(c, CONTENT) for c in CONTENT.calculators.values()}
BAD_WORDS = re.compile(r"\b(NaN|Infinity|undefined|null)\b")

# What the page shows, read back as the same summary generator.calculators.summarize gives.
READ_RESULT = """(result) => {
  const issues = [...result.querySelectorAll("[data-issue-code]")];
  const first = issues.find((i) => i.dataset.level === "error") || issues.find((i) => i.dataset.level === "warning");
  const fix = first && first.querySelector("button[data-fix-field]");
  const checks = {};
  for (const li of result.querySelectorAll("li[data-fact]")) {
    checks[li.dataset.fact] = {status: li.dataset.status, boundary: li.dataset.boundary === "true"};
  }
  const facts = (test) => Object.keys(checks).filter((f) => test(checks[f])).sort();
  const days = result.querySelector("[data-days]");
  const absolute = {};
  for (const li of result.querySelectorAll("[data-absolute-input]")) absolute[li.dataset.absoluteInput] = Number(li.dataset.value);
  const code = (level) => (issues.find((i) => i.dataset.level === level) || {dataset: {}}).dataset.issueCode || null;
  const shown = (mode) => [...new Set([...result.querySelectorAll(`[data-message-fact][data-mode=${mode}]`)]
    .map((m) => m.dataset.messageFact))].sort();
  const part = (name) => [...result.querySelectorAll(`li[data-message-fact][data-part=${name}]`)].map((m) => m.dataset.messageFact);
  return {
    state: result.dataset.state, band: result.dataset.band || null, checks,
    severity: result.dataset.severity || null, advice: shown("advice"), conditional: shown("conditional"),
    to_do: part("to_do"), background: part("background"),
    headings: [...result.querySelectorAll(".calc-next__heading")].map((h) => h.dataset.part),
    outside: [...new Set([...result.querySelectorAll("[data-held-back]")].flatMap((o) => o.dataset.heldBack.split(" ")))]
      .filter(Boolean).sort(),
    red_flags: ((result.querySelector("[data-red-flags]") || {dataset: {}}).dataset.redFlags || "").split(" ")
      .filter(Boolean).sort(),
    met: facts((c) => c.status === "met"), boundary: facts((c) => c.boundary),
    flags: [...result.querySelectorAll("[data-flag]")].map((f) => f.dataset.flag).sort(),
    flag_messages: Object.fromEntries([...result.querySelectorAll("[data-flag]")]
      .map((f) => [f.dataset.flag, f.querySelector(":scope > strong").textContent])),
    error: code("error"), warning: code("warning"),
    fix: fix ? {[fix.dataset.fixField]: fix.dataset.fixValue} : null,
    days: days ? Number(days.dataset.days) : null, absolute,
    text: result.closest("article").innerText,
  };
}"""


def open_calculator(page, site_url: str, calc_id: str, query: str = "", arrival: str = "load"):
    """The calculator's page, reached as a reader does (conftest.arrive): by its address, or by a tap."""
    arrive(page, site_url, f"/{calc_id}-calculator/{query}", arrival)
    return page.locator(f"form#calc-{calc_id}"), page.locator(f"#calc-result-{calc_id}")


def enter(page, form, spec: dict, inputs: dict, *, key_by_key: bool = True) -> None:
    """Bring the form to exactly these inputs as a person would: type (key by key, or all at once as a
    paste does), tap a unit, tap yes or no, type a date. Fields already right are left alone, and the
    Clear button is used only to take back a yes/no answer."""
    answered = [i for i in spec["inputs"] if i["type"] == "yes-no"
                and form.get_by_role("group", name=i["label"]).locator("input:checked").count()]
    if any(i["id"] not in inputs for i in answered):
        page.locator(f"button[form='{form.get_attribute('id')}']").click()
        page.evaluate("() => new Promise((done) => setTimeout(done))")  # let the reset settle
    for inp in spec["inputs"]:
        name, label, wanted = inp["id"], inp["label"], inputs.get(inp["id"], "")
        if inp["type"] in ("measurement", "percent", "days"):
            field = form.get_by_label(label, exact=True)
            if field.input_value() != wanted:
                field.fill("")
                if wanted:
                    field.press_sequentially(wanted) if key_by_key else field.fill(wanted)
            if inp["type"] == "measurement":
                unit = inputs.get(name + "_unit") or inp["units"][0]["code"]
                radio = form.get_by_label(next(u["display"] for u in inp["units"] if u["code"] == unit), exact=True)
                if not radio.is_checked():
                    radio.check()
        elif inp["type"] == "date":
            type_date(page, form.get_by_label(label, exact=True), wanted)
        elif wanted:
            form.get_by_role("group", name=label).get_by_label(wanted.capitalize(), exact=True).check()
    for question in spec["contexts"]:  # the questions about the patient, under the result
        choice = page.locator(f"#calc-result-{spec['id']}").get_by_label(question["label"], exact=True)
        if choice.input_value() != inputs.get(question["id"], ""):
            choice.select_option(inputs.get(question["id"], ""))


def type_date(page, field, iso: str) -> None:
    """Type a date's digits into a date field, in the order the browser's locale shows them."""
    field.fill("")
    if not iso:
        return
    year, month, day = iso.split("-")
    order = page.evaluate("""() => new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2026, 10, 1))
        .map((p) => p.type).filter((t) => ["year", "month", "day"].includes(t))""")
    field.evaluate("(e) => e.blur()")
    field.focus()  # starts at the first part of the date
    page.keyboard.type("".join({"year": year, "month": month, "day": day}[part] for part in order))


def read(result) -> dict:
    return result.evaluate(READ_RESULT)


def all_cases(calc_id: str) -> list[tuple[str, dict, dict, bool]]:
    """The YAML cases, typed key by key, then the generated boundary cases, entered at once, by unit."""
    calc = CONTENT.calculators[calc_id]
    cases = [(c.name, case_inputs(c.inputs), c.expect.model_dump(exclude_none=True), True) for c in calc.cases]
    generated = sorted(boundary_cases(SPECS[calc_id]), key=lambda c: sorted(c["inputs"].items())[-1])
    return cases + [(c["name"], c["inputs"], c["expect"], False) for c in generated]


@pytest.mark.parametrize("calc_id", sorted(SPECS))
def test_every_case_typed_into_the_form(phone, site_url, calc_id, arrival):
    form, result = open_calculator(phone, site_url, calc_id, arrival=arrival)
    failures = []
    for name, inputs, expect, key_by_key in all_cases(calc_id):
        enter(phone, form, SPECS[calc_id], inputs, key_by_key=key_by_key)
        shown = read(result)
        wrong = compare(expect, shown)
        if BAD_WORDS.search(shown["text"]):
            wrong.append("the page shows " + BAD_WORDS.search(shown["text"]).group())
        if wrong:
            failures.append(f"{name} {inputs}: {'; '.join(wrong)}")
    assert failures == []
    assert phone.console_errors == []


def test_inputs_live_in_the_url_and_a_link_reproduces_the_result(phone, site_url, arrival):
    form, result = open_calculator(phone, site_url, "white-cell-count", arrival=arrival)
    storage = "() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])"
    stored_before = phone.evaluate(storage)
    phone.wait_for_load_state("networkidle")
    requests = []
    phone.on("request", lambda r: requests.append(r.url if r.method == "GET" else r.method + " " + r.url))
    enter(phone, form, SPECS["white-cell-count"], {"wbc": "50000", "wbc_unit": "/uL"})
    shown = read(result)
    assert parse_qs(urlsplit(phone.url).query) == {"wbc": ["50000"], "wbc_unit": ["/uL"]}
    # nothing sent (Chromium re-reads the favicon when the address changes: no query, same host), nothing stored
    assert [r for r in requests if not (r.startswith(site_url) and "?" not in r and r.endswith(".png"))] == []
    assert phone.evaluate(storage) == stored_before
    other = phone.context.new_page()
    other.goto(phone.url)
    again = other.locator("#calc-result-white-cell-count")
    assert other.locator("form.calc").get_by_label("White-cell count", exact=True).input_value() == "50000"
    assert {k: v for k, v in read(again).items() if k != "text"} == {k: v for k, v in shown.items() if k != "text"}
    assert shown["band"] == "leukocytosis" and shown["boundary"] == ["cohort-inclusion-threshold",
                                                                    "leukemoid-reaction-definition"]
    other.close()
    phone.locator("button[form='calc-white-cell-count']").click()
    phone.wait_for_function("() => !location.search.includes('wbc=')")  # Clear empties the address too
    assert read(result)["state"] == "empty" and form.get_by_label("White-cell count", exact=True).input_value() == ""


def test_a_unit_mix_up_shows_no_range_and_offers_the_likely_unit_in_one_tap(phone, site_url, arrival):
    form, result = open_calculator(phone, site_url, "white-cell-count", arrival=arrival)
    enter(phone, form, SPECS["white-cell-count"], {"wbc": "72000"})
    shown = read(result)
    assert shown["state"] == "error" and shown["band"] is None and shown["checks"] == {}
    assert phone.locator(".calc-scale__marker").get_attribute("display") == "none"
    assert "too high to be a white count in ×10⁹/L" in form.locator("[data-message-for=wbc]").inner_text()
    result.get_by_role("button", name=re.compile(r"^Use \/µL")).click()
    assert form.get_by_label("/µL", exact=True).is_checked()
    assert read(result)["band"] == "extreme"
    assert parse_qs(urlsplit(phone.url).query)["wbc_unit"] == ["/uL"]


def test_the_value_is_marked_on_the_scale_and_announced_for_other_widgets(phone, site_url, arrival):
    form, result = open_calculator(phone, site_url, "white-cell-count", arrival=arrival)
    phone.evaluate("""() => { window.seen = [];
        document.addEventListener("refsite:calculated", (e) => window.seen.push(e.detail)); }""")
    enter(phone, form, SPECS["white-cell-count"], {"wbc": "72"})
    marker = phone.locator(".calc-scale__marker")
    assert marker.get_attribute("display") == "inline"
    x = float(re.search(r"translate\(([0-9.]+)", marker.get_attribute("transform")).group(1))
    band = phone.locator(".calc-scale__band[data-band=extreme]")
    left, width = float(band.get_attribute("x")), float(band.get_attribute("width"))
    assert left < x < left + width
    assert result.get_attribute("data-canonical-value") == "72"
    result.locator("details.calc-evidence > summary").click()  # the evidence, after the advice
    drawn_by = result.locator(".calc-band-source")  # which sources' lines bound the band, never silently chosen
    assert "Leukemoid reaction" in drawn_by.inner_text() and "Hyperleukocytosis" in drawn_by.inner_text()
    assert drawn_by.locator("button.cite").count() == 2
    assert phone.evaluate("window.seen.at(-1)") == {"calculator": "white-cell-count", "state": "ok", "band": "extreme",
                                                     "quantities": {"wbc": 72}}


@pytest.mark.parametrize("calc_id, inputs", [("white-cell-count", {"wbc": "72"}),
                                             ("differential", {"wbc": "72", "neutrophils": "80", "lymphocytes": "15",
                                                               "monocytes": "5", "blasts": "no"})])
def test_phone_first_form(phone, site_url, calc_id, inputs, arrival):
    form, result = open_calculator(phone, site_url, calc_id, arrival=arrival)
    for field in form.locator("input[type=text]").all():
        assert field.get_attribute("inputmode") in ("decimal", "numeric")
        assert field.get_attribute("id") and form.locator(f"label[for='{field.get_attribute('id')}']").count() == 1
    targets = form.locator("input[type=text], input[type=date], .calc__option, button").all()
    targets.append(phone.locator(f"button[form='calc-{calc_id}']"))
    for target in targets:
        box = target.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, (target.evaluate("e => e.outerHTML"), box)
    enter(phone, form, SPECS[calc_id], inputs)
    phone.evaluate("() => window.scrollTo(0, 0)")
    headline = result.locator(".calc-result__summary").bounding_box()
    assert read(result)["state"] == "ok" and headline["y"] + headline["height"] <= PHONE["viewport"]["height"]
    assert phone.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_severity_is_in_words_and_icons_and_follows_the_patient(phone, site_url, arrival):
    form, result = open_calculator(phone, site_url, "white-cell-count", arrival=arrival)
    spec = SPECS["white-cell-count"]
    for context, icon, word in (({}, "⚠", "Warning"), ({"condition": "acute-leukaemia"}, "‼", "Red flag"),
                                # the cut-off is AML's: chronic leukaemia is a red flag only with leukostasis (M5)
                                ({"condition": "chronic-leukaemia"}, "⚠", "Warning"),
                                ({"condition": "chronic-leukaemia", "leukostasis": "present"}, "‼", "Red flag"),
                                ({"condition": "solid-tumour"}, "⚠", "Warning"),  # never below the band under it (C1)
                                ({"condition": "solid-tumour", "leukostasis": "present"}, "‼", "Red flag")):
        enter(phone, form, spec, {"wbc": "150", **context})
        summary = result.locator(".calc-result__summary").inner_text()
        assert icon in summary and word in summary and "Above the AML hyperleukocytosis cut-off" in summary, context
    result.locator("details.calc-evidence > summary").click()
    assert "✓ Meets" in result.locator("li[data-fact=hyperleukocytosis-threshold-aml]").inner_text()


def test_an_old_address_naming_leukaemia_reads_as_not_known(phone, site_url):
    """Before acute and chronic leukaemia were asked apart the answer was `leukaemia`: an old address with it must
    pass for neither. The count's band then has the severity of "not known", and the form says "Not known"."""
    form, result = open_calculator(phone, site_url, "white-cell-count", "?wbc=150&condition=leukaemia")
    spec = SPECS["white-cell-count"]
    assert phone.evaluate("([q, raw]) => window.refsite.readContext(q, raw)",
                          [spec["contexts"], {"condition": "leukaemia"}]) == {"condition": "unknown",
                                                                              "leukostasis": "unknown"}
    condition = phone.get_by_label("Underlying condition", exact=True)
    assert condition.input_value() == "" and condition.locator("option:checked").inner_text() == "Not known"
    summary = result.locator(".calc-result__summary").inner_text()
    assert "⚠" in summary and "Warning" in summary and "Red flag" not in summary
    old = {k: read(result)[k] for k in ("severity", "advice", "conditional")}
    form, result = open_calculator(phone, site_url, "white-cell-count", "?wbc=150")
    assert old == {k: read(result)[k] for k in ("severity", "advice", "conditional")}
    assert "hyperleukocytosis-cutoff-arbitrary" in old["conditional"]


def test_the_window_counts_to_today_unless_told_otherwise(phone, site_url):
    form, result = open_calculator(phone, site_url, "growth-factor-window")
    today = phone.evaluate("() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]; }")
    assert form.get_by_label("Date of the count", exact=True).input_value() == "%04d-%02d-%02d" % tuple(today)
    assert read(result)["state"] == "empty"


def test_without_javascript_the_ranges_and_their_sources_are_still_there(browser, site_url):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/white-cell-count-calculator/")
    assert page.locator(".calc-noscript").is_visible()
    rows = page.locator("#ranges-on-the-scale + table tbody tr")
    assert rows.count() == len(SPECS["white-cell-count"]["scale"]["bands"])
    assert "> 50 and ≤ 100 ×10⁹/L" in rows.nth(2).inner_text()
    assert rows.nth(2).locator(".cite").count() >= 2
    definitions = page.locator("#every-definition-by-source + p + table tbody tr")
    assert definitions.count() == len(SPECS["white-cell-count"]["checks"])
    context.close()


def test_calculators_work_after_taps_back_and_forward(phone, site_url):
    """From the menu's home page link, to a calculator, to another, Back and Forward: each page is swapped in place
    (tap_in_site and back_in_site prove it) and its calculator answers typing every time."""
    phone.goto(site_url + "/")
    tap_in_site(phone, phone.locator("article.md-content__inner").get_by_role("link", name="White-cell count", exact=True).first,
                "**/white-cell-count-calculator/")
    form = phone.locator("form#calc-white-cell-count")
    form.get_by_label("White-cell count", exact=True).press_sequentially("150")
    assert read(phone.locator("#calc-result-white-cell-count"))["band"] == "above-aml-cutoff"
    tap_in_site(phone, phone.locator(".calc-others").get_by_role("link", name="Differential"), "**/differential-calculator/**")
    form = phone.locator("form#calc-differential")
    form.get_by_label("Neutrophils %", exact=True).press_sequentially("80")
    assert read(phone.locator("#calc-result-differential"))["met"] == ["cohort-neutrophils-over-65"]
    back_in_site(phone)  # the count comes back from the address, and the form still answers
    result = phone.locator("#calc-result-white-cell-count")
    assert read(result)["band"] == "above-aml-cutoff"
    field = phone.locator("form#calc-white-cell-count").get_by_label("White-cell count", exact=True)
    field.fill("")
    field.press_sequentially("30")
    assert read(result)["band"] == "leukocytosis"
    back_in_site(phone, forward=True)
    assert read(phone.locator("#calc-result-differential"))["met"] == ["cohort-neutrophils-over-65"]
    phone.locator("form#calc-differential").get_by_label("Neutrophils %", exact=True).fill("50")
    assert read(phone.locator("#calc-result-differential"))["met"] == []
    assert phone.console_errors == []


@pytest.mark.parametrize("calc_id, inputs, scheme", [
    ("white-cell-count", {"wbc": "100", "wbc_unit": "10*9/L"}, "light"),
    ("white-cell-count", {"wbc": "100", "wbc_unit": "10*9/L"}, "dark"),
    ("white-cell-count", {"wbc": "72,000", "wbc_unit": "10*9/L"}, "light"),
    ("differential", {"wbc": "72", "neutrophils": "80", "lymphocytes": "15", "monocytes": "5", "blasts": "yes"}, "light"),
    ("growth-factor-window", {"dose_date": "2026-11-01", "count_date": "2026-11-11"}, "light"),
])
def test_axe_finds_no_violations(phone, site_url, calc_id, inputs, scheme, arrival):
    phone.emulate_media(color_scheme=scheme)
    form, result = open_calculator(phone, site_url, calc_id, arrival=arrival)
    assert phone.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
    enter(phone, form, SPECS[calc_id], inputs)
    assert read(result)["state"] in ("ok", "error")
    found = Axe().run(phone)
    assert found.violations_count == 0, json.dumps(
        [(v["id"], [n["html"][:160] for n in v["nodes"]]) for v in found.response["violations"]], indent=1)


# ---------------------------------------------------------------- the patient's context, answer first, links


def test_a_solid_tumour_count_of_130_carries_no_leukaemia_instruction_and_no_dose(phone, site_url, arrival):
    form, result = open_calculator(phone, site_url, "white-cell-count", arrival=arrival)
    enter(phone, form, SPECS["white-cell-count"], {"wbc": "130", "condition": "solid-tumour"})
    as_advice = " ".join(result.locator("[data-mode=advice]").all_inner_texts()).lower()
    assert as_advice and not re.search(r"leukapheresis|anticoagula|hydroxyurea", as_advice), as_advice
    assert not re.search(r"\d\s*(mg|g)\b", result.inner_text())  # no dose anywhere
    for line in result.locator("[data-mode=conditional]").all_inner_texts():  # the rest only as what a source says
        assert re.match(r"In .+, according to .+:", line), line
    assert int(result.locator(".calc-next__hidden").get_attribute("data-hidden")) > 0


def test_what_to_do_leads_warnings_first_and_background_has_its_own_heading_last(phone, site_url, arrival):
    """Review 2026-12, M9: for leukaemia with leukostasis the leukemoid left shift came first under "What the
    sources say to do for this patient"; now it is background, under its own heading, after everything else."""
    form, result = open_calculator(phone, site_url, "white-cell-count", arrival=arrival)
    spec = SPECS["white-cell-count"]
    enter(phone, form, spec, {"wbc": "150", "condition": "acute-leukaemia", "leukostasis": "present"})
    shown = read(result)
    assert shown["headings"] == ["to_do", "background"]
    assert shown["to_do"][0] == "leukostasis-no-anticoagulation" and shown["background"] == ["leukemoid-left-shift"]
    headings = result.locator(".calc-next__heading").all_inner_texts()
    assert headings == ["What the sources say to do for this patient", "Background"]
    first = result.locator(".calc-next li").first.inner_text()
    assert first.startswith("The post says not to start anticoagulation"), first
    assert "left-shifted" not in result.locator("li[data-part=to_do]").all_inner_texts().__str__()
    # a heading only where it has lines
    enter(phone, form, spec, {"wbc": "30", "condition": "acute-leukaemia", "leukostasis": "present"})
    assert read(result)["headings"] == ["to_do"]
    # a red flag with nothing yet known to apply opens with what each source says, not with background
    enter(phone, form, spec, {"wbc": "130", "leukostasis": "present"})
    shown = read(result)
    assert shown["severity"] == "danger" and shown["headings"] == ["conditional", "background"]
    first = result.locator(".calc-next li").first
    assert first.get_attribute("data-role") == "warning", first.inner_text()


def test_the_extreme_band_is_named_without_leukemoid_for_every_reader(phone, site_url, arrival):
    """Review 2026-12, m14: "(leukemoid range)" was shown to leukaemia patients."""
    form, result = open_calculator(phone, site_url, "white-cell-count", arrival=arrival)
    enter(phone, form, SPECS["white-cell-count"], {"wbc": "72", "condition": "acute-leukaemia"})
    assert result.locator(".calc-result__summary strong").inner_text() == "Extreme leukocytosis"
    assert "leukemoid range" not in result.inner_text().lower()


def test_the_first_next_step_is_within_one_screen_of_the_verdict(phone, site_url, arrival):
    """For every YAML case that gives advice: the verdict, then what to do, before any evidence list."""
    form, result = open_calculator(phone, site_url, "white-cell-count", arrival=arrival)
    spec = SPECS["white-cell-count"]
    far = []
    for case in CONTENT.calculators["white-cell-count"].cases:
        expect = case.expect.model_dump(exclude_none=True)
        if not (expect.get("advice") or expect.get("conditional")):
            continue
        enter(phone, form, spec, case_inputs(case.inputs))
        verdict = result.locator(".calc-result__summary").bounding_box()
        first = result.locator(".calc-next li").first.bounding_box()
        evidence = result.locator("details.calc-evidence").bounding_box()
        if not (first["y"] - verdict["y"] <= PHONE["viewport"]["height"] and first["y"] < evidence["y"]):
            far.append((case.name, round(first["y"] - verdict["y"])))
    assert far == []


# Sets the form's fields directly and announces the change: the typed cases above check typing already.
SET_FIELDS = """(form, inputs) => {
  for (const field of form.elements) {
    if (!field.name) continue;
    const wanted = inputs[field.name] ?? (field.type === "radio" && field.name.endsWith("_unit") ? null : "");
    if (field.type === "radio") { if (wanted !== null) field.checked = field.value === wanted; }
    else if (field.tagName !== "BUTTON") field.value = wanted;
  }
  form.dispatchEvent(new Event("change"));
}"""


def _links_in_results(page, site_url: str, calc_id: str) -> dict[str, str]:
    """Every link a result shows for the calculator's YAML cases: absolute address -> the case that shows it."""
    form, result = open_calculator(page, site_url, calc_id)
    found = {}
    for case in CONTENT.calculators[calc_id].cases:
        inputs = case_inputs(case.inputs)
        units = {i["id"] + "_unit": i["units"][0]["code"] for i in SPECS[calc_id]["inputs"] if i["type"] == "measurement"}
        form.evaluate(SET_FIELDS, {**units, **inputs})
        for href in result.locator("a[href]").evaluate_all("(links) => links.map((a) => a.href)"):
            found.setdefault(href, case.name)
    return found


def _case_address(calc_id: str, case) -> str:
    """The calculator's address with a case's answers in it, as the calculator writes them."""
    inputs = {i["id"] + "_unit": i["units"][0]["code"] for i in SPECS[calc_id]["inputs"] if i["type"] == "measurement"}
    return f"/{calc_id}-calculator/?" + urlencode({**inputs, **case_inputs(case.inputs)})


@pytest.mark.parametrize("calc_id", sorted(SPECS))
def test_every_link_in_every_result_lands_on_its_target(phone, site_url, calc_id):
    """Every link any YAML case's result shows ("More", a discrepancy, a source, the checklist) is tapped, with
    instant navigation on as on the published site, and its target is in view below the sticky header once the
    page has settled, and a 44 px target (or tap area) to begin with."""
    links = _links_in_results(phone, site_url, calc_id)
    assert len(links) >= 3
    cases = {c.name: c for c in CONTENT.calculators[calc_id].cases}
    missed = []
    for href, case_name in links.items():
        phone.goto(site_url + _case_address(calc_id, cases[case_name]))
        link = phone.locator(f"#calc-result-{calc_id} a[href={json.dumps(phone.evaluate(HREF_OF, href))}]").first
        link.evaluate("(a) => { const d = a.closest('details'); if (d) d.open = true; a.scrollIntoView({block: 'center'}); }")
        if not has_tap_area(phone, link):
            missed.append((case_name, href, "tap area under 44 px"))
        fragment = urlsplit(href).fragment
        same_page = urlsplit(href).path == urlsplit(phone.url).path
        if same_page:
            link.tap()
        else:
            tap_in_site(phone, link)
        if fragment and (where := landed_on(phone, fragment)) != "in view":
            missed.append((case_name, href, where))
    assert missed == []


# A link's href attribute as written in the page, for the absolute address the browser resolves it to.
HREF_OF = """(absolute) => [...document.querySelectorAll(".calc-result a[href]")].find((a) => a.href === absolute)?.getAttribute("href")"""


def has_tap_area(page, locator) -> bool:
    """The element answers a tap 20 px either side of its middle, across and up and down (conftest.TAP_AREA_MISS)."""
    return locator.evaluate(TAP_AREA_MISS) is None


def test_the_checklist_link_carries_the_count_and_the_patient(phone, site_url, arrival):
    form, result = open_calculator(phone, site_url, "white-cell-count", arrival=arrival)
    enter(phone, form, SPECS["white-cell-count"], {"wbc": "72", "wbc_unit": "K/uL", "condition": "bone-tumour",
                                                   "leukostasis": "absent"})
    tap_in_site(phone, result.get_by_role("link", name=re.compile("Work through the checklist")),
                "**/extreme-leukocytosis-checklist/**")
    assert parse_qs(urlsplit(phone.url).query) == {"wbc": ["72"], "wbc_unit": ["K/uL"], "condition": ["bone-tumour"],
                                                   "leukostasis": ["absent"]}
    patient = phone.locator("#checklist-context")
    assert patient.get_by_label("White-cell count", exact=True).input_value() == "72"
    assert patient.get_by_label("K/µL", exact=True).is_checked()
    assert patient.get_by_label("Underlying condition", exact=True).input_value() == "bone-tumour"
    assert phone.locator("#item-leukostasis input[value=absent]").is_checked()
    summary = phone.locator("#checklist-summary").inner_text()
    assert "White count: 72 ×10⁹/L" in summary and "Malignant bone tumour" in summary
    # the checklist answers in place, and the other calculators keep the patient too
    phone.locator("#item-infection .checklist-option--excluded").tap()
    assert "excluded" in parse_qs(urlsplit(phone.url).query)["infection"]
    back_in_site(phone)
    assert read(phone.locator("#calc-result-white-cell-count"))["band"] == "extreme"
    tap_in_site(phone, phone.locator(".calc-others").get_by_role("link", name="Differential"), "**/differential-calculator/**")
    assert phone.get_by_label("Underlying condition", exact=True).input_value() == "bone-tumour"
    assert phone.console_errors == []

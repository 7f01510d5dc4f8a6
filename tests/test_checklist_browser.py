"""The checklist in a phone-sized Chromium: every YAML case clicked through on one page load
(summary, address and copied text against the Python reference evaluator), links that
restore the answers, keyboard use, 360 px, no JavaScript, print, instant navigation, axe."""

from __future__ import annotations

import datetime
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from generator.pipeline import check
from generator.widgets.checklist.evaluate import evaluate
from generator.widgets.checklist.spec import GROUPS
from generator.widgets.checklist.summary import short_text, status, summary, summary_text
from tests.conftest import PHONE, REAL_CONTENT, arrive, back_in_site, tap_in_site

pytestmark = pytest.mark.browser

CONTENT, _ = check(REAL_CONTENT)
CHECKLIST = CONTENT.checklists["extreme-leukocytosis"]
PATH = "/extreme-leukocytosis-checklist/"

# What the summary shows, read back: its status line and which items each section lists.
READ_SUMMARY = """(region) => ({
  status: region.querySelector(".checklist-summary__status").textContent,
  sections: [...region.querySelectorAll("[data-section]")].map((s) => [s.dataset.section,
    [...s.querySelectorAll("[data-item]")].map((i) => i.dataset.item || null)]),
  text: region.innerText,
})"""


STAMP = "2026-11-26 03:14"  # the fixed clock the tests set: the notes carry it
ANSWER_LABELS = {"present": "Present", "absent": "Absent", "excluded": "Excluded"}


def page_spec(page) -> dict:
    return json.loads(page.locator("#checklist-data-extreme-leukocytosis").get_attribute("data-json"))["spec"]


def expected(spec: dict, raw: dict) -> dict:
    """What the Python reference evaluator says the page must show."""
    result = evaluate(spec, raw)
    return {"status": status(spec, result),
            "sections": [[s["kind"], [line["item"] for line in s["lines"]]] for s in summary(spec, result)],
            "text": summary_text(spec, result, STAMP), "short": short_text(spec, result, STAMP)}


def shown(page) -> dict:
    return page.locator("#checklist-summary").evaluate(READ_SUMMARY)


def answer(page, spec: dict, states: dict) -> None:
    """Reset, then answer as a person would: type the count, tap its unit, pick the condition, tap each item."""
    page.get_by_role("button", name="Reset").click()
    names = {i["id"]: i["name"] for group in GROUPS for i in spec[group]}
    units = {u["code"]: u["display"] for u in spec["count"]["units"]}
    context = page.locator("#checklist-context")
    for key, value in states.items():
        if key == spec["count"]["id"]:
            context.get_by_label(spec["count"]["label"], exact=True).press_sequentially(value)
        elif key == spec["count"]["id"] + "_unit":
            context.get_by_label(units[value], exact=True).tap()
        elif key in names:
            if value:
                page.get_by_role("group", name=names[key], exact=True).get_by_label(ANSWER_LABELS[value], exact=True).tap()
        else:
            question = next(q for q in spec["contexts"] if q["id"] == key)
            context.get_by_label(question["label"], exact=True).select_option("" if value == "unknown" else value)


def address(spec: dict, states: dict) -> dict:
    """The answers as the page writes them in its address: no empty or "unknown" answer, and a count's unit
    (the first offered, when none is tapped) only with a count."""
    count, unit = spec["count"]["id"], spec["count"]["id"] + "_unit"
    wanted = {k: v for k, v in states.items() if v not in ("", "unknown")}
    if wanted.get(count):
        wanted.setdefault(unit, spec["count"]["units"][0]["code"])
    else:
        wanted.pop(unit, None)
    return wanted


def copied(page, which: str = "Copy with references") -> str:
    page.locator("#checklist-summary").get_by_role("button", name=which).click()
    page.get_by_role("status").filter(has_text="Copied").wait_for()
    return page.evaluate("navigator.clipboard.readText()")


@pytest.fixture
def clipboard_phone(browser, site_url):
    context = browser.new_context(**PHONE, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.clock.set_fixed_time(datetime.datetime(2026, 11, 26, 3, 14))
    page.console_errors = []
    page.on("pageerror", lambda err: page.console_errors.append(str(err)))
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    yield page
    context.close()


def valid(spec: dict, states: dict) -> bool:
    """Answers a person can give on the page (the cases also try answers it does not know)."""
    answers = {i["id"]: ("present", "absent", "excluded", "") for group in GROUPS for i in spec[group]}
    answers.update({q["id"]: tuple(o["id"] for o in q["options"]) + ("", "unknown") for q in spec["contexts"]})
    return all(k in (spec["count"]["id"], spec["count"]["id"] + "_unit") or v in answers.get(k, ()) for k, v in states.items())


def test_every_case_clicked_through_and_restored_from_its_link(clipboard_phone, site_url, arrival):
    page = clipboard_phone
    arrive(page, site_url, PATH, arrival)
    spec = page_spec(page)
    storage = "() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie])"
    stored_before = page.evaluate(storage)
    page.wait_for_load_state("networkidle")
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    clickable = [c for c in CHECKLIST.cases if valid(spec, c.states)]
    assert len(clickable) >= len(CHECKLIST.cases) - 1
    links, failures = [], []
    for case in clickable:
        answer(page, spec, case.states)
        want, got = expected(spec, case.states), shown(page)
        if [got["status"], got["sections"]] != [want["status"], want["sections"]]:
            failures.append(f"{case.name}: shown {got['status']!r} {got['sections']}, expected {want['status']!r} "
                            f"{want['sections']}")
        if {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()} != address(spec, case.states):
            failures.append(f"{case.name}: address {page.url}")
        link = f"\n\n{spec['text']['link']}: {page.url}"
        for button, text in (("Copy with references", want["text"]), ("Copy note", want["short"])):
            got_text = copied(page, button)
            if got_text != text + link:
                failures.append(f"{case.name}: {button} differs:\n{got_text}\n---\n{text}")
        links.append((case, page.url, got))
    assert failures == []
    # nothing sent (Chromium re-reads the favicon when the address changes), nothing stored
    assert [r for r in requests if not (r.startswith(site_url) and r.endswith(".png"))] == []
    assert page.evaluate(storage) == stored_before
    # a link (or a reload) brings back the same answers and the same summary
    other = page.context.new_page()
    for case, url, got in links:
        other.goto(url)
        assert shown(other) == got, case.name
        filled = other.evaluate("""() => Object.fromEntries([...document.querySelectorAll("form.checklist input[type=radio]:checked,"
            + " form.checklist select, form.checklist input[type=text]")].filter((e) => e.value).map((e) => [e.name, e.value]))""")
        unit = spec["count"]["id"] + "_unit"
        assert filled == {unit: spec["count"]["units"][0]["code"], **address(spec, case.states)}, case.name
    other.close()
    assert page.console_errors == []


def test_a_link_with_answers_the_page_does_not_know_says_so(phone, site_url, arrival):
    case = next(c for c in CHECKLIST.cases if "maybe" in c.states.values())
    query = "&".join(f"{k}={v}" for k, v in case.states.items())
    arrive(phone, site_url, f"{PATH}?{query}", arrival)
    want = expected(page_spec(phone), case.states)
    got = shown(phone)
    assert [got["status"], got["sections"]] == [want["status"], want["sections"]]
    assert "Not understood in the link" in got["text"]
    assert phone.console_errors == []


def test_reset_clears_the_answers_and_the_address(phone, site_url, arrival):
    arrive(phone, site_url, f"{PATH}?infection=excluded&leukostasis=present&wbc=72&condition=bone-tumour", arrival)
    assert "Red flags present: 1" in shown(phone)["status"]
    status = phone.locator(".checklist-summary__status")
    assert (status.get_attribute("aria-live"), status.get_attribute("aria-atomic")) == ("polite", "true")
    assert phone.locator(".checklist-noscript").is_hidden()
    phone.locator("#checklist-summary").get_by_role("button", name="Reset").click()
    assert urlsplit(phone.url).query == ""
    assert shown(phone)["status"] == page_spec(phone)["text"]["nothing"]
    assert phone.locator("form.checklist fieldset.checklist-item input[type=radio]:checked[value='']").count() == sum(
        len(getattr(CHECKLIST, g).items) for g in GROUPS)
    assert phone.get_by_label("White-cell count", exact=True).input_value() == ""
    assert phone.get_by_label("Underlying condition", exact=True).input_value() == ""


def test_the_sticky_bar_keeps_progress_summary_and_copy_in_reach(clipboard_phone, site_url, arrival):
    page = clipboard_phone
    arrive(page, site_url, PATH, arrival)
    spec = page_spec(page)
    bar = page.locator(".checklist-bar")
    answer(page, spec, {"infection": "excluded", "growth-factor": "excluded", "pe-mimic": "absent"})
    assert bar.locator(".checklist-bar__progress").inner_text() == f"3 of {sum(len(spec[g]) for g in GROUPS)} answered"
    # From when the form comes into view to the end of the page, the bar sits at the bottom of the screen,
    # with its buttons full size (a bar sticky inside the form left with the form's last item)
    form_top = page.evaluate("() => document.querySelector('form.checklist').getBoundingClientRect().top + scrollY")
    end = page.evaluate("() => document.documentElement.scrollHeight - innerHeight")
    height = PHONE["viewport"]["height"]
    for step in range(28):
        page.evaluate("(y) => window.scrollTo(0, y)", form_top - height + 60 + (end - form_top + height - 60) * step / 27)
        page.wait_for_function("() => new Promise((done) => requestAnimationFrame(() => done(true)))")
        box = bar.bounding_box()
        assert box and abs(box["y"] + box["height"] - height) <= 2, (step, box)
    page.locator("#item-haematological-malignancy").scroll_into_view_if_needed()
    for target in bar.locator("a, button").all():
        size = target.bounding_box()
        assert size["height"] >= 44 and size["width"] >= 44
    assert bar.get_by_role("button", name="Copy note").is_visible()
    bar.get_by_role("button", name="Copy note").click()
    page.get_by_role("status").filter(has_text="Copied").wait_for()
    note = page.evaluate("navigator.clipboard.readText()")
    assert note.startswith(expected(spec, {"infection": "excluded", "growth-factor": "excluded", "pe-mimic": "absent"})["short"])
    page.evaluate("() => { window.stillHere = true; }")
    bar.get_by_role("link", name="Summary").click()
    assert page.evaluate("document.activeElement.id") == "checklist-summary-title"
    header = page.locator(".md-header").bounding_box()
    title = page.locator("#checklist-summary-title").bounding_box()
    assert header["y"] + header["height"] <= title["y"] < 200  # below the sticky header, not under it
    assert page.evaluate("window.stillHere") is True  # no reload: the answers stay
    assert parse_qs(urlsplit(page.url).query) == {"infection": ["excluded"], "growth-factor": ["excluded"],
                                                  "pe-mimic": ["absent"]}


def test_not_yet_assessed_looks_unlike_an_answer(phone, site_url, arrival):
    arrive(phone, site_url, f"{PATH}?infection=excluded", arrival)
    style = "(span) => [getComputedStyle(span).backgroundColor, getComputedStyle(span).borderStyle]"
    answered = phone.locator("#item-infection .checklist-option--excluded span").evaluate(style)
    open_ = phone.locator("#item-growth-factor .checklist-option--open span").evaluate(style)
    assert answered[0] != open_[0] and open_ == ["rgba(0, 0, 0, 0)", "dashed"], (answered, open_)


def test_keyboard_only(phone, site_url, arrival):
    arrive(phone, site_url, PATH, arrival)
    spec = page_spec(phone)

    def tab_to(selector: str, key: str = "Tab", limit: int = 80) -> None:
        for _ in range(limit):
            phone.keyboard.press(key)
            if phone.evaluate(f"document.activeElement?.matches({json.dumps(selector)})"):
                return
        raise AssertionError(f"{key} never reached {selector}")

    first = spec["red_flags"][0]["id"]
    tab_to(f"input[name='{first}']")
    assert phone.evaluate("document.activeElement.value") == ""  # Tab lands on the checked answer
    phone.keyboard.press("ArrowLeft")  # to "Absent"
    phone.keyboard.press("ArrowLeft")  # to "Present"
    assert shown(phone)["sections"][0] == ["red-flags", [first]]
    assert parse_qs(urlsplit(phone.url).query) == {first: ["present"]}
    tab_to("summary")  # the item's details open from the keyboard
    phone.keyboard.press("Enter")
    assert phone.locator(f"#item-{first} details").evaluate("d => d.open")
    tab_to(f"input[name='{spec['red_flags'][1]['id']}']")  # on to the next item
    phone.keyboard.press("ArrowLeft")  # "Not yet assessed" to "Absent"
    assert parse_qs(urlsplit(phone.url).query) == {first: ["present"], spec["red_flags"][1]["id"]: ["absent"]}
    tab_to(".checklist__reset", key="Shift+Tab")  # back up to the summary's buttons
    phone.keyboard.press("Enter")
    assert urlsplit(phone.url).query == ""
    assert shown(phone)["status"] == spec["text"]["nothing"]


def test_at_360_px_nothing_overflows_and_every_answer_is_a_full_size_target(browser, site_url):
    context = browser.new_context(**{**PHONE, "viewport": {"width": 360, "height": 740}})
    page = context.new_page()
    page.goto(site_url + PATH + "?leukostasis=present&lap-raised=absent")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    for fieldset in page.locator("fieldset.checklist-item").all():
        boxes = [o.bounding_box() for o in fieldset.locator(".checklist-option span").all()]
        assert len(boxes) == 3 and len({round(b["y"]) for b in boxes}) == 1  # three answers on one row
        assert all(b["width"] >= 44 and b["height"] >= 44 for b in boxes)
    for button in page.locator(".checklist-summary__actions button, #checklist-context select").all():
        box = button.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
    context.close()


def test_without_javascript_it_is_a_readable_printable_list(browser, site_url):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + PATH)
    assert page.locator(".checklist-noscript").is_visible()
    assert page.locator(".checklist-summary__actions").is_hidden()
    items = page.locator("fieldset.checklist-item")
    assert items.count() == sum(len(getattr(CHECKLIST, g).items) for g in GROUPS)
    page.emulate_media(media="print")
    for n in range(items.count()):
        item = items.nth(n)
        assert item.locator("legend").is_visible() and item.locator(".checklist-item__criterion").is_visible()
    assert page.get_by_text("Not yet assessed").first.is_visible()
    assert page.locator("#definition").is_visible()
    # without the live summary, what the sources say to do reads only as what each says about its own patients
    advice = page.locator("#item-pe-mimic details").text_content()
    assert "In patients with leukaemia and leukostasis or leukemic lung infiltrates, according to" in advice
    context.close()


def test_the_checklist_works_after_a_tap_from_home_back_and_forward(phone, site_url):
    phone.goto(site_url + "/")
    tap_in_site(phone, phone.locator("article.md-content__inner").get_by_role("link", name=CHECKLIST.title), "**" + PATH)
    spec = page_spec(phone)
    answer(phone, spec, {"condition": "acute-leukaemia", "pe-mimic": "present"})
    assert shown(phone)["sections"][0] == ["red-flags", ["pe-mimic"]]
    back_in_site(phone)
    back_in_site(phone, forward=True)  # the answers come back from the address, and the form still answers
    assert shown(phone)["sections"][0] == ["red-flags", ["pe-mimic"]]
    answer(phone, spec, {"condition": "acute-leukaemia", "pe-mimic": "absent"})
    assert "red-flags" not in [kind for kind, _ in shown(phone)["sections"]]
    assert phone.console_errors == []


def test_answering_never_moves_the_tapped_answer_without_scroll_anchoring(phone, site_url, arrival):
    """iOS Safari has no scroll anchoring: the summary above the form grows as answers come in, and the answer just
    tapped must stay under the finger."""
    arrive(phone, site_url, PATH, arrival)
    phone.evaluate("() => { document.documentElement.style.overflowAnchor = 'none'; document.body.style.overflowAnchor = 'none'; }")
    spec = page_spec(phone)
    moved = []
    for group, answer_value in (("causes", "excluded"), ("red_flags", "present"), ("features", "absent"), ("causes", "present")):
        for item in spec[group][:2]:
            option = phone.locator(f"#item-{item['id']} .checklist-option--{answer_value}")
            option.scroll_into_view_if_needed()
            before = option.bounding_box()["y"]
            option.tap()
            phone.wait_for_function("() => new Promise((done) => requestAnimationFrame(() => done(true)))")
            after = option.bounding_box()["y"]
            if abs(after - before) > 3:
                moved.append((item["id"], round(after - before)))
    assert moved == []


# ---------------------------------------------------------------- the population-safe paths, as a clinician taps them


@pytest.mark.parametrize("condition", ["acute-leukaemia", "chronic-leukaemia"])
def test_leukaemia_with_leukostasis_symptoms_leads_with_the_red_flag_and_its_sources_advice(phone, site_url, arrival,
                                                                                            condition):
    arrive(phone, site_url, PATH, arrival)
    answer(phone, page_spec(phone), {"condition": condition, "wbc": "130", "leukostasis": "present",
                                     "infection": "excluded"})
    first = phone.locator("[data-section]").first
    assert first.get_attribute("data-section") == "red-flags"
    advice = first.locator("[data-mode=advice]")
    lines = advice.all_inner_texts()
    assert lines[0].startswith("The post says not to start anticoagulation"), lines[0]  # the warning first (M9)
    assert any("leukapheresis combined with chemotherapy" in line for line in lines[1:])
    assert first.locator("[data-mode=conditional]").count() == 0
    # every line under the red flag is what to do; no Background heading without background lines (review M9)
    assert set(advice.evaluate_all("(lines) => lines.map((l) => l.dataset.part)")) == {"to_do"}
    assert first.locator(".checklist-summary__advice-heading").count() == 0


def test_an_old_address_naming_leukaemia_reads_as_not_known(phone, site_url):
    """Before acute and chronic leukaemia were asked apart, the answer was `leukaemia`: a saved or shared address
    with it must not pass for either, so the page reads it as not known and gives the sources' advice only as what
    each says about its own patients."""
    phone.goto(site_url + PATH + "?condition=leukaemia&leukostasis=present")
    spec = page_spec(phone)
    assert phone.evaluate("([q, raw]) => window.refsite.readContext(q, raw)",
                          [spec["contexts"], {"condition": "leukaemia", "leukostasis": "present"}]) == {
        "condition": "unknown", "leukostasis": "present"}
    condition = phone.locator("#checklist-context").get_by_label("Underlying condition", exact=True)
    assert condition.input_value() == "" and condition.locator("option:checked").inner_text() == "Not known"
    first = phone.locator("[data-section]").first
    assert first.get_attribute("data-section") == "red-flags"
    assert first.locator("[data-mode=advice]").count() == 0
    assert "In patients with leukaemia and leukostasis" in " ".join(first.locator("[data-mode=conditional]").all_inner_texts())


def test_a_solid_tumour_patient_gets_no_leukaemia_instruction(phone, site_url, arrival):
    arrive(phone, site_url, PATH, arrival)
    answer(phone, page_spec(phone), {"condition": "solid-tumour", "wbc": "130", "pe-mimic": "present"})
    region = phone.locator("#checklist-summary")
    assert phone.locator("[data-section=red-flags]").count() == 0
    other = phone.locator("[data-section=red-flags-other]").inner_text()
    assert "Imaging that looks like a pulmonary embolism" in other and "about: Patients with leukaemia" in other
    assert "anticoagulation" not in region.inner_text().lower()


def test_a_cml_pattern_or_a_present_cause_stops_the_studys_definition(phone, site_url, arrival):
    arrive(phone, site_url, PATH, arrival)
    spec = page_spec(phone)
    reached = next(c for c in CHECKLIST.cases if c.expect.meets_definition and c.states.get("condition") == "bone-tumour")
    answer(phone, spec, reached.states)
    assert shown(phone)["sections"][7:8] == [] or "definition" in [k for k, _ in shown(phone)["sections"]]
    for change, blocker in (({"lap-raised": "absent"}, "Features point away"), ({"infection": "present"}, "A cause is present")):
        answer(phone, spec, {**reached.states, **change})
        kinds = [k for k, _ in shown(phone)["sections"]]
        assert "definition" not in kinds and "blockers" in kinds
        assert blocker in phone.locator("[data-section=blockers]").inner_text()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_with_every_kind_of_summary(phone, site_url, scheme):
    phone.emulate_media(color_scheme=scheme)
    arrive(phone, site_url, f"{PATH}?leukostasis=present&pe-mimic=absent&infection=present&haematological-malignancy="
           "excluded&lap-raised=absent&thrombocytopenia=absent&orderly-maturation=present&growth-factor=maybe"
           "&leukemic-infiltrates=present"
           "&condition=bone-tumour&wbc=130", "load")
    assert phone.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
    kinds = [s[0] for s in shown(phone)["sections"]]
    assert {"red-flags", "red-flags-other", "red-flags-absent", "cml-pattern", "recheck", "causes-present", "blockers",
            "features-favouring", "features-absent", "ignored"} <= set(kinds)
    phone.locator("#item-leukostasis details summary").click()
    found = Axe().run(phone)
    assert found.violations_count == 0, json.dumps(
        [(v["id"], [n["html"][:160] for n in v["nodes"]]) for v in found.response["violations"]], indent=1)

"""The checklist in a phone-sized Chromium: every YAML case clicked through on one page load
(summary, address and copied text against the Python reference evaluator), links that
restore the answers, keyboard use, 360 px, no JavaScript, print, instant navigation, axe."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from generator.checklists import GROUPS, evaluate, status, summary, summary_text
from generator.pipeline import check
from tests.conftest import PHONE, REAL_CONTENT

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


def page_spec(page) -> dict:
    return json.loads(page.locator("script#checklist-data-extreme-leukocytosis").text_content())["spec"]


def expected(spec: dict, raw: dict) -> dict:
    """What the Python reference evaluator says the page must show."""
    result = evaluate(spec, raw)
    return {"status": status(spec, result),
            "sections": [[s["kind"], [line["item"] for line in s["lines"]]] for s in summary(spec, result)],
            "text": summary_text(spec, result)}


def shown(page) -> dict:
    return page.locator("#checklist-summary").evaluate(READ_SUMMARY)


def answer(page, spec: dict, states: dict) -> None:
    """Reset, then tap each answer as a person would."""
    page.get_by_role("button", name="Reset").click()
    names = {i["id"]: i["name"] for group in GROUPS for i in spec[group]}
    for item_id, state in states.items():
        page.get_by_role("group", name=names[item_id], exact=True).get_by_label(state.capitalize(), exact=True).tap()


def copied(page) -> str:
    page.get_by_role("button", name="Copy summary").click()
    page.get_by_role("status").filter(has_text="Summary copied").wait_for()
    return page.evaluate("navigator.clipboard.readText()")


@pytest.fixture
def clipboard_phone(browser, site_url):
    context = browser.new_context(**PHONE, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.console_errors = []
    page.on("pageerror", lambda err: page.console_errors.append(str(err)))
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    yield page
    context.close()


def test_every_case_clicked_through_and_restored_from_its_link(clipboard_phone, site_url):
    page = clipboard_phone
    page.goto(site_url + PATH)
    spec = page_spec(page)
    storage = "() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie])"
    stored_before = page.evaluate(storage)
    page.wait_for_load_state("networkidle")
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    clickable = [c for c in CHECKLIST.cases if all(v in ("present", "excluded") for v in c.states.values())]
    assert len(clickable) >= len(CHECKLIST.cases) - 1
    links, failures = [], []
    for case in clickable:
        answer(page, spec, case.states)
        want, got = expected(spec, case.states), shown(page)
        if [got["status"], got["sections"]] != [want["status"], want["sections"]]:
            failures.append(f"{case.name}: shown {got['status']!r} {got['sections']}, expected {want['status']!r} "
                            f"{want['sections']}")
        if {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()} != case.states:
            failures.append(f"{case.name}: address {page.url}")
        text = copied(page)
        if text != want["text"] + f"\n\n{spec['text']['link']}: {page.url}":
            failures.append(f"{case.name}: copied text differs:\n{text}\n---\n{want['text']}")
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
        checked = other.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
            "form.checklist input[type=radio]:checked")].filter((r) => r.value).map((r) => [r.name, r.value]))""")
        assert checked == case.states, case.name
    other.close()
    assert page.console_errors == []


def test_a_link_with_answers_the_page_does_not_know_says_so(phone, site_url):
    case = next(c for c in CHECKLIST.cases if any(v not in ("present", "excluded") for v in c.states.values()))
    query = "&".join(f"{k}={v}" for k, v in case.states.items())
    phone.goto(f"{site_url}{PATH}?{query}")
    want = expected(page_spec(phone), case.states)
    got = shown(phone)
    assert [got["status"], got["sections"]] == [want["status"], want["sections"]]
    assert "Not understood in the link" in got["text"]
    assert phone.console_errors == []


def test_reset_clears_the_answers_and_the_address(phone, site_url):
    phone.goto(f"{site_url}{PATH}?infection=excluded&leukostasis=present")
    assert "Red flags present: 1" in shown(phone)["status"]
    status = phone.locator(".checklist-summary__status")
    assert (status.get_attribute("aria-live"), status.get_attribute("aria-atomic")) == ("polite", "true")
    assert phone.locator(".checklist-noscript").is_hidden()
    phone.get_by_role("button", name="Reset").click()
    assert urlsplit(phone.url).query == ""
    assert shown(phone)["status"] == page_spec(phone)["text"]["nothing"]
    assert phone.locator("form.checklist input[type=radio]:checked[value='']").count() == sum(
        len(getattr(CHECKLIST, g).items) for g in GROUPS)


def test_the_link_back_to_the_summary_keeps_the_answers(phone, site_url):
    phone.goto(site_url + PATH)
    answer(phone, page_spec(phone), {"infection": "excluded", "tumour-lysis": "present"})
    before = shown(phone)
    phone.locator(".checklist__to-summary a").click()
    assert phone.evaluate("document.activeElement.id") == "checklist-summary-title"
    assert parse_qs(urlsplit(phone.url).query) == {"infection": ["excluded"], "tumour-lysis": ["present"]}
    assert shown(phone) == before
    assert phone.locator("#checklist-summary").evaluate("e => e.getBoundingClientRect().top") < 200
    assert phone.evaluate("() => performance.getEntriesByType('navigation').length") == 1


def test_keyboard_only(phone, site_url):
    phone.goto(site_url + PATH)
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
    phone.keyboard.press("ArrowLeft")  # to "Excluded"
    phone.keyboard.press("ArrowLeft")  # to "Present"
    assert shown(phone)["sections"][0] == ["red-flags", [first]]
    assert parse_qs(urlsplit(phone.url).query) == {first: ["present"]}
    tab_to("summary")  # the item's details open from the keyboard
    phone.keyboard.press("Enter")
    assert phone.locator(f"#item-{first} details").evaluate("d => d.open")
    tab_to(f"input[name='{spec['red_flags'][1]['id']}']")  # on to the next item
    phone.keyboard.press("ArrowLeft")  # "Not yet assessed" to "Excluded"
    assert parse_qs(urlsplit(phone.url).query) == {first: ["present"], spec["red_flags"][1]["id"]: ["excluded"]}
    tab_to(".checklist__copy", key="Shift+Tab")  # back up to the summary's buttons
    tab_to(".checklist__reset")
    phone.keyboard.press("Enter")
    assert urlsplit(phone.url).query == ""
    assert shown(phone)["status"] == spec["text"]["nothing"]


def test_at_360_px_nothing_overflows_and_every_answer_is_a_full_size_target(browser, site_url):
    context = browser.new_context(**{**PHONE, "viewport": {"width": 360, "height": 740}})
    page = context.new_page()
    page.goto(site_url + PATH + "?leukostasis=present&lap-raised=excluded")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    for fieldset in page.locator("fieldset.checklist-item").all():
        boxes = [o.bounding_box() for o in fieldset.locator(".checklist-option span").all()]
        assert len(boxes) == 3 and len({round(b["y"]) for b in boxes}) == 1  # three answers on one row
        assert all(b["width"] >= 44 and b["height"] >= 44 for b in boxes)
    for button in page.locator(".checklist-summary__actions button").all():
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
        assert item.locator("legend").is_visible() and item.locator(".checklist-item__assess").is_visible()
    assert page.get_by_text("Not yet assessed").first.is_visible()
    assert page.locator("#definition").is_visible()
    context.close()


def test_the_checklist_works_after_instant_navigation(phone, site_url):
    phone.goto(site_url + "/")
    phone.locator("article").get_by_role("link", name=CHECKLIST.title).click()
    phone.wait_for_url("**" + PATH)
    spec = page_spec(phone)
    answer(phone, spec, {"pe-mimic": "present"})
    assert shown(phone)["sections"][0] == ["red-flags", ["pe-mimic"]]
    assert phone.evaluate("() => performance.getEntriesByType('navigation').length") == 1  # no full reload
    assert phone.console_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_with_every_kind_of_summary(phone, site_url, scheme):
    phone.emulate_media(color_scheme=scheme)
    phone.goto(f"{site_url}{PATH}?leukostasis=present&pe-mimic=excluded&infection=present&haematological-malignancy="
               "excluded&lap-raised=excluded&no-thrombocytopenia=present&growth-factor=maybe")
    assert phone.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
    kinds = [s[0] for s in shown(phone)["sections"]]
    assert {"red-flags", "cml-pattern", "recheck", "causes-present", "ignored"} <= set(kinds)
    phone.locator(f"#item-leukostasis details summary").click()
    found = Axe().run(phone)
    assert found.violations_count == 0, json.dumps(
        [(v["id"], [n["html"][:160] for n in v["nodes"]]) for v in found.response["violations"]], indent=1)

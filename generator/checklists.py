"""Checklists: the JSON spec the browser gets, and the reference evaluator of the summary.

`checklist_spec` turns a Checklist record and the facts it rests on into plain
JSON-able data: each item's wording, citation numbers and its sources'
populations. `evaluate` reads the answers (as they stand in the page address)
against that spec, and `summary`/`summary_text` put the result into words.
The JavaScript in docs/assets/refsite.js mirrors these functions line for
line and reads the same spec; the YAML cases run in both. Change them together.

Pure functions only: no MkDocs, no HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .content import Content
from .model import Checklist, ChecklistItem, Fact
from .units import is_cell_concentration, to_canonical

GROUPS = ("red_flags", "causes", "features")
STATES = ("present", "excluded")  # no answer, or any other, is "not yet assessed"

# The summary's own words; headings that depend on the checklist come from its YAML.
TEXT = {
    "red_flags": "Red flags present",
    "red_flags_open": "Red flags not yet assessed",
    "causes_present": "Causes present",
    "causes_open": "Causes not yet excluded",
    "causes_excluded": "Causes excluded",
    "features_present": "Features of a leukemoid reaction present",
    "recheck": "Marked excluded, though the features point the other way: check again",
    "ignored": "Not understood in the link, so left as not yet assessed",
    "nothing": "Nothing assessed yet.",
    "population": "Sources' population",
    "references": "References",
    "link": "Checklist with these answers",
    "copied": "Summary copied: paste it into the notes.",
    "copy_failed": "The browser did not allow copying: select the text below and copy it.",
}


def checklist_path(checklist: Checklist) -> str:
    """A checklist's page: top-level, like topic and calculator pages."""
    return f"{checklist.id}-checklist.md"


# ---------------------------------------------------------------- spec


def checklist_spec(checklist: Checklist, content: Content, number: Callable[[str], int] | None = None) -> dict:
    """Everything the evaluator and the summary need. `number` gives a source's
    citation number on the page (the renderer's PageCitations.number); without
    it, sources are numbered in order of first use."""
    number = number or _numbering()
    items = {group: [_item_spec(i, content, number) for i in getattr(checklist, group).items] for group in GROUPS}
    definition = checklist.definition
    return {
        "id": checklist.id,
        "title": checklist.title,
        **items,
        "bears_on": checklist.features.bears_on,
        "cml_heading": checklist.features.warning,
        "definition": {"text": definition.text, "note": definition.note,
                       "refs": _refs([content.facts[f] for f in definition.facts], number)},
        "text": TEXT,
        "references": {},  # number -> plain-text reference; filled in by the renderer
    }


def _numbering() -> Callable[[str], int]:
    order: dict[str, int] = {}
    return lambda source: order.setdefault(source, len(order) + 1)


def checklist_items(checklist: Checklist) -> list[ChecklistItem]:
    """Every item, group by group in page order."""
    return [item for group in GROUPS for item in getattr(checklist, group).items]


def item_facts(item: ChecklistItem, content: Content) -> list[Fact]:
    """The facts an item rests on, its threshold facts first."""
    return [content.facts[f] for f in dict.fromkeys(item.thresholds + item.facts)]


def item_name(item: ChecklistItem, content: Content) -> str:
    """The item's label with its cut-offs: 'Growth factor given recently (≤ 10 days)'."""
    cutoffs = list(dict.fromkeys(short_threshold(content.facts[f]) for f in item.thresholds))
    return item.label + (f" ({' or '.join(cutoffs)})" if cutoffs else "")


def populations(facts: list[Fact]) -> list[str]:
    return list(dict.fromkeys(f.context.population for f in facts))


def _item_spec(item: ChecklistItem, content: Content, number: Callable[[str], int]) -> dict:
    facts = item_facts(item, content)
    return {
        "id": item.id,
        "name": item_name(item, content),
        "refs": _refs(facts, number),
        "populations": populations(facts),
        "action": item.action,
        "when_excluded": item.when_excluded,
    }


def _refs(facts: list[Fact], number: Callable[[str], int]) -> list[int]:
    return sorted({number(c.source) for f in facts for c in f.cite})


def short_threshold(fact: Fact) -> str:
    """A cut-off in a few characters: '≤ 10 days', '> 100 ×10⁹/L' (white counts in ×10⁹/L)."""
    from .render import COMPARATOR_SYMBOL, quantity_text  # imported here: render builds on the validator

    t = fact.threshold
    if is_cell_concentration(t.unit):
        return f"{COMPARATOR_SYMBOL[t.comparator]} {quantity_text(to_canonical(t.value, t.unit), '10*9/L')}"
    return f"{COMPARATOR_SYMBOL[t.comparator]} {quantity_text(t.value, t.unit)}"


# ---------------------------------------------------------------- evaluating


def read_states(spec: dict, raw: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The answers given (item id -> present or excluded), and the items whose answer was not understood."""
    states, ignored = {}, []
    for group in GROUPS:
        for item in spec[group]:
            value = raw.get(item["id"], "")
            if value in STATES:
                states[item["id"]] = value
            elif value != "":
                ignored.append(item["id"])
    return states, ignored


def evaluate(spec: dict, raw: Mapping[str, str]) -> dict:
    """What the answers add up to. Lists keep the order the checklist declares."""
    states, ignored = read_states(spec, raw)

    def marked(group: str, state: str) -> list[str]:
        return [i["id"] for i in spec[group] if states.get(i["id"], "") == state]

    pointing_away = marked("features", "excluded")
    return {
        "states": states,
        "red_flags": marked("red_flags", "present"),
        "red_flags_open": marked("red_flags", ""),
        "causes_present": marked("causes", "present"),
        "causes_open": marked("causes", ""),
        "causes_excluded": marked("causes", "excluded"),
        "meets_definition": all(states.get(c["id"]) == "excluded" for c in spec["causes"]),
        "cml_pattern": pointing_away,
        "features_present": marked("features", "present"),
        "recheck": [spec["bears_on"]] if pointing_away and states.get(spec["bears_on"]) == "excluded" else [],
        "ignored": ignored,
    }


EXPECTED_KEYS = ("red_flags", "red_flags_open", "causes_present", "causes_open", "causes_excluded",
                 "meets_definition", "cml_pattern", "features_present", "recheck", "ignored")


def compare(expect: dict, result: dict) -> list[str]:
    """Each way the result falls short of what a case expects, in words."""
    return [f"expected {key} {_shown(wanted)}, got {_shown(result[key])}"
            for key, wanted in expect.items() if result[key] != wanted]


def _shown(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]" if value else "none"
    return str(value).lower()


# ---------------------------------------------------------------- the summary in words


def summary(spec: dict, result: dict) -> list[dict]:
    """The summary as sections of lines, in the order shown: red flags first, then
    warnings, then what is still open. A line is an item (or the definition) with
    its citation numbers and an optional sentence after them."""
    items = {i["id"]: i for group in GROUPS for i in spec[group]}
    text = spec["text"]

    def line(item_id: str, words: str | None = None, detail: str = "") -> dict:
        item = items[item_id]
        return {"item": item_id, "text": words or item["name"], "refs": item["refs"], "detail": detail}

    def red_flag(item_id: str) -> dict:
        item = items[item_id]
        population = f"{text['population']}: {'; '.join(item['populations'])}."
        return line(item_id, detail=" ".join(part for part in (item["action"], population) if part))

    definition = spec["definition"]
    sections = [
        ("red-flags", text["red_flags"], [red_flag(i) for i in result["red_flags"]]),
        ("red-flags-open", text["red_flags_open"], [line(i) for i in result["red_flags_open"]]),
        ("cml-pattern", spec["cml_heading"], [line(i, items[i]["when_excluded"]) for i in result["cml_pattern"]]),
        ("recheck", text["recheck"], [line(i) for i in result["recheck"]]),
        ("causes-present", text["causes_present"], [line(i) for i in result["causes_present"]]),
        ("causes-open", text["causes_open"], [line(i) for i in result["causes_open"]]),
        ("definition", "", [{"item": None, "text": definition["text"], "refs": definition["refs"],
                             "detail": definition["note"]}] if result["meets_definition"] else []),
        ("causes-excluded", text["causes_excluded"], [line(i) for i in result["causes_excluded"]]),
        ("features-present", text["features_present"], [line(i) for i in result["features_present"]]),
        ("ignored", text["ignored"], [line(i) for i in result["ignored"]]),
    ]
    return [{"kind": kind, "heading": heading, "lines": lines} for kind, heading, lines in sections if lines]


def status(spec: dict, result: dict) -> str:
    """One sentence for the live region: counts of what matters most."""
    if not result["states"]:
        return spec["text"]["nothing"]
    counts = [(spec["text"]["red_flags"], result["red_flags"]), (spec["cml_heading"], result["cml_pattern"]),
              (spec["text"]["causes_present"], result["causes_present"]),
              (spec["text"]["causes_open"], result["causes_open"])]
    parts = [f"{heading}: {len(ids)}" for heading, ids in counts if ids]
    if result["meets_definition"]:
        parts.append(spec["definition"]["text"])
    return " · ".join(parts)


def cite_text(refs: list[int]) -> str:
    return "[" + ", ".join(str(n) for n in refs) + "]" if refs else ""


def line_text(entry: dict) -> str:
    words = " ".join(part for part in (entry["text"], cite_text(entry["refs"])) if part)
    return words + (f" — {entry['detail']}" if entry["detail"] else "")


def summary_text(spec: dict, result: dict) -> str:
    """The plain-text summary that 'Copy summary' puts on the clipboard (without the page link,
    which the browser adds), with the references it cites."""
    lines = [spec["title"], status(spec, result)]
    cited: set[int] = set()
    for section in summary(spec, result):
        lines.append("")
        if section["heading"]:
            lines.append(section["heading"] + ":")
        for entry in section["lines"]:
            cited.update(entry["refs"])
            lines.append(("- " if section["heading"] else "") + line_text(entry))
    if cited:
        lines += ["", spec["text"]["references"] + ":"]
        lines += [f"{n}. {spec['references'][str(n)]}" for n in sorted(cited)]
    return "\n".join(lines)


"""Checklists: the JSON spec the browser gets, and the reference evaluator of the summary.

`checklist_spec` turns a Checklist record and the facts it rests on into plain
JSON-able data: each item's wording, citation numbers and its sources'
populations, the patient's context questions, the count input and the advice
red flags carry. `evaluate` reads the answers (as they stand in the page address)
against that spec, and `summary`/`summary_text`/`short_text` put the result into
words. The JavaScript in docs/assets/refsite.js mirrors these functions line for
line and reads the same spec; the YAML cases run in both. Change them together.

Pure functions only: no MkDocs, no HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from . import advice
from .inputs import MESSAGES, NOUNS, chosen_unit, close, input_spec, meets, read_measurement
from .content import Content
from .model import Checklist, ChecklistItem, Fact
from .quantities import units
from .wording import format_number, in_population, plain, short_threshold, threshold_in_canonical

GROUPS = ("red_flags", "causes", "features")
# The answers each group takes; no answer (or any other) is "not yet assessed".
ANSWERS = {"red_flags": ("present", "absent"), "causes": ("present", "excluded"), "features": ("present", "absent")}
BLOCKERS = ("red-flag", "feature", "recheck", "cause-present", "cause-open", "context", "count-error",
            "count-missing", "count-below")

# The summary's own words; headings that depend on the checklist come from its YAML.
TEXT = {
    "red_flags": "Red flags present",
    "red_flags_other": "Also present: the sources' advice on these is about other patients",
    "red_flags_absent": "Red flags absent",
    "red_flags_open": "Red flags not yet assessed",
    "causes_present": "Causes present",
    "causes_open": "Causes not yet excluded",
    "causes_excluded": "Causes excluded",
    "recheck": "Marked excluded, though the features point the other way: check again",
    "ignored": "Not understood in the link, so left as not yet assessed",
    "blocked": "The cohort's PLR classification is not reached",
    "reached": "The cohort's PLR classification is reached",
    "blockers": {
        "red-flag": "A red flag is present.",
        "feature": "Features point away from a leukemoid reaction.",
        "recheck": "A blood cancer is marked excluded, though the features point the other way.",
        "cause-present": "A cause is present.",
        "cause-open": "Not every cause has been excluded yet.",
        "context": "The study classed only these patients: {allowed}. Here: {given}.",
        "count-error": "The {noun} entered needs checking.",
        "count-missing": "No {noun} entered: the study took counts {cutoff}.",
        "count-below": "The {noun} is below the study's entry cut-off ({cutoff}).",
    },
    "at_boundary": "The count sits exactly on the study's cut-off, where the paper is not clear: {note}",
    "nothing": "Nothing assessed yet.",
    "population": "Sources' population",
    "other_population": "What the sources say to do is about: {populations}.",
    "if_context": "Set the condition above to see what applies; for now, what each source says about its own patients:",
    "answered": "{n} of {total} answered",
    "count": "{Noun}",
    "references": "References",
    "link": "Checklist with these answers",
    "copied": "Copied: paste it into the notes.",
    "copy_failed": "The browser did not allow copying: select the text below and copy it.",
    "short": {"red_flags": "Red flags", "causes": "Causes", "features": "Features", "present": "present",
              "absent": "absent", "open": "not assessed", "excluded": "excluded", "not_excluded": "not yet excluded",
              "away": "pointing away", "favouring": "favouring", "none": "none answered"},
}


def checklist_path(checklist: Checklist) -> str:
    """A checklist's page: top-level, like topic and calculator pages."""
    return f"{checklist.id}-checklist.md"


# ---------------------------------------------------------------- spec


def checklist_spec(checklist: Checklist, content: Content, number: Callable[[str], int] | None = None) -> dict:
    """Everything the evaluator and the summary need. `number` gives a source's place among the
    page's references (the renderer's PageCitations.number); without it, sources come in order of
    first use. Items cite their sources by label ([Cohort]), the same on every page."""
    number = _labelled(content, number or _numbering())
    items = {group: [_item_spec(i, content, number) for i in getattr(checklist, group).items] for group in GROUPS}
    definition = checklist.definition
    cutoff = content.facts[definition.count_threshold]
    return {
        "id": checklist.id,
        "title": checklist.title,
        "contexts": advice.contexts_spec(content),
        "count": input_spec(checklist.count, units(content)),
        "input_text": {"messages": MESSAGES, "nouns": NOUNS},
        **items,
        "bears_on": checklist.features.bears_on,
        "cml_heading": checklist.features.warning,
        "favouring_heading": checklist.features.favouring,
        "definition": {"text": definition.text, "note": definition.note,
                       "refs": _refs([content.facts[f] for f in definition.facts], number),
                       "contexts": {q: list(a) for q, a in definition.contexts.items()},
                       "cutoff": {"fact": cutoff.id, "comparator": cutoff.threshold.comparator,
                                  "value": threshold_in_canonical(cutoff, units(content)),
                                  "text": short_threshold(cutoff, units(content)),
                                  "boundary": plain(cutoff.threshold.boundary_note or "")}},
        "facts": {f: _fact_words(content.facts[f], content) for f in advice_facts(checklist)},
        "text": _with_noun(TEXT, units(content).quantity(checklist.count.quantity).noun),
        "references": {},  # label -> plain-text reference, in the page's order; filled in by the renderer
    }


def _with_noun(text, noun: str):
    """The summary's words with what the count is called put in: 'The white count entered needs checking.'"""
    if isinstance(text, dict):
        return {key: _with_noun(value, noun) for key, value in text.items()}
    return text.replace("{noun}", noun).replace("{Noun}", noun[:1].upper() + noun[1:])


def _fact_words(fact: Fact, content: Content) -> dict:
    """A fact as plain words, for copied notes: its statement, and the conditional form of it."""
    source = content.sources[fact.cite[0].source].short_title
    return {"statement": plain(fact.statement), "if": in_population(fact.context.population, source)}


def _numbering() -> Callable[[str], int]:
    order: dict[str, int] = {}
    return lambda source: order.setdefault(source, len(order) + 1)


def _labelled(content: Content, number: Callable[[str], int]) -> Callable[[str], tuple[int, str]]:
    """A source's (place among the page's references, label)."""
    return lambda source: (number(source), content.sources[source].label)


def checklist_items(checklist: Checklist) -> list[ChecklistItem]:
    """Every item, group by group in page order."""
    return [item for group in GROUPS for item in getattr(checklist, group).items]


def advice_facts(checklist: Checklist) -> list[str]:
    """Every fact the checklist can show as advice, once each."""
    return list(dict.fromkeys(f for item in checklist.red_flags.items for g in item.advice for f in g.facts))


def item_facts(item: ChecklistItem, content: Content) -> list[Fact]:
    """The facts an item rests on, its threshold facts first."""
    return [content.facts[f] for f in dict.fromkeys(item.thresholds + item.facts)]


def item_name(item: ChecklistItem, content: Content) -> str:
    """The item's label with its cut-offs: 'Growth factor given recently (≤ 10 days)'."""
    cutoffs = list(dict.fromkeys(short_threshold(content.facts[f], units(content)) for f in item.thresholds))
    return item.label + (f" ({' or '.join(cutoffs)})" if cutoffs else "")


def populations(facts: list[Fact]) -> list[str]:
    return list(dict.fromkeys(f.context.population for f in facts))


def _item_spec(item: ChecklistItem, content: Content, number: Callable[[str], int]) -> dict:
    facts = item_facts(item, content)
    return {
        "id": item.id,
        "name": item_name(item, content),
        "label": item.label,
        "refs": _refs(facts, number),
        "populations": populations(facts),
        "contexts": {q: list(a) for q, a in (item.contexts or {}).items()},
        "advice": advice.advice_spec(item.advice),
        "advice_populations": populations([content.facts[f] for g in item.advice for f in g.facts]),
        "cohort_rule": item.cohort_rule,
        "points_away_when": item.points_away_when,
    }


def _refs(facts: list[Fact], number: Callable[[str], tuple[int, str]]) -> list[str]:
    """The facts' sources' labels, in the order of the page's references."""
    return [label for _, label in sorted({number(c.source) for f in facts for c in f.cite})]


# ---------------------------------------------------------------- evaluating


def read_states(spec: dict, raw: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The answers given (item id -> one of its group's answers), and the items whose answer was not understood."""
    states, ignored = {}, []
    for group in GROUPS:
        for item in spec[group]:
            value = raw.get(item["id"], "")
            if value in ANSWERS[group]:
                states[item["id"]] = value
            elif value != "":
                ignored.append(item["id"])
    return states, ignored


def evaluate(spec: dict, raw: Mapping[str, str]) -> dict:
    """What the answers add up to. Lists keep the order the checklist declares."""
    states, ignored = read_states(spec, raw)
    reader = advice.read_context(spec["contexts"], raw)
    count, count_issue = read_measurement(spec["count"], raw)

    def marked(group: str, state: str) -> list[str]:
        return [i["id"] for i in spec[group] if states.get(i["id"], "") == state]

    red = {i["id"]: i for i in spec["red_flags"]}
    present = marked("red_flags", "present")
    pointing_away = [i["id"] for i in spec["features"] if states.get(i["id"]) == i["points_away_when"]]
    result = {
        "states": states,
        "context": reader,
        "count": count,
        "count_issue": count_issue,
        "count_unit": chosen_unit(spec["count"], raw),
        "red_flags": [i for i in present if advice.mode(red[i]["contexts"], reader) != "hidden"],
        "red_flags_other": [i for i in present if advice.mode(red[i]["contexts"], reader) == "hidden"],
        "red_flags_absent": marked("red_flags", "absent"),
        "red_flags_open": marked("red_flags", ""),
        "causes_present": marked("causes", "present"),
        "causes_open": marked("causes", ""),
        "causes_excluded": marked("causes", "excluded"),
        "cml_pattern": pointing_away,
        "features_favouring": [i["id"] for i in spec["features"]
                               if i["id"] in states and states[i["id"]] != i["points_away_when"]],
        "recheck": [spec["bears_on"]] if pointing_away and states.get(spec["bears_on"]) == "excluded" else [],
        "advice": [entry for i in present for entry in advice.shown(red[i]["advice"], reader, i)],
        "ignored": ignored,
    }
    result["blockers"] = _blockers(spec, result, reader)
    result["meets_definition"] = not result["blockers"]
    result["at_boundary"] = count is not None and close(count, spec["definition"]["cutoff"]["value"]) \
        and bool(spec["definition"]["cutoff"]["boundary"])
    return result


def _blockers(spec: dict, result: dict, reader: dict) -> list[str]:
    """What stands in the way of the study's definition, in the order BLOCKERS gives."""
    cutoff = spec["definition"]["cutoff"]
    count = result["count"]
    found = {
        "red-flag": bool(result["red_flags"] or result["red_flags_other"]),
        "feature": bool(result["cml_pattern"]),
        "recheck": bool(result["recheck"]),
        "cause-present": bool(result["causes_present"]),
        "cause-open": bool(result["causes_open"]),
        "context": advice.mode(spec["definition"]["contexts"], reader) != "advice",
        "count-error": bool(result["count_issue"]) and result["count_issue"]["level"] == "error",
        "count-missing": count is None and not result["count_issue"],
        "count-below": count is not None and not meets(count, cutoff["comparator"], cutoff["value"]),
    }
    return [b for b in BLOCKERS if found[b]]


def compare(expect: dict, result: dict) -> list[str]:
    """Each way the result falls short of what a case expects, in words."""
    wrong = []
    by_mode = advice.facts_by_mode(result["advice"])
    for key, wanted in expect.items():
        got = result.get(key)
        if key in ("advice", "conditional"):
            got, wanted = sorted(by_mode[key]), sorted(wanted)
        if got != wanted:
            wrong.append(f"expected {key} {_shown(wanted)}, got {_shown(got)}")
    return wrong


def _shown(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]" if value else "none"
    return str(value).lower()


# ---------------------------------------------------------------- the summary in words


def summary(spec: dict, result: dict) -> list[dict]:
    """The summary as sections of lines, in the order shown: red flags first, then
    warnings, then what is still open, then the study's definition (or what stands in
    its way), then the negatives. A line is an item (or the definition) with its citation
    numbers, an optional sentence after them, and, for a red flag, its advice by mode."""
    items = {i["id"]: i for group in GROUPS for i in spec[group]}
    text = spec["text"]

    def line(item_id: str, detail: str = "") -> dict:
        item = items[item_id]
        return {"item": item_id, "text": item["name"], "refs": item["refs"], "detail": detail, "advice": []}

    def red_flag(item_id: str) -> dict:
        shown = [a for a in result["advice"] if a["from"] == item_id and a["mode"] != "hidden"]
        entry = line(item_id, f"{text['population']}: {'; '.join(items[item_id]['populations'])}.")
        entry["advice"] = [{"fact": f, "mode": a["mode"]} for a in shown for f in a["facts"]]
        return entry

    def other(item_id: str) -> dict:
        about = "; ".join(items[item_id]["advice_populations"] or items[item_id]["populations"])
        return line(item_id, text["other_population"].format(populations=about))

    # What is still open is listed once something is answered: before that, the list below is all open.
    answered = bool(result["states"])
    sections = [
        ("red-flags", text["red_flags"], [red_flag(i) for i in result["red_flags"]]),
        ("red-flags-other", text["red_flags_other"], [other(i) for i in result["red_flags_other"]]),
        ("red-flags-open", text["red_flags_open"], [line(i) for i in result["red_flags_open"] if answered]),
        ("cml-pattern", spec["cml_heading"], [line(i, _feature_answer(spec, result, i)) for i in result["cml_pattern"]]),
        ("recheck", text["recheck"], [line(i) for i in result["recheck"]]),
        ("causes-present", text["causes_present"], [line(i) for i in result["causes_present"]]),
        ("causes-open", text["causes_open"], [line(i) for i in result["causes_open"] if answered]),
        _definition_section(spec, result),
        ("causes-excluded", text["causes_excluded"], [line(i) for i in result["causes_excluded"]]),
        ("red-flags-absent", text["red_flags_absent"], [line(i) for i in result["red_flags_absent"]]),
        ("features-favouring", spec["favouring_heading"],
         [line(i, _feature_answer(spec, result, i)) for i in result["features_favouring"]]),
        ("ignored", text["ignored"], [line(i) for i in result["ignored"]]),
    ]
    return [{"kind": kind, "heading": heading, "lines": lines} for kind, heading, lines in sections if lines]


def _feature_answer(spec: dict, result: dict, item_id: str) -> str:
    return spec["text"]["short"][result["states"][item_id]]


def _definition_section(spec: dict, result: dict) -> tuple[str, str, list[dict]]:
    definition, text = spec["definition"], spec["text"]
    if result["meets_definition"]:
        note = definition["note"]
        if result["at_boundary"]:
            note += " " + text["at_boundary"].format(note=definition["cutoff"]["boundary"])
        return ("definition", text["reached"], [{"item": None, "text": definition["text"], "refs": definition["refs"],
                                                  "detail": note, "advice": []}])
    if not (result["states"] or result["count"] is not None or result["count_issue"]
            or any(v != "unknown" for v in result["context"].values())):
        return ("blockers", text["blocked"], [])  # nothing entered yet: nothing to explain
    lines = [{"item": None, "text": blocker_text(spec, result, b), "refs": [], "detail": "", "advice": []}
             for b in result["blockers"]]
    return ("blockers", text["blocked"], lines)


def blocker_text(spec: dict, result: dict, code: str) -> str:
    words = spec["text"]["blockers"][code]
    if code == "context":
        questions = {q["id"]: q for q in spec["contexts"]}
        allowed = "; ".join(_answer_label(questions[q], a) for q, answers in spec["definition"]["contexts"].items()
                            for a in answers)
        given = "; ".join(_answer_label(questions[q], result["context"][q]) for q in spec["definition"]["contexts"])
        return words.format(allowed=allowed, given=given)
    return words.format(cutoff=spec["definition"]["cutoff"]["text"])


def _answer_label(question: dict, answer: str) -> str:
    label = next((o["label"] for o in question["options"] if o["id"] == answer), question["unknown_label"])
    return f"{question['label']}: {label}"


def status(spec: dict, result: dict) -> str:
    """One sentence for the live region: counts of what matters most."""
    if not result["states"]:
        return spec["text"]["nothing"]
    counts = [(spec["text"]["red_flags"], result["red_flags"] + result["red_flags_other"]),
              (spec["cml_heading"], result["cml_pattern"]), (spec["text"]["causes_present"], result["causes_present"]),
              (spec["text"]["causes_open"], result["causes_open"])]
    parts = [f"{heading}: {len(ids)}" for heading, ids in counts if ids]
    if result["meets_definition"]:
        parts.append(spec["text"]["reached"])
    return " · ".join(parts)


def progress(spec: dict, result: dict) -> str:
    """'5 of 13 answered': the sticky bar's words."""
    total = sum(len(spec[group]) for group in GROUPS)
    return spec["text"]["answered"].format(n=len(result["states"]), total=total)


def cite_text(refs: list[str]) -> str:
    return "[" + ", ".join(refs) + "]" if refs else ""


def advice_text(spec: dict, entry: dict) -> str:
    words = spec["facts"][entry["fact"]]
    return words["statement"] if entry["mode"] == "advice" else f"{words['if']} {words['statement']}"


def line_text(entry: dict) -> str:
    words = " ".join(part for part in (entry["text"], cite_text(entry["refs"])) if part)
    return words + (f" — {entry['detail']}" if entry["detail"] else "")


def header_lines(spec: dict, result: dict, stamp: str) -> list[str]:
    """Title, date and time, then the count and the context the note was made in."""
    lines = [spec["title"], stamp]
    count, unit = result["count"], result["count_unit"]
    if count is not None:
        typed = f"{format_number(count / unit['factor'])} {unit['display']} = " if unit["factor"] != 1 else ""
        lines.append(f"{spec['text']['count']}: {typed}{format_number(count)} {spec['count']['canonical_unit']}")
    lines.append(" · ".join(_answer_label(q, result["context"][q["id"]]) for q in spec["contexts"]))
    return lines


def summary_text(spec: dict, result: dict, stamp: str) -> str:
    """The full plain-text note that 'Copy with references' puts on the clipboard (without the page link,
    which the browser adds), with the references it cites. `stamp` is the date and time it was copied."""
    lines = header_lines(spec, result, stamp) + [status(spec, result)]
    cited: set[str] = set()
    for section in summary(spec, result):
        lines.append("")
        if section["heading"]:
            lines.append(section["heading"] + ":")
        for entry in section["lines"]:
            cited.update(entry["refs"])
            lines.append(("- " if section["heading"] else "") + line_text(entry))
            lines += [f"  - {advice_text(spec, a)}" for a in entry["advice"]]
    if cited:
        lines += ["", spec["text"]["references"] + ":"]
        lines += [f"[{label}] {text}" for label, text in spec["references"].items() if label in cited]
    return "\n".join(lines)


def short_text(spec: dict, result: dict, stamp: str) -> str:
    """The short note 'Copy note' gives: one line per group, every answer given (negatives too), no references."""
    words = spec["text"]["short"]
    names = {i["id"]: i["label"] for group in GROUPS for i in spec[group]}

    def group_line(heading: str, parts: list[tuple[str, list[str]]]) -> str:
        given = [f"{label}: {', '.join(names[i] for i in ids)}" for label, ids in parts if ids]
        return f"{heading} — " + ("; ".join(given) if given else words["none"])

    lines = header_lines(spec, result, stamp)
    lines.append(group_line(words["red_flags"], [(words["present"], result["red_flags"] + result["red_flags_other"]),
                                                 (words["absent"], result["red_flags_absent"]),
                                                 (words["open"], result["red_flags_open"])]))
    lines.append(group_line(words["causes"], [(words["present"], result["causes_present"]),
                                              (words["excluded"], result["causes_excluded"]),
                                              (words["not_excluded"], result["causes_open"])]))
    lines.append(group_line(words["features"], [(words["away"], result["cml_pattern"]),
                                                (words["favouring"], result["features_favouring"])]))
    definition = spec["text"]["reached"] if result["meets_definition"] else (
        spec["text"]["blocked"] + ": " + " ".join(blocker_text(spec, result, b) for b in result["blockers"]))
    lines.append(definition)
    return "\n".join(lines)

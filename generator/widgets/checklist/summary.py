"""The checklist's summary in words: its sections and lines, its status and progress, and the text
a clinician copies into the notes (full or short). checklist.js mirrors these functions line for line.

Pure functions only: no MkDocs, no HTML.
"""

from __future__ import annotations

from typing import TypedDict

from ...advice import Mode, QuestionSpec
from ...arrangement import PARTS, Part, arrange
from ...wording import format_number
from .evaluate import ChecklistResult, unanswered_features
from .spec import GROUPS, ChecklistSpec


class AdviceLine(TypedDict):
    fact: str
    mode: Mode
    part: Part  # where it is listed: to do, then not yet known to apply, then background (arrangement.PARTS)


class SummaryLine(TypedDict):
    """An item (or the definition, or a blocker: item None) with its citation labels, a sentence after them,
    and, for a red flag, its advice by mode."""

    item: str | None
    text: str
    refs: list[str]
    detail: str
    advice: list[AdviceLine]


class SummarySection(TypedDict):
    kind: str  # the section's name on the page (data-section)
    heading: str
    lines: list[SummaryLine]


def summary(spec: ChecklistSpec, result: ChecklistResult) -> list[SummarySection]:
    """The summary as sections of lines, in the order shown: red flags first, then
    warnings, then what is still open, then the study's definition (or what stands in
    its way), then the negatives. A line is an item (or the definition) with its citation
    numbers, an optional sentence after them, and, for a red flag, its advice by mode."""
    items = {i["id"]: i for i in [*(i for group in GROUPS for i in spec[group]), *spec["flag_items"]]}
    text = spec["text"]

    def line(item_id: str, detail: str = "") -> SummaryLine:
        item = items[item_id]
        return {"item": item_id, "text": item["name"], "refs": item["refs"], "detail": detail, "advice": []}

    def red_flag(item_id: str) -> SummaryLine:
        arranged = arrange([a for a in result["advice"] if a["from"] == item_id], spec["roles"])
        entry = line(item_id, f"{text['population']}: {'; '.join(items[item_id]['populations'])}.")
        # What to do first (warnings, then management), then what is not yet known to apply, then background.
        entry["advice"] = [{"fact": f, "mode": "conditional" if part == "conditional" else "advice", "part": part}
                           for part in PARTS for f in arranged[part]]
        return entry

    def other(item_id: str) -> SummaryLine:
        about = "; ".join(items[item_id]["advice_populations"] or items[item_id]["populations"])
        return line(item_id, text["other_population"].format(populations=about))

    # What is still open is listed once something is answered: before that, the list below is all open.
    answered = bool(result["states"])
    sections: list[tuple[str, str, list[SummaryLine]]] = [
        ("red-flags", text["red_flags"], [red_flag(i) for i in result["red_flags"]]),
        ("red-flags-other", text["red_flags_other"], [other(i) for i in result["red_flags_other"]]),
        ("red-flags-open", text["red_flags_open"], [line(i) for i in result["red_flags_open"] if answered]),
        ("cml-pattern", spec["cml_heading"], [line(i, _feature_answer(spec, result, i)) for i in result["cml_pattern"]]),
        ("recheck", text["recheck"], [line(i) for i in result["recheck"]]),
        ("causes-present", text["causes_present"], [line(i) for i in result["causes_present"]]),
        ("causes-open", text["causes_open"],
         [line(i) for i in result["causes_open"] if answered and not result["causes_collapsed"]]),
        _definition_section(spec, result),
        ("causes-excluded", text["causes_excluded"], [line(i) for i in result["causes_excluded"]]),
        ("red-flags-absent", text["red_flags_absent"], [line(i) for i in result["red_flags_absent"]]),
        ("features-favouring", spec["favouring_heading"],
         [line(i, _feature_answer(spec, result, i)) for i in result["features_favouring"]]),
        ("features-absent", text["features_absent"], [line(i) for i in result["features_absent"]]),
        ("ignored", text["ignored"], [line(i) for i in result["ignored"]]),
    ]
    return [{"kind": kind, "heading": heading, "lines": lines} for kind, heading, lines in sections if lines]


def _feature_answer(spec: ChecklistSpec, result: ChecklistResult, item_id: str) -> str:
    return spec["text"]["short"][result["states"][item_id]]


def _definition_section(spec: ChecklistSpec, result: ChecklistResult) -> tuple[str, str, list[SummaryLine]]:
    definition, text = spec["definition"], spec["text"]
    if result["meets_definition"]:
        note = definition["note"]
        if result["at_boundary"]:
            note += " " + text["at_boundary"].format(note=definition["cutoff"]["boundary"])
        if result["features_open"]:  # what was left unassessed is said where the classification is (M6)
            note += " " + text["reached_open"].format(items=_labels(spec, result["features_open"]))
        return ("definition", text["reached"], [{"item": None, "text": definition["text"], "refs": definition["refs"],
                                                  "detail": note, "advice": []}])
    if not (result["states"] or result["count"] is not None or result["count_issue"]
            or any(v != "unknown" for v in result["context"].values())):
        return ("blockers", text["blocked"], [])  # nothing entered yet: nothing to explain
    lines: list[SummaryLine] = [{"item": None, "text": blocker_text(spec, result, b), "refs": [],
                                 "detail": text["causes_collapsed"] if b == "context" and result["causes_collapsed"] else "",
                                 "advice": []} for b in result["blockers"]]
    return ("blockers", text["blocked"], lines)


def _labels(spec: ChecklistSpec, ids: list[str]) -> str:
    """Items by their short labels, for a line that names them: 'Thrombocytopenia (low platelet count); …'."""
    labels = {i["id"]: i["label"] for group in GROUPS for i in spec[group]}
    return "; ".join(labels[i] for i in ids)


def blocker_text(spec: ChecklistSpec, result: ChecklistResult, code: str) -> str:
    """Why the classification is not reached, in the checklist's words with their {placeholders} filled. Filled by
    replacing, not str.format: the words are content, and a brace an editor types must never crash the check."""
    questions = {q["id"]: q for q in spec["contexts"]}
    definition = spec["definition"]
    values = {
        "allowed": lambda: "; ".join(_answer_label(questions[q], a) for q, answers in definition["contexts"].items()
                                     for a in answers),
        "given": lambda: "; ".join(_answer_label(questions[q], result["context"][q]) for q in definition["contexts"]),
        "items": lambda: _labels(spec, result["red_flags_open"] if code == "red-flag-open"
                                 else unanswered_features(spec, result)),
        "cutoff": lambda: definition["cutoff"]["text"],
        "reported": lambda: definition["reported_text"],
    }
    words = spec["text"]["blockers"][code]
    for name, value in values.items():
        if "{" + name + "}" in words:
            words = words.replace("{" + name + "}", value())
    return words


def _answer_label(question: QuestionSpec, answer: str) -> str:
    label = next((o["label"] for o in question["options"] if o["id"] == answer), question["unknown_label"])
    return f"{question['label']}: {label}"


def status(spec: ChecklistSpec, result: ChecklistResult) -> str:
    """One sentence for the live region: counts of what matters most; with nothing to count, why the
    study's classification is not reached (a blank status line reached the copied note: review 2026-12, m12)."""
    if not result["states"]:
        return spec["text"]["nothing"]
    open_causes = [] if result["causes_collapsed"] else result["causes_open"]
    counts = [(spec["text"]["red_flags"], result["red_flags"] + result["red_flags_other"]),
              (spec["cml_heading"], result["cml_pattern"]), (spec["text"]["causes_present"], result["causes_present"]),
              (spec["text"]["causes_open"], open_causes)]
    parts = [f"{heading}: {len(ids)}" for heading, ids in counts if ids]
    if result["meets_definition"]:
        parts.append(spec["text"]["reached"])
    return " · ".join(parts) or blocked_text(spec, result)


def blocked_text(spec: ChecklistSpec, result: ChecklistResult) -> str:
    """'The cohort's PLR classification is not reached: …', with every blocker's sentence."""
    return spec["text"]["blocked"] + ": " + " ".join(blocker_text(spec, result, b) for b in result["blockers"])


def progress(spec: ChecklistSpec, result: ChecklistResult) -> str:
    """'5 of 13 answered': the sticky bar's words."""
    total = sum(len(spec[group]) for group in GROUPS)
    return spec["text"]["answered"].format(n=len(result["states"]), total=total)


def cite_text(refs: list[str]) -> str:
    return "[" + ", ".join(refs) + "]" if refs else ""


def advice_text(spec: ChecklistSpec, entry: AdviceLine) -> str:
    words = spec["facts"][entry["fact"]]
    return words["statement"] if entry["mode"] == "advice" else f"{words['if']} {words['statement']}"


def advice_lines(spec: ChecklistSpec, advice: list[AdviceLine]) -> list[str]:
    """A red flag's advice as the copied note lists it under the flag: background last, under its own heading."""
    lines = [f"  - {advice_text(spec, a)}" for a in advice if a["part"] != "background"]
    background = [f"    - {advice_text(spec, a)}" for a in advice if a["part"] == "background"]
    return lines + ([f"  {spec['text']['background']}:"] + background if background else [])


def line_text(entry: SummaryLine) -> str:
    words = " ".join(part for part in (entry["text"], cite_text(entry["refs"])) if part)
    return words + (f" — {entry['detail']}" if entry["detail"] else "")


def header_lines(spec: ChecklistSpec, result: ChecklistResult, stamp: str) -> list[str]:
    """Title, date and time, then the count and the context the note was made in."""
    lines = [spec["title"], stamp]
    count, unit = result["count"], result["count_unit"]
    if count is not None:
        typed = f"{format_number(count / unit['factor'])} {unit['display']} = " if unit["factor"] != 1 else ""
        lines.append(f"{spec['text']['count']}: {typed}{format_number(count)} {spec['count']['canonical_unit']}")
    lines.append(" · ".join(_answer_label(q, result["context"][q["id"]]) for q in spec["contexts"]))
    return lines


def summary_text(spec: ChecklistSpec, result: ChecklistResult, stamp: str) -> str:
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
            lines += advice_lines(spec, entry["advice"])
    if cited:
        lines += ["", spec["text"]["references"] + ":"]
        lines += [f"[{label}] {text}" for label, text in spec["references"].items() if label in cited]
    return "\n".join(lines)


def short_text(spec: ChecklistSpec, result: ChecklistResult, stamp: str) -> str:
    """The short note 'Copy note' gives: one line per group, every answer given (negatives too), no references.
    A feature marked absent is named as absent, never as a finding (review 2026-12, M7)."""
    words = spec["text"]["short"]
    names = {i["id"]: i["label"] for i in [*(i for group in GROUPS for i in spec[group]), *spec["flag_items"]]}

    def group_line(heading: str, parts: list[tuple[str, list[str]]], empty: str = words["none"]) -> str:
        given = [f"{label}: {', '.join(ids)}" for label, ids in parts if ids]
        return f"{heading} — " + ("; ".join(given) if given else empty)

    def named(ids: list[str]) -> list[str]:
        return [names[i] for i in ids]

    away = [names[i] + (f" ({words['absent']})" if result["states"][i] == "absent" else "") for i in result["cml_pattern"]]
    consistent = spec["favouring_heading"][:1].lower() + spec["favouring_heading"][1:]
    open_causes = [] if result["causes_collapsed"] else result["causes_open"]
    lines = header_lines(spec, result, stamp)
    lines.append(group_line(words["red_flags"], [(words["present"], named(result["red_flags"] + result["red_flags_other"])),
                                                 (words["absent"], named(result["red_flags_absent"])),
                                                 (words["open"], named(result["red_flags_open"]))]))
    lines.append(group_line(words["causes"], [(words["present"], named(result["causes_present"])),
                                              (words["excluded"], named(result["causes_excluded"])),
                                              (words["not_excluded"], named(open_causes))],
                            words["collapsed"] if result["causes_collapsed"] else words["none"]))
    lines.append(group_line(words["features"], [(words["away"], away),
                                                (consistent, named(result["features_favouring"])),
                                                (words["absent"], named(result["features_absent"])),
                                                (words["open"], named(result["features_open"]))]))
    if result["meets_definition"]:
        opened = f" {spec['text']['reached_open'].format(items=_labels(spec, result['features_open']))}" \
            if result["features_open"] else ""
        lines.append(spec["text"]["reached"] + "." + opened)
    else:
        lines.append(blocked_text(spec, result))
    return "\n".join(lines)

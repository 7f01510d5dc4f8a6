"""The checklist's reference evaluator: reads the answers (as they stand in the page address)
against the spec (spec.py), as the browser's checklist.js does line for line; the YAML cases run in both.

Pure functions only: no MkDocs, no HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

from ... import advice
from ...advice import ShownAdvice
from ...inputs import Fix, Issue, UnitOption, chosen_unit, close, meets, read_measurement
from .spec import ANSWERS, BLOCKERS, GROUPS, ChecklistSpec, Group


class ChecklistResult(TypedDict):
    """What the answers add up to; checklist.js gives the same for the same spec and answers. Lists of
    item ids keep the order the checklist declares."""

    states: dict[str, str]  # item id -> its answer
    context: dict[str, str]  # the reader's answer to each context question
    count: float | None  # in its canonical unit
    count_issue: Issue[Fix] | None
    count_unit: UnitOption
    red_flags: list[str]  # present, and red flags for this context
    red_flags_other: list[str]  # present, but their sources are about other patients
    raised: list[str]  # the red flags the context and the count raise, as in every widget (generator/advice.py)
    red_flags_absent: list[str]
    red_flags_open: list[str]
    causes_present: list[str]
    causes_open: list[str]
    causes_excluded: list[str]
    causes_collapsed: bool  # the patient is not one the causes' sources are about: none is listed as still to exclude
    cml_pattern: list[str]  # features pointing away
    features_favouring: list[str]  # found present, and consistent with a leukemoid reaction
    features_absent: list[str]  # marked absent, and not pointing away: a negative, never a finding
    features_open: list[str]  # not assessed
    recheck: list[str]  # the cause marked excluded that the features argue against
    advice: list[ShownAdvice]
    ignored: list[str]  # items whose answer in the address was not understood
    blockers: list[str]  # what stands in the way of the study's definition (BLOCKERS)
    meets_definition: bool
    at_boundary: bool  # the count sits on the definition's cut-off, where the source is unclear


def read_states(spec: ChecklistSpec, raw: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The answers given (item id -> one of its group's answers), and the items whose answer was not understood."""
    states: dict[str, str] = {}
    ignored: list[str] = []
    for group in GROUPS:
        for item in spec[group]:
            value = raw.get(item["id"], "")
            if value in ANSWERS[group]:
                states[item["id"]] = value
            elif value != "":
                ignored.append(item["id"])
    return states, ignored


def evaluate(spec: ChecklistSpec, raw: Mapping[str, str]) -> ChecklistResult:
    """What the answers add up to. Lists keep the order the checklist declares."""
    states, ignored = read_states(spec, raw)
    reader = advice.read_context(spec["contexts"], raw)
    count, count_issue = read_measurement(spec["count"], raw)

    def marked(group: Group, state: str) -> list[str]:
        return [i["id"] for i in spec[group] if states.get(i["id"], "") == state]

    red = {i["id"]: i for i in spec["red_flags"]}
    present = marked("red_flags", "present")
    counts = {spec["count"]["quantity"]: count} if count is not None and spec["count"]["quantity"] else {}
    raised = advice.raised(spec["context_flags"], reader, counts)
    flags = {f["id"] for f in spec["context_flags"]}

    def counts_here(item_id: str) -> bool:
        """A red flag for this patient: one the context raises as every widget does, or an item of this checklist
        whose sources are about this patient."""
        return item_id in raised if item_id in flags else advice.mode(red[item_id]["contexts"], reader) != "hidden"
    red_flags = [i for i in present if counts_here(i)] + [f for f in raised if f not in red]
    pointing_away = [i["id"] for i in spec["features"] if states.get(i["id"]) == i["points_away_when"]]
    collapsed = advice.mode(spec["causes_contexts"], reader) == "hidden"
    result: ChecklistResult = {
        "states": states,
        "context": reader,
        "count": count,
        "count_issue": count_issue,
        "count_unit": chosen_unit(spec["count"], raw),
        "red_flags": red_flags,
        "red_flags_other": [i for i in present if i not in red_flags],
        "raised": raised,
        "red_flags_absent": marked("red_flags", "absent"),
        "red_flags_open": marked("red_flags", ""),
        "causes_present": marked("causes", "present"),
        "causes_open": marked("causes", ""),
        "causes_excluded": marked("causes", "excluded"),
        "causes_collapsed": collapsed,
        "cml_pattern": pointing_away,
        "features_favouring": [i for i in marked("features", "present") if i not in pointing_away],
        "features_absent": [i for i in marked("features", "absent") if i not in pointing_away],
        "features_open": marked("features", ""),
        "recheck": [spec["bears_on"]] if pointing_away and states.get(spec["bears_on"]) == "excluded"
                   and not collapsed else [],
        "advice": advice.red_flag_advice(spec["context_flags"], raised, reader, counts)
        + [entry for i in present if i not in flags for entry in advice.shown(red[i]["advice"], reader, i, counts)],
        "ignored": ignored,
        "blockers": [], "meets_definition": False, "at_boundary": False,  # each worked out from the rest, below
    }
    result["blockers"] = _blockers(spec, result, reader)
    result["meets_definition"] = not result["blockers"]
    result["at_boundary"] = count is not None and close(count, spec["definition"]["cutoff"]["value"]) \
        and bool(spec["definition"]["cutoff"]["boundary"])
    return result


def _blockers(spec: ChecklistSpec, result: ChecklistResult, reader: Mapping[str, str]) -> list[str]:
    """What stands in the way of the study's definition, in the order BLOCKERS gives. A patient the study's
    population leaves out (a known answer outside its contexts) has that as the only blocker: nothing else
    could bring the classification within reach, and listing it all was clutter (review 2026-12, m24)."""
    if advice.mode(spec["definition"]["contexts"], reader) == "hidden":
        return ["context"]
    cutoff = spec["definition"]["cutoff"]
    count, count_issue = result["count"], result["count_issue"]
    found = {
        "red-flag": bool(result["red_flags"] or result["red_flags_other"]),
        "red-flag-open": bool(result["red_flags_open"]),  # silence is not absence (M6)
        "feature": bool(result["cml_pattern"]),
        "feature-open": bool(unanswered_features(spec, result)),
        "recheck": bool(result["recheck"]),
        "cause-present": bool(result["causes_present"]),
        "cause-open": bool(result["causes_open"]),
        "context": advice.mode(spec["definition"]["contexts"], reader) != "advice",
        "count-error": count_issue is not None and count_issue["level"] == "error",
        "count-missing": count is None and not count_issue,
        "count-below": count is not None and not meets(count, cutoff["comparator"], cutoff["value"]),
        "count-outside": count is not None and any(advice.gate_state(g, {g["quantity"]: count}) == "outside"
                                                   for g in spec["definition"]["reported"]),
    }
    return [b for b in BLOCKERS if found[b]]


def unanswered_features(spec: ChecklistSpec, result: ChecklistResult) -> list[str]:
    """The features the definition needs answered that are not assessed, in the checklist's order."""
    return [i for i in result["features_open"] if i in spec["definition"]["features_answered"]]

"""The checklist's reference evaluator: reads the answers (as they stand in the page address)
against the spec (spec.py), as the browser's checklist.js does line for line; the YAML cases run in both.

Pure functions only: no MkDocs, no HTML.
"""

from __future__ import annotations

from collections.abc import Mapping

from ... import advice
from ...inputs import chosen_unit, close, meets, read_measurement
from .spec import ANSWERS, BLOCKERS, GROUPS


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

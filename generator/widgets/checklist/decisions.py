"""The checklist's part of the decision table (generator/render/decisions.py): what each checklist whose
count is of the probe's quantity shows for that count and the context answers, and nothing else answered,
as its reference evaluator (evaluate.py) and summary (summary.py) give it: never worked out again here.

Pure functions only: no MkDocs, no HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ... import advice
from ...content import Content, computed_once
from ...render.decisions import cells, fact_lines, outside_lines
from ...render.kit import Cell, Line, Probe, in_order
from .evaluate import evaluate
from .spec import ChecklistSpec, checklist_spec
from .summary import blocker_text

# What a result holds that the table does not vary or that restates what was typed: the answers themselves,
# the red flags the context raises (listed among red_flags too), the count read back, and the items and causes left unanswered (every one of them, in every row: the table
# answers only the context questions and the count).
NOT_SHOWN = ("states", "context", "raised", "count", "count_unit", "red_flags_absent", "red_flags_open", "causes_present",
             "causes_open", "causes_excluded", "cml_pattern", "features_favouring", "recheck", "ignored")


@computed_once
def _specs(content: Content) -> dict[str, ChecklistSpec]:
    """Each checklist's spec, made once: the table evaluates each at a hundred-odd rows."""
    return {c.id: checklist_spec(c, content) for c in content.checklists.values()}


def shows(content: Content, probe: Probe, context: Mapping[str, str]) -> list[Cell]:
    """For each checklist whose count is of the probe's quantity: its red flags, what their sources say to do,
    and whether the study's classification is reached or what stands in its way."""
    found: list[Cell] = []
    for checklist in in_order(content.checklists.values()):
        if checklist.count.quantity != probe.quantity:
            continue
        spec = _specs(content)[checklist.id]
        count = spec["count"]
        unit = next((u for u in count["units"] if u["factor"] == 1), count["units"][0])
        raw = {**context, count["id"]: format(Decimal(repr(probe.value / unit["factor"])).normalize(), "f"),
               count["id"] + "_unit": unit["code"]}
        result = evaluate(spec, raw)
        names = {f["id"]: f["label"] for f in spec["context_flags"]} | {i["id"]: i["name"] for i in spec["red_flags"]}
        by_mode = advice.facts_by_mode(result["advice"])
        text = spec["text"]

        def items(value: Any) -> tuple[Line, ...]:
            return tuple(Line(names[i], i) for i in value)

        def advice_lines(mode: advice.Mode):
            if mode == "outside":
                return lambda value: outside_lines(content, result["advice"], by_mode["outside"])
            return lambda value: fact_lines(content, by_mode[mode], conditional=mode == "conditional")

        def blockers(value: Any) -> tuple[Line, ...]:
            return tuple(Line(blocker_text(spec, result, b), b) for b in value)

        def definition(value: Any) -> tuple[Line, ...]:
            return (Line(text["reached"] if value else text["blocked"]),)

        def boundary(value: Any) -> tuple[Line, ...]:
            return (Line(text["at_boundary"].format(note=spec["definition"]["cutoff"]["boundary"])),) if value else ()

        def issue(value: Any) -> tuple[Line, ...]:
            return (Line(spec["input_text"]["messages"][value["code"]], value["code"]),) if value else ()

        shown = {"red_flags": (text["red_flags"], items), "red_flags_other": (text["red_flags_other"], items),
                 "advice": ("What the sources say to do", advice_lines("advice")),
                 "conditional": ("What each source says about its own patients", advice_lines("conditional")),
                 "outside": ("Outside the counts a study reported", advice_lines("outside")),
                 "meets_definition": ("The study's classification", definition),
                 "blockers": ("What stands in the way of the study's classification", blockers),
                 "at_boundary": ("At the study's cut-off", boundary), "count_issue": ("The count entered", issue)}
        # The advice the result lists, by its mode: as instructions, then as what a source says about its patients.
        by_key: dict[str, object] = {}
        for key, value in result.items():
            by_key[key] = value
            if key == "advice":
                by_key["conditional"] = by_key["outside"] = value
        found += cells(checklist.id, checklist.title, by_key, shown, NOT_SHOWN)
    return found

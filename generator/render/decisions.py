"""The decision table, for clinical sign-off: for every combination of answers to the context questions
(each question's options and "not known") and every value a widget is tried at (each band edge of a
calculator's scale and one value inside each band: the widgets' own Probes), what every widget shows,
as each widget's own reference evaluator gives it (Widget.shows). Nothing here decides anything: it
tabulates what the widgets return.

Two forms of the same rows: a CSV (downloads/decision-table.csv on the site, and the copy committed at
review/decision-table.csv, which a test compares with this, so that every change to what a widget
shows is a diff in review), and a page for reviewers that groups, under each value, the contexts that
show the same thing. Pure functions: no MkDocs.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from ..advice import context_questions
from ..content import Content
from ..model import UNKNOWN
from ..quantities import units
from ..advice import ShownAdvice
from ..wording import in_population, outside_reported, plain, quantity_text
from .kit import Cell, Line, PageCitations, PageContext, Probe, Widget, oldest_review, render_page

PAGE = "decision-table.md"
CSV_PATH = "downloads/decision-table.csv"
TITLE = "Decision table"
HELD_BACK = "Not shown for this count:"  # a finding a study's reported counts hold back

# The badge each severity shows: the same icon and word as SEVERITY in docs/assets/refsite.js, which draws the
# widgets' badges (a test reads that file and compares).
BADGES = {"info": ("ℹ\ufe0e", "Note"), "caution": ("▲\ufe0e", "Caution"), "warning": ("⚠\ufe0e", "Warning"),
          "danger": ("‼\ufe0e", "Red flag")}


@dataclass(frozen=True)
class Row:
    """One row: a probe, one combination of context answers, and what every widget shows for them."""

    number: int
    probe: Probe
    context: tuple[tuple[str, str], ...]  # (question id, answer id or "unknown"), in the order asked
    cells: tuple[Cell, ...]


def context_combinations(content: Content) -> list[tuple[tuple[str, str], ...]]:
    """Every combination of answers: each question's options, then "not known", questions in the order asked."""
    questions = context_questions(content)
    return [tuple(zip((q.id for q in questions), answers))
            for answers in itertools.product(*([o.id for o in q.options] + [UNKNOWN] for q in questions))]


def decision_rows(content: Content, widgets: Sequence[Widget]) -> list[Row]:
    """Every probe of every widget, by value within its record, times every context combination."""
    rows: list[Row] = []
    for probe in (p for w in widgets for p in w.probes(content)):
        for context in context_combinations(content):
            raw = {q: a for q, a in context if a != UNKNOWN}  # as the page address gives them: not known left out
            cells = tuple(cell for w in widgets for cell in w.shows(content, probe, raw))
            rows.append(Row(len(rows) + 1, probe, context, cells))
    return rows


# ---------------------------------------------------------------- what widgets call to build their cells


def fact_lines(content: Content, fact_ids: Iterable[str], conditional: bool = False) -> tuple[Line, ...]:
    """Facts as advice lines: each statement with its citations; conditional ones with the words that make
    them what one source says about its population (the same words the widgets show)."""
    lines = []
    for fact_id in fact_ids:
        fact = content.facts[fact_id]
        prefix = in_population(fact.context.population, content.sources[fact.cite[0].source].short_title)
        lines.append(Line(plain(fact.statement), fact_id, prefix if conditional else "",
                          tuple((c.source, c.locator) for c in fact.cite)))
    return tuple(lines)


def outside_lines(content: Content, shown: Iterable[ShownAdvice], held_back: Iterable[str]) -> tuple[Line, ...]:
    """What a widget says where the count lies outside the counts a study reported: that study's line (the
    words the widgets show), then each finding it holds back (`held_back`: the facts whose most direct mode is
    "outside"), never as advice."""
    held = list(held_back)
    gates = dict.fromkeys(g for entry in shown if entry["mode"] == "outside" for g in entry["outside"])
    lines = [Line(outside_reported(content.facts[g], units(content)), g,
                  cites=tuple((c.source, c.locator) for c in content.facts[g].cite)) for g in gates]
    return tuple(lines) + tuple(Line(line.text, line.fact, HELD_BACK, line.cites) for line in fact_lines(content, held)) \
        if held else ()


def cells(record: str, widget: str, result: Mapping[str, object],
          shown: Mapping[str, tuple[str, Callable[[Any], tuple[Line, ...]]]], not_shown: Iterable[str],
          severity: str | None = None) -> list[Cell]:
    """A record's cells from what its evaluator returned: the keys in `shown`, in its order, each as (heading,
    its lines); then any other key the evaluator returns, in its order and shown as its values, so that nothing
    new it gains is missed; a key in `not_shown` (what the reader typed, or answers the table does not vary)
    left out. A key whose lines come out empty gives no cell; `severity` names the key that is a badge."""
    skip = set(not_shown)
    keys = [k for k in shown if k in result] + [k for k in result if k not in shown and k not in skip]
    found: list[Cell] = []
    for place, key in enumerate(keys):
        value = result[key]
        heading, lines_of = shown.get(key, (key.replace("_", " ").capitalize(), _as_lines))
        lines = lines_of(value)
        if lines:
            found.append(Cell(f"{record}.{key}", widget, heading, lines, place,
                              severity=str(value) if key == severity and value else ""))
    return found


def _as_lines(value: object) -> tuple[Line, ...]:
    """Any value as lines: each item of a list, each key of a mapping with its value; nothing for none."""
    if value is None or value is False or value == [] or value == {} or value == "":
        return ()
    if isinstance(value, Mapping):
        return tuple(Line(f"{k}: {v}") for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(Line(str(v)) for v in value)
    return (Line(str(value)),)


# ---------------------------------------------------------------- the CSV


def value_text(probe: Probe, content: Content) -> str:
    """'150 ×10⁹/L', '10 days': the value in its quantity's canonical unit."""
    registry = units(content)
    return quantity_text(probe.value, registry.required_quantity(probe.quantity).canonical_unit, registry)


def line_text(line: Line, content: Content) -> str:
    cites = "; ".join(content.sources[s].label + (f", {loc}" if loc else "") for s, loc in line.cites)
    return " ".join(part for part in (line.prefix, line.text, f"[{cites}]" if cites else "") if part)


def cell_text(cell: Cell, content: Content) -> str:
    if cell.severity:
        return f"{BADGES[cell.severity][1]} ({cell.severity})" if cell.severity in BADGES else cell.severity
    return "\n".join(line_text(line, content) for line in cell.lines)


def columns(rows: Sequence[Row]) -> list[tuple[str, str]]:
    """(key, heading) of every cell any row has: record by record in the order first met, and each record's in
    the order its evaluator gives them (Cell.place)."""
    records: dict[str, int] = {}
    found: dict[str, tuple[int, int, str]] = {}
    for row in rows:
        for cell in row.cells:
            record = records.setdefault(cell.key.split(".")[0], len(records))
            found.setdefault(cell.key, (record, cell.place, f"{cell.widget}: {cell.heading}"))
    return [(key, heading) for key, (_, _, heading) in sorted(found.items(), key=lambda item: item[1][:2])]


def decision_csv(content: Content, rows: Sequence[Row]) -> str:
    """The table as CSV (RFC 4180, UTF-8, LF line ends: the committed copy diffs line by line), one row per
    probe and context combination; a cell of several lines holds one per line."""
    questions = context_questions(content)
    labels = {q.id: ({o.id: o.label for o in q.options} | {UNKNOWN: q.unknown_label}) for q in questions}
    cols = columns(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Row", "Widget", "Value", "Where", "At", *(q.label for q in questions), *(h for _, h in cols)])
    for row in rows:
        by_key = {c.key: c for c in row.cells}
        where = "edge" if row.probe.where == "edge" else "inside band"
        writer.writerow([row.number, row.probe.title, value_text(row.probe, content), where, row.probe.label,
                         *(labels[q][a] for q, a in row.context),
                         *(cell_text(by_key[k], content) if k in by_key else "" for k, _ in cols)])
    return out.getvalue()


# ---------------------------------------------------------------- the page


def render_decision_table(content: Content, env: Environment, page: PageContext, rows: Sequence[Row]) -> str:
    """The page: one section per record tried, one heading per value, and under it what every context
    combination shows there, then each distinct rest with the rows (combinations) that show it."""
    cites = PageCitations(content, page.base)
    questions = context_questions(content)
    labels = {q.id: ({o.id: o.label for o in q.options} | {UNKNOWN: q.unknown_label}) for q in questions}
    names = {q.id: q.label for q in questions}

    def line_view(line: Line) -> dict:
        # Its sources as plain labels, each in the page's references: a popover marker on every line
        # (hundreds of them) would weigh more than all the rest of the page.
        labels = Markup("; ").join(Markup("{}{}").format(cites.label(s), f", {loc}" if loc else "")
                                   for s, loc in line.cites)
        markers = Markup('<span class="decision__cite">[{}]</span>').format(labels) if line.cites else Markup("")
        return {"line": line, "markers": markers}

    def widgets_view(shown: Sequence[Cell]) -> list[dict]:
        """The cells, widget by widget in the order they come."""
        groups: list[dict] = []
        for cell in shown:
            if not groups or groups[-1]["widget"] != cell.widget:
                groups.append({"widget": cell.widget, "cells": []})
            groups[-1]["cells"].append({"cell": cell, "badge": BADGES.get(cell.severity),
                                        "lines": [line_view(line) for line in cell.lines]})
        return groups

    records: dict[str, dict] = {}
    for probe, probe_rows in itertools.groupby(rows, key=lambda r: r.probe):
        outcomes: dict[tuple[Cell, ...], list[Row]] = {}
        for row in probe_rows:
            outcomes.setdefault(row.cells, []).append(row)
        common = shared(list(outcomes)) if len(outcomes) > 1 else ()
        record = records.setdefault(probe.record, {"title": probe.title, "id": probe.record, "probes": []})
        record["probes"].append({
            "probe": probe, "value": value_text(probe, content), "anchor": _anchor(probe),
            "common": widgets_view(common),
            "outcomes": [{"rows": [{"number": r.number, "context": [(names[q], labels[q][a]) for q, a in r.context]}
                                   for r in outcome_rows],
                          "widgets": widgets_view(without(cells, common))}
                         for cells, outcome_rows in outcomes.items()]})
    return render_page(env, "decision_table.md.j2", page, cites, records=list(records.values()),
                       total=len(rows), combinations=len(context_combinations(content)),
                       questions=questions, csv_path=CSV_PATH, review=oldest_review(content))


def shared(outcomes: Sequence[tuple[Cell, ...]]) -> tuple[Cell, ...]:
    """What every one of these outcomes shows: each cell's lines that are in all of them (a badge, if the same)."""
    first, rest = outcomes[0], outcomes[1:]
    found = []
    for cell in first:
        others = [next((c for c in cells if c.key == cell.key), None) for cells in rest]
        if any(o is None or o.severity != cell.severity for o in others):
            continue
        lines = tuple(line for line in cell.lines if all(line in o.lines for o in others if o))
        if lines:
            found.append(Cell(cell.key, cell.widget, cell.heading, lines, cell.place, cell.severity))
    return tuple(found)


def without(cells: Sequence[Cell], common: Sequence[Cell]) -> list[Cell]:
    """The cells less what every outcome shows: a line shown to all is left out, and a cell left with none."""
    shown = {c.key: c for c in common}
    rest = []
    for cell in cells:
        if cell.key not in shown:
            rest.append(cell)
            continue
        lines = tuple(line for line in cell.lines if line not in shown[cell.key].lines)
        if lines:
            rest.append(Cell(cell.key, cell.widget, cell.heading, lines, cell.place, cell.severity))
    return rest


def _anchor(probe: Probe) -> str:
    number = f"{probe.value:.6f}".rstrip("0").rstrip(".").replace(".", "-")
    return f"{probe.record}-{probe.where}-{number}"


def decision_files(content: Content, env: Environment, page: Callable[[str, str], PageContext],
                   widgets: Sequence[Widget]) -> dict[str, str]:
    """The page and its CSV, or nothing when no widget has a value to try (content without a scale)."""
    rows = decision_rows(content, widgets)
    if not rows:
        return {}
    return {PAGE: render_decision_table(content, env, page(PAGE, TITLE), rows), CSV_PATH: decision_csv(content, rows)}


def decision_table(content: Content, widgets: Sequence[Widget]) -> str:
    """The table as CSV, as the committed copy holds it; "" when no widget has a value to try."""
    rows = decision_rows(content, widgets)
    return decision_csv(content, rows) if rows else ""

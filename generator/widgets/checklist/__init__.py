"""The differential-diagnosis checklist: red flags, causes to exclude and telling features, answered
for one patient, with a live summary that reaches a study's definition only when nothing on the
page stands in its way, and a note to copy into the record.

spec.py      the Checklist record as the JSON both evaluators read, and the summary's own words
evaluate.py  the reference evaluator of the answers (checklist.js mirrors it line for line)
summary.py   the summary in words: sections, status, progress, the copied note
decisions.py what it shows for a count and context, for the decision table
cases.py     the YAML test cases compared with a result
validate.py  checks on checklists, the test cases run through the evaluator
render.py    its pages, its part of the home page and quick-reference card, the source uses it adds
templates/   its Jinja templates;  checklist.js  its browser script

Imports the generator's core (content, model, render.kit, validate's shared checks), never
another widget; render.py never imports validate.py.
"""

from __future__ import annotations

from ...render.kit import Widget
from . import decisions, render
from .validate import check_checklists

WIDGET = Widget(name="checklist", kind="checklists", templates=__name__, check=check_checklists,
                paths=render.checklist_paths, pages=render.render_checklists, uses=render.source_uses,
                home=render.home_lines, card=render.quick_reference_card, context_page=render.context_page,
                shows=decisions.shows)

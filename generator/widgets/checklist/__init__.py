"""The differential-diagnosis checklist: red flags, causes to exclude and telling features, answered
for one patient, with a live summary that reaches a study's definition only when nothing on the
page stands in its way, and a note to copy into the record.

spec.py      the Checklist record as the JSON both evaluators read, and the summary's own words
evaluate.py  the reference evaluator of the answers (checklist.js mirrors it line for line)
summary.py   the summary in words: sections, status, progress, the copied note
cases.py     the YAML test cases compared with a result
validate.py  checks on checklists, the test cases run through the evaluator
render.py    its pages, its part of the home page and quick-reference card, the source uses it adds
templates/   its Jinja templates;  checklist.js  its browser script

Imports the generator's core (content, model, render.kit, validate's shared checks), never
another widget; render.py never imports validate.py.
"""

from __future__ import annotations

from importlib import resources

from jinja2 import Environment

from ...content import Content
from ...problems import Problem
from ...render.kit import PageCitations, PageContext, PageMaker, in_order
from . import render
from .validate import check_checklists


class ChecklistWidget:
    name = "checklist"
    kind = "checklists"
    templates = __name__

    def script(self) -> str:
        return resources.files(__name__).joinpath("checklist.js").read_text(encoding="utf-8")

    def check(self, content: Content) -> list[Problem]:
        return check_checklists(content)

    def paths(self, content: Content) -> dict[str, str]:
        return {c.id: render.checklist_path(c) for c in content.checklists.values()}

    def pages(self, content: Content, env: Environment, page: PageMaker) -> dict[str, str]:
        return render.render_checklists(content, env, page)

    def uses(self, content: Content):
        return render.source_uses(content)

    def home(self, content: Content, env: Environment, page: PageContext) -> str:
        return render.home_lines(content, env)

    def card(self, content: Content, env: Environment, page: PageContext, cites: PageCitations) -> str:
        return render.quick_reference_card(content, env, page, cites)

    def context_page(self, content: Content) -> str | None:
        first = next(iter(in_order(content.checklists.values())), None)
        return f"{render.checklist_path(first)}#checklist-context" if first else None


WIDGET = ChecklistWidget()

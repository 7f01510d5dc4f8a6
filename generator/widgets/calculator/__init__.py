"""The threshold calculator: a form for a value (and the patient's context) that says which of the
sources' thresholds it meets, where it falls among bands, and what the sources say to do.

spec.py      the Calculator record as the JSON both evaluators read
evaluate.py  the reference evaluator (calculator.js mirrors it function for function)
cases.py     the YAML test cases, and boundary cases made for every threshold
validate.py  checks on calculators, the test cases run through the evaluator
render.py    its pages, its home-page line and the source uses it adds
templates/   its Jinja templates;  calculator.js  its browser script

Imports the generator's core (content, model, render.kit, validate's shared checks), never
another widget; render.py never imports validate.py.
"""

from __future__ import annotations

from importlib import resources

from jinja2 import Environment

from ...content import Content
from ...problems import Problem
from ...render.kit import PageCitations, PageContext, PageMaker
from . import render
from .validate import check_calculators


class CalculatorWidget:
    name = "calculator"
    kind = "calculators"
    templates = __name__

    def script(self) -> str:
        return resources.files(__name__).joinpath("calculator.js").read_text(encoding="utf-8")

    def check(self, content: Content) -> list[Problem]:
        return check_calculators(content)

    def paths(self, content: Content) -> dict[str, str]:
        return {c.id: render.calculator_path(c) for c in content.calculators.values()}

    def pages(self, content: Content, env: Environment, page: PageMaker) -> dict[str, str]:
        return render.render_calculators(content, env, page)

    def uses(self, content: Content):
        return render.source_uses(content)

    def home(self, content: Content, env: Environment, page: PageContext) -> str:
        return render.home_lines(content, env)

    def card(self, content: Content, env: Environment, page: PageContext, cites: PageCitations) -> str:
        return ""  # a calculator needs a value: nothing for the printed card

    def context_page(self, content: Content) -> str | None:
        return None  # its page asks the context questions only for its own result


WIDGET = CalculatorWidget()

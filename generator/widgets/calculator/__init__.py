"""The threshold calculator: a form for a value (and the patient's context) that says which of the
sources' thresholds it meets, where it falls among bands, and what the sources say to do.

spec.py      the Calculator record as the JSON both evaluators read
evaluate.py  the reference evaluator (calculator.js mirrors it function for function)
decisions.py its part of the decision table: the values its scales are tried at, what it shows
cases.py     the YAML test cases, and boundary cases made for every threshold
validate.py  checks on calculators, the test cases run through the evaluator
render.py    its pages, its home-page line and the source uses it adds
templates/   its Jinja templates;  calculator.js  its browser script

Imports the generator's core (content, model, render.kit, validate's shared checks), never
another widget; render.py never imports validate.py.
"""

from __future__ import annotations

from ...render.kit import Widget
from . import decisions, render
from .validate import check_calculators

WIDGET = Widget(name="calculator", kind="calculators", templates=__name__, check=check_calculators,
                paths=render.calculator_paths, pages=render.render_calculators, uses=render.source_uses,
                home=render.home_lines,  # a calculator needs a value: nothing for the printed card
                probes=decisions.probes, shows=decisions.shows)

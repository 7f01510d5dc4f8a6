"""Render each calculator as a page: the form, an empty result region the
browser fills, a scale picture, and static tables of every definition and
range with citations (so the page is useful without JavaScript).

The page carries its calculator as JSON in an attribute (kit.widget_data says
why): `spec` (what the evaluator reads, from generator.calculators) and `view`
(HTML pieces rendered here through PageCitations, so every citation marker the
browser shows is numbered in this page's reference list).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from ...advice import context_questions
from ...content import Content
from ...inputs import InputSpec, upper_side_includes_value
from ...markup import literal
from ...model import Calculator
from ...quantities import units
from ...render.figures import threshold_ladder
from ...render.kit import (PageCitations, PageContext, PageMaker, Use, fact_messages, fact_pages, fact_view, in_order,
                           oldest_review, outside_message, render_page, site_settings, widget_data)
from ...wording import format_number
from .spec import BandSpec, CalculatorSpec, ScaleSpec, calculator_facts, calculator_spec, spec_advice_groups


# The result's own words (the browser fills {n}, {condition}).
TEXT = {
    "section": "What the sources say for this patient",
    # Only warnings, management and monitoring facts stand under it; descriptive facts go under "background".
    "next": "What the sources say to do for this patient",
    "background": "Background",
    "red_flags": "Red flag",
    "conditional": "Not yet known to apply: what each source says about its own patients",
    "conditional_hint": "Answer the questions about the patient above to see which of these apply.",
    "hidden": "{n} statement(s) about other patients are not shown for this patient's answers above.",
    "checklist": "Work through the checklist with this count and context",
    "checks": "Every definition checked",
}

SCALE_WIDTH = 360  # drawing units of the scale picture (it scales to the page width)
LABEL_CHAR_WIDTH = 6.5  # rough width of one 11-unit label character, to squeeze labels that would overflow


def calculator_path(calc: Calculator) -> str:
    """A calculator's page: top-level, like topic pages, so every relative link the renderers write works."""
    return f"{calc.id}-calculator.md"


def calculator_paths(content: Content) -> dict[str, str]:
    return {calc.id: calculator_path(calc) for calc in content.calculators.values()}


def render_calculators(content: Content, env: Environment, page: PageMaker) -> dict[str, str]:
    """Every calculator page; `page(path, title)` gives each its PageContext."""
    env.filters["markdown_link"] = lambda link: Markup("[{}]({})").format(literal(link[0]), link[1])
    calcs = in_order(content.calculators.values())
    links = [(c.title, calculator_path(c)) for c in calcs]
    return {calculator_path(c): render_calculator(c, content, env, page(calculator_path(c), c.title),
                                                  [link for link in links if link[1] != calculator_path(c)])
            for c in calcs}


def render_calculator(calc: Calculator, content: Content, env: Environment, page: PageContext,
                      others: list[tuple[str, str]]) -> str:
    cites = PageCitations(content, page.base)
    pages = fact_pages(content)
    spec = calculator_spec(calc, content)
    # A template's macros are attributes of its module, which Jinja's types do not declare.
    parts: Any = env.get_template("calculator_parts.html.j2").module

    def check(fact_id: str) -> dict:
        return {"v": fact_view(content.facts[fact_id], content, cites), "md": f"{pages[fact_id]}#{fact_id}",
                "discrepancies": lambda d: page.link(f"discrepancies.md#discrepancy-{d.id}")}

    checks = [check(c.fact) for c in calc.checks]
    scale = _scale_view(spec["inputs"], spec["scale"], check) if spec["scale"] else None
    view = {
        "defines": {c["v"]["fact"].id: c["v"]["fact"].threshold.defines for c in checks},
        "checks": {c["v"]["fact"].id: str(parts.check_line(c)) for c in checks},
        "boundary_notes": {c["v"]["fact"].id: str(parts.boundary_note(c)) for c in checks},
        "bands": {b["id"]: {"label": b["label"], "range": b["range"], "drawn_by": str(parts.drawn_by(b["bounds"]))}
                  for b in (scale["bands"] if scale else [])},
        "messages": _messages(spec, content, cites, pages, env, page),
        "outside": {g["fact"]: outside_message(content.facts[g["fact"]], content, cites, env,
                                               page.link(f"{pages[g['fact']]}#{g['fact']}"))
                    for group in spec_advice_groups(spec) for g in group["count"] if g["comparator"] is None},
        "red_flags": {f["id"]: f["label"] for f in spec["red_flags"]},
        "checklist": _checklist_link(calc, content, page),
        "text": TEXT,
    }
    data = {"spec": spec, "view": view}
    settings = site_settings(content)
    ladder = (threshold_ladder(content, cites, env, title=settings.ladder_title_with_value, figure_id=f"ladder-{calc.id}")
              if _scale_quantity(calc) == settings.ladder_quantity else None)
    registry = units(content)
    # The ladder's unit, from its quantity: a reference on another lab value draws its own (it said ×10⁹/L).
    ladder_unit = registry.display(registry.required_quantity(settings.ladder_quantity).canonical_unit)
    return render_page(env, "calculator.md.j2", page, cites, calc=calc, units={i["id"]: i["units"] for i in spec["inputs"]},
                       questions=context_questions(content), checks=checks, scale=scale, ladder=ladder, others=others,
                       ladder_unit=ladder_unit,
                       data=widget_data(f"calc-data-{calc.id}", data), review=oldest_review(content))


def _checklist_link(calc: Calculator, content: Content, page: PageContext) -> dict | None:
    """The checklist a result links to, carrying what both ask: the context, and the count where the checklist
    asks the same one."""
    checklist = next(iter(in_order(content.checklists.values())), None)
    if checklist is None:
        return None
    carried = [q.id for q in context_questions(content)]
    if any(i.id == checklist.count.id and i.type == checklist.count.type for i in calc.inputs):
        carried += [checklist.count.id, checklist.count.id + "_unit"]
    return {"href": page.link(page.paths["checklists"][checklist.id]), "title": checklist.title, "carry": carried}


def _scale_quantity(calc: Calculator) -> str | None:
    """What the calculator's scale measures (the threshold ladder goes with the ladder's quantity)."""
    if not calc.scale:
        return None
    return next((i.quantity for i in calc.inputs if i.id == calc.scale.input), None)


def _messages(spec: CalculatorSpec, content: Content, cites: PageCitations, pages: dict, env: Environment,
              page: PageContext) -> dict[str, dict[str, str]]:
    """Every fact the result can show, as HTML in both its forms (as advice, and as what its source says about
    its population), in the order a reader meets them."""
    facts = dict.fromkeys(f for group in spec_advice_groups(spec) for f in group["facts"])
    return {f: fact_messages(content.facts[f], content, cites, env, page.link(f"{pages[f]}#{f}")) for f in facts}




def _scale_view(inputs: list[InputSpec], scale: ScaleSpec, check: Callable[[str], dict]) -> dict:
    """Geometry and words for the scale picture and the range table."""
    inp = next(i for i in inputs if i["id"] == scale["input"])
    unit = inp["canonical_unit"]
    width = SCALE_WIDTH / len(scale["bands"])
    bands = []
    for n, b in enumerate(scale["bands"]):
        bounds = [check(bound["fact"]) for bound in (b["lower"], b["upper"]) if bound]
        bands.append({**b, "x": round(n * width, 2), "width": round(width, 2), "range": band_range(b, unit),
                      "bounds": bounds, "squeeze": len(b["short_label"]) * LABEL_CHAR_WIDTH > width - 4})
    ticks = [{"x": round((n + 1) * width, 2), "text": format_number(upper["value"])}
             for n, b in enumerate(scale["bands"][:-1]) if (upper := b["upper"])]  # every band but the last has one
    last_lower = scale["bands"][-1]["lower"]
    assert last_lower is not None, "validation checks that every band but the first has a lower bound"
    return {"width": SCALE_WIDTH, "unit": unit, "bands": bands, "ticks": ticks,
            "max": inp["bounds"].get("warn_above", 2 * last_lower["value"])}


def band_range(band: BandSpec, unit: str | None) -> str:
    """A band's extent in words, with each end's comparator as its fact gives it."""
    lower, upper = band["lower"], band["upper"]
    low = upper_text = ""
    if lower:
        low = ("≥ " if upper_side_includes_value(lower["comparator"]) else "> ") + format_number(lower["value"])
    if upper:
        upper_text = ("< " if upper_side_includes_value(upper["comparator"]) else "≤ ") + format_number(upper["value"])
    return " and ".join(t for t in (low, upper_text) if t) + f" {unit}"


def home_lines(content: Content, env: Environment) -> Markup:
    """The home page's line of links to every calculator."""
    return Markup(env.get_template("calculator_home.md.j2").render(
        calculators=[(c.title, calculator_path(c)) for c in in_order(content.calculators.values())],
        prompt=site_settings(content).calculators_prompt))


GROUP = "Calculators"  # what a source's page calls the calculators resting on it


def source_uses(content: Content) -> Iterator[tuple[Use, str]]:
    """(use, source id) for each calculator resting on a source through its facts."""
    for calc in in_order(content.calculators.values()):
        for fact_id in calculator_facts(calc):
            for cite in content.facts[fact_id].cite:
                yield Use(GROUP, calc.title, calculator_path(calc), cite.locator), cite.source

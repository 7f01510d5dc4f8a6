"""Render each checklist as a page: a live summary region the browser fills, then
every item as a radio group (present / excluded / not yet assessed) with its
criterion, how to assess it, and its facts, citations and sources' appraisals.
Without JavaScript it is a readable, printable list.

The page carries its checklist as JSON in an attribute (kit.widget_data says
why): `spec` (what the evaluator reads, from generator.checklists, numbered as this page numbers its citations, with each cited reference as plain text
for the copied summary) and `view` (citation markers as HTML, rendered here
through PageCitations so they open the same popovers as the rest of the page).
"""

from __future__ import annotations

import html
import re

from collections.abc import Iterator
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from ...advice import context_questions, red_flags_of
from ...content import Content
from ...model import ADVICE_ROLES, Checklist, ChecklistItem, Fact, advice_role
from ...quantities import units
from ...render.kit import (STRENGTH_LABEL, PageCitations, PageContext, PageMaker, Use, compact_markers, editors_line_mark,
                           fact_messages, fact_pages, fact_view, in_order, oldest_review, render_page, widget_data)
from ...wording import in_population, plain, short_threshold
from .evaluate import evaluate
from .spec import (ANSWERS, GROUPS, advice_facts, checklist_items, checklist_spec, flag_facts, item_advice, item_facts,
                   item_name, populations)
from .summary import progress, status, summary


# How each group's answers read on the page, "not yet assessed" last (it is the default).
ANSWER_LABELS = {"present": "Present", "absent": "Absent", "excluded": "Excluded"}
NOT_ASSESSED = {"red_flags": "Not yet assessed", "causes": "Not yet assessed", "features": "Not assessed"}

TAG = re.compile(r"<[^>]+>")


def checklist_path(checklist: Checklist) -> str:
    """A checklist's page: top-level, like topic and calculator pages."""
    return f"{checklist.id}-checklist.md"


def checklist_paths(content: Content) -> dict[str, str]:
    return {checklist.id: checklist_path(checklist) for checklist in content.checklists.values()}


def context_page(content: Content) -> str | None:
    """The first checklist's context questions: where the site asks them with everything they decide."""
    first = next(iter(in_order(content.checklists.values())), None)
    return f"{checklist_path(first)}#checklist-context" if first else None


def render_checklists(content: Content, env: Environment, page: PageMaker) -> dict[str, str]:
    """Every checklist page; `page(path, title)` gives each its PageContext."""
    return {checklist_path(c): render_checklist(c, content, env, page(checklist_path(c), c.title))
            for c in in_order(content.checklists.values())}


def render_checklist(checklist: Checklist, content: Content, env: Environment, page: PageContext) -> str:
    cites = PageCitations(content, page.base)
    pages = fact_pages(content)
    # Views are built in page order, so citation numbers run in the order a reader meets them.
    groups = [{"name": name, "group": getattr(checklist, name),
               "answers": [(a, ANSWER_LABELS[a]) for a in ANSWERS[name]], "not_assessed": NOT_ASSESSED[name],
               "entries": [_item_view(item, content, cites, pages, page) for item in getattr(checklist, name).items]}
              for name in GROUPS]
    definition_facts = [content.facts[f] for f in checklist.definition.facts]
    questions = {q.id: q for q in context_questions(content)}
    definition = {"markers": compact_markers(definition_facts, cites) + editors_line_mark(definition_facts, content),
                  "facts": [_fact_entry(f, content, cites, pages) for f in definition_facts],
                  "contexts": " or ".join(o.label.lower() for q, answers in checklist.definition.contexts.items()
                                          for o in questions[q].options if o.id in answers),
                  "cutoff": short_threshold(content.facts[checklist.definition.count_threshold], units(content)),
                  "noun": units(content).required_quantity(checklist.count.quantity).noun,
                  "answered": _quoted([plain(i.label) for i in checklist.features.items
                                       if i.id in checklist.definition.features_answered])}
    spec = checklist_spec(checklist, content, cites.number)
    markers = {i["item"].id: str(i["compact"]) for g in groups for i in g["entries"]}
    for flag in red_flags_of(content):  # a red flag the context and count raise, where it is not an item here
        facts = flag_facts(flag, content)
        markers.setdefault(flag.id, str(compact_markers(facts, cites) + editors_line_mark(facts, content)))
    view: dict[str, Any] = {"markers": markers, "definition": str(definition["markers"]),
            "messages": {f: fact_messages(content.facts[f], content, cites, env, page.link(f"{pages[f]}#{f}"))
                         for f in advice_facts(checklist, content)}}
    spec["references"] = {r["label"]: plain_reference(r) for r in cites.references()}
    # The summary before any answer, rendered here as the script would render it, so the page
    # does not jump when the script takes over (and reads sensibly without it).
    nothing_yet = evaluate(spec, {})
    initial = {"status": status(spec, nothing_yet), "progress": progress(spec, nothing_yet),
               "sections": [{**section, "lines": [{**line, "markers": Markup(view["markers"][line["item"]] if line["item"]
                                                                          else view["definition"])}
                                                  for line in section["lines"]]}
                            for section in summary(spec, nothing_yet)]}
    asked = [q for q in context_questions(content) if q.id not in {i.id for i in checklist_items(checklist)}]
    return render_page(env, "checklist.md.j2", page, cites, checklist=checklist, groups=groups, definition=definition,
                       questions=asked, units=spec["count"]["units"], initial=initial,
                       data=widget_data(f"checklist-data-{checklist.id}", {"spec": spec, "view": view}), review=oldest_review(content))


def _quoted(labels: list[str]) -> str:
    """'“A”, “B” and “C”': labels that hold commas of their own, named in a sentence."""
    quoted = [f"“{label}”" for label in labels]
    return " and ".join(filter(None, [", ".join(quoted[:-1]), quoted[-1]])) if quoted else ""


def _item_view(item: ChecklistItem, content: Content, cites: PageCitations, pages: dict[str, str],
               page: PageContext) -> dict:
    facts = item_facts(item, content)
    compact = compact_markers(facts, cites) + editors_line_mark(facts, content)  # first: sources numbered before details
    sources = [content.sources[s] for s in dict.fromkeys(c.source for f in facts for c in f.cite)]
    advised = sorted((content.facts[f] for f in dict.fromkeys(f for g in item_advice(item, content) for f in g.facts)),
                     key=lambda fact: ADVICE_ROLES.index(advice_role(fact.kind)))
    return {
        "item": item,
        "name": item_name(item, content),
        "compact": compact,
        "populations": populations(facts),
        "facts": [_fact_entry(f, content, cites, pages) for f in facts],
        # Without the live summary, what the sources say to do reads as what each says about its own patients:
        # warnings first, then management; background facts after, under their own heading.
        "advice": [_fact_entry(f, content, cites, pages) for f in advised if advice_role(f.kind) != "background"],
        "background": [_fact_entry(f, content, cites, pages) for f in advised if advice_role(f.kind) == "background"],
        "sources": sources,
    }


def _fact_entry(fact: Fact, content: Content, cites: PageCitations, pages: dict[str, str]) -> dict:
    source = content.sources[fact.cite[0].source].short_title
    return {"v": fact_view(fact, content, cites), "link": f"{pages[fact.id]}#{fact.id}",
            "if": in_population(fact.context.population, source)}


def plain_reference(entry: dict) -> str:
    """A formatted reference as plain text, with its source's strength, for the copied summary."""
    text = html.unescape(TAG.sub("", str(entry["text"]))).strip()
    appraisal = entry["source"].appraisal
    return f"{text} ({STRENGTH_LABEL[appraisal.strength]}: {appraisal.document_type}.)"


def quick_reference_card(content: Content, env: Environment, page: PageContext, cites: PageCitations) -> Markup:
    """Each checklist on the quick-reference card: its red flags and the causes to exclude, one line each,
    numbered as the card numbers its citations."""
    questions = {q.id: q for q in content.contexts.values()}

    def line(item: ChecklistItem) -> dict:
        # A red flag for every answer to a question reads "any underlying condition": shorter than the list, and
        # the card must stay within two phone screens (the list grew when acute and chronic leukaemia were split).
        answers: list[str] = []
        for q, chosen in (item.contexts or {}).items():
            question = questions[q]
            if all(o.id in chosen for o in question.options):
                answers.append("any " + question.label[:1].lower() + question.label[1:])
            else:
                answers += [o.short or o.label for o in question.options if o.id in chosen]
        facts = item_facts(item, content)
        return {"name": item_name(item, content), "markers": compact_markers(facts, cites) + editors_line_mark(facts, content),
                "populations": populations(facts), "red_flag_for": answers}
    checklists = [{"checklist": c, "link": page.link(checklist_path(c)), "causes": [line(i) for i in c.causes.items],
                   "causes_markers": compact_markers([f for i in c.causes.items for f in item_facts(i, content)], cites),
                   "red_flags": [line(i) for i in c.red_flags.items]}
                  for c in in_order(content.checklists.values())]
    return Markup(env.get_template("checklist_card.md.j2").render(checklists=checklists))


def home_lines(content: Content, env: Environment) -> Markup:
    """The home page's invitation to each checklist."""
    return Markup(env.get_template("checklist_home.md.j2").render(
        checklists=[(c, checklist_path(c)) for c in in_order(content.checklists.values())]))


def source_uses(content: Content) -> Iterator[tuple[Use, str]]:
    """(use, source id) for each checklist item, and each checklist's study definition, resting on a source."""
    for checklist in in_order(content.checklists.values()):
        page = checklist_path(checklist)
        for item in checklist_items(checklist):
            for fact in item_facts(item, content):
                for cite in fact.cite:
                    yield Use(checklist.title, plain(item.label), f"{page}#item-{item.id}", cite.locator), cite.source
        for fact_id in checklist.definition.facts:
            for cite in content.facts[fact_id].cite:
                yield (Use(checklist.title, "The study definition, shown only when the answers earn it",
                           f"{page}#checklist-summary", cite.locator), cite.source)

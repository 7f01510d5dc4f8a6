"""The pages about the whole site: home, the quick-reference card and the editors' choices."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from ..content import Content
from ..model import Fact, Place
from ..quantities import units
from ..wording import in_population, plain, short_threshold
from .figures import ladder_thresholds, threshold_ladder
from .kit import (PageCitations, PageContext, Widget, compact_markers, fact_pages, fact_view, oldest_review, prose, render_page,
                  site_settings, source_page, topic_links)


def red_flags(content: Content) -> list[Fact]:
    return [f for f in content.facts.values() if "red-flag" in f.tags]


def red_flag_views(content: Content, cites: PageCitations) -> list[dict]:
    """Facts tagged red flag, each worded as what its source says about its own patients: pages that list
    them know nothing of the reader's patient, so none may read as an instruction."""
    return [{**fact_view(f, content, cites),
             "if": in_population(f.context.population, content.sources[f.cite[0].source].short_title)}
            for f in red_flags(content)]


def render_home(content: Content, env: Environment, page: PageContext, widgets: Sequence[Widget]) -> str:
    cites = PageCitations(content, page.base)
    ladder = threshold_ladder(content, cites, env)
    tools = Markup("").join(w.home(content, env) for w in widgets)
    return render_page(env, "home.md.j2", page, cites, topics=topic_links(content), pages=fact_pages(content),
                       settings=site_settings(content), tools=tools, ladder=ladder,
                       red_flags=red_flag_views(content, cites), review=oldest_review(content))


def render_quick_reference(content: Content, env: Environment, page: PageContext,
                           widgets: Sequence[Widget]) -> str:
    cites = PageCitations(content, page.base)
    thresholds = [{**fact_view(f, content, cites), "short": short_threshold(f, units(content), unit=False),
                   "compact": compact_markers([f], cites),
                   "who": f.context.population.split(" (")[0]}  # its provenance aside: a card line
                  for f in ladder_thresholds(content)]
    cards = Markup("").join(w.card(content, env, page, cites) for w in widgets)
    on_card = set(cites.order)  # the sources its lines cite (appraisals in the cards cite a few more)
    settings, registry = site_settings(content), units(content)
    unit = registry.display(registry.required_quantity(settings.ladder_quantity).canonical_unit)
    return render_page(env, "quick_reference.md.j2", page, cites, thresholds=thresholds, cards=cards,
                       on_card=on_card, heading=settings.thresholds_heading, unit=unit, review=oldest_review(content))


CHOICE_HEADINGS = {"comparator": "Comparators the sources leave open",
                   "reading": "How a table or a sentence of a source is read", "input-bounds": "Input-sanity bounds",
                   "added-cause": "Causes and items added to a source's list", "severity": "Severities and urgency",
                   "population": "Whom a source's statement is taken to cover", "definition": "Definitions and their provenance",
                   "appraisal": "How much weight each source bears", "wording": "Wording that interprets",
                   "dose": "Doses withheld"}


def render_editors_choices(content: Content, env: Environment, page: PageContext, context_page: str | None,
                           decision_page: str | None = None) -> str:
    """Every place the site interprets rather than reports, with its reason and where it shows up;
    a context question links to context_page, where the questions are asked with all they decide, and the
    page points to the decision table (decision_page), where there is one."""
    cites = PageCitations(content, page.base)
    pages = fact_pages(content)
    questions = {q.id: q.label for q in content.contexts.values()}

    def link(place: Place) -> dict[str, str]:
        if place.kind == "facts":
            fact = content.facts[place.id]
            return {"label": plain(fact.statement)[:90].rsplit(" ", 1)[0] + "…" if len(plain(fact.statement)) > 90
                    else plain(fact.statement), "target": f"{pages.get(place.id, 'index.md')}#{place.id}"}
        if place.kind == "sources":
            return {"label": content.sources[place.id].short_title, "target": source_page(content.sources[place.id])}
        if place.kind == "glossary":
            entry = content.glossary[place.id]
            return {"label": f"the glossary's “{entry.term}”", "target": f"{entry.topic}.md" if entry.topic else "index.md"}
        if place.kind == "contexts":
            return {"label": f"the question “{questions[place.id]}”", "target": context_page or "index.md"}
        # a topic, or a widget's record (a calculator, a checklist): its own page; each kind has a title
        record = content.records[place.kind][place.id]
        return {"label": getattr(record, "title"), "target": page.paths[place.kind][place.id]}

    entries: list[dict[str, Any]] = [{"choice": c, "text": prose(c.choice, cites), "reason": prose(c.reason, cites),
                "where": [link(p) for p in c.where]} for c in content.choices.values()]
    groups = [{"about": about, "heading": heading, "entries": [e for e in entries if e["choice"].about == about]}
              for about, heading in CHOICE_HEADINGS.items()]
    return render_page(env, "editors_choices.md.j2", page, cites, groups=[g for g in groups if g["entries"]],
                       entries=entries, waiting=sum(1 for c in content.choices.values() if not c.signed_off_by),
                       decision_page=decision_page,
                       review=oldest_review(content))

"""Topic pages: each section's prose, figures and facts, with weak evidence said once per section."""

from __future__ import annotations

import re
from typing import Any

from jinja2 import Environment

from ..content import Content
from ..model import Topic
from ..wording import plain
from .figures import render_figure
from .kit import PageCitations, PageContext, fact_view, prose, render_page
from .search import glossary_by_topic, search_terms, threshold_search_terms


def render_topic(topic: Topic, content: Content, env: Environment, page: PageContext) -> str:
    cites = PageCitations(content, page.base)
    summary = prose(topic.summary, cites)
    sections: list[dict[str, Any]] = [
        {"section": s, "id": section_id(s.heading), "intro": prose(s.intro, cites) if s.intro else None,
         "figures": [render_figure(f, f"figure-{i + 1}-{j + 1}", content, cites, env) for j, f in enumerate(s.figures)],
         "facts": [fact_view(content.facts[f], content, cites) for f in s.facts]}
        for i, s in enumerate(topic.sections)]
    for section in sections:  # weak evidence said once per section, not once per fact
        section["weak"] = sum(1 for v in section["facts"] if v["only_weak"])
    return render_page(env, "topic.md.j2", page, cites, topic=topic, summary=summary, sections=sections,
                       review=topic.review, search_terms=search_terms(topic, content),
                       glossary=glossary_by_topic(content).get(topic.id, []),
                       search_numbers=threshold_search_terms(topic, content))


def section_id(heading: str) -> str:
    """A section's anchor, from its heading: 'A diagnosis of exclusion' -> 'a-diagnosis-of-exclusion'."""
    return re.sub(r"[^a-z0-9]+", "-", plain(heading).lower()).strip("-") or "section"

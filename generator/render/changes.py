"""Dates and the changes page: when each page's content last changed, from version history
where there is one, and every content change listed with the thresholds it moved."""

from __future__ import annotations

import datetime as dt

from jinja2 import Environment

from ..citations import inline_citations
from ..content import Content
from ..history import History
from ..model import Topic
from ..quantities import units
from ..wording import format_number
from .kit import fact_pages, topic_links
from .search import glossary_by_topic


def content_dates(content: Content) -> dict[str, dt.date]:
    """When each topic page's content last changed, as far as content says: its
    review date. Other pages draw on everything, so they take the newest."""
    return {f"{t.id}.md": t.review.last_reviewed for t in content.topics.values()}


def topic_files(topic: Topic, content: Content) -> set[str]:
    """The content files a topic page rests on: its own, its facts' and their sources', and
    the glossary entries that give it search terms."""
    facts = [content.facts[f] for section in topic.sections for f in section.facts]
    sources = {c.source for fact in facts for c in fact.cite}
    sources |= {key for fact in facts for key, _ in inline_citations(fact.statement)}
    sources |= {key for key, _ in inline_citations(topic.summary)}
    glossary = {content.origin_file(entry) for entry in glossary_by_topic(content).get(topic.id, [])}  # search terms
    return ({content.origin_file(topic)} | {content.origin_file(fact) for fact in facts} | glossary
            | {content.origin_file(content.sources[s]) for s in sources if s in content.sources})


def history_dates(content: Content, history: History) -> dict[str, dt.date]:
    """Each topic page's date of last content change, from the files it rests on."""
    dates = {f"{t.id}.md": history.last_changed(topic_files(t, content)) for t in content.topics.values()}
    return {page: date for page, date in dates.items() if date}


def history_footer(path: str, date: dt.date | None, history: History) -> str:
    shown = date.isoformat() if date else "unknown"
    how = "" if history.from_git else " (file dates: no version history in this copy)"
    base = "../" * path.count("/")
    return (f'\n<p class="page-history" markdown>Content last changed {shown}{how} · '
            f"[All content changes]({base}changes.md)</p>\n")


def pages_for_files(content: Content, files: list[str]) -> list[tuple[str, str]]:
    """The pages a change to these content files shows up on, as (title, path)."""
    changed = set(files)
    pages = [(t.title, f"{t.id}.md") for t in topic_links(content) if topic_files(t, content) & changed]
    if any(f.split("/")[-2] == "sources" for f in changed if "/" in f):
        pages.append(("References", "sources.md"))
    return pages


def _as_written(threshold: tuple | None, content: Content) -> str | None:
    """A threshold from a past version of a facts file, as readers read one: '> 50 ×10⁹/L'."""
    if threshold is None:
        return None
    comparator, value, unit = threshold
    shown = format_number(value) if isinstance(value, (int, float)) else str(value)
    return f"{comparator} {shown} {units(content).display(unit)}".strip()


def _threshold_name(fact_id: str, content: Content) -> str:
    """What a changed threshold defines, or its fact's id where the fact (or its threshold) is gone."""
    fact = content.facts.get(fact_id)
    return fact.threshold.defines if fact and fact.threshold else fact_id


def render_changes(content: Content, history: History, env: Environment) -> str:
    where = fact_pages(content)
    days: dict = {}
    for change in history.changes:
        thresholds = [{"fact_id": t.fact_id, "before": _as_written(t.before, content), "after": _as_written(t.after, content),
                       "page": where.get(t.fact_id),
                       "name": _threshold_name(t.fact_id, content)}
                      for t in change.thresholds]
        days.setdefault(change.date, []).append({"subject": change.subject, "commit": change.commit,
                                                 "thresholds": thresholds,
                                                 "pages": pages_for_files(content, change.files)})
    return env.get_template("changes.md.j2").render(
        days=[{"date": d.isoformat(), "changes": c} for d, c in days.items()],
        from_git=history.from_git, shallow=history.shallow)

"""Dates and the changes page: when each page's content last changed, from version history
where there is one, and every content change listed in a reader's words: the thresholds it
moved, and per kind of content the records it added, removed or changed (and what about them).
Commit messages are engineers' notes and never appear."""

from __future__ import annotations

import datetime as dt

from jinja2 import Environment

from ..citations import inline_citations
from ..content import Content
from ..history import History, RecordChange
from ..model import Topic
from ..quantities import units
from ..wording import format_number
from .kit import fact_pages, source_page, topic_links
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


def _same_cut_off(fact_id: str, before: tuple | None, after: tuple | None, content: Content) -> bool:
    """Whether a threshold only changed the unit it is written in: the same comparator and, in the quantity's
    canonical unit, the same value (false whenever that cannot be worked out)."""
    fact = content.facts.get(fact_id)
    if not (fact and fact.threshold and before and after) or before[0] != after[0]:
        return False
    registry, quantity = units(content), fact.threshold.quantity
    try:
        old, new = (registry.to_canonical(quantity, float(t[1]), t[2]) for t in (before, after))
    except (KeyError, TypeError, ValueError):
        return False
    return abs(old - new) <= 1e-9 * max(abs(old), abs(new), 1)


def _threshold_name(fact_id: str, content: Content) -> str:
    """What a changed threshold defines, or its fact's id where the fact (or its threshold) is gone."""
    fact = content.facts.get(fact_id)
    return fact.threshold.defines if fact and fact.threshold else fact_id


# Each kind of content as the changes page names it, in the order it lists them.
KIND_WORDS = {"facts": "Statements", "topics": "Topic pages", "calculators": "Calculators", "checklists": "Checklists",
              "sources": "References", "choices": "Editors' choices", "glossary": "Glossary",
              "contexts": "Questions about the patient", "quantities": "Quantities and units", "site": "Site settings"}

# A changed field as a reader would say it; any other field by its name.
FIELD_WORDS = {"statement": "reworded", "summary": "summary reworded", "threshold": "threshold",
               "measure": "numbers", "cite": "citations", "context": "population or setting",
               "discrepancies": "source discrepancies", "tags": "tags", "dose": "dose", "kind": "kind of statement",
               "appraisal": "appraisal", "editors_addition": "why the editors added it", "unconfirmed": "what is unconfirmed",
               "choice": "the choice", "reason": "its reason", "where": "where it applies", "sections": "sections",
               "review": "review", "definition": "definition", "synonyms": "synonyms", "cases": "test cases",
               "scale": "ranges", "checks": "definitions checked", "inputs": "inputs", "flags": "flags",
               "red_flags": "red flags", "causes": "causes", "features": "features", "words": "wording",
               "options": "answers", "label": "label", "title": "title"}


def _record_line(change: RecordChange, content: Content, where: dict[str, str]) -> dict:
    """One changed record: its name (a link where it still has a page), how, and what changed."""
    name, page = change.record_id, None
    if change.kind == "facts" and change.record_id in where:
        page = f"{where[change.record_id]}#{change.record_id}"
    elif change.kind == "sources" and change.record_id in content.sources:
        name, page = content.sources[change.record_id].short_title, source_page(content.sources[change.record_id])
    elif change.kind == "topics" and change.record_id in content.topics:
        name, page = content.topics[change.record_id].title, f"{change.record_id}.md"
    elif change.kind == "choices" and change.record_id in content.records.get("choices", {}):
        page = f"editors-choices.md#choice-{change.record_id}"
    elif change.kind == "calculators" and change.record_id in content.calculators:
        name = content.calculators[change.record_id].title
    elif change.kind == "checklists" and change.record_id in content.checklists:
        name = content.checklists[change.record_id].title
    elif change.kind == "glossary" and change.record_id in content.glossary:
        name = content.glossary[change.record_id].term
    what = ", ".join(FIELD_WORDS.get(f, f.replace("_", " ")) for f in change.fields if f != "id")
    return {"name": name, "page": page, "how": change.how, "what": what}


def _by_kind(records: list[RecordChange], content: Content) -> list[dict]:
    where = fact_pages(content)
    order = list(KIND_WORDS)
    kinds = sorted({r.kind for r in records}, key=lambda k: (order.index(k) if k in order else len(order), k))
    return [{"kind": KIND_WORDS.get(kind, kind.capitalize()),
             "lines": [_record_line(r, content, where)
                       for r in sorted((r for r in records if r.kind == kind),
                                       key=lambda r: (("added", "changed", "removed").index(r.how), r.record_id))]}
            for kind in kinds]


def render_changes(content: Content, history: History, env: Environment) -> str:
    where = fact_pages(content)
    days: dict = {}
    for change in history.changes:
        if not change.records:  # only comments or layout: nothing a reader sees changed
            continue
        thresholds = [{"fact_id": t.fact_id, "before": _as_written(t.before, content),
                       "after": (_as_written(t.after, content) or "")
                       + (" (the same cut-off, written in another unit)" if _same_cut_off(t.fact_id, t.before, t.after, content)
                          else ""),
                       "page": where.get(t.fact_id), "name": _threshold_name(t.fact_id, content)}
                      for t in change.thresholds]
        days.setdefault(change.date, []).append({"commit": change.commit, "thresholds": thresholds,
                                                 "kinds": _by_kind(change.records, content),
                                                 "pages": pages_for_files(content, change.files)})
    return env.get_template("changes.md.j2").render(
        days=[{"date": d.isoformat(), "changes": c} for d, c in days.items()],
        from_git=history.from_git, shallow=history.shallow)

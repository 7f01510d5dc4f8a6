"""The References page, a page per source with everything on the site that rests on it (the
reverse index, widgets' uses included), and the source-discrepancies page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from jinja2 import Environment
from markupsafe import Markup

from ..citations import INLINE_CITATION, format_references, prose_citations, reference_html
from ..content import Content
from ..model import Fact, Source, Topic
from ..wording import plain
from .kit import (PageCitations, PageContext, Use, fact_pages, oldest_review, prose, render_page, site_settings,
                  source_page, topic_links)


DISCREPANCIES = "Source discrepancies"


APPRAISALS = "Appraisals of other sources"


def source_uses(content: Content, widget_uses: Iterable[tuple[Use, str]] = ()) -> dict[str, list[Use]]:
    """The reverse index: for each source, everything on the site that cites it; widget_uses gives
    (use, source id) for what the widgets' pages rest on, in the order their groups are listed."""
    pages = fact_pages(content)
    titles = {f"{t.id}.md": t.title for t in topic_links(content)}
    uses: dict[str, list[Use]] = {s: [] for s in content.sources}
    for fact in content.facts.values():
        page = pages.get(fact.id, "index.md")
        for cite in fact.cite:
            uses[cite.source].append(Use(titles.get(page, "Home"), plain(fact.statement), f"{page}#{fact.id}",
                                         cite.locator))
        for d in fact.discrepancies:
            uses[fact.cite[0].source].append(Use(DISCREPANCIES, plain(d.summary), f"discrepancies.md#discrepancy-{d.id}"))
    for record, _path, key, locator in prose_citations(content):
        uses[key].append(_prose_use(record, locator, pages, titles))
    groups = list(titles.values())
    for use, source in widget_uses:
        uses[source].append(use)
        groups.append(use.group)
    rank = {group: i for i, group in enumerate(dict.fromkeys(groups + [DISCREPANCIES, APPRAISALS]))}
    return {s: sorted(dict.fromkeys(u), key=lambda use: rank.get(use.group, len(rank))) for s, u in uses.items()}


def _prose_use(record, locator: str, pages: dict[str, str], titles: dict[str, str]) -> Use:
    if isinstance(record, Fact):
        page = pages.get(record.id, "index.md")
        return Use(titles.get(page, "Home"), plain(record.statement), f"{page}#{record.id}", locator)
    if isinstance(record, Topic):
        return Use(record.title, f"{record.title} (page text)", f"{record.id}.md", locator)
    if isinstance(record, Source):
        return Use(APPRAISALS, record.short_title, source_page(record), locator)
    return Use(type(record).__name__, getattr(record, "id", ""), "", locator)


def render_sources(content: Content, env: Environment, page: PageContext, uses: Mapping[str, list[Use]]) -> str:
    """The References page: every source, numbered, with its appraisal, how much rests on it, and the downloads."""
    cites = PageCitations(content, page.base)
    sources = list(content.sources.values())
    entries = [{"source": s, "text": Markup(t), "uses": len(uses[s.id]), "summary": prose(s.appraisal.summary, cites)}
               for s, t in zip(sources, format_references(sources))]
    return render_page(env, "sources.md.j2", page, cites, entries=entries, review=oldest_review(content),
                       download_name=site_settings(content).id)


def render_source_page(source: Source, content: Content, env: Environment, page: PageContext,
                       uses: list[Use]) -> str:
    cites = PageCitations(content, page.base)
    groups: dict[str, list[Use]] = {}
    for use in uses:
        groups.setdefault(use.group, []).append(use)
    return render_page(env, "source.md.j2", page, cites, source=source, text=Markup(reference_html(source)),
                       summary=prose(source.appraisal.summary, cites),
                       problems=[prose(p, cites) for p in source.appraisal.problems],
                       cited_by=[content.sources[o] for o in source.cited_by],
                       cites_sources=[s for s in content.sources.values() if source.id in s.cited_by],
                       groups=groups, review=oldest_review(content))


def render_discrepancies(content: Content, env: Environment, page: PageContext) -> str:
    cites = PageCitations(content, page.base)
    pages = fact_pages(content)
    entries = [{"fact": f, "d": d, "summary": prose(d.summary, cites),
                "cited": bool(INLINE_CITATION.search(d.summary)), "source": content.sources[f.cite[0].source]}
               for f in content.facts.values() for d in f.discrepancies]
    return render_page(env, "discrepancies.md.j2", page, cites, entries=entries, pages=pages,
                       review=oldest_review(content))

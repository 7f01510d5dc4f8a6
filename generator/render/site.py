"""render_site: every generated page and download of the site, widgets' pages included."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from ..content import Content
from ..exports import export_files
from ..history import History
from ..links import template_functions
from .changes import content_dates, history_dates, history_footer, render_changes
from .decisions import PAGE as DECISION_PAGE
from .decisions import decision_files
from .kit import PageContext, Site, Widget, environment, site_settings, source_page
from .site_pages import render_editors_choices, render_home, render_quick_reference
from .sources import DISCREPANCIES, render_discrepancies, render_source_page, render_sources, source_uses
from .topics import render_topic


def render_site(content: Content, site: Site | None = None, changed: Mapping[str, dt.date] | None = None,
                history: History | None = None, widgets: Sequence[Widget] = ()) -> dict[str, str]:
    """Every generated page and file (downloads, the widgets' scripts), keyed by its path under docs/.
    `changed` may give any page's date of last content change; with the content's version history,
    dates come from it, every page says when its content last changed, and a changes page lists
    every change. Otherwise content's review dates are used. `widgets` (generator.widgets.WIDGETS,
    from the pipeline) add their pages and their parts of the shared ones."""
    env = environment([w.templates for w in widgets])
    site = site or Site()
    env.globals.update(template_functions(content, site.repository))
    env.globals["EDITORS_TAG"] = site_settings(content).editors_tag
    dates = {**content_dates(content), **(history_dates(content, history) if history else {}), **(changed or {})}
    newest = (history.last_changed(content.documents) if history else None) or max(dates.values(), default=dt.date.today())
    paths = record_pages(content, widgets)

    def page(path: str, title: str) -> PageContext:
        return PageContext(path, title, site, dates.get(path, newest), paths)

    uses = source_uses(content, [use for w in widgets for use in w.uses(content)])
    context_page = next((p for w in widgets if (p := w.context_page(content))), None)
    decisions = decision_files(content, env, page, widgets)
    pages = {"index.md": render_home(content, env, page("index.md", site_settings(content).title), widgets),
             "sources.md": render_sources(content, env, page("sources.md", "References"), uses),
             "discrepancies.md": render_discrepancies(content, env, page("discrepancies.md", DISCREPANCIES)),
             "quick-reference.md": render_quick_reference(content, env, page("quick-reference.md", "Quick-reference card"),
                                                          widgets),
             "editors-choices.md": render_editors_choices(content, env, page("editors-choices.md", "Editors' choices"),
                                                          context_page, DECISION_PAGE if decisions else None)}
    for topic in content.topics.values():
        path = f"{topic.id}.md"
        pages[path] = render_topic(topic, content, env, page(path, topic.title))
    for source in content.sources.values():
        path = source_page(source)
        pages[path] = render_source_page(source, content, env, page(path, source.short_title), uses[source.id])
    for widget in widgets:
        pages.update(widget.pages(content, env, page))
        pages[f"assets/widgets/{widget.name}.js"] = widget.script()
    pages.update(decisions)
    if history is not None:
        pages["changes.md"] = render_changes(content, history, env)
        for path in [p for p in pages if p.endswith(".md")]:
            pages[path] += history_footer(path, dates.get(path, newest), history)
    pages.update(export_files(content))
    return pages


# The pages render_site writes whatever the records are (changes.md: with history; the decision table: with a
# widget to try): a record whose page had one of these paths would replace it.
SITE_PAGES = ("index.md", "sources.md", "discrepancies.md", "quick-reference.md", "editors-choices.md", "changes.md",
              DECISION_PAGE)


def record_pages(content: Content, widgets: Sequence[Widget]) -> dict[str, dict[str, str]]:
    """Each record's page by content kind and id: topics, sources and every widget's records."""
    return {"topics": {t.id: f"{t.id}.md" for t in content.topics.values()},
            "sources": {s.id: source_page(s) for s in content.sources.values()},
            **{w.kind: w.paths(content) for w in widgets}}

"""Render: the checked content as Markdown pages, through Jinja2 templates.

Pure functions: Content in, {page path: Markdown text} out. Every string that comes from
content is escaped for HTML and Markdown alike (generator/markup.py), and prose fields get
only an allow-listed Markdown subset; the only markup that reaches a page is built here, in
the templates, or in a widget's render module through kit.py.

kit.py           what every renderer shares: Site, PageContext, PageCitations, the Jinja
                 environment, a fact as templates show it, the Widget interface
site.py          render_site: every page, widgets' included
topics.py        topic pages;  figures.py + figure_layout.py  the threshold ladder, count bars
sources.py       the references, a page per source, the discrepancies page
site_pages.py    home, quick-reference card, editors' choices
decisions.py     the decision table: what every widget shows for every context and value, page and CSV
search.py        what search finds a page by;  finish.py  what every page gets at its end
changes.py       dates and the changes page
templates/       the shared templates (each widget has its own)

Never imports validation (the content is already checked), a widget (the pipeline passes
them in), MkDocs or site_plugins.
"""

from __future__ import annotations

from .decisions import decision_table
from .finish import abbreviation_definitions, finished_page, report_url, with_definitions
from .kit import Site
from .site import SITE_PAGES, record_pages, render_site

__all__ = ["SITE_PAGES", "Site", "abbreviation_definitions", "decision_table", "finished_page", "record_pages", "render_site", "report_url", "with_definitions"]

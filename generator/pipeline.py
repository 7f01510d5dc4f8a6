"""The whole flow in one place: content → model → validation → rendered pages.

check() loads and validates; checked_content() gives content with no problems, which renders
any number of times (the site, its offline variant, Markdown for another engine).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path

from .content import Content, load_content
from .history import History, read_history
from .markdown_out import markdown_files
from .problems import ContentError, Problem
from .render import SITE_PAGES, Site, abbreviation_definitions, decision_table, record_pages, render_site
from .validate import check_page_paths, check_site_links, validate
from .widgets import WIDGETS


def check(content_dir: Path) -> tuple[Content, list[Problem]]:
    """Load and validate everything; every problem found, in file order."""
    with cycle_collector_paused():
        content, problems = load_content(content_dir)
        return content, checked(content, problems, _taken_pages(content_dir.parent / "docs"))


def checked(content: Content, loading: list[Problem], taken: Mapping[str, str] | None = None) -> list[Problem]:
    """Every problem in loaded content, given the problems found loading it, in file order. `taken`: the pages no
    record's page may replace (by default, those the site always generates)."""
    problems = list(loading)
    if content.documents:  # a missing or empty folder is one problem, not one per missing record
        pages = functools.partial(_check_pages, taken=_taken_pages(None) if taken is None else taken)
        problems += validate(content, [*(widget.check for widget in WIDGETS), pages])
    return sorted(set(problems))


def _check_pages(content: Content, taken: Mapping[str, str]) -> list[Problem]:
    """Every record's page has an address of its own, and every link in content finds a page."""
    pages = record_pages(content, WIDGETS)
    known = {path for paths in pages.values() for path in paths.values()} | set(taken)
    return check_page_paths(content, pages, taken) + check_site_links(content, known)


def _taken_pages(docs: Path | None) -> dict[str, str]:
    """The pages no record's page may replace: those the site always generates, and the hand-written pages
    in docs/ beside the content folder (where `make build` and `refsite build` take them from), if any."""
    taken = {path: "a page the site generates" for path in SITE_PAGES}
    if docs is not None and docs.is_dir():
        taken |= {path.relative_to(docs).as_posix(): f"the hand-written page docs/{path.relative_to(docs).as_posix()}"
                  for path in docs.rglob("*.md")}
    return taken


@dataclasses.dataclass(frozen=True)
class CheckedContent:
    """Content that passed every check, with its version history: what the site is rendered from."""

    content: Content
    history: History | None = None

    def pages(self, site: Site | None = None, changed: Mapping[str, dt.date] | None = None) -> dict[str, str]:
        """Every generated page and download by its path under docs/, the widgets' included."""
        with cycle_collector_paused():
            return render_site(self.content, site, changed, self.history, WIDGETS)

    def decision_table(self) -> str:
        """The decision table as CSV: what every widget shows for every context and value (the site's
        downloads/decision-table.csv, and the copy committed for review); "" when there is nothing to try."""
        with cycle_collector_paused():
            return decision_table(self.content, WIDGETS)

    def definitions(self) -> list[tuple[str, str]]:
        """The glossary's abbreviations and what each stands for, for every page's tooltips."""
        return abbreviation_definitions(self.content)

    def markdown(self, docs: list[Path], site: Site | None = None) -> dict[str, bytes]:
        """The whole site as plain Markdown for any engine, by path: the hand-written folders, the
        rendered pages and downloads, with what the MkDocs plugin adds to each page."""
        return markdown_files(self.pages(site), docs, self.definitions(), site or Site())


def checked_content(content_dir: Path, with_history: bool = True) -> CheckedContent:
    """The content under content_dir, checked; raises ContentError listing every problem.
    with_history: read the folder's version history (git), for dates and the changes page."""
    content, problems = check(content_dir)
    if problems:
        raise ContentError(problems, len(content.documents))
    return CheckedContent(content, read_history(content_dir) if with_history else None)


@contextmanager
def cycle_collector_paused():
    """Loading and rendering build many small objects that stay alive, and next to no garbage
    cycles. Python's cycle collector would walk them all again dozens of times as they
    accumulate: two thirds of `refsite check` and a seventh of rendering on large content
    (benchmarks/RESULTS.md). Plain reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # What was made here counts as long-lived, as if it had survived the collections
            # it skipped: enabling alone would walk all of it at once (half a second at 100×).
            gc.freeze()
            gc.unfreeze()
            gc.enable()

"""The whole flow in one place: content → model → validation → rendered pages."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path

from .content import Content, load_content
from .history import History
from .markdown_out import markdown_files
from .problems import ContentError, Problem
from .render import Site, abbreviation_definitions, render_site
from .validate import validate


def check(content_dir: Path) -> tuple[Content, list[Problem]]:
    """Load and validate everything; every problem found, in file order."""
    with cycle_collector_paused():
        content, problems = load_content(content_dir)
        problems += validate(content)
    return content, sorted(set(problems))


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


def build_pages(content_dir: Path, site: Site | None = None, history: History | None = None) -> dict[str, str]:
    """Rendered Markdown pages and downloadable files by path; raises ContentError
    listing every problem."""
    content, problems = check(content_dir)
    if problems:
        raise ContentError(problems, len(content.documents))
    with cycle_collector_paused():
        return render_site(content, site, history=history)


def build_markdown(content_dir: Path, docs: list[Path], site: Site | None = None,
                   history: History | None = None) -> dict[str, bytes]:
    """The whole site as plain Markdown for any engine, by path: the hand-written folders and
    the rendered pages and downloads, with what the MkDocs plugin adds to each page. Raises
    ContentError listing every problem."""
    content, problems = check(content_dir)
    if problems:
        raise ContentError(problems, len(content.documents))
    with cycle_collector_paused():
        pages = render_site(content, site, history=history)
    return markdown_files(pages, docs, abbreviation_definitions(content), site or Site())

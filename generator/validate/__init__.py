"""Validate: every check on loaded content, so a contributor sees every problem in one run,
each at its file and line.

records.py    references resolve, units are known, arithmetic adds up, prose is safe
editorial.py  what an editor would catch: guessed reference fields, provenance in the wrong place,
              shares that do not add up
advice.py     the patient's context questions, and advice whose facts' populations fit where it shows
inputs.py     one widget input: its quantity, units and sanity bounds (the widgets' checks use it)

Each widget checks its own records (its validate.py); the pipeline passes those checks in. Never
imports rendering, a widget, MkDocs or site_plugins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..content import Content
from ..problems import Problem
from .advice import check_contexts
from .editorial import check_editorial
from .records import CHECKS, check_page_paths, check_site_links


def validate(content: Content, widget_checks: Iterable[Callable[[Content], list[Problem]]] = ()) -> list[Problem]:
    """Every problem in content: the core checks, then each widget's."""
    problems: list[Problem] = []
    for check in [*CHECKS, check_editorial, check_contexts, *widget_checks]:
        problems += check(content)
    return problems


__all__ = ["check_page_paths", "check_site_links", "validate"]

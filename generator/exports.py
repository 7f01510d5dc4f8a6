"""All sources as downloadable files: CSL-JSON, BibTeX and RIS.

The writers are small and hand-written on purpose: the tests read each file
back with an independent, real parser (jsonschema with the CSL-JSON schema,
bibtexparser, rispy), which a shared library could not check.
"""

from __future__ import annotations

import json
import re

from .citations import caveat_note, caveats, csl_json, shown_title
from .content import Content
from .model import Name, Source

DOWNLOADS = {
    "csl-json": "downloads/references.json",
    "bibtex": "downloads/references.bib",
    "ris": "downloads/references.ris",
}
ET_AL = "et al."

BIBTEX_TYPE = {"article-journal": "article", "report": "techreport", "book": "book", "chapter": "incollection"}
RIS_TYPE = {"article-journal": "JOUR", "post-weblog": "BLOG", "webpage": "ELEC", "report": "RPRT",
            "book": "BOOK", "chapter": "CHAP"}


def export_files(content: Content) -> dict[str, str]:
    """Each export's text, keyed by its path in the site."""
    sources = list(content.sources.values())
    return {DOWNLOADS["csl-json"]: csl_json_file(sources),
            DOWNLOADS["bibtex"]: bibtex(sources),
            DOWNLOADS["ris"]: ris(sources)}


def csl_json_file(sources: list[Source]) -> str:
    return json.dumps([csl_json(s) for s in sources], ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- BibTeX


def bibtex(sources: list[Source]) -> str:
    return "\n".join(_bibtex_entry(s) for s in sources)


def _bibtex_entry(source: Source) -> str:
    fields = {
        "author": " and ".join(_bibtex_name(n) for n in source.author),
        "title": shown_title(source),
        ("journal" if source.type == "article-journal" else "booktitle" if source.type == "chapter"
         else "howpublished"): source.container_title,
        "year": _date_part(source, 0),
        "month": _date_part(source, 1),
        "volume": source.volume,
        "number": source.issue,
        "pages": source.page.replace("-", "--") if source.page else None,
        "publisher": source.publisher,
        "address": source.publisher_place,
        "doi": source.DOI,
        "pmid": source.PMID,
        "url": source.URL,
        "note": caveat_note(source) if caveats(source) else None,
    }
    body = ",\n".join(f"  {key} = {{{_tex(value)}}}" for key, value in fields.items() if value)
    return f"@{BIBTEX_TYPE.get(source.type, 'misc')}{{{source.id},\n{body}\n}}\n"


def _bibtex_name(name: Name) -> str:
    if name.literal == ET_AL:
        return "others"  # BibTeX's own word for a truncated author list
    if name.literal:
        return "{" + name.literal + "}"  # braces keep an organisation's name whole
    return f"{name.family}, {name.given}" if name.given else name.family or ""  # a name has family or literal


def _tex(value: str) -> str:
    """Escape the characters that mean something to (La)TeX; keep braces we added."""
    return re.sub(r"(?<!\\)([&%$#_])", r"\\\1", value)


# ---------------------------------------------------------------- RIS


def ris(sources: list[Source]) -> str:
    return "".join(_ris_entry(s) for s in sources)


def _ris_entry(source: Source) -> str:
    first, _, last = (source.page or "").partition("-")
    lines: list[tuple[str, str | None]] = [("TY", RIS_TYPE.get(source.type, "GEN")), ("ID", source.id)]
    lines += [("AU", _ris_name(n)) for n in source.author if n.literal != ET_AL]
    lines += [("TI", shown_title(source)), ("T2", source.container_title), ("PY", _date_part(source, 0)),
              ("DA", _ris_date(source)), ("VL", source.volume), ("IS", source.issue), ("SP", first or None),
              ("EP", last or None), ("PB", source.publisher), ("CY", source.publisher_place), ("DO", source.DOI), ("UR", source.URL),
              ("N1", f"PMID: {source.PMID}" if source.PMID else None),
              ("N1", caveat_note(source) if caveats(source) else None)]
    return "".join(f"{tag}  - {value}\n" for tag, value in lines if value) + "ER  - \n\n"


def _ris_name(name: Name) -> str:
    if name.literal:
        return name.literal
    return f"{name.family}, {name.given}" if name.given else name.family or ""  # a name has family or literal


def _ris_date(source: Source) -> str | None:
    if not source.issued:
        return None
    parts = source.issued.date_parts[0]
    return "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts)) + "/"


def _date_part(source: Source, index: int) -> str | None:
    parts = source.issued.date_parts[0] if source.issued else []
    return str(parts[index]) if len(parts) > index else None

"""Content text made safe for Markdown pages: plain text stays plain, prose gets
an allow-listed Markdown subset, and nothing a contributor types can become
HTML, script or a page element the templates did not put there.

Generated pages are Markdown that MkDocs (Python-Markdown and its extensions)
turns into HTML, so escaping HTML alone is not enough: `[x](javascript:…)`,
`![x](https://tracker)`, `*[WBC]: …` or `{ onclick=… }` are Markdown, not HTML.
So every character either language treats as markup is written as a numeric
character reference: the reader sees exactly what was typed.

Prose fields (statements, summaries, intros) may also use *emphasis*,
**strong**, `code` and links to http(s) addresses or to pages of this site.
They are parsed by markdown-it-py with every other rule switched off (a
CommonMark parser gets delimiter runs, escapes and nesting right where a
hand-written one would not), and re-emitted from its tokens: external links as
<a> with rel="noopener noreferrer", site links as Markdown links so MkDocs
checks and rewrites them. Anything else stays literal text.
"""

from __future__ import annotations

import functools
import re

from markdown_it import MarkdownIt
from markupsafe import Markup

# HTML's specials plus every character Markdown or the enabled extensions read as markup.
_REFERENCES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;",  # as markupsafe writes them
               **{ch: f"&#{ord(ch)};" for ch in "\\`*_[]{}|~"}}
_TRANSLATION = str.maketrans(_REFERENCES)
# At the start of a line these begin a heading, list, quote, table, admonition or definition.
_LINE_START = re.compile(r"^(?:[#+\-:!?]|\d{1,9}(?=[.)](?:\s|$)))")

_WHITESPACE = re.compile(r"\s+")

EXTERNAL_LINK = re.compile(r"^https?://[^\s/?#]+", re.I)
SITE_LINK = re.compile(r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*\.md)?(?:#[A-Za-z0-9_-]+)?$")


def literal(text) -> Markup:
    """Text shown exactly as typed: no HTML, no Markdown, on one line."""
    return _literal(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _literal(text: str) -> Markup:
    # Kept: pages print the same labels, units and names again and again (a third of rendering).
    return Markup(_line_start(_escape(_one_line(text).strip())))


def _one_line(text: str) -> str:
    """Runs of whitespace (newlines too) as one space: no line of content can start a block."""
    return _WHITESPACE.sub(" ", text)


def _escape(text: str) -> str:
    return text.translate(_TRANSLATION)


def _line_start(escaped: str) -> str:
    """Escape the first character if it would make the line a block element."""
    start = _LINE_START.match(escaped)
    if not start:
        return escaped
    at = start.end() if start.group(0)[0].isdigit() else 0
    return escaped[:at] + f"&#{ord(escaped[at])};" + escaped[at + 1:]


def _safe_link(url: str) -> bool:
    return bool(EXTERNAL_LINK.match(url) or (url and SITE_LINK.match(url)))


class _SafeLinks(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        return _safe_link(url)  # any other link stays literal text


def _parser() -> MarkdownIt:
    md = _SafeLinks("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "backticks", "link", "escape", "entity"])
    return md


_PARSER = _parser()
# Characters that start emphasis, code, a link, an escape or an entity, and NUL (which the parser
# replaces): text without any of them parses to itself (most prose; the parser is a tenth of rendering).
_MARKUP_CHARACTERS = re.compile(r"[*_`\[\]\\&\x00]")
_TAGS = {"em_open": "<em>", "em_close": "</em>", "strong_open": "<strong>", "strong_close": "</strong>"}


def markdown_subset(text: str, *, starts_line: bool = True) -> Markup:
    """Prose with *emphasis*, **strong**, `code` and safe links; everything else literal.
    starts_line=False for a piece that follows other markup on its line (keeps its leading space)."""
    flat = _one_line(text)
    piece = flat.lstrip() if starts_line else flat
    if not _MARKUP_CHARACTERS.search(piece):  # nothing the parser could read as markup: plain text
        escaped = _escape(piece)
        return Markup(_line_start(escaped) if starts_line and escaped else escaped)
    tokens = _PARSER.parseInline(piece)[0].children or []
    out: list[str] = []
    links: list[str] = []  # href of the open link (CommonMark links do not nest)
    for token in tokens:
        if token.type in _TAGS:
            out.append(_TAGS[token.type])
        elif token.type == "code_inline":
            out.append(f"<code>{_escape(token.content)}</code>")
        elif token.type == "link_open":
            links.append(str(token.attrs["href"]))
            out.append(_link_open(links[-1]))
        elif token.type == "link_close":
            out.append(_link_close(links.pop()))
        else:
            out.append(_escape(token.content))
    if starts_line and out and tokens[0].type == "text":
        out[0] = _line_start(out[0])
    return Markup("".join(out))


def _external(href: str) -> bool:
    return bool(EXTERNAL_LINK.match(href))


def _link_open(href: str) -> str:
    if _external(href):
        return f'<a href="{_escape(href)}" rel="noopener noreferrer">'
    return "[" if _safe_link(href) else ""  # an empty link keeps only its words


def _link_close(href: str) -> str:
    if _external(href):
        return "</a>"
    # site links stay Markdown, so MkDocs checks that the page exists and rewrites the URL
    return f"]({href})" if _safe_link(href) else ""

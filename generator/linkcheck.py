"""Every link the built site can show leads to a page, and to a place on it.

Reads the built site as a browser meets it, engine-neutral: links in the pages' HTML, and links
inside widget data (the JSON a calculator or the checklist carries, whose HTML pieces and `href`
values the script writes into the page). The engine checks only the Markdown links it converts;
a link inside widget data once pointed at 'leukemoid-reaction.md#…' and every tap gave a 404.
"""

from __future__ import annotations

import functools
import html
import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# Attribute patterns start with the name itself, which re finds by a plain text search; whether the
# name starts a word is tested after (_attribute_values). A leading \b made re try every position of
# the page: ten times slower, and most of a build's link check at 100× content.
HREF = re.compile(r"""href=(["'])(.*?)\1""", re.S)
# A widget's data (generator/render/kit.py widget_data): JSON in a single-quoted attribute, quotes escaped.
JSON_BLOCK = re.compile(r"""<div hidden class="refsite-data" id="[^"]*" data-json='([^']*)'></div>""")
ID = re.compile(r"""id=(["'])([^"']+)["']""")
SITE = "http://site/"  # any base: links are resolved against it, never fetched


def broken_links(site_dir: Path, not_built: frozenset[str] = frozenset(), base: str = "/") -> list[str]:
    """'page: link (why)' for each link within the site that finds no page, or no place with its #anchor.
    not_built: site paths this build leaves out on purpose (the offline bundle under `serve`); base: the path
    the site is published under, which links from the root (the 404 page's) start with."""
    ids: dict[Path, set[str] | None] = {}
    addresses: dict[tuple[str | int, str], str] = {}
    verdicts: dict[str, str] = {}  # by address: every page links to every other through the navigation
    found = []
    for page in sorted(site_dir.rglob("*.html")):
        name = page.relative_to(site_dir).as_posix()
        for href in sorted(set(page_links(page.read_text(encoding="utf-8")))):
            if href.startswith("/"):
                if not href.startswith(base):
                    found.append(f"{name}: {href} (outside the site's path {base})")
                    continue
                href = "/" + href.removeprefix(base)
            url = _address(name, href, addresses)
            if url not in verdicts:
                verdicts[url] = _problem(site_dir, url, ids, not_built)
            if verdicts[url]:
                found.append(f"{name}: {href} ({verdicts[url]})")
    return found


def _address(page: str, href: str, known: dict[tuple[str | int, str], str]) -> str:
    """Where href on page leads. A link that climbs out of all the page's folders ('../x/' from
    'a/index.html') or starts at the root leads to the same place from every page as deep, so the
    navigation, the same links on every page, is resolved once per depth rather than once per page."""
    depth = page.count("/")
    climbs = 0
    while href.startswith("../", 3 * climbs):
        climbs += 1
    key: tuple[str | int, str] = (depth, href) if href.startswith("/") or climbs >= max(depth, 1) else (page, href)
    if key not in known:
        known[key] = urljoin(SITE + page, href)
    return known[key]


def page_links(text: str) -> list[str]:
    """Every address a page links to: its own anchors' hrefs, and those inside its widget data."""
    data = [block for block in JSON_BLOCK.findall(text)]
    markup = JSON_BLOCK.sub("", text)
    links = [html.unescape(value) for value in _attribute_values(HREF, markup)]
    for block in data:
        links += [link for value in _strings(json.loads(block)) for link in _links_in(value)]
    return [link for link in links if _within_site(link)]


def _strings(data, key: str = ""):
    """(key, string) for every string in some JSON data."""
    if isinstance(data, dict):
        for k, value in data.items():
            yield from _strings(value, k)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value, key)
    elif isinstance(data, str):
        yield key, data


def _links_in(value: tuple[str, str]) -> list[str]:
    key, text = value
    if key == "href":
        return [text]
    return [html.unescape(value) for value in _attribute_values(HREF, text)] if "href=" in text else []


def _attribute_values(attribute: re.Pattern[str], text: str) -> list[str]:
    """The values of an attribute (HREF, ID: the value is their second group) wherever its name
    starts a word, as `\bhref=` would find them."""
    return [m.group(2) for m in attribute.finditer(text)
            if m.start() == 0 or not (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_")]


@functools.lru_cache(maxsize=1 << 16)  # the navigation's links, the same on every page
def _within_site(link: str) -> bool:
    parts = urlsplit(link)
    return not (parts.scheme or parts.netloc) and bool(parts.path or parts.fragment)


def _problem(site_dir: Path, url: str, ids: dict[Path, set[str] | None], not_built: frozenset[str]) -> str:
    parts = urlsplit(url)
    path = unquote(parts.path).removeprefix("/")
    if path in not_built:
        return ""
    directory = path == "" or path.endswith("/") or path.endswith("/.") or path == "."
    target = site_dir / posixpath.normpath(path or ".")
    if directory:
        target = target / "index.html"
    if target not in ids:
        ids[target] = set(_attribute_values(ID, target.read_text(encoding="utf-8"))) if target.is_file() and \
            target.suffix == ".html" else (set() if target.is_file() else None)
    found = ids[target]
    if found is None:
        return "no such page"
    anchor = unquote(parts.fragment)
    if anchor and target.suffix == ".html" and anchor not in found:
        return f"no element with id '{anchor}' there"
    return ""

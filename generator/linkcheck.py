"""Every link the built site can show leads to a page, and to a place on it.

Reads the built site as a browser meets it, engine-neutral: links in the pages' HTML, and links
inside widget data (the JSON a calculator or the checklist carries, whose HTML pieces and `href`
values the script writes into the page). The engine checks only the Markdown links it converts;
a link inside widget data once pointed at 'leukemoid-reaction.md#…' and every tap gave a 404.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

HREF = re.compile(r"""\bhref=(["'])(.*?)\1""", re.S)
JSON_BLOCK = re.compile(r'<script type="application/json"[^>]*>(.*?)</script>', re.S)
ID = re.compile(r"""\bid=["']([^"']+)["']""")
SITE = "http://site/"  # any base: links are resolved against it, never fetched


def broken_links(site_dir: Path, not_built: frozenset[str] = frozenset(), base: str = "/") -> list[str]:
    """'page: link (why)' for each link within the site that finds no page, or no place with its #anchor.
    not_built: site paths this build leaves out on purpose (the offline bundle under `serve`); base: the path
    the site is published under, which links from the root (the 404 page's) start with."""
    ids: dict[Path, set[str] | None] = {}
    found = []
    for page in sorted(site_dir.rglob("*.html")):
        here = SITE + page.relative_to(site_dir).as_posix()
        for href in sorted(set(page_links(page.read_text(encoding="utf-8")))):
            if href.startswith("/"):
                if not href.startswith(base):
                    found.append(f"{page.relative_to(site_dir).as_posix()}: {href} (outside the site's path {base})")
                    continue
                href = "/" + href.removeprefix(base)
            problem = _problem(site_dir, urljoin(here, href), ids, not_built)
            if problem:
                found.append(f"{page.relative_to(site_dir).as_posix()}: {href} ({problem})")
    return found


def page_links(text: str) -> list[str]:
    """Every address a page links to: its own anchors' hrefs, and those inside its widget data."""
    data = [block for block in JSON_BLOCK.findall(text)]
    markup = JSON_BLOCK.sub("", text)
    links = [html.unescape(m.group(2)) for m in HREF.finditer(markup)]
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
    return [html.unescape(m.group(2)) for m in HREF.finditer(text)] if "href=" in text else []


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
        ids[target] = set(ID.findall(target.read_text(encoding="utf-8"))) if target.is_file() and \
            target.suffix == ".html" else (set() if target.is_file() else None)
    found = ids[target]
    if found is None:
        return "no such page"
    anchor = unquote(parts.fragment)
    if anchor and target.suffix == ".html" and anchor not in found:
        return f"no element with id '{anchor}' there"
    return ""

"""The built pages' last line of defence: a Content-Security-Policy that lets
only this site's own script files run (plus the theme's few inline scripts, by
their sha256 hash), and rel="noopener noreferrer" on links to other hosts.

The policy sits in a <meta> tag from docs/overrides/main.html with a
placeholder for the hashes. They are filled in after the build, from every
page at once: with instant navigation the first page's policy stays in force
while later pages are swapped in, so every page carries every hash. A page
left with the placeholder would run none of the theme's inline scripts, so
one that is still there after filling (an engine that escaped its quotes,
say) fails the build.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

PLACEHOLDER_NAME = "refsite-inline-script-hashes"
HASHES_PLACEHOLDER = f"'{PLACEHOLDER_NAME}'"
# Inline scripts the browser runs (no src, and a JavaScript type or none); Material's
# configuration block is type="application/json", which no browser executes.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
DATA_TYPE = re.compile(r"""\btype=["']?(?!text/javascript|module)[^"'\s>]+""", re.I)
ANCHOR = re.compile(r"<a\s[^>]*>", re.I)
HREF = re.compile(r"""\bhref=(["'])(?P<url>.*?)\1""", re.I | re.S)
REL = re.compile(r"""\brel=(["'])(?P<rel>.*?)\1""", re.I | re.S)


def inline_script_hashes(html: str) -> set[str]:
    """CSP source expressions for every inline script the browser would run."""
    return {"'sha256-" + base64.b64encode(hashlib.sha256(m.group("body").encode("utf-8")).digest()).decode() + "'"
            for m in INLINE_SCRIPT.finditer(html) if not DATA_TYPE.search(m.group("attrs"))}


class UnfilledPolicy(Exception):
    """Pages that still hold the policy's placeholder after the hashes were filled in."""


def with_policy(html: str, hashes: set[str]) -> str:
    return html.replace(HASHES_PLACEHOLDER, " ".join(sorted(hashes)))


def external_links_hardened(html: str, own_host: str) -> str:
    """rel="noopener noreferrer" on every <a> that leads to another host."""
    def harden(tag: re.Match) -> str:
        anchor = tag.group(0)
        if "//" not in anchor:  # no host named: a link within the site (most links: every page's nav)
            return anchor
        href = HREF.search(anchor)
        if not href or not _other_host(href.group("url"), own_host):
            return anchor
        rel = REL.search(anchor)
        if rel is None:
            return anchor[:-1].rstrip("/ ") + ' rel="noopener noreferrer">'
        words = rel.group("rel").split()
        words += [w for w in ("noopener", "noreferrer") if w not in words]
        return anchor[:rel.start()] + f'rel="{" ".join(words)}"' + anchor[rel.end():]
    return ANCHOR.sub(harden, html)


def _other_host(url: str, own_host: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https", "") and bool(parts.netloc) and parts.netloc != own_host


def harden_site(site_dir: Path, site_url: str) -> int:
    """Rewrite every built page; returns how many distinct inline scripts the policy allows.
    Raises UnfilledPolicy, naming the pages, if any placeholder is left."""
    pages = sorted(site_dir.rglob("*.html"))
    hashes = set().union(*(inline_script_hashes(p.read_text(encoding="utf-8")) for p in pages)) if pages else set()
    own_host = urlsplit(site_url or "").netloc
    unfilled = []
    for page in pages:
        html = with_policy(page.read_text(encoding="utf-8"), hashes)
        if PLACEHOLDER_NAME in html:
            unfilled.append(page.relative_to(site_dir).as_posix())
        page.write_text(external_links_hardened(html, own_host), encoding="utf-8")
    if unfilled:
        raise UnfilledPolicy(f"{len(unfilled)} page(s) still hold the Content-Security-Policy placeholder "
                             f"{PLACEHOLDER_NAME} after its hashes were filled in, so none of their inline scripts "
                             f"would run: {', '.join(unfilled[:5])}{' …' if len(unfilled) > 5 else ''}. Does the "
                             f"engine's template write it as {HASHES_PLACEHOLDER}, quotes unescaped?")
    return len(hashes)

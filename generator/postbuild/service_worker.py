"""Offline support: the service worker's precache list and version, from the built site."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

SERVICE_WORKER_TEMPLATE = Path(__file__).with_name("service_worker.js")
# Not worth a phone's storage or not part of the reading site.
SKIP_SUFFIXES = (".gz", ".zip", ".map")
SKIP_NAMES = {"sw.js"}
# Material's search loads lunr's language packs only for languages other than English.
SKIP_FOLDERS = ("assets/javascripts/lunr/",)


def precache_entries(site_dir: Path) -> list[str]:
    """Every file of the built site, as URLs relative to the site root; a page's
    index.html under its folder URL, which is how pages are linked."""
    entries = []
    for file in sorted(site_dir.rglob("*")):
        if not file.is_file() or file.name in SKIP_NAMES or file.name.endswith(SKIP_SUFFIXES):
            continue
        relative = file.relative_to(site_dir).as_posix()
        if relative.startswith(SKIP_FOLDERS):
            continue
        # Pages are linked by folder URL: cache them once, under that URL (the worker
        # answers a request for the folder's index.html from the same entry).
        entries.append(relative.removesuffix("index.html") or "./" if file.name == "index.html" else relative)
    return entries


def site_version(site_dir: Path, entries: list[str]) -> str:
    """A content hash of everything precached: changes whenever any file does."""
    digest = hashlib.sha256()
    for entry in entries:
        file = site_dir / entry
        if file.is_dir():
            file = file / "index.html"
        if file.is_file():
            digest.update(entry.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


# Pages a clinician reaches for at the bedside come first; reading about the evidence can wait a moment.
LATER_PAGES = ("sources/", "changes/", "discrepancies/", "about/", "reading-the-evidence/", "404.html")


def needed_first(entry: str) -> bool:
    """Bedside pages and the files every page needs to render come before the rest."""
    if entry.startswith(LATER_PAGES):
        return False
    return entry.endswith(("/", ".html", ".css")) or (entry.endswith(".js") and "/workers/" not in entry)


def service_worker(site_dir: Path) -> str:
    entries = precache_entries(site_dir)
    first = [e for e in entries if needed_first(e)]
    rest = [e for e in entries if not needed_first(e)]
    return (SERVICE_WORKER_TEMPLATE.read_text(encoding="utf-8")
            .replace("__VERSION__", site_version(site_dir, entries))
            .replace("__PAGES_FIRST__", json.dumps(first, indent=1))
            .replace("__THEN_THE_REST__", json.dumps(rest, indent=1)))

"""Offline support: the service worker's precache list, each file's revision and the site's version,
from the built site."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
from pathlib import Path

SERVICE_WORKER_TEMPLATE = Path(__file__).with_name("service_worker.js")
# Not worth a phone's storage or not part of the reading site.
SKIP_SUFFIXES = (".gz", ".zip", ".map")
SKIP_NAMES = {"sw.js"}
# Material's search loads lunr's language packs only for languages other than English.
SKIP_FOLDERS = ("assets/javascripts/lunr/",)

# What changes on every build though the content does not. Found by building the site twice, with
# SOURCE_DATE_EPOCH a year apart, and diffing the two trees (`diff -rq`):
#   sitemap.xml       each page's <lastmod> is the build date: its revision leaves those lines out
#                     (Material reads only the addresses, for instant navigation);
#   sitemap.xml.gz    the same, compressed: skipped (.gz);
#   downloads/*.zip   the offline bundle, its members stamped with the build time: skipped (.zip);
#   sw.js             holds the build date (BUILT) itself: never precached, and BUILT is outside VERSION.
# Every other file was byte-identical, so a file's revision is the hash of its bytes.
# Not anchored to lines: another engine may write its sitemap on one line.
PER_BUILD_LINES = {"sitemap.xml": re.compile(rb"\s*<lastmod>[^<]*</lastmod>")}


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


def entry_file(site_dir: Path, entry: str) -> Path:
    """The file an entry's URL is answered with: a folder URL is its index.html."""
    file = site_dir / entry
    return file / "index.html" if file.is_dir() else file


def file_revision(site_dir: Path, entry: str) -> str:
    """A hash of the bytes a reader gets for this entry, less what only dates the build: the
    worker keeps a cached copy whose revision is unchanged instead of fetching it again."""
    data = entry_file(site_dir, entry).read_bytes()
    per_build = PER_BUILD_LINES.get(entry)
    if per_build is not None:
        data = per_build.sub(b"", data)
    return hashlib.sha256(data).hexdigest()[:16]


def revisions(site_dir: Path, entries: list[str]) -> list[tuple[str, str]]:
    return [(entry, file_revision(site_dir, entry)) for entry in entries]


def site_version(pairs: list[tuple[str, str]]) -> str:
    """A hash of every precached entry's URL and revision (revisions()): changes whenever what a
    reader can get does, and not when only the build date does."""
    digest = hashlib.sha256()
    for entry, revision in pairs:
        digest.update(f"{entry}\0{revision}\n".encode())
    return digest.hexdigest()[:16]


def build_date() -> str:
    """The day of this build, as readers are shown it offline: SOURCE_DATE_EPOCH where set (a
    reproducible build, which MkDocs' sitemap honours too), else today in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.datetime.fromtimestamp(int(epoch), datetime.UTC) if epoch
              else datetime.datetime.now(datetime.UTC))
    return moment.date().isoformat()


# Pages a clinician reaches for at the bedside come first; reading about the evidence can wait a moment.
LATER_PAGES = ("sources/", "changes/", "discrepancies/", "about/", "reading-the-evidence/", "404.html")


def needed_first(entry: str) -> bool:
    """Bedside pages and the files every page needs to render come before the rest."""
    if entry.startswith(LATER_PAGES):
        return False
    return entry.endswith(("/", ".html", ".css")) or (entry.endswith(".js") and "/workers/" not in entry)


def service_worker(site_dir: Path, built: str | None = None) -> str:
    pairs = revisions(site_dir, precache_entries(site_dir))  # every file read and hashed once
    first = [list(pair) for pair in pairs if needed_first(pair[0])]
    rest = [list(pair) for pair in pairs if not needed_first(pair[0])]
    return (SERVICE_WORKER_TEMPLATE.read_text(encoding="utf-8")
            .replace("__VERSION__", site_version(pairs))
            .replace("__BUILT__", built or build_date())
            .replace("__PAGES_FIRST__", one_a_line(first))
            .replace("__THEN_THE_REST__", one_a_line(rest)))


def one_a_line(pairs: list[list[str]]) -> str:
    """A JSON list of [url, revision] pairs, one a line: sw.js stays readable, and diffs show which files changed."""
    return "[\n" + ",\n".join(json.dumps(pair) for pair in pairs) + "\n]"

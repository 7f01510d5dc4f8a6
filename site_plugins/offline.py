"""Offline support: the service worker's precache list and version, from the built site."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

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


BUNDLE_NAME = "leukocytosis-reference-offline"


def build_offline_bundle(config_file: Path, downloads: Path, rendered: Callable[[], tuple] | None = None,
                         strict: bool = False) -> Path:
    """Build the file:// variant of the site into a temporary folder and zip it. rendered: gives the
    pages and abbreviations for this build's refsite plugin, from the content the main build checked."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / BUNDLE_NAME
        config = load_config(str(config_file), site_dir=str(site), strict=strict)
        if rendered is not None:
            config.plugins["refsite"].rendered = rendered()
        build(config)
        downloads.mkdir(parents=True, exist_ok=True)
        archive = shutil.make_archive(str(downloads / BUNDLE_NAME), "zip", root_dir=tmp, base_dir=BUNDLE_NAME)
    return Path(archive)


class BundleInBackground:
    """The offline bundle is a second whole build of the site. It needs only the rendered pages,
    so a forked process builds it while MkDocs builds the main site (on a second core it
    costs next to no extra time), into a folder of its own that MkDocs' clean of site/ cannot touch."""

    def __init__(self, config_file: Path, rendered: Callable[[], tuple], strict: bool):
        self.folder = Path(tempfile.mkdtemp(prefix="refsite-bundle-"))
        context = multiprocessing.get_context("fork")  # the child shares the loaded content, uncopied
        self.process = context.Process(target=build_offline_bundle, args=(config_file, self.folder, rendered, strict),
                                       name="offline bundle")
        self.process.start()

    def finish(self, downloads: Path) -> Path:
        """Wait for the bundle and move it into downloads/; raises if its build failed."""
        try:
            self.process.join()
            built = self.folder / f"{BUNDLE_NAME}.zip"
            if self.process.exitcode != 0 or not built.is_file():
                raise RuntimeError(f"the offline bundle's build failed (exit code {self.process.exitcode}); see its log above")
            downloads.mkdir(parents=True, exist_ok=True)
            return Path(shutil.move(built, downloads / built.name))
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def cancel(self) -> None:
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        shutil.rmtree(self.folder, ignore_errors=True)

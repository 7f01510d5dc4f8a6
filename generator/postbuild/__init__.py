"""What a built site needs that no engine writes: run on the built files, by any engine's output.

`refsite postbuild SITE_DIR` and the MkDocs plugin's on_post_build both call finish_site():

- hardening: the Content-Security-Policy's inline-script hashes (a placeholder left unfilled
  fails the build) and rel="noopener noreferrer" on links to other hosts;
- the offline bundle: the engine's file:// variant of the site, zipped into downloads/;
- the service worker (sw.js) that keeps every page readable offline after the first visit;
- a check that every link the site (and its offline variant) can show finds its page and place,
  widget data included (generator/linkcheck.py): one that does not fails the build.

Reads built files only: never imports content, validation, rendering, a widget, MkDocs or site_plugins.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..linkcheck import broken_links
from .bundle import BUNDLE_NAME, BUNDLE_PATH, NotAnOfflineSite, zip_offline_site
from .hardening import UnfilledPolicy, harden_site
from .service_worker import service_worker

__all__ = ["BUNDLE_NAME", "BUNDLE_PATH", "PostbuildError", "Postbuilt", "postbuild"]


class PostbuildError(Exception):
    """The built site cannot be finished; the message says why and what to do."""


@dataclass(frozen=True)
class Postbuilt:
    script_hashes: int  # distinct inline scripts the policy allows
    service_worker: Path | None
    bundle: Path | None


def finish_site(site_dir: Path, site_url: str = "", *, with_service_worker: bool = True,
              offline_site: Path | None = None) -> Postbuilt:
    """Finish a built site in place. The service worker comes last, so its version hashes the
    final pages; off under an engine's live-reload server, where a cache-first worker would
    hide every reload."""
    if not (site_dir / "index.html").is_file():
        raise PostbuildError(f"{site_dir} has no index.html: build the site there first")
    try:
        bundle = zip_offline_site(offline_site, site_dir, urlsplit(site_url).netloc) if offline_site else None
        hashes = harden_site(site_dir, site_url)
    except (NotAnOfflineSite, UnfilledPolicy) as err:
        raise PostbuildError(str(err)) from err
    # The engine checks the Markdown links it converts; links inside widget data it never sees. The
    # variant's About page links to the bundle it is itself inside: not there, by design.
    base = urlsplit(site_url).path or "/"  # where root links (the 404 page's) start
    broken = [f"offline variant: {b}" for b in (broken_links(offline_site, frozenset({BUNDLE_PATH}), base) if offline_site else [])]
    broken += broken_links(site_dir, frozenset() if bundle else frozenset({BUNDLE_PATH}), base)
    if broken:
        raise PostbuildError(f"{len(broken)} link(s) lead nowhere:\n" + "\n".join(broken))
    worker = None
    if with_service_worker:
        worker = site_dir / "sw.js"
        worker.write_text(service_worker(site_dir), encoding="utf-8")
    return Postbuilt(hashes, worker, bundle)

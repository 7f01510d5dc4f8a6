"""The offline bundle: the file:// variant of the site, built by the engine beside the main
site (no folder URLs, search index inlined), zipped into the main site's downloads/."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from .hardening import external_links_hardened

BUNDLE_NAME = "leukocytosis-reference-offline"
BUNDLE_PATH = f"downloads/{BUNDLE_NAME}.zip"  # in the main site; the About page links to it
POLICY_META = '<meta http-equiv="Content-Security-Policy"'


class NotAnOfflineSite(Exception):
    """The folder given as the offline variant cannot be one."""


def check_offline_site(offline_site: Path) -> list[Path]:
    """The variant's pages; raises if it has none or carries a Content-Security-Policy: its
    search runs by injecting inline script into an iframe (the iframe-worker shim), which no
    build-time hash can allow, so its config must leave the policy out."""
    pages = sorted(offline_site.rglob("*.html"))
    if not (offline_site / "index.html").is_file():
        raise NotAnOfflineSite(f"{offline_site} has no index.html: build the offline variant there first")
    with_policy = [p.relative_to(offline_site).as_posix() for p in pages if POLICY_META in p.read_text(encoding="utf-8")]
    if with_policy:
        raise NotAnOfflineSite(f"the offline variant in {offline_site} carries a Content-Security-Policy "
                               f"({', '.join(with_policy[:3])}…), which would stop its search from file://: "
                               "set extra.content_security_policy: false in its config")
    return pages


def zip_offline_site(offline_site: Path, site_dir: Path, own_host: str) -> Path:
    """Harden the variant's links as the main site's, then zip it as one folder named BUNDLE_NAME
    (what a reader unzips) into the main site; written beside and renamed, never half a zip."""
    for page in check_offline_site(offline_site):
        page.write_text(external_links_hardened(page.read_text(encoding="utf-8"), own_host), encoding="utf-8")
    target = site_dir / BUNDLE_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(offline_site.rglob("*")):
            if file.is_file():
                archive.write(file, f"{BUNDLE_NAME}/{file.relative_to(offline_site).as_posix()}")
    os.replace(partial, target)
    return target

"""`refsite postbuild SITE_DIR`: what the MkDocs plugin's on_post_build does, for any engine's
output: the policy's hashes (a placeholder left unfilled is an error), hardened links, the
offline bundle zipped from the engine's file:// variant, and the service worker."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from generator.postbuild import BUNDLE_NAME, BUNDLE_PATH
from generator.postbuild.hardening import HASHES_PLACEHOLDER
from tests.conftest import ROOT
from tests.test_hardening import sha256

POLICY = '<meta http-equiv="Content-Security-Policy" content="script-src \'self\' {}">'


def postbuild(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator.cli", "postbuild", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


def write(folder: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    return folder


def a_site(folder: Path, placeholder: str = HASHES_PLACEHOLDER) -> Path:
    head = "<head>" + POLICY.format(placeholder) + "</head>"
    return write(folder, {"index.html": head + '<script>go()</script><a href="https://doi.org/x">x</a>',
                          "about/index.html": head + "<script>other()</script>",
                          "assets/app.js": "run()", "search.json": "{}"})


def an_offline_variant(folder: Path) -> Path:
    return write(folder, {"index.html": '<a href="about.html">About</a> <a href="https://doi.org/x">x</a>',
                          "about.html": "<h1>About</h1>", "search.js": "var __index = {}"})


def test_finishes_any_engines_site(tmp_path):
    site, offline = a_site(tmp_path / "site"), an_offline_variant(tmp_path / "offline")
    done = postbuild(str(site), "--site-url", "https://example.org/ref/", "--offline-site", str(offline))
    assert done.returncode == 0, done.stderr
    assert "2 inline script hashes" in done.stdout
    for page in ("index.html", "about/index.html"):  # every page allows every page's scripts (instant navigation)
        html = (site / page).read_text()
        assert f"script-src 'self' {' '.join(sorted([sha256('go()'), sha256('other()')]))}" in html
    assert '<a href="https://doi.org/x" rel="noopener noreferrer">' in (site / "index.html").read_text()
    worker = (site / "sw.js").read_text()
    assert '"./"' in worker and '"about/"' in worker and '"search.json"' in worker and "__VERSION__" not in worker
    bundle = zipfile.ZipFile(site / BUNDLE_PATH)
    assert sorted(bundle.namelist()) == [f"{BUNDLE_NAME}/{name}" for name in ("about.html", "index.html", "search.js")]
    assert 'href="https://doi.org/x" rel="noopener noreferrer"' in bundle.read(f"{BUNDLE_NAME}/index.html").decode()
    assert BUNDLE_PATH not in worker  # a download, not for a phone's cache


def test_an_unfilled_placeholder_is_an_error_never_a_broken_site(tmp_path):
    site = a_site(tmp_path / "site", placeholder="&#39;refsite-inline-script-hashes&#39;")
    failed = postbuild(str(site))
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "2 page(s) still hold the Content-Security-Policy placeholder" in failed.stderr
    assert "about/index.html, index.html" in failed.stderr
    assert not (site / "sw.js").exists()


def test_an_offline_variant_with_a_policy_is_refused(tmp_path):
    """Its search runs inline script injected at run time: a policy there would break it."""
    site, offline = a_site(tmp_path / "site"), an_offline_variant(tmp_path / "offline")
    (offline / "about.html").write_text("<head>" + POLICY.format(HASHES_PLACEHOLDER) + "</head>")
    failed = postbuild(str(site), "--offline-site", str(offline))
    assert failed.returncode == 1 and "set extra.content_security_policy: false" in failed.stderr
    assert not (site / BUNDLE_PATH).exists()


def test_nothing_to_finish(tmp_path):
    failed = postbuild(str(tmp_path / "nowhere"))
    assert failed.returncode == 1 and "has no index.html: build the site there first" in failed.stderr
    site = a_site(tmp_path / "site")
    failed = postbuild(str(site), "--offline-site", str(tmp_path / "no-variant"))
    assert failed.returncode == 1 and "no-variant has no index.html" in failed.stderr


def test_under_a_live_reload_server_no_service_worker(tmp_path):
    site = a_site(tmp_path / "site")
    assert postbuild(str(site), "--no-service-worker").returncode == 0
    assert not (site / "sw.js").exists() and HASHES_PLACEHOLDER not in (site / "index.html").read_text()


def test_the_site_address_comes_from_the_engine_config(tmp_path):
    """Links to the site's own host are not "other hosts": the host is read from the config."""
    site = write(tmp_path / "site", {"index.html": '<a href="http://127.0.0.1:8000/x/">own</a>'})
    assert postbuild(str(site), "--config", str(ROOT / "mkdocs.offline.yml")).returncode == 0  # INHERITs site_url
    assert "noopener" not in (site / "index.html").read_text()

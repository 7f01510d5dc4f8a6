"""Shared fixtures: a small valid content set to copy and break, and paths."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"
REAL_CONTENT = ROOT / "content"


def replace(file: Path, old: str, new: str) -> None:
    """Edit a fixture file, failing loudly if the fixture no longer has the text."""
    text = file.read_text()
    assert old in text, f"fixture no longer contains {old!r}"
    file.write_text(text.replace(old, new, 1))


def line_of(file: Path, needle: str) -> int:
    return next(i for i, line in enumerate(file.read_text().splitlines(), 1) if needle in line)


def run_cli(content: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    """The real `refsite` command, run on a content folder."""
    return subprocess.run([sys.executable, "-m", "generator.cli", "--content", str(content), *args],
                          capture_output=True, text=True, cwd=content.parent, timeout=60, **kwargs)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture content, at tmp/content."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


# ---------------------------------------------------------------- built site and browser
CHROMIUM = "/usr/bin/chromium"
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}


# What the Pages workflow sets (README: "Deploying"), with example addresses.
TEST_REPOSITORY = "https://github.com/example/leukocytosis-reference"
TEST_SITE_URL = "https://example.github.io/leukocytosis-reference/"
DEPLOYMENT = {"REFSITE_DEPLOY": "true", "REFSITE_SITE_URL": TEST_SITE_URL, "REFSITE_REPO_URL": TEST_REPOSITORY}


def mkdocs_build(config: Path, site_dir: Path, settings: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The real `mkdocs build --strict` (never with -q/-v: that hides strict failures), with
    exactly the REFSITE_* settings given: none from the shell that runs the tests."""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("REFSITE_")}, "NO_MKDOCS_2_WARNING": "1",
           **(settings or {})}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)],
                          capture_output=True, text=True, env=env, cwd=config.parent, timeout=300)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site as the Pages workflow builds it (with its addresses, so with every
    correction and report link), built once per test worker from the real content."""
    site = tmp_path_factory.mktemp("site") / "site"
    result = mkdocs_build(ROOT / "mkdocs.yml", site, DEPLOYMENT)
    assert result.returncode == 0, result.stderr
    return site


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser that navigates away mid-download closes the socket (BrokenPipe): not a failure.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def served(folder: Path):
    """The folder over HTTP on a free port; yields its address."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def site_url(built_site):
    with served(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--disable-gpu", "--disable-background-networking", "--disable-component-update",
                                           "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


@contextmanager
def phone_page(browser, site_url: str, **context_options):
    """A phone-sized page that records (and blocks) any request to another host,
    and collects console errors (a Content-Security-Policy violation among them)."""
    context = browser.new_context(**PHONE, **context_options)
    page = context.new_page()
    page.external_requests = []
    page.console_errors = []

    def guard(route):
        url = route.request.url
        if url.startswith(site_url) or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            page.external_requests.append(url)
            route.abort()

    context.route("**/*", guard)
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda err: page.console_errors.append(str(err)))
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def phone(browser, site_url):
    with phone_page(browser, site_url) as page:
        yield page


# ---------------------------------------------------------------- the site built by Zensical
ZENSICAL_SITE = "build/zensical/site"  # mkdocs.zensical.yml: Zensical has no -d, its folders are in the config


def make_command(project: Path, target: str, *variables: str) -> list[str]:
    """A Makefile target run in another project folder, with the venvs `make test` has set up
    (STAMP= and ZSTAMP=: never install anything from there)."""
    return ["make", "--no-print-directory", "-C", str(project), "-f", str(ROOT / "Makefile"), target,
            f"VENV={ROOT / '.venv'}", f"ZVENV={ROOT / '.venv-zensical'}", "STAMP=", "ZSTAMP=", *variables]


def zensical_project(project: Path, *, content_copy: bool) -> Path:
    """A project folder outside the repository for the Zensical targets: the configs, docs/ and
    docs-zensical/, and content/ (a link to the real one, so history and pages are the MkDocs
    build's; or a copy to edit)."""
    project.mkdir(parents=True)
    for name in ("docs", "docs-zensical"):
        shutil.copytree(ROOT / name, project / name)
    for config in ROOT.glob("mkdocs*.yml"):
        shutil.copy(config, project)
    if content_copy:
        shutil.copytree(REAL_CONTENT, project / "content")
    else:
        (project / "content").symlink_to(REAL_CONTENT, target_is_directory=True)
    return project


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory) -> Path:
    """The real site built by `make build-zensical`, once per test worker, from the real content."""
    project = zensical_project(tmp_path_factory.mktemp("zensical") / "project", content_copy=False)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("REFSITE_")}, **DEPLOYMENT}  # as built_site
    result = subprocess.run(make_command(project, "build-zensical"), capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / ZENSICAL_SITE


@pytest.fixture(scope="session")
def zensical_url(zensical_site):
    with served(zensical_site) as url:
        yield url


@pytest.fixture
def zensical_phone(browser, zensical_url):
    with phone_page(browser, zensical_url) as page:
        yield page

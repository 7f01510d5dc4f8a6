"""Shared fixtures: a small valid content set to copy and break, and paths."""

from __future__ import annotations

import functools
import hashlib
import json
import mimetypes
import os
import re
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"
REAL_CONTENT = ROOT / "content"


def replace(file: Path, old: str, new: str) -> None:
    """Edit a fixture file, failing loudly if the fixture no longer has the text."""
    text = file.read_text()
    assert old in text, f"fixture no longer contains {old!r}"
    file.write_text(text.replace(old, new, 1))


# A widget's data on its page (generator/render/kit.py widget_data): element id and JSON text.
WIDGET_DATA = re.compile(r"""<div hidden class="refsite-data" id="([^"]+)" data-json='([^']*)'></div>""")


def widget_data(page: str, prefix: str = "") -> list[dict]:
    """The data of each widget on a page (Markdown or HTML) whose element id starts with prefix."""
    return [json.loads(data) for element_id, data in WIDGET_DATA.findall(page) if element_id.startswith(prefix)]


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


# What GitHub Pages sends with every file: browsers may reuse a file for 10 minutes without asking.
HOST_CACHING = "max-age=600"


class Host:
    """A static host as the published site has one: the folder under the path of the address the site
    was built for (site_url), with GitHub Pages' caching (max-age, ETag, 304s), and the sitemap's
    addresses rewritten to this server's origin, so Material's instant navigation takes over in-site
    links as it does on the published host. `folder` can be swapped (a deploy); `requests` logs paths."""

    def __init__(self, folder: Path, site_url: str = "", caching: str = HOST_CACHING):
        self.folder, self.caching, self.requests = folder, caching, []
        self.prefix = urlsplit(site_url).path.rstrip("/") if site_url else ""
        self.site_url = site_url
        self.server = _QuietServer(("127.0.0.1", 0), functools.partial(_HostHandler, host=self))
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = self.origin + self.prefix  # what tests add "/page/" to

    def body(self, relative: str) -> bytes | None:
        file = self.folder / relative
        if file.is_dir():
            file = file / "index.html"
        if not file.is_file():
            return None
        data = file.read_bytes()
        if relative == "sitemap.xml" and self.site_url:
            data = data.replace(self.site_url.rstrip("/").encode(), self.url.encode())
        return data


class _HostHandler(BaseHTTPRequestHandler):
    def __init__(self, *args, host: Host, **kwargs):
        self.host = host
        super().__init__(*args, **kwargs)

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = unquote(urlsplit(self.path).path)
        self.host.requests.append(path)
        prefix = self.host.prefix + "/"
        if not path.startswith(prefix) or ".." in path:
            return self._send(404, b"not found", "text/plain")
        relative = path.removeprefix(prefix)
        body = self.host.body(relative)
        if body is None:
            missing = self.host.body("404.html")
            return self._send(404, missing, "text/html") if missing else self._send(404, b"not found", "text/plain")
        if relative and not relative.endswith("/") and (self.host.folder / relative).is_dir():
            self.send_response(301)
            self.send_header("Location", path + "/")
            self.end_headers()
            return None
        name = relative if relative and not relative.endswith("/") else relative + "index.html"
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", self.host.caching)
            self.end_headers()
            return None
        return self._send(200, body, mimetypes.guess_type(name)[0] or "application/octet-stream", etag)

    def _send(self, status: int, body: bytes, kind: str, etag: str = ""):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", self.host.caching)
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)


mimetypes.add_type("application/manifest+json", ".webmanifest")


@contextmanager
def hosted(folder: Path, site_url: str = "", caching: str = HOST_CACHING):
    """The folder served as the published host serves it (Host); yields the Host."""
    host = Host(folder, site_url, caching)
    thread = threading.Thread(target=host.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield host
    finally:
        host.server.shutdown()
        host.server.server_close()


@contextmanager
def served(folder: Path, site_url: str = ""):
    """The folder over HTTP on a free port, as the published host serves it; yields the address
    pages are under (no trailing slash)."""
    with hosted(folder, site_url) as host:
        yield host.url


@pytest.fixture(scope="session")
def site_url(built_site):
    """The real site at the address its sitemap names (rewritten to this machine): instant navigation on."""
    with served(built_site, TEST_SITE_URL) as url:
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
    and collects console errors (a Content-Security-Policy violation among them).
    Its service worker is blocked unless service_workers="allow" is given: a fresh phone's worker precaches the
    whole site past the HTTP cache (about 2.75 MB, fetched with cache: 'reload'), which on every test's new
    context doubled the browser tests' time. The offline, update and phone-task tests meet the worker."""
    context_options.setdefault("service_workers", "block")
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


# ---------------------------------------------------------------- arriving at a page as a reader does
# Readers reach a page by typing or reloading its address (a full load) or, far more often, by tapping a link
# inside the site, which Material's instant navigation turns into an in-place swap of the page. A widget must
# work after both; a test that types into a widget runs once after each (the `arrival` fixture).
ARRIVALS = ("load", "tap")

_MARK_PAGE = """() => { window.__refsiteSameDocument = true; window.__refsiteOldArticle = document.querySelector("article.md-content__inner"); }"""
_SWAPPED = """() => window.__refsiteOldArticle !== undefined && document.querySelector("article.md-content__inner") !== null
    && document.querySelector("article.md-content__inner") !== window.__refsiteOldArticle"""
# A link to the target on the current page, its address made the target's (query and anchor included); where the
# page has none, one is added to the article, as any in-site link (search result, menu, "More") would be.
_LINK_TO = """(target) => {
  const wanted = new URL(target, location.href);
  const path = (href) => new URL(href, location.href).pathname;
  let link = [...document.querySelectorAll("article.md-content__inner a[href]")].find((a) => path(a.href) === wanted.pathname);
  if (!link) {
    link = document.createElement("a");
    link.textContent = "go";
    document.querySelector("article.md-content__inner").prepend(link);
  }
  link.href = wanted.href;
  link.dataset.arrive = "true";
}"""


def _swapped_in_place(page, navigate, what: str) -> None:
    """Run navigate() and prove instant navigation swapped the page in place (a mark set on window before it is
    still there once the new article is in), not loaded it afresh."""
    page.evaluate(_MARK_PAGE)
    navigate()
    page.wait_for_function(_SWAPPED)
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))")
    assert page.evaluate("() => window.__refsiteSameDocument === true"), f"{what} reloaded the page: no instant navigation"


def tap_in_site(page, locator, url_glob: str | None = None) -> None:
    """Tap a link in the site, swapped in place (_swapped_in_place); url_glob: the address it must reach."""
    def tap():
        locator.tap()
        if url_glob:
            page.wait_for_url(url_glob)
    _swapped_in_place(page, tap, "the tap")


def back_in_site(page, forward: bool = False) -> None:
    """Back (or Forward) as the phone's own button does, swapped in place (_swapped_in_place)."""
    _swapped_in_place(page, page.go_forward if forward else page.go_back, "Forward" if forward else "Back")


# Why a tap 20 px either side of an element's middle, across and up and down (a 44 × 44 px area, WCAG 2.5.5),
# would miss it (null when every one reaches it or its label): where the first miss lands instead.
TAP_AREA_MISS = """(el) => {
  const box = el.getBoundingClientRect();
  const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
  for (const [dx, dy] of [[0, -20], [0, 20], [-20, 0], [20, 0]]) {
    const hit = document.elementFromPoint(x + dx, y + dy);
    const owner = hit && (hit.closest('label') ? hit.closest('label').control : hit);
    if (!(hit === el || el.contains(hit) || owner === el || (el.labels && [...el.labels].some((l) => l.contains(hit))))) {
      return `at ${dx},${dy}: ${hit ? hit.tagName.toLowerCase() + '.' + hit.className : 'nothing'}`;
    }
  }
  return null;
}"""

# The first search mark on the page itself (not in the search panel's results) a reader can see is in view,
# below the sticky header: where a tapped search result must leave the reader.
FIRST_MARK_IN_VIEW = """() => {
  const mark = [...document.querySelectorAll(".md-content article mark")]
    .find((m) => !m.closest("[data-search-exclude], details:not([open])"));
  const header = document.querySelector(".md-header").getBoundingClientRect().bottom;
  const box = mark && mark.getBoundingClientRect();
  return Boolean(box) && box.top >= header && box.bottom <= innerHeight;
}"""


# Where the link's target is once the page has settled: in view, below the sticky header (or why not).
_LANDED = """(id) => {
  const target = document.getElementById(id);
  if (!target) return "missing";
  const header = document.querySelector(".md-header").getBoundingClientRect().bottom;
  const box = target.getBoundingClientRect();
  return box.top >= header - 1 && box.top <= innerHeight - 40 ? "in view" : `at ${Math.round(box.top)} px (header ends at ${Math.round(header)})`;
}"""


def landed_on(page, fragment: str, within_ms: int = 3000, held_ms: int = 500) -> str:
    """'in view' when the target comes into view within within_ms of the tap and is still there held_ms later (the
    theme scrolls on its own ~180 ms after a swap), else where the target is."""
    fragment = unquote(fragment)
    try:
        page.wait_for_function(f"(id) => ({_LANDED})(id) === 'in view'", arg=fragment, timeout=within_ms, polling=100)
    except PlaywrightTimeout:
        return page.evaluate(_LANDED, fragment)
    page.wait_for_timeout(held_ms)
    return page.evaluate(_LANDED, fragment)


def arrive(page, site_url: str, path: str, how: str, start: str = "/") -> None:
    """Open site_url + path as a reader does: "load" loads the address; "tap" loads the start page (the home
    page unless given) and taps a link to path there, proving the page was swapped in place."""
    if how == "load":
        page.goto(site_url + path)
        return
    assert how == "tap", how
    page.goto(site_url + start)
    page.evaluate(_LINK_TO, site_url + path)
    tap_in_site(page, page.locator("a[data-arrive]").first)
    wanted, current = urlsplit(site_url + path), urlsplit(page.url)
    assert (current.path, current.query) == (wanted.path, wanted.query), page.url


@pytest.fixture(params=ARRIVALS)
def arrival(request) -> str:
    """How the page under test is reached: by loading its address, or by a tap on an in-site link."""
    return request.param


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
    with served(zensical_site, TEST_SITE_URL) as url:
        yield url


@pytest.fixture
def zensical_phone(browser, zensical_url):
    with phone_page(browser, zensical_url) as page:
        yield page

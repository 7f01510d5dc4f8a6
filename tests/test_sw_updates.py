"""Updates reach the reader: a file's revision and the site's version; a returning reader gets a new
build despite the host's max-age (the worker fetches past the HTTP cache), fetches only what changed, is
told to reload, and offline sees how old the copy is; a rebuild on another day fetches nothing but sw.js."""

from __future__ import annotations

import datetime
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.postbuild.service_worker import (build_date, file_revision, precache_entries, revisions, service_worker,
                                                site_version)
from tests.conftest import DEPLOYMENT, PHONE, ROOT, TEST_SITE_URL, hosted, mkdocs_build, replace, tap_in_site


def a_site(folder: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    return folder


def sitemap(lastmod: str, pages: tuple[str, ...] = ("", "about/")) -> str:
    urls = "".join(f"    <url>\n         <loc>https://example.org/{page}</loc>\n         <lastmod>{lastmod}</lastmod>\n    </url>\n"
                   for page in pages)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset>\n{urls}</urlset>'


def version(site: Path) -> str:
    return site_version(revisions(site, precache_entries(site)))


# ---------------------------------------------------------------- revisions and the version

def test_a_files_revision_changes_with_its_bytes_and_only_them(tmp_path):
    site = a_site(tmp_path, {"index.html": "<h1>Home</h1>", "a.css": "body{}", "about/index.html": "<h1>About</h1>"})
    before = {entry: file_revision(site, entry) for entry in precache_entries(site)}
    (site / "a.css").write_text("body{}")  # written again, same bytes (a rebuild): same revision
    assert {entry: file_revision(site, entry) for entry in precache_entries(site)} == before
    (site / "a.css").write_text("body{color:red}")
    after = {entry: file_revision(site, entry) for entry in precache_entries(site)}
    assert after["a.css"] != before["a.css"]
    assert {k: v for k, v in after.items() if k != "a.css"} == {k: v for k, v in before.items() if k != "a.css"}
    assert before["about/"] == file_revision(site, "about/")  # a folder URL is its index.html


def test_the_sitemaps_lastmod_dates_leave_the_version_alone(tmp_path):
    site = a_site(tmp_path, {"index.html": "<h1>Home</h1>", "about/index.html": "<h1>About</h1>",
                             "sitemap.xml": sitemap("2026-12-07")})
    first = version(site), file_revision(site, "sitemap.xml")
    (site / "sitemap.xml").write_text(sitemap("2027-01-15"))
    assert (version(site), file_revision(site, "sitemap.xml")) == first
    (site / "sitemap.xml").write_text(sitemap("2027-01-15", ("", "about/", "new-page/")))  # a page more: news
    assert version(site) != first[0] and file_revision(site, "sitemap.xml") != first[1]
    # written on one line (another engine's minified sitemap): the same
    (site / "sitemap.xml").write_text(sitemap("2026-12-07").replace("\n", ""))
    one_line = file_revision(site, "sitemap.xml")
    (site / "sitemap.xml").write_text(sitemap("2027-01-15").replace("\n", ""))
    assert file_revision(site, "sitemap.xml") == one_line


def test_the_build_date_is_in_sw_js_and_not_in_its_version(tmp_path, monkeypatch):
    site = a_site(tmp_path, {"index.html": "<h1>Home</h1>", "about/index.html": "<h1>About</h1>"})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH_A))
    assert build_date() == "2026-12-07"
    one = service_worker(site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH_LATER))
    other = service_worker(site)
    assert 'const BUILT = "2026-12-07";' in one and 'const BUILT = "2026-12-08";' in other
    # the two workers differ in that line only: same version, same files, same revisions
    assert [line for line in one.splitlines() if "BUILT =" not in line] == \
        [line for line in other.splitlines() if "BUILT =" not in line]
    assert f'["about/", "{file_revision(site, "about/")}"]' in one


# ---------------------------------------------------------------- the real site, built three times

EPOCH_A = int(datetime.datetime(2026, 12, 7, 12, tzinfo=datetime.UTC).timestamp())
EPOCH_LATER = EPOCH_A + 86400
# One fact's statement, reworded (content/facts/definitions.yaml); shown on the leukemoid-reaction page.
OLD_WORDING = "In adults who are not pregnant, a white count above 11.0 × 10⁹/L counts as leukocytosis."
NEW_WORDING = "In adults who are not pregnant, leukocytosis means a white count above 11.0 × 10⁹/L."
PAGE = "/leukemoid-reaction/"


@dataclass(frozen=True)
class Builds:
    a: Path        # the published site
    a_again: Path  # the same content, built a day later
    b: Path        # a day later, one statement reworded


def build(project: Path, site: Path, epoch: int) -> Path:
    result = mkdocs_build(project / "mkdocs.yml", site, {**DEPLOYMENT, "SOURCE_DATE_EPOCH": str(epoch)})
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> Builds:
    """The real site from a copy of the project (content, docs, configs), so one statement can be reworded;
    all three from that copy, so nothing else differs between them."""
    folder = tmp_path_factory.mktemp("updates")
    project = folder / "project"
    for name in ("content", "docs"):
        shutil.copytree(ROOT / name, project / name)
    for config in ROOT.glob("mkdocs*.yml"):
        shutil.copy(config, project)
    a = build(project, folder / "a", EPOCH_A)
    a_again = build(project, folder / "a-again", EPOCH_LATER)
    replace(project / "content" / "facts" / "definitions.yaml", OLD_WORDING, NEW_WORDING)
    return Builds(a, a_again, build(project, folder / "b", EPOCH_LATER))


def files(site: Path) -> dict[str, bytes]:
    return {f.relative_to(site).as_posix(): f.read_bytes() for f in site.rglob("*") if f.is_file()}


def test_a_rebuild_on_another_day_changes_no_precached_file(builds):
    """Every file two builds of the same content differ in is left out of the precache or has the same
    revision in both, apart from sw.js, which differs in its BUILT line only."""
    one, two = files(builds.a), files(builds.a_again)
    assert one.keys() == two.keys()
    differ = sorted(name for name in one if one[name] != two[name])
    entries = {entry: entry for entry in precache_entries(builds.a)} | {
        e + "index.html" if e.endswith("/") else "index.html" if e == "./" else e: e for e in precache_entries(builds.a)}
    for name in differ:
        if name in entries:
            assert file_revision(builds.a, entries[name]) == file_revision(builds.a_again, entries[name]), name
    assert "sitemap.xml" in differ and "sw.js" in differ  # the known per-build files: the check did look
    assert version(builds.a) == version(builds.a_again) != version(builds.b)


# ---------------------------------------------------------------- in the browser

WORKER_COPY = """() => new Promise((done) => {
  const worker = navigator.serviceWorker.controller;
  if (!worker) return done(null);
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => done(event.data);
  worker.postMessage({ type: "refsite-version" }, [channel.port2]);
})"""
CACHED = """async () => {
  const names = (await caches.keys()).filter((name) => name.startsWith("refsite-"));
  return names.length === 1 ? (await (await caches.open(names[0])).keys()).length : -names.length;
}"""


def worker_copy(page) -> dict | None:
    return page.evaluate(WORKER_COPY)


def wait_until(check, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while not (result := check()):
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.2)
    return result


def first_visit(browser, host, site: Path):
    """A phone opens the page, its worker precaches the whole site, and the reader comes back to it
    (so it is served by the worker). The browser's HTTP cache now holds every file too (max-age)."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(host.url + PAGE)
    page.evaluate("navigator.serviceWorker.ready")
    wanted = len(precache_entries(site))
    wait_until(lambda: page.evaluate(CACHED) == wanted, "the whole site in one cache")
    page.reload()
    assert worker_copy(page)["version"] == version(site)
    return context, page


def changed_paths(old: Path, new: Path, prefix: str) -> set[str]:
    """What a reader's worker should fetch to go from old to new: the entries whose revision differs."""
    before = {e: file_revision(old, e) for e in precache_entries(old)}
    return {prefix + "/" + (e if e != "./" else "") for e in precache_entries(new)
            if before.get(e) != file_revision(new, e)}


def axe_violations(page) -> list[str]:
    """axe-core on the update banner and the offline note, in the light and the dark scheme (the rest of
    each page is test_accessibility's)."""
    from axe_playwright_python.sync_playwright import Axe

    found = []
    for scheme in ("default", "slate"):  # what Material's palette toggle sets
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        page.wait_for_timeout(300)  # past any colour transition
        results = Axe().run(page, ".update-notice, .offline-note")
        found += [f"{scheme}: {v['id']} {v['nodes'][0]['target']}" for v in results.response["violations"]]
    return found


@pytest.mark.browser
def test_a_returning_reader_gets_the_new_wording_is_told_and_keeps_it_offline(browser, builds):
    with hosted(builds.a, TEST_SITE_URL) as host:
        context, page = first_visit(browser, host, builds.a)
        assert OLD_WORDING in page.locator("article").inner_text()
        assert page.locator(".update-notice__box").count() == 0

        host.folder, since = builds.b, len(host.requests)  # the deploy
        page.goto(host.url + PAGE)  # load 1: the old copy, while the new worker fills its cache
        banner = page.locator(".update-notice__box")
        banner.wait_for(state="visible", timeout=60_000)
        assert page.get_by_role("status").filter(has_text="This reference was updated").count() == 1
        assert banner.get_by_role("button", name="reload").bounding_box()["height"] >= 44
        # only what changed was fetched, past the HTTP cache (which still holds the old files for 10 minutes)
        fetched = set(host.requests[since:]) - {host.prefix + "/sw.js"}
        changed = changed_paths(builds.a, builds.b, host.prefix)
        assert host.prefix + PAGE in changed and fetched <= changed, fetched - changed
        assert len(changed) < len(precache_entries(builds.b)) / 4
        assert axe_violations(page) == []
        # the banner stays through instant navigation (it sits outside Material's container)
        page.evaluate("document.querySelector('article').prepend(Object.assign(document.createElement('a'), "
                      "{href: '../about/', textContent: 'go', id: 'go'}))")
        tap_in_site(page, page.locator("#go"), "**/about/")
        assert banner.is_visible()

        banner.get_by_role("button", name="reload").click()  # load 2: the new wording
        page.wait_for_load_state()
        page.goto(host.url + PAGE)
        text = page.locator("article").inner_text()
        assert NEW_WORDING in text and OLD_WORDING not in text
        assert page.locator(".update-notice__box").count() == 0

        context.set_offline(True)
        page.goto(host.url + PAGE)
        text = page.locator("article").inner_text()
        assert NEW_WORDING in text and OLD_WORDING not in text
        note = page.locator(".offline-note")
        note.wait_for(state="visible")
        assert note.inner_text() == "Offline copy of 2026-12-08"
        assert axe_violations(page) == []
        page.evaluate("document.querySelector('article').prepend(Object.assign(document.createElement('a'), "
                      "{href: '../about/', textContent: 'go', id: 'go'}))")
        tap_in_site(page, page.locator("#go"), "**/about/")  # every page says it, after a swap too
        page.locator(".offline-note").wait_for(state="visible")
        context.set_offline(False)
        page.locator(".offline-note").wait_for(state="detached")
        context.close()


@pytest.mark.browser
def test_a_rebuild_of_the_same_content_fetches_nothing_but_sw_js(browser, builds):
    with hosted(builds.a, TEST_SITE_URL) as host:
        context, page = first_visit(browser, host, builds.a)
        context.set_offline(True)
        page.goto(host.url + PAGE)
        page.locator(".offline-note", has_text="Offline copy of 2026-12-07").wait_for()
        context.set_offline(False)

        host.folder, since = builds.a_again, len(host.requests)  # the same content, built a day later
        page.goto(host.url + PAGE)
        wait_until(lambda: (worker_copy(page) or {}).get("built") == "2026-12-08", "the new worker in charge")
        page.wait_for_timeout(1000)  # the new worker's activation has finished its work (there is none)
        assert page.locator(".update-notice__box").count() == 0
        for path in (PAGE, "/", "/white-cell-count-calculator/"):
            page.goto(host.url + path)
        assert set(host.requests[since:]) == {host.prefix + "/sw.js"}, host.requests[since:]
        assert page.locator(".update-notice__box").count() == 0
        context.set_offline(True)
        page.goto(host.url + PAGE)
        page.locator(".offline-note", has_text="Offline copy of 2026-12-08").wait_for()
        context.close()

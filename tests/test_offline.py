"""Offline after the first visit: the service worker and its precache."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.postbuild.service_worker import precache_entries, revisions, site_version
from site_plugins.offline import BundleInBackground
from tests.conftest import PHONE
from tests.test_browser import all_pages


def test_precache_covers_every_page_by_folder_url(built_site):
    entries = precache_entries(built_site)
    for page in all_pages(built_site):
        assert (page.lstrip("/") or "./") in entries
    assert "search/search_index.json" in entries
    assert "sw.js" not in entries and not any(e.endswith(".gz") for e in entries)


def test_version_changes_with_any_file(tmp_path):
    (tmp_path / "index.html").write_text("one")
    (tmp_path / "a.css").write_text("body{}")
    before = site_version(revisions(tmp_path, precache_entries(tmp_path)))
    (tmp_path / "a.css").write_text("body{color:red}")
    assert site_version(revisions(tmp_path, precache_entries(tmp_path))) != before


def test_a_failed_bundle_build_fails_loudly_and_leaves_nothing(tmp_path):
    bundle = BundleInBackground(tmp_path / "no-such-mkdocs.yml", prepare=lambda config: None, strict=True)
    with pytest.raises(RuntimeError, match="offline bundle's build failed"):
        bundle.finish()
    bundle.close()
    assert not bundle.folder.exists()


def test_build_with_bundle_in_background_fails_when_the_bundle_does(tmp_path):
    """A broken offline config fails `mkdocs build`, as a warning in the main build would."""
    import shutil
    import subprocess
    import sys

    from tests.conftest import ROOT
    project = tmp_path / "project"
    for name in ("content", "docs", "site_plugins", "generator"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project)
    (project / "mkdocs.offline.yml").write_text("INHERIT: mkdocs.yml\nnot_a_setting_of_mkdocs: [\n")
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                           cwd=project, capture_output=True, text=True, timeout=300)
    assert built.returncode != 0
    assert "offline bundle's build failed" in built.stdout + built.stderr
    assert not (tmp_path / "site" / "downloads" / "leukocytosis-reference-offline.zip").exists()


def test_built_worker_lists_the_built_files(built_site):
    worker = (built_site / "sw.js").read_text()
    assert '"leukemoid-reaction/"' in worker and "__VERSION__" not in worker
    assert "__PAGES_FIRST__" not in worker and "__THEN_THE_REST__" not in worker
    first = worker.split("const PAGES_FIRST = ")[1].split("];")[0]
    rest = worker.split("const THEN_THE_REST = ")[1].split("];")[0]
    assert '"leukemoid-reaction/"' in first and '"search/search_index.json"' in rest


def every_page_opens_offline_after_the_first_visit(browser, url: str, site: Path):
    """A phone that opened the home page once (so the service worker controls it and has precached
    the site), then lost its signal: every page of the site opens with its heading. Returns the
    context and page, still offline, for what the caller checks next."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url + "/")
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()  # now controlled by the worker
    assert page.evaluate("!!navigator.serviceWorker.controller")
    wanted, deadline = len(precache_entries(site)), time.monotonic() + 60
    cached = "async () => { const c = await caches.open((await caches.keys())[0]); return (await c.keys()).length; }"
    while page.evaluate(cached) < wanted and time.monotonic() < deadline:  # the rest follows the pages
        page.wait_for_timeout(200)
    context.set_offline(True)
    for path in all_pages(site):
        response = page.goto(url + path)
        assert response is not None and response.ok, path
        assert page.locator("h1").first.is_visible(), path
    return context, page


@pytest.mark.browser
def test_every_page_works_offline_after_first_visit(browser, site_url, built_site):
    context, page = every_page_opens_offline_after_the_first_visit(browser, site_url, built_site)
    # a calculator works offline: its page, its JSON and the script were precached
    page.goto(site_url + "/white-cell-count-calculator/")
    page.fill("#white-cell-count-wbc", "72")
    page.wait_for_function("document.querySelector('.calc-result').dataset.state === 'ok'")
    assert "72,000" in page.locator(".calc-result").inner_text()
    # search works offline too (its index and worker were precached)
    page.goto(site_url + "/")
    page.click("label.md-header__button[for=__search]")
    page.locator("input.md-search__input").press_sequentially("leukostasis", delay=20)
    page.wait_for_selector(".md-search-result__item")
    context.close()


@pytest.fixture(scope="module")
def offline_bundle(built_site, tmp_path_factory):
    import zipfile

    archive = built_site / "downloads" / "leukocytosis-reference-offline.zip"
    target = tmp_path_factory.mktemp("bundle")
    zipfile.ZipFile(archive).extractall(target)
    return target / "leukocytosis-reference-offline"


@pytest.mark.browser
def test_offline_bundle_works_from_file_urls_with_search(browser, offline_bundle):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((offline_bundle / "index.html").as_uri())
    assert "Thresholds at a glance" in page.content()
    page.click("label.md-header__button[for=__search]")
    page.locator("input.md-search__input").press_sequentially("leukostasis", delay=20)
    page.wait_for_selector(".md-search-result__item")
    page.locator(".md-search-result__item a[href*='hyperleukocytosis-and-leukostasis']").first.click()
    page.wait_for_url("**/hyperleukocytosis-and-leukostasis.html*")
    assert "leukostasis" in page.locator("h1").inner_text().lower()
    # the calculators and the checklist work from file:// too (classic script, no ES module)
    page.goto((offline_bundle / "white-cell-count-calculator.html").as_uri())
    page.fill("#white-cell-count-wbc", "72")
    page.wait_for_function("document.querySelector('.calc-result').dataset.state === 'ok'")
    assert "72,000" in page.locator(".calc-result").inner_text()
    page.goto((offline_bundle / "extreme-leukocytosis-checklist.html").as_uri())
    assert not page.locator(".checklist-noscript").is_visible()
    page.locator("fieldset input[type=radio][value=present]").first.check()
    page.wait_for_function("document.location.search.length > 1")
    assert errors == []
    assert all(url.startswith(("file://", "data:", "blob:", "about:")) for url in requests), requests
    context.close()

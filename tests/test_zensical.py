"""`make build-zensical`: the files it builds. (Its pages in a browser: test_zensical_browser.py;
search and axe: test_zensical_search.py; `make serve-zensical`: test_zensical_serve.py.)"""

from __future__ import annotations

import re
import zipfile

from generator.cli import engine_settings
from generator.postbuild import BUNDLE_NAME, BUNDLE_PATH
from generator.postbuild.hardening import PLACEHOLDER_NAME, inline_script_hashes
from tests.conftest import ROOT
from tests.test_hardening import POLICY


def test_every_page_has_a_filled_policy_that_allows_its_scripts_and_zensicals_search_style(zensical_site):
    style_hashes = {f"'{h}'" for h in engine_settings(ROOT / "mkdocs.zensical.yml")["extra"]["style_hashes"]}
    pages = list(zensical_site.rglob("*.html"))
    assert len(pages) >= 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        policies = POLICY.findall(html)
        assert len(policies) == 1 and PLACEHOLDER_NAME not in html, page
        directives = dict(d.strip().split(" ", 1) for d in policies[0].split(";"))
        scripts, styles = set(directives["script-src"].split()), set(directives["style-src"].split())
        assert inline_script_hashes(html) <= scripts, page
        assert styles == {"'self'"} | style_hashes and "'unsafe-inline'" not in scripts | styles
        assert html.index("Content-Security-Policy") < html.index("<script"), f"{page}: a script runs before the policy"


def test_the_service_worker_precaches_every_page_and_zensicals_search_index(zensical_site):
    worker = (zensical_site / "sw.js").read_text(encoding="utf-8")
    first = worker.split("const PAGES_FIRST = ")[1].split("];")[0]
    for page in zensical_site.rglob("index.html"):
        folder = page.parent.relative_to(zensical_site).as_posix()
        assert f'"{folder}/"' in worker or folder == "."
    assert '"./"' in first and '"leukemoid-reaction/"' in first and '"search.json"' in worker


def test_the_offline_bundle_is_zensicals_file_url_variant_without_a_policy(zensical_site):
    bundle = zipfile.ZipFile(zensical_site / BUNDLE_PATH)
    names = set(bundle.namelist())
    for page in ("index.html", "leukemoid-reaction.html", "white-cell-count-calculator.html", "search.js",
                 "assets/vendor/iframe-worker/shim.js"):
        assert f"{BUNDLE_NAME}/{page}" in names
    index = bundle.read(f"{BUNDLE_NAME}/index.html").decode()
    assert "Content-Security-Policy" not in index and 'href="leukemoid-reaction.html"' in index
    assert f"{BUNDLE_NAME}/leukemoid-reaction/index.html" not in names  # file URLs: no folder URLs


def test_the_synonyms_are_not_shown_as_tags_and_the_theme_is_the_classic_variant(zensical_site):
    html = (zensical_site / "leukemoid-reaction" / "index.html").read_text(encoding="utf-8")
    assert "md-tag" not in html  # the search synonyms in `tags:` are not a row of chips
    assert "Other names and spellings" in html
    assert re.search(r'href="[^"]*assets/stylesheets/classic/main\.[0-9a-f]+\.min\.css"', html)
    pinned = re.search(r"^zensical==(\S+)", (ROOT / "requirements-zensical.lock").read_text(), re.M).group(1)
    assert f'<meta name="generator" content="zensical-{pinned}">' in html


def test_the_home_tab_names_the_site_once_and_every_other_tab_its_page_then_the_site(zensical_site):
    tab = re.compile(r"<title>(.*?)</title>")
    assert tab.search((zensical_site / "index.html").read_text()).group(1) == "Extreme leukocytosis"
    assert tab.search((zensical_site / "leukemoid-reaction" / "index.html").read_text()).group(1) \
        == "Leukemoid reaction - Extreme leukocytosis"

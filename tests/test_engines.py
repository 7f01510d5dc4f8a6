"""One site, three engines: ProperDocs builds the MkDocs site file for file, the generator's Markdown
output holds everything the plugin adds to a page (so Zensical, which runs no plugin, renders the
same page bodies), and the generator never imports MkDocs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urljoin

import pytest

from generator.cli import engine_settings
from generator.markdown_out import write_folder
from generator.pipeline import check, checked_content
from generator.postbuild.bundle import BUNDLE_NAME, BUNDLE_PATH
from generator.render import Site, abbreviation_definitions, with_definitions
from tests.conftest import DEPLOYMENT, REAL_CONTENT, ROOT, run_cli

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
URL = re.compile(r'\b(href|src)="([^"]*)"')
# Zensical's theme puts the skip link's target inside the article; Material puts it elsewhere.
ZENSICAL_SKIP_TARGET = '<a id="__skip" tabindex="-1"></a>'
GENERATOR_META = re.compile(r'<meta name="generator" content="[^"]*">')
WORKER_VERSION = re.compile(r'const VERSION = "[0-9a-f]+";')
# Each precached file's revision is a hash of its bytes, so a page whose generator tag differs has another one.
WORKER_REVISION = re.compile(r'(\["[^"]+", )"[0-9a-f]{16}"(\])')


def page_bodies(site: Path) -> dict[str, list[str]]:
    """Each page's article, by path, as lines without their indentation, every link and source
    resolved to the address it leads to (engines spell relative links differently)."""
    bodies = {}
    for page in sorted(site.rglob("index.html")):
        folder = page.parent.relative_to(site).as_posix()
        here = "http://site/" + ("" if folder == "." else folder + "/")
        html = ARTICLE.search(page.read_text(encoding="utf-8")).group(1).replace(ZENSICAL_SKIP_TARGET, "")
        html = html.replace(" data-search-exclude", "")  # Material's search reads it; Zensical drops it
        html = URL.sub(lambda u: f'{u.group(1)}="{urljoin(here, u.group(2))}"', html)
        bodies[page.relative_to(site).as_posix()] = [line.strip() for line in html.splitlines() if line.strip()]
    return bodies


def same_but_for_the_engine(text: str) -> str:
    """A built file with what names the engine taken out: the generator tag, and so the worker's version and
    the pages' revisions in its precache list."""
    return WORKER_REVISION.sub(r'\1"…"\2', WORKER_VERSION.sub('const VERSION = "…";', GENERATOR_META.sub("", text)))


def test_properdocs_builds_the_mkdocs_site_file_for_file(built_site, tmp_path):
    """ProperDocs (the maintained fork of MkDocs 1.x, pinned in the lock) runs the same plugin, theme
    and post-build step: every built file, the offline bundle's pages included, is the MkDocs build's
    but for the generator tag."""
    site = tmp_path / "site"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("REFSITE_")}, **DEPLOYMENT}  # as built_site
    built = subprocess.run([sys.executable, "-m", "properdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                            "-d", str(site)], capture_output=True, text=True, cwd=ROOT, timeout=300, env=env)
    assert built.returncode == 0, built.stderr
    assert "ProperDocs" in (site / "index.html").read_text(encoding="utf-8")  # really built by ProperDocs
    ours = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert theirs == ours
    differ = []
    for path in ours:
        if path == BUNDLE_PATH:
            continue
        mine, other = (built_site / path).read_bytes(), (site / path).read_bytes()
        if path.endswith((".html", ".js")):
            mine, other = (same_but_for_the_engine(x.decode("utf-8")) for x in (mine, other))
        if mine != other:
            differ.append(path)
    assert differ == []
    bundles = [zipfile.ZipFile(s / BUNDLE_PATH) for s in (built_site, site)]
    assert bundles[0].namelist() == bundles[1].namelist()
    for name in bundles[0].namelist():
        assert same_but_for_the_engine(bundles[0].read(name).decode("utf-8", "replace")) == \
            same_but_for_the_engine(bundles[1].read(name).decode("utf-8", "replace")), name


def test_zensical_renders_every_page_body_as_mkdocs_does(built_site, zensical_site):
    """Zensical runs none of our plugin: it builds `refsite build --markdown-out`. The page bodies
    come out the same, abbreviation tooltips, citations, figures and links included."""
    mkdocs, zensical = page_bodies(built_site), page_bodies(zensical_site)
    assert len(mkdocs) >= 20 and sorted(zensical) == sorted(mkdocs)
    assert [path for path in mkdocs if mkdocs[path] != zensical[path]] == []
    assert sum(line.count("<abbr ") for lines in zensical.values() for line in lines) > 100


def test_the_offline_bundle_link_works_in_every_engine(built_site, zensical_site):
    """The About page's link to the zip resolves to the zip in both builds, from the page's own
    folder, so it holds under a sub-path too."""
    for site in (built_site, zensical_site):
        about = (site / "about" / "index.html").read_text(encoding="utf-8")
        assert re.search(r'<a [^>]*href="\.\./downloads/leukocytosis-reference-offline\.zip"', about), site
        assert zipfile.ZipFile(site / BUNDLE_PATH).namelist()[0].startswith(BUNDLE_NAME + "/")


def test_markdown_out_gives_each_page_the_body_the_plugin_gives_mkdocs(tmp_path):
    """Split as MkDocs splits a page, every Markdown file written holds the front matter and the
    body (abbreviation definitions appended) that the plugin's on_page_markdown hands MkDocs."""
    from mkdocs.utils.meta import get_data

    out = tmp_path / "markdown"
    built = run_cli(REAL_CONTENT, "build", "--config", str(ROOT / "mkdocs.yml"), "--markdown-out", str(out),
                    "--docs", str(ROOT / "docs"))
    assert built.returncode == 0, built.stdout + built.stderr
    settings = engine_settings(ROOT / "mkdocs.yml")
    content, _ = check(REAL_CONTENT)
    pages = checked_content(REAL_CONTENT).pages(Site(settings["site_name"], settings["site_url"]))
    pages |= {p.relative_to(ROOT / "docs").as_posix(): p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md")}
    definitions = abbreviation_definitions(content)
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md"))
    assert written == sorted(path for path in pages if path.endswith(".md"))
    for path in written:
        body, meta = get_data(pages[path])
        assert get_data((out / path).read_text(encoding="utf-8")) == (with_definitions(body, definitions, ""), meta), path
    assert "*[CML]: " in (out / "leukemoid-reaction.md").read_text(encoding="utf-8")
    assert (out / "assets/icons/icon-192.png").read_bytes() == (ROOT / "docs/assets/icons/icon-192.png").read_bytes()


def test_a_later_docs_folder_replaces_an_earlier_ones_files(tmp_path):
    engine = tmp_path / "engine"
    (engine / "overrides" / "partials").mkdir(parents=True)
    (engine / "overrides" / "partials" / "search.html").write_text("engine's own")
    out = tmp_path / "markdown"
    built = run_cli(REAL_CONTENT, "build", "--markdown-out", str(out), "--docs", str(ROOT / "docs"), str(engine))
    assert built.returncode == 0, built.stdout + built.stderr
    assert (out / "overrides" / "partials" / "search.html").read_text() == "engine's own"
    assert (out / "overrides" / "main.html").read_bytes() == (ROOT / "docs/overrides/main.html").read_bytes()


def test_writing_the_markdown_touches_only_what_changed(tmp_path):
    """An engine's watcher rebuilds only what changed; a file the site no longer has goes."""
    out = tmp_path / "out"
    assert write_folder({"a.md": b"one", "sub/b.md": b"two", "old/c.md": b"x"}, out) == 3
    kept = (out / "a.md").stat().st_mtime_ns
    assert write_folder({"a.md": b"one", "sub/b.md": b"three"}, out) == 2  # b rewritten, c removed
    assert (out / "a.md").stat().st_mtime_ns == kept and (out / "sub/b.md").read_bytes() == b"three"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == ["a.md", "sub", "sub/b.md"]


@pytest.mark.parametrize("out", ["content", "docs", "."])
def test_markdown_out_refuses_a_folder_holding_content_or_docs(content_copy, out):
    project = content_copy.parent
    (project / "docs").mkdir()
    (project / "docs" / "keep.md").write_text("mine")
    refused = run_cli(content_copy, "build", "--markdown-out", out, "--docs", "docs")
    assert refused.returncode == 2 and "give the Markdown its own folder" in refused.stderr
    assert (project / "docs" / "keep.md").read_text() == "mine" and (content_copy / "sources").is_dir()


def test_engine_settings_follow_inherit():
    offline = engine_settings(ROOT / "mkdocs.offline.yml")
    main = engine_settings(ROOT / "mkdocs.yml")
    assert offline["site_name"] == main["site_name"] and offline["site_url"] == main["site_url"]
    assert offline["use_directory_urls"] is False and "use_directory_urls" not in main


def test_the_generator_never_imports_an_engine(tmp_path):
    """Every generator module, the Markdown output and the post-build step, in a fresh process:
    no MkDocs (or its fork) among the loaded modules."""
    script = f"""
import pkgutil, importlib, sys
from pathlib import Path
import generator
for module in pkgutil.walk_packages(generator.__path__, "generator."):
    importlib.import_module(module.name)
from generator.cli import main
assert main(["--content", {str(REAL_CONTENT)!r}, "build", "--markdown-out", {str(tmp_path / "md")!r},
             "--docs", {str(ROOT / "docs")!r}]) == 0
site = Path({str(tmp_path / "site")!r}); site.mkdir()
(site / "index.html").write_text("<html></html>")
assert main(["postbuild", str(site)]) == 0
engines = sorted(m for m in sys.modules if m.split(".")[0] in ("mkdocs", "properdocs", "material", "zensical"))
assert engines == [], engines
"""
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr

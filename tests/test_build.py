"""The real `mkdocs build --strict` on the real content."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.pipeline import check
from generator.render.kit import fact_pages
from generator.widgets import WIDGETS
from tests.conftest import REAL_CONTENT, ROOT, TEST_SITE_URL, mkdocs_build


def html_of(site: Path, page: str) -> str:
    name = page.removesuffix(".md")
    return (site / ("index.html" if name == "index" else f"{name}/index.html")).read_text()


def test_real_content_is_valid():
    _, problems = check(REAL_CONTENT)
    assert [str(p) for p in problems] == []


def test_every_fact_appears_on_its_page_with_a_citation(built_site):
    content, _ = check(REAL_CONTENT)
    for fact_id, page in fact_pages(content).items():
        html = html_of(built_site, page)
        assert f'id="{fact_id}"' in html, f"{fact_id} missing from {page}"
    assert html.count('class="cite') >= 1


def test_glossary_abbreviations_become_tooltips_and_their_definitions_vanish(built_site):
    content, _ = check(REAL_CONTENT)
    html = html_of(built_site, "leukemoid-reaction.md")
    shown = set(re.findall(r"<abbr title=\"[^\"]+\">([^<]+)</abbr>", html))
    assert shown and shown <= {entry.term for entry in content.glossary.values()}
    assert "*[" not in html


def test_home_page_has_thresholds_red_flags_and_topics(built_site):
    html = html_of(built_site, "index.md")
    for text in ("Thresholds at a glance", "Red flags", "Leukemoid reaction", "Source discrepancies"):
        assert text in html


def tab_title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html).group(1)


def test_the_home_tab_names_the_site_once_and_every_other_tab_its_page_then_the_site(built_site):
    assert tab_title(html_of(built_site, "index")) == "Extreme leukocytosis"
    assert tab_title(html_of(built_site, "leukemoid-reaction")) == "Leukemoid reaction - Extreme leukocytosis"


def test_cohort_page_shows_discrepancies_next_to_facts(built_site):
    html = html_of(built_site, "bone-tumour-cohort-study.md")
    assert html.count('class="admonition warning discrepancy"') >= 3
    assert "The source disagrees with itself" in html
    assert re.search(r'id="discrepancy-[a-z0-9-]+"', html)


def test_sources_page_shows_every_source_with_appraisal(built_site):
    content, _ = check(REAL_CONTENT)
    html = html_of(built_site, "sources.md")
    for source in content.sources.values():
        assert f'id="{source.id}"' in html
        assert source.appraisal.summary.split()[0] in html


def test_no_reference_to_another_host_in_built_files(built_site):
    pattern = re.compile(r'(?:src|href)=["\'](?:https?:)?//(?!127\.0\.0\.1)', re.I)
    canonical = f'<link rel="canonical" href="{TEST_SITE_URL}'  # names the page's published address; loads nothing
    for file in built_site.rglob("*.html"):
        text = file.read_text()
        for match in pattern.finditer(text):
            line = text[match.start():match.start() + 120]
            if text.startswith(canonical, match.start() - len('<link rel="canonical" ')):
                continue
            # outbound links a reader may choose to follow are fine; loaded resources are not
            assert "<a " in text[max(0, match.start() - 200):match.start()], f"{file}: {line}"


def copy_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("docs", "content"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def test_bad_content_fails_build_with_location_and_leaves_site_untouched(tmp_path):
    project = copy_project(tmp_path)
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("previous good build")
    facts = next((project / "content" / "facts").glob("*.yaml"))
    lines = facts.read_text().splitlines(keepends=True)
    target = next(i for i, line in enumerate(lines) if "statement:" in line)
    lines[target] = lines[target].replace("statement:", "statment:")
    facts.write_text("".join(lines))
    result = mkdocs_build(project / "mkdocs.yml", site)
    assert result.returncode != 0
    assert f"content/facts/{facts.name}:{target + 1}:" in result.stderr
    assert "unknown key 'statment'" in result.stderr and "did you mean 'statement'" in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text() == "previous good build"


def test_unknown_inline_citation_key_fails_the_build_with_its_line(tmp_path):
    project = copy_project(tmp_path)
    topic = project / "content" / "topics" / "leukemoid-reaction.yaml"
    lines = topic.read_text().splitlines(keepends=True)
    target = next(i for i, line in enumerate(lines) if line.startswith("summary:")) + 3  # inside the paragraph
    lines[target] = lines[target].rstrip("\n") + " [@no-such-source, Table IX]\n"
    topic.write_text("".join(lines))
    result = mkdocs_build(project / "mkdocs.yml", project / "site")
    assert result.returncode != 0
    assert f"content/topics/leukemoid-reaction.yaml:{target + 1}:" in result.stderr
    assert "unknown source 'no-such-source'" in result.stderr and "Traceback" not in result.stderr


def built_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html") if "search" not in p.parts)


def test_every_citation_marker_resolves_to_a_popover_on_its_page(built_site):
    markers = 0
    for page in built_pages(built_site):
        html = page.read_text()
        for target in re.findall(r'popovertarget="([^"]+)"', html):
            markers += 1
            assert re.search(rf'id="{target}"[^>]*popover="auto"|popover="auto"[^>]*id="{target}"', html), \
                f"{page}: popover {target} missing"
        for anchor in re.findall(r'href="#(ref-[^"]+)"', html):
            assert f'id="{anchor}"' in html, f"{page}: #{anchor} missing"
    assert markers > 100


def test_each_source_page_lists_every_fact_that_cites_it(built_site):
    content, _ = check(REAL_CONTENT)
    pages = fact_pages(content)
    for source in content.sources.values():
        html = (built_site / "sources" / source.id / "index.html").read_text()
        for fact in content.facts.values():
            if any(c.source == source.id for c in fact.cite):
                topic = pages[fact.id].removesuffix(".md")
                assert f'href="../../{topic}/#{fact.id}"' in html, f"{fact.id} missing from {source.id}"


def test_discrepancies_and_facts_link_both_ways(built_site):
    content, _ = check(REAL_CONTENT)
    pages = fact_pages(content)
    listing = html_of(built_site, "discrepancies.md")
    for fact in content.facts.values():
        topic_html = html_of(built_site, pages[fact.id])
        for d in fact.discrepancies:
            assert f'id="discrepancy-{d.id}"' in listing
            assert f'href="../discrepancies/#discrepancy-{d.id}"' in topic_html
            assert f'href="../{pages[fact.id].removesuffix(".md")}/#{fact.id}"' in listing


def test_downloads_are_in_the_site(built_site):
    for name in ("references.bib", "references.ris", "references.json"):
        assert (built_site / "downloads" / name).stat().st_size > 500
    assert 'href="../downloads/references.bib"' in html_of(built_site, "sources.md")


# A script's own top-level names: its functions and constants.
DEFINED = re.compile(r"^(?:async function|function|const|let) (\w+)", re.M)


def test_each_widget_script_is_served_loaded_after_the_core_and_none_of_it_is_in_the_core(built_site):
    """A widget's browser script lives in its package and is served at assets/widgets/<name>.js, after the
    shared core (assets/refsite.js) on the widget's pages; the core neither defines nor names any function
    or constant of a widget's script, and no widget's script names another's."""
    from urllib.parse import urljoin

    content, _ = check(REAL_CONTENT)
    core = re.sub(r"//.*", "", (built_site / "assets" / "refsite.js").read_text(encoding="utf-8"))
    scripts = {widget.name: widget.script() for widget in WIDGETS}
    defined = {name: set(DEFINED.findall(script)) for name, script in scripts.items()}
    for widget in WIDGETS:
        assert (built_site / "assets" / "widgets" / f"{widget.name}.js").read_text(encoding="utf-8") == scripts[widget.name]
        assert len(defined[widget.name]) > 5, f"{widget.name}.js: its functions were not found"
        for page in widget.paths(content).values():
            here = "http://site/" + page.removesuffix(".md") + "/"
            loaded = [urljoin(here, src) for src in re.findall(r'<script src="([^"]+)"', html_of(built_site, page))]
            assert f"http://site/assets/widgets/{widget.name}.js" in loaded, f"{page} does not load its widget's script"
            assert loaded.index("http://site/assets/refsite.js") < loaded.index(f"http://site/assets/widgets/{widget.name}.js")
        assert not [n for n in defined[widget.name] if re.search(rf"\b{n}\b", core)], f"the core holds {widget.name}'s code"
        for other, script in scripts.items():
            if other != widget.name:
                code = re.sub(r"//.*", "", script)
                assert not [n for n in defined[widget.name] if re.search(rf"(?<![.\w]){n}\b", code)], \
                    f"{other}.js uses {widget.name}.js"


def test_every_link_the_site_can_show_finds_its_page_and_place(built_site):
    """Links in the pages and inside widget data (calculator results, the checklist summary) land on an
    element with their #anchor: MkDocs --strict checks only the Markdown links it converts."""
    from urllib.parse import urlsplit

    from generator.linkcheck import broken_links, page_links
    from tests.conftest import DEPLOYMENT

    assert broken_links(built_site, base=urlsplit(DEPLOYMENT["REFSITE_SITE_URL"]).path) == []
    calculator = (built_site / "white-cell-count-calculator" / "index.html").read_text(encoding="utf-8")
    in_data = [link for link in page_links(calculator) if link not in re.findall(r'href="([^"]*)"', calculator)]
    assert len(in_data) >= 10 and any("#" in link for link in in_data)  # the widget's own links are read too


def test_a_link_into_nowhere_inside_widget_data_fails_the_build(built_site, tmp_path):
    """The post-build step every engine runs (the plugin and `refsite postbuild`) refuses the site."""
    from generator import PostbuildError, finish_site
    from tests.conftest import DEPLOYMENT

    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    page = site / "white-cell-count-calculator" / "index.html"
    text = page.read_text(encoding="utf-8")
    assert 'href=\\"../leukemoid-reaction/#' in text
    page.write_text(text.replace('href=\\"../leukemoid-reaction/#', 'href=\\"leukemoid-reaction.md#', 1), encoding="utf-8")
    with pytest.raises(PostbuildError, match=r"white-cell-count-calculator/index.html: leukemoid-reaction.md#\S+ \(no such page\)"):
        finish_site(site, DEPLOYMENT["REFSITE_SITE_URL"], with_service_worker=False)

"""The real `mkdocs build --strict` on the real content."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from generator.pipeline import check
from generator.render import fact_pages
from tests.conftest import REAL_CONTENT, ROOT, mkdocs_build


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


def test_home_page_has_thresholds_red_flags_and_topics(built_site):
    html = html_of(built_site, "index.md")
    for text in ("Thresholds at a glance", "Red flags", "Leukemoid reaction", "Source discrepancies"):
        assert text in html


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
    for file in built_site.rglob("*.html"):
        for match in pattern.finditer(file.read_text()):
            line = file.read_text()[match.start():match.start() + 120]
            # outbound links a reader may choose to follow are fine; loaded resources are not
            assert "<a " in file.read_text()[max(0, match.start() - 200):match.start()], f"{file}: {line}"


def test_bad_content_fails_build_with_location_and_leaves_site_untouched(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("docs", "content"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
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

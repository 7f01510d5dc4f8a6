"""From "this looks wrong" to a pull request: "Suggest a correction" opens GitHub's web editor at
the line of the record's YAML, "Report a problem" a pre-filled issue form. The addresses come
from the environment; without a repository there are no such links, and a build for deployment
refuses the local site address."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest

from generator.content import load_content
from generator.links import Repository, edit_url, fact_issue_url, page_issue_url, repository
from generator.pipeline import check, checked_content
from generator.render.kit import Site
from generator.render.search import glossary_by_topic
from generator.widgets.checklist.spec import checklist_items
from site_plugins.refsite_plugin import deployment_problem
from tests.conftest import (PHONE, REAL_CONTENT, ROOT, TEST_REPOSITORY, TEST_SITE_URL, line_of, mkdocs_build,
                            run_cli)
from tests.test_browser import all_pages

EDIT = f"{TEST_REPOSITORY}/edit/main/"
NEW_ISSUE = f"{TEST_REPOSITORY}/issues/new?"
ID_LINE = re.compile(r"^\s*(?:-\s+)?id:\s*(\S+)\s*$")


def records(content):
    """Every record a page can show, nested ones included (checklist items, discrepancies)."""
    for kind, table in content.records.items():
        yield from table.values()
    for checklist in content.checklists.values():
        yield from checklist_items(checklist)
    for fact in content.facts.values():
        yield from fact.discrepancies


def id_on_line(file: str, line: int) -> str | None:
    """The id a content file's line holds (`id: x` or `- id: x`), read as plain text."""
    lines = (ROOT / file).read_text().splitlines()
    match = ID_LINE.match(lines[line - 1]) if 0 < line <= len(lines) else None
    return match.group(1) if match else None


# ---------------------------------------------------------------- the generator's link makers


def test_every_record_is_located_at_the_line_of_its_id():
    content, problems = check(REAL_CONTENT)
    assert problems == []
    found = list(records(content))
    assert {type(r).__name__ for r in found} >= {"Fact", "Source", "Topic", "GlossaryEntry", "Calculator",
                                                 "Checklist", "ChecklistItem", "Discrepancy"}
    for record in found:
        file, line = content.location(record)
        assert id_on_line(file, line) == record.id, (file, line, record.id)


def test_suggest_a_correction_opens_the_web_editor_at_that_line(content_copy):
    content, _ = load_content(content_copy)
    repo = repository(TEST_REPOSITORY + ".git/")  # as a clone address, with a trailing slash
    line = line_of(content_copy / "facts" / "facts.yaml", "id: test-sex")
    assert edit_url(content, content.facts["test-sex"], repo) == f"{EDIT}content/facts/facts.yaml#L{line}"
    assert edit_url(content, content.facts["test-sex"], Repository()) == ""


@pytest.mark.parametrize("bad", ["git@github.com:example/x.git", "https://github.com/example", "github.com/example/x",
                                 "https://github.com/example/x/tree/main"])
def test_a_repository_address_that_is_not_one_is_refused(bad):
    with pytest.raises(ValueError, match="https://github.com/owner/name"):
        repository(bad)


def test_a_facts_report_link_carries_its_id_page_sources_and_locators(content_copy):
    content, _ = load_content(content_copy)
    url = fact_issue_url(repository(TEST_REPOSITORY), content.facts["test-threshold"], TEST_SITE_URL + "test-topic/")
    assert url.startswith(NEW_ISSUE)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert query == {"template": "correct-a-fact.yml", "title": "Correction: test-threshold",
                     "fact-id": "test-threshold", "page": TEST_SITE_URL + "test-topic/#test-threshold",
                     "source": "cohort", "locator": "Introduction"}
    page = page_issue_url(repository(TEST_REPOSITORY), TEST_SITE_URL + "a b/", "Tests & more")
    assert parse_qs(urlsplit(page).query) == {"template": ["site-problem.yml"], "title": ["Problem on: Tests & more"],
                                              "page": [TEST_SITE_URL + "a b/"]}


def test_without_a_repository_pages_have_no_correction_links(content_copy):
    plain = checked_content(content_copy, with_history=False).pages()
    linked = checked_content(content_copy, with_history=False).pages(Site("Test", TEST_SITE_URL, repository(TEST_REPOSITORY)))
    assert not any("Suggest a correction" in page or "/edit/" in page for page in plain.values())
    assert linked["test-topic.md"].count("Suggest a correction") >= 4 and "issues/new?" in linked["test-topic.md"]


def test_markdown_for_other_engines_carries_the_links_when_given_a_repository(content_copy, tmp_path):
    out = tmp_path / "out"
    result = run_cli(content_copy, "build", "--markdown-out", str(out), "--docs", str(ROOT / "docs"),
                     "--site-url", TEST_SITE_URL, "--repo-url", TEST_REPOSITORY)
    assert result.returncode == 0, result.stderr
    line = line_of(content_copy / "topics" / "test-topic.yaml", "id: test-topic")
    assert f'href="{EDIT}content/topics/test-topic.yaml#L{line}"' in (out / "test-topic.md").read_text()
    refused = run_cli(content_copy, "build", "--markdown-out", str(out), "--repo-url", "github.com/example/x")
    assert refused.returncode == 2 and "--repo-url" in refused.stderr


# ---------------------------------------------------------------- the built site


def html_pages(site: Path) -> dict[str, lxml.html.HtmlElement]:
    return {path: lxml.html.fromstring((site / path.strip("/") / "index.html").read_bytes()) for path in all_pages(site)}


@pytest.fixture(scope="module")
def pages(built_site):
    return html_pages(built_site)


def owner(anchor, path: str, glossary_ids: dict[str, str]) -> str | None:
    """The id of the record a link sits with, read from the page around it."""
    card = anchor.xpath("ancestor::div[contains(concat(' ', @class, ' '), ' fact ')][@id]")
    if card:
        return card[-1].get("id")
    row = anchor.xpath("ancestor::tr[1]")
    if row:  # fact tables mark the row's fact with an anchor, figure tables with data-fact
        return (row[0].xpath(".//span/@id") + row[0].xpath(".//span/@data-fact"))[0]
    if anchor.xpath("ancestor::ul[contains(@class, 'topic-synonyms__glossary')]"):
        return glossary_ids[anchor.xpath("ancestor::li[1]")[0].text.removeprefix("Glossary:").strip()]
    if anchor.xpath("ancestor::p[contains(@class, 'correction-page')]"):
        return path.strip("/")
    item = anchor.xpath("ancestor::li[1]")
    if item:  # a reference (its anchor) or a red flag (its "Context and sources" link)
        ids = item[0].xpath(".//span/@id") or [h.split("#")[-1] for h in item[0].xpath(".//a[contains(@href, '#')]/@href")]
        return ids[0]
    if path == "/discrepancies/":
        return anchor.xpath("preceding::h2[starts-with(@id, 'discrepancy-')][1]/@id")[0].removeprefix("discrepancy-")
    if path.startswith("/sources/"):
        return path.strip("/").removeprefix("sources/")
    return None


def test_every_edit_link_points_at_the_line_holding_its_records_id(pages):
    content, _ = check(REAL_CONTENT)
    glossary_ids = {e.term: e.id for e in content.glossary.values()}
    checked, kinds = 0, set()
    for path, html in pages.items():
        for anchor in html.xpath(f"//a[starts-with(@href, '{EDIT}')]"):
            file, _, line = anchor.get("href").removeprefix(EDIT).partition("#L")
            assert file.startswith("content/") and file.endswith(".yaml"), anchor.get("href")
            held = id_on_line(file, int(line))
            assert held is not None, f"{path}: {anchor.get('href')} is not the line of an id"
            expected = owner(anchor, path, glossary_ids)
            if expected is not None:
                assert held == expected, f"{path}: link beside {expected} opens {file}:{line} ({held})"
                checked += 1
                kinds.add(file.split("/")[1])
    assert kinds >= {"facts", "sources", "topics", "glossary"} and checked > 100


def test_every_fact_on_a_topic_page_can_be_corrected_and_reported(pages):
    content, _ = check(REAL_CONTENT)
    for topic in content.topics.values():
        html = pages[f"/{topic.id}/"]
        for section in topic.sections:
            for fact_id in section.facts:
                box = html.xpath(f"//*[@id='{fact_id}']/ancestor-or-self::*[self::div or self::tr][1]")[0]
                edit, report = [a.get("href") for a in box.xpath(".//a[contains(@class, 'correction__link')]")]
                file, _, line = edit.removeprefix(EDIT).partition("#L")
                assert id_on_line(file, int(line)) == fact_id
                query = {k: v[0] for k, v in parse_qs(urlsplit(report).query).items()}
                fact = content.facts[fact_id]
                assert report.startswith(NEW_ISSUE) and query["template"] == "correct-a-fact.yml"
                assert query["fact-id"] == fact_id and query["page"] == f"{TEST_SITE_URL}{topic.id}/#{fact_id}"
                assert query["source"] == "; ".join(c.source for c in fact.cite)
                assert query["locator"] == "; ".join(c.locator for c in fact.cite)


def test_sources_and_glossary_entries_can_be_corrected(pages):
    content, _ = check(REAL_CONTENT)
    references = pages["/sources/"]
    for source in content.sources.values():
        item = references.xpath(f"//span[@id='{source.id}']/ancestor::li[1]")[0]
        assert item.xpath(f".//a[starts-with(@href, '{EDIT}content/sources/')]"), source.id
        assert pages[f"/sources/{source.id}/"].xpath(f"//a[starts-with(@href, '{EDIT}content/sources/')]")
    for topic_id, entries in glossary_by_topic(content).items():
        shown = pages[f"/{topic_id}/"].xpath(f"//ul[contains(@class, 'topic-synonyms__glossary')]//a[starts-with(@href, '{EDIT}')]")
        assert len(shown) == len(entries), topic_id


def test_every_page_but_the_card_reports_a_problem_with_its_own_address(pages):
    for path, html in pages.items():
        links = html.xpath("//p[contains(@class, 'page-report')]/a/@href")
        if path == "/quick-reference/":
            assert links == [] and not html.xpath(f"//a[starts-with(@href, '{TEST_REPOSITORY}')]")
            continue
        assert len(links) == 1, path
        query = {k: v[0] for k, v in parse_qs(urlsplit(links[0]).query).items()}
        assert links[0].startswith(NEW_ISSUE) and query["template"] == "site-problem.yml"
        assert query["page"] == TEST_SITE_URL + path.lstrip("/"), path


def test_search_finds_content_not_the_correction_links(built_site):
    index = (built_site / "search" / "search_index.json").read_text()
    assert "leukostasis" in index and "Suggest a correction" not in index and "Report a problem" not in index


def test_the_deployed_build_uses_the_published_address(built_site, pages):
    assert pages["/leukemoid-reaction/"].xpath("//link[@rel='canonical']/@href") == [TEST_SITE_URL + "leukemoid-reaction/"]
    assert f"<loc>{TEST_SITE_URL}leukemoid-reaction/</loc>" in (built_site / "sitemap.xml").read_text()
    assert pages["/leukemoid-reaction/"].xpath("//code[@class='cite-this__url']/text()") == [TEST_SITE_URL + "leukemoid-reaction/"]


def test_a_local_build_has_no_correction_links_and_builds_cleanly(tmp_path):
    result = mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert not re.search(r"^(WARNING|ERROR)", result.stderr, re.M), result.stderr
    for path, html in html_pages(tmp_path / "site").items():
        assert not html.xpath("//a[contains(@href, '/edit/') or contains(@href, '/issues/new')]"), path
        assert not html.xpath("//*[contains(@class, 'correction') or contains(@class, 'page-report')]"), path
    assert "http://127.0.0.1:8000/leukemoid-reaction/" in (tmp_path / "site" / "leukemoid-reaction" / "index.html").read_text()


@pytest.mark.parametrize("url, local", [("http://127.0.0.1:8000/", True), ("http://localhost:8000/", True),
                                        ("http://[::1]:8000/", True), ("http://app.localhost/", True), (None, True),
                                        ("https://example.github.io/x/", False), ("https://reference.example.org/", False)])
def test_only_a_public_address_will_do_for_deployment(url, local):
    assert bool(deployment_problem(url)) is local


def test_a_build_for_deployment_at_the_local_address_is_an_error(tmp_path):
    result = mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "site", {"REFSITE_DEPLOY": "true"})
    assert result.returncode != 0
    assert "needs the site's public address, not 'http://127.0.0.1:8000/'" in result.stderr
    assert not (tmp_path / "site").exists()
    bad_repo = mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "site",
                            {"REFSITE_REPO_URL": "git@github.com:example/leukocytosis-reference.git"})
    assert bad_repo.returncode != 0 and "REFSITE_REPO_URL" in bad_repo.stderr


# ---------------------------------------------------------------- in the browser


@pytest.mark.browser
def test_tapping_the_links_opens_github_and_nothing_loads_before(browser, site_url):
    """At 390×844: no request to GitHub while the page loads; each tap opens its address
    (answered here by a stand-in page: no network)."""
    content, _ = check(REAL_CONTENT)
    topic = content.topics["leukemoid-reaction"]
    fact = content.facts[topic.sections[0].facts[0]]
    file, line = content.location(fact)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    github, other = [], []

    def answer(route):
        url = route.request.url
        if url.startswith(site_url):
            route.continue_()
        elif url.startswith(TEST_REPOSITORY + "/"):
            github.append(url)
            route.fulfill(status=200, content_type="text/html", body="<title>GitHub stand-in</title>")
        else:
            other.append(url)
            route.abort()

    context.route("**/*", answer)
    try:
        expected = {"edit": f"{EDIT}{file}#L{line}",
                    "report": fact_issue_url(repository(TEST_REPOSITORY), fact, f"{TEST_SITE_URL}{topic.id}/"),
                    "page": page_issue_url(repository(TEST_REPOSITORY), f"{TEST_SITE_URL}{topic.id}/", topic.title)}
        for which, link in (("edit", f"#{fact.id} a.correction__link >> nth=0"),
                            ("report", f"#{fact.id} a.correction__link >> nth=1"),
                            ("page", "p.page-report a")):
            page.goto(f"{site_url}/{topic.id}/", wait_until="networkidle")
            assert github == [] and other == []
            page.locator(link).scroll_into_view_if_needed()
            page.locator(link).tap()
            page.wait_for_url(expected[which], timeout=5000)
            assert page.title() == "GitHub stand-in"
            assert github == [expected[which].split("#")[0]]
            github.clear()
    finally:
        context.close()


@pytest.mark.browser
def test_correction_links_are_not_printed(browser, site_url):
    page = browser.new_page()
    page.goto(f"{site_url}/leukemoid-reaction/")
    assert page.locator(".fact .correction").first.is_visible() and page.locator(".page-report").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".correction:visible, .correction-page:visible, .page-report:visible").count() == 0
    page.close()

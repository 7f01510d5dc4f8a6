"""Content text through the same Markdown engine and extensions the site uses:
plain text comes out exactly as typed, prose gets only the allowed subset, and
no input makes HTML, script, images or page structure."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import pytest
from mkdocs.utils.yaml import yaml_load
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.markup import literal, markdown_subset
from generator.pipeline import check
from generator.pipeline import CheckedContent
from tests.conftest import ROOT, replace


def site_markdown(text: str) -> str:
    """Markdown → HTML with the extensions listed in mkdocs.yml, inside a fact's <div markdown>."""
    config = yaml_load((ROOT / "mkdocs.yml").read_text())  # MkDocs' own reading: it knows !ENV
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        configs[name] = options or {}
    page = f'<div class="fact" markdown>\n\n{text} after\n\n</div>\n'
    return markdown.markdown(page, extensions=names, extension_configs=configs)


class Elements(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def inner(self) -> list[tuple[str, dict]]:
        return [t for t in self.tags if not (t[0] in ("div", "p") and t[1].get("class") in ("fact", None))]


def one_line(text: str) -> str:
    return " ".join(text.split())


ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<!-- hidden --> text",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java&#115;cript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![tracker](https://tracker.example/pixel.png)",
    "<https://tracker.example/>",
    "*[WBC]: redefined abbreviation",
    "text { onclick=\"alert(1)\" }",
    "text{: .admonition }",
    "# A heading",
    "1. A list",
    "- A list",
    "> A quote",
    "| a | b |\n|---|---|\n| c | d |",
    "!!! danger \"Injected\"",
    "??? note",
    "--8<-- \"/etc/passwd\"",
    "    indented code",
    "line one\n\n# heading after a blank line",
    "&lt;script&gt; as entities",
    "`<b>code</b>`",
    "\\<b>escaped\\</b>",
    "[site](leukemoid-reaction.md) but [bad](../../etc/passwd) and [x](//evil.example)",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_plain_text_renders_exactly_as_typed(attack):
    page = Elements(site_markdown(str(literal(attack))))
    assert page.inner() == [], page.tags
    assert one_line("".join(page.text)) == one_line(attack) + " after"


@pytest.mark.parametrize("attack", ATTACKS)
def test_prose_subset_makes_no_other_element_and_no_unsafe_link(attack):
    page = Elements(site_markdown(str(markdown_subset(attack))))
    for tag, attrs in page.inner():
        assert tag in ("em", "strong", "code", "a"), (tag, attrs)
        assert not any(name.startswith("on") for name in attrs)
        if tag == "a":
            assert re.match(r"^(https?://|[a-z0-9-]+\.md|#)", attrs["href"]), attrs


def test_prose_subset_allows_emphasis_code_and_links():
    html = site_markdown(str(markdown_subset(
        "Count is *very* high, **urgent**, see `WBC > 100`, [the review](https://doi.org/10.1/x_y) "
        "and [leukostasis](hyperleukocytosis-and-leukostasis.md#signs).")))
    assert "<em>very</em>" in html and "<strong>urgent</strong>" in html
    assert "<code>WBC &gt; 100</code>" in html
    assert ("a", {"href": "https://doi.org/10.1/x_y", "rel": "noopener noreferrer"}) in Elements(html).tags
    assert ">the review</a>" in html
    assert '<a href="hyperleukocytosis-and-leukostasis.md#signs">leukostasis</a>' in html


def test_external_links_in_prose_get_noopener_noreferrer():
    assert str(markdown_subset("[a](http://example.org/)")) == \
        '<a href="http://example.org/" rel="noopener noreferrer">a</a>'


MARKUP_CHARACTERS = st.lists(st.sampled_from(list("abc 12.-#*_`[]()<>!&;:|{}=~^\\/\"'\n\t") +
                                             ["javascript:", "https://x.org", ".md", "<script>", "-->", "&#115;"]),
                             max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKUP_CHARACTERS)
def test_any_plain_text_round_trips_through_the_site_markdown(text):
    page = Elements(site_markdown(str(literal(text))))
    assert page.inner() == []
    assert one_line("".join(page.text)) == one_line(one_line(text) + " after")


@settings(max_examples=300, deadline=None)
@given(MARKUP_CHARACTERS)
def test_any_prose_yields_only_allowed_elements(text):
    for tag, attrs in Elements(site_markdown(str(markdown_subset(text)))).inner():
        assert tag in ("em", "strong", "code", "a"), (text, tag, attrs)
        assert not any(name.startswith("on") for name in attrs)
        if tag == "a":
            assert re.match(r"^(https?://|[a-z0-9-]+\.md|#)", attrs["href"]), (text, attrs)


def test_every_field_of_a_page_is_escaped_not_only_prose(content_copy):
    """Even with validation skipped, nothing typed into any field becomes markup on the page."""
    facts = content_copy / "facts" / "facts.yaml"
    replace(facts, "population: malignant bone tumour, design", 'population: "[x](javascript:alert(1)) *[WBC]: y", design')
    replace(facts, 'locator: Introduction}]', 'locator: "Intro <img src=x onerror=alert(1)> `x`"}]')
    replace(facts, 'defines: leukemoid reaction', 'defines: "![t](https://tracker.example/p.png)"')
    content, _ = check(content_copy)
    page = CheckedContent(content).pages()["test-topic.md"]
    html = site_markdown(page.split("---\n", 2)[2])
    tags = {tag for tag, _ in Elements(html).tags}
    assert "img" not in tags and "script" not in tags
    assert "javascript:" not in re.sub(r"&#?\w+;", "", " ".join(re.findall(r'href="([^"]*)"', html)))
    assert not [name for _, attrs in Elements(html).tags for name in attrs if name.startswith("on")]


def _through_the_parser(text: str, starts_line: bool) -> str:
    """markdown_subset with its plain-text shortcut turned off."""
    import generator.markup as markup
    shortcut = markup._MARKUP_CHARACTERS
    markup._MARKUP_CHARACTERS = re.compile("")  # matches every text: always parse
    try:
        return markup.markdown_subset(text, starts_line=starts_line)
    finally:
        markup._MARKUP_CHARACTERS = shortcut


PLAIN_LOOKING = ["", " ", "  lead and trail  ", "# heading?", "1. list?", "12) list?", "- item", "+ x", "> quote", ": def",
                 "! bang", "? ask", "a\u00a0b\u2009c", "x\ny\tz", "<b>bold</b>", 'say "hi" & <it>', "≥ 100 ×10⁹/L", "50%",
                 "a|b|c", "~~no~~", "==mark==", "&amp;", "*em*", "**strong**", "`code`", "[a](https://x.org)", "\\*"]


@pytest.mark.parametrize("starts_line", [True, False])
def test_plain_text_shortcut_gives_what_the_parser_gives(starts_line):
    content, _ = check(ROOT / "content")
    prose = [text for records in content.records.values() for record in records.values()
             for _path, text, _prose in record.texts()]
    for text in PLAIN_LOOKING + prose:
        assert markdown_subset(text, starts_line=starts_line) == _through_the_parser(text, starts_line), text


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40), st.booleans())
def test_plain_text_shortcut_agrees_on_any_text(text, starts_line):
    assert markdown_subset(text, starts_line=starts_line) == _through_the_parser(text, starts_line)

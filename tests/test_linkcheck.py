"""The built site's link check (generator/linkcheck.py) on a small site made to trip it: the same link
text leads to different places from different pages, and attribute names must start a word."""

from __future__ import annotations

from pathlib import Path

from generator.linkcheck import broken_links

PAGES = {
    # the same "#top" on two pages at the root: only one of them has the place
    "index.html": '<h1 id="top">Home</h1><a href="#top">top</a> <a href="a/">a</a> <a href="/b/#x">b, from the root</a>',
    "404.html": '<a href="#top">top</a> <a href="/a/">a</a>',
    # "../b/" from one folder deep is the site's b/; from two deep it is c/b/, which is not there
    "a/index.html": '<p id="here"></p><a href="#here">here</a> <a href="../b/#x">x</a> <a href="../b/#gone">gone</a>',
    "b/index.html": '<p id="x"></p><p grid="z"></p><p data-id="w"></p>'
                    '<a href="../a/#here">a</a> <a href="#z">z</a> <a href="#w">w</a> <a xhref="nowhere/">not a link</a>',
    "c/d/index.html": '<a href="../b/">b?</a> <a href="../../b/#x">b</a> <a href="../../a/">a</a>',
}


def site(tmp_path: Path) -> Path:
    for name, body in PAGES.items():
        page = tmp_path / name
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")
    return tmp_path


def test_each_link_is_judged_from_its_own_page(tmp_path):
    assert broken_links(site(tmp_path)) == [
        "404.html: #top (no element with id 'top' there)",
        "a/index.html: ../b/#gone (no element with id 'gone' there)",
        "b/index.html: #z (no element with id 'z' there)",  # grid="z" is not an id
        "c/d/index.html: ../b/ (no such page)",
    ]


def test_links_from_the_root_must_start_with_the_sites_path(tmp_path):
    found = broken_links(site(tmp_path), base="/docs/")
    assert "index.html: /b/#x (outside the site's path /docs/)" in found
    assert "404.html: /a/ (outside the site's path /docs/)" in found

"""The built pages' Content-Security-Policy and links to other hosts, on the
real build and in the functions that write them."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from generator.postbuild.hardening import (HASHES_PLACEHOLDER, UnfilledPolicy, external_links_hardened, harden_site,
                                           inline_script_hashes, with_policy)

POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_hashes_cover_inline_scripts_the_browser_runs_and_only_those():
    html = ('<script>var a=1</script><script type="module">b()</script><script src="x.js"></script>'
            '<script id="__config" type="application/json">{"a": 1}</script><script type="text/javascript">c()</script>')
    assert inline_script_hashes(html) == {sha256("var a=1"), sha256("b()"), sha256("c()")}


def test_policy_placeholder_is_filled():
    html = f'<head><meta http-equiv="Content-Security-Policy" content="script-src \'self\' {HASHES_PLACEHOLDER}">\n</head>'
    assert "script-src 'self' 'sha256-a' 'sha256-b'" in with_policy(html, {"'sha256-b'", "'sha256-a'"})


def test_a_placeholder_left_unfilled_fails_naming_the_page(tmp_path):
    """An engine that writes the placeholder another way (quotes escaped) would leave every inline
    script blocked: the post-build step refuses, rather than leave a silently broken site."""
    meta = '<meta http-equiv="Content-Security-Policy" content="script-src \'self\' {}">'
    (tmp_path / "index.html").write_text("<head>" + meta.format(HASHES_PLACEHOLDER) + "</head><script>a()</script>")
    (tmp_path / "about").mkdir()
    (tmp_path / "about" / "index.html").write_text("<head>" + meta.format("&#39;refsite-inline-script-hashes&#39;") + "</head>")
    with pytest.raises(UnfilledPolicy, match=r"1 page\(s\) still hold .* about/index\.html"):
        harden_site(tmp_path, "")
    assert sha256("a()") in (tmp_path / "index.html").read_text()


def test_links_to_other_hosts_get_noopener_noreferrer():
    html = ('<a href="https://doi.org/x">a</a> <a href="http://example.org" rel="noopener" target="_blank">b</a> '
            '<a href="//cdn.example/x">c</a> <a href="../about/">d</a> <a href="#ref-1">e</a> '
            '<a href="http://127.0.0.1:8000/x/">f</a> <a class="x" href=\'https://e.org\' rel="nofollow">g</a>')
    out = external_links_hardened(html, "127.0.0.1:8000")
    assert '<a href="https://doi.org/x" rel="noopener noreferrer">' in out
    assert '<a href="http://example.org" rel="noopener noreferrer" target="_blank">' in out
    assert '<a href="//cdn.example/x" rel="noopener noreferrer">' in out
    assert '<a href="../about/">' in out and '<a href="#ref-1">' in out and '<a href="http://127.0.0.1:8000/x/">' in out
    assert "rel=\"nofollow noopener noreferrer\"" in out


def test_every_built_page_has_a_policy_that_allows_exactly_its_inline_scripts(built_site):
    pages = list(built_site.rglob("*.html"))
    assert len(pages) >= 10
    for page in pages:
        html = page.read_text()
        policies = POLICY.findall(html)
        assert len(policies) == 1, page
        directives = dict(d.strip().split(" ", 1) for d in policies[0].split(";"))
        assert HASHES_PLACEHOLDER not in policies[0]
        assert directives["object-src"] == "'none'" and directives["default-src"] == "'self'"
        allowed = set(directives["script-src"].split())
        assert "'unsafe-inline'" not in allowed and "'unsafe-eval'" not in allowed
        assert inline_script_hashes(html) <= allowed, page
        assert html.index("Content-Security-Policy") < html.index("<script"), f"{page}: a script runs before the policy"


def test_no_inline_event_handlers_or_script_urls_in_built_pages(built_site):
    for page in built_site.rglob("*.html"):
        html = page.read_text()
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), page
        assert not re.search(r"""(?:href|src)\s*=\s*["']?\s*(?:javascript|data|vbscript):""", html, re.I), page


def test_every_link_to_another_host_has_noopener_noreferrer(built_site):
    found = 0
    for page in built_site.rglob("*.html"):
        for anchor in re.findall(r"<a\s[^>]*>", page.read_text()):
            if re.search(r"""href=["'](?:https?:)?//(?!127\.0\.0\.1:8000)""", anchor):
                found += 1
                rel = re.search(r"""rel=["']([^"']*)""", anchor)
                assert rel and {"noopener", "noreferrer"} <= set(rel.group(1).split()), f"{page}: {anchor}"
    assert found >= 1  # at least the theme's own credit link

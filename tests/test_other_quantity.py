"""Nothing specific to the white count is left in code: a reference on another lab value (serum
sodium, tests/fixtures/sodium/: TEST DATA, not clinical content) needs only content. Its quantity,
units, site title, ladder and calculator come from its YAML, and it builds with the real MkDocs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import checked_content
from tests.conftest import ROOT, WIDGET_DATA

SODIUM = ROOT / "tests" / "fixtures" / "sodium" / "content"
# Words only the white-count reference may use: none may reach a page made from sodium content.
WHITE_COUNT = re.compile(r"(?i)white|\bwbc\b|leuk|10⁹|µL|neutrophil|blast|\bCount \(")


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return checked_content(SODIUM, with_history=False).pages()


def test_every_page_kind_is_made_from_sodium_content_alone(pages):
    assert {"index.md", "sodium.md", "sodium-calculator.md", "sources.md", "quick-reference.md", "decision-table.md",
            "downloads/decision-table.csv"} <= set(pages)
    leaks = {path: sorted(set(WHITE_COUNT.findall(text))) for path, text in pages.items()
             if isinstance(text, str) and WHITE_COUNT.search(text)}
    assert leaks == {}


def test_the_sodium_words_and_units_come_from_its_content(pages):
    home = pages["index.md"]
    assert '"Sodium test reference"' in home.split("---")[1]
    assert "**Have a result?** Calculators: [Serum sodium](sodium-calculator.md)" in home
    assert "| Sodium (mmol/L) |" in pages["sodium.md"]  # the ladder table, in the quantity's own unit
    assert 'download="sodium-fixture-references.bib"' in pages["sources.md"]
    [data] = [text for element_id, text in WIDGET_DATA.findall(pages["sodium-calculator.md"]) if element_id == "calc-data-sodium"]
    assert '"noun":"sodium"' in data and '"display":"mEq/L"' in data and '"canonical_unit":"mmol/L"' in data


def test_the_sodium_reference_builds_with_mkdocs(tmp_path):
    """With the one hand-written page the generated pages link to (how to read the evidence)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "reading-the-evidence.md").write_text("# How to read the evidence\n\nTest page.\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Sodium test reference\nsite_url: http://127.0.0.1:8000/\ntheme:\n  name: material\n"
        f"plugins:\n  - search\n  - refsite:\n      content_dir: {SODIUM}\n      offline_bundle: false\n",
        encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "--strict"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (tmp_path / "site" / "sodium-calculator" / "index.html").read_text(encoding="utf-8")
    assert "Serum sodium" in page and "mmol/L" in page and not WHITE_COUNT.search(page.split("<body", 1)[1])
    table = (tmp_path / "site" / "decision-table" / "index.html").read_text(encoding="utf-8")
    assert "Exactly 125 mmol/L" in table and not WHITE_COUNT.search(table.split("<body", 1)[1])

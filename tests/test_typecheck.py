"""Static types: mypy passes on generator/ and site_plugins/ with pyproject.toml's settings (what
`make typecheck` and the commit hook run), and fails when a key of the JSON a widget hands the
browser is renamed on one side only: the specs are TypedDicts, so the type check notices, not a reader."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """One mypy cache for this file's runs (the libraries are checked once), outside the tree."""
    return tmp_path_factory.mktemp("mypy-cache")


def mypy(tree: Path, cache: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(cache)], cwd=tree,
                          capture_output=True, text=True, timeout=300)


def test_mypy_passes_on_the_tree(cache):
    result = mypy(ROOT, cache)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout, result.stdout


# (file, text, what it becomes): a key renamed where the spec is built, and where it is read.
RENAMED = [
    ("generator/widgets/calculator/spec.py", '"ambiguous_at_value": bool(t.boundary_note)',
     '"ambiguous": bool(t.boundary_note)'),
    ("generator/widgets/calculator/evaluate.py", 'check["ambiguous_at_value"]', 'check["ambiguous"]'),
    ("generator/widgets/checklist/summary.py", 'items[item_id]["advice_populations"]',
     'items[item_id]["advice_population"]'),
    ("generator/inputs.py", 'unit["factor"]', 'unit["factors"]'),
]


@pytest.mark.parametrize("file, old, new", RENAMED, ids=[f"{r[0].split('/')[-1]}: {r[2]}" for r in RENAMED])
def test_a_spec_key_renamed_on_one_side_fails_the_type_check(tmp_path, cache, file, old, new):
    tree = tmp_path / "tree"
    for folder in ("generator", "site_plugins"):
        shutil.copytree(ROOT / folder, tree / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree)
    changed = tree / file
    text = changed.read_text(encoding="utf-8")
    assert old in text, f"{file} no longer holds {old!r}: pick another key to rename"
    changed.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = mypy(tree, cache)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{file}:" in result.stdout and "TypedDict" in result.stdout, result.stdout

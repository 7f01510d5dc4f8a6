"""The generator's shape, as tools check it: the import contracts in .importlinter (data flows one
way, widgets stand alone, rendering never validates, the plugin uses the public API, no cycles),
no private names imported across modules, and each package saying what it must never import."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = ("generator", "site_plugins")


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(project)}  # the project's own copy, not the installed one
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(project / ".importlinter")],
                          cwd=project, env=env, capture_output=True, text=True, timeout=120)


def test_every_import_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


# Each way the shape could break, written into a copy of the code: (file, code added at its end, contract broken).
BREAKS = {
    "rendering validates": ("generator/render/kit.py", "from ..validate import validate\n",
                            "Rendering never imports validation"),
    "a widget's page validates": ("generator/widgets/calculator/render.py", "from .validate import check_calculators\n",
                                  "Rendering never imports validation"),
    "one widget imports the other": ("generator/widgets/checklist/render.py",
                                     "from ..calculator.render import calculator_path\n", "Widgets never import each other"),
    "the generator imports MkDocs": ("generator/links.py", "import mkdocs\n", "knows nothing of MkDocs"),
    "a lower step imports a higher": ("generator/model.py", "from . import content\n", "imports only the steps below it"),
    "a cycle hidden in a function": ("generator/render/search.py", "def later():\n    from . import site\n",
                                     "No import cycles"),
    "the plugin reaches inside": ("site_plugins/offline.py", "from generator.render.kit import Site\n",
                                  "public API only"),
}


@pytest.mark.parametrize("name", BREAKS)
def test_each_contract_fails_when_the_code_breaks_it(tmp_path, name):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    file, added, contract = BREAKS[name]
    with (tmp_path / file).open("a", encoding="utf-8") as f:
        f.write("\n" + added)
    result = lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, result.stdout


def project_modules() -> list[Path]:
    return sorted(p for folder in (*PACKAGES, "benchmarks", "scripts") for p in (ROOT / folder).rglob("*.py"))


def test_no_module_imports_another_modules_private_name():
    found = []
    for path in project_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                found += [f"{path.relative_to(ROOT)}:{node.lineno} imports {alias.name}" for alias in node.names
                          if alias.name.startswith("_") and not alias.name.startswith("__")]
    assert found == []


def test_every_package_says_what_it_does_and_what_it_must_never_import():
    for init in sorted(p for package in PACKAGES for p in (ROOT / package).rglob("__init__.py")):
        text = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert len(text.splitlines()) >= 2, f"{init.relative_to(ROOT)}: open with a few lines on what the package does"
        assert "never import" in " ".join(text.lower().split()), f"{init.relative_to(ROOT)}: say what the package must never import"

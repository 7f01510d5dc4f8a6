"""JSON Schemas for editors: generated from the model, committed, current, and
agreeing with an independent validator (check-jsonschema) on all content."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.model import KINDS
from generator.schemas import modeline, schema_file, stale_schemas
from tests.conftest import FIXTURE_CONTENT, REAL_CONTENT, ROOT, replace, run_cli

SCHEMAS = ROOT / "schemas"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def test_committed_schemas_match_the_model():
    assert stale_schemas(SCHEMAS) == [], "schemas/ is out of date with generator/model.py: run `refsite schemas`"


def test_schemas_command_writes_and_checks(tmp_path):
    out = tmp_path / "schemas"
    content = REAL_CONTENT
    assert run_cli(content, "schemas", "--check", "--out", str(out)).returncode == 1
    assert run_cli(content, "schemas", "--out", str(out)).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(schema_file(kind) for kind in KINDS)
    assert run_cli(content, "schemas", "--check", "--out", str(out)).returncode == 0
    (out / schema_file("facts")).write_text("{}\n")
    stale = run_cli(content, "schemas", "--check", "--out", str(out))
    assert stale.returncode == 1 and "facts.schema.json: out of date" in stale.stdout


def content_files(root: Path) -> dict[str, list[Path]]:
    return {kind: sorted((root / kind).glob("*.yaml")) for kind in KINDS if (root / kind).is_dir()}


def check_jsonschema(kind: str, files: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHECK_JSONSCHEMA), "--schemafile", str(SCHEMAS / schema_file(kind)), *map(str, files)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("root", [REAL_CONTENT, FIXTURE_CONTENT], ids=["real", "fixture"])
def test_all_content_passes_an_independent_validator(root):
    checked = 0
    for kind, files in content_files(root).items():
        if files:
            result = check_jsonschema(kind, files)
            assert result.returncode == 0, result.stdout + result.stderr
            checked += len(files)
    assert checked >= 2


def test_independent_validator_catches_what_the_model_catches(content_copy):
    replace(content_copy / "facts" / "facts.yaml", "  statement: Most", "  statment: Most")
    replace(content_copy / "facts" / "facts.yaml", "comparator: \">\"", "comparator: \"=>\"")
    result = check_jsonschema("facts", [content_copy / "facts" / "facts.yaml"])
    assert result.returncode == 1
    assert "'statment' was unexpected" in result.stdout and "'=>' is not one of" in result.stdout


@pytest.mark.parametrize("root", [REAL_CONTENT, FIXTURE_CONTENT], ids=["real", "fixture"])
def test_every_content_file_names_its_schema_and_the_path_resolves(root):
    for kind, files in content_files(root).items():
        for file in files:
            first = file.read_text(encoding="utf-8").splitlines()[0]
            assert first == modeline(kind), f"{file}: first line is {first!r}"


def test_modeline_paths_lead_from_content_to_the_committed_schemas():
    for kind in KINDS:
        target = (REAL_CONTENT / kind / modeline(kind).split("$schema=")[1]).resolve()
        assert target == (SCHEMAS / schema_file(kind)).resolve() and target.is_file()

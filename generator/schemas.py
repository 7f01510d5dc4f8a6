"""JSON Schemas for editors, generated from the model (the one source of truth).

Each content file names its schema in a first-line modeline that
yaml-language-server (VS Code's YAML extension and others) reads, so editors
autocomplete keys and flag mistakes while the contributor types.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import GenericAlias
from typing import Any

from pydantic import TypeAdapter

from .model import KINDS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_file(kind: str) -> str:
    return f"{kind}.schema.json"


def modeline(kind: str) -> str:
    """The first line every content file of this kind starts with (content/<kind>/x.yaml → schemas/)."""
    return f"# yaml-language-server: $schema=../../schemas/{schema_file(kind)}"


def schema(kind: str) -> dict:
    """A file of a list kind holds an array of records; a single-record kind holds the object."""
    model, is_list = KINDS[kind]
    # list[model], built at run time: a type form no static type describes
    form: Any = GenericAlias(list, model) if is_list else model
    generated = TypeAdapter(form).json_schema(by_alias=True)
    title = f"refsite {kind} file"
    description = (f"A list of {model.__name__} records." if is_list else f"One {model.__name__} record.") + \
        " Generated from generator/model.py by `refsite schemas`; do not edit by hand."
    return {"$schema": SCHEMA_DIALECT, **generated, "title": title, "description": description}


def schema_texts() -> dict[str, str]:
    """File name → JSON text, for every kind, in a stable form (so staleness is a plain comparison)."""
    return {schema_file(kind): json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n" for kind in KINDS}


def stale_schemas(folder: Path) -> list[str]:
    """Schema files in folder that are missing or differ from what the model generates now."""
    return [name for name, text in schema_texts().items()
            if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text]


def write_schemas(folder: Path) -> list[str]:
    """Write every schema that changed; returns the names written."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = stale_schemas(folder)
    texts = schema_texts()
    for name in changed:
        (folder / name).write_text(texts[name], encoding="utf-8")
    return changed

"""From YAML documents to typed records: the model step of the pipeline.

Every record keeps its origin (file and path inside the file) so that later
checks can name the file, line and column of whatever they complain about.
"""

from __future__ import annotations

import difflib
import functools
import re
import typing
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Generic, TypeVar, cast

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from .load import Document, load_document
from .model import (KINDS, Calculator, Checklist, ContextQuestion, EditorsChoice, Fact, GlossaryEntry, QuantitySpec,
                    Record, SiteSettings, Source, Topic)
from .problems import Problem
from .schemas import modeline


RecordT = TypeVar("RecordT", bound=Record)


class RecordsOfKind(Generic[RecordT]):
    """`content.facts` and the like: one folder's records by id, typed by the model they were validated against."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.kind = name

    def __get__(self, content: Content, owner: type | None = None) -> dict[str, RecordT]:
        return cast("dict[str, RecordT]", content.records[self.kind])


@dataclass(eq=False)  # compared by identity, so views of it can be kept per Content (computed_once)
class Content:
    """All records by kind and id, plus the documents they came from."""

    root: Path
    records: dict[str, dict[str, Record]] = field(default_factory=lambda: {kind: {} for kind in KINDS})
    documents: dict[str, Document] = field(default_factory=dict)
    # ids of records that exist but failed to validate: references to them are not reported twice
    broken_ids: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in KINDS})
    # Each loaded record's (file, path inside it), by id(record): the records live as long as the
    # Content does. A table rather than a private attribute on every record, which pydantic set
    # up per record at a tenth of the cost of loading.
    origins: dict[int, tuple[str, tuple]] = field(default_factory=dict)

    # Each kind's records as its model: KINDS names the model every record of a folder was validated against.
    site: ClassVar[RecordsOfKind[SiteSettings]] = RecordsOfKind()
    quantities: ClassVar[RecordsOfKind[QuantitySpec]] = RecordsOfKind()
    contexts: ClassVar[RecordsOfKind[ContextQuestion]] = RecordsOfKind()
    sources: ClassVar[RecordsOfKind[Source]] = RecordsOfKind()
    facts: ClassVar[RecordsOfKind[Fact]] = RecordsOfKind()
    topics: ClassVar[RecordsOfKind[Topic]] = RecordsOfKind()
    glossary: ClassVar[RecordsOfKind[GlossaryEntry]] = RecordsOfKind()
    calculators: ClassVar[RecordsOfKind[Calculator]] = RecordsOfKind()
    checklists: ClassVar[RecordsOfKind[Checklist]] = RecordsOfKind()
    choices: ClassVar[RecordsOfKind[EditorsChoice]] = RecordsOfKind()

    def origin(self, record: Record) -> tuple[str, tuple]:
        """The file a record was loaded from (as named in problems) and its path inside the file;
        ('', ()) for a record made in code."""
        return self.origins.get(id(record), ("", ()))

    def origin_file(self, record: Record) -> str:
        return self.origin(record)[0]

    def location(self, record: Record, *subpath) -> tuple[str, int]:
        """The file a record comes from (as named in problems) and the line of a value inside it; with no
        subpath, the line of its id: where an editor opens to change it."""
        file, base = self.origin(record)
        return file, self.documents[file].mark(base + (subpath or ("id",)), key=not subpath)[0]

    def problem(self, record: Record, *subpath, message: str, hint: str = "", key: bool = False,
                text: str = "") -> Problem:
        """A problem located at a value (or key) inside a record; with text, at
        that text inside the value."""
        file, base = self.origin(record)
        return self.documents[file].problem(base + tuple(subpath), message, hint, key=key, text=text)

    def unknown(self, record: Record, path: tuple, kind: str, wanted: str, key: bool = False,
                text: str = "") -> list[Problem]:
        """A dangling reference, with the closest existing id as a hint (none when the
        record exists but is itself broken: that problem is reported where it is)."""
        if wanted in self.broken_ids[kind]:
            return []
        close = difflib.get_close_matches(wanted, list(self.records[kind]), n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"add it to content/{kind}/ or fix the id"
        noun = kind[:-1] if kind.endswith("s") else kind
        return [self.problem(record, *path, message=f"unknown {noun} '{wanted}'", hint=hint, key=key, text=text)]


V = TypeVar("V")


def computed_once(view: Callable[[Content], V]) -> Callable[[Content], V]:
    """A view derived from loaded content, which never changes after loading: made once per
    Content and forgotten with it (each rebuild under `mkdocs serve` loads a new Content).
    Checks and pages ask for the same views many times: at 100× content that was seconds."""
    made: weakref.WeakKeyDictionary[Content, V] = weakref.WeakKeyDictionary()

    @functools.wraps(view)
    def once(content: Content) -> V:
        if content not in made:
            made[content] = view(content)
        return made[content]
    return once


@computed_once
def content_texts(content: Content) -> list[tuple[Record, tuple, str, bool]]:
    """Every string in every record: (record, path inside it, text, whether it is prose)."""
    return [(record, path, text, prose) for records in content.records.values() for record in records.values()
            for path, text, prose in record.texts()]


def content_files(root: Path) -> dict[str, list[Path]]:
    """The YAML files of each kind, in a stable order."""
    return {kind: sorted((root / kind).glob("*.yaml")) for kind in KINDS}


def load_content(root: Path, display_base: Path | None = None) -> tuple[Content, list[Problem]]:
    """Load and type-check every file under root. Returns all problems found."""
    content = Content(root)
    display_base = display_base or root.parent
    files_by_kind = content_files(root)
    if missing := _missing_folder_problem(root, display_base, files_by_kind):
        return content, [missing]
    problems: list[Problem] = []
    for kind, files in files_by_kind.items():
        for file in files:
            display = _display_path(file, display_base)
            doc, found = load_document(file, display)
            problems += found
            if found:
                content.documents[display] = doc
            else:
                problems += add_document(content, kind, doc)
    return content, problems


def add_document(content: Content, kind: str, doc: Document) -> list[Problem]:
    """A parsed file's records, added to content (a record of the kind's model each): the problems found."""
    model, is_list = KINDS[kind]
    content.documents[doc.path] = doc
    return _modeline_problems(doc, kind) + _add_records(content, kind, model, is_list, doc)


def _missing_folder_problem(root: Path, display_base: Path, files_by_kind: dict[str, list[Path]]) -> Problem | None:
    """A content folder that is missing, or holds no content files, would build an empty site."""
    shown = _display_path(root, display_base)
    if not root.is_dir():
        return Problem(shown, 0, 0, "content folder not found",
                       f"run from the project's root folder, or name the content folder (it is looked for at {root.resolve()})")
    if not any(files_by_kind.values()):
        return Problem(shown, 0, 0, "the content folder holds no content files",
                       f"put each record's YAML file in the subfolder of its kind: {', '.join(f'{k}/' for k in KINDS)}")
    return None


def _display_path(file: Path, base: Path) -> str:
    try:
        # resolve the folder, not the file: a symbolic link is named where it is, not where it points
        return str((file.parent.resolve() / file.name).relative_to(base.resolve()))
    except ValueError:
        return str(file)


def _modeline_problems(doc: Document, kind: str) -> list[Problem]:
    """Each file names its JSON Schema on its first line, so editors check it while typing."""
    wanted = modeline(kind)
    if doc.first_line == wanted:
        return []
    if doc.first_line.startswith("\ufeff"):  # a byte-order mark, invisible in most editors
        return [Problem(doc.path, 1, 1, "file starts with a byte-order mark (BOM, U+FEFF), before the schema modeline",
                        "save the file as UTF-8 without a BOM (in most editors: Encoding → UTF-8)")]
    found = "starts with a different schema modeline" if doc.first_line.startswith("# yaml-language-server:") \
        else "does not start with the schema modeline"
    return [Problem(doc.path, 1, 1, f"file {found}", f"make the first line: {wanted}")]


def _add_records(content: Content, kind: str, model: type[Record], is_list: bool, doc: Document) -> list[Problem]:
    data = doc.data
    if is_list and not isinstance(data, list):
        return [doc.problem((), f"a {kind} file holds a list of records", "start each record with '- id: …'")]
    if not is_list and not isinstance(data, dict):
        return [doc.problem((), f"a {kind} file holds one record (a mapping)", "start the file with 'id: …'")]
    # (where in the file, the record's data): a list's records by index, a mapping as the whole file
    items: list[tuple[tuple[int, ...], object]] = (
        [((index,), item) for index, item in enumerate(data)] if isinstance(data, list) else [((), data)])
    problems: list[Problem] = []
    adapter = TypeAdapter(model)
    for base, item in items:
        try:
            record = adapter.validate_python(item)
        except ValidationError as err:
            problems += [_problem_from_error(doc, model, base, e) for e in _without_misspelt_missing(err.errors())]
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                content.broken_ids[kind].add(item["id"])
            continue
        content.origins[id(record)] = (doc.path, base)
        _set_origins(content.origins, record, doc.path, base)
        problems += _register(content, kind, record, doc, base)
    return problems


def _without_misspelt_missing(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """Drop "missing 'statement'" when the same record has an unknown key 'statment':
    one typo, one problem (the unknown key's did-you-mean names the field)."""
    typed = {(tuple(e["loc"][:-1]), str(e["loc"][-1])) for e in errors if e["type"] == "extra_forbidden"}

    def misspelt(error: ErrorDetails) -> bool:
        parent, name = tuple(error["loc"][:-1]), str(error["loc"][-1])
        return any(p == parent and difflib.get_close_matches(k, [name], n=1) for p, k in typed)

    return [e for e in errors if not (e["type"] == "missing" and misspelt(e))]


def _set_origins(origins: dict[int, tuple[str, tuple]], record: Record, file: str, base: tuple) -> None:
    """Give nested records their own origin too (for precise positions)."""
    for name, key in _record_fields(type(record)):
        value = getattr(record, name)
        children = value if isinstance(value, list) else [value]
        for i, child in enumerate(children):
            if isinstance(child, Record):
                path = base + ((key, i) if isinstance(value, list) else (key,))
                origins[id(child)] = (file, path)
                _set_origins(origins, child, file, path)


@functools.cache
def _record_fields(model: type[Record]) -> list[tuple[str, str]]:
    """(field name, key in YAML) of a model's fields that can hold records: found once per model,
    as every record is walked (most fields hold text or numbers, and skipping them is most of the walk)."""
    return [(name, info.alias or name) for name, info in model.model_fields.items() if _model_in(info.annotation)]


def _register(content: Content, kind: str, record: Record, doc: Document, base: tuple) -> list[Problem]:
    table = content.records[kind]
    record_id: str = getattr(record, "id")  # every kind's model (KINDS) has one; records inside them need not
    if record_id not in table:
        table[record_id] = record
        return []
    # Reported at both places, so whoever added either one sees it in their own file.
    first = table[record_id]
    first_file, first_base = content.origin(first)
    first_line = content.documents[first_file].mark(first_base + ("id",))[0]
    line = doc.mark(base + ("id",))[0]
    hint = "ids must be unique: rename one of them"
    return [doc.problem(base + ("id",), f"duplicate {kind} id '{record_id}' (also in {first_file}:{first_line})", hint),
            content.documents[first_file].problem(
                first_base + ("id",), f"duplicate {kind} id '{record_id}' (also in {doc.path}:{line})", hint)]


def _problem_from_error(doc: Document, model: type[BaseModel], base: tuple, error: ErrorDetails) -> Problem:
    loc = tuple(error["loc"])
    path = base + loc
    where = ".".join(str(p) for p in loc) or "record"
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(sorted(allowed))}"
        return doc.problem(path, f"unknown key '{loc[-1]}'", hint, key=True)
    if kind == "missing":
        return doc.problem(path[:-1], f"missing required field '{loc[-1]}'", f"add '{loc[-1]}: …' to this record")
    got = error.get("input")
    shown = repr(got) if not isinstance(got, (dict, list)) else type(got).__name__
    return doc.problem(path, f"{where}: {error['msg']} (found {shown})", _hint_for(kind, error))


def _hint_for(kind: str, error: ErrorDetails) -> str:
    if kind == "literal_error" and isinstance(error.get("input"), str):
        allowed = re.findall(r"'([^']*)'", error.get("ctx", {}).get("expected", ""))
        if (swapped := error["input"].strip()[::-1]) in allowed and len(swapped) > 1:
            return f"did you mean '{swapped}'?"  # '=>' is '>=' written backwards, never '>': a hint keeps the meaning
        close = difflib.get_close_matches(error["input"], allowed, n=1)
        if close:
            return f"did you mean '{close[0]}'?"
    return HINTS.get(kind, "")


HINTS = {
    "string_pattern_mismatch": "ids are lower-case words joined by hyphens, e.g. 'leukemoid-reaction-threshold'",
    "literal_error": "use one of the listed values exactly",
    "float_parsing": "write a plain number, without units or commas",
    "int_parsing": "write a whole number",
    "finite_number": "write an ordinary number, not .nan or .inf",
    "string_type": "write text here (put it in quotes if it looks like a number or true/false)",
    "list_type": "write a list here: one '- item' per line, or [a, b]",
    "model_type": "write a mapping here: 'key: value' lines indented under this one",
    "too_short": "add at least one item",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD",
    "date_parsing": "write the date as YYYY-MM-DD",
}


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys a nested model at loc accepts (for did-you-mean)."""
    for part in loc:
        if isinstance(part, int):
            continue
        fields = {info.alias or name: info for name, info in model.model_fields.items()}
        info = fields.get(part)
        nested = _model_in(info.annotation) if info else None
        if nested is None:
            return []
        model = nested
    return [info.alias or name for name, info in model.model_fields.items()]


def _model_in(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found:
            return found
    return None


"""A one-letter typo in any id or reference of the real content is a problem at its file:line, never a
traceback (issue 25, item 3): each citation's source, each reference to another record and each id is
given a typo in turn, and the real check (generator.pipeline.checked) runs on the result.

The content is read from disk once; each typo changes one value in a copy of one file's data, and the
records are made again from the parsed files (the line marks stay right: a typo moves nothing).
"""

from __future__ import annotations

import copy
import dataclasses
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.content import Content, add_document, load_content
from generator.load import Document
from generator.pipeline import checked
from generator.problems import Problem

ROOT = Path(__file__).resolve().parents[1]
REAL, LOADING = load_content(ROOT / "content")
assert not LOADING, "the real content loads cleanly"

Place = tuple[str, tuple, str]  # file, path inside its data, the value there


def _walk(data: object, path: tuple = ()) -> Iterator[tuple[tuple, object]]:
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _walk(value, path + (i,))


def _values() -> Iterator[Place]:
    for file, doc in REAL.documents.items():
        for path, value in _walk(doc.data):
            if isinstance(value, str) and path:
                yield file, path, value


IDS = {value for _, path, value in _values() if path[-1] == "id"}  # every id, records' and their parts'
RECORD_IDS = {record_id for records in REAL.records.values() for record_id in records}
ID_COUNT = Counter(record_id for records in REAL.records.values() for record_id in records)  # 'wbc': 3 kinds


def _kind(place: Place) -> str:
    file, path, value = place
    if path[-1] == "source" and "cite" in path:
        return "citation"
    if path[-1] == "id":
        is_records = path == ("id",) or len(path) == 2 and isinstance(path[0], int)  # a record's, not a part's
        return "id" if is_records else ""
    key = next(part for part in reversed(path) if isinstance(part, str))
    if value in RECORD_IDS and key not in TEXT_KEYS | NOT_RECORDS and "cases" not in path:
        return "reference"
    return ""


# Keys whose values are words for readers, even where a word happens to be an id too.
TEXT_KEYS = {"label", "short_label", "title", "short_title", "text", "statement", "summary", "heading", "name",
             "population", "synonyms", "named_by", "display"}
# Keys whose values name a unit, or an input of the same record, not a record (checked elsewhere).
NOT_RECORDS = {"code", "canonical_unit", "unit", "percent_of", "input"}

PLACES = [place for place in _values() if _kind(place)]
CITATIONS = [p for p in PLACES if _kind(p) == "citation"]
REFERENCES = [p for p in PLACES if _kind(p) == "reference"]
ID_PLACES = [p for p in PLACES if _kind(p) == "id"]


def typo(value: str) -> str:
    """One letter changed: the last letter, to one that makes no other id."""
    at = max(i for i, c in enumerate(value) if c.isalpha())
    for letter in "qxzjk":
        if letter != value[at]:
            changed = value[:at] + letter + value[at + 1:]
            if changed not in IDS:
                return changed
    raise AssertionError(f"no typo of {value!r} is free")


def _set(data: object, path: tuple, value: str) -> object:
    data = copy.copy(data)
    if len(path) == 1:
        data[path[0]] = value  # type: ignore[index]
    else:
        data[path[0]] = _set(data[path[0]], path[1:], value)  # type: ignore[index]
    return data


def check_with_typo(place: Place) -> tuple[str, list[Problem]]:
    """The real check of the content with the value at place given a typo: (the typo, the problems)."""
    file, path, value = place
    wrong = typo(value)
    content, problems = Content(REAL.root), []
    content.origins = dict(REAL.origins)
    for name, doc in REAL.documents.items():
        kind = Path(name).parent.name
        if name == file:
            problems += add_document(content, kind, dataclasses.replace(doc, data=_set(doc.data, path, wrong)))
        else:  # the other files' records as loaded: making them again would find the same
            content.documents[name] = doc
            content.records[kind].update((getattr(record, "id"), record) for record in RECORDS_OF[name])
    return wrong, checked(content, problems)


RECORDS_OF: dict[str, list] = {name: [] for name in REAL.documents}  # each file's records, in order
for _records in REAL.records.values():
    for _record in _records.values():
        RECORDS_OF[REAL.origin_file(_record)].append(_record)


def _line(place: Place) -> int:
    file, path, _ = place
    return REAL.documents[file].mark(path)[0]


def _shown(problems: list[Problem]) -> str:
    return "\n".join(map(str, problems)) or "no problems"


def _id(place: Place) -> str:
    file, path, value = place
    return f"{Path(file).stem}:{'.'.join(map(str, path))}"


def test_the_content_has_what_is_typed():
    """Enough places to mean something: the issue counted 172 citations."""
    assert len(CITATIONS) >= 150 and len(REFERENCES) >= 300 and len(ID_PLACES) >= 200, (
        len(CITATIONS), len(REFERENCES), len(ID_PLACES))


@pytest.mark.parametrize("kind", ["citation", "reference"])
def test_a_typo_in_a_reference_is_named_at_its_line(kind: str):
    """Every citation's source and every reference: a problem at its own file and line that names the
    typo and suggests the id it was meant to be. One test per kind, each place in turn (parametrizing
    each place would cost more in pytest than in the check)."""
    failures = []
    for place in CITATIONS if kind == "citation" else REFERENCES:
        file, path, value = place
        try:
            wrong, problems = check_with_typo(place)
        except Exception as err:  # noqa: BLE001 - what the test is for: name every place that raises
            failures.append(f"{_id(place)}: raised {type(err).__name__}: {err}")
            continue
        here = [p for p in problems if p.path == file and p.line == _line(place)]
        if not any(f"'{value}'" in p.hint and "did you mean" in p.hint for p in here):
            failures.append(f"{_id(place)} ('{value}' -> '{wrong}', line {_line(place)}):\n  "
                            + _shown(here or problems).replace("\n", "\n  "))
    assert not failures, f"{len(failures)} of {len(CITATIONS if kind == 'citation' else REFERENCES)}:\n" + "\n".join(failures)


def test_a_typo_in_an_id_is_a_problem_not_a_traceback():
    """Every id: never a traceback; where the id is referenced, a problem suggests it."""
    failures = []
    referenced = {value for _, _, value in CITATIONS + REFERENCES}
    for place in ID_PLACES:
        try:
            wrong, problems = check_with_typo(place)
        except Exception as err:  # noqa: BLE001 - what the test is for: name every place that raises
            failures.append(f"{_id(place)}: raised {type(err).__name__}: {err}")
            continue
        value = place[2]
        if value in referenced and ID_COUNT[value] == 1 and not any(
                f"'{value}'" in p.message and "did you mean" in p.hint for p in problems):
            failures.append(f"{_id(place)} ('{value}' -> '{wrong}'), referenced, but no problem names the old one with a suggestion:\n  "
                            + _shown(problems).replace("\n", "\n  "))
    assert not failures, f"{len(failures)} of {len(ID_PLACES)}:\n" + "\n".join(failures)

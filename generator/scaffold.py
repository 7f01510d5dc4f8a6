"""`refsite new`: add a fact, source or topic that passes the model, from flags or answers.

Each kind is a list of questions (Ask). Answers go into a plain record, which
the model validates before anything is written; the record is then appended
to its file as YAML (a new file starts with the schema modeline). A new fact
can also be listed on a topic page, so it is not left off every page.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml
from pydantic import TypeAdapter, ValidationError

from .content import Content
from .load import load_document
from .model import KINDS, Appraisal, FactKind, Source, Threshold
from .schemas import modeline
from .quantities import units

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FILE_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\.yaml$")


@dataclass(frozen=True)
class Ask:
    """One question: its flag (--name), where the answer goes, and what answers are allowed."""

    name: str
    path: tuple
    question: str
    choices: Callable[[Content], list[str]] | None = None
    required: bool = True
    kind: str = "text"  # text, number, id, ids (comma-separated), file
    default: Callable[[Content], str] | None = None

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


def _literals(annotation) -> Callable[[Content], list[str]]:
    values = list(typing.get_args(annotation))
    return lambda content: values


def _ids(kind: str) -> Callable[[Content], list[str]]:
    return lambda content: sorted(content.records[kind])


def _files(kind: str) -> Callable[[Content], list[str]]:
    return lambda content: sorted(p.name for p in (content.root / kind).glob("*.yaml"))


FACT = [
    Ask("file", (), "Facts file in content/facts/ to add it to", _files("facts"), kind="file"),
    Ask("id", ("id",), "Id: lower-case words joined by hyphens, e.g. cohort-median-wbc", kind="id"),
    Ask("kind", ("kind",), "Kind of fact", _literals(FactKind)),
    Ask("statement", ("statement",), "Statement, in your own words"),
    Ask("population", ("context", "population"), "Population it was measured in or applies to"),
    Ask("source", ("cite", 0, "source"), "Id of the source it comes from", _ids("sources"), kind="id"),
    Ask("locator", ("cite", 0, "locator"), "Where in the source, e.g. 'Table II' or 'Methods'"),
    Ask("topic", (), "Topic page to list it on (Enter to skip)", _ids("topics"), required=False, kind="id"),
]
# Kinds of fact whose numbers must be data (the validator insists on these blocks).
FACT_NUMBERS = {
    "threshold": [
        Ask("quantity", ("threshold", "quantity"), "Quantity", _literals(Threshold.model_fields["quantity"].annotation)),
        Ask("comparator", ("threshold", "comparator"), "Comparator, as the source prints it",
            _literals(Threshold.model_fields["comparator"].annotation)),
        Ask("value", ("threshold", "value"), "Value, as the source prints it", kind="number"),
        Ask("unit", ("threshold", "unit"), "Unit", lambda content: list(units(content).known)),
        Ask("defines", ("threshold", "defines"), "What a value beyond it is called"),
        Ask("as_stated", ("threshold", "as_stated"), "The threshold exactly as the source prints it"),
    ],
    "statistic": [
        Ask("n", ("measure", "n"), "Count (n)", kind="number"),
        Ask("denominator", ("measure", "denominator"), "Out of how many (denominator)", kind="number"),
        Ask("reported_percent", ("measure", "reported_percent"), "Percent as the source prints it (Enter to skip)",
            required=False, kind="number"),
    ],
}

SOURCE = [
    Ask("file", (), "Sources file in content/sources/ to add it to", _files("sources"), kind="file",
        default=lambda content: "sources.yaml"),
    Ask("id", ("id",), "Id: lower-case words joined by hyphens, e.g. riley-2015-leukocytosis", kind="id"),
    Ask("type", ("type",), "Type of document", _literals(Source.model_fields["type"].annotation)),
    Ask("title", ("title",), "Title, as published"),
    Ask("short_title", ("short_title",), "Short name used in running text, e.g. 'Riley review (2015)'"),
    Ask("label", ("label",), "Citation label, the same on every page, e.g. 'Riley 2015' (at most 14 characters)"),
    Ask("container_title", ("container-title",), "Journal or website (Enter to skip)", required=False),
    Ask("year", ("issued", "date-parts", 0, 0), "Year published (Enter to skip)", required=False, kind="number"),
    Ask("doi", ("DOI",), "DOI, e.g. 10.1002/cncr.24480 (Enter to skip)", required=False),
    # A new source is neither one of the documents the site is built on nor cited by one: the reader is told why.
    Ask("editors_addition", ("editors_addition",), "Why the editors add it, shown with its reference, e.g. "
        "'a standard definition from outside the source documents; its wording was not re-checked'"),
    Ask("document_type", ("appraisal", "document_type"), "What kind of document it is, in plain words"),
    Ask("strength", ("appraisal", "strength"), "How much weight it can bear",
        _literals(Appraisal.model_fields["strength"].annotation)),
    Ask("summary", ("appraisal", "summary"), "One or two sentences on what it is and its limits"),
]

TOPIC = [
    Ask("id", ("id",), "Id of the page, e.g. leukemoid-reaction", kind="id"),
    Ask("title", ("title",), "Page title"),
    Ask("summary", ("summary",), "One-sentence summary shown under the title"),
    Ask("order", ("order",), "Position in the list of topics", kind="number",
        default=lambda content: str(max((t.order for t in content.topics.values()), default=0) + 1)),
    Ask("heading", ("sections", 0, "heading"), "Heading of the first section"),
    Ask("facts", ("sections", 0, "facts"), "Ids of the facts in that section, separated by commas",
        _ids("facts"), kind="ids"),
    Ask("reviewed_by", ("review", "reviewed_by"), "Who reviewed it (name, role)"),
    Ask("last_reviewed", ("review", "last_reviewed"), "Date of that review (YYYY-MM-DD)",
        default=lambda content: dt.date.today().isoformat()),
]

QUESTIONS = {"fact": FACT, "source": SOURCE, "topic": TOPIC}
ALL_ASKS = {a.name: a for asks in [FACT, SOURCE, TOPIC, *FACT_NUMBERS.values()] for a in asks}
KIND_OF = {"fact": "facts", "source": "sources", "topic": "topics"}


class ScaffoldError(Exception):
    """The answers do not make a valid record; carries one line per problem."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def questions(what: str, answers: dict[str, str]) -> list[Ask]:
    """The questions for a kind of record; a fact's kind decides which numbers it needs."""
    asks = list(QUESTIONS[what])
    if what == "fact":
        asks += FACT_NUMBERS.get(answers.get("kind") or "", [])
    return asks


def answer_problem(ask: Ask, answer: str, content: Content) -> str | None:
    """Why an answer cannot be used, or None when it can."""
    if not answer:
        return "an answer is needed" if ask.required else None
    values = [v.strip() for v in answer.split(",")] if ask.kind == "ids" else [answer]
    for value in values:
        if ask.kind in ("id", "ids") and not ID_PATTERN.match(value):
            return f"'{value}' is not an id: use lower-case words joined by hyphens"
        if ask.kind == "file" and not FILE_PATTERN.match(value):
            return f"'{value}' is not a file name like 'definitions.yaml'"
        if ask.kind == "number" and _number(value) is None:
            return f"'{value}' is not a plain number"
        choices = ask.choices(content) if ask.choices and ask.kind != "file" else []
        if choices and value not in choices:
            close = difflib.get_close_matches(value, choices, n=1)
            return f"'{value}' is not one of: {', '.join(choices)}" + (f"; did you mean '{close[0]}'?" if close else "")
    return None


def _number(text: str) -> int | float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return int(value) if value == int(value) else value


def build_record(what: str, answers: dict[str, str], content: Content) -> dict:
    """A record from answers, validated by the model and against the existing content."""
    kind = KIND_OF[what]
    model = KINDS[kind][0]
    record: dict = {}
    asks = questions(what, answers)
    lines = [f"{a.flag}: {why}" for a in asks if (why := answer_problem(a, answers.get(a.name) or "", content))]
    for ask in asks:
        answer = answers.get(ask.name) or ""
        if ask.path and answer:
            value = (_number(answer) if ask.kind == "number"
                     else [v.strip() for v in answer.split(",")] if ask.kind == "ids" else answer)
            _put(record, ask.path, value)
    if lines:
        raise ScaffoldError(lines)
    try:
        TypeAdapter(model).validate_python(record)
    except ValidationError as err:
        raise ScaffoldError([_flag_for(asks, e["loc"]) + e["msg"] for e in err.errors()]) from None
    existing = content.records[kind].keys() | content.broken_ids[kind]
    if record["id"] in existing:
        raise ScaffoldError([f"--id: there is already a {what} '{record['id']}'; choose another id"])
    topic = answers.get("topic")
    if what == "fact" and topic and topic not in content.topics:
        raise ScaffoldError([f"--topic: there is no topic '{topic}'"])
    return record


def _put(record: dict, path: tuple, value) -> None:
    """Set record[path] = value, making the mappings and lists on the way."""
    here: Any = record  # a mapping or a list, as the path goes down
    for part, after in zip(path, path[1:]):
        empty: list | dict = [] if isinstance(after, int) else {}
        if isinstance(part, int):
            while len(here) <= part:
                here.append(empty)
            here = here[part]
        else:
            here = here.setdefault(part, empty)
    if isinstance(path[-1], int):
        here.append(value)
    else:
        here[path[-1]] = value


def _flag_for(asks: list[Ask], loc: tuple) -> str:
    for ask in asks:
        if ask.path and tuple(loc[:len(ask.path)]) == ask.path:
            return f"{ask.flag}: "
    return f"{'.'.join(str(p) for p in loc)}: "


class _IndentedDumper(yaml.SafeDumper):
    """Indents lists inside mappings, as the content files do."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def yaml_text(record: dict, is_list: bool) -> str:
    data = [record] if is_list else record
    return yaml.dump(data, Dumper=_IndentedDumper, sort_keys=False, allow_unicode=True, width=10**6,
                     default_flow_style=False)


def target_file(what: str, answers: dict[str, str], content: Content) -> Path:
    kind = KIND_OF[what]
    name = f"{answers['id']}.yaml" if what == "topic" else answers["file"]
    return content.root / kind / name


def write_record(what: str, record: dict, file: Path) -> int:
    """Append the record to its file (a new file starts with the modeline); returns the line it starts on."""
    kind = KIND_OF[what]
    is_list = KINDS[kind][1]
    text = yaml_text(record, is_list)
    if file.exists():
        if not is_list:
            raise ScaffoldError([f"{file} already exists and holds one {what}; choose another id"])
        existing = file.read_text(encoding="utf-8")
        prefix = existing + ("" if existing.endswith("\n") else "\n") + "\n"
    else:
        file.parent.mkdir(parents=True, exist_ok=True)
        prefix = modeline(kind) + "\n\n"
    file.write_text(prefix + text, encoding="utf-8")
    return prefix.count("\n") + 1


def place_fact(topic_file: Path, section: int, fact_id: str) -> None:
    """List a fact id at the end of a topic section's facts, keeping the file's own layout."""
    doc, problems = load_document(topic_file, str(topic_file))
    if problems:
        raise ScaffoldError([str(p) for p in problems])
    lines = topic_file.read_text(encoding="utf-8").splitlines(keepends=True)
    facts_path = ("sections", section, "facts")
    line, column = doc.mark(facts_path)
    if lines[line - 1][column - 1] == "[":  # flow style: facts: [a, b]
        offset = sum(len(x) for x in lines[:line - 1]) + column - 1
        text = "".join(lines)
        close = text.index("]", offset)
        topic_file.write_text(text[:close].rstrip() + f", {fact_id}" + text[close:], encoding="utf-8")
        return
    data: Any = doc.data  # the topic as read from YAML
    last_line, last_column = doc.mark(facts_path + (len(data["sections"][section]["facts"]) - 1,))
    item = lines[last_line - 1]
    dash = item[:last_column - 1].rstrip()
    lines.insert(last_line, dash + " " + fact_id + "\n")
    if not item.endswith("\n"):
        lines[last_line - 1] += "\n"
    topic_file.write_text("".join(lines), encoding="utf-8")


def section_choices(content: Content, topic_id: str) -> list[str]:
    return [s.heading for s in content.topics[topic_id].sections]

"""Read YAML content files into plain data plus the line:column of every value.

PyYAML's safe_load is YAML 1.1 (`no` -> False, `1:10` -> 70, `010` -> 8) and
keeps the last of duplicate keys. Contributors deserve neither surprise, so
this loader resolves scalars by the YAML 1.2 core schema, rejects duplicate
keys and aliases, and reports problems instead of raising.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40

# Tags a plain YAML file resolves to; an explicit other tag (!!python/object, !custom) is refused.
PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")}

Path_ = tuple  # a path into the data: ("sections", 0, "facts")


class _Yaml12Resolver(yaml.resolver.BaseResolver):
    """Implicit scalar types by the YAML 1.2 core schema (registered below), and nothing else.
    The composers ask the resolver about every node; PyYAML's general methods, which also serve
    path resolvers and wildcard types we never use, took a fifth of composing large content."""

    # Called at every node with (parent, index) and with nothing: C built-ins that take those
    # arguments and do nothing cost less than a Python method that returns at once.
    descend_resolver = staticmethod(operator.is_)  # type: ignore[assignment]  # its result is ignored
    ascend_resolver = staticmethod(tuple)  # type: ignore[assignment]  # its result is ignored

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if implicit[0]:  # a plain (unquoted) scalar: its first character narrows the types it may be
                for tag, pattern in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_MAPPING_TAG if kind is yaml.MappingNode else self.DEFAULT_SEQUENCE_TAG


class _Yaml12Composer(yaml.composer.Composer):
    """Notes where aliases are, so they can be refused at their own line, and stops deep nesting."""

    alias_marks: list
    depth: int
    # From the parser it is mixed with: PyYAML's Parser, or libyaml's CParser.
    check_event: Callable[..., bool]
    peek_event: Callable[[], Any]

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.alias_marks.append(self.peek_event().start_mark)
        # Stop deep nesting here, at its own line, long before Python's recursion limit.
        if self.depth >= MAX_DEPTH:
            raise _TooDeep(self.peek_event().start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class Yaml12Loader(_Yaml12Composer, _Yaml12Resolver, yaml.SafeLoader):
    """SafeLoader whose implicit scalar types are YAML 1.2 core, nothing more. Pure Python:
    its syntax error messages are the ones the hints in _syntax_problem are written for."""

    def __init__(self, stream):
        super().__init__(stream)
        self.alias_marks = []
        self.depth = 0


# The loaders over libyaml where PyYAML has it (_FastYaml12Loader, _CYaml12Loader), else the pure-Python one and none.
_FastYaml12Loader: type[yaml.resolver.BaseResolver] = Yaml12Loader
_CYaml12Loader: type[yaml.resolver.BaseResolver] | None = None
if yaml.__with_libyaml__:
    from yaml._yaml import CParser  # what yaml.cyaml builds its loaders on

    class _LibyamlParsedYaml12Loader(_Yaml12Composer, CParser, _Yaml12Resolver):
        """The same composer and scalar types over libyaml's C scanner and parser, which
        read content about twenty times faster than the pure-Python ones."""

        def __init__(self, stream):
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            _Yaml12Resolver.__init__(self)
            self.alias_marks = []
            self.depth = 0

    class _LibyamlComposedYaml12Loader(CParser, _Yaml12Resolver):
        """libyaml's own composer too (half of reading large content), for text that cannot
        hold an alias nor nest deeply: it would share an aliased node rather than note it,
        and it recurses in C with no depth limit. _to_data still stops nesting past MAX_DEPTH."""

        def __init__(self, stream):
            CParser.__init__(self, stream)
            _Yaml12Resolver.__init__(self)

    _FastYaml12Loader, _CYaml12Loader = _LibyamlParsedYaml12Loader, _LibyamlComposedYaml12Loader


def _may_hold_alias(text: str) -> bool:
    """Whether any '*' could start an alias: at the start of a line, a value or a flow item.
    Conservative: text merely like it ("a *b") only takes the slower composer, which refuses
    real aliases. ('*' is rare, so a search for it beats a regular expression tenfold.)"""
    at = text.find("*")
    while at >= 0:
        if at == 0 or text[at - 1] in " \t\r\n[{,:":  # ':' as in {"key":*alias}
            return True
        at = text.find("*", at + 1)
    return False


# Nesting can grow one level per column of indentation or per flow bracket, so text under this
# bound cannot nest deep enough to trouble libyaml's recursive composer.
_C_COMPOSER_DEPTH_BOUND = 5000


class _TooDeep(Exception):
    def __init__(self, mark):
        self.mark = mark


_Yaml12Resolver.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+0123456789."),
    ),
]:
    _Yaml12Resolver.add_implicit_resolver(_tag, re.compile(_pattern), _first)


@dataclass
class Document:
    """One content file: its data and where each value and key sits in it."""

    path: str
    data: object = None
    first_line: str = ""
    value_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def mark(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at path, or of its key;
        falls back to the nearest enclosing value that has a mark."""
        table = self.key_marks if key else self.value_marks
        while True:
            if path in table:
                return table[path]
            if path in self.value_marks:
                return self.value_marks[path]
            if not path:
                return (1, 1)
            path = path[:-1]

    def problem(self, path: Path_, message: str, hint: str = "", *, key: bool = False, text: str = "") -> Problem:
        """A problem at the value (or key) at path; with text, at the first place
        that text appears from there on (e.g. one citation inside a long paragraph)."""
        line, column = self.mark(path, key=key)
        if text:
            line, column = self.find(text, line, column)
        return Problem(self.path, line, column, message, hint)

    def find(self, text: str, line: int, column: int) -> tuple[int, int]:
        for number in range(line, len(self.lines) + 1):
            start = column - 1 if number == line else 0
            found = self.lines[number - 1].find(text, start)
            if found >= 0:
                return number, found + 1
        return line, column


def read_text(file: Path, display_path: str) -> tuple[str | None, Problem | None]:
    """A content file's text, or the reason it cannot be read as YAML text. Reads at most
    MAX_FILE_BYTES + 1 bytes and never follows links, so no file can fill memory or leak another."""
    if file.is_symlink() or not file.is_file():
        what = "a symbolic link" if file.is_symlink() else "not an ordinary file"
        return None, Problem(display_path, 1, 1, f"{file.name} is {what}", "content files must be plain YAML files")
    with file.open("rb") as stream:
        raw = stream.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        return None, Problem(display_path, 1, 1, f"file is {file.stat().st_size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit",
                             "split it into several smaller files in the same folder")
    if b"\x00" in raw:
        return None, Problem(display_path, 1, 1, "file is binary, not YAML text", "save it as UTF-8 text")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, Problem(display_path, line, 1, "file is not valid UTF-8 text", "re-save the file with UTF-8 encoding")


def load_document(file: Path, display_path: str) -> tuple[Document, list[Problem]]:
    """Parse one YAML file. Never raises for bad content: returns problems."""
    doc = Document(display_path)
    text, problem = read_text(file, display_path)
    if problem:
        return doc, [problem]
    assert text is not None, "read_text gives the text, or the problem that stops it being read"
    return parse_document(text, display_path)


def parse_document(text: str, display_path: str) -> tuple[Document, list[Problem]]:
    """Parse YAML text (a file's, or an old version of it from history)."""
    doc = Document(display_path)
    doc.lines = text.splitlines()
    doc.first_line = text.partition("\n")[0].rstrip()
    try:
        node, alias_marks = _compose(text, doc.lines)
        problems: list[Problem] = []
        data = None if node is None or alias_marks else _to_data(node, (), doc, problems)
    except _TooDeep as err:
        doc.value_marks.clear()  # nothing half-read stays behind
        doc.key_marks.clear()
        return doc, [Problem(display_path, err.mark.line + 1, err.mark.column + 1,
                             f"YAML is nested too deeply (more than {MAX_DEPTH} levels)", "flatten the structure")]
    except yaml.MarkedYAMLError as err:
        return doc, [_syntax_problem(display_path, err)]
    except yaml.reader.ReaderError as err:  # a control character: YAML text may not hold one
        line = text.count("\n", 0, err.position) + 1
        column = err.position - (text.rfind("\n", 0, err.position) + 1) + 1
        return doc, [Problem(display_path, line, column, f"invisible control character U+{err.character:04X} in the text",
                             "delete it (it often comes with text pasted from another program)")]
    if node is None:
        return doc, [Problem(display_path, 1, 1, "file is empty",
                             "add records, or delete the file if it is not needed")]
    if alias_marks:
        # Refused before expanding anything: aliases can nest into a "billion laughs".
        mark = alias_marks[0]
        return doc, [Problem(display_path, mark.line + 1, mark.column + 1,
                             "anchors and aliases (&name / *name) are not allowed", "write the value out in full")]
    doc.data = data
    return doc, problems


def _compose(text: str, lines: list[str]):
    """The node tree and the marks of any aliases, by the fastest composer safe for the text.
    A syntax error is found again by the pure-Python parser, so its message and position are
    always the familiar ones."""
    loaders = [_FastYaml12Loader, Yaml12Loader]
    if _CYaml12Loader is not None and not _may_hold_alias(text) and _nesting_bound(text, lines) < _C_COMPOSER_DEPTH_BOUND:
        loaders.insert(0, _CYaml12Loader)
    for loader_class in loaders:
        try:
            return compose_with(loader_class, text)
        except yaml.YAMLError:
            if loader_class is Yaml12Loader:
                raise


def compose_with(loader_class: type, text: str):
    """The node tree and alias marks from one composer (the C composer notes no aliases)."""
    loader = loader_class(text)
    try:
        return loader.get_single_node(), getattr(loader, "alias_marks", [])
    finally:
        loader.dispose()


def _nesting_bound(text: str, lines: list[str]) -> int:
    return max(map(len, lines), default=0) + text.count("[") + text.count("{")


def _syntax_problem(path: str, err: yaml.MarkedYAMLError) -> Problem:
    mark = err.problem_mark or err.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = f"YAML syntax error: {err.problem or err.context}"
    start = err.context_mark
    if str(err.context).startswith("while") and err.problem and start and mark and start.line != mark.line:
        message += f" ({err.context} that starts on line {start.line + 1})"
    hint = "check indentation and quoting on this line or the one before"
    if "\\t" in str(err.problem) or "tab" in str(err.problem):
        hint = "indent with spaces, not tabs"
    elif "another document" in str(err.problem):
        message = "YAML syntax error: a second YAML document starts here"
        hint = "a content file holds one YAML document: remove the '---' line"
    elif "@" in str(err.problem) or "[" in str(err.problem):
        hint = "text with an inline citation like [@source-id] at its start or inside [...] or {...}: put the text in quotes"
    return Problem(path, line, column, message, hint)


def _mark_of(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _to_data(node: yaml.Node, path: Path_, doc: Document, problems: list[Problem]):
    """Turn a composed node tree (free of aliases) into plain data, recording marks as it goes.
    It runs for every value and key of the content: plain text, most of them, goes the shortest way."""
    start = node.start_mark
    doc.value_marks[path] = (start.line + 1, start.column + 1)
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _TEXT:
            return node.value
        return _construct_scalar_value(node) if node.tag in PLAIN_TAGS else _tag_problem(node, path, doc, problems)
    if len(path) + 1 >= MAX_DEPTH and node.value:
        first_child = node.value[0][0] if isinstance(node, yaml.MappingNode) else node.value[0]
        raise _TooDeep(first_child.start_mark)  # where the Python composer stops too
    if node.tag not in PLAIN_TAGS:
        return _tag_problem(node, path, doc, problems)
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(item, path + (i,), doc, problems) for i, item in enumerate(node.value)]
    mapping: dict = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(doc.path, *_mark_of(key_node), "a key must be a plain word", "remove the brackets"))
            continue
        key = key_node.value
        if key in mapping:
            first_line = doc.key_marks[path + (key,)][0]
            problems.append(Problem(doc.path, *_mark_of(key_node), f"duplicate key '{key}' (first given on line {first_line})",
                                    "keep one of them"))
            continue
        key_path = path + (key,)
        doc.key_marks[key_path] = _mark_of(key_node)
        mapping[key] = _to_data(value_node, key_path, doc, problems)
    return mapping


_TEXT = "tag:yaml.org,2002:str"


def _tag_problem(node: yaml.Node, path: Path_, doc: Document, problems: list[Problem]) -> None:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    problems.append(doc.problem(path, f"YAML tag '{tag}' is not allowed", "remove the tag and write the value as plain text"))


def _construct_scalar_value(node: yaml.ScalarNode):
    """Scalars by the YAML 1.2 core schema; anything else (explicit tags too) stays text."""
    text = node.value
    if node.tag == "tag:yaml.org,2002:int":
        if text.startswith("0o"):
            return int(text[2:], 8)
        return int(text, 16) if text.startswith("0x") else int(text, 10)
    if node.tag == "tag:yaml.org,2002:float":
        return float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
    if node.tag == "tag:yaml.org,2002:bool":
        return text.lower() == "true"
    if node.tag == "tag:yaml.org,2002:null":
        return None
    return text

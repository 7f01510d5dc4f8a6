"""Problems as a person reads them (grouped by file, the offending line with a
caret under the column, a one-line summary) or as a tool reads them (JSON).

Every problem keeps its plain `path:line:col: message — hint` line at the
start of a line, so editors, CI annotations and the MkDocs log read it too.
"""

from __future__ import annotations

import json
from itertools import groupby
from pathlib import Path

from .load import read_text
from .problems import Problem

SHOWN_WIDTH = 100  # characters of a long source line shown around the column


def source_lines(base: Path, path: str) -> list[str] | None:
    """The lines of a file problems point into, or None when it cannot be shown as text."""
    text, unreadable = read_text(base / path, path)
    return None if unreadable or text is None else text.splitlines()


def source_line(lines: list[str] | None, problem: Problem) -> str | None:
    return lines[problem.line - 1] if lines and 0 < problem.line <= len(lines) else None


def excerpt(line: str, column: int) -> tuple[str, str]:
    """The line (cut to a window around the column if long) and a caret line under the column."""
    start = max(0, min(column - 1 - SHOWN_WIDTH // 2, len(line) - SHOWN_WIDTH)) if len(line) > SHOWN_WIDTH else 0
    shown = line[start:start + SHOWN_WIDTH]
    before = shown[:max(0, column - 1 - start)]
    # keep tabs as tabs so the caret lines up however wide the terminal draws them
    caret = "".join("\t" if ch == "\t" else " " for ch in before) + "^"
    if start:
        shown, caret = "…" + shown, " " + caret
    if start + SHOWN_WIDTH < len(line):
        shown += "…"
    return shown, caret


def summary(problems: list[Problem], files_checked: int) -> str:
    files = len({p.path for p in problems})
    return (f"{_count(len(problems), 'problem')} in {_count(files, 'file')} "
            f"({_count(files_checked, 'file')} checked); fix them and run `refsite check` again")


def format_text(problems: list[Problem], base: Path, files_checked: int) -> str:
    """Problems grouped by file, each with its source line and a caret, then the summary."""
    out = []
    for path, grouped in groupby(sorted(problems), key=lambda p: p.path):
        group = list(grouped)
        lines = source_lines(base, path)
        out.append(f"── {path} ({_count(len(group), 'problem')})")
        for problem in group:
            out.append(str(problem))
            line = source_line(lines, problem)
            if line is not None:
                shown, caret = excerpt(line, problem.column)
                gutter = f"{problem.line:>6} | "
                out.append(gutter + shown)
                out.append(" " * (len(gutter) - 2) + "| " + caret)
        out.append("")
    out.append(summary(problems, files_checked))
    return "\n".join(out)


def format_json(problems: list[Problem], base: Path, files_checked: int, counts: dict[str, int]) -> str:
    """One JSON object for tools: every problem with its location and source line."""
    lines = {path: source_lines(base, path) for path in {p.path for p in problems}}
    return json.dumps({
        "valid": not problems,
        "files_checked": files_checked,
        "records": counts,
        "problems": [{"path": p.path, "line": p.line, "column": p.column, "message": p.message, "hint": p.hint,
                      "text": str(p), "source_line": source_line(lines[p.path], p)} for p in sorted(problems)],
        "summary": summary(problems, files_checked) if problems else "content is valid",
    }, ensure_ascii=False, indent=2)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"

"""Problems found in content: collected as values, reported together."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        # line 0: a problem with a file or folder as a whole, which has no line to point at
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        text = f"{where}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


class ContentError(Exception):
    """Raised by the pipeline when content has problems; carries all of them."""

    def __init__(self, problems: list[Problem], files_checked: int = 0):
        self.problems = sorted(problems)
        self.files_checked = files_checked
        super().__init__(f"{len(self.problems)} problem(s) in content")

    def report(self) -> str:
        return "\n".join(str(p) for p in self.problems)

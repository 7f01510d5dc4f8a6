"""When content changed, from the project's git history: the date each content
file last changed, and every content commit with what it changed in the content
itself: the records it added, removed or changed (and which of their fields), and
the thresholds it moved. A commit's message is kept as data but is an engineer's
note, not a reader's: the changes page lists the records instead.

Reading git is an edge of the pipeline, like reading the YAML files: this
module returns plain data, and the renderer takes it as an argument. Outside
a git checkout (an exported tarball, a zip) it falls back to the files'
modification dates and an empty change list, and says so.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .load import parse_document

GIT_TIMEOUT = 60
RECORD, UNIT = "\x1e", "\x1f"


@dataclass
class Change:
    """One commit that touched content/."""

    date: dt.date
    commit: str
    subject: str  # the commit message's first line: for engineers, never shown to readers
    files: list[str]  # display paths, e.g. content/facts/definitions.yaml
    thresholds: list["ThresholdChange"] = field(default_factory=list)
    records: list["RecordChange"] = field(default_factory=list)  # empty: only comments or layout changed


@dataclass
class ThresholdChange:
    fact_id: str
    before: tuple | None  # (comparator, value, unit) as the file had it; None when the threshold is new
    after: tuple | None  # None when it was removed


@dataclass
class RecordChange:
    """One record a commit added, removed or changed, by its content folder and id."""

    kind: str  # the content folder: 'facts', 'sources', 'topics', …
    record_id: str
    how: str  # 'added', 'removed' or 'changed'
    fields: list[str] = field(default_factory=list)  # changed: its top-level fields that differ, sorted


@dataclass
class History:
    file_dates: dict[str, dt.date]
    changes: list[Change]
    from_git: bool
    shallow: bool = False

    def last_changed(self, files) -> dt.date | None:
        dates = [self.file_dates[f] for f in files if f in self.file_dates]
        return max(dates) if dates else None


def read_history(content_dir: Path) -> History:
    """Dates and changes for every YAML file under content_dir (never raises)."""
    base = content_dir.resolve().parent
    files = sorted(content_dir.resolve().glob("*/*.yaml"))
    mtimes = {_display(f, base): dt.date.fromtimestamp(f.stat().st_mtime) for f in files if f.is_file()}
    try:
        root = Path(_git(content_dir, "rev-parse", "--show-toplevel").strip())
        log = _git(root, "log", "--no-renames", f"--format={RECORD}%H{UNIT}%cs{UNIT}%s", "--name-only",
                   "--", str(content_dir.resolve().relative_to(root)))
        dirty = _git(root, "status", "--porcelain", "--untracked-files=all", "--", str(content_dir.resolve()))
        shallow = _git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
        changes = _parse_log(log, root, base)
        _add_threshold_changes(changes, root, base)
    except (OSError, subprocess.SubprocessError, ValueError):
        return History(mtimes, [], from_git=False)
    file_dates: dict[str, dt.date] = {}
    for change in reversed(changes):  # oldest first, so the newest date wins
        for file in change.files:
            file_dates[file] = change.date
    for line in dirty.splitlines():  # edited but not committed yet: the file's own date
        path = _display(root / line[3:].split(" -> ")[-1].strip().strip('"'), base)
        if path in mtimes:
            file_dates[path] = mtimes[path]
    for path, date in mtimes.items():
        file_dates.setdefault(path, date)
    return History(file_dates, changes, from_git=True, shallow=shallow)


def _git(where: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(where), *args], capture_output=True, text=True, check=True,
                          timeout=GIT_TIMEOUT, encoding="utf-8", errors="replace").stdout


def _display(file: Path, base: Path) -> str:
    return file.resolve().relative_to(base).as_posix()


def _parse_log(log: str, root: Path, base: Path) -> list[Change]:
    changes = []
    for record in log.split(RECORD)[1:]:
        header, _, names = record.partition("\n")
        commit, date, subject = header.split(UNIT, 2)
        files = [_display(root / name, base) for name in names.split() if name.endswith(".yaml")]
        changes.append(Change(dt.date.fromisoformat(date), commit[:10], subject.strip(), files))
    return changes


def _add_threshold_changes(changes: list[Change], root: Path, base: Path) -> None:
    """Compare the records in each commit's content files with the versions before it (all files of a
    commit together, so a record moved between files of one folder is not a change), and the thresholds
    of its facts files."""
    wanted = [(change, file) for change in changes for file in change.files if len(file.split("/")) >= 3]
    requests = []
    for change, file in wanted:
        path = (base / file).relative_to(root).as_posix()
        requests += [f"{change.commit}^:{path}", f"{change.commit}:{path}"]
    blobs = iter(_cat_files(root, requests) if requests else [])
    # A file's version is the "after" of one commit and the "before" of the next that changes it: read each once.
    versions: dict[str | None, dict[str, dict]] = {}

    def records(text: str | None) -> dict[str, dict]:
        if text not in versions:
            versions[text] = records_in(text)
        return versions[text]

    before: dict[str, dict[tuple[str, str], dict]] = {}
    after: dict[str, dict[tuple[str, str], dict]] = {}
    for change, file in wanted:
        kind = file.split("/")[-2]
        for side, text in ((before, next(blobs)), (after, next(blobs))):
            side.setdefault(change.commit, {}).update({(kind, i): r for i, r in records(text).items()})
    for change in changes:
        if change.commit in before:
            old, new = before[change.commit], after[change.commit]
            change.records = record_changes(old, new)
            change.thresholds = threshold_changes(
                {i: t for (kind, i), r in old.items() if kind == "facts" and (t := _threshold(r))},
                {i: t for (kind, i), r in new.items() if kind == "facts" and (t := _threshold(r))})


def _cat_files(root: Path, requests: list[str]) -> list[str | None]:
    """Many `git show rev:path` in one process; None where the file did not exist."""
    result = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], input=("\n".join(requests) + "\n").encode(),
                            capture_output=True, check=True, timeout=GIT_TIMEOUT).stdout
    blobs: list[str | None] = []
    at = 0
    for _ in requests:
        end = result.index(b"\n", at)
        header = result[at:end].split()
        if len(header) == 3:  # "<sha> blob <size>", then the content and a newline
            size = int(header[2])
            blobs.append(result[end + 1:end + 1 + size].decode("utf-8", errors="replace"))
            at = end + 1 + size + 1
        else:  # "<request> missing"
            blobs.append(None)
            at = end + 1
    return blobs


def records_in(text: str | None) -> dict[str, dict]:
    """record id → the record as plain data, from one version of a content file (a list of records, or one
    record); {} when the file is missing or cannot be read."""
    if text is None:
        return {}
    doc, problems = parse_document(text, "history")
    if problems:
        return {}
    items = doc.data if isinstance(doc.data, list) else [doc.data]
    return {item["id"]: item for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)}


def _threshold(record: dict) -> tuple | None:
    t = record.get("threshold")
    return (str(t.get("comparator", "")), t.get("value"), str(t.get("unit", ""))) if isinstance(t, dict) else None


def thresholds_in(text: str | None) -> dict[str, tuple]:
    """fact id → its threshold (comparator, value, unit), from one version of a facts file."""
    return {i: t for i, r in records_in(text).items() if (t := _threshold(r))}


def record_changes(before: dict[tuple[str, str], dict], after: dict[tuple[str, str], dict]) -> list[RecordChange]:
    """Records added, removed or changed between two versions, by (folder, id), in a stable order."""
    found = []
    for kind, record_id in sorted(before.keys() | after.keys()):
        old, new = before.get((kind, record_id)), after.get((kind, record_id))
        if old is None:
            found.append(RecordChange(kind, record_id, "added"))
        elif new is None:
            found.append(RecordChange(kind, record_id, "removed"))
        elif old != new:
            fields = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
            found.append(RecordChange(kind, record_id, "changed", fields))
    return found


def threshold_changes(before: dict[str, tuple], after: dict[str, tuple]) -> list[ThresholdChange]:
    return [ThresholdChange(fact_id, before.get(fact_id), after.get(fact_id))
            for fact_id in sorted(before.keys() | after.keys()) if before.get(fact_id) != after.get(fact_id)]

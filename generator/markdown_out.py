"""`refsite build --markdown-out`: the whole site as plain Markdown, for an engine that runs no
plugin of ours (Zensical), or for any other. Everything the MkDocs plugin adds at page level is
in the files, so every engine renders the same page bodies."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .render import Site, finished_page


class OutputClash(Exception):
    """The output folder or a generated path would overwrite something that is not ours to overwrite."""


def markdown_files(pages: dict[str, str], docs: list[Path], definitions: list[tuple[str, str]],
                   site: Site) -> dict[str, bytes]:
    """Every file of the Markdown site by path: the hand-written folders in order (a later one's
    file replaces an earlier one's: an engine's own overrides), then the generated pages and
    downloads; each page with the abbreviation definitions it needs."""
    files: dict[str, bytes] = {}
    for folder in docs:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                files[file.relative_to(folder).as_posix()] = file.read_bytes()
    taken = sorted(set(files) & set(pages))
    if taken:
        raise OutputClash(f"{', '.join(taken)} would be replaced by a generated file: rename or remove it")
    files.update({path: text.encode("utf-8") for path, text in pages.items()})
    return {path: finished_page(data.decode("utf-8"), path, site, definitions).encode("utf-8") if path.endswith(".md")
            else data for path, data in files.items()}


def check_output_folder(out: Path, keep: list[Path]) -> None:
    """Writing out/ deletes what is not part of the site: refuse a folder holding or inside one of keep."""
    out = out.resolve()
    for folder in keep:
        folder = folder.resolve()
        if out == folder or out in folder.parents or folder in out.parents:
            raise OutputClash(f"{out} holds or is inside {folder}: give the Markdown its own folder (e.g. build/markdown)")


def write_folder(files: dict[str, bytes], out: Path) -> int:
    """Make out/ hold exactly these files; returns how many it wrote or removed. Only files whose
    bytes changed are touched, each written beside and renamed into place (never half a file),
    so an engine watching the folder rebuilds just those pages."""
    changed = 0
    for path, data in files.items():
        target = out / path
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(data)
        os.replace(partial, target)
        changed += 1
    for file in sorted(out.rglob("*"), reverse=True):  # a folder's files before the folder
        if file.is_file() and file.relative_to(out).as_posix() not in files:
            file.unlink()
            changed += 1
        elif file.is_dir() and not any(file.iterdir()):
            file.rmdir()
    return changed


def snapshot(folders: list[Path]) -> dict[str, tuple[int, int]]:
    """Each file's modification time and size: a change to any means a rebuild."""
    found = {}
    for folder in folders:
        for file in folder.rglob("*"):
            try:
                info = file.stat()
            except FileNotFoundError:  # removed while we looked (an editor's temporary file)
                continue
            if stat.S_ISREG(info.st_mode):
                found[str(file)] = (info.st_mtime_ns, info.st_size)
    return found

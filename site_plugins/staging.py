"""Atomic builds under MkDocs: the site is built into a staging folder beside site_dir and swapped
into site_dir only once every step, the post-build checks included, has passed. A failed or
interrupted build leaves the previous site_dir exactly as it was, and removes its staging folder."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path

# The staging and previous-site folders are hidden siblings of site_dir ('.site.refsite-build-…'): on the
# same file system, so that the swap is two renames, and never inside site_dir, which the swap replaces.
PREFIX = ".refsite-build-"


class Staging:
    def __init__(self, site_dir: Path):
        self.site_dir = site_dir
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}{PREFIX}", dir=site_dir.parent))

    def swap(self) -> Path:
        """Put the staged site at site_dir (the previous one renamed aside, then removed); site_dir.
        Ctrl-C is held off until the swap is done: it never leaves site_dir missing or half removed."""
        previous = self.folder.with_name(self.folder.name + "-previous")
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            if self.site_dir.exists() or self.site_dir.is_symlink():
                os.rename(self.site_dir, previous)
            try:
                os.rename(self.folder, self.site_dir)
            except OSError:
                if previous.exists():
                    os.rename(previous, self.site_dir)
                raise
            if previous.is_symlink():
                previous.unlink()
            else:
                shutil.rmtree(previous, ignore_errors=True)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        return self.site_dir

    def discard(self) -> None:
        """Remove the staging folder (if it was not swapped in); site_dir is not touched."""
        shutil.rmtree(self.folder, ignore_errors=True)

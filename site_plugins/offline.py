"""The offline bundle under MkDocs: the file:// variant of the site (mkdocs.offline.yml) built
by MkDocs in a forked process while the main site builds; refsite postbuild zips it."""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from generator import BUNDLE_NAME


def build_offline_site(config_file: Path, site: Path, prepare: Callable[[MkDocsConfig], None] | None = None,
                       strict: bool = False) -> None:
    """Build the file:// variant of the site into site. prepare: readies the loaded config before the build
    (the main build's plugin hands its checked content to this build's, so it is not checked twice)."""
    config = load_config(str(config_file), site_dir=str(site), strict=strict)
    if prepare is not None:
        prepare(config)
    build(config)


class BundleInBackground:
    """The offline bundle is a second whole build of the site. It needs only the checked content, so
    a forked process renders and builds it while MkDocs builds the main site (on a second core it
    costs next to no extra time), into a folder of its own that MkDocs' clean of site/ cannot touch."""

    def __init__(self, config_file: Path, prepare: Callable[[MkDocsConfig], None], strict: bool):
        self.folder = Path(tempfile.mkdtemp(prefix="refsite-bundle-"))
        self.site = self.folder / BUNDLE_NAME
        context = multiprocessing.get_context("fork")  # the child shares the loaded content, uncopied
        self.process = context.Process(target=build_offline_site, args=(config_file, self.site, prepare, strict),
                                       name="offline bundle")
        self.process.start()

    def finish(self) -> Path:
        """Wait for the build; the built variant's folder, until close(). Raises if its build failed."""
        self.process.join()
        if self.process.exitcode != 0 or not (self.site / "index.html").is_file():
            raise RuntimeError(f"the offline bundle's build failed (exit code {self.process.exitcode}); see its log above")
        return self.site

    def close(self) -> None:
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        shutil.rmtree(self.folder, ignore_errors=True)

"""Runs the generator inside `mkdocs build` / `mkdocs serve` (and ProperDocs').

Adapts only: the generator validates and renders; this plugin adds the
pages as virtual files, watches content/ for live reload, turns content
problems into a failed build before MkDocs touches site/, finishes the
built site with the same post-build step as `refsite postbuild`, and under
`mkdocs build` builds into a staging folder that replaces site/ only once
every step has passed (staging.py).
"""

from __future__ import annotations

import atexit
import logging
import signal
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.utils import CountHandler

from generator import (BUNDLE_PATH, CheckedContent, ContentError, PostbuildError, Site, checked_content, finish_site,
                       report_url, repository, with_definitions)

from .offline import BundleInBackground
from .staging import Staging

log = get_plugin_logger(__name__)


class RefsiteConfig(base.Config):
    content_dir = c.Type(str, default="content")
    # The file:// variant of the site, built alongside from offline_config and zipped by the post-build step.
    offline_bundle = c.Type(bool, default=True)
    offline_config = c.Type(str, default="mkdocs.offline.yml")
    # The post-build step on the built site (mkdocs.offline.yml turns it off: the main build's step takes
    # the variant as it zips it).
    postbuild = c.Type(bool, default=True)
    # The repository the site is built from (https://github.com/owner/name): "Suggest a correction"
    # and "Report a problem" links lead there. None (mkdocs.yml reads REFSITE_REPO_URL): no such links.
    repo_url = c.Optional(c.Type(str))
    repo_branch = c.Type(str, default="main")
    # A build for publishing (mkdocs.yml reads REFSITE_DEPLOY): it must know its public address.
    deploy = c.Type(bool, default=False)


LOCAL_HOSTS = {"localhost", "127.0.0.1", "0.0.0.0", "::1", ""}


def deployment_problem(site_url: str | None) -> str:
    """Why a build for publishing cannot use this site_url ("" when it can): canonical links,
    the sitemap and every "cite this page" would point at a developer's machine."""
    host = urlsplit(site_url or "").hostname or ""
    if host in LOCAL_HOSTS or host.startswith("127.") or host.endswith(".localhost"):
        return (f"a build for deployment (REFSITE_DEPLOY) needs the site's public address, not {site_url!r}: "
                "set REFSITE_SITE_URL, e.g. https://owner.github.io/name/")
    return ""


def use_checked(config, checked: CheckedContent) -> None:
    """Hand checked content to the refsite plugin of another build's config (the offline bundle's)."""
    plugins = [plugin for plugin in config.plugins.values() if isinstance(plugin, RefsitePlugin)]
    if len(plugins) != 1:
        raise PluginError(f"{config.config_file_path} should use the refsite plugin once, not {len(plugins)} times")
    plugins[0].checked = checked
    # MkDocs reuses a plugin's instance for every config loaded in the process, so in the forked bundle
    # build this is the main build's plugin: it must not stage, nor touch the main build's staging folder.
    plugins[0].atomic, plugins[0].staging, plugins[0].warnings = False, None, None


def _exit_on_termination(signum, frame) -> None:
    sys.exit(128 + signum)


class WrittenAfterBuild(File):
    """A file the post-build step writes into the site (the offline bundle): known to MkDocs, so
    that a Markdown link to it is checked and rewritten like any other, but never copied by it."""

    def copy_file(self, dirty: bool = False) -> None:
        pass


class RefsitePlugin(BasePlugin[RefsiteConfig]):
    command = "build"
    # The offline bundle's build gets the content the main build checked (use_checked), so it is not
    # loaded and checked twice.
    checked: CheckedContent | None = None
    bundle: BundleInBackground | None = None  # the offline bundle, building alongside the main site
    pages: dict[str, str] | None = None  # the last valid content's pages (kept while serving a broken edit)
    # `mkdocs build` (and gh-deploy) builds into a staging folder beside site_dir and swaps it in only once
    # every step has passed (Staging); `mkdocs serve` builds into a folder of its own anyway, and a build
    # started by code (the offline bundle's) writes where it is told.
    atomic = False
    staging: Staging | None = None
    terminated: Any = None  # SIGTERM's handler before the build (restored when it ends)
    warnings: CountHandler | None = None  # strict mode: warnings fail the build, but MkDocs counts them after on_post_build

    def on_startup(self, *, command, dirty):
        self.command = command
        self.atomic = command in ("build", "gh-deploy") and not dirty

    def on_config(self, config):
        self.content_dir = Path(config.config_file_path).parent / self.config.content_dir
        config.watch.append(str(self.content_dir))
        if self.command == "serve":
            # docs/overrides/main.html leaves the policy out: live reload injects an inline script of its own.
            config.extra["content_security_policy"] = False
        if self.config.deploy and (problem := deployment_problem(config.site_url)):
            raise PluginError(problem)
        try:
            repo = repository(self.config.repo_url, self.config.repo_branch)
        except ValueError as err:
            raise PluginError(f"repo_url (REFSITE_REPO_URL): {err}") from err
        self.site = Site(config.site_name, config.site_url or "", repo, config.use_directory_urls)
        if self.atomic:
            self.staging = Staging(Path(config.site_dir))
            atexit.register(self.discard)  # Ctrl-C: MkDocs runs no event, and the process exits
            if threading.current_thread() is threading.main_thread():
                # A termination (a CI job cancelled) ends the process as Ctrl-C does, so the atexit above runs.
                self.terminated = signal.signal(signal.SIGTERM, _exit_on_termination)
            config.site_dir = str(self.staging.folder)
            if config.strict:
                self.warnings = CountHandler()
                self.warnings.setLevel(logging.WARNING)
                logging.getLogger("mkdocs").addHandler(self.warnings)
        return config

    def on_pre_build(self, config):
        # Runs before MkDocs cleans site/, so bad content leaves the old site intact.
        checked = self.checked
        if checked is None:
            try:
                checked = checked_content(self.content_dir)
            except ContentError as err:
                self.content_failed(err)
                return
        self.pages = checked.pages(self.site)
        self.abbreviations = checked.definitions()
        if self.config.offline_bundle and self.command != "serve" and self.checked is None:
            # The bundle's pages link as files ('x.html', not 'x/'): the forked build renders them from this
            # content on its own core, while this process builds the site.
            self.bundle = BundleInBackground(Path(config.config_file_path).parent / self.config.offline_config,
                                             prepare=lambda bundle_config: use_checked(bundle_config, checked),
                                             strict=config.strict)

    def content_failed(self, err: ContentError) -> None:
        for problem in err.problems:
            log.error(str(problem))
        count = len(err.problems)
        if self.command == "serve" and self.pages is not None:
            # Plugins with on_startup live across rebuilds: keep serving the last good pages while
            # the contributor fixes the file (MkDocs would otherwise stall every request and print a traceback).
            log.warning(f"{count} problem(s) in {self.config.content_dir}/: still showing the last valid content")
            return
        raise PluginError(f"{count} problem(s) in {self.config.content_dir}/; site/ was left as it was")

    def on_files(self, files: Files, config) -> Files:
        assert self.pages is not None, "on_pre_build gave the pages, or stopped the build"
        for path, markdown in self.pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} would be replaced by a generated file: rename or remove it")
            files.append(File.generated(config, path, content=markdown))
        files.append(WrittenAfterBuild.generated(config, BUNDLE_PATH, content=b""))
        return files

    def on_page_markdown(self, markdown, *, page, config, files):
        # What every page gets, as `refsite build --markdown-out` gives it to other engines: glossary
        # abbreviations as tooltips, and a "Report a problem" link.
        return with_definitions(markdown, self.abbreviations, report_url(self.site, page.file.src_uri, page.meta, markdown))

    @event_priority(-100)  # last: the site is swapped in only once every plugin has finished it
    def on_post_build(self, *, config):
        bundle, self.bundle = self.bundle, None
        finished = None
        try:
            if self.config.postbuild:
                finished = finish_site(Path(config.site_dir), config.site_url or "",
                                       with_service_worker=self.command != "serve",
                                       offline_site=bundle.finish() if bundle is not None else None)
        except (RuntimeError, PostbuildError) as err:
            raise PluginError(str(err)) from err
        finally:
            if bundle is not None:
                bundle.close()
        if self.warnings is not None and self.warnings.get_counts():
            return  # strict mode: MkDocs aborts next (on_build_error discards the staged site)
        written = finished.bundle if finished is not None else None
        if self.staging is not None:
            staged, site_dir = self.staging.folder, self.staging.swap()
            config.site_dir = str(site_dir)  # for what runs after the build (gh-deploy pushes it)
            written = site_dir / written.relative_to(staged) if written is not None else None
            self.discard()
        if written is not None:
            log.info(f"offline bundle written to {written}")

    def on_build_error(self, *, error):
        # The build failed: its offline bundle and its staged site are not wanted; site_dir is left as it was.
        self.discard()

    def discard(self) -> None:
        """Drop what an unfinished build made: the offline bundle's build and folder, the staging folder."""
        bundle, self.bundle = self.bundle, None
        if bundle is not None:
            bundle.close()
        staging, self.staging = self.staging, None
        if staging is not None:
            staging.discard()
        if self.warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.warnings)
            self.warnings = None
        atexit.unregister(self.discard)
        if self.terminated is not None:
            signal.signal(signal.SIGTERM, self.terminated)
            self.terminated = None

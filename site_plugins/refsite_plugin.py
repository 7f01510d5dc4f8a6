"""Runs the generator inside `mkdocs build` / `mkdocs serve` (and ProperDocs').

Adapts only: the generator validates and renders; this plugin adds the
pages as virtual files, watches content/ for live reload, turns content
problems into a failed build before MkDocs touches site/, and finishes the
built site with the same post-build step as `refsite postbuild`.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from generator import (BUNDLE_PATH, CheckedContent, ContentError, PostbuildError, Site, checked_content, finish_site,
                       report_url, repository, with_definitions)

from .offline import BundleInBackground

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

    def on_startup(self, *, command, dirty):
        self.command = command

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

    def on_post_build(self, *, config):
        bundle, self.bundle = self.bundle, None
        try:
            if not self.config.postbuild:
                return
            finished = finish_site(Path(config.site_dir), config.site_url or "",
                                 with_service_worker=self.command != "serve",
                                 offline_site=bundle.finish() if bundle is not None else None)
        except (RuntimeError, PostbuildError) as err:
            raise PluginError(str(err)) from err
        finally:
            if bundle is not None:
                bundle.close()
        if finished.bundle is not None:
            log.info(f"offline bundle written to {finished.bundle}")

    def on_build_error(self, *, error):
        # The main build failed: its offline bundle is not wanted.
        if self.bundle is not None:
            self.bundle.close()
            self.bundle = None

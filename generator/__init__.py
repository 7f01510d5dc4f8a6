"""refsite: turns the YAML facts in content/ into reference pages.

Data flows one way (pipeline.py): content.py loads the files into model.py's records,
validate/ checks them, render/ and widgets/ turn them into pages. Knows nothing about MkDocs:
site_plugins/ adapts it, through the names below and nothing else. Never imports mkdocs,
site_plugins or benchmarks (import-linter checks this: see .importlinter).
"""

from .links import repository
from .pipeline import CheckedContent, check, checked_content
from .postbuild import BUNDLE_NAME, BUNDLE_PATH, PostbuildError, finish_site
from .problems import ContentError, Problem
from .render import Site, report_url, with_definitions

__all__ = ["BUNDLE_NAME", "BUNDLE_PATH", "CheckedContent", "ContentError", "PostbuildError", "Problem", "Site", "check",
           "checked_content", "finish_site", "report_url", "repository", "with_definitions"]

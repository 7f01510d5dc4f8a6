"""Where a reader can correct or report what a page shows: the repository's web editor open at
the line of a record's YAML, and GitHub's issue forms (.github/ISSUE_TEMPLATE/) pre-filled with
what a reviewer needs. Plain addresses only: nothing is fetched until a reader taps one.

With no repository configured every address is "", and pages leave the links out.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from .content import Content
from .model import Fact, Record

# The issue forms, by file name in .github/ISSUE_TEMPLATE/; the keyword arguments below are their field ids.
FACT_FORM = "correct-a-fact.yml"
SOURCE_FORM = "add-a-source.yml"
PAGE_FORM = "site-problem.yml"


@dataclass(frozen=True)
class Repository:
    """The GitHub repository the site is built from, e.g. https://github.com/owner/name."""

    url: str = ""  # "" when none is configured
    branch: str = "main"

    def edit(self, file: str, line: int) -> str:
        """The web editor at a line of a file: '<url>/edit/main/content/facts/x.yaml#L42'."""
        return f"{self.url}/edit/{quote(self.branch)}/{quote(file)}#L{line}" if self.url else ""

    def new_issue(self, form: str, title: str, **fields: str) -> str:
        """A new issue from a form, its title and fields (by field id) filled in."""
        if not self.url:
            return ""
        return f"{self.url}/issues/new?" + urlencode({"template": form, "title": title, **fields}, quote_via=quote)


def repository(url: str | None, branch: str = "main") -> Repository:
    """A repository from a configured address, with any trailing '/' or '.git' dropped;
    raises ValueError for anything that is not a web address of a repository."""
    url = (url or "").strip().removesuffix("/").removesuffix(".git")
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.netloc or parts.path.count("/") != 2:
            raise ValueError(f"the repository address must look like https://github.com/owner/name (found {url!r})")
    return Repository(url, branch)


def edit_url(content: Content, record: Record, repo: Repository) -> str:
    """The web editor at the line of any content record's id (fact, source, glossary entry,
    topic, calculator, checklist or checklist item); "" with no repository."""
    return repo.edit(*content.location(record)) if repo.url else ""


def fact_issue_url(repo: Repository, fact: Fact, page_address: str) -> str:
    """A "correct a fact" issue about one fact as shown at page_address (its own anchor added)."""
    return repo.new_issue(FACT_FORM, f"Correction: {fact.id}", **{
        "fact-id": fact.id,
        "page": f"{page_address}#{fact.id}",
        "source": "; ".join(c.source for c in fact.cite),
        "locator": "; ".join(c.locator for c in fact.cite),
    })


def page_issue_url(repo: Repository, page_address: str, title: str) -> str:
    """A "site problem" issue about a page."""
    return repo.new_issue(PAGE_FORM, f"Problem on: {title}", page=page_address)


def template_functions(content: Content | None, repo: Repository) -> dict:
    """The link makers page templates call, bound to one site's content and repository:
    edit_url(record) and fact_issue_url(fact, page_address)."""
    return {"edit_url": lambda record: edit_url(content, record, repo) if content else "",
            "fact_issue_url": lambda fact, page_address: fact_issue_url(repo, fact, page_address)}

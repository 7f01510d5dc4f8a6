"""The page kit every renderer shares: the site and each page's place in it, citation markers
numbered per page, the Jinja environment, and a fact as templates show it.

Pure functions and plain data; imports nothing from the other render modules but search
(a fact's search aliases), and never anything from validation, widgets or MkDocs.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from importlib import resources
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ..citations import INLINE_CITATION, format_references, page_citation
from ..content import Content, computed_once
from ..exports import DOWNLOADS
from ..links import Repository, template_functions
from ..markup import literal, markdown_subset
from ..model import Fact, Review, SiteSettings, Source, Topic
from ..problems import Problem
from ..quantities import units
from ..wording import format_number, in_population, measure_text, outside_reported, plain, threshold_text
from .search import threshold_aliases


WEAK = {"very-low", "low"}


STRENGTH_LABEL = {
    "very-low": "Very weak source",
    "low": "Weak source",
    "moderate": "Moderate source",
    "high": "Strong source",
}


@dataclass(frozen=True)
class Site:
    """What a suggested citation, and a correction or report link, need to know about the site itself."""

    name: str = ""
    url: str = ""  # absolute base address ending in "/"; "" gives page-relative addresses
    repository: Repository = Repository()  # where its content lives; none: no correction links
    directory_urls: bool = True  # pages at 'x/' (MkDocs' default) rather than 'x.html'
    # Whether the engine's search reads page tags (Material does): then a topic's synonyms are found through
    # its tags and kept out of the indexed text, where they crowded every result. Zensical's does not.
    synonyms_in_tags: bool = True

    def page_url(self, path: str) -> str:
        """The published address of a page: 'sources/x.md' -> '<url>sources/x/' (what a citation of it gives)."""
        return self.url + page_address(path, directory_urls=True)

    def link(self, from_path: str, target: str) -> str:
        """The address of target ('page.md#anchor') as written on the page from_path, in this build's
        address style, for links the engine never sees (inside widget data): it converts only Markdown links."""
        path, _, anchor = target.partition("#")
        here = "/" + page_address(from_path, self.directory_urls)
        there = "/" + page_address(path or from_path, self.directory_urls)
        relative = posixpath.relpath(there, posixpath.dirname(here))
        if there.endswith("/"):
            relative += "/"
        return relative + (f"#{anchor}" if anchor else "")


def page_address(path: str, directory_urls: bool) -> str:
    """'sources/x.md' -> 'sources/x/' (or 'sources/x.html'); 'index.md' -> ''."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + ("/" if directory_urls else ".html")


@dataclass
class PageContext:
    """Per-page facts every page template shares: where it is and how to cite it."""

    path: str
    title: str
    site: Site
    changed: dt.date
    # Every record's page, by content kind and id ({"calculators": {"white-cell-count": "….md"}}): how a
    # page links to a widget's page without knowing the widget.
    paths: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return "../" * self.path.count("/")

    def link(self, target: str) -> str:
        """A link from this page to target ('page.md#anchor') for widget data, which the engine never converts."""
        return self.site.link(self.path, target)

    def cite_this(self) -> dict:
        url = self.site.page_url(self.path)
        return {"url": url, "changed": self.changed,
                "text": Markup(page_citation(self.title, url, self.site.name, self.changed))}


@dataclass
class PageCitations:
    """The sources cited on one page, in order of first citation. Each marker carries its source's label,
    the same on every page ([Cohort, Table II]), and is a button that opens the source's popover (full
    reference and appraisal) in place: native HTML popovers, no script."""

    content: Content
    base: str = ""  # from this page to the docs root: "" or "../"
    order: list[str] = field(default_factory=list)

    def number(self, source_id: str) -> int:
        """Where the source comes among those this page cites: its place in the page's reference list."""
        if source_id not in self.order:
            self.order.append(source_id)
        return self.order.index(source_id) + 1

    def label(self, source_id: str) -> str:
        """The source's label, and it joins the page's references."""
        self.number(source_id)
        return self.content.sources[source_id].label

    def marker(self, source_id: str, locator: str) -> Markup:
        source = self.content.sources[source_id]
        label = escape(self.label(source_id))
        weak = " cite--weak" if source.appraisal.strength in WEAK else ""
        where = f'<span class="cite__locator">, {literal(locator)}</span>' if locator else ""
        # An f-string with each value escaped: Markup.format did the same at ten times the cost.
        return Markup(
            f'<button type="button" class="cite{weak}" popovertarget="cite-{escape(source_id)}" data-ref="{label}">'
            f'<span class="visually-hidden">Reference </span>[{label}{where}]'
            f'<span class="visually-hidden"> ({escape(STRENGTH_LABEL[source.appraisal.strength])})</span></button>')

    def references(self) -> list[dict]:
        """Every source cited on the page, in order of first citation, with its appraisal. Appraisal
        prose may cite further sources; they join the list as it is built."""
        entries: list[dict[str, Any]] = []
        while len(entries) < len(self.order):
            entries.append(self._entry(len(entries) + 1, self.content.sources[self.order[len(entries)]]))
        for entry, text in zip(entries, format_references([e["source"] for e in entries])):
            entry["text"] = Markup(text)
        return entries

    def _entry(self, n: int, source: Source) -> dict:
        return {"n": n, "label": source.label, "source": source, "weak": source.appraisal.strength in WEAK,
                "summary": prose(source.appraisal.summary, self),
                "problems": [prose(p, self) for p in source.appraisal.problems],
                "page": f"{self.base}{source_page(source)}"}


def compact_markers(facts: list[Fact], cites: PageCitations) -> Markup:
    """One marker per source (no locators), in the page's order of references: for short lines."""
    sources = sorted(dict.fromkeys(c.source for f in facts for c in f.cite), key=cites.number)
    return Markup(" ").join(cites.marker(s, "") for s in sources)


def editors_line_mark(facts: list[Fact], content: Content) -> Markup:
    """The site's short editors' mark, after a line of compact markers, when any of the facts rests on a
    source the editors added from outside the documents ("" otherwise): a checklist item's line shows its
    sources only as markers, so the mark the facts carry must be on the line itself."""
    if not any(content.sources[c.source].editors_addition for f in facts for c in f.cite):
        return Markup("")
    return Markup(' <span class="fact__editors">{}</span>').format(site_settings(content).editors_tag)


def source_page(source: Source) -> str:
    return f"sources/{source.id}.md"


def prose(text: str, cites: PageCitations) -> Markup:
    """Prose from content in the allowed Markdown subset, with [@key, locator] as citation markers."""
    out: list[Markup] = []
    last = 0
    for m in INLINE_CITATION.finditer(text):
        out.append(markdown_subset(text[last:m.start()], starts_line=not out))
        out.append(cites.marker(m.group(1), (m.group(2) or "").strip()))
        last = m.end()
    out.append(markdown_subset(text[last:], starts_line=not out))
    return Markup("").join(out)


def fact_view(fact: Fact, content: Content, cites: PageCitations) -> dict:
    """What a template needs to show one fact."""
    sources = [content.sources[c.source] for c in fact.cite]
    recomputed = fact.measure.recomputed_percent() if fact.measure else None
    statement = prose(fact.statement, cites)
    markers = Markup(" ").join(cites.marker(c.source, c.locator) for c in fact.cite)
    boundary = fact.threshold.boundary_note if fact.threshold else None
    provenance = fact.threshold.provenance_note if fact.threshold else None
    return {
        "fact": fact,
        "statement": statement,
        "markers": markers,
        "threshold": threshold_text(fact, units(content)) if fact.threshold else None,
        "aliases": threshold_aliases(fact, content) if fact.threshold else [],
        "boundary_note": prose(boundary, cites) if boundary else None,
        "provenance_note": prose(provenance, cites) if provenance else None,
        "editors_additions": list({s.id: s for s in sources if s.editors_addition}.values()),
        "measure": measure_text(fact.measure, units(content)) if fact.measure else None,
        "recomputed": f"{recomputed:.1f}%" if recomputed is not None else "",
        "discrepancies": [{"d": d, "summary": prose(d.summary, cites)} for d in fact.discrepancies],
        "weakest": min((s.appraisal.strength for s in sources), key=list(STRENGTH_LABEL).index),
        "only_weak": all(s.appraisal.strength in WEAK for s in sources),
        "unverified": all(s.appraisal.strength == "very-low" for s in sources),
    }


def topic_links(content: Content) -> list[Topic]:
    return sorted(content.topics.values(), key=lambda t: t.order)


@computed_once
def fact_pages(content: Content) -> dict[str, str]:
    """Which topic page (path) first shows each fact, for links."""
    where: dict[str, str] = {}
    for topic in topic_links(content):
        for section in topic.sections:
            for fact_id in section.facts:
                where.setdefault(fact_id, f"{topic.id}.md")
    return where


def in_order(records) -> list:
    """Calculators or checklists in the order their YAML gives (ties by id): for pages and links alike."""
    return sorted(records, key=lambda r: (r.order, r.id))


def oldest_review(content: Content) -> Review | None:
    """The least recent review among topics: a page drawing on all of them is
    only as fresh as its stalest part."""
    reviews = [t.review for t in content.topics.values()]
    return min(reviews, key=lambda r: r.last_reviewed) if reviews else None


def site_settings(content: Content):
    """The site's own settings (content/site/): its title, and the quantity its ladder draws."""
    return next(iter(content.records["site"].values()))


@dataclass(frozen=True)
class Use:
    """One thing on the site that rests on a source, for the source's page."""

    group: str  # a topic's title, or what kind of place it is
    label: str
    link: str  # docs-relative path with anchor
    locator: str = ""


def safe(value) -> Markup:
    return value if isinstance(value, Markup) else literal(value)


def environment(template_packages: Sequence[str] = ()) -> Environment:
    """The one Jinja environment: templates from render/templates/, then each widget's package's.
    Every value a template prints is escaped for HTML and Markdown alike (markup.literal),
    unless it is Markup built here: the prose subset, citation markers, references."""
    loader = ChoiceLoader([PackageLoader("generator.render", "templates"),
                           *(PackageLoader(package, "templates") for package in template_packages)])
    env = Environment(loader=loader, autoescape=True, finalize=safe,
                      trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["cell"] = lambda value: Markup(str(safe(value)).replace("|", "&#124;"))
    env.filters["join"] = lambda items, separator="": Markup(separator).join(safe(item) for item in items)
    env.filters["number"] = format_number
    env.filters["plain"] = plain
    env.globals["STRENGTH_LABEL"] = STRENGTH_LABEL
    env.globals["DOWNLOADS"] = DOWNLOADS
    env.globals["EDITORS_TAG"] = SiteSettings.model_fields["editors_tag"].default  # render_site sets the site's own
    env.globals.update(template_functions(None, Repository()))  # render_site binds them to its content
    return env


def render_page(env: Environment, template: str, page: PageContext, cites: PageCitations, **values) -> str:
    return env.get_template(template).render(page=page, base=page.base, cite_this=page.cite_this(),
                                             references=cites.references(), **values)


def json_for_html(data: dict) -> Markup:
    """JSON safe as a single-quoted HTML attribute value, read back verbatim: no quote, '<', '>' or '&' left
    in it (each is a \\u escape inside a JSON string, the only place JSON has them)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&'":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)


def widget_data(element_id: str, data: dict) -> Markup:
    """A widget's data as an attribute of an empty, hidden element, which the widget's element names in
    data-refsite-data. Not a <script type="application/json">: Material's instant navigation re-creates
    every inline script of the new page without its type and id, so that data would be lost (and run as
    script) whenever a reader arrives by tapping a link, and attributes survive any page swap."""
    return Markup(f'<div hidden class="refsite-data" id="{escape(element_id)}" data-json=\'{json_for_html(data)}\'></div>')


def fact_messages(fact: Fact, content: Content, cites: PageCitations, env: Environment, more: str) -> dict[str, str]:
    """A fact as advice, and as what its source says about its population (for readers whose context is not
    known): both rendered here, so the browser shows exactly what the build rendered."""
    # A template's macros are attributes of its module, which Jinja's types do not declare.
    parts: Any = env.get_template("fact_message.html.j2").module
    view = fact_view(fact, content, cites)
    source = content.sources[fact.cite[0].source].short_title
    return {"advice": str(parts.message(view, more, "")),
            "conditional": str(parts.message(view, more, in_population(fact.context.population, source)))}


def outside_message(fact: Fact, content: Content, cites: PageCitations, env: Environment, more: str) -> str:
    """Why a study's findings are not shown for this count: it lies outside the counts the study reported."""
    parts: Any = env.get_template("fact_message.html.j2").module
    return str(parts.outside(fact_view(fact, content, cites), outside_reported(fact, units(content)), more))


PageMaker = Callable[[str, str], PageContext]  # (path, title) -> that page's context


def _nothing_on_the_card(content: Content, env: Environment, page: PageContext, cites: PageCitations) -> str:
    return ""


@dataclass(frozen=True)
class Probe:
    """A value the decision table (render/decisions.py) tries the widgets at: a band's edge, or one value
    inside a band, of one record's scale."""

    record: str  # the record whose scale it comes from
    title: str  # that record's title
    quantity: str  # what the value is a value of
    value: float  # in the quantity's canonical unit
    where: str  # "edge" (exactly at a threshold) or "inside" (a band)
    label: str  # the threshold at that edge (its short form), or the band's label
    facts: tuple[str, ...] = ()  # the threshold facts at that edge


@dataclass(frozen=True)
class Line:
    """One thing a widget shows, for the decision table: words (plain text, escaped wherever they are shown),
    with the fact they state and that fact's citations."""

    text: str
    fact: str = ""
    prefix: str = ""  # conditional advice: what makes it what one source says about its population
    cites: tuple[tuple[str, str], ...] = ()  # (source id, locator)


@dataclass(frozen=True)
class Cell:
    """What one widget's record shows of one kind for one probe and context: a column of the decision table."""

    key: str  # "<record id>.<what>": the same key is the same column of the table
    widget: str  # the record's title
    heading: str  # what it is, in words
    lines: tuple[Line, ...]
    place: int = 0  # its place among its record's cells: the order its evaluator gives what it returns
    severity: str = ""  # a badge's severity, where the cell is one


def _no_probes(content: Content) -> list[Probe]:
    return []


def _shows_nothing(content: Content, probe: Probe, context: Mapping[str, str]) -> list[Cell]:
    return []


def _no_context_page(content: Content) -> str | None:
    return None


@dataclass(frozen=True)
class Widget:
    """One kind of interactive widget, as its package (generator/widgets/<name>/) provides it: what
    rendering asks of it, and its check, which the pipeline hands validation. Nothing here imports one."""

    name: str  # its browser script is <package>/<name>.js, served as assets/widgets/<name>.js
    kind: str  # the content folder its records come from: 'calculators'
    templates: str  # its package, whose templates/ folder holds its templates
    check: Callable[[Content], list[Problem]]  # every problem in its records, its test cases run
    paths: Callable[[Content], dict[str, str]]  # each record's page, by id
    pages: Callable[[Content, Environment, PageMaker], dict[str, str]]
    uses: Callable[[Content], Iterable[tuple[Use, str]]]  # (use, source id) for the sources' pages
    home: Callable[[Content, Environment], str]  # its lines on the home page
    card: Callable[[Content, Environment, PageContext, PageCitations], str] = _nothing_on_the_card
    # The page (with anchor) where the patient's context questions are asked with all they decide, if any.
    context_page: Callable[[Content], str | None] = _no_context_page
    # For the decision table (render/decisions.py): the values worth trying its records at (a scale's band edges
    # and one value inside each band), and what its records show for a probe and the reader's context answers
    # ({question: answer}, a question not known left out), through its own reference evaluator. A record that
    # takes no value of the probe's quantity shows nothing.
    probes: Callable[[Content], list[Probe]] = _no_probes
    shows: Callable[[Content, Probe, Mapping[str, str]], list[Cell]] = _shows_nothing

    def script(self) -> str:
        """Its browser script: a classic script that registers itself on window.refsite."""
        return resources.files(self.templates).joinpath(f"{self.name}.js").read_text(encoding="utf-8")

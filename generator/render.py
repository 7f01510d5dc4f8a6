"""Render the checked model into Markdown pages through Jinja2 templates.

Pure functions: Content in, {page path: Markdown text} out. Every string that
comes from content is escaped for both HTML and Markdown (generator/markup.py),
and prose fields get only an allow-listed Markdown subset; the only markup
that reaches the page is built here or in the templates.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from .calculators import calculator_facts, calculator_path
from .checklists import checklist_items, checklist_path, item_facts
from .citations import INLINE_CITATION, inline_citations, format_references, page_citation, reference_html
from .content import Content, computed_once
from .history import History
from .links import Repository, page_issue_url, template_functions
from .markup import literal, markdown_subset
from .figures import WIDTH, BarEntry, LadderBand, LadderEntry, bars_layout, ladder_layout
from .model import Fact, Figure, Review, Source, Topic
from .quantities import units
from .exports import DOWNLOADS, export_files
from .validate import prose_citations, recomputed_percent
from .wording import (COMPARATOR_SYMBOL, format_number, in_population, measure_text, plain, quantity_text,
                      short_threshold, threshold_in_canonical, threshold_text)

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
        entries = []
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


def source_page(source: Source) -> str:
    return f"sources/{source.id}.md"


def prose(text: str, cites: PageCitations) -> Markup:
    """Prose from content in the allowed Markdown subset, with [@key, locator] as citation markers."""
    out, last = [], 0
    for m in INLINE_CITATION.finditer(text):
        out.append(markdown_subset(text[last:m.start()], starts_line=not out))
        out.append(cites.marker(m.group(1), (m.group(2) or "").strip()))
        last = m.end()
    out.append(markdown_subset(text[last:], starts_line=not out))
    return Markup("").join(out)


def threshold_aliases(fact: Fact, content: Content) -> list[str]:
    """Other ways people write a threshold, as its quantity declares them, so that typing "100000"
    or "100 x10^9" in search finds it (and nobody has to convert units)."""
    t, registry = fact.threshold, units(content)
    quantity = registry.quantity(t.quantity)
    if quantity is None or registry.factor(t.quantity, t.unit) is None:
        return []
    canonical = threshold_in_canonical(fact, registry)
    aliases = []
    for written in quantity.search_forms:
        value = canonical / registry.factor(t.quantity, written.unit)
        plain_digits = f"{value:.0f}" if value == int(value) else f"{value:g}"
        aliases += [form.format(plain=plain_digits, grouped=format_number(value)) for form in written.forms]
    return aliases


def search_terms(topic: Topic, content: Content) -> list[str]:
    """Words readers type for this topic: its synonyms plus the glossary's
    terms, synonyms and misspellings that point to it; abbreviations first (what a
    clinician types most, and what Zensical's search ranks by position)."""
    terms = list(topic.synonyms)
    for entry in glossary_by_topic(content).get(topic.id, []):
        terms += [entry.term, *entry.synonyms, *entry.misspellings]
    return sorted(dict.fromkeys(terms), key=lambda term: not ABBREVIATION.match(term))


@computed_once
def glossary_by_topic(content: Content) -> dict[str, list]:
    """Glossary entries by the topic they point to (each topic page asks: topics × entries)."""
    found: dict[str, list] = {}
    for entry in content.glossary.values():
        if entry.topic:
            found.setdefault(entry.topic, []).append(entry)
    return found


def threshold_search_terms(topic: Topic, content: Content) -> list[str]:
    """Every way of writing the white-count thresholds on this topic's page."""
    terms = []
    for section in topic.sections:
        for fact_id in section.facts:
            fact = content.facts[fact_id]
            if fact.threshold:
                terms += threshold_aliases(fact, content)
    return list(dict.fromkeys(terms))


ABBREVIATION = re.compile(r"^[A-Z][A-Z0-9-]*[A-Z0-9]$")
# A word, or words joined by hyphens ("AML-M5"): an abbreviation is one of these or a run inside one.
HYPHENED_WORDS = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")


def abbreviation_definitions(content: Content) -> list[tuple[str, str]]:
    """(term, Markdown definition `*[WBC]: …`) for glossary terms that are abbreviations,
    longest first; appended to pages they become tooltips."""
    found = []
    for entry in sorted(content.glossary.values(), key=lambda e: -len(e.term)):
        if ABBREVIATION.match(entry.term):
            first_sentence = entry.expansion.split(". ")[0].rstrip(".")
            found.append((entry.term, f"*[{entry.term}]: {first_sentence}"))
    return found


def definitions_markdown(definitions: list[tuple[str, str]], page: str | None = None) -> str:
    """The definitions as Markdown; given a page's Markdown, only those of terms it holds
    (each definition is parsed on every page it is added to, and each one slows Markdown's
    search of the page's text: all of them on all pages cost pages × terms)."""
    terms = _possible_terms(page, max((t.count("-") + 1 for t, _ in definitions), default=1)) if page is not None else None
    lines = [line for term, line in definitions if terms is None or term in terms]
    # One block each: Markdown's abbr extension takes one definition from a block and parses
    # the rest of it again, which costs the square of their number when they share one.
    return "\n\n".join(lines) + "\n"


def with_definitions(body: str, definitions: list[tuple[str, str]], report: str = "") -> str:
    """A page's Markdown body (front matter already split off) with what every page gets: the
    "Report a problem" link when there is one, and the definitions of the abbreviations it holds,
    which every engine's `abbr` turns into tooltips. The MkDocs plugin and the Markdown output
    both call this, so every engine renders the same body."""
    link = f'\n\n<p class="page-report" data-search-exclude><a href="{escape(report)}">Report a problem with this page</a></p>' \
        if report else ""
    return body + link + "\n\n" + definitions_markdown(definitions, body)


def report_url(site: Site, path: str, meta: Mapping, body: str) -> str:
    """The page's "Report a problem" address: none without a repository, or where the page's front
    matter says `report_link: false` (the quick-reference card)."""
    if meta.get("report_link", True) is False:
        return ""
    heading = re.search(r"^# (.+?)(?:\s*\{[^}]*\})?\s*$", body, re.M)
    title = meta.get("title") or (heading.group(1) if heading else "") or site.name
    return page_issue_url(site.repository, site.page_url(path), str(title))


# Front matter as MkDocs, ProperDocs and Zensical split it off (mkdocs/utils/meta.py), blank lines after it included.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n\n*", re.S)


def finished_page(text: str, path: str, site: Site, definitions: list[tuple[str, str]]) -> str:
    """A whole Markdown file as an engine that runs no plugin needs it: the body the MkDocs plugin's
    on_page_markdown makes."""
    head = FRONT_MATTER.match(text)
    split = head.end() if head else 0
    meta = (yaml.safe_load(head.group(1)) or {}) if head else {}
    body = text[split:]
    return text[:split] + with_definitions(body, definitions, report_url(site, path, meta, body))


def _possible_terms(page: str, most_parts: int) -> set[str]:
    """Every word of the page and every run of up to most_parts hyphen-joined words: each place
    where Markdown's abbr would find an abbreviation (its letters, digits and hyphens, between
    word boundaries) is one of these."""
    found = set()
    for token in set(HYPHENED_WORDS.findall(page)):
        parts = token.split("-")
        for start in range(len(parts)):
            for end in range(start + 1, min(len(parts), start + most_parts) + 1):
                found.add("-".join(parts[start:end]))
    return found


def fact_view(fact: Fact, content: Content, cites: PageCitations) -> dict:
    """What a template needs to show one fact."""
    sources = [content.sources[c.source] for c in fact.cite]
    recomputed = recomputed_percent(fact.measure) if fact.measure else None
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


@dataclass(frozen=True)
class Use:
    """One thing on the site that rests on a source, for the source's page."""

    group: str  # a topic's title, or what kind of place it is
    label: str
    link: str  # docs-relative path with anchor
    locator: str = ""


@computed_once
def source_uses(content: Content) -> dict[str, list[Use]]:
    """The reverse index: for each source, everything on the site that cites it."""
    pages = fact_pages(content)
    titles = {f"{t.id}.md": t.title for t in topic_links(content)}
    uses: dict[str, list[Use]] = {s: [] for s in content.sources}
    for fact in content.facts.values():
        page = pages.get(fact.id, "index.md")
        for cite in fact.cite:
            uses[cite.source].append(Use(titles.get(page, "Home"), plain(fact.statement), f"{page}#{fact.id}",
                                         cite.locator))
        for d in fact.discrepancies:
            uses[fact.cite[0].source].append(Use(DISCREPANCIES, plain(d.summary), f"discrepancies.md#discrepancy-{d.id}"))
    for record, _path, key, locator in prose_citations(content):
        uses[key].append(_prose_use(record, locator, pages, titles))
    for use, source in _tool_uses(content):
        uses[source].append(use)
    order = list(titles.values()) + [CALCULATORS] + [c.title for c in content.checklists.values()]
    rank = {group: i for i, group in enumerate(order + [DISCREPANCIES, APPRAISALS])}
    return {s: sorted(dict.fromkeys(u), key=lambda use: rank.get(use.group, len(rank))) for s, u in uses.items()}


DISCREPANCIES = "Source discrepancies"
APPRAISALS = "Appraisals of other sources"
CALCULATORS = "Calculators"


def _tool_uses(content: Content):
    """(use, source id) for each calculator and checklist item resting on a source through its facts."""
    for calc in in_order(content.calculators.values()):
        for fact_id in calculator_facts(calc):
            for cite in content.facts[fact_id].cite:
                yield Use(CALCULATORS, calc.title, calculator_path(calc), cite.locator), cite.source
    for checklist in in_order(content.checklists.values()):
        page = checklist_path(checklist)
        for item in checklist_items(checklist):
            for fact in item_facts(item, content):
                for cite in fact.cite:
                    yield Use(checklist.title, plain(item.label), f"{page}#item-{item.id}", cite.locator), cite.source
        for fact_id in checklist.definition.facts:
            for cite in content.facts[fact_id].cite:
                yield (Use(checklist.title, "The study definition shown when every cause is excluded",
                           f"{page}#checklist-summary", cite.locator), cite.source)


def _prose_use(record, locator: str, pages: dict[str, str], titles: dict[str, str]) -> Use:
    if isinstance(record, Fact):
        page = pages.get(record.id, "index.md")
        return Use(titles.get(page, "Home"), plain(record.statement), f"{page}#{record.id}", locator)
    if isinstance(record, Topic):
        return Use(record.title, f"{record.title} (page text)", f"{record.id}.md", locator)
    if isinstance(record, Source):
        return Use(APPRAISALS, record.short_title, source_page(record), locator)
    return Use(type(record).__name__, getattr(record, "id", ""), "", locator)


def _safe(value) -> Markup:
    return value if isinstance(value, Markup) else literal(value)


def environment() -> Environment:
    # Every value a template prints is escaped for HTML and Markdown alike (markup.literal),
    # unless it is Markup built here: the prose subset, citation markers, references.
    env = Environment(loader=PackageLoader("generator", "templates"), autoescape=True, finalize=_safe,
                      trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["cell"] = lambda value: Markup(str(_safe(value)).replace("|", "&#124;"))
    env.filters["join"] = lambda items, separator="": Markup(separator).join(_safe(item) for item in items)
    env.filters["number"] = format_number
    env.filters["plain"] = plain
    env.globals["STRENGTH_LABEL"] = STRENGTH_LABEL
    env.globals["DOWNLOADS"] = DOWNLOADS
    env.globals.update(template_functions(None, Repository()))  # render_site binds them to its content
    return env


@dataclass
class PageContext:
    """Per-page facts every page template shares: where it is and how to cite it."""

    path: str
    title: str
    site: Site
    changed: dt.date

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


def _render(env: Environment, template: str, page: PageContext, cites: PageCitations, **values) -> str:
    return env.get_template(template).render(page=page, base=page.base, cite_this=page.cite_this(),
                                             references=cites.references(), **values)


def render_topic(topic: Topic, content: Content, env: Environment, page: PageContext) -> str:
    cites = PageCitations(content, page.base)
    summary = prose(topic.summary, cites)
    sections = [{"section": s, "id": section_id(s.heading), "intro": prose(s.intro, cites) if s.intro else None,
                 "figures": [render_figure(f, f"figure-{i + 1}-{j + 1}", content, cites, env)
                             for j, f in enumerate(s.figures)],
                 "facts": [fact_view(content.facts[f], content, cites) for f in s.facts]}
                for i, s in enumerate(topic.sections)]
    for section in sections:  # weak evidence said once per section, not once per fact
        section["weak"] = sum(1 for v in section["facts"] if v["only_weak"])
    return _render(env, "topic.md.j2", page, cites, topic=topic, summary=summary, sections=sections,
                   review=topic.review, search_terms=search_terms(topic, content),
                   glossary=glossary_by_topic(content).get(topic.id, []),
                   search_numbers=threshold_search_terms(topic, content))


def section_id(heading: str) -> str:
    """A section's anchor, from its heading: 'A diagnosis of exclusion' -> 'a-diagnosis-of-exclusion'."""
    return re.sub(r"[^a-z0-9]+", "-", plain(heading).lower()).strip("-") or "section"


def oldest_review(content: Content) -> Review | None:
    """The least recent review among topics: a page drawing on all of them is
    only as fresh as its stalest part."""
    reviews = [t.review for t in content.topics.values()]
    return min(reviews, key=lambda r: r.last_reviewed) if reviews else None


def site_settings(content: Content):
    """The site's own settings (content/site/): its title, and the quantity its ladder draws."""
    return next(iter(content.records["site"].values()))


def ladder_thresholds(content: Content) -> list[Fact]:
    """Every threshold of the quantity the ladder draws, lowest first (in its canonical unit)."""
    quantity, registry = site_settings(content).ladder_quantity, units(content)
    return sorted((f for f in content.facts.values() if f.threshold and f.threshold.quantity == quantity),
                  key=lambda f: threshold_in_canonical(f, registry))


def red_flags(content: Content) -> list[Fact]:
    return [f for f in content.facts.values() if "red-flag" in f.tags]


def red_flag_views(content: Content, cites: PageCitations) -> list[dict]:
    """Facts tagged red flag, each worded as what its source says about its own patients: pages that list
    them know nothing of the reader's patient, so none may read as an instruction."""
    return [{**fact_view(f, content, cites),
             "if": in_population(f.context.population, content.sources[f.cite[0].source].short_title)}
            for f in red_flags(content)]


def in_order(records) -> list:
    """Calculators or checklists in the order their YAML gives (ties by id): for pages and links alike."""
    return sorted(records, key=lambda r: (r.order, r.id))


def checklist_links(content: Content) -> list[tuple[str, str]]:
    return [(c.title, checklist_path(c)) for c in in_order(content.checklists.values())]


def render_home(content: Content, env: Environment, page: PageContext) -> str:
    cites = PageCitations(content, page.base)
    ladder = threshold_ladder(content, cites, env)
    calculators = [(c.title, calculator_path(c)) for c in in_order(content.calculators.values())]
    return _render(env, "home.md.j2", page, cites, topics=topic_links(content), pages=fact_pages(content),
                   settings=site_settings(content), calculators=calculators, checklists=checklist_links(content),
                   ladder=ladder, red_flags=red_flag_views(content, cites),
                   review=oldest_review(content))


# ---------------------------------------------------------------- figures


def render_figure(figure: Figure, figure_id: str, content: Content, cites: PageCitations, env: Environment) -> Markup:
    """A figure declared in a topic section, as inline SVG plus its data table."""
    if figure.kind == "threshold-ladder":
        return threshold_ladder(content, cites, env, title=figure.title, figure_id=figure_id)
    return count_bars(figure, figure_id, content, cites, env)


def ladder_order(content: Content) -> list[Fact]:
    """White-count thresholds from the top of the ladder down; at equal values the strongest source first."""
    def key(fact: Fact):
        strongest = max(list(STRENGTH_LABEL).index(content.sources[c.source].appraisal.strength) for c in fact.cite)
        return -threshold_in_canonical(fact, units(content)), -strongest, fact.id
    return sorted(ladder_thresholds(content), key=key)


def reference_range(content: Content) -> Fact | None:
    """The reference range drawn as a band: a definition whose measure is a range in the ladder's quantity."""
    quantity, registry = site_settings(content).ladder_quantity, units(content)
    return next((f for f in content.facts.values() if f.kind == "definition" and f.measure
                 and f.measure.statistic == "range" and f.measure.unit
                 and registry.factor(quantity, f.measure.unit) is not None
                 and f.measure.low is not None and f.measure.high is not None), None)


def threshold_ladder(content: Content, cites: PageCitations, env: Environment, title: str | None = None,
                     figure_id: str = "figure-ladder") -> Markup:
    """Every threshold of the site's ladder quantity on one log scale, with its data table. A calculator
    page can include this; its SVG carries the scale (data-*) for placing an entered value."""
    registry, quantity = units(content), units(content).quantity(site_settings(content).ladder_quantity)
    thresholds = [(f, fact_view(f, content, cites)) for f in ladder_order(content)]
    entries = [_ladder_entry(f, v, cites, registry) for f, v in thresholds]
    band_fact = reference_range(content)
    band = _ladder_band(band_fact, cites, registry, quantity.id) if band_fact else None
    settings = site_settings(content)
    layout = ladder_layout(entries, band, f"{quantity.noun.capitalize()}, {registry.display(quantity.canonical_unit)}",
                           (settings.ladder_low, settings.ladder_high))
    band_row = {"fact": band_fact, "view": fact_view(band_fact, content, cites), "entry": band} if band else None
    return Markup(env.get_template("figure_ladder.md.j2").render(
        id=figure_id, title=title or site_settings(content).ladder_title, width=WIDTH, layout=layout, band=band_row,
        rows=[(f, v, e) for (f, v), e in zip(thresholds, entries)], unit=quantity.canonical_unit,
        unit_display=registry.display(quantity.canonical_unit),
        pages=fact_pages(content), base=cites.base, desc=_ladder_description(layout, entries, band, quantity, registry)))


def _numbers(fact: Fact, cites: PageCitations) -> str:
    """The fact's source labels, as the picture prints them: [Cohort] or [Blog, AI]."""
    return "[" + ", ".join(dict.fromkeys(cites.label(c.source) for c in fact.cite)) + "]"


def _ladder_entry(fact: Fact, view: dict, cites: PageCitations, registry) -> LadderEntry:
    t = fact.threshold
    value = threshold_in_canonical(fact, registry)
    symbol = COMPARATOR_SYMBOL[t.comparator]
    also = registry.quantity(t.quantity).also_shown_in  # the axis is in the canonical unit; the second in brackets
    text = f"{symbol} {format_number(value)}" + (
        f" ({quantity_text(value / registry.factor(t.quantity, also), also, registry)})" if also else "")
    tags = [STRENGTH_LABEL[view["weakest"]]] if view["only_weak"] else []
    tags += ["⚠ boundary unclear"] if t.boundary_note else []
    tags += ["added by the editors"] if view["editors_additions"] else []
    tags += ["⚠ source inconsistent"] if fact.discrepancies else []
    return LadderEntry(fact.id, value, symbol, text, _numbers(fact, cites), t.defines,
                       fact.context.population, " · ".join(tags))


def _ladder_band(fact: Fact, cites: PageCitations, registry, quantity: str) -> LadderBand:
    m = fact.measure
    low, high = registry.to_canonical(quantity, m.low, m.unit), registry.to_canonical(quantity, m.high, m.unit)
    return LadderBand(fact.id, low, high, f"{format_number(low)}–{format_number(high)}", _numbers(fact, cites),
                      (m.criterion or fact.kind).capitalize(), fact.context.population)


def _ladder_description(layout, entries: list[LadderEntry], band: LadderBand | None, quantity, registry) -> str:
    scale = layout.scale
    parts = [f"A vertical log scale of the {quantity.noun} from {format_number(scale.low)} to "
             f"{format_number(scale.high)} {registry.display(quantity.canonical_unit)}, with each source's threshold "
             f"marked at its value."]
    parts += [f"{e.value_text} {e.numbers}: {e.defines}; {e.population}." for e in entries]
    if band:
        parts.append(f"Shaded band {band.value_text} {band.numbers}: {band.defines}; {band.population}.")
    parts += [f"Definitions differ on whether exactly {format_number(r.value)} counts."
              for r in layout.rungs if r.disputed]
    parts.append("The table after the picture gives the same numbers with their sources.")
    return " ".join(parts)


def count_bars(figure: Figure, figure_id: str, content: Content, cites: PageCitations, env: Environment) -> Markup:
    """One bar per fact, each a count out of the same denominator; the source's other
    printed counts are ticked on the bar and named beneath it."""
    facts = [content.facts[b.fact] for b in figure.bars]
    views = [fact_view(f, content, cites) for f in facts]
    entries = [_bar_entry(bar.label or f.measure.criterion or f.id, f) for bar, f in zip(figure.bars, facts)]
    notes = [content.facts[n] for n in figure.notes]
    denominator = facts[0].measure.denominator
    layout = bars_layout(entries, denominator,
                         f"Each bar is a count out of {denominator}; percentages as printed.",
                         [f"⚠ {plain(n.statement)} {_numbers(n, cites)}" for n in notes])
    desc = " ".join([f"Bar chart of counts out of {denominator}."]
                    + [f"{e.label}: {e.count_text}." + "".join(f" {w.lstrip('⚠ ').rstrip('.')}." for w in e.warnings)
                       for e in entries])
    return Markup(env.get_template("figure_bars.md.j2").render(
        id=figure_id, title=figure.title, width=WIDTH, layout=layout, desc=desc,
        rows=list(zip(facts, views, entries)), notes=[fact_view(n, content, cites) for n in notes]))


def _bar_entry(label: str, fact: Fact) -> BarEntry:
    m = fact.measure
    count = format_number(m.n) + (f" ({format_number(m.reported_percent)}%)" if m.reported_percent is not None else "")
    also, warnings = [], []
    for d in fact.discrepancies:
        others = [v for v in d.values if v.count is not None and v.count != m.n]
        also += [v.count for v in others]
        if others:
            warnings.append("⚠ Also printed: " + "; ".join(f"{v.value} in {v.locator}" for v in others))
        elif not any(v.count is not None for v in d.values):
            warnings.append(f"⚠ {d.summary}")
    return BarEntry(fact.id, label, m.n, count, sorted(set(also)), warnings)


def render_quick_reference(content: Content, env: Environment, page: PageContext) -> str:
    from .render_checklists import quick_reference_view  # imported here: it builds on this module

    cites = PageCitations(content, page.base)
    thresholds = [{**fact_view(f, content, cites), "short": short_threshold(f, units(content), unit=False),
                   "compact": compact_markers([f], cites),
                   "who": f.context.population.split(" (")[0]}  # its provenance aside: a card line
                  for f in ladder_thresholds(content)]
    checklists = [{**c, "link": page.link(c["path"])} for c in quick_reference_view(content, cites)]
    on_card = set(cites.order)  # the sources its lines cite (appraisals in the cards cite a few more)
    settings, registry = site_settings(content), units(content)
    unit = registry.display(registry.quantity(settings.ladder_quantity).canonical_unit)
    return _render(env, "quick_reference.md.j2", page, cites, thresholds=thresholds, checklists=checklists,
                   on_card=on_card, heading=settings.thresholds_heading, unit=unit, review=oldest_review(content))


def render_sources(content: Content, env: Environment, page: PageContext) -> str:
    """The References page: every source, numbered, with its appraisal and the downloads."""
    cites = PageCitations(content, page.base)
    sources = list(content.sources.values())
    uses = source_uses(content)
    entries = [{"source": s, "text": Markup(t), "uses": len(uses[s.id]), "summary": prose(s.appraisal.summary, cites)}
               for s, t in zip(sources, format_references(sources))]
    return _render(env, "sources.md.j2", page, cites, entries=entries, review=oldest_review(content))


def render_source_page(source: Source, content: Content, env: Environment, page: PageContext,
                       uses: list[Use]) -> str:
    cites = PageCitations(content, page.base)
    groups: dict[str, list[Use]] = {}
    for use in uses:
        groups.setdefault(use.group, []).append(use)
    return _render(env, "source.md.j2", page, cites, source=source, text=Markup(reference_html(source)),
                   summary=prose(source.appraisal.summary, cites),
                   problems=[prose(p, cites) for p in source.appraisal.problems],
                   cited_by=[content.sources[o] for o in source.cited_by],
                   cites_sources=[s for s in content.sources.values() if source.id in s.cited_by],
                   groups=groups, review=oldest_review(content))


def render_discrepancies(content: Content, env: Environment, page: PageContext) -> str:
    cites = PageCitations(content, page.base)
    pages = fact_pages(content)
    entries = [{"fact": f, "d": d, "summary": prose(d.summary, cites),
                "cited": bool(INLINE_CITATION.search(d.summary)), "source": content.sources[f.cite[0].source]}
               for f in content.facts.values() for d in f.discrepancies]
    return _render(env, "discrepancies.md.j2", page, cites, entries=entries, pages=pages,
                   review=oldest_review(content))


CHOICE_HEADINGS = {"comparator": "Comparators the sources leave open",
                   "reading": "How a table or a sentence of a source is read", "input-bounds": "Input-sanity bounds",
                   "added-cause": "Causes and items added to a source's list", "severity": "Severities and urgency",
                   "population": "Whom a source's statement is taken to cover", "definition": "Definitions and their provenance",
                   "appraisal": "How much weight each source bears", "wording": "Wording that interprets",
                   "dose": "Doses withheld"}


def render_editors_choices(content: Content, env: Environment, page: PageContext) -> str:
    """Every place the site interprets rather than reports, with its reason and where it shows up."""
    cites = PageCitations(content, page.base)
    pages = fact_pages(content)
    questions = {q.id: q.label for q in content.contexts.values()}

    def link(place) -> dict:
        if place.kind == "facts":
            fact = content.facts[place.id]
            return {"label": plain(fact.statement)[:90].rsplit(" ", 1)[0] + "…" if len(plain(fact.statement)) > 90
                    else plain(fact.statement), "target": f"{pages.get(place.id, 'index.md')}#{place.id}"}
        if place.kind == "sources":
            return {"label": content.sources[place.id].short_title, "target": source_page(content.sources[place.id])}
        if place.kind == "topics":
            return {"label": content.topics[place.id].title, "target": f"{place.id}.md"}
        if place.kind == "glossary":
            entry = content.glossary[place.id]
            return {"label": f"the glossary's “{entry.term}”", "target": f"{entry.topic}.md" if entry.topic else "index.md"}
        if place.kind == "calculators":
            return {"label": content.calculators[place.id].title, "target": calculator_path(content.calculators[place.id])}
        if place.kind == "checklists":
            return {"label": content.checklists[place.id].title, "target": checklist_path(content.checklists[place.id])}
        checklist = next(iter(in_order(content.checklists.values())), None)  # where the questions are asked
        return {"label": f"the question “{questions[place.id]}”",
                "target": f"{checklist_path(checklist)}#checklist-context" if checklist else "index.md"}

    entries = [{"choice": c, "text": prose(c.choice, cites), "reason": prose(c.reason, cites),
                "where": [link(p) for p in c.where]} for c in content.choices.values()]
    groups = [{"about": about, "heading": heading, "entries": [e for e in entries if e["choice"].about == about]}
              for about, heading in CHOICE_HEADINGS.items()]
    return _render(env, "editors_choices.md.j2", page, cites, groups=[g for g in groups if g["entries"]],
                   entries=entries, waiting=sum(1 for c in content.choices.values() if not c.signed_off_by),
                   review=oldest_review(content))


def content_dates(content: Content) -> dict[str, dt.date]:
    """When each topic page's content last changed, as far as content says: its
    review date. Other pages draw on everything, so they take the newest."""
    return {f"{t.id}.md": t.review.last_reviewed for t in content.topics.values()}


def topic_files(topic: Topic, content: Content) -> set[str]:
    """The content files a topic page rests on: its own, its facts' and their sources', and
    the glossary entries that give it search terms."""
    facts = [content.facts[f] for section in topic.sections for f in section.facts]
    sources = {c.source for fact in facts for c in fact.cite}
    sources |= {key for fact in facts for key, _ in inline_citations(fact.statement)}
    sources |= {key for key, _ in inline_citations(topic.summary)}
    glossary = {entry._origin[0] for entry in glossary_by_topic(content).get(topic.id, [])}  # search terms
    return ({topic._origin[0]} | {fact._origin[0] for fact in facts} | glossary
            | {content.sources[s]._origin[0] for s in sources if s in content.sources})


def history_dates(content: Content, history: History) -> dict[str, dt.date]:
    """Each topic page's date of last content change, from the files it rests on."""
    dates = {f"{t.id}.md": history.last_changed(topic_files(t, content)) for t in content.topics.values()}
    return {page: date for page, date in dates.items() if date}


def history_footer(path: str, date: dt.date | None, history: History) -> str:
    shown = date.isoformat() if date else "unknown"
    how = "" if history.from_git else " (file dates: no version history in this copy)"
    base = "../" * path.count("/")
    return (f'\n<p class="page-history" markdown>Content last changed {shown}{how} · '
            f"[All content changes]({base}changes.md)</p>\n")


def pages_for_files(content: Content, files: list[str]) -> list[tuple[str, str]]:
    """The pages a change to these content files shows up on, as (title, path)."""
    files = set(files)
    pages = [(t.title, f"{t.id}.md") for t in topic_links(content) if topic_files(t, content) & files]
    if any(f.split("/")[-2] == "sources" for f in files if "/" in f):
        pages.append(("References", "sources.md"))
    return pages


def _as_written(threshold: tuple | None, content: Content) -> str | None:
    """A threshold from a past version of a facts file, as readers read one: '> 50 ×10⁹/L'."""
    if threshold is None:
        return None
    comparator, value, unit = threshold
    shown = format_number(value) if isinstance(value, (int, float)) else str(value)
    return f"{comparator} {shown} {units(content).display(unit)}".strip()


def render_changes(content: Content, history: History, env: Environment) -> str:
    where = fact_pages(content)
    days: dict = {}
    for change in history.changes:
        thresholds = [{"fact_id": t.fact_id, "before": _as_written(t.before, content), "after": _as_written(t.after, content),
                       "page": where.get(t.fact_id),
                       "name": content.facts[t.fact_id].threshold.defines
                       if t.fact_id in content.facts and content.facts[t.fact_id].threshold else t.fact_id}
                      for t in change.thresholds]
        days.setdefault(change.date, []).append({"subject": change.subject, "commit": change.commit,
                                                 "thresholds": thresholds,
                                                 "pages": pages_for_files(content, change.files)})
    return env.get_template("changes.md.j2").render(
        days=[{"date": d.isoformat(), "changes": c} for d, c in days.items()],
        from_git=history.from_git, shallow=history.shallow)


def render_site(content: Content, site: Site | None = None,
                changed: Mapping[str, dt.date] | None = None, history: History | None = None) -> dict[str, str]:
    """Every generated page (and downloadable file), keyed by its path under
    docs/. `changed` may give any page's date of last content change; with the
    content's version history, dates come from it, every page says when its
    content last changed, and a changes page lists every change. Otherwise
    content's review dates are used."""
    env = environment()
    site = site or Site()
    env.globals.update(template_functions(content, site.repository))
    dates = {**content_dates(content), **(history_dates(content, history) if history else {}), **(changed or {})}
    newest = (history.last_changed(content.documents) if history else None) or max(dates.values(), default=dt.date.today())

    def page(path: str, title: str) -> PageContext:
        return PageContext(path, title, site, dates.get(path, newest))

    pages = {"index.md": render_home(content, env, page("index.md", site_settings(content).title)),
             "sources.md": render_sources(content, env, page("sources.md", "References")),
             "discrepancies.md": render_discrepancies(content, env, page("discrepancies.md", DISCREPANCIES)),
             "quick-reference.md": render_quick_reference(content, env, page("quick-reference.md", "Quick-reference card")),
             "editors-choices.md": render_editors_choices(content, env, page("editors-choices.md", "Editors' choices"))}
    for topic in content.topics.values():
        path = f"{topic.id}.md"
        pages[path] = render_topic(topic, content, env, page(path, topic.title))
    uses = source_uses(content)
    for source in content.sources.values():
        path = source_page(source)
        pages[path] = render_source_page(source, content, env, page(path, source.short_title), uses[source.id])
    from .render_calculators import render_calculators  # imported here: it builds on this module
    pages.update(render_calculators(content, env, page))
    from .render_checklists import render_checklists  # imported here: it builds on this module
    pages.update(render_checklists(content, env, page))
    if history is not None:
        pages["changes.md"] = render_changes(content, history, env)
        for path in [p for p in pages if p.endswith(".md")]:
            pages[path] += history_footer(path, dates.get(path, newest), history)
    pages.update(export_files(content))
    return pages

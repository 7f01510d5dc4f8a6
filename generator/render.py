"""Render the checked model into Markdown pages through Jinja2 templates.

Pure functions: Content in, {page path: Markdown text} out. Every string that
comes from content is HTML-escaped by the template engine; the only markup
that reaches the page is built here or in the templates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from .citations import INLINE_CITATION, format_references
from .content import Content
from .model import Fact, Review, Source, Topic
from .units import display, format_number, is_cell_concentration, to_canonical
from .validate import recomputed_percent

WEAK = {"very-low", "low"}
STRENGTH_LABEL = {
    "very-low": "Very weak source",
    "low": "Weak source",
    "moderate": "Moderate source",
    "high": "Strong source",
}


@dataclass
class PageCitations:
    """Numbers sources in order of first citation on one page (Vancouver)."""

    content: Content
    order: list[str] = field(default_factory=list)

    def number(self, source_id: str) -> int:
        if source_id not in self.order:
            self.order.append(source_id)
        return self.order.index(source_id) + 1

    def marker(self, source_id: str, locator: str) -> Markup:
        source = self.content.sources[source_id]
        n = self.number(source_id)
        label = f"{source.short_title}, {locator}" if locator else source.short_title
        weak = " cite--weak" if source.appraisal.strength in WEAK else ""
        where = Markup('<span class="cite__locator">, {}</span>').format(locator) if locator else ""
        return Markup(
            '<a class="cite{weak}" href="#ref-{id}" data-ref="{n}" title="{label} ({strength})">[{n}{where}]</a>'
        ).format(weak=weak, id=source_id, n=n, label=label, where=where,
                 strength=STRENGTH_LABEL[source.appraisal.strength])

    def references(self) -> list[dict]:
        sources = [self.content.sources[s] for s in self.order]
        texts = format_references(sources) if sources else []
        return [{"n": i + 1, "source": s, "text": Markup(t), "weak": s.appraisal.strength in WEAK}
                for i, (s, t) in enumerate(zip(sources, texts))]


def prose(text: str, cites: PageCitations) -> Markup:
    """Escape text from content and turn [@key, locator] into citation markers."""
    out, last = [], 0
    for m in INLINE_CITATION.finditer(text):
        out.append(escape(text[last:m.start()]))
        out.append(cites.marker(m.group(1), (m.group(2) or "").strip()))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


COMPARATOR_SYMBOL = {">": ">", ">=": "≥", "<": "<", "<=": "≤", "range": ""}


def quantity_text(value: float, unit: str) -> str:
    shown = display(unit)
    return f"{format_number(value)}{shown}" if shown.startswith("/") else f"{format_number(value)} {shown}"


def threshold_text(fact: Fact) -> str:
    """A threshold with its comparator; white counts in ×10⁹/L first, then per µL,
    so that nobody has to convert at the bedside."""
    t = fact.threshold
    symbol = COMPARATOR_SYMBOL[t.comparator]
    if t.quantity == "wbc" and is_cell_concentration(t.unit):
        canonical = to_canonical(t.value, t.unit)
        return f"{symbol} {quantity_text(canonical, '10*9/L')} ({quantity_text(canonical * 1000, '/uL')})"
    return f"{symbol} {quantity_text(t.value, t.unit)}"


def threshold_aliases(fact: Fact) -> list[str]:
    """Other ways people write a white-count threshold, so that typing "100000"
    or "100 x10^9" in search finds it (and nobody has to convert units)."""
    t = fact.threshold
    if t.quantity != "wbc" or not is_cell_concentration(t.unit):
        return []
    giga = format_number(to_canonical(t.value, t.unit))
    per_ul = to_canonical(t.value, t.unit) * 1000
    plain = f"{per_ul:.0f}" if per_ul == int(per_ul) else f"{per_ul:g}"
    return [f"{plain}/µL", f"{plain}/uL", f"{format_number(per_ul)}/uL", f"{format_number(per_ul)}/mm³",
            f"{giga} x10^9/L", f"{giga}×10⁹/L", f"{giga} K/µL", f"{giga}k", f"{giga} G/L"]


def search_terms(topic: Topic, content: Content) -> list[str]:
    """Words readers type for this topic: its synonyms plus the glossary's
    terms, synonyms and misspellings that point to it."""
    terms = list(topic.synonyms)
    for entry in content.glossary.values():
        if entry.topic == topic.id:
            terms += [entry.term, *entry.synonyms, *entry.misspellings]
    return list(dict.fromkeys(terms))


def threshold_search_terms(topic: Topic, content: Content) -> list[str]:
    """Every way of writing the white-count thresholds on this topic's page."""
    terms = []
    for section in topic.sections:
        for fact_id in section.facts:
            fact = content.facts[fact_id]
            if fact.threshold:
                terms += threshold_aliases(fact)
    return list(dict.fromkeys(terms))


ABBREVIATION = re.compile(r"^[A-Z][A-Z0-9-]*[A-Z0-9]$")


def abbreviations_markdown(content: Content) -> str:
    """Markdown abbreviation definitions (`*[WBC]: …`) for glossary terms that are
    abbreviations; appended to every page they become tooltips."""
    lines = []
    for entry in sorted(content.glossary.values(), key=lambda e: -len(e.term)):
        if ABBREVIATION.match(entry.term):
            first_sentence = entry.expansion.split(". ")[0].rstrip(".")
            lines.append(f"*[{entry.term}]: {first_sentence}")
    return "\n".join(lines) + "\n"


def measure_text(fact: Fact) -> str:
    """The numbers of a measure in one line, as the source gives them."""
    m = fact.measure
    parts = []
    unit = f" {display(m.unit)}" if m.unit else ""
    if m.n is not None and m.denominator is not None:
        parts.append(f"{format_number(m.n)} of {m.denominator}")
    elif m.n is not None:
        parts.append(f"n = {format_number(m.n)}")
    if m.reported_percent is not None:
        parts.append(f"{format_number(m.reported_percent)}% as reported")
    if m.percent_low is not None or m.percent_high is not None:
        parts.append(_range(m.comparator, m.percent_low, m.percent_high, "%"))
    if m.value is not None:
        label = f"{m.statistic} " if m.statistic and m.statistic not in ("count", "proportion") else ""
        comparator = f"{m.comparator} " if m.comparator and m.comparator != "range" else ""
        parts.append(f"{label}{comparator}{format_number(m.value)}{unit}")
    if m.low is not None or m.high is not None:
        parts.append(("range " if m.value is not None else "") + _range("range", m.low, m.high, unit))
    return "; ".join(parts)


def _range(comparator, low, high, unit) -> str:
    if low is not None and high is not None:
        return f"{format_number(low)}–{format_number(high)}{unit}"
    value = low if low is not None else high
    return f"{comparator or ''} {format_number(value)}{unit}".strip()


def fact_view(fact: Fact, content: Content, cites: PageCitations) -> dict:
    """What a template needs to show one fact."""
    sources = [content.sources[c.source] for c in fact.cite]
    recomputed = recomputed_percent(fact.measure) if fact.measure else None
    return {
        "fact": fact,
        "statement": prose(fact.statement, cites),
        "markers": Markup(" ").join(cites.marker(c.source, c.locator) for c in fact.cite),
        "threshold": threshold_text(fact) if fact.threshold else None,
        "aliases": threshold_aliases(fact) if fact.threshold else [],
        "measure": measure_text(fact) if fact.measure else None,
        "recomputed": f"{recomputed:.1f}%" if recomputed is not None else "",
        "weakest": min((s.appraisal.strength for s in sources), key=list(STRENGTH_LABEL).index),
        "only_weak": all(s.appraisal.strength in WEAK for s in sources),
        "unverified": all(s.appraisal.strength == "very-low" for s in sources),
    }


def topic_links(content: Content) -> list[Topic]:
    return sorted(content.topics.values(), key=lambda t: t.order)


def fact_pages(content: Content) -> dict[str, str]:
    """Which topic page (path) first shows each fact, for links."""
    where: dict[str, str] = {}
    for topic in topic_links(content):
        for section in topic.sections:
            for fact_id in section.facts:
                where.setdefault(fact_id, f"{topic.id}.md")
    return where


def environment() -> Environment:
    env = Environment(loader=PackageLoader("generator", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["cell"] = lambda value: Markup(str(escape(value)).replace("|", "&#124;").replace("\n", " "))
    env.filters["number"] = format_number
    env.globals["STRENGTH_LABEL"] = STRENGTH_LABEL
    return env


def render_topic(topic: Topic, content: Content, env: Environment) -> str:
    cites = PageCitations(content)
    summary = prose(topic.summary, cites)
    sections = [{"section": s, "intro": prose(s.intro, cites) if s.intro else None,
                 "facts": [fact_view(content.facts[f], content, cites) for f in s.facts]}
                for s in topic.sections]
    return env.get_template("topic.md.j2").render(topic=topic, summary=summary, sections=sections, review=topic.review,
                                                  search_terms=search_terms(topic, content),
                                                  search_numbers=threshold_search_terms(topic, content),
                                                  references=cites.references())


def oldest_review(content: Content) -> Review | None:
    """The least recent review among topics: a page drawing on all of them is
    only as fresh as its stalest part."""
    reviews = [t.review for t in content.topics.values()]
    return min(reviews, key=lambda r: r.last_reviewed) if reviews else None


def render_home(content: Content, env: Environment) -> str:
    cites = PageCitations(content)
    pages = fact_pages(content)
    return env.get_template("home.md.j2").render(
        topics=topic_links(content), pages=pages,
        thresholds=[fact_view(f, content, cites) for f in wbc_thresholds(content)],
        red_flags=[fact_view(f, content, cites) for f in red_flags(content)],
        review=oldest_review(content), references=cites.references())


def wbc_thresholds(content: Content) -> list[Fact]:
    """Every white-count threshold fact, lowest first (in ×10⁹/L)."""
    return sorted((f for f in content.facts.values() if f.threshold and f.threshold.quantity == "wbc"),
                  key=lambda f: to_canonical(f.threshold.value, f.threshold.unit))


def red_flags(content: Content) -> list[Fact]:
    return [f for f in content.facts.values() if "red-flag" in f.tags]


def render_quick_reference(content: Content, env: Environment) -> str:
    cites = PageCitations(content)
    return env.get_template("quick_reference.md.j2").render(
        thresholds=[fact_view(f, content, cites) for f in wbc_thresholds(content)],
        red_flags=[fact_view(f, content, cites) for f in red_flags(content)],
        review=oldest_review(content), references=cites.references())


def render_sources(content: Content, env: Environment) -> str:
    pages = fact_pages(content)
    sources = sorted(content.sources.values(), key=lambda s: (list(STRENGTH_LABEL).index(s.appraisal.strength), s.id))
    texts = format_references(sources)
    uses = {s.id: [f for f in content.facts.values() if any(c.source == s.id for c in f.cite)] for s in sources}
    return env.get_template("sources.md.j2").render(
        entries=[{"source": s, "text": Markup(t), "facts": uses[s.id]} for s, t in zip(sources, texts)],
        pages=pages, cited_by=_cited_by(content), review=oldest_review(content))


def _cited_by(content: Content) -> dict[str, list[Source]]:
    return {s.id: [content.sources[o] for o in s.cited_by] for s in content.sources.values()}


def render_discrepancies(content: Content, env: Environment) -> str:
    pages = fact_pages(content)
    facts = [f for f in content.facts.values() if f.discrepancies]
    return env.get_template("discrepancies.md.j2").render(facts=facts, pages=pages, sources=content.sources,
                                                          review=oldest_review(content))


def render_site(content: Content) -> dict[str, str]:
    """Every generated page, keyed by its path under docs/."""
    env = environment()
    pages = {"index.md": render_home(content, env),
             "sources.md": render_sources(content, env),
             "discrepancies.md": render_discrepancies(content, env),
             "quick-reference.md": render_quick_reference(content, env)}
    for topic in content.topics.values():
        pages[f"{topic.id}.md"] = render_topic(topic, content, env)
    return pages

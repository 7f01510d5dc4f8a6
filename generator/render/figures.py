"""Figures as Markdown: the threshold ladder (every threshold of the site's ladder quantity on
one log scale) and count bars, each an inline SVG placed by figure_layout.py plus its data table."""

from __future__ import annotations

from jinja2 import Environment
from markupsafe import Markup

from ..content import Content
from ..model import Fact, Figure
from ..quantities import Units, units
from ..wording import COMPARATOR_SYMBOL, format_number, plain, quantity_text, threshold_in_canonical
from .figure_layout import WIDTH, BarEntry, LadderBand, LadderEntry, bars_layout, ladder_layout
from .kit import STRENGTH_LABEL, PageCitations, fact_pages, fact_view, site_settings


def render_figure(figure: Figure, figure_id: str, content: Content, cites: PageCitations, env: Environment) -> Markup:
    """A figure declared in a topic section, as inline SVG plus its data table."""
    if figure.kind == "threshold-ladder":
        return threshold_ladder(content, cites, env, title=figure.title, figure_id=figure_id)
    return count_bars(figure, figure_id, content, cites, env)


def ladder_thresholds(content: Content) -> list[Fact]:
    """Every threshold of the quantity the ladder draws, lowest first (in its canonical unit)."""
    quantity, registry = site_settings(content).ladder_quantity, units(content)
    return sorted((f for f in content.facts.values() if f.threshold and f.threshold.quantity == quantity),
                  key=lambda f: threshold_in_canonical(f, registry))


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
    registry, quantity = units(content), units(content).required_quantity(site_settings(content).ladder_quantity)
    thresholds = [(f, fact_view(f, content, cites)) for f in ladder_order(content)]
    entries = [_ladder_entry(f, v, cites, registry) for f, v in thresholds]
    band_fact = reference_range(content)
    band = _ladder_band(band_fact, cites, registry, quantity.id) if band_fact else None
    settings = site_settings(content)
    layout = ladder_layout(entries, band, f"{quantity.noun.capitalize()}, {registry.display(quantity.canonical_unit)}",
                           (settings.ladder_low, settings.ladder_high))
    band_row = ({"fact": band_fact, "view": fact_view(band_fact, content, cites), "entry": band}
                if band_fact and band else None)
    return Markup(env.get_template("figure_ladder.md.j2").render(
        id=figure_id, title=title or site_settings(content).ladder_title, width=WIDTH, layout=layout, band=band_row,
        rows=[(f, v, e) for (f, v), e in zip(thresholds, entries)], unit=quantity.canonical_unit,
        unit_display=registry.display(quantity.canonical_unit), value_heading=settings.ladder_value_heading,
        pages=fact_pages(content), base=cites.base, desc=_ladder_description(layout, entries, band, quantity, registry)))


def _numbers(fact: Fact, cites: PageCitations) -> str:
    """The fact's source labels, as the picture prints them: [Cohort] or [Blog, AI]."""
    return "[" + ", ".join(dict.fromkeys(cites.label(c.source) for c in fact.cite)) + "]"


def _ladder_entry(fact: Fact, view: dict, cites: PageCitations, registry: Units) -> LadderEntry:
    t = fact.required_threshold()
    value = threshold_in_canonical(fact, registry)
    symbol = COMPARATOR_SYMBOL[t.comparator]
    # the axis is in the canonical unit; the second in brackets
    also = registry.required_quantity(t.quantity).also_shown_in
    text = f"{symbol} {format_number(value)}" + (
        f" ({quantity_text(value / registry.required_factor(t.quantity, also), also, registry)})" if also else "")
    tags = [STRENGTH_LABEL[view["weakest"]]] if view["only_weak"] else []
    tags += ["⚠ boundary unclear"] if t.boundary_note else []
    tags += ["added by the editors"] if view["editors_additions"] else []
    tags += ["⚠ source inconsistent"] if fact.discrepancies else []
    return LadderEntry(fact.id, value, symbol, text, _numbers(fact, cites), t.defines,
                       fact.context.population, " · ".join(tags))


def _ladder_band(fact: Fact, cites: PageCitations, registry: Units, quantity: str) -> LadderBand:
    m = fact.required_measure()
    assert m.low is not None and m.high is not None and m.unit, "reference_range picks a range with a unit"
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
    entries = [_bar_entry(bar.label or f.required_measure().criterion or f.id, f) for bar, f in zip(figure.bars, facts)]
    notes = [content.facts[n] for n in figure.notes]
    denominator = facts[0].required_measure().denominator
    assert denominator is not None, "validation checks that a bar's fact counts out of a denominator"
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
    m = fact.required_measure()
    assert m.n is not None, "validation checks that a bar's fact has a count"
    count = format_number(m.n) + (f" ({format_number(m.reported_percent)}%)" if m.reported_percent is not None else "")
    also: list[float] = []
    warnings: list[str] = []
    for d in fact.discrepancies:
        others = [v for v in d.values if v.count is not None and v.count != m.n]
        also += [v.count for v in others if v.count is not None]
        if others:
            warnings.append("⚠ Also printed: " + "; ".join(f"{v.value} in {v.locator}" for v in others))
        elif not any(v.count is not None for v in d.values):
            warnings.append(f"⚠ {d.summary}")
    return BarEntry(fact.id, label, m.n, count, sorted(set(also)), warnings)

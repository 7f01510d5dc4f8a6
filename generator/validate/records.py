"""Checks across records: references resolve, units are known, arithmetic adds up, prose
holds only the allowed Markdown. Each check is a function from Content to a list of Problems."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from fractions import Fraction

from ..citations import CITATION_START, inline_citations, malformed_citations
from ..content import Content, content_texts
from ..model import DiscrepantValue, Fact, Measure, Record
from ..problems import Problem
from ..quantities import units
from ..wording import format_number


def percent_fits(n: float, denominator: int, reported: float) -> bool:
    """Whether a printed percent is n/denominator rounded or truncated to the decimals it is printed with.
    Sources do both: 59/105 = 56.19% prints as 56.2%, 4/105 = 3.81% as 3% and 32/105 = 30.48% as 30.4%.
    Worked in exact fractions, so that a value on a boundary falls on the side it really is."""
    exact = Fraction(str(n)) * 100 / denominator
    printed = Fraction(str(reported))
    unit = Fraction(1, 10 ** len(f"{reported:g}".partition(".")[2]))
    return printed - unit / 2 <= exact < printed + unit


CITATION_FORM = "write [@source-id] or [@source-id, locator], e.g. [@bone-tumour-cohort, Table II]"


def fact_resolves(content: Content, fact: Fact) -> bool:
    """Whether what a fact names exists: its sources (check_citations), its units (check_units) and its
    threshold's quantity, in a unit that converts into it (check_thresholds). What is built from a fact
    (a widget's spec, its advice) may rely on these; a fact where one fails is reported at itself."""
    registry = units(content)
    if any(cite.source not in content.sources for cite in fact.cite):
        return False
    if any((unit := getattr(getattr(fact, block), "unit", None)) is not None and unit not in registry.known
           for block in ("measure", "threshold", "dose")):
        return False
    t = fact.threshold
    return t is None or registry.factor(t.quantity, t.unit) is not None


def check_citations(content: Content) -> list[Problem]:
    problems = []
    for fact in content.facts.values():
        for i, cite in enumerate(fact.cite):
            if cite.source not in content.sources:
                problems += content.unknown(fact, ("cite", i, "source"), "sources", cite.source)
    for record, path, text, prose in content_texts(content):
        if "@" not in text:  # no citation, well-formed or not (most texts: skipped quickly)
            continue
        if prose:
            problems += _inline_problems(content, record, path, text)
        elif start := CITATION_START.search(text):
            problems.append(content.problem(record, *path, message="an inline citation in a field that is not prose",
                                            hint="cite in a statement, summary, intro or note; facts cite under 'cite:'",
                                            text=start.group()))
    for source in content.sources.values():
        for i, other in enumerate(source.cited_by):
            if other not in content.sources:
                problems += content.unknown(source, ("cited_by", i), "sources", other)
    return problems


def _inline_problems(content: Content, record: Record, path: tuple, text: str) -> list[Problem]:
    """Unknown keys and malformed markers in one prose field, each at its own line."""
    problems = [problem for key, _locator in inline_citations(text) if key not in content.sources
                for problem in content.unknown(record, path, "sources", key, text=f"[@{key}")]
    problems += [content.problem(record, *path, message=f"malformed inline citation '{bad}'", hint=CITATION_FORM,
                                 text=bad.split()[0])
                 for bad in malformed_citations(text)]
    return problems


def check_discrepancy_ids(content: Content) -> list[Problem]:
    """Discrepancy ids become page anchors, so they must be unique across all facts."""
    seen: dict[str, Fact] = {}
    problems = []
    for fact in content.facts.values():
        for i, d in enumerate(fact.discrepancies):
            if d.id in seen:
                problems.append(content.problem(fact, "discrepancies", i, "id",
                                                message=f"duplicate discrepancy id '{d.id}' (also in fact '{seen[d.id].id}')",
                                                hint="discrepancy ids must be unique: rename one of them"))
            seen.setdefault(d.id, fact)
    return problems


def check_page_paths(content: Content, pages: Mapping[str, Mapping[str, str]], taken: Mapping[str, str]) -> list[Problem]:
    """Every record's page has a path of its own. pages: each record's page by kind and id (a topic's is its id,
    a calculator's its id and '-calculator'); taken: the paths of the site's other pages, with what each is. A
    topic 'about', 'index' or 'white-cell-count-calculator' would silently replace that page, or fail the build."""
    claims: dict[str, list[tuple[str, str]]] = {}
    for kind, paths in pages.items():
        for record_id, path in paths.items():
            claims.setdefault(path, []).append((kind.removesuffix("s"), record_id))
    problems = []
    for kind, paths in pages.items():
        for record_id, path in paths.items():
            record = content.records[kind].get(record_id)
            others = [f"the page of {k} '{i}'" for k, i in claims[path] if (k, i) != (kind.removesuffix("s"), record_id)]
            other = taken.get(path) or " and ".join(others)
            if record is not None and other:
                problems.append(content.problem(record, "id", message=f"{kind.removesuffix('s')} id '{record_id}' "
                                                f"would give the page {path}, which is {other}",
                                                hint="choose another id: two pages cannot have one address"))
    return problems


SITE_PAGE_LINK = re.compile(r"\]\(\s*<?([a-z0-9][a-z0-9-]*\.md)(?:#[^\s)>]*)?[\s)>]", re.I)


def check_site_links(content: Content, pages: Collection[str]) -> list[Problem]:
    """A link in content to a page of this site ([words](page.md)) names a page the site has (pages: every
    page's path), so the build does not fail on it later, far from this file. Its #anchor is checked only
    once built (generator/linkcheck.py): headings' anchors are made by the engine."""
    return [content.problem(record, *path, message=f"link to '{target}', a page this site does not have",
                            hint="link to a page by its file name: a topic's id, e.g. leukemoid-reaction.md",
                            text=target)
            for record, path, text, _prose in content_texts(content) if ".md" in text
            for target in SITE_PAGE_LINK.findall(text) if target not in pages]


def check_topic_references(content: Content) -> list[Problem]:
    problems = []
    placed: set[str] = set()
    for topic in content.topics.values():
        for s, section in enumerate(topic.sections):
            for f, fact_id in enumerate(section.facts):
                placed.add(fact_id)
                if fact_id not in content.facts:
                    problems += content.unknown(topic, ("sections", s, "facts", f), "facts", fact_id)
    for entry in content.glossary.values():
        if entry.topic and entry.topic not in content.topics:
            problems += content.unknown(entry, ("topic",), "topics", entry.topic)
    for fact in content.facts.values():
        if fact.id not in placed:
            problems.append(content.problem(fact, "id", message=f"fact '{fact.id}' is not on any topic page",
                                            hint="list its id in a section of a file in content/topics/"))
    return problems


def check_kinds(content: Content) -> list[Problem]:
    """Some kinds of fact need their numbers as data."""
    needs = {"threshold": "threshold", "statistic": "measure"}
    problems = []
    for fact in content.facts.values():
        field = needs.get(fact.kind)
        if field and getattr(fact, field) is None:
            problems.append(content.problem(fact, "kind", message=f"a {fact.kind} fact needs a '{field}' block",
                                            hint=f"add '{field}:' with its numbers"))
    return problems


def check_units(content: Content) -> list[Problem]:
    problems = []
    for fact in content.facts.values():
        for block in ("measure", "threshold", "dose"):
            value = getattr(fact, block)
            unit = getattr(value, "unit", None)
            if unit is not None and unit not in units(content).known:
                close = units(content).suggest(unit)
                hint = f"did you mean '{close}'?" if close else "known units: " + ", ".join(units(content).known)
                problems.append(content.problem(fact, block, "unit", message=f"unknown unit '{unit}'", hint=hint))
    return problems


def check_measures(content: Content) -> list[Problem]:
    problems = []
    for fact in content.facts.values():
        if fact.measure:
            problems += [content.problem(fact, "measure", field, message=msg, hint=hint)
                         for field, msg, hint in measure_problems(fact)]
    return problems


RECORD_HINT = ("correct the number; only if the source prints these very numbers, record its inconsistency under "
               "'discrepancies' and mark the printed version the measure holds with recorded_as: {%s}")


def arithmetic_problems(m: Measure) -> list[tuple[str, tuple[str, ...], str, str]]:
    """(field, the measure's fields it rests on, message, hint) for each mismatch in a measure's arithmetic
    that a source can make itself: a count that is not whole, a percent that fits its count neither rounded
    nor truncated. Run on every measure, with or without discrepancies."""
    found: list[tuple[str, tuple[str, ...], str, str]] = []
    if m.n is not None and m.n != int(m.n):
        found.append(("n", ("n",), f"a count of {m.n:g} is not a whole number", RECORD_HINT % f"n: {m.n:g}"))
    if (m.n is not None and m.denominator is not None and m.reported_percent is not None
            and not percent_fits(m.n, m.denominator, m.reported_percent)):
        recomputed = 100 * m.n / m.denominator
        found.append(("reported_percent", ("n", "denominator", "reported_percent"),
                      f"reported {m.reported_percent:g}% but {m.n:g}/{m.denominator} is {recomputed:.1f}%",
                      RECORD_HINT % f"n: {m.n:g}, denominator: {m.denominator}, "
                                    f"reported_percent: {m.reported_percent:g}"))
    return found


def _holds(m: Measure, version: DiscrepantValue, fields: tuple[str, ...]) -> bool:
    """Whether a discrepant version names every one of these fields at the value the measure holds."""
    named = version.recorded_as.named() if version.recorded_as else {}
    return all(field in named and named[field] == getattr(m, field) for field in fields)


def _versions(fact: Fact) -> list[tuple[int, int, DiscrepantValue]]:
    return [(d, v, version) for d, discrepancy in enumerate(fact.discrepancies)
            for v, version in enumerate(discrepancy.values)]


def measure_problems(fact: Fact) -> list[tuple[str, str, str]]:
    """(field, message, hint) for each arithmetic problem in a fact's measure. A mismatch the source
    itself prints passes only where a discrepancy's version names it (recorded_as) with exactly the
    numbers the measure holds: a discrepancy about something else exempts nothing."""
    m = fact.required_measure()
    found = []
    if m.n is not None and m.denominator is not None and m.n > m.denominator:
        found.append(("n", f"n ({m.n:g}) is larger than the denominator ({m.denominator})", "check both counts"))
    for low, high in (("low", "high"), ("percent_low", "percent_high")):
        lo, hi = getattr(m, low), getattr(m, high)
        if lo is not None and hi is not None and lo > hi:
            found.append((low, f"{low} ({lo:g}) is above {high} ({hi:g})", "swap them"))
    versions = [version for _d, _v, version in _versions(fact)]
    found += [(field, message, hint) for field, needs, message, hint in arithmetic_problems(m)
              if not any(_holds(m, version, needs) for version in versions)]
    return found


def check_recorded_as(content: Content) -> list[Problem]:
    """A version's recorded_as names figures the measure holds and the version prints, and lets a real
    mismatch pass: a stale or needless one is refused, so that none outlives the numbers it was written for."""
    problems = []
    for fact in content.facts.values():
        m = fact.measure
        for d, v, version in _versions(fact):
            if version.recorded_as is None:
                continue
            where = ("discrepancies", d, "values", v, "recorded_as")
            if m is None:
                problems.append(content.problem(fact, *where, message="recorded_as on a fact with no measure",
                                                hint="remove it: only a measure's numbers are checked", key=True))
                continue
            named = version.recorded_as.named()
            wrong = [field for field, value in named.items() if getattr(m, field) != value]
            for field in wrong:
                held = getattr(m, field)
                problems.append(content.problem(
                    fact, *where, field, message=f"recorded_as names {field} {named[field]:g}, but the measure "
                    f"holds {'nothing' if held is None else format_number(held)}",
                    hint="the measure keeps this version's figures as printed: correct whichever one is wrong"))
            for field in ("n", "reported_percent"):
                if field in named and not _prints(str(version.value), named[field]):
                    problems.append(content.problem(
                        fact, *where, field, message=f"{field} {named[field]:g} does not appear in '{version.value}'",
                        hint="recorded_as names the figures this version prints"))
            if not wrong and not any(_holds(m, version, needs) for _f, needs, _m, _h in arithmetic_problems(m)):
                problems.append(content.problem(
                    fact, *where, key=True, message="recorded_as is not needed: the measure's numbers agree "
                    "(its percent fits its count, rounded or truncated, and the count is whole)",
                    hint="remove it; keep the discrepancy if the source still disagrees with itself elsewhere"))
    return problems


def _same_words(a: str | None, b: str | None) -> bool:
    """Two criteria count the same thing; a missing one could be either."""
    return a is None or b is None or " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def check_duplicate_facts(content: Content) -> list[Problem]:
    """One finding, one fact: a second fact with the same count (n, denominator, criterion) from the same
    source and locator is refused at the second, naming the first."""
    seen: dict[tuple, list[Fact]] = {}
    problems = []
    for fact in content.facts.values():
        m = fact.measure
        if m is None or m.n is None:
            continue
        keys = {(m.n, m.denominator, c.source, " ".join(c.locator.casefold().split())): c for c in fact.cite}
        first = next(((other, cite) for key, cite in keys.items() for other in seen.get(key, [])
                      if _same_words(m.criterion, other.required_measure().criterion)), None)
        if first:
            other, cite = first
            file, line = content.location(other)
            count = f"{m.n:g}" + (f" of {m.denominator}" if m.denominator else "")
            problems.append(content.problem(
                fact, "id", message=f"fact '{fact.id}' repeats fact '{other.id}' ({file}:{line}): the same count, "
                f"{count}, cited to {cite.source}, {cite.locator}",
                hint=f"add what is new to '{other.id}' (a citation, a discrepancy) and remove this one; if the two "
                     f"count different things, say what each counts in its measure's 'criterion'"))
        for key in keys:
            seen.setdefault(key, []).append(fact)
    return problems


def check_review_dates(content: Content) -> list[Problem]:
    today = dt.date.today()
    return [content.problem(t, "review", "last_reviewed", message=f"review date {t.review.last_reviewed} is in the future",
                            hint="use the date the review happened")
            for t in content.topics.values() if t.review.last_reviewed > today]


def check_thresholds(content: Content) -> list[Problem]:
    """A threshold names a quantity from content/quantities/, in a unit that converts into it, above 0."""
    problems, registry = [], units(content)
    for fact in content.facts.values():
        t = fact.threshold
        if t is None:
            continue
        if registry.quantity(t.quantity) is None:
            problems += content.unknown(fact, ("threshold", "quantity"), "quantities", t.quantity)
        elif t.unit in registry.known and registry.factor(t.quantity, t.unit) is None:
            offered = ", ".join(u.code for u in registry.converting(t.quantity))
            problems.append(content.problem(fact, "threshold", "unit",
                                            message=f"a threshold of {t.quantity} needs one of its units, not '{t.unit}'",
                                            hint=f"use {offered}"))
        if t.value <= 0:
            problems.append(content.problem(fact, "threshold", "value", message="a threshold must be above 0",
                                            hint="check the number against the source"))
    return problems


def check_quantities(content: Content) -> list[Problem]:
    """Each quantity's canonical unit is one of its own with factor 1, and the units it names exist in it;
    the site's settings are given once and name a quantity that exists."""
    problems = []
    for q in content.quantities.values():
        codes = [u.code for u in q.units]
        for n, unit in enumerate(q.units):
            if unit.code in codes[:n]:
                problems.append(content.problem(q, "units", n, "code", message=f"'{unit.code}' is listed twice"))
        canonical = next((u for u in q.units if u.code == q.canonical_unit), None)
        if canonical is None or canonical.factor != 1:
            problems.append(content.problem(q, "canonical_unit", message=f"'{q.canonical_unit}' must be one of its units, "
                                            "with factor 1", hint="list it under 'units:' with factor: 1"))
        converting = [u.code for u in q.units if u.factor]
        named: list[tuple[tuple[str | int, ...], str]] = (
            [(("also_shown_in",), q.also_shown_in)] if q.also_shown_in else [])
        named += [(("search_forms", n, "unit"), f.unit) for n, f in enumerate(q.search_forms)]
        problems += [content.problem(q, *path, message=f"'{code}' is not one of its units with a factor",
                                     hint="use " + ", ".join(converting)) for path, code in named if code not in converting]
    settings = list(content.site.values())
    if len(settings) != 1:
        where = next(iter(content.documents), "content")
        return problems + [Problem(where, 1, 1, f"content/site/ holds {len(settings)} site settings",
                                   "give exactly one: the site's title and the quantity its ladder draws")]
    if settings[0].ladder_quantity not in content.quantities:
        problems += content.unknown(settings[0], ("ladder_quantity",), "quantities", settings[0].ladder_quantity)
    if not settings[0].ladder_low < settings[0].ladder_high:
        problems.append(content.problem(settings[0], "ladder_high", message="ladder_high must be above ladder_low"))
    return problems


def check_figures(content: Content) -> list[Problem]:
    """A figure's facts exist and carry the numbers it draws; a ladder finds its own facts."""
    problems = []
    for topic in content.topics.values():
        for s, section in enumerate(topic.sections):
            for f, figure in enumerate(section.figures):
                problems += _figure_problems(content, topic, ("sections", s, "figures", f), figure)
    return problems


def _figure_problems(content: Content, topic: Record, path: tuple, figure) -> list[Problem]:
    problems = [problem for i, fact_id in enumerate(figure.notes) if fact_id not in content.facts
                for problem in content.unknown(topic, path + ("notes", i), "facts", fact_id)]
    if figure.kind == "threshold-ladder":
        if figure.bars:
            problems.append(content.problem(topic, *path, "bars", message="a threshold-ladder takes no 'bars'",
                                            hint="it draws every white-count threshold in content by itself; "
                                                 "remove 'bars'", key=True))
        return problems
    if not figure.bars:
        return problems + [content.problem(topic, *path, "kind", message="a bars figure needs 'bars'",
                                           hint="list '- fact: <id>' for each bar")]
    denominators: dict[int, tuple] = {}
    for i, bar in enumerate(figure.bars):
        where = path + ("bars", i, "fact")
        fact = content.facts.get(bar.fact)
        if fact is None:
            problems += content.unknown(topic, where, "facts", bar.fact)
        elif not fact.measure or fact.measure.n is None or fact.measure.denominator is None:
            problems.append(content.problem(topic, *where, message=f"fact '{bar.fact}' has no count to draw",
                                            hint="a bar needs a fact whose measure has 'n' and 'denominator'"))
        else:
            denominators.setdefault(fact.measure.denominator, where)
    if len(denominators) > 1:
        shown = ", ".join(str(d) for d in denominators)
        problems.append(content.problem(topic, *path, "bars", message=f"bars have different denominators ({shown})",
                                        hint="one figure draws counts out of one denominator; split it in two"))
    return problems


NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve"]


def check_discrepant_counts(content: Content) -> list[Problem]:
    """A count given beside a discrepant value must be the number that value prints."""
    problems = []
    for fact in content.facts.values():
        for d, discrepancy in enumerate(fact.discrepancies):
            for v, version in enumerate(discrepancy.values):
                if version.count is not None and not _prints(str(version.value), version.count):
                    problems.append(content.problem(
                        fact, "discrepancies", d, "values", v, "count",
                        message=f"count {format_number(version.count)} does not appear in '{version.value}'",
                        hint="give the count this version prints, or leave 'count' out"))
    return problems


def _prints(text: str, count: float) -> bool:
    numbers = [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]
    words = re.findall(r"[a-z]+", text.lower())
    return count in numbers or (count == int(count) < len(NUMBER_WORDS) and NUMBER_WORDS[int(count)] in words)


RAW_HTML = re.compile(r"<!--|<\s*/?\s*[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?\s*>")
SCRIPT_URL = re.compile(r"\b(?:javascript|vbscript|livescript)\s*:|\bdata\s*:\s*[\w.+-]+/[\w.+-]+", re.I)
LINK_TARGET = re.compile(r"\]\(\s*<?([^\s)>]*)")
SAFE_TARGET = re.compile(r"^(?:https?://|#|[a-z0-9][a-z0-9-]*\.md(?:#|$))", re.I)
MARKUP_HINT = ("content is plain text with a little Markdown: *emphasis*, **strong**, `code`, "
               "[words](https://…) or [words](topic-id.md)")


def check_markup(content: Content) -> list[Problem]:
    """No raw HTML and no script or data URLs in any text: readers' browsers must never run content."""
    return [content.problem(record, *path, message=message, hint=hint, text=where)
            for record, path, text, _prose in content_texts(content)
            for message, hint, where in markup_problems(text)]


def markup_problems(text: str) -> list[tuple[str, str, str]]:
    """(message, hint, the offending text) for each kind of markup content must not carry."""
    if "<" not in text and ":" not in text and "](" not in text and "![" not in text:
        return []  # none of the patterns below can match (most texts: skipped quickly)
    found = []
    if tag := RAW_HTML.search(text):
        found.append((f"raw HTML '{tag.group(0)[:40]}' is not allowed in content", MARKUP_HINT, tag.group(0)))
    if "![" in text:
        found.append(("images are not allowed in content", "describe it in words, or link to it: [words](https://…)", "!["))
    if url := SCRIPT_URL.search(text):
        found.append((f"a '{url.group(0)}' URL is not allowed in content",
                      "links must start with https:// (or point to a page of this site)", url.group(0)))
    for target in LINK_TARGET.findall(text):
        if not SAFE_TARGET.match(target) and not SCRIPT_URL.match(target):
            found.append((f"link target '{target[:60]}' is not allowed",
                          "links must start with https:// or name a page of this site, e.g. leukostasis.md#section",
                          target or "]("))
    return found


def check_doses(content: Content) -> list[Problem]:
    """A dose reaches the reader only from a source strong enough to bear it: one resting on weak sources alone
    (a blog, an AI answer, a case series) is refused, however carefully it is labelled."""
    return [content.problem(fact, "dose", message=f"a dose resting only on weak sources "
                            f"({', '.join(sorted({c.source for c in fact.cite}))}) must not be shown",
                            hint="remove the 'dose' block; say in the statement that the source gives a dose that "
                                 "could not be verified, and send the reader to local protocols")
            for fact in content.facts.values()
            if fact.dose and all(content.sources[c.source].appraisal.strength in ("very-low", "low")
                                 for c in fact.cite if c.source in content.sources)]


def check_source_labels(content: Content) -> list[Problem]:
    """A label names one source everywhere: two sources may not share one."""
    seen: dict[str, str] = {}
    problems = []
    for source in content.sources.values():
        key = source.label.casefold()
        if key in seen:
            problems.append(content.problem(source, "label", message=f"label '{source.label}' is also source "
                                            f"'{seen[key]}''s", hint="each source needs its own citation label"))
        seen.setdefault(key, source.id)
    return problems


def check_choices(content: Content) -> list[Problem]:
    """Each editors' choice points at records that exist."""
    return [problem for choice in content.choices.values() for n, place in enumerate(choice.where)
            if place.id not in content.records[place.kind]
            for problem in content.unknown(choice, ("where", n, "id"), place.kind, place.id)]


CHECKS = [check_quantities, check_citations, check_source_labels, check_doses, check_choices, check_discrepancy_ids,
          check_topic_references, check_kinds, check_units, check_measures, check_recorded_as,
          check_duplicate_facts, check_review_dates, check_thresholds,
          check_figures, check_discrepant_counts, check_markup]

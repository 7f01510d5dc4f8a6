"""What search finds a page by, beyond its text: a topic's synonyms and glossary terms, and
every way of writing its thresholds that the quantity declares ("100000", "100 x10^9")."""

from __future__ import annotations

import re

from ..content import Content, computed_once
from ..model import Fact, Topic
from ..quantities import units
from ..wording import format_number, threshold_in_canonical


ABBREVIATION = re.compile(r"^[A-Z][A-Z0-9-]*[A-Z0-9]$")


def threshold_aliases(fact: Fact, content: Content) -> list[str]:
    """Other ways people write a threshold, as its quantity declares them, so that typing "100000"
    or "100 x10^9" in search finds it (and nobody has to convert units)."""
    t, registry = fact.required_threshold(), units(content)
    quantity = registry.quantity(t.quantity)
    if quantity is None or registry.factor(t.quantity, t.unit) is None:
        return []
    canonical = threshold_in_canonical(fact, registry)
    aliases = []
    for written in quantity.search_forms:
        value = canonical / registry.required_factor(t.quantity, written.unit)
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

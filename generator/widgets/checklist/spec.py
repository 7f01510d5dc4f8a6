"""The checklist's spec: a Checklist record and the facts it rests on, as plain JSON-able data:
each item's wording, citation numbers and its sources' populations, the patient's context
questions, the count input and the advice red flags carry, and the summary's own words (TEXT).
evaluate.py and summary.py here, and the browser's checklist.js, read exactly this data.

Pure functions only: no MkDocs, no HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, TypedDict, cast

from ... import advice
from ...advice import AdviceSpec, ContextsSpec, CountGateSpec, QuestionSpec, RedFlagSpec
from ...arrangement import roles_spec
from ...content import Content
from ...inputs import MESSAGES, NOUNS, Cutoff, InputSpec, InputText, input_spec
from ...model import Advice, AdviceRole, Checklist, ChecklistItem, Fact, RedFlag
from ...quantities import units
from ...wording import in_population, plain, reported_range, short_threshold, threshold_in_canonical


Group = Literal["red_flags", "causes", "features"]
GROUPS: tuple[Group, ...] = ("red_flags", "causes", "features")
# The answers each group takes; no answer (or any other) is "not yet assessed".
ANSWERS: dict[Group, tuple[str, ...]] = {"red_flags": ("present", "absent"), "causes": ("present", "excluded"),
                                         "features": ("present", "absent")}
# "red-flag-open" and "feature-open": the classification is earned from answers, not from silence (review 2026-12,
# M6). Where the patient is outside the study's population, "context" is the only blocker (m24).
BLOCKERS = ("red-flag", "red-flag-open", "feature", "feature-open", "recheck", "cause-present", "cause-open", "context",
            "count-error", "count-missing", "count-below", "count-outside")


# ---------------------------------------------------------------- the spec's types
#
# A key renamed here, in evaluate.py, summary.py or the renderer fails the type check (make typecheck),
# not a reader; checklist.js reads the same keys.


class SummaryWords(TypedDict):
    """The summary's own words (TEXT)."""

    red_flags: str
    red_flags_other: str
    red_flags_absent: str
    red_flags_open: str
    causes_present: str
    causes_open: str
    causes_excluded: str
    causes_collapsed: str
    features_absent: str
    reached_open: str
    recheck: str
    ignored: str
    blockers: dict[str, str]  # why the definition is not reached, by blocker (BLOCKERS)
    at_boundary: str
    nothing: str
    population: str
    other_population: str
    background: str
    if_context: str
    answered: str
    count: str
    references: str
    link: str
    copied: str
    copy_failed: str
    short: dict[str, str]  # the short note's words


class ChecklistText(SummaryWords):
    """The summary's words as the spec carries them: with the checklist's own, and its count's noun put in."""

    blocked: str
    reached: str


class ItemSpec(TypedDict):
    id: str
    name: str  # its label with its cut-offs
    label: str
    refs: list[str]  # its sources' labels
    populations: list[str]  # its facts' populations
    contexts: ContextsSpec  # a red flag's: the answers for which it counts as one
    advice: list[AdviceSpec]
    advice_populations: list[str]
    cohort_rule: bool
    points_away_when: Literal["present", "absent"] | None


class CutoffSpec(Cutoff):
    """The count the study's definition needs."""

    fact: str
    text: str
    boundary: str  # where the source is unclear about a count exactly at it ("" when it is not)


class DefinitionSpec(TypedDict):
    text: str
    note: str
    refs: list[str]
    contexts: ContextsSpec
    features_answered: list[str]  # features that must be answered, present or absent, before it shows
    cutoff: CutoffSpec
    reported: list[CountGateSpec]  # the counts the study reported: outside them it is not reached (M6)
    reported_text: str


# A fact in plain words, for copied notes: its statement, and the words that make it what a source says.
FactWords = TypedDict("FactWords", {"statement": str, "if": str})


class ChecklistSpec(TypedDict):
    """Everything the evaluators and the summary read of one checklist."""

    id: str
    title: str
    contexts: list[QuestionSpec]
    count: InputSpec
    input_text: InputText
    red_flags: list[ItemSpec]
    context_flags: list[RedFlagSpec]  # raised by the context and the count, as in every widget (generator/advice.py)
    flag_items: list[ItemSpec]  # how those that are not items here read in the summary
    causes: list[ItemSpec]
    features: list[ItemSpec]
    causes_contexts: ContextsSpec  # the answers for which the causes are worked through ({}: every answer)
    bears_on: str  # the cause the features bear on
    cml_heading: str
    favouring_heading: str
    definition: DefinitionSpec
    facts: dict[str, FactWords]  # the facts shown as advice
    roles: dict[str, AdviceRole]  # each advice fact's place under a red flag: a warning, management or background
    text: ChecklistText
    references: dict[str, str]  # label -> plain-text reference, in the page's order


# The summary's own words; headings that depend on the checklist come from its YAML.
TEXT: SummaryWords = {
    "red_flags": "Red flags present",
    "red_flags_other": "Also present: the sources' advice on these is about other patients",
    "red_flags_absent": "Red flags absent",
    "red_flags_open": "Red flags not yet assessed",
    "causes_present": "Causes present",
    "causes_open": "Causes not yet excluded",
    "causes_excluded": "Causes excluded",
    "causes_collapsed": "The causes still to exclude are not listed: their sources are about other patients.",
    "features_absent": "Features absent",
    "reached_open": "Not assessed: {items}.",
    "recheck": "Marked excluded, though the features point the other way: check again",
    "ignored": "Not understood in the link, so left as not yet assessed",
    "blockers": {
        "red-flag": "A red flag is present.",
        "red-flag-open": "Not every red flag is answered absent; not yet assessed: {items}.",
        "cause-present": "A cause is present.",
        "cause-open": "Not every cause has been excluded yet.",
        "context": "The study classed only these patients: {allowed}. Here: {given}.",
        "count-error": "The {noun} entered needs checking.",
        "count-missing": "No {noun} entered: the study took counts {cutoff}.",
        "count-below": "The {noun} is below the study's entry cut-off ({cutoff}).",
        "count-outside": "The {noun} is outside the counts the study reported ({reported}).",
    },
    "at_boundary": "The count sits exactly on the study's cut-off, where the paper is not clear: {note}",
    "nothing": "Nothing assessed yet.",
    "population": "Sources' population",
    "other_population": "What the sources say to do is about: {populations}.",
    "background": "Background",
    "if_context": "Set the condition above to see what applies; for now, what each source says about its own patients:",
    "answered": "{n} of {total} answered",
    "count": "{Noun}",
    "references": "References",
    "link": "Checklist with these answers",
    "copied": "Copied: paste it into the notes.",
    "copy_failed": "The browser did not allow copying: select the text below and copy it.",
    "short": {"red_flags": "Red flags", "causes": "Causes", "features": "Features", "present": "present",
              "absent": "absent", "open": "not assessed", "excluded": "excluded", "not_excluded": "not yet excluded",
              "away": "pointing away", "none": "none answered", "collapsed": "not listed for this patient"},
}


def checklist_spec(checklist: Checklist, content: Content, number: Callable[[str], int] | None = None) -> ChecklistSpec:
    """Everything the evaluator and the summary need. `number` gives a source's place among the
    page's references (the renderer's PageCitations.number); without it, sources come in order of
    first use. Items cite their sources by label ([Cohort]), the same on every page."""
    labelled = _labelled(content, number or _numbering())
    items = {group: [_item_spec(i, content, labelled) for i in getattr(checklist, group).items] for group in GROUPS}
    definition = checklist.definition
    cutoff = content.facts[definition.count_threshold]
    return {
        "id": checklist.id,
        "title": checklist.title,
        "contexts": advice.contexts_spec(content),
        "count": input_spec(checklist.count, units(content)),
        "input_text": {"messages": MESSAGES, "nouns": NOUNS},
        "red_flags": items["red_flags"],
        "context_flags": advice.red_flags_spec(content),
        "flag_items": [_flag_item(f, content, labelled) for f in advice.red_flags_of(content)
                       if f.id not in {i.id for i in checklist.red_flags.items}],
        "causes": items["causes"],
        "features": items["features"],
        "causes_contexts": {q: list(a) for q, a in (checklist.causes.contexts or {}).items()},
        "bears_on": checklist.features.bears_on,
        "cml_heading": checklist.features.warning,
        "favouring_heading": checklist.features.favouring,
        "definition": {"text": definition.text, "note": definition.note,
                       "refs": _refs([content.facts[f] for f in definition.facts], labelled),
                       "contexts": {q: list(a) for q, a in definition.contexts.items()},
                       "features_answered": list(definition.features_answered),
                       "reported": [advice.count_gate_spec(content.facts[f], units(content)) for f in definition.count],
                       "reported_text": "; ".join(reported_range(content.facts[f], units(content))
                                                  for f in definition.count),
                       "cutoff": {"fact": cutoff.id, "comparator": cutoff.required_threshold().comparator,
                                  "value": threshold_in_canonical(cutoff, units(content)),
                                  "text": short_threshold(cutoff, units(content)),
                                  "boundary": plain(cutoff.required_threshold().boundary_note or "")}},
        "facts": {f: _fact_words(content.facts[f], content) for f in advice_facts(checklist, content)},
        "roles": roles_spec(content, advice_facts(checklist, content)),
        "text": _with_noun(_with_words(TEXT, checklist),
                           units(content).required_quantity(checklist.count.quantity).noun),
        "references": {},  # label -> plain-text reference, in the page's order; filled in by the renderer
    }


def _with_words(text: SummaryWords, checklist: Checklist) -> ChecklistText:
    """The summary's words with the checklist's own: what it tells apart, in its YAML."""
    words = checklist.words
    return {**text, "blocked": words.blocked, "reached": words.reached,
            "blockers": {**text["blockers"], "feature": words.blocker_feature, "recheck": words.blocker_recheck,
                         "feature-open": words.blocker_feature_open}}


def _with_noun(text: ChecklistText, noun: str) -> ChecklistText:
    """The summary's words with what the count is called put in: 'The white count entered needs checking.'"""
    return cast(ChecklistText, _noun_in(text, noun))  # the same words, every one with the noun put in


def _noun_in(text: str | Mapping[str, Any], noun: str) -> str | dict[str, Any]:
    if isinstance(text, Mapping):
        return {key: _noun_in(value, noun) for key, value in text.items()}
    return text.replace("{noun}", noun).replace("{Noun}", noun[:1].upper() + noun[1:])


def _fact_words(fact: Fact, content: Content) -> FactWords:
    """A fact as plain words, for copied notes: its statement, and the conditional form of it."""
    source = content.sources[fact.cite[0].source].short_title
    return {"statement": plain(fact.statement), "if": in_population(fact.context.population, source)}


def _numbering() -> Callable[[str], int]:
    order: dict[str, int] = {}
    return lambda source: order.setdefault(source, len(order) + 1)


def _labelled(content: Content, number: Callable[[str], int]) -> Callable[[str], tuple[int, str]]:
    """A source's (place among the page's references, label)."""
    return lambda source: (number(source), content.sources[source].label)


def checklist_items(checklist: Checklist) -> list[ChecklistItem]:
    """Every item, group by group in page order."""
    return [item for group in GROUPS for item in getattr(checklist, group).items]


def advice_facts(checklist: Checklist, content: Content) -> list[str]:
    """Every fact the checklist can show as advice, once each: its red flags' and the context's."""
    groups = [g for item in checklist.red_flags.items for g in item_advice(item, content)]
    return list(dict.fromkeys(f for g in groups + [g for f in advice.red_flags_of(content) for g in f.advice]
                              for f in g.facts))


def item_advice(item: ChecklistItem, content: Content) -> list[Advice]:
    """What a red flag's sources say to do: an item that asks a context answer's red flag says what that red flag
    says, in every widget (content/contexts/)."""
    flag = next((f for f in advice.red_flags_of(content) if f.id == item.id), None)
    return flag.advice if flag else item.advice


def item_facts(item: ChecklistItem, content: Content) -> list[Fact]:
    """The facts an item rests on, its threshold facts first."""
    return [content.facts[f] for f in dict.fromkeys(item.thresholds + item.facts)]


def item_name(item: ChecklistItem, content: Content) -> str:
    """The item's label with its cut-off: 'Growth factor given recently (≤ 10 days)'. Where its sources give
    different cut-offs, the label stays bare and the item lists each with its source: '(> 100 or ≥ 100)' in a
    title read as one confusing cut-off (review 2026-12, m10)."""
    cutoffs = list(dict.fromkeys(short_threshold(content.facts[f], units(content)) for f in item.thresholds))
    return item.label + (f" ({cutoffs[0]})" if len(cutoffs) == 1 else "")


def populations(facts: list[Fact]) -> list[str]:
    return list(dict.fromkeys(f.context.population for f in facts))


def _item_spec(item: ChecklistItem, content: Content, number: Callable[[str], tuple[int, str]]) -> ItemSpec:
    facts = item_facts(item, content)
    return {
        "id": item.id,
        "name": item_name(item, content),
        "label": item.label,
        "refs": _refs(facts, number),
        "populations": populations(facts),
        "contexts": {q: list(a) for q, a in (item.contexts or {}).items()},
        "advice": advice.advice_spec(item_advice(item, content), content),
        "advice_populations": populations([content.facts[f] for g in item_advice(item, content) for f in g.facts]),
        "cohort_rule": item.cohort_rule,
        "points_away_when": item.points_away_when,
    }


def flag_facts(flag: RedFlag, content: Content) -> list[Fact]:
    """What a red flag raised by the context rests on, where it is not an item here: the facts its count is compared
    with, or (raised by an answer alone) the facts it advises."""
    return [content.facts[f] for f in (flag.needs_count, flag.from_count) if f] \
        or [content.facts[f] for g in flag.advice for f in g.facts]


def _flag_item(flag: RedFlag, content: Content, number: Callable[[str], tuple[int, str]]) -> ItemSpec:
    """A red flag raised by the context and the count, as the summary lists it: named by its label."""
    facts = flag_facts(flag, content)
    advised = [content.facts[f] for g in flag.advice for f in g.facts]
    return {"id": flag.id, "name": flag.label, "label": flag.label, "refs": _refs(facts, number),
            "populations": populations(facts), "contexts": {}, "advice": advice.advice_spec(flag.advice, content),
            "advice_populations": populations(advised), "cohort_rule": False, "points_away_when": None}


def _refs(facts: list[Fact], number: Callable[[str], tuple[int, str]]) -> list[str]:
    """The facts' sources' labels, in the order of the page's references."""
    return [label for _, label in sorted({number(c.source) for f in facts for c in f.cite})]

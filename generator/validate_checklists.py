"""Checks on checklists: every reference resolves, each kind of item has the words
it needs, numbers come only from facts, and every test case passes the
reference evaluator (run only once the structure is sound, so a contributor
sees the cause rather than its knock-on effects)."""

from __future__ import annotations

import re

from .checklists import GROUPS, checklist_items, checklist_spec, compare, evaluate
from .content import Content
from .model import Checklist
from .problems import Problem

DIGIT = re.compile(r"[0-9]")
DIAGNOSIS = re.compile(r"diagnos", re.I)
# Which group's ids each expectation may name.
EXPECTATION_GROUP = {"red_flags": "red_flags", "red_flags_open": "red_flags", "causes_present": "causes",
                     "causes_open": "causes", "causes_excluded": "causes", "cml_pattern": "features",
                     "features_present": "features", "recheck": "causes", "ignored": None}


def check_checklists(content: Content) -> list[Problem]:
    problems = []
    for checklist in content.checklists.values():
        found = _structure(content, checklist)
        if not found and all(f in content.facts for f in _fact_ids(checklist)):  # a broken fact is reported at itself
            found = _cases_pass(content, checklist)
        problems += found
    return problems


def _fact_ids(checklist: Checklist) -> list[str]:
    items = checklist_items(checklist)
    return [f for i in items for f in i.facts + i.thresholds] + checklist.definition.facts


def _problem(content: Content, checklist: Checklist, *path, message: str, hint: str = "") -> Problem:
    return content.problem(checklist, *path, message=message, hint=hint)


def _structure(content: Content, checklist: Checklist) -> list[Problem]:
    return (_references(content, checklist) + _item_words(content, checklist) + _no_digits(content, checklist)
            + _definition(content, checklist) + _cases(content, checklist))


def _references(content: Content, checklist: Checklist) -> list[Problem]:
    from .validate import _unknown  # imported here: validate imports this module

    problems = []
    places = [((group, "items", n, "facts"), item.facts) for group in GROUPS
              for n, item in enumerate(getattr(checklist, group).items)]
    places += [(("definition", "facts"), checklist.definition.facts)]
    for path, fact_ids in places:
        problems += [p for i, f in enumerate(fact_ids) if f not in content.facts
                     for p in _unknown(content, checklist, path + (i,), "facts", f)]
    for group in GROUPS:
        for n, item in enumerate(getattr(checklist, group).items):
            for i, fact_id in enumerate(item.thresholds):
                path = (group, "items", n, "thresholds", i)
                if fact_id not in content.facts:
                    problems += _unknown(content, checklist, path, "facts", fact_id)
                elif content.facts[fact_id].threshold is None:
                    problems.append(_problem(content, checklist, *path, message=f"fact '{fact_id}' has no threshold block",
                                             hint="list it under 'facts:', or pick a fact with a 'threshold:'"))
    return problems


def _item_words(content: Content, checklist: Checklist) -> list[Problem]:
    """Ids are unique (they name the answers in the page address); red flags say what to do;
    features say what their absence means; the features bear on one of the causes."""
    problems, seen = [], set()
    for group in GROUPS:
        for n, item in enumerate(getattr(checklist, group).items):
            at = (group, "items", n)
            if item.id in seen:
                problems.append(_problem(content, checklist, *at, "id", message=f"two items are called '{item.id}'",
                                         hint="each item needs its own id: it names the answer in the page address"))
            seen.add(item.id)
            for key, belongs in (("action", "red_flags"), ("when_excluded", "features")):
                given = getattr(item, key) is not None
                if given and group != belongs:
                    problems.append(_problem(content, checklist, *at, key, message=f"only {belongs.replace('_', ' ')} "
                                             f"take '{key}'", hint=f"remove '{key}' from this item"))
                elif not given and group == belongs:
                    problems.append(_problem(content, checklist, *at, "id", message=f"this item needs '{key}'",
                                             hint="red flags say what the sources say to do (action); features say "
                                                  "what it means when they are excluded (when_excluded)"))
    causes = [i.id for i in checklist.causes.items]
    if checklist.features.bears_on not in causes:
        problems.append(_problem(content, checklist, "features", "bears_on",
                                 message=f"'{checklist.features.bears_on}' is not one of this checklist's causes",
                                 hint="name a cause by its id: " + ", ".join(causes)))
    return problems


def _own_words(checklist: Checklist):
    yield ("title",), checklist.title
    yield ("summary",), checklist.summary
    for group in GROUPS:
        g = getattr(checklist, group)
        yield (group, "heading"), g.heading
        yield (group, "intro"), g.intro
        for n, item in enumerate(g.items):
            for key in ("label", "criterion", "how_to_assess", "action", "when_excluded"):
                yield (group, "items", n, key), getattr(item, key)
    yield ("features", "warning"), checklist.features.warning
    yield ("definition", "text"), checklist.definition.text
    yield ("definition", "note"), checklist.definition.note


def _no_digits(content: Content, checklist: Checklist) -> list[Problem]:
    """Numbers reach the reader from facts only: the checklist's own words carry none."""
    return [_problem(content, checklist, *path, message="numbers in a checklist's own words are not allowed",
                     hint="a cut-off shown to readers must come from a fact: list it under 'thresholds:'")
            for path, text in _own_words(checklist) if text and DIGIT.search(text)]


def _definition(content: Content, checklist: Checklist) -> list[Problem]:
    if DIAGNOSIS.search(checklist.definition.text):
        return [_problem(content, checklist, "definition", "text",
                         message="the definition's wording must not read as a diagnosis",
                         hint="say that the answers meet the study's definition, e.g. \"meets the cohort's "
                              "definition of PLR: all listed secondary causes excluded\"")]
    return []


def _cases(content: Content, checklist: Checklist) -> list[Problem]:
    problems = []
    ids = {group: [i.id for i in getattr(checklist, group).items] for group in GROUPS}
    every = [i for group in GROUPS for i in ids[group]]
    for n, case in enumerate(checklist.cases):
        at = ("cases", n)
        problems += [_problem(content, checklist, *at, "states", key, message=f"'{key}' is not an item of this checklist",
                              hint="use an item's id")
                     for key in case.states if key not in every]
        for key, group in EXPECTATION_GROUP.items():
            for i, item_id in enumerate(getattr(case.expect, key) or []):
                allowed = ids[group] if group else every
                if item_id not in allowed:
                    where = group.replace("_", " ") if group else "items"
                    problems.append(_problem(content, checklist, *at, "expect", key, i,
                                             message=f"'{item_id}' is not one of this checklist's {where}"))
    return problems


def _cases_pass(content: Content, checklist: Checklist) -> list[Problem]:
    spec = checklist_spec(checklist, content)
    problems = []
    for n, case in enumerate(checklist.cases):
        wrong = compare(case.expect.model_dump(exclude_none=True), evaluate(spec, case.states))
        if wrong:
            problems.append(_problem(content, checklist, "cases", n, "expect", message=f"case '{case.name}': "
                                     + "; ".join(wrong), hint="correct the expectation, or the answers it gives"))
    return problems

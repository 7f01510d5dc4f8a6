"""Checks on checklists: every reference resolves, each kind of item has the words
it needs, advice fits its facts' populations, numbers come only from facts, and
every test case passes the reference evaluator (run only once the structure is
sound, so a contributor sees the cause rather than its knock-on effects)."""

from __future__ import annotations

import re

from ...advice import red_flags_of
from ...content import Content
from ...model import Checklist, Fact, advice_role
from ...problems import Problem
from ...validate.advice import advice_problems, contexts_problems, count_gate_problems, population_misfits
from ...validate.cases import advised, context_answer_problems, structure_then_behaviour
from ...validate.inputs import input_problems
from .cases import compare
from .evaluate import evaluate
from .spec import ANSWERS, GROUPS, Group, checklist_items, checklist_spec


DIGIT = re.compile(r"[0-9]")
DIAGNOSIS = re.compile(r"diagnos", re.I)
# Which group's ids each expectation may name.
EXPECTATION_GROUP: dict[str, Group | None] = {
    "red_flags": "red_flags", "red_flags_other": "red_flags", "red_flags_absent": "red_flags",
    "red_flags_open": "red_flags", "causes_present": "causes", "causes_open": "causes",
    "causes_excluded": "causes", "cml_pattern": "features", "features_favouring": "features",
    "features_absent": "features", "features_open": "features", "recheck": "causes", "ignored": None}
# What each group's items may and must say: (field, which group only, required there).
GROUP_FIELDS = [("contexts", "red_flags", True), ("advice", "red_flags", False), ("cohort_rule", "causes", False),
                ("points_away_when", "features", True)]


def check_checklists(content: Content) -> list[Problem]:
    return structure_then_behaviour(content, content.checklists.values(), _structure, _cases_pass, _fact_ids)


def _fact_ids(checklist: Checklist) -> list[str]:
    """Every fact the evaluator reads: the items', their advice's and the definition's."""
    items = checklist_items(checklist)
    return ([f for i in items for f in i.facts + i.thresholds + advised(i.advice)] + checklist.definition.facts
            + [checklist.definition.count_threshold, *checklist.definition.count])


def _problem(content: Content, checklist: Checklist, *path, message: str, hint: str = "") -> Problem:
    return content.problem(checklist, *path, message=message, hint=hint)


def _shown_by(checklist: Checklist) -> str:
    return f"checklist '{checklist.id}'"


def _structure(content: Content, checklist: Checklist) -> list[Problem]:
    return (_references(content, checklist) + _item_words(content, checklist) + _red_flags(content, checklist)
            + _red_flag_advice_leads(content, checklist)
            + input_problems(content, checklist, ("count",), checklist.count, {checklist.count.id: checklist.count})
            + _no_digits(content, checklist) + _definition(content, checklist) + _cases(content, checklist))


def _references(content: Content, checklist: Checklist) -> list[Problem]:
    problems = []
    places: list[tuple[tuple[str | int, ...], list[str]]] = [
        ((group, "items", n, "facts"), item.facts) for group in GROUPS
        for n, item in enumerate(getattr(checklist, group).items)]
    places += [(("definition", "facts"), checklist.definition.facts)]
    for path, fact_ids in places:
        problems += [p for i, f in enumerate(fact_ids) if f not in content.facts
                     for p in content.unknown(checklist, path + (i,), "facts", f)]
    thresholds: list[tuple[tuple[str | int, ...], str]] = [
        ((group, "items", n, "thresholds", i), fact_id) for group in GROUPS
        for n, item in enumerate(getattr(checklist, group).items) for i, fact_id in enumerate(item.thresholds)]
    thresholds.append((("definition", "count_threshold"), checklist.definition.count_threshold))
    for path, fact_id in thresholds:
        if fact_id not in content.facts:
            problems += content.unknown(checklist, path, "facts", fact_id)
        elif content.facts[fact_id].threshold is None:
            problems.append(_problem(content, checklist, *path, message=f"fact '{fact_id}' has no threshold block",
                                     hint="list it under 'facts:', or pick a fact with a 'threshold:'"))
    cutoff = content.facts.get(checklist.definition.count_threshold)
    if cutoff and cutoff.threshold and cutoff.threshold.quantity != checklist.count.quantity:
        problems.append(_problem(content, checklist, "definition", "count_threshold",
                                 message=f"fact '{cutoff.id}' is a threshold for {cutoff.threshold.quantity}, "
                                         f"not for the count ({checklist.count.quantity})"))
    return problems


def _item_words(content: Content, checklist: Checklist) -> list[Problem]:
    """Ids are unique (they name the answers in the page address), and each group's items carry the fields
    that group takes; the features bear on one of the causes."""
    problems, seen = [], set()
    for group in GROUPS:
        for n, item in enumerate(getattr(checklist, group).items):
            at = (group, "items", n)
            if item.id in seen:
                problems.append(_problem(content, checklist, *at, "id", message=f"two items are called '{item.id}'",
                                         hint="each item needs its own id: it names the answer in the page address"))
            seen.add(item.id)
            if item.id == checklist.count.id:
                problems.append(_problem(content, checklist, *at, "id", message=f"'{item.id}' is the count's name",
                                         hint="give the item another id"))
            for key, belongs, required in GROUP_FIELDS:
                given = getattr(item, key) not in (None, [], False)
                if given and group != belongs:
                    problems.append(_problem(content, checklist, *at, key, message=f"only "
                                             f"{belongs.replace('_', ' ')} take '{key}'", hint=f"remove '{key}'"))
                elif required and not given and group == belongs:
                    problems.append(_problem(content, checklist, *at, "id", message=f"this item needs '{key}'",
                                             hint="red flags say for which contexts they are red flags (contexts); "
                                                  "features say which answer points away from a leukemoid reaction "
                                                  "(points_away_when)"))
            if item.id in content.contexts:
                problems += _context_item(content, checklist, at, group, item.id)
    causes = [i.id for i in checklist.causes.items]
    if checklist.features.bears_on not in causes:
        problems.append(_problem(content, checklist, "features", "bears_on",
                                 message=f"'{checklist.features.bears_on}' is not one of this checklist's causes",
                                 hint="name a cause by its id: " + ", ".join(causes)))
    return problems


def _context_item(content: Content, checklist: Checklist, at: tuple, group: Group, item_id: str) -> list[Problem]:
    """An item named as a context question is that question, asked here: its answers must be the question's."""
    options = [o.id for o in content.contexts[item_id].options]
    if sorted(options) == sorted(ANSWERS[group]):
        return []
    return [_problem(content, checklist, *at, "id", message=f"'{item_id}' is also a context question, whose answers "
                     f"({', '.join(options)}) are not this group's ({', '.join(ANSWERS[group])})",
                     hint="rename the item, or ask the question where its answers fit")]


def _red_flags(content: Content, checklist: Checklist) -> list[Problem]:
    """A red flag is one only for answers its facts' populations cover; its advice fits its facts."""
    problems = []
    for n, item in enumerate(checklist.red_flags.items):
        at = ("red_flags", "items", n)
        problems += advice_problems(content, checklist, at + ("advice",), item.advice, _shown_by(checklist))
        if item.contexts is None:
            continue
        found = contexts_problems(content, checklist, at + ("contexts",), item.contexts)
        facts = [content.facts[f] for f in item.facts + [f for g in item.advice for f in g.facts] if f in content.facts]
        for question, answers in ({} if found else item.contexts).items():
            for i, answer in enumerate(answers):
                if not any(_covers(f, question, answer) for f in facts):
                    found.append(_problem(content, checklist, *at, "contexts", question, i,
                                          message=f"no fact of this red flag is about {question}: {answer}",
                                          hint="a red flag counts as one only where its sources say so: remove "
                                               "this answer, or add a fact about those patients"))
        problems += found
    return problems


def _red_flag_advice_leads(content: Content, checklist: Checklist) -> list[Problem]:
    """Background never leads a red flag: each of its advice groups holds something to do (a fact of kind warning,
    management or monitoring), which the summary lists before any background the group brings."""
    return [_problem(content, checklist, "red_flags", "items", n, "advice", g, "facts",
                     message="this advice holds only background facts ("
                             + ", ".join(f"'{f}' is a {content.facts[f].kind}" for f in group.facts) + ")",
                     hint="under a red flag, what to do comes first: add the warning or management fact this "
                          "background goes with, or list these facts under the item's 'facts:'")
            for n, item in enumerate(checklist.red_flags.items) for g, group in enumerate(item.advice)
            if all(f in content.facts and advice_role(content.facts[f].kind) == "background" for f in group.facts)]


def _covers(fact: Fact, question: str, answer: str) -> bool:
    """Whether the fact's population covers this answer: a question its applies_to leaves out, any answer;
    a fact that does not say whom it applies to, none."""
    covered = fact.context.answers_covered()
    return fact.context.applies_to is not None and (question not in covered or answer in covered[question])


def _own_words(checklist: Checklist):
    yield ("title",), checklist.title
    yield ("summary",), checklist.summary
    for group in GROUPS:
        g = getattr(checklist, group)
        yield (group, "heading"), g.heading
        yield (group, "intro"), g.intro
        for n, item in enumerate(g.items):
            for key in ("label", "criterion", "how_to_assess"):
                yield (group, "items", n, key), getattr(item, key)
    yield ("features", "warning"), checklist.features.warning
    yield ("features", "favouring"), checklist.features.favouring
    yield ("definition", "text"), checklist.definition.text
    yield ("definition", "note"), checklist.definition.note
    yield ("count", "label"), checklist.count.label


def _no_digits(content: Content, checklist: Checklist) -> list[Problem]:
    """Numbers reach the reader from facts only: the checklist's own words carry none."""
    return [_problem(content, checklist, *path, message="numbers in a checklist's own words are not allowed",
                     hint="a cut-off shown to readers must come from a fact: list it under 'thresholds:'")
            for path, text in _own_words(checklist) if text and DIGIT.search(text)]


def _definition(content: Content, checklist: Checklist) -> list[Problem]:
    definition = checklist.definition
    problems = contexts_problems(content, checklist, ("definition", "contexts"), definition.contexts)
    problems += count_gate_problems(content, checklist, ("definition", "count"), definition.count)
    if checklist.causes.contexts is not None:
        problems += contexts_problems(content, checklist, ("causes", "contexts"), checklist.causes.contexts)
    features = [i.id for i in checklist.features.items]
    problems += [_problem(content, checklist, "definition", "features_answered", i,
                          message=f"'{item_id}' is not one of this checklist's features",
                          hint="name a feature by its id: " + ", ".join(features))
                 for i, item_id in enumerate(definition.features_answered) if item_id not in features]
    if found := DIAGNOSIS.search(definition.text):
        problems.append(content.problem(checklist, "definition", "text", text=found.group(),
                                        message="the definition's wording must not read as a diagnosis",
                                        hint="say what the study did, e.g. \"one retrospective series classed "
                                             "patients like this as PLR\""))
    if not problems:
        problems += [_problem(content, checklist, "definition", *(where or ("facts", i)), message=message, hint=hint)
                     for i, fact_id in enumerate(definition.facts) if fact_id in content.facts
                     for where, message, hint in population_misfits(
                         content, fact_id, definition.contexts, _shown_by(checklist),
                         [definition.count_threshold, *definition.count])]
    return problems


def _cases(content: Content, checklist: Checklist) -> list[Problem]:
    problems = []
    ids = {group: [i.id for i in getattr(checklist, group).items] for group in GROUPS}
    every = [i for group in GROUPS for i in ids[group]]
    ids["red_flags"] += [f.id for f in red_flags_of(content) if f.id not in ids["red_flags"]]  # raised by the context
    count = checklist.count.id
    for n, case in enumerate(checklist.cases):
        at = ("cases", n)
        for key, value in case.states.items():
            if key in content.contexts and key not in every:
                problems += context_answer_problems(content, checklist, (*at, "states", key), key, value)
            elif key not in every + [count, count + "_unit"]:
                problems.append(_problem(content, checklist, *at, "states", key,
                                         message=f"'{key}' is not an item of this checklist",
                                         hint="use an item's id, a context question or the count"))
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
        wrong = compare(case.expect.model_dump(exclude_none=True), evaluate(spec, case.states), spec)
        if wrong:
            problems.append(_problem(content, checklist, "cases", n, "expect", message=f"case '{case.name}': "
                                     + "; ".join(wrong), hint="correct the expectation, or the answers it gives"))
    return problems

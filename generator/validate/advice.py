"""Checks on readers' contexts and on advice: questions and answers named anywhere exist, and
advice is never shown for readers its facts' populations do not cover.

A fact's population says which answers it covers (context.applies_to); a widget's advice says which
answers it is shown for (contexts). For every question the fact's population narrows, the advice
must name that question and only answers the population covers. Advice may not name "unknown":
where a question is not known, advice reads as what its source says about its population, by rule.

A fact's population text must also agree with its applies_to: every answer the text names (by the
words each answer lists in `named_by:`, content/contexts/) must be among the answers applies_to gives
for that question (`population_text_misfits`). That is what keeps applies_to from being narrower, or
blinder to a question, than the population it stands for (review 2026-12, M1 and M5).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from ..advice import reported_quantity
from ..content import Content
from ..quantities import units
from ..model import COUNT, UNKNOWN, Advice, Record
from ..problems import Problem


def check_contexts(content: Content) -> list[Problem]:
    """The questions' own answers, and every fact's applies_to."""
    problems = []
    for question in content.contexts.values():
        seen: set[str] = set()
        for n, option in enumerate(question.options):
            if option.id == UNKNOWN:
                problems.append(content.problem(question, "options", n, "id", message="'unknown' is implied",
                                                hint="every question offers 'not known' by itself: remove this answer"))
            elif option.id in seen:
                problems.append(content.problem(question, "options", n, "id",
                                                message=f"two answers are called '{option.id}'"))
            seen.add(option.id)
    problems += red_flag_problems(content)
    named_by = {q.id: {o.id: list(o.named_by) for o in q.options} for q in content.contexts.values()}
    for fact in content.facts.values():
        if fact.context.applies_to is not None:
            problems += contexts_problems(content, fact, ("context", "applies_to"), fact.context.answers_covered())
            problems += count_gate_problems(content, fact, ("context", "applies_to", COUNT), fact.context.counts_covered())
            for asked, message, hint in population_text_misfits(fact.context.population, fact.context.answers_covered(),
                                                                named_by):
                narrowed = asked in fact.context.applies_to
                where = ("applies_to", asked) if narrowed else ("applies_to",)
                problems.append(content.problem(fact, "context", *where, message=f"fact '{fact.id}': {message}",
                                                hint=hint, key=narrowed))
    return problems


# ---------------------------------------------------------------- population text against applies_to

class PopulationName(NamedTuple):
    """Words in a population text that name answers: as written there, the `named_by` phrase they
    matched, and the (question, answer) pairs that phrase names."""

    words: str
    phrase: str
    answers: tuple[tuple[str, str], ...]


# Brackets hold a comparison or an aside ("(background in the bone-tumour paper)"), and what follows
# "compared with" up to the end of its clause is the comparison: neither is the population.
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_COMPARISON = re.compile(r"\bcompared\s+with\b[^;]*", re.IGNORECASE)


def population_proper(text: str) -> str:
    """The population text without what is only a comparison: bracketed text (nested brackets too)
    and everything after "compared with" to the end of its clause, each replaced by a space."""
    previous = None
    while previous != text:
        previous, text = text, _BRACKETED.sub(" ", text)
    return _COMPARISON.sub(" ", text)


@functools.cache  # the same few phrases are looked for in every fact's population
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Whole words; a space matches a space or a hyphen, a trailing plural "s" is allowed; case-blind
    unless the phrase is an abbreviation in capitals (AML, CLL, ALL), which must be in capitals."""
    words = [re.escape(w) for w in re.split(r"[\s-]+", phrase.strip()) if w]
    body = r"[\s-]+".join(words)
    flags = 0 if phrase.isupper() else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){body}s?(?![\w])", flags)


def population_names(text: str, named_by: Mapping[str, Mapping[str, Sequence[str]]]) -> list[PopulationName]:
    """Which answers a population text names, phrase by phrase, in the order they appear. `named_by`
    is {question: {answer: [phrases]}}. The longest phrase wins where phrases overlap ("acute myeloid
    leukaemia" names acute leukaemia only, not also every leukaemia by its last word); a phrase listed
    under several answers names them all ("leukaemia": acute and chronic). Comparisons are not read
    (population_proper)."""
    answers_of: dict[str, list[tuple[str, str]]] = {}
    for question, options in named_by.items():
        for answer, phrases in options.items():
            for phrase in phrases:
                answers_of.setdefault(phrase.strip(), []).append((question, answer))
    read = population_proper(text)
    found: list[tuple[int, int, str]] = []  # start, end, phrase
    for phrase in answers_of:
        found += [(m.start(), m.end(), phrase) for m in _phrase_pattern(phrase).finditer(read)]
    taken: list[tuple[int, int, str]] = []
    for start, end, phrase in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, phrase))
    return [PopulationName(read[start:end], phrase, tuple(answers_of[phrase]))
            for start, end, phrase in sorted(taken)]


def population_text_misfits(text: str, applies_to: Mapping[str, Sequence[str]],
                            named_by: Mapping[str, Mapping[str, Sequence[str]]]) -> list[tuple[str, str, str]]:
    """(question, message, hint) for each question whose answers named by the population text are not
    all in applies_to: the question left out of applies_to (so it covers every answer, not only the
    named ones), or named answers missing from its list. Answers applies_to gives beyond the text's
    words are not refused: a population may say less than its source means ("cancer" for the cohort)."""
    named: dict[str, dict[str, list[str]]] = {}  # question -> answer -> the words that named it
    for name in population_names(text, named_by):
        for question, answer in name.answers:
            words = named.setdefault(question, {}).setdefault(answer, [])
            if name.words not in words:
                words.append(name.words)
    misfits = []
    for question, answers in named.items():
        by_words = "; ".join(f"'{a}' by the words " + ", ".join(f"'{w}'" for w in words)
                             for a, words in answers.items())
        given = applies_to.get(question)
        if given is None:
            misfits.append((question, f"its population \"{text}\" names {question} {by_words}, but applies_to does "
                            f"not name {question}, so it covers every {question} answer",
                            f"add {question}: [{', '.join(answers)}] to applies_to; if the population is not about "
                            f"them, reword it (a comparison goes in brackets or after 'compared with')"))
            continue
        if missing := [a for a in answers if a not in given]:
            which = "; ".join(f"'{a}' by the words " + ", ".join(f"'{w}'" for w in answers[a]) for a in missing)
            misfits.append((question, f"its population \"{text}\" names {question} {which}, but applies_to's "
                            f"{question} ({', '.join(given)}) leaves it out",
                            f"add {', '.join(missing)} to {question} in applies_to; if the population is narrower "
                            f"than its words, name it exactly (e.g. 'acute myeloid leukaemia' names acute "
                            f"leukaemia only), or put a comparison in brackets or after 'compared with'"))
    return misfits


def contexts_problems(content: Content, record: Record, path: tuple, contexts: Mapping[str, list[str]],
                      allow_unknown: bool = False) -> list[Problem]:
    """Every question and answer named exists (with a did-you-mean), and no question lists no answer."""
    problems = []
    questions = {q.id: q for q in content.contexts.values()}
    for name, answers in contexts.items():
        question = questions.get(name)
        if question is None:
            close = difflib.get_close_matches(name, list(questions), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "questions: " + ", ".join(questions)
            problems.append(content.problem(record, *path, name, message=f"unknown question '{name}'", hint=hint,
                                            key=True))
            continue
        if not answers:
            problems.append(content.problem(record, *path, name, message=f"'{name}' lists no answer",
                                            hint="name the answers, or leave the question out to mean any answer"))
        options = [o.id for o in question.options] + ([UNKNOWN] if allow_unknown else [])
        for i, answer in enumerate(answers):
            if answer == UNKNOWN and not allow_unknown:
                problems.append(content.problem(
                    record, *path, name, i, message="advice cannot be shown for 'unknown'",
                    hint="where the answer is not known, advice reads as what its source says about its population: "
                         "leave 'unknown' out"))
            elif answer not in options:
                close = difflib.get_close_matches(answer, options, n=1)
                hint = f"did you mean '{close[0]}'?" if close else "answers: " + ", ".join(options)
                problems.append(content.problem(record, *path, name, i,
                                                message=f"'{answer}' is not an answer to '{name}'", hint=hint))
    return problems


def red_flag_problems(content: Content) -> list[Problem]:
    """Each answer's red flag: a unique id, threshold facts for its counts, and advice that fits its facts."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for question in content.contexts.values():
        for n, option in enumerate(question.options):
            flag = option.red_flag
            if flag is None:
                continue
            at = ("options", n, "red_flag")
            if flag.id in seen:
                problems.append(content.problem(question, *at, "id", message=f"two red flags are called '{flag.id}'"))
            seen.add(flag.id)
            for key in ("needs_count", "from_count"):
                fact_id = getattr(flag, key)
                if fact_id is None:
                    continue
                if fact_id not in content.facts:
                    problems += content.unknown(question, at + (key,), "facts", fact_id)
                elif content.facts[fact_id].threshold is None:
                    problems.append(content.problem(question, *at, key, message=f"fact '{fact_id}' has no threshold",
                                                    hint="name a fact with a threshold: block"))
            problems += advice_problems(content, question, at + ("advice",), flag.advice,
                                        f"the red flag '{flag.id}'")
    return problems


def count_gate_problems(content: Content, record: Record, path: tuple, gates: list[str]) -> list[Problem]:
    """Each fact advice names under `count:` exists and is a threshold, or reports a range of counts."""
    problems = []
    for i, fact_id in enumerate(gates):
        fact = content.facts.get(fact_id)
        if fact is None:
            problems += content.unknown(record, path + (i,), "facts", fact_id)
        elif fact.threshold is None and reported_quantity(fact, units(content)) is None:
            problems.append(content.problem(
                record, *path, i, message=f"fact '{fact_id}' is neither a threshold nor a range of counts",
                hint="name a threshold fact the count must meet, or a fact whose measure gives low, high and a unit"))
    return problems


def advice_problems(content: Content, record: Record, path: tuple, groups: list[Advice], shown_by: str) -> list[Problem]:
    """Each advice group: its facts exist, say whom they apply to, and cover the answers it is shown for."""
    problems = []
    for g, group in enumerate(groups):
        at = path + (g,)
        problems += contexts_problems(content, record, at + ("contexts",), group.contexts)
        problems += count_gate_problems(content, record, at + ("count",), group.count)
        problems += contexts_problems(content, record, at + ("quoted_for",), group.quoted_for)
        for question, answers in group.quoted_for.items():
            problems += [content.problem(record, *at, "quoted_for", question, i,
                                         message=f"'{answer}' is both advice and quoted for '{question}'",
                                         hint="quoted_for is for answers its facts' populations do not cover: "
                                              "remove it from one of the two")
                         for i, answer in enumerate(answers) if answer in group.contexts.get(question, [])]
        for f, fact_id in enumerate(group.facts):
            if fact_id not in content.facts:
                problems += content.unknown(record, at + ("facts", f), "facts", fact_id)
                continue
            problems += [content.problem(record, *at, *(where or ("facts", f)), message=message, hint=hint)
                         for where, message, hint in population_misfits(content, fact_id, group.contexts, shown_by,
                                                                         group.count)]
    return problems


def population_misfits(content: Content, fact_id: str, contexts: Mapping[str, list[str]],
                       shown_by: str, counts: Sequence[str] = ()) -> list[tuple[tuple | None, str, str]]:
    """(where, message, hint) for each way advice shown for these answers (at the counts its `counts` gates allow)
    reaches readers the fact's population does not cover; `where` is the answer at fault inside `contexts` (None:
    the fact's own reference)."""
    fact = content.facts[fact_id]
    covered = fact.context.applies_to
    if covered is None:
        return [(None, f"fact '{fact_id}' is shown as advice by {shown_by}, but its context does not say whom it "
                 f"applies to ({':'.join(map(str, content.location(fact, 'context')))})",
                 "add 'applies_to:' under its context, e.g. {condition: [acute-leukaemia]}, or {} if it holds for every "
                 "reader")]
    found: list[tuple[tuple | None, str, str]] = []
    if missing := [g for g in fact.context.counts_covered() if g not in counts]:
        found.append((None, f"fact '{fact_id}' is about {fact.context.population.lower()} only at the counts "
                      f"{', '.join(missing)} allow (its applies_to's count), but this advice is shown at any count",
                      f"add count: [{', '.join(missing)}] to this advice, or show another fact"))
    for question, answers in fact.context.answers_covered().items():
        shown_for = contexts.get(question)
        if shown_for is None:
            found.append((None, f"fact '{fact_id}' is about {fact.context.population.lower()} ({question}: "
                          f"{', '.join(answers)}), but this advice is shown whatever the {question}",
                          f"add contexts: {{{question}: [{', '.join(answers)}]}} to this advice, or show another fact"))
        elif extra := [a for a in shown_for if a not in answers]:
            found.append((("contexts", question, shown_for.index(extra[0])), f"fact '{fact_id}' is about {fact.context.population.lower()} ({question}: "
                          f"{', '.join(answers)}), but this advice is also shown for {question}: {', '.join(extra)}",
                          f"narrow '{question}' to answers among {', '.join(answers)}, or show these readers "
                          f"another fact"))
    return found

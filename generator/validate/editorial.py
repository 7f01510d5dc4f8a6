"""Editorial checks: what a reference, a threshold note, a picture or a statement may claim.

Each rule here was written after a clinician-editor's review found the defect it names
(issue 13); each returns Problems located at the offending value, like every other check.
Two more such rules read English words (topic summaries against the glossary, glossary
names against each other) and live in tests/test_content_review.py instead: the benchmarks'
synthetic content turns words into a few dozen placeholders, which collide.
"""

from __future__ import annotations

import re

from ..content import Content
from ..model import Fact, advice_role
from ..problems import Problem
from ..wording import format_number


# ---------------------------------------------------------------- sources


GUESSABLE = ("container-title", "volume", "issue", "page", "DOI", "PMID")


def check_source_records(content: Content) -> list[Problem]:
    """A reference must never look more certain than it is. A record whose own title is not known
    cannot name its journal or pages: they would be guesses, and a guess must never render. A source
    that is neither one of the documents nor cited by one was added by the editors and must say why."""
    problems = []
    for source in content.sources.values():
        if source.title_is_descriptive:
            values = source.model_dump(by_alias=True)
            problems += [content.problem(source, field, message=f"a record whose title is descriptive cannot "
                                         f"name its {field}: it would be a guess shown as part of the reference",
                                         hint="leave it out; say in the appraisal what suggests it", key=True)
                         for field in GUESSABLE if values.get(field)]
        if not source.seed_document and not source.cited_by and not source.editors_addition:
            problems.append(content.problem(
                source, "id", message=f"source '{source.id}' is neither a source document nor cited by one: "
                                      f"say why the editors added it",
                hint="add 'editors_addition:' with a sentence such as 'a standard definition from outside the "
                     "source documents; its wording was not re-checked'"))
    return problems


# ---------------------------------------------------------------- threshold notes


# Words that say where a figure comes from or how it was read, not which side of the line a value falls.
PROVENANCE_WORDS = re.compile(r"recorded from|re-?checked|summary of the article|superscript|no source|traced|"
                              r"not verified|unverified|copied from|taken from", re.I)


def check_boundary_notes(content: Content) -> list[Problem]:
    """A boundary note tells the reader which side a value at the cut-off falls, and the site marks
    such a cut-off ambiguous (the quick-reference card, the calculators). A note on where a figure
    comes from is not one: it made the > 11 ×10⁹/L definition read as '(boundary ambiguous)'."""
    problems = []
    for fact in content.facts.values():
        note = fact.threshold.boundary_note if fact.threshold else None
        if note and (found := PROVENANCE_WORDS.search(note)):
            problems.append(content.problem(
                fact, "threshold", "boundary_note", text=found.group(0),
                message=f"this boundary note says where the figure comes from ('{found.group(0)}'), which is not "
                        f"about the boundary (whether a value exactly at the cut-off is in or out)",
                hint="move that part to 'provenance_note'; keep in 'boundary_note' only what makes the cut-off "
                     "ambiguous"))
    return problems


# ---------------------------------------------------------------- pictures: ticks on a bar


OUT_OF = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(?:of|out of|/)\s*(\d[\d,]*)\b")
COUNT_AND_PERCENT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*\(\s*(\d+(?:\.\d+)?)\s*%\s*\)")
PERCENT_SLACK = 5  # points: more than printing slips (truncation, a wrong digit), less than another denominator


def check_ticks_share_denominator(content: Content) -> list[Problem]:
    """A tick on a bar marks another count the source prints for the same group, out of the same
    denominator. A version counted out of another group (55 of 58 PLR patients) or implied by its
    percent to be (45, printed as 78%) cannot be drawn on a bar out of 105."""
    problems = []
    for fact in content.facts.values():
        denominator = fact.measure.denominator if fact.measure else None
        if denominator is None:
            continue
        for d, discrepancy in enumerate(fact.discrepancies):
            for v, version in enumerate(discrepancy.values):
                if version.count is not None and (other := _other_denominator(str(version.value), version.count,
                                                                             denominator)):
                    problems.append(content.problem(
                        fact, "discrepancies", d, "values", v, "count",
                        message=f"count {format_number(version.count)} is {other}, not out of {denominator}: "
                                f"it cannot be ticked on this fact's bar",
                        hint="leave 'count' out for a version about another group or interval, and say in the "
                             "discrepancy's summary how the two figures relate"))
    return problems


def _other_denominator(text: str, count: float, denominator: int) -> str | None:
    """How the printed version shows it counts out of something else, if it does."""
    for number, whole in OUT_OF.findall(text):
        if _number(number) == count and _number(whole) != denominator:
            return f"out of {whole} here"
    for number, percent in COUNT_AND_PERCENT.findall(text):
        if _number(number) == count and abs(100 * count / denominator - float(percent)) > PERCENT_SLACK:
            return f"printed as {percent}% (out of about {format_number(round(100 * count / float(percent)))})"
    return None


def _number(text: str) -> float:
    return float(text.replace(",", ""))


# ---------------------------------------------------------------- facts: tags and words for shares


NOT_RED_FLAGS = {"definition", "criterion", "mechanism", "statistic", "epidemiology"}


def check_red_flag_kinds(content: Content) -> list[Problem]:
    """A red flag is something to act on or not to miss; a definition or a study's rule is not one."""
    return [content.problem(fact, "tags", fact.tags.index("red-flag"),
                            message=f"a {fact.kind} fact cannot be a red flag",
                            hint="remove 'red-flag'; tag the warning or finding that asks for action instead")
            for fact in content.facts.values() if "red-flag" in fact.tags and fact.kind in NOT_RED_FLAGS]


def check_red_flag_advice_leads(content: Content) -> list[Problem]:
    """Background never leads a red flag: each advice group of a context answer's red flag holds something to do (a
    warning, management or monitoring fact), which every widget lists before the background it brings."""
    return [content.problem(question, "options", i, "red_flag", "advice", g, "facts",
                            message="this advice holds only background facts ("
                                    + ", ".join(f"'{f}' is a {content.facts[f].kind}" for f in group.facts) + ")",
                            hint="under a red flag, what to do comes first: add the warning or management fact this "
                                 "background goes with")
            for question in content.contexts.values() for i, option in enumerate(question.options) if option.red_flag
            for g, group in enumerate(option.red_flag.advice)
            if all(f in content.facts and advice_role(content.facts[f].kind) == "background" for f in group.facts)]


NUMBER_WORD = {w: i for i, w in enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                                           "nine", "ten"])}
FRACTION_WORD = {"half": 50, "a quarter": 25, "one quarter": 25, "three-quarters": 75, "three quarters": 75,
                 "a third": 100 / 3, "one third": 100 / 3, "two-thirds": 200 / 3, "two thirds": 200 / 3}
QUALIFIER = {"about": "near", "around": "near", "roughly": "near", "approximately": "near",
             "nearly": "below", "almost": "below", "just under": "below", "slightly fewer than": "below",
             "slightly less than": "below", "fewer than": "below", "less than": "below", "under": "below",
             "just over": "above", "slightly more than": "above", "more than": "above", "over": "above"}
_NUMBER = "|".join(list(NUMBER_WORD) + [r"\d+"])
SHARE = re.compile(
    rf"\b(?:(?P<q>{'|'.join(sorted(QUALIFIER, key=len, reverse=True))})\s+)?"
    rf"(?:(?P<f>{'|'.join(sorted(FRACTION_WORD, key=len, reverse=True))})"
    rf"|(?P<n>{_NUMBER})\s+(?:patients?\s+|cases?\s+)?in\s+(?P<m>{_NUMBER}))\b", re.I)
WORD_SLACK = {"near": 2, "exact": 1, "range": 10}  # points between the words and the printed percent


def check_verbal_shares(content: Content) -> list[Problem]:
    """'Around three-quarters' for 78%: a share put into words must say what the source's percent
    says. 'About' or 'around' allows two points, a bare 'half' one; 'nearly' and 'just over' must lie
    on their side, within ten."""
    problems = []
    for fact in content.facts.values():
        percent = _printed_share(fact)
        if percent is None:
            continue
        for m in SHARE.finditer(fact.statement):
            share = _share(m)
            if share is not None and not _fits(QUALIFIER.get((m.group("q") or "").lower(), "exact"), share, percent):
                problems.append(content.problem(
                    fact, "statement", text=m.group(0),
                    message=f"'{m.group(0)}' does not fit the {format_number(percent)}% the measure gives",
                    hint="choose words that match the percent (78% is 'nearly four in five', "
                         "'more than three-quarters'), or give the percent itself"))
    return problems


def _printed_share(fact: Fact) -> float | None:
    m = fact.measure
    if m is None:
        return None
    if m.reported_percent is not None:
        return m.reported_percent
    if m.n is not None and m.denominator:
        return 100 * m.n / m.denominator
    return None


def _share(m: re.Match) -> float | None:
    if m.group("f"):
        return FRACTION_WORD[m.group("f").lower()]
    n, of = (NUMBER_WORD.get(x.lower()) if not x.isdigit() else int(x) for x in (m.group("n"), m.group("m")))
    return 100 * n / of if n is not None and of and n < of else None


def _fits(qualifier: str, share: float, percent: float) -> bool:
    if qualifier == "below":
        return share - WORD_SLACK["range"] <= percent < share
    if qualifier == "above":
        return share < percent <= share + WORD_SLACK["range"]
    return abs(percent - share) <= WORD_SLACK[qualifier]


CHECKS = [check_source_records, check_boundary_notes, check_ticks_share_denominator, check_red_flag_kinds,
          check_verbal_shares, check_red_flag_advice_leads]


def check_editorial(content: Content) -> list[Problem]:
    return [problem for check in CHECKS for problem in check(content)]

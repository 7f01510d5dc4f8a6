"""Editorial checks: what a reference, a threshold note, a picture or a statement may claim.

Each rule here was written after a clinician-editor's review found the defect it names
(issue 13); each returns Problems located at the offending value, like every other check.
Two more such rules read English words (topic summaries against the glossary, glossary
names against each other) and live in tests/test_content_review.py instead: the benchmarks'
synthetic content turns words into a few dozen placeholders, which collide.
"""

from __future__ import annotations

import re

from .content import Content
from .problems import Problem
from .units import format_number


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


CHECKS = [check_source_records, check_boundary_notes, check_ticks_share_denominator]


def check_editorial(content: Content) -> list[Problem]:
    return [problem for check in CHECKS for problem in check(content)]

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


CHECKS = [check_source_records, check_boundary_notes]


def check_editorial(content: Content) -> list[Problem]:
    return [problem for check in CHECKS for problem in check(content)]

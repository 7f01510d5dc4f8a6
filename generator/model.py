"""Typed records for everything in content/.

The models are the single source of truth for the content format: the loader
validates YAML against them, the JSON Schemas for editors are generated from
them, and the renderer trusts them once validated.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Comparator = Literal[">", ">=", "<", "<=", "range"]


class Record(BaseModel):
    """Base for every content record: unknown keys are errors, and each record
    remembers where it came from so later checks can point at file:line."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False)
    _origin: tuple[str, tuple] = PrivateAttr(default=("", ()))


# ---------------------------------------------------------------- sources


class Name(Record):
    family: Text | None = None
    given: Text | None = None
    literal: Text | None = Field(None, description="An organisation or a name that cannot be split.")


class DateParts(Record):
    date_parts: list[list[int]] = Field(alias="date-parts", min_length=1)


SourceStrength = Literal["very-low", "low", "moderate", "high"]


class Appraisal(Record):
    document_type: Text = Field(description="What kind of document this is, in plain words.")
    design: Text | None = Field(None, description="Study design, if it is a study.")
    n: int | None = Field(None, ge=0, description="Number of patients, if it is a study.")
    strength: SourceStrength = Field(description="How much weight this source can bear.")
    problems: list[Text] = Field(default_factory=list, description="Known problems with this source.")
    summary: Text


CslField = Literal[
    "author", "title", "container-title", "issued", "volume", "issue", "page",
    "DOI", "PMID", "URL", "publisher", "accessed", "type",
]


class Source(Record):
    """A bibliographic record; field names follow CSL-JSON so exports paste in."""

    id: Id
    type: Literal["article-journal", "post-weblog", "webpage", "report", "book", "chapter"]
    title: Text
    author: list[Name] = Field(default_factory=list)
    container_title: Text | None = Field(None, alias="container-title")
    issued: DateParts | None = None
    volume: Text | None = None
    issue: Text | None = None
    page: Text | None = None
    DOI: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    PMID: Annotated[str, StringConstraints(pattern=r"^\d{1,9}$")] | None = None
    URL: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    publisher: Text | None = None
    accessed: DateParts | None = None
    unconfirmed: list[CslField] = Field(
        default_factory=list, description="Fields we could not verify against the publication itself."
    )
    short_title: Text = Field(description="How the site names this source in running text.")
    seed_document: Text | None = Field(None, description="The source document file this record describes, if any.")
    cited_by: list[Id] = Field(default_factory=list, description="Sources that cite this one.")
    appraisal: Appraisal


# ---------------------------------------------------------------- facts


class Citation(Record):
    source: Id
    locator: Text = Field(description="Where in the source: 'Table II', 'Methods', 'Results, paragraph 2'.")


class Context(Record):
    population: Text
    setting: Text | None = None
    design: Text | None = None
    n: int | None = Field(None, ge=0)


class Measure(Record):
    """Numbers as data. Counts carry n and denominator; the reported percent is
    kept as printed and recomputed by the validator."""

    n: float | None = Field(None, ge=0)
    denominator: int | None = Field(None, gt=0)
    reported_percent: float | None = Field(None, ge=0, le=100)
    percent_low: float | None = Field(None, ge=0, le=100)
    percent_high: float | None = Field(None, ge=0, le=100)
    statistic: Literal["count", "proportion", "mean", "median", "range", "maximum"] | None = None
    comparator: Comparator | None = None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: Text | None = None
    criterion: Text | None = None


class Threshold(Record):
    quantity: Literal["wbc", "neutrophil-percent", "lymphocyte-percent", "monocyte-percent", "days"]
    comparator: Comparator
    value: float = Field(ge=0)
    unit: Text
    defines: Text = Field(description="What a value beyond the threshold is called by this source.")
    as_stated: Text = Field(description="The threshold exactly as the source prints it.")
    boundary_note: Text | None = Field(None, description="Where the source is ambiguous about > versus >=.")


class Dose(Record):
    drug: Text
    low: float = Field(gt=0)
    high: float | None = Field(None, gt=0)
    unit: Text
    frequency: Text
    as_stated: Text


class DiscrepantValue(Record):
    value: str | float
    locator: Text


class Discrepancy(Record):
    id: Id
    summary: Text
    values: list[DiscrepantValue] = Field(min_length=2)


FactKind = Literal[
    "definition", "threshold", "epidemiology", "statistic", "outcome", "criterion",
    "distinguishing-feature", "imaging", "management", "monitoring", "mechanism",
    "warning", "observation",
]


class Fact(Record):
    id: Id
    kind: FactKind
    statement: Text
    context: Context
    cite: list[Citation] = Field(min_length=1)
    measure: Measure | None = None
    threshold: Threshold | None = None
    dose: Dose | None = None
    discrepancies: list[Discrepancy] = Field(default_factory=list)
    tags: list[Id] = Field(default_factory=list, description="e.g. red-flag")


# ---------------------------------------------------------------- topics and glossary


class Review(Record):
    last_reviewed: dt.date
    reviewed_by: Text


class Section(Record):
    heading: Text
    intro: Text | None = None
    layout: Literal["list", "table"] = "list"
    facts: list[Id] = Field(min_length=1)


class Topic(Record):
    id: Id
    title: Text
    summary: Text
    order: int = Field(ge=0)
    synonyms: list[Text] = Field(default_factory=list, description="Other names readers search for.")
    review: Review
    sections: list[Section] = Field(min_length=1)


class GlossaryEntry(Record):
    id: Id
    term: Text
    expansion: Text
    synonyms: list[Text] = Field(default_factory=list)
    misspellings: list[Text] = Field(default_factory=list)
    topic: Id | None = None


# Which model each content folder holds, and whether a file holds one record or a list.
KINDS: dict[str, tuple[type[Record], bool]] = {
    "sources": (Source, True),
    "facts": (Fact, True),
    "topics": (Topic, False),
    "glossary": (GlossaryEntry, True),
}

"""Typed records for everything in content/.

The models are the single source of truth for the content format: the loader
validates YAML against them, the JSON Schemas for editors are generated from
them, and the renderer trusts them once validated.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import typing
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Comparator = Literal[">", ">=", "<", "<=", "range"]

PROSE = "prose"
"""Marks the text fields that may carry inline citations ([@source-id] or
[@source-id, locator]); the validator checks them and the renderer links them."""
Prose = Annotated[Text, Field(json_schema_extra={PROSE: True}), PROSE]


def _matches(pattern: str, what: str, example: str):
    """A check for an identifier's syntax, with a message that shows a good value."""
    def check(value: str) -> str:
        if not re.fullmatch(pattern, value):
            raise PydanticCustomError("identifier", f"not a valid {what}; write it like {example}")
        return value
    return AfterValidator(check)


Doi = Annotated[str, _matches(r"10\.\d{4,9}/\S+", "DOI", "'10.1002/cncr.24480' (no 'https://doi.org/' or 'doi:')")]
Pmid = Annotated[str, _matches(r"[1-9]\d{0,8}", "PubMed id (PMID)", "'19551882' (digits only, in quotes)")]
Url = Annotated[str, _matches(r"https?://[^\s/]+\.[^\s/]+(/\S*)?", "web address", "'https://example.org/page'")]


class Record(BaseModel):
    """Base for every content record: unknown keys are errors. Where each record came from (for
    problems at file:line) is kept beside the records, by Content, not in them."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False, allow_inf_nan=False)

    def texts(self, base: tuple = ()) -> list[tuple[tuple, str, bool]]:
        """(path, text, is_prose) for every string in this record and the records inside it."""
        found: list[tuple[tuple, str, bool]] = []
        _collect_texts(self, base, found)
        return found


def _collect_texts(record: Record, base: tuple, found: list[tuple[tuple, str, bool]]) -> None:
    # One list filled by plain recursion rather than nested generators: every text in the content
    # (266,000 at 100×) is gathered this way, 0.27 → 0.19 s.
    for name, key, prose in _text_fields(type(record)):
        value = getattr(record, name)
        if isinstance(value, str):
            found.append((base + (key,), value, prose))
        elif isinstance(value, Record):
            _collect_texts(value, base + (key,), found)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    found.append((base + (key, i), item, prose))
                elif isinstance(item, Record):
                    _collect_texts(item, base + (key, i), found)


@functools.cache
def _text_fields(model: type[Record]) -> list[tuple[str, str, bool]]:
    """(field name, key in YAML, is prose) for each field of a model; once per model, as
    texts() runs for every record several times per check."""
    return [(name, info.alias or name, PROSE in info.metadata or _mentions(info.annotation, PROSE))
            for name, info in model.model_fields.items()]


def _mentions(annotation, marker) -> bool:
    """Whether marker appears in an annotation's Annotated metadata, at any depth."""
    return any(isinstance(arg, str) and arg == marker or _mentions(arg, marker) for arg in typing.get_args(annotation))


# ---------------------------------------------------------------- sources


class Name(Record):
    family: Text | None = None
    given: Text | None = Field(None, description="Given names or initials with full stops and spaces: 'J. M.'.")
    literal: Text | None = Field(None, description="An organisation or a name that cannot be split.")

    @model_validator(mode="after")
    def _complete(self):
        if not (self.family or self.literal):
            raise PydanticCustomError("name", "a name needs 'family' (a person) or 'literal' (an organisation)")
        if self.literal and (self.family or self.given):
            raise PydanticCustomError("name", "give either 'literal' or 'family'/'given', not both")
        if self.given and re.fullmatch(r"[A-Z]{2,}", self.given):
            # The formatter would read "JM" as one name and print the single initial "J".
            spaced = " ".join(f"{c}." for c in self.given)
            raise PydanticCustomError("name", f"given name '{self.given}' would print as one initial; "
                                              f"write initials with full stops and spaces: '{spaced}'")
        return self


class DateParts(Record):
    """A CSL date: one [year, month, day] list (month and day optional), or two for a range."""

    date_parts: list[list[int]] = Field(alias="date-parts", min_length=1, max_length=2)

    @model_validator(mode="after")
    def _real_dates(self):
        for parts in self.date_parts:
            if not 1 <= len(parts) <= 3:
                raise PydanticCustomError("date", "a date is [year], [year, month] or [year, month, day]")
            year, month, day = (parts + [1, 1])[:3]
            try:
                dt.date(year, month, day)
            except ValueError:
                raise PydanticCustomError("date", f"{parts} is not a real date; write [year, month, day]") from None
        return self


SourceStrength = Literal["very-low", "low", "moderate", "high"]


class Appraisal(Record):
    document_type: Text = Field(description="What kind of document this is, in plain words.")
    design: Text | None = Field(None, description="Study design, if it is a study.")
    n: int | None = Field(None, ge=0, description="Number of patients, if it is a study.")
    strength: SourceStrength = Field(description="How much weight this source can bear.")
    problems: list[Prose] = Field(default_factory=list, description="Known problems with this source.")
    summary: Prose


CslField = Literal[
    "author", "title", "container-title", "issued", "volume", "issue", "page",
    "DOI", "PMID", "URL", "publisher", "publisher-place", "accessed", "type",
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
    DOI: Doi | None = None
    PMID: Pmid | None = None
    URL: Url | None = None
    publisher: Text | None = None
    publisher_place: Text | None = Field(None, alias="publisher-place", description="City of the publisher (books, reports).")
    accessed: DateParts | None = None
    unconfirmed: list[CslField] = Field(
        default_factory=list, description="Fields we could not verify against the publication itself "
                                          "(or could not find at all).")
    title_is_descriptive: bool = Field(
        False, description="The title was written by the editors to describe the document, whose own title is not "
                           "known; every rendered reference and export marks it '[descriptive title]'.")
    short_title: Text = Field(description="How the site names this source in running text.")
    label: Annotated[str, StringConstraints(pattern=r"^[^\[\],;]{1,14}$", strip_whitespace=True)] = Field(
        description="Its citation marker, the same on every page: 'Cohort' prints [Cohort, Table II]. At most "
                    "14 characters, no brackets, commas or semicolons.")
    seed_document: Text | None = Field(None, description="The source document file this record describes, if any.")
    cited_by: list[Id] = Field(default_factory=list, description="Sources that cite this one.")
    editors_addition: Text | None = Field(
        None, description="For a source that is neither one of the documents the site is built on nor cited by one: "
                          "why the editors added it, in a sentence shown with its reference and beside every fact "
                          "resting on it (e.g. a standard definition whose wording was not re-checked).")
    appraisal: Appraisal


# ---------------------------------------------------------------- facts


class Citation(Record):
    source: Id
    locator: Text = Field(description="Where in the source: 'Table II', 'Methods', 'Results, paragraph 2'.")


# Readers' contexts a population covers: {question id: [option ids]}, e.g. {condition: [acute-leukaemia]}.
# A question left out means any answer; {} is every reader. Questions and options are declared in
# content/contexts/; the validator checks every id.
ContextsCovered = dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=30)], list[Id]]


COUNT = "count"  # in applies_to: the counts a population covers, by fact (not a question)


class Context(Record):
    population: Text
    applies_to: ContextsCovered | None = Field(
        None, description="Which readers' contexts this population covers, by question: {condition: [acute-leukaemia]}; "
                          "{} when it holds for every reader. Required on every fact a calculator or checklist shows "
                          "as advice; a red flag counts only for the answers its facts' applies_to cover. `count:` "
                          "names the counts it covers: threshold facts its counts met, or a fact reporting the range "
                          "of counts it saw; advice showing the fact must then name them under its own `count:`.")

    def answers_covered(self) -> dict[str, list[str]]:
        """applies_to's answers by question, without its counts."""
        return {q: a for q, a in (self.applies_to or {}).items() if q != COUNT}

    def counts_covered(self) -> list[str]:
        """The facts applies_to's counts name."""
        return list((self.applies_to or {}).get(COUNT, []))
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

    def recomputed_percent(self) -> float | None:
        """n out of denominator as a percent, to check against the printed one."""
        if self.n is None or self.denominator is None or self.reported_percent is None:
            return None
        return 100 * self.n / self.denominator


# ---------------------------------------------------------------- quantities and their units
#
# What the site measures is content too (content/quantities/): a reference on another lab value
# needs only another quantity. Each has one canonical unit; every other unit is a declared
# conversion to it, or (factor left out) a unit that is only ever shown, never converted.


class UnitSpec(Record):
    code: Text = Field(description="As written in data, UCUM-like: 10*9/L, /uL, %.")
    display: Text = Field(description="As the reader sees it: ×10⁹/L, /µL, %.")
    factor: float | None = Field(None, gt=0, description="Multiplies a value in this unit into the canonical unit; "
                                                          "left out: shown as written, never converted.")


class SearchForms(Record):
    unit: Text = Field(description="The unit the value is written in for these forms.")
    forms: list[Text] = Field(min_length=1, description="'{plain}' is the value's digits alone (100000), '{grouped}' "
                                                        "with thousands separators (100,000).")


class QuantitySpec(Record):
    id: Id
    name: Text = Field(description="What it is, as a heading: 'White-cell count'.")
    noun: Text = Field(description="What a typed value is called in messages: 'white count'.")
    canonical_unit: Text = Field(description="The unit thresholds are compared and drawn in; its factor is 1.")
    units: list[UnitSpec] = Field(min_length=1)
    also_shown_in: Text | None = Field(None, description="A second unit a threshold's text gives in brackets, so "
                                                         "that nobody converts at the bedside.")
    search_forms: list[SearchForms] = Field(default_factory=list,
                                            description="How people type a threshold of it, for search to find.")


class SiteSettings(Record):
    id: Id
    title: Text = Field(description="The home page's title.")
    summary: Text = Field(description="The home page's first sentence: what the site answers.")
    ladder_quantity: Id = Field(description="The quantity whose thresholds the threshold ladder draws.")
    ladder_title: Text = Field(description="The ladder's caption on the home page.")
    ladder_title_with_value: Text = Field(
        description="Its caption on a calculator page, where the reader's value is marked on it.")
    ladder_low: float = Field(gt=0, description="The ladder's log scale reaches at least this low (canonical unit)…")
    ladder_high: float = Field(gt=0, description="…and at least this high.")
    thresholds_heading: Text = Field(description="What the quick-reference card calls the ladder's thresholds.")
    ladder_value_heading: Text = Field(description="The ladder table's column of values, before its unit: e.g. 'Count'.")
    calculators_prompt: Text = Field(description="The home page's words before its links to the calculators: "
                                                 "e.g. 'Have a count?'.")
    editors_tag: Text = Field(
        "added by the editors from outside the source documents",
        description="The short mark beside a fact resting on a source the editors added (editors_addition), "
                    "wherever the fact is shown without its source's full note: in calculator and checklist results.")


class Threshold(Record):
    quantity: Id = Field(description="A quantity in content/quantities/.")
    comparator: Comparator
    value: float = Field(ge=0)
    unit: Text
    defines: Text = Field(description="What a value beyond the threshold is called by this source.")
    as_stated: Text = Field(description="The threshold exactly as the source prints it.")
    boundary_note: Prose | None = Field(None, description="Where the source is ambiguous about > versus >= (or "
                                                          "otherwise about which side a value at the cut-off falls).")
    provenance_note: Prose | None = Field(
        None, description="Where the figure comes from or how it was read, when that is not the boundary: e.g. "
                          "a definition recorded from a summary and not re-checked, or a printed unit repaired.")


class Dose(Record):
    drug: Text
    low: float = Field(gt=0)
    high: float | None = Field(None, gt=0)
    unit: Text
    frequency: Text
    as_stated: Text


class RecordedAs(Record):
    """The figures of one discrepant version that the fact's measure records as printed. The arithmetic check
    lets a mismatch pass only where the measure holds exactly these numbers: a non-whole count needs n; a percent
    that fits its count neither rounded nor truncated needs n, denominator and reported_percent."""

    n: float | None = Field(None, ge=0)
    denominator: int | None = Field(None, gt=0)
    reported_percent: float | None = Field(None, ge=0, le=100)

    @model_validator(mode="after")
    def _names_something(self):
        if self.n is None and self.denominator is None and self.reported_percent is None:
            raise PydanticCustomError("recorded_as", "name the measure's figures this version prints: "
                                                     "n, denominator, reported_percent")
        return self

    def named(self) -> dict[str, float]:
        """{measure field: value} for each figure it names."""
        return {name: value for name in MEASURE_CHECKED if (value := getattr(self, name)) is not None}


MEASURE_CHECKED = ("n", "denominator", "reported_percent")
"""The measure's fields the arithmetic check reads, which a discrepant version may name in recorded_as."""


class DiscrepantValue(Record):
    value: str | float
    locator: Text
    count: float | None = Field(
        None, ge=0, description="The count this version prints for the fact's group, as a number, so a picture can "
                                "mark it; must appear in 'value'.")
    recorded_as: RecordedAs | None = Field(
        None, description="This version is the one the fact's measure records: its n, denominator and "
                          "reported_percent as the measure holds them. Only then may the measure's arithmetic "
                          "disagree (a percent that fits its count neither rounded nor truncated, a count that is "
                          "not whole), and only while the measure holds exactly these numbers.")


class Discrepancy(Record):
    id: Id
    summary: Prose
    values: list[DiscrepantValue] = Field(min_length=2)


FactKind = Literal[
    "definition", "threshold", "epidemiology", "statistic", "outcome", "criterion",
    "distinguishing-feature", "imaging", "management", "monitoring", "mechanism",
    "warning", "observation",
]

# Where a calculator or checklist result shows a fact, by its kind: what to do (a warning first, then
# management), or background. The kind is the editor's word for it, so no other field says it.
AdviceRole = Literal["warning", "management", "background"]
ADVICE_ROLES: tuple[AdviceRole, ...] = get_args(AdviceRole)  # in the order a result lists them
TO_DO_KINDS: dict[str, AdviceRole] = {"warning": "warning", "management": "management", "monitoring": "management"}


def advice_role(kind: str) -> AdviceRole:
    """How a result shows a fact of this kind: 'warning' and 'management' are what the sources say to do
    (warnings first), anything else is background."""
    return TO_DO_KINDS.get(kind, "background")


class Fact(Record):
    id: Id
    kind: FactKind = Field(description=(
        "What the statement is. It also decides where a calculator or checklist result shows it: 'warning' "
        "(first) and 'management' or 'monitoring' under what the sources say to do; every other kind under "
        "'Background'. A warning, management or monitoring fact resting only on weak sources says who says it "
        "('The post says…')."))
    statement: Prose
    context: Context
    cite: list[Citation] = Field(min_length=1)
    measure: Measure | None = None
    threshold: Threshold | None = None
    dose: Dose | None = None
    discrepancies: list[Discrepancy] = Field(default_factory=list)
    tags: list[Id] = Field(default_factory=list, description="e.g. red-flag")

    def required_threshold(self) -> Threshold:
        """Its threshold, where only a threshold fact can be meant (validation has checked that it has one)."""
        if self.threshold is None:
            raise ValueError(f"fact '{self.id}' has no threshold block")
        return self.threshold

    def required_measure(self) -> Measure:
        """Its measure, where only a fact with numbers can be meant (validation has checked that it has one)."""
        if self.measure is None:
            raise ValueError(f"fact '{self.id}' has no measure block")
        return self.measure


# ---------------------------------------------------------------- topics and glossary


class Review(Record):
    last_reviewed: dt.date
    reviewed_by: Text


class Bar(Record):
    fact: Id = Field(description="A fact whose measure has n and denominator.")
    label: Text | None = Field(None, description="Short name for the bar; the measure's criterion if left out.")


class Figure(Record):
    """A picture drawn at build time from facts, so it can never disagree with them."""

    kind: Literal["threshold-ladder", "bars"] = Field(
        description="threshold-ladder: every white-count threshold in content on one scale; "
                    "bars: one bar per fact, each a count out of the same denominator.")
    title: Text
    bars: list[Bar] = Field(default_factory=list, description="For kind 'bars', in the order drawn.")
    notes: list[Id] = Field(default_factory=list, description="Facts whose caveats apply to the whole picture.")


class Section(Record):
    heading: Text
    intro: Prose | None = None
    layout: Literal["list", "table"] = "list"
    figures: list[Figure] = Field(default_factory=list, description="Pictures shown after the intro.")
    facts: list[Id] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_something_to_show(self):
        if not self.facts and not self.figures:
            raise ValueError("a section needs 'facts' or 'figures'")
        return self


class Topic(Record):
    id: Id
    title: Text
    summary: Prose
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


# ---------------------------------------------------------------- readers' contexts
#
# The questions a calculator or checklist asks about the patient before it shows any advice (the
# underlying condition, leukostasis symptoms). A fact's population names the answers it covers
# (context.applies_to); a widget's advice names the answers it is shown for (contexts:), and the
# validator checks the second fits inside the first. "Not known" is always an answer, and the default.

UNKNOWN = "unknown"


# Advice shown by widgets, and the context answers that are red flags.


class Advice(Record):
    """Facts a calculator or checklist shows as advice, and the readers' contexts it is shown for as
    advice. Elsewhere it is hidden; where the reader's context is not known it reads as what one
    source says about its population, never as an instruction."""

    facts: list[Id] = Field(min_length=1)
    contexts: ContextsCovered = Field(
        default_factory=dict, description="Answers it is advice for, by question: {condition: [acute-leukaemia]}; "
                                          "{} (or left out) for every reader. Each fact's population must cover them.")
    quoted_for: ContextsCovered = Field(default_factory=dict, description=(
        "Answers outside its facts' populations for which it is still shown, but only as what its source says about "
        "its own population, never as an instruction: {condition: [chronic-leukaemia]} for an AML source."))
    count: list[Id] = Field(default_factory=list, description=(
        "Facts the count must fit for this advice to show: a threshold fact it must meet (below it the advice is "
        "hidden), or a fact reporting a range of counts (low and high) it must lie within (outside it the page "
        "says the count is outside the counts that study reported). With no count, it reads as what its source "
        "says."))


class RedFlag(Record):
    """A context answer that is a red flag, and what the sources say to do about it. Both widgets raise it
    through generator/advice.py, so for the same patient they agree."""

    id: Id = Field(description="Also the id of the checklist item that asks the same thing, if there is one.")
    label: Text = Field(description="The red flag as the reader sees it.")
    needs_count: Id | None = Field(None, description=(
        "A threshold fact: the answer is a red flag only with a count that meets it (no count, no red flag)."))
    from_count: Id | None = Field(None, description=(
        "A threshold fact: the answer is a red flag unless the count is known and does not meet it."))
    advice: list[Advice] = Field(default_factory=list, description="What its sources say to do, by population.")


class ContextOption(Record):
    id: Id
    label: Text = Field(description="The answer as the reader sees it.")
    short: Text | None = Field(None, description="A few words for tight places: 'solid tumour'.")
    named_by: list[Text] = Field(
        default_factory=list,
        description="The words that name this answer in a fact's population text ('acute myeloid leukaemia', "
                    "'AML'), matched whole-word and case-blind, the longest first; a phrase may name several answers "
                    "('leukaemia': acute and chronic). `refsite check` refuses a fact whose population names an "
                    "answer its applies_to leaves out. An answer no population names (e.g. 'absent') may have none.")
    red_flag: RedFlag | None = Field(None, description=(
        "This answer is a red flag (at the counts given): every widget that asks it raises the same red flag, "
        "with the same advice."))


class ContextQuestion(Record):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=30)] = Field(
        description="Also the answer's name in the page address, so keep it short.")
    label: Text = Field(description="The question as the reader sees it.")
    hint: Text | None = Field(None, description="One short line of help under the question.")
    options: list[ContextOption] = Field(min_length=1, description="Every answer but 'not known', which is implied.")
    unknown_label: Text = Field("Not known", description="How the default answer, 'not known', reads.")
    order: int = Field(ge=0)


# Least to most severe: a band's severity never falls below the band under it, in any context (validated).
Severity = Literal["info", "caution", "warning", "danger"]
SEVERITY_ORDER: tuple[Severity, ...] = get_args(Severity)


class SeverityRule(Record):
    contexts: ContextsCovered = Field(description="Answers this severity is for; 'unknown' may be named here.")
    severity: Severity


# ---------------------------------------------------------------- calculators
#
# A calculator is data: its inputs, the threshold facts it checks a value
# against, the bands it places a value in, and test cases. The numbers live in
# the facts it references; the only numbers a calculator file holds itself are
# input-sanity bounds (to catch typing and unit mix-ups) and its test cases.

InputType = Literal["measurement", "percent", "days", "date", "yes-no"]
Quantity = Id
# An input's id, which is also its URL parameter: lower case, digits and underscores.
FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=30)]


class InputSanityBounds(Record):
    """Bounds that only catch typing and unit mix-ups. They are NOT clinical
    thresholds and are never shown to the reader as one."""

    unit: Text = Field(description="Unit the bounds are written in, e.g. 10*9/L or days.")
    reject_below: float | None = Field(None, gt=0, description="Lower values are queried as a likely unit mix-up.")
    warn_below: float | None = Field(None, gt=0, description="Lower values are shown, with a prompt to check the unit.")
    warn_above: float | None = Field(None, gt=0, description="Higher values are shown, with a prompt to check the unit.")
    reject_above: float | None = Field(None, gt=0, description="Higher values are queried as a likely unit mix-up.")


class DaysBetween(Record):
    start: FieldName = Field(description="Date input the days are counted from.")
    end: FieldName = Field(description="Date input the days are counted to.")


class CalculatorInput(Record):
    id: FieldName
    label: Text
    hint: Text | None = Field(None, description="One short line of help under the field.")
    type: InputType
    quantity: Quantity | None = Field(None, description="What the value is compared with in threshold facts.")
    units: list[Text] = Field(default_factory=list, description="Cell-count units offered, first is the default.")
    required: bool = False
    percent_of: FieldName | None = Field(None, description="For a percentage: the measurement input it is a share of.")
    default: Literal["today"] | None = Field(None, description="For a date: filled in when the page opens.")
    or_days_between: DaysBetween | None = Field(None, description="For days: worked out from two dates when left empty.")
    input_sanity_bounds: InputSanityBounds | None = None


class CalculatorCheck(Record):
    fact: Id = Field(description="A fact with a threshold block; the value is checked against it.")
    when_met: list[Advice] = Field(default_factory=list, description="Advice to show when the value meets the threshold.")


class Band(Record):
    id: Id
    label: Text
    short_label: Annotated[str, StringConstraints(min_length=1, max_length=18, strip_whitespace=True)] = Field(
        description="Fits on the scale picture: at most 18 characters.")
    severity: Severity = Field(description="Severity when no rule under 'severity_by_context' matches.")
    severity_by_context: list[SeverityRule] = Field(
        default_factory=list, description="Severities that depend on the reader's context; the first match wins.")
    lower: Id | None = Field(None, description="Threshold fact where the band starts; none for the first band.")
    upper: Id | None = Field(None, description="Threshold fact where the band ends; none for the last band.")
    facts: list[Advice] = Field(default_factory=list, description="Advice shown whenever the value is in this band.")


class Scale(Record):
    input: FieldName = Field(description="The input whose value the bands place.")
    bands: list[Band] = Field(min_length=2)
    severity_rises: bool = Field(False, description=(
        "True where a higher value is never less worrying (a white count): then `refsite check` refuses any band "
        "whose severity, in any patient context, is below the band under it. Leave false for a scale where both ends "
        "are of concern, or one that is not a count (days since a dose)."))


class FlagMessage(Record):
    contexts: ContextsCovered = Field(description="Answers these words are for; 'unknown' may be named here.")
    message: Text


class Flag(Record):
    id: Id
    input: FieldName = Field(description="A yes-no input.")
    equals: Literal["yes", "no"]
    severity: Severity
    message: Text = Field(description="What it says when no rule under 'message_by_context' matches.")
    message_by_context: list[FlagMessage] = Field(
        default_factory=list, description="Other words for some readers (the first rule the reader's answers match): "
                                          "a flag must read right for every patient it can be raised for.")
    facts: list[Advice] = Field(min_length=1)


ErrorCode = Literal[
    "not-a-number", "negative", "zero", "decimal-comma", "thousands-separator", "exponent", "too-long",
    "too-large", "implausible-low", "implausible-high", "percent-over-100", "percent-sum-over-100",
    "not-whole-days", "too-many-days", "bad-date", "dose-after-count",
]
WarningCode = Literal["unusually-low", "unusually-high"]


class CaseExpectation(Record):
    state: Literal["empty", "error", "ok"] | None = None
    band: Id | None = None
    met: list[Id] | None = Field(None, description="Exactly the checks met, by fact id.")
    boundary: list[Id] | None = Field(None, description="Exactly the checks the value sits on the boundary of.")
    flags: list[Id] | None = None
    flag_says: list[Text] | None = Field(None, description="Words the raised flags' messages must hold.")
    flag_does_not_say: list[Text] | None = Field(None, description="Words no raised flag's message may hold.")
    error: ErrorCode | None = None
    warning: WarningCode | None = None
    fix: dict[str, str] | None = Field(None, description="The first one-tap fix offered: {field: value}.")
    days: int | None = Field(None, description="Days used, for a window worked out from dates.")
    severity: Severity | None = Field(None, description="The band's severity in this case's context.")
    advice: list[Id] | None = Field(None, description="Exactly the facts shown as advice, by id.")
    conditional: list[Id] | None = Field(
        None, description="Exactly the facts shown as what a source says about its population (context not known).")
    to_do: list[Id] | None = Field(
        None, description="Exactly the facts under 'What the sources say to do', in the order shown: warnings first, "
                          "then management and monitoring (by each fact's kind).")
    background: list[Id] | None = Field(
        None, description="Exactly the facts under 'Background' (every other kind), in the order shown.")
    outside: list[Id] | None = Field(
        None, description="Exactly the facts held back because the count is outside the counts their study reported.")
    red_flags: list[Id] | None = Field(None, description="Exactly the red flags raised (content/contexts/), by id.")
    absolute: dict[str, float] | None = Field(None, description="Absolute counts (×10⁹/L) by percentage input.")


class CalculatorCase(Record):
    name: Text
    inputs: dict[str, str | int | float] = Field(
        description="As typed; a unit choice is '<input>_unit'; a context answer is '<question id>'.")
    expect: CaseExpectation


class Calculator(Record):
    id: Id
    title: Text
    summary: Text
    order: int = Field(ge=0)
    inputs: list[CalculatorInput] = Field(min_length=1)
    checks: list[CalculatorCheck] = Field(default_factory=list)
    scale: Scale | None = None
    flags: list[Flag] = Field(default_factory=list)
    cases: list[CalculatorCase] = Field(min_length=1)


# ---------------------------------------------------------------- checklists
#
# A checklist is data as well: it asks the patient's context (content/contexts/) and white count,
# then items a clinician answers (red flags present or absent, causes present or excluded, features
# present or absent), each resting on facts (and so on their citations and their sources'
# appraisals). Its own words carry no numbers: a cut-off reaches the reader from a threshold fact.
# What a red flag's sources say to do is advice, gated by the reader's context like a calculator's.
# Test cases state what the summary must say.


class ChecklistItem(Record):
    id: Id = Field(description="Also the item's name in the page address, so keep it short.")
    label: Text = Field(description="Short name: the question's legend and the summary's wording.")
    criterion: Text = Field(description="What counts, in plain words.")
    how_to_assess: Text
    facts: list[Id] = Field(min_length=1, description="Facts the item rests on; their sources are its citations.")
    thresholds: list[Id] = Field(default_factory=list,
                                 description="Threshold facts whose cut-offs the item uses; shown beside the label.")
    contexts: ContextsCovered | None = Field(
        None, description="Red flags only: the answers for which it counts as a red flag; its facts' populations "
                          "must cover each of them.")
    advice: list[Advice] = Field(default_factory=list,
                                 description="Red flags only: what the sources say to do when it is present.")
    cohort_rule: bool = Field(False, description="Causes only: one of the bone-tumour cohort's own rules.")
    points_away_when: Literal["present", "absent"] | None = Field(
        None, description="Features only: the answer that points away from a leukemoid reaction.")


class ChecklistGroup(Record):
    heading: Text
    intro: Text | None = None
    items: list[ChecklistItem] = Field(min_length=1)


class CauseGroup(ChecklistGroup):
    contexts: ContextsCovered | None = Field(
        None, description="The answers for which the causes are worked through (left out: every answer). For any "
                          "other known answer (a patient the causes' sources are not about) the summary does not list "
                          "them as still to exclude; the answers given are kept.")


class FeatureGroup(ChecklistGroup):
    bears_on: Id = Field(description="The cause (by id) these features help to tell apart.")
    warning: Text = Field(description="Heads the summary's list of features pointing away.")
    favouring: Text = Field(description="Heads the summary's list of features found present and consistent with a "
                                        "leukemoid reaction (a feature marked absent is never listed there).")


class ChecklistDefinition(Record):
    text: Text = Field(description="Shown only when nothing stands in the way: what a study did, never a diagnosis.")
    note: Text = Field(description="Shown with it: what the definition is and is not.")
    contexts: ContextsCovered = Field(description="The only answers for which it can be shown; its facts' "
                                                  "populations must cover them.")
    count_threshold: Id = Field(description="Threshold fact the white count must meet (the study's entry cut-off).")
    count: list[Id] = Field(default_factory=list, description=(
        "Facts reporting the range of counts the study saw: outside it the classification is not reached, and the "
        "summary says the count is outside the counts the study reported."))
    features_answered: list[Id] = Field(
        default_factory=list, description="Features (by id) that must be answered, present or absent, before it is "
                                          "shown; every red flag must also be answered absent. Silence is not absence.")
    facts: list[Id] = Field(min_length=1)


class ChecklistWording(Record):
    """What a clinician reads, as words each place must hold (each phrase exactly, anywhere in it)."""

    status: list[Text] = Field(default_factory=list, description="In the summary's status line.")
    short: list[Text] = Field(default_factory=list, description="In the short note ('Copy note').")
    full: list[Text] = Field(default_factory=list, description="In the full note ('Copy with references').")


class ChecklistExpectation(Record):
    """Lists name item ids in the order the checklist declares them; each given list must match exactly."""

    red_flags: list[Id] | None = Field(None, description="Red flags present, counted as red flags in this context.")
    red_flags_other: list[Id] | None = Field(
        None, description="Red flags present whose sources are about other populations than this context.")
    red_flags_absent: list[Id] | None = None
    red_flags_open: list[Id] | None = Field(None, description="Red flags not yet assessed.")
    causes_present: list[Id] | None = None
    causes_open: list[Id] | None = Field(None, description="Causes not yet assessed.")
    causes_excluded: list[Id] | None = None
    meets_definition: bool | None = None
    blockers: list[Literal["red-flag", "red-flag-open", "feature", "feature-open", "recheck", "cause-present",
                           "cause-open", "context", "count-missing", "count-below", "count-error",
                           "count-outside"]] | None = Field(
        None, description="What stands in the way of the study's definition, in the order shown.")
    cml_pattern: list[Id] | None = Field(None, description="Features pointing away from a leukemoid reaction.")
    features_favouring: list[Id] | None = Field(
        None, description="Features found present and consistent with a leukemoid reaction.")
    features_absent: list[Id] | None = Field(None, description="Features marked absent that do not point away.")
    features_open: list[Id] | None = Field(None, description="Features not assessed.")
    causes_collapsed: bool | None = Field(
        None, description="The causes are not listed as still to exclude: the patient is not one their sources are about.")
    recheck: list[Id] | None = Field(None, description="Causes marked excluded that the features argue against.")
    advice: list[Id] | None = Field(None, description="Exactly the facts shown as advice, by id.")
    conditional: list[Id] | None = Field(
        None, description="Exactly the facts shown as what a source says about its population (context not known).")
    ignored: list[Id] | None = Field(None, description="Items whose answer in the address was not understood.")
    says: ChecklistWording | None = Field(None, description="Words the status line and the copied notes must hold.")
    does_not_say: list[Text] | None = Field(
        None, description="Words neither the status line nor either copied note may hold.")


class ChecklistCase(Record):
    name: Text
    states: dict[str, str] = Field(default_factory=dict, description="As in the page address: item id -> 'present', "
                                   "'absent' or 'excluded'; a context question -> its answer; the count as typed.")
    expect: ChecklistExpectation


class ChecklistWords(Record):
    """The words that name what this checklist tells apart, so that none is written in code."""

    home_question: Text = Field(description="Heads its line on the home page: 'Working through the differential?'")
    home_covers: Text = Field(description="Follows its title there: what it covers.")
    card_causes: Text = Field(description="Heads its causes on the quick-reference card: 'Before calling it PLR, exclude'.")
    reached: Text = Field(description="The summary's status when the definition is reached.")
    blocked: Text = Field(description="…and when something stands in its way.")
    points_away: Text = Field(description="What a feature pointing away points away from: 'from a leukemoid reaction'.")
    blocker_feature: Text = Field(description="Why a feature pointing away blocks the definition.")
    blocker_recheck: Text = Field(description="Why the bearing cause marked excluded against the features blocks it.")
    blocker_feature_open: Text = Field(
        description="Why features the definition needs answered, left not assessed, block it; {items} names them.")


class Checklist(Record):
    id: Id
    title: Text
    summary: Text
    order: int = Field(ge=0)
    words: ChecklistWords
    count: CalculatorInput = Field(description="The white count, asked with the patient's context.")
    red_flags: ChecklistGroup
    causes: CauseGroup
    features: FeatureGroup
    definition: ChecklistDefinition
    cases: list[ChecklistCase] = Field(min_length=1)


# ---------------------------------------------------------------- editors' choices
#
# Wherever the site interprets rather than reports (a comparator a source left open, input-sanity
# bounds, a cause added to a list, a band's severity, a definition from outside the documents),
# the choice is listed, with its reason, on one page for a clinician reviewer to sign off.


class Place(Record):
    kind: Literal["facts", "sources", "topics", "glossary", "calculators", "checklists", "contexts"]
    id: Id


class EditorsChoice(Record):
    id: Id
    about: Literal["comparator", "reading", "input-bounds", "added-cause", "severity", "population", "definition",
                   "appraisal", "wording", "dose"] = Field(description="What kind of interpretation it is.")
    choice: Prose = Field(description="What the site does, in one or two sentences.")
    reason: Prose = Field(description="Why, and what else could have been done.")
    where: list[Place] = Field(min_length=1, description="The records the choice shows up in.")
    signed_off_by: Text | None = Field(None, description="The clinician reviewer who accepted it, once one has.")


# Which model each content folder holds, and whether a file holds one record or a list.
KINDS: dict[str, tuple[type[Record], bool]] = {
    "site": (SiteSettings, False),
    "quantities": (QuantitySpec, True),
    "contexts": (ContextQuestion, True),
    "sources": (Source, True),
    "facts": (Fact, True),
    "topics": (Topic, False),
    "glossary": (GlossaryEntry, True),
    "calculators": (Calculator, False),
    "checklists": (Checklist, False),
    "choices": (EditorsChoice, True),
}

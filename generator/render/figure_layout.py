"""Pictures drawn at build time: layout in plain Python, markup in templates.

Pure functions: facts in, positions and wrapped lines of text out. The SVG
templates (figure_ladder.md.j2, figure_bars.md.j2) only place what this
module computed, so a test can check any mark against the scale that drew it.
Coordinates are in the SVG's own units; the SVG is WIDTH wide and scales to
the column, so at phone width one unit is about one CSS pixel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from ..wording import format_number

WIDTH = 360

# ---------------------------------------------------------------- text

# Advance widths of Helvetica/Arial per 1000 units of font size (the page's
# font stack, and Liberation Sans on Linux, share these metrics). SVG text
# does not wrap, so lines are broken here; unknown characters count as wide.
_WIDTHS = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, *[556] * 10, 278, 278,
     584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667,
     778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556,
     278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500,
     334, 260, 334, 584],
))
_WIDTHS.update({"–": 556, "—": 1000, "≥": 584, "≤": 584, "×": 584, "µ": 556, "⁹": 333, "³": 333, "’": 222,
                "“": 333, "”": 333, "·": 278, "⚠": 1000, "¶": 537})
_UNKNOWN = 700
_BOLD = 1.1      # bold runs about a tenth wider
_SAFETY = 1.06   # phones use Roboto or SF, a little wider than Arial


def text_width(text: str, size: float, bold: bool = False) -> float:
    units = sum(_WIDTHS.get(ch, _UNKNOWN) for ch in text)
    return units / 1000 * size * (_BOLD if bold else 1) * _SAFETY


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Break text into lines no wider than width (a word longer than a line keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


@dataclass
class Text:
    """One line of SVG text. role names its CSS class (colour) and sets its size."""

    x: float
    y: float
    text: str
    role: str
    anchor: str = "start"
    fact: str = ""       # set on the line that carries a fact's number, so tests and scripts can find it

    @property
    def size(self) -> float:
        return SIZES[self.role]

    @property
    def bold(self) -> bool:
        return self.role in BOLD_ROLES


SIZES = {"value": 15, "label": 14, "count": 14, "body": 14, "context": 12.5, "warn": 12.5, "tick": 12, "rung": 13,
         "also": 12, "axis": 12.5}
BOLD_ROLES = {"value", "label", "count", "rung", "also"}


def line_height(role: str) -> float:
    return round(SIZES[role] * 1.25, 2)


@dataclass
class Block:
    """Lines stacked top-down from y = 0; move() shifts them into place."""

    lines: list[Text] = field(default_factory=list)
    height: float = 0

    def add(self, text: str, role: str, x: float, width: float, gap: float = 0, fact: str = "") -> None:
        self.height += gap
        for i, part in enumerate(wrap(text, width, SIZES[role], role in BOLD_ROLES)):
            self.height += line_height(role)
            self.lines.append(Text(x, round(self.height - 0.28 * SIZES[role], 2), part, role,
                                   fact=fact if i == 0 else ""))

    def move(self, dy: float) -> list[Text]:
        return [replace(t, y=round(t.y + dy, 2)) for t in self.lines]


# ---------------------------------------------------------------- the ladder's scale


@dataclass(frozen=True)
class StopScale:
    """A vertical log scale pinned at stops: (value, y) pairs, highest value at the top.

    Between two stops y is linear in log(value); each stretch is as tall as the
    labels beside it need, so every label sits level with its mark (a broken
    log axis). Values beyond the ends are clamped to them."""

    stops: tuple[tuple[float, float], ...]

    @property
    def high(self) -> float: return self.stops[0][0]

    @property
    def low(self) -> float: return self.stops[-1][0]

    @property
    def top(self) -> float: return self.stops[0][1]

    @property
    def bottom(self) -> float: return self.stops[-1][1]

    def y(self, value: float) -> float:
        value = min(max(value, self.low), self.high)
        for (upper, y_upper), (lower, y_lower) in zip(self.stops, self.stops[1:]):
            if lower <= value <= upper:
                fraction = math.log10(upper / value) / math.log10(upper / lower)
                return round(y_upper + fraction * (y_lower - y_upper), 2)
        raise AssertionError("unreachable: value was clamped into the stops")

    def ticks(self) -> list[float]:
        """1-2-5 steps inside the domain: the numbers a clinician reads off a log axis."""
        found = []
        for exponent in range(math.floor(math.log10(self.low)), math.ceil(math.log10(self.high)) + 1):
            for step in (1, 2, 5):
                value = step * 10 ** exponent
                if self.low <= value <= self.high:
                    found.append(value)
        return found


def decade_domain(values: list[float], low: float, high: float) -> tuple[float, float]:
    """The default domain, widened to whole decades if any value falls outside it."""
    values = [v for v in values if v > 0]   # validation refuses others; a log scale cannot hold them
    smallest, largest = min([low, *values]), max([high, *values])
    return 10.0 ** math.floor(math.log10(smallest)), 10.0 ** math.ceil(math.log10(largest))


# ---------------------------------------------------------------- threshold ladder

PER_DECADE = 64                      # least height for a tenfold step, where no label needs more
AXIS_X, TICK_X, LABEL_X = 50, 40, 74
LABEL_WIDTH = WIDTH - LABEL_X - 4
TOP, GAP, ENTRY_GAP = 34, 14, 10


@dataclass
class LadderEntry:
    """One threshold as the ladder shows it; value in ×10⁹/L."""

    fact_id: str
    value: float
    comparator: str      # as readers see it: >, ≥, <, ≤
    value_text: str      # "≥ 50 (50,000/µL)"
    numbers: str         # the page's source numbers: "[3]"
    defines: str
    population: str
    tags: str = ""


@dataclass
class LadderBand:
    """A range drawn along the axis (the reference range)."""

    fact_id: str
    low: float
    high: float
    value_text: str
    numbers: str
    defines: str
    population: str


@dataclass
class Rung:
    value: float
    y: float
    fact_ids: list[str]
    comparators: list[str]

    @property
    def disputed(self) -> bool:
        return disputed(self.comparators)


DIRECTION = {">": "above", "≥": "above", "<": "below", "≤": "below"}


def disputed(comparators: list[str]) -> bool:
    """Definitions at one value disagree about whether the value itself is included (> and ≥)."""
    return len({DIRECTION.get(c) for c in comparators}) == 1 and len(set(comparators)) > 1


@dataclass
class Ladder:
    axis_x = AXIS_X
    label_x = LABEL_X
    scale: StopScale
    height: float
    ticks: list[float]                             # y of each labelled value on the axis
    rungs: list[Rung]
    band: tuple[float, float] | None               # y of its top and bottom
    texts: list[Text]


def ladder_layout(entries: list[LadderEntry], band: LadderBand | None, axis_label: str,
                  reach: tuple[float, float]) -> Ladder:
    """Rungs at each threshold value, highest at the top, each with its labels level with it;
    axis_label names the quantity and its unit ('White count, ×10⁹/L'); the scale reaches at least
    from reach[0] to reach[1] (a normal value and the highest a reader may enter both fit)."""
    values = [e.value for e in entries] + ([band.low, band.high] if band else [])
    low, high = decade_domain(values, *reach)
    groups = _by_value(entries)
    labels = {value: _rung_block(value, group) for value, group in groups}
    if band:
        block = labels.setdefault(band.high, Block())
        _entry_block(band.fact_id, f"{band.value_text} {band.numbers}", band.defines, band.population, "", block,
                     GAP if block.lines else 0)
    scale = StopScale(_stops(sorted({high, low, *labels, *([band.low] if band else [])}, reverse=True), labels))
    rungs = [Rung(v, scale.y(v), [e.fact_id for e in g], [e.comparator for e in g]) for v, g in groups]
    axis = _axis_marks(scale, rungs)
    texts = [Text(4, 14, f"{axis_label} (uneven log scale)", "axis")]
    texts += [Text(TICK_X, round(y + 4, 2), format_number(value), role, anchor="end") for value, y, role in axis]
    bottom = scale.bottom
    for value, block in labels.items():
        top = round(scale.y(value) - _anchor_offset(), 2)
        texts += block.move(top)
        bottom = max(bottom, top + block.height)
    return Ladder(scale=scale, height=round(bottom + 12, 2), ticks=[y for _, y, _ in axis], rungs=rungs,
                  band=(scale.y(band.high), scale.y(band.low)) if band else None, texts=texts)


def _stops(values: list[float], labels: dict[float, Block]) -> tuple[tuple[float, float], ...]:
    """y for each stop: the stretch below a value is tall enough for its labels and
    for PER_DECADE, whichever is more; a label's first line is level with its value."""
    y = TOP + (_anchor_offset() if values[0] in labels else 0)
    stops = [(values[0], y)]
    for upper, lower in zip(values, values[1:]):
        need = labels[upper].height + GAP if upper in labels else 0
        y = round(y + max(need, PER_DECADE * math.log10(upper / lower)), 2)
        stops.append((lower, y))
    return tuple(stops)


def _axis_marks(scale: StopScale, rungs: list[Rung]) -> list[tuple[float, float, str]]:
    """(value, y, role) for the axis labels: every rung, and the 1-2-5 ticks that do not crowd one."""
    kept = [(r.value, r.y, "rung") for r in rungs]
    for value in scale.ticks():
        y = scale.y(value)
        if all(abs(y - other) >= 16 for _, other, _ in kept):
            kept.append((value, y, "tick"))
    return sorted(kept, key=lambda mark: mark[1])


def _by_value(entries: list[LadderEntry]) -> list[tuple[float, list[LadderEntry]]]:
    """Entries grouped by value, highest first (the top of the ladder)."""
    values = sorted({e.value for e in entries}, reverse=True)
    return [(v, [e for e in entries if e.value == v]) for v in values]


def _anchor_offset() -> float:
    """Distance from a block's top to the middle of its first line (the line level with its mark)."""
    return round(line_height("value") - 0.28 * SIZES["value"] - 0.35 * SIZES["value"], 2)


def _entry_block(fact_id: str, value_text: str, defines: str, population: str, tags: str, block: Block,
                 gap: float) -> Block:
    block.add(value_text, "value", LABEL_X, LABEL_WIDTH, gap, fact=fact_id)
    block.add(defines, "body", LABEL_X, LABEL_WIDTH)
    block.add(population, "context", LABEL_X, LABEL_WIDTH)
    if tags:
        block.add(tags, "warn", LABEL_X, LABEL_WIDTH)
    return block


def _rung_block(value: float, group: list[LadderEntry]) -> Block:
    block = Block()
    for i, entry in enumerate(group):
        _entry_block(entry.fact_id, f"{entry.value_text} {entry.numbers}", entry.defines, entry.population,
                     entry.tags, block, ENTRY_GAP if i else 0)
    comparators = [e.comparator for e in group]
    if disputed(comparators):
        shown = " or ".join(sorted(set(comparators)))
        block.add(f"⚠ Exactly {format_number(value)}: {shown} in different definitions", "warn",
                  LABEL_X, LABEL_WIDTH, ENTRY_GAP / 2)
    return block


# ---------------------------------------------------------------- bars (counts out of one denominator)

BAR_LEFT, BAR_RIGHT, BAR_HEIGHT, ROW_GAP = 4, WIDTH - 4, 18, 18


@dataclass(frozen=True)
class CountScale:
    """Horizontal: 0 at the left edge of the bar, the denominator at its right edge."""

    denominator: float
    left: float = BAR_LEFT
    right: float = BAR_RIGHT

    def x(self, count: float) -> float:
        return round(self.left + count / self.denominator * (self.right - self.left), 2)


@dataclass
class BarEntry:
    fact_id: str
    label: str
    n: float
    count_text: str
    also: list[float] = field(default_factory=list)   # other counts the source prints for this group
    warnings: list[str] = field(default_factory=list)


@dataclass
class BarRow:
    fact_id: str
    n: float
    y: float                                # top of the bar
    width: float                            # of the filled part
    also: list[tuple[float, float]]         # (count, x) of each other printed count


@dataclass
class Bars:
    scale: CountScale
    height: float
    rows: list[BarRow]
    texts: list[Text]


def bars_layout(entries: list[BarEntry], denominator: int, heading: str, notes: list[str]) -> Bars:
    scale = CountScale(denominator)
    texts: list[Text] = []
    head = Block()
    head.add(heading, "context", BAR_LEFT, BAR_RIGHT - BAR_LEFT)
    texts += head.move(0)
    y, rows = head.height + 10, []
    for entry in entries:
        row, row_texts, y = _bar_row(entry, scale, y)
        rows.append(row)
        texts += row_texts
    for note in notes:
        block = Block()
        block.add(note, "warn", BAR_LEFT, BAR_RIGHT - BAR_LEFT)
        texts += block.move(y)
        y += block.height + 6
    return Bars(scale=scale, height=round(y + 4, 2), rows=rows, texts=texts)


def _bar_row(entry: BarEntry, scale: CountScale, y: float) -> tuple[BarRow, list[Text], float]:
    count_width = text_width(entry.count_text, SIZES["count"], bold=True)
    label = Block()
    label.add(entry.label, "label", BAR_LEFT, BAR_RIGHT - BAR_LEFT - count_width - 10)
    texts = label.move(y)
    texts.append(Text(BAR_RIGHT, texts[0].y, entry.count_text, "count", anchor="end", fact=entry.fact_id))
    bar_top = round(y + label.height + 5, 2)
    row = BarRow(entry.fact_id, entry.n, bar_top, round(scale.x(entry.n) - scale.left, 2),
                 [(c, scale.x(c)) for c in entry.also])
    y = bar_top + BAR_HEIGHT + 4
    if entry.also:
        y += line_height("also")
        texts += _tick_labels(row.also, round(y - 0.28 * SIZES["also"], 2))
    below = Block()
    for i, warning in enumerate(entry.warnings):
        below.add(warning, "warn", BAR_LEFT, BAR_RIGHT - BAR_LEFT, 2 if i else 0)
    texts += below.move(y)
    return row, texts, round(y + below.height + ROW_GAP, 2)


def _tick_labels(ticks: list[tuple[float, float]], baseline: float) -> list[Text]:
    """Each other printed count under its tick, nudged right where two would touch."""
    labels, right_edge = [], -math.inf
    for count, x in sorted(ticks, key=lambda tick: tick[1]):
        text = format_number(count)
        half = text_width(text, SIZES["also"], bold=True) / 2
        centre = min(max(x, BAR_LEFT + half, right_edge + half + 4), BAR_RIGHT - half)
        labels.append(Text(round(centre, 2), baseline, text, "also", anchor="middle"))
        right_edge = centre + half
    return labels

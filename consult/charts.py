"""Chart geometry for the results page, as plain numbers: templates only draw what is here.

Horizontal positions are percentages of the chart's width and vertical ones are pixels, so an
inline SVG stretches with the page while its text keeps a readable size at 320px. For a
right-to-left page every horizontal position is mirrored here (bars grow from the right edge)
and the SVG is told its direction, so text anchors flip with it and labels never read
mirrored.
"""

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

# The share of the width a bar of the largest value takes; the rest keeps its value readable.
BAR_SPAN = 82.0
# A bar for a value above zero is never thinner than this, so "1" never looks like "0".
MIN_BAR = 0.5

ROW_HEIGHT = 46  # px: a label line above a bar
LABEL_BASELINE = 15
BAR_TOP = 21
BAR_HEIGHT = 16
VALUE_BASELINE = BAR_TOP + 13
# px between the end of a bar and its value.
VALUE_GAP = 6
# SVG text does not wrap: a longer label is broken into lines of at most this many characters
# (about 240px at the label's size), so that it fits the chart at 320px (WCAG 1.4.10).
LABEL_LINE_CHARS = 28
LABEL_LINE_HEIGHT = 18  # px


@dataclass(frozen=True)
class LabelLine:
    text: str
    y: int  # px from the top of the chart: the line's baseline


@dataclass(frozen=True)
class Bar:
    key: str  # names the CSS colour class, e.g. an enum value
    label: str
    value: int
    # Percentages of the chart's width.
    length: float
    x: float  # where the bar's rectangle starts on screen (its physical left edge)
    label_x: float
    value_x: float
    value_dx: int  # px, physical: moves the value away from the bar's end
    # Pixels from the top of the chart.
    label_y: int
    bar_y: int
    value_y: int
    label_lines: tuple[LabelLine, ...] = ()


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    height: int
    direction: str  # "ltr" or "rtl": the SVG's direction attribute

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)


def bar_length(value: int, largest: int) -> float:
    """The length of a bar in percent of the chart's width, proportional to the largest."""
    if value <= 0 or largest <= 0:
        return 0.0
    return round(max(BAR_SPAN * value / largest, MIN_BAR), 2)


def bar_chart(items: Sequence[tuple[str, str, int]], rtl: bool = False) -> BarChart:
    """One horizontal bar per (key, label, value), in the given order."""
    largest = max((value for _key, _label, value in items), default=0)
    bars = []
    top = 0
    for key, label, value in items:
        length = bar_length(value, largest)
        lines = textwrap.wrap(label, LABEL_LINE_CHARS, break_long_words=False) or [label]
        # Extra lines push the bar down, and every row after it.
        extra = (len(lines) - 1) * LABEL_LINE_HEIGHT
        if rtl:
            x, label_x, value_x, value_dx = 100.0 - length, 100.0, 100.0 - length, -VALUE_GAP
        else:
            x, label_x, value_x, value_dx = 0.0, 0.0, length, VALUE_GAP
        bars.append(
            Bar(
                key=key,
                label=label,
                value=value,
                length=length,
                x=round(x, 2),
                label_x=label_x,
                value_x=round(value_x, 2),
                value_dx=value_dx,
                label_y=top + LABEL_BASELINE,
                bar_y=top + extra + BAR_TOP,
                value_y=top + extra + VALUE_BASELINE,
                label_lines=tuple(
                    LabelLine(line, top + LABEL_BASELINE + i * LABEL_LINE_HEIGHT)
                    for i, line in enumerate(lines)
                ),
            )
        )
        top += ROW_HEIGHT + extra
    return BarChart(tuple(bars), top, "rtl" if rtl else "ltr")


HEAT_LEVELS = 5


@dataclass(frozen=True)
class HeatLevel:
    level: int  # 0 (no comments) to 4 (the most)
    low: int
    high: int


@dataclass(frozen=True)
class HeatScale:
    """Five shades for the heatmap: none, then four equally wide ranges up to the largest
    count. Equal widths keep the legend simple to read ("1–3, 4–6, ...")."""

    step: int
    levels: tuple[HeatLevel, ...]

    def level_of(self, count: int) -> int:
        if count <= 0:
            return 0
        return min(HEAT_LEVELS - 1, math.ceil(count / self.step))


def heat_scale(largest: int) -> HeatScale:
    step = max(1, math.ceil(largest / (HEAT_LEVELS - 1)))
    levels = [HeatLevel(0, 0, 0)]
    levels += [HeatLevel(k, (k - 1) * step + 1, k * step) for k in range(1, HEAT_LEVELS)]
    return HeatScale(step, tuple(levels))

"""The geometry of the results page's charts: bars proportional to their values, mirrored for
right-to-left pages, and the heatmap's five shades."""

import pytest

from consult.charts import (
    BAR_SPAN,
    LABEL_LINE_CHARS,
    MIN_BAR,
    ROW_HEIGHT,
    bar_chart,
    bar_length,
    heat_scale,
)


def items(*values):
    return [(f"key{i}", f"Label {i}", value) for i, value in enumerate(values)]


def test_bar_lengths_are_proportional_to_the_values():
    chart = bar_chart(items(10, 5, 2))
    lengths = [bar.length for bar in chart.bars]
    assert lengths[0] == BAR_SPAN
    assert lengths[1] == pytest.approx(BAR_SPAN / 2)
    assert lengths[2] == pytest.approx(BAR_SPAN / 5)
    assert chart.total == 17


def test_a_zero_value_has_no_bar_but_keeps_its_row_and_value():
    chart = bar_chart(items(4, 0))
    zero = chart.bars[1]
    assert zero.length == 0
    assert zero.value == 0
    assert zero.label == "Label 1"
    assert zero.bar_y == chart.bars[0].bar_y + ROW_HEIGHT


def test_one_huge_value_leaves_the_small_ones_visible():
    chart = bar_chart(items(100_000, 1, 0))
    huge, tiny, zero = chart.bars
    assert huge.length == BAR_SPAN
    # Never drawn as nothing, so 1 does not look like 0; the value text says the rest.
    assert tiny.length == MIN_BAR
    assert zero.length == 0
    # The value of the longest bar still fits inside the chart.
    assert huge.value_x + 10 < 100


def test_all_zeros_draw_no_bars_and_do_not_divide_by_zero():
    chart = bar_chart(items(0, 0, 0))
    assert [bar.length for bar in chart.bars] == [0, 0, 0]
    assert chart.total == 0
    assert bar_length(0, 0) == 0


def test_no_items_make_an_empty_chart():
    chart = bar_chart([])
    assert chart.bars == ()
    assert chart.height == 0


def test_rows_stack_downwards_with_the_label_above_its_bar():
    chart = bar_chart(items(3, 2, 1))
    assert chart.height == 3 * ROW_HEIGHT
    for bar in chart.bars:
        assert bar.label_y < bar.bar_y < bar.value_y
    assert [bar.bar_y for bar in chart.bars] == sorted(bar.bar_y for bar in chart.bars)


def test_a_long_label_wraps_and_pushes_its_bar_and_the_rows_below_down():
    long_label = "Selbstständige Trägerin sozialer Dienste (freier Träger der Wohlfahrtspflege)"
    chart = bar_chart([("a", "Kurz", 3), ("b", long_label, 2), ("c", "Kurz", 1)])
    short, wrapped, after = chart.bars
    lines = [line.text for line in wrapped.label_lines]
    assert len(lines) > 1 and all(len(line) <= LABEL_LINE_CHARS for line in lines)
    assert " ".join(lines) == long_label
    assert [line.text for line in short.label_lines] == ["Kurz"]
    last_line = wrapped.label_lines[-1].y
    assert wrapped.label_lines[0].y == wrapped.label_y < last_line < wrapped.bar_y
    assert wrapped.bar_y - last_line == short.bar_y - short.label_y
    assert after.label_y > wrapped.value_y
    assert chart.height > 3 * ROW_HEIGHT


def test_left_to_right_bars_grow_from_the_left_with_the_value_after_the_end():
    bar = bar_chart(items(10, 4)).bars[1]
    assert bar.x == 0
    assert bar.label_x == 0
    assert bar.value_x == bar.length
    assert bar.value_dx > 0


def test_right_to_left_bars_are_mirrored():
    ltr = bar_chart(items(10, 4)).bars[1]
    rtl_chart = bar_chart(items(10, 4), rtl=True)
    rtl = rtl_chart.bars[1]
    assert rtl_chart.direction == "rtl"
    assert rtl.length == ltr.length
    # The bar ends at the right edge and grows to the left; label and value start on the right.
    assert rtl.x + rtl.length == pytest.approx(100)
    assert rtl.label_x == 100
    assert rtl.value_x == pytest.approx(100 - ltr.length)
    assert rtl.value_dx == -ltr.value_dx
    assert (rtl.label_y, rtl.bar_y, rtl.value_y) == (ltr.label_y, ltr.bar_y, ltr.value_y)


@pytest.mark.parametrize(
    ("largest", "ranges"),
    [
        (12, [(0, 0), (1, 3), (4, 6), (7, 9), (10, 12)]),
        (300, [(0, 0), (1, 75), (76, 150), (151, 225), (226, 300)]),
        (2, [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)]),
        (0, [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)]),
    ],
)
def test_the_heat_scale_has_five_ranges_up_to_the_largest_count(largest, ranges):
    scale = heat_scale(largest)
    assert [(level.low, level.high) for level in scale.levels] == ranges
    assert [level.level for level in scale.levels] == [0, 1, 2, 3, 4]


def test_every_count_falls_into_the_level_whose_range_holds_it():
    scale = heat_scale(13)  # step 4: 1-4, 5-8, 9-12, 13-16
    assert [scale.level_of(n) for n in (0, 1, 4, 5, 8, 9, 12, 13)] == [0, 1, 1, 2, 2, 3, 3, 4]
    for count in range(0, 14):
        level = scale.levels[scale.level_of(count)]
        assert level.low <= count <= level.high

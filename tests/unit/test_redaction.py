"""Redaction removes marked passages and nothing else."""

import pytest

from consult import redaction
from consult.text import REDACTION_MARK


def test_each_marked_passage_becomes_one_mark():
    original = "Herr Ali Demir, Tel. 0171 55 44, sagt: mehr Beratung."
    marked = "Herr [[Ali Demir]], Tel. [[0171 55 44]], sagt: mehr Beratung."
    assert redaction.apply(original, marked) == (
        f"Herr {REDACTION_MARK}, Tel. {REDACTION_MARK}, sagt: mehr Beratung."
    )


def test_a_passage_may_span_lines_and_windows_line_breaks_do_not_count_as_changes():
    original = "Anschrift:\nMusterweg 1\nSiegen"
    marked = "Anschrift:\r\n[[Musterweg 1\r\nSiegen]]"
    assert redaction.apply(original, marked) == f"Anschrift:\n{REDACTION_MARK}"


@pytest.mark.parametrize(
    ("marked", "error"),
    [
        ("Herr Ali Demir sagt etwas.", redaction.NothingMarked),
        ("", redaction.NothingMarked),
        ("Herr [[Ali Demir]] sagt etwas anderes.", redaction.TextChanged),
        ("[[Herr Ali Demir sagt etwas.]] Und noch mehr.", redaction.TextChanged),
    ],
)
def test_nothing_marked_or_anything_else_changed_is_refused(marked, error):
    with pytest.raises(error):
        redaction.apply("Herr Ali Demir sagt etwas.", marked)


def test_html_output_escapes_the_text_and_marks_each_removal():
    html = redaction.as_html(f"<b>Hallo</b> {REDACTION_MARK}!", "[removed]")
    assert str(html) == '&lt;b&gt;Hallo&lt;/b&gt; <span class="redacted">[removed]</span>!'

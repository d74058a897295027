from consult.web.templating import TextBlock, text_blocks


def test_blank_lines_separate_blocks_and_dash_lines_make_lists():
    text = "Erster Satz\nweiter.\n\n- SGB II\n- SGB III\n\nSchluss."
    assert text_blocks(text) == [
        TextBlock("p", ["Erster Satz weiter."]),
        TextBlock("ul", ["SGB II", "SGB III"]),
        TextBlock("p", ["Schluss."]),
    ]


def test_a_block_with_one_non_dash_line_stays_a_paragraph():
    assert text_blocks("- eins\nzwei") == [TextBlock("p", ["- eins zwei"])]


def test_empty_text_has_no_blocks():
    assert text_blocks(" \n\n \r\n") == []

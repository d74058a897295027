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


def test_numbered_lines_make_a_numbered_list_that_keeps_its_first_number():
    assert text_blocks("Schritte:\n\n3. Erstgespräch\n4) Hilfeplan") == [
        TextBlock("p", ["Schritte:"]),
        TextBlock("ol", ["Erstgespräch", "Hilfeplan"], start=3),
    ]


def test_a_year_at_the_start_of_a_sentence_is_not_a_list():
    assert text_blocks("2026. Das Jahr beginnt.\nUnd weiter.")[0].kind == "p"

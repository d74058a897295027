"""Leichte Sprache puts one sentence on each line: its text keeps its lines, and a list may
follow its lead-in line."""

import re
import tomllib

from consult.demo.loader import CONCEPT_FILE
from consult.web.templating import TextBlock, line_blocks


def test_lines_stay_lines_and_blank_lines_separate_blocks():
    assert line_blocks("Satz eins.\nSatz zwei.\r\n\r\nSatz drei.") == [
        TextBlock("p", ["Satz eins.", "Satz zwei."]),
        TextBlock("p", ["Satz drei."]),
    ]


def test_a_list_may_follow_its_lead_in_line_and_text_may_follow_the_list():
    assert line_blocks("Das steht im Plan:\n- Mehr Beratung.\n- Kurze Wege.\nMehr nicht.") == [
        TextBlock("p", ["Das steht im Plan:"]),
        TextBlock("ul", ["Mehr Beratung.", "Kurze Wege."]),
        TextBlock("p", ["Mehr nicht."]),
    ]


def test_two_numbered_lines_make_a_numbered_list_but_one_date_stays_text():
    assert line_blocks("So geht es:\n1. Lesen.\n2. Schreiben.") == [
        TextBlock("p", ["So geht es:"]),
        TextBlock("ol", ["Lesen.", "Schreiben."], start=1),
    ]
    assert line_blocks("1. März: Der Kreis·tag entscheidet.\nDann gilt der Plan.") == [
        TextBlock("p", ["1. März: Der Kreis·tag entscheidet.", "Dann gilt der Plan."])
    ]


def test_empty_text_has_no_blocks():
    assert line_blocks(" \n\n \n") == []


def test_the_demo_explains_its_consultation_in_short_sentences():
    with CONCEPT_FILE.open("rb") as handle:
        text = tomllib.load(handle)["consultation"]["easy_read"]
    sentences = [s.strip() for s in re.split(r"[.?!:\n]", text) if s.strip()]
    assert len(sentences) > 20
    assert max(len(sentence.split()) for sentence in sentences) <= 14
    assert "Benutzer·konto" in text  # compounds split with the Mediopunkt
    assert any(block.kind == "ul" for block in line_blocks(text))

"""Pasted plain text: blocks separated by blank lines; a short numbered line such as
"3 Ziele und Zielgruppe" is a chapter heading and "3.2 Zielgruppe" a paragraph title."""

import re

from consult.services.imports.model import (
    ChapterHeading,
    ImportedDraft,
    ListBlock,
    ParagraphHeading,
    Text,
    assemble,
    clean,
    split_heading_number,
)
from consult.text import normalise_newlines

_BLANK_LINE = re.compile(r"\n\s*\n")
_BULLET = re.compile(r"\s*[-*•–]\s+(.*)")
_NUMBERED = re.compile(r"\s*(\d{1,3})[.)]\s+(.*)")
# A heading is a label, not a sentence: it does not end like one.
_SENTENCE_END = (".", ",", ";", ":", "!", "?")
MAX_HEADING_LENGTH = 150


def parse_text(source: str) -> ImportedDraft:
    return assemble(_events(source), "text")


def _events(source: str):
    for raw_block in _BLANK_LINE.split(normalise_newlines(source)):
        lines = [line for line in raw_block.split("\n") if line.strip()]
        if not lines:
            continue
        heading = _heading(lines)
        if heading is not None:
            yield heading
            continue
        bullets = [_BULLET.fullmatch(line) for line in lines]
        numbered = [_NUMBERED.fullmatch(line) for line in lines]
        if all(bullets):
            yield ListBlock("ul", tuple(clean(m.group(1)) for m in bullets))
        elif all(numbered) and len(lines) > 1:
            yield ListBlock(
                "ol",
                tuple(clean(m.group(2)) for m in numbered),
                tuple(int(m.group(1)) for m in numbered),
            )
        else:
            # Pasted text often keeps the hard line breaks of its source; they mean nothing.
            yield Text(" ".join(lines))


def _heading(lines: list[str]):
    if len(lines) != 1:
        return None
    line = clean(lines[0])
    if len(line) > MAX_HEADING_LENGTH or line.endswith(_SENTENCE_END):
        return None
    heading = split_heading_number(line)
    if heading.number is None:
        return None
    return ChapterHeading(line) if heading.depth == 1 else ParagraphHeading(line)

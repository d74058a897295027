"""The columns of the Abwägungstabelle, once for every writer (CSV, XLSX, DOCX, JSON and the
report's annex): what each column is called and what it holds for a row.

A cell is made of pieces, each with its own language, so that a DOCX file can mark an Arabic
comment as Arabic and right-to-left while the note under it stays in the reader's language;
the flat writers join the pieces with a blank line.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from consult.services.exports.plain_text import clean, render
from consult.services.summary import SummaryRow

if TYPE_CHECKING:
    from consult.services.exports.vocabulary import Vocabulary

# The binding language of the draft and of the administration's answers.
DRAFT_LANGUAGE = "de"


@dataclass(frozen=True)
class Piece:
    text: str
    # A language code; None: the language of the labels (the vocabulary's locale).
    language: str | None = None


@dataclass(frozen=True)
class Column:
    key: str  # stable, English: the JSON's column list and the tests use it
    header: object  # a lazy translation
    width: int  # in characters, for the spreadsheet; relative width in the Word table
    pieces: Callable[[SummaryRow, "Vocabulary"], tuple[Piece, ...]]

    def text(self, row: SummaryRow, vocabulary: "Vocabulary") -> str:
        return "\n\n".join(piece.text for piece in self.pieces(row, vocabulary) if piece.text)


def _labelled(text: str) -> tuple[Piece, ...]:
    return (Piece(clean(text)),)


def _in_draft_language(text: str) -> tuple[Piece, ...]:
    return (Piece(clean(text), DRAFT_LANGUAGE),)


def target_label(row: SummaryRow, vocabulary: "Vocabulary") -> str:
    """ "4.4 Title", "Chapter 4 – Title" or "The whole draft"."""
    if row.paragraph_number is not None:
        return f"{row.paragraph_number} {row.paragraph_title}".strip()
    if row.chapter_number is not None:
        chapter = vocabulary.chapter(row.chapter_number)
        return f"{chapter} – {row.chapter_title}" if row.chapter_title else chapter
    return vocabulary.whole_draft


def _target(row: SummaryRow, vocabulary: "Vocabulary") -> tuple[Piece, ...]:
    if row.paragraph_number is None and row.chapter_number is None:
        return _labelled(vocabulary.whole_draft)
    return _in_draft_language(target_label(row, vocabulary))


def submitted_by(row: SummaryRow, vocabulary: "Vocabulary") -> str:
    """The organisation's name; individuals are never named, not even by their pseudonym."""
    if row.organisation_name is None:
        return vocabulary.individual
    name = clean(row.organisation_name)
    return name if row.organisation_verified else vocabulary.not_verified(name)


def _statement(row: SummaryRow, vocabulary: "Vocabulary") -> tuple[Piece, ...]:
    pieces = [Piece(render(row.text, vocabulary.removed_marker), row.language)]
    if row.proposed_text:
        pieces.append(Piece(vocabulary.proposed_wording + ":"))
        pieces.append(Piece(render(row.proposed_text, vocabulary.removed_marker), row.language))
    if row.language != DRAFT_LANGUAGE:
        language = vocabulary.language_name(row.language)
        pieces.append(Piece(vocabulary.original_language(language)))
    return tuple(pieces)


def _answer(row: SummaryRow, vocabulary: "Vocabulary") -> tuple[Piece, ...]:
    pieces = [Piece(clean(row.answer_text), DRAFT_LANGUAGE)]
    if row.shares_answer_with and row.answer_text:
        pieces.append(Piece(vocabulary.same_answer_as(", ".join(row.shares_answer_with))))
    return tuple(pieces)


def recommendation_label(row: SummaryRow, vocabulary: "Vocabulary") -> str:
    return vocabulary.recommendations[row.recommendation] if row.recommendation else ""


REFERENCE = Column("reference", _l("No."), 8, lambda row, v: _labelled(row.reference))
TARGET = Column("target", _l("Refers to"), 22, _target)
SUBMITTED_BY = Column(
    "submitted_by", _l("Submitted by"), 22, lambda row, v: _labelled(submitted_by(row, v))
)
GROUP = Column("group", _l("Group"), 18, lambda row, v: _labelled(v.groups[row.group]))
KIND = Column("kind", _l("Kind"), 16, lambda row, v: _labelled(v.kinds[row.kind]))
STATEMENT = Column("statement", _l("Statement"), 60, _statement)
ANSWER = Column("answer", _l("Response of the administration"), 50, _answer)
RECOMMENDATION = Column(
    "recommendation",
    _l("Recommended decision"),
    18,
    lambda row, v: _labelled(recommendation_label(row, v)),
)
CHANGE = Column(
    "change", _l("Change in the concept"), 36, lambda row, v: _in_draft_language(row.change_text)
)
# Only where both parts share one list (CSV, XLSX); the Word table has a table per part.
PART = Column("part", _l("Part"), 26, lambda row, v: _labelled(v.parts[row.part]))

# Lfd. Nr. | Bezug | Eingereicht von | Gruppe | Art | Stellungnahme |
# Stellungnahme der Verwaltung | Beschlussvorschlag | Änderung im Konzept
COLUMNS: tuple[Column, ...] = (
    REFERENCE,
    TARGET,
    SUBMITTED_BY,
    GROUP,
    KIND,
    STATEMENT,
    ANSWER,
    RECOMMENDATION,
    CHANGE,
)
# One list for both parts: the part stands beside the number.
FLAT_COLUMNS: tuple[Column, ...] = (REFERENCE, PART, *COLUMNS[1:])
ALL_COLUMNS: tuple[Column, ...] = FLAT_COLUMNS
COLUMN_KEYS: tuple[str, ...] = tuple(column.key for column in COLUMNS)


def cells(row: SummaryRow, vocabulary: "Vocabulary", columns=COLUMNS) -> list[str]:
    """The row's cells as plain text, in column order."""
    return [column.text(row, vocabulary) for column in columns]

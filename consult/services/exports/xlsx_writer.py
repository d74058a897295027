"""The Abwägungstabelle as an Excel workbook: one row per statement (both parts in one sheet,
the part in its own column so a filter can split them), the header frozen and filtered, and
a second sheet with the figures.

Every cell is a text cell, never a formula: openpyxl would store a value starting with "=" as
one, so each cell's type is set to text explicitly, and a value that starts like a formula
also gets Excel's quote prefix, so that editing the cell later does not turn it into one.
"""

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from consult.services.exports.columns import FLAT_COLUMNS, cells
from consult.services.exports.plain_text import clean
from consult.services.exports.vocabulary import Vocabulary
from consult.services.numbering import Part
from consult.services.summary import Count, Summary

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel's limits: a cell holds at most 32,767 characters, a sheet title 31.
_CELL_LIMIT = 32767
_WRAP = Alignment(wrap_text=True, vertical="top")
_BOLD = Font(bold=True)


def _sheet_title(text: str) -> str:
    for forbidden in "[]:*?/\\":
        text = text.replace(forbidden, " ")
    return text.strip()[:31] or "Sheet"


class _TextCells:
    """Makes text cells for one sheet.

    Each look (wrapped, bold, with quote prefix) is made once and its style shared by every
    cell that has it: assigning style objects cell by cell costs seconds for 100,000 cells.
    """

    def __init__(self, sheet):
        self.sheet = sheet
        self.styles = {}
        for wrap in (False, True):
            for bold in (False, True):
                for quoted in (False, True):
                    model = WriteOnlyCell(sheet)
                    if wrap:
                        model.alignment = _WRAP
                    if bold:
                        model.font = _BOLD
                    model.quotePrefix = quoted
                    self.styles[wrap, bold, quoted] = model._style

    def __call__(self, value: str, *, bold: bool = False, wrap: bool = True) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet)
        # Set directly rather than through cell.value, which would make "=..." a formula.
        cell._value = value[:_CELL_LIMIT]
        cell.data_type = "s"
        cell._style = self.styles[wrap, bold, value.startswith(_FORMULA_STARTS)]
        return cell


def _statements_sheet(workbook: Workbook, summary: Summary, vocabulary: Vocabulary) -> None:
    sheet = workbook.create_sheet(_sheet_title(vocabulary.headers["statement"]))
    text = _TextCells(sheet)
    for index, column in enumerate(FLAT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    last_row = len(summary.rows) + 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(FLAT_COLUMNS))}{last_row}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.append([text(vocabulary.headers[c.key], bold=True) for c in FLAT_COLUMNS])
    for row in summary.rows:
        sheet.append([text(cell) for cell in cells(row, vocabulary, FLAT_COLUMNS)])


def _figures_sheet(workbook: Workbook, summary: Summary, vocabulary: Vocabulary) -> None:
    labels = vocabulary.figures
    sheet = workbook.create_sheet(_sheet_title(labels["sheet"]))
    text = _TextCells(sheet)
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 12

    def heading(label: str) -> None:
        sheet.append([])
        sheet.append([text(label, bold=True, wrap=False), text(labels["number"], bold=True)])

    def figures(items) -> None:
        for label, count in items:
            # Counts are numbers a spreadsheet may sum; labels are text.
            sheet.append([text(clean(label)), count])

    def counted(counts: tuple[Count, ...], label_of) -> list[tuple[str, int]]:
        return [(label_of(count.key), count.count) for count in counts]

    sheet.append([text(clean(summary.title), bold=True, wrap=False)])
    figures(
        [
            (labels["statements"], len(summary.rows)),
            (vocabulary.parts[Part.ORGANISATIONS], len(summary.organisation_rows)),
            (vocabulary.parts[Part.INDIVIDUALS], len(summary.individual_rows)),
            (labels["replies"], summary.reply_count),
        ]
    )
    groups = {group.value: label for group, label in vocabulary.groups.items()}
    kinds = {kind.value: label for kind, label in vocabulary.kinds.items()}
    votes = {vote.value: label for vote, label in vocabulary.recommendations.items()}
    votes[""] = labels["unanswered"]
    heading(labels["by_group"])
    figures(counted(summary.by_group, groups.get))
    heading(labels["by_kind"])
    figures(counted(summary.by_kind, kinds.get))
    heading(labels["by_recommendation"])
    figures(counted(summary.by_recommendation, votes.get))
    heading(labels["by_language"])
    figures(counted(summary.by_language, vocabulary.language_name))
    heading(labels["by_chapter"])
    figures(
        (f"{vocabulary.chapter(chapter.number)} – {chapter.title}", chapter.comment_count)
        for chapter in summary.chapters
    )


def write(summary: Summary, vocabulary: Vocabulary) -> bytes:
    workbook = Workbook(write_only=True)
    workbook.properties.title = f"{vocabulary.title}: {clean(summary.title)}"
    workbook.properties.subject = clean(summary.title)
    workbook.properties.creator = clean(summary.organiser) or "consult"
    workbook.properties.language = vocabulary.locale
    workbook.properties.created = summary.generated_at.replace(tzinfo=None)
    _statements_sheet(workbook, summary, vocabulary)
    _figures_sheet(workbook, summary, vocabulary)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

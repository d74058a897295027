"""The participation report as a Word document: the same sections as the PDF as headings,
paragraphs and tables, and the Abwägungstabelle as an annex in a landscape section whose
header row repeats on every page.

Tables are written as WordprocessingML and parsed in one go: python-docx's add_row and cell
API costs about a millisecond per cell, which a 10,000-row annex (90,000 cells) cannot
afford. Text in Arabic or Farsi gets right-to-left paragraphs (w:bidi) and runs (w:rtl) so
Word shapes and orders it correctly.
"""

import io
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from consult.services.exports.columns import COLUMNS, Piece
from consult.services.reports.content import (
    AnnexPart,
    Facts,
    FigureTable,
    Paragraph,
    Report,
    Subheading,
)

# A4 landscape with 1.5 cm margins leaves 26.7 cm of text width; in twentieths of a point.
_ANNEX_WIDTH = 15137
_FIGURES_WIDTH = 8000
_COMPLEX_SCRIPT_FONT = "Arial"
# The annex's small print, one paragraph style instead of properties on 90,000 runs.
_ANNEX_STYLE = "AnnexText"


def write(report: Report) -> bytes:
    document = Document()
    _set_up(document, report)
    _title_page(document, report)
    for number, section in enumerate(report.sections, start=1):
        _heading(document, report, f"{number}. {section.heading}", 1)
        for block in section.blocks:
            _block(document, report, block)
    _annex(document, report)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _set_up(document, report: Report) -> None:
    properties = document.core_properties
    properties.title = report.document_title
    properties.language = report.language
    properties.author = ""
    properties.comments = ""
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    # Word picks the complex-script font for Arabic and Farsi; Arial has their letters.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:cs"), _COMPLEX_SCRIPT_FONT)
    annex = document.styles.add_style(_ANNEX_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    annex.base_style = normal
    annex.font.size = Pt(8)
    # Arabic and Farsi runs take the complex-script size.
    annex.element.rPr.find(qn("w:sz")).addnext(parse_xml(f'<w:szCs {nsdecls("w")} w:val="16"/>'))
    annex.paragraph_format.space_after = Pt(3)


# --- blocks --------------------------------------------------------------------------------


def _title_page(document, report: Report) -> None:
    page = report.title_page
    _paragraph(document, report, page.kind, style="Subtitle")
    _paragraph(document, report, page.title, style="Title")
    _paragraph(document, report, page.audience)
    for label, value in page.facts:
        _paragraph(document, report, value, label=label + ":")
    document.add_page_break()


def _block(document, report: Report, block) -> None:
    if isinstance(block, Subheading):
        _heading(document, report, block.text, 2, block.language)
    elif isinstance(block, Paragraph):
        _paragraph(document, report, block.text, language=block.language, label=block.label)
    elif isinstance(block, Facts):
        for label, value in block.items:
            _paragraph(document, report, value, label=label + ":")
    elif isinstance(block, FigureTable):
        _figure_table(document, report, block)


def _heading(document, report: Report, text: str, level: int, language=None) -> None:
    paragraph = document.add_heading(text, level)
    _mark_direction(paragraph, report.is_rtl(language), language)


def _paragraph(document, report, text, *, language=None, label="", style=None):
    """A paragraph in the text's direction; a label is in the report's language, so a
    labelled paragraph takes the report's direction."""
    paragraph = document.add_paragraph(style=style)
    if label:
        run = paragraph.add_run(label + " ")
        run.bold = True
        _mark_run(run, report.is_rtl(None), None)
    run = paragraph.add_run()
    for index, line in enumerate(text.split("\n")):
        if index:
            run.add_break()
        run.add_text(line)
    _mark_run(run, report.is_rtl(language), language)
    _mark_direction(paragraph, report.is_rtl(None if label else language), None, runs=False)
    return paragraph


def _mark_direction(paragraph, rtl: bool, language, runs: bool = True) -> None:
    if rtl:
        paragraph._p.get_or_add_pPr().append(parse_xml(f"<w:bidi {nsdecls('w')}/>"))
    if runs:
        for run in paragraph.runs:
            _mark_run(run, rtl, language)


def _mark_run(run, rtl: bool, language) -> None:
    properties = run._r.get_or_add_rPr()
    if rtl:
        properties.append(parse_xml(f"<w:rtl {nsdecls('w')}/>"))
    if language:
        attribute = "w:bidi" if rtl else "w:val"
        properties.append(parse_xml(f'<w:lang {nsdecls("w")} {attribute}="{language}"/>'))


def _figure_table(document, report: Report, table: FigureTable) -> None:
    _paragraph(document, report, table.caption, style="Caption")
    number = report.vocabulary.number
    rows = [[Piece(row.label), Piece(number(row.count))] for row in table.rows]
    if table.total is not None:
        rows.append([Piece(table.total_label), Piece(number(table.total))])
    _append_table(
        document,
        report,
        [table.label_header, table.count_header],
        [[(piece,) for piece in row] for row in rows],
        [_FIGURES_WIDTH * 3 // 4, _FIGURES_WIDTH // 4],
        row_headers=True,
    )


# --- the annex -----------------------------------------------------------------------------


def _annex(document, report: Report) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    _heading(document, report, report.annex_heading, 1)
    _paragraph(document, report, report.annex_intro)
    total = sum(column.width for column in COLUMNS)
    widths = [_ANNEX_WIDTH * column.width // total for column in COLUMNS]
    for part in report.annex_parts:
        _annex_part(document, report, part, widths)


def _annex_part(document, report: Report, part: AnnexPart, widths: list[int]) -> None:
    _heading(document, report, part.heading, 2)
    if not part.rows:
        _paragraph(document, report, part.empty_note)
        return
    rows = [[cell.pieces for cell in report.annex_cells(row)] for row in part.rows]
    _append_table(document, report, list(report.annex_headers), rows, widths, style_id=_ANNEX_STYLE)


# --- tables as WordprocessingML ------------------------------------------------------------

# Rows parsed at a time: the XML text of a batch is short-lived, only the tree stays.
_ROWS_PER_PARSE = 500


def _append_table(
    document,
    report: Report,
    headers: list[str],
    rows: list[list[tuple[Piece, ...]]],
    widths: list[int],
    *,
    row_headers: bool = False,
    style_id: str | None = None,
) -> None:
    """One table with its header row repeated on each page. Cells carry no properties of
    their own (the grid gives the widths, a paragraph style the size), which keeps a
    10,000-row table to about half the XML elements."""
    style = f'<w:pStyle w:val="{style_id}"/>' if style_id else ""
    write = _CellWriter(report, style)
    table = parse_xml(
        "".join(
            [
                f"<w:tbl {nsdecls('w')}><w:tblPr>",
                '<w:tblStyle w:val="TableGrid"/>',
                "<w:bidiVisual/>" if report.is_rtl(None) else "",
                '<w:tblW w:w="0" w:type="auto"/>',
                '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1"/></w:tblPr>',
                "<w:tblGrid>",
                *(f'<w:gridCol w:w="{width}"/>' for width in widths),
                "</w:tblGrid>",
                "<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>",
                *(write.cell((Piece(header),), bold=True, shaded=True) for header in headers),
                "</w:tr></w:tbl>",
            ]
        )
    )
    for start in range(0, len(rows), _ROWS_PER_PARSE):
        batch = [
            "<w:tr>"
            + "".join(
                write.cell(pieces, bold=row_headers and index == 0)
                for index, pieces in enumerate(row)
            )
            + "</w:tr>"
            for row in rows[start : start + _ROWS_PER_PARSE]
        ]
        table.extend(parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(batch)}</w:tbl>"))
    # Tables go before the section properties that close the body.
    body = document.element.body
    body.insert(len(body) - 1, table) if body[-1].tag == qn("w:sectPr") else body.append(table)


class _CellWriter:
    def __init__(self, report: Report, style: str):
        self.report = report
        self.style = style

    def cell(self, pieces, bold: bool = False, shaded: bool = False) -> str:
        shading = (
            '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="E8ECF2"/></w:tcPr>'
            if shaded
            else ""
        )
        paragraphs = "".join(self.paragraph(piece, bold) for piece in pieces if piece.text)
        return f"<w:tc>{shading}{paragraphs or '<w:p/>'}</w:tc>"

    def paragraph(self, piece: Piece, bold: bool) -> str:
        rtl = self.report.is_rtl(piece.language)
        # The schema fixes the order of run properties: bold, direction, language.
        properties = "<w:b/><w:bCs/>" if bold else ""
        if rtl:
            properties += "<w:rtl/>"
        if piece.language and piece.language != self.report.language:
            attribute = "w:bidi" if rtl else "w:val"
            properties += f'<w:lang {attribute}="{escape(piece.language)}"/>'
        run_properties = f"<w:rPr>{properties}</w:rPr>" if properties else ""
        text = "<w:br/>".join(
            f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in piece.text.split("\n")
        )
        paragraph_properties = self.style + ("<w:bidi/>" if rtl else "")
        if paragraph_properties:
            paragraph_properties = f"<w:pPr>{paragraph_properties}</w:pPr>"
        return f"<w:p>{paragraph_properties}<w:r>{run_properties}{text}</w:r></w:p>"

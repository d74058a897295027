"""The Abwägungstabelle as a Word document for the Kreistag: landscape A4, a heading with
the consultation and the date, part A (organisations) and part B (individuals) as tables
whose header row repeats on every page.

python-docx adds table rows one object at a time, which takes minutes for 10,000 rows, and an
lxml tree of them takes hundreds of megabytes. python-docx therefore writes the document with
each table's header row and a placeholder; the rows are then written as WordprocessingML text
straight into the saved package, in place of the placeholder.

Every run carries its language, and an Arabic or Farsi comment is a right-to-left paragraph,
so that Word shapes, orders and spell-checks it correctly.
"""

import io
import re
import zipfile
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from consult.services.exports.columns import COLUMNS, Column, Piece
from consult.services.exports.plain_text import clean
from consult.services.exports.vocabulary import Vocabulary
from consult.services.numbering import Part
from consult.services.summary import Summary, SummaryRow

_PAGE_WIDTH, _PAGE_HEIGHT, _MARGIN = Cm(29.7), Cm(21.0), Cm(1.5)
_TWIPS_PER_EMU = 1 / 635
# Word wants a region with the language ("de-DE"); a bare code is still better than none.
_REGIONS = {
    "de": "de-DE",
    "en": "en-GB",
    "ar": "ar-SA",
    "tr": "tr-TR",
    "uk": "uk-UA",
    "ru": "ru-RU",
    "fa": "fa-IR",
}
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_W = nsdecls("w")


def _language_tag(code: str) -> str:
    if code in _REGIONS:
        return _REGIONS[code]
    return code if _LANGUAGE_CODE.fullmatch(code or "") else "und"


class _TableXml:
    """Writes the rows of one table as WordprocessingML."""

    def __init__(self, columns: tuple[Column, ...], vocabulary: Vocabulary, width: int):
        self.columns = columns
        self.vocabulary = vocabulary
        total = sum(column.width for column in columns)
        self.widths = [width * column.width // total for column in columns]
        self.locale = vocabulary.locale

    def paragraphs(self, pieces, *, bold: bool = False) -> str:
        parts = []
        for piece in pieces:
            if not piece.text:
                continue
            code = piece.language or self.locale
            rtl = self.vocabulary.is_right_to_left(code)
            tag = _language_tag(code)
            run_properties = (
                ("<w:b/>" if bold else "")
                + ("<w:rtl/>" if rtl else "")
                + (f'<w:lang w:val="{tag}" w:bidi="{tag}"/>' if rtl else f'<w:lang w:val="{tag}"/>')
            )
            paragraph_properties = ("<w:bidi/>" if rtl else "") + '<w:spacing w:after="60"/>'
            for line in piece.text.replace("\t", " ").split("\n"):
                run = (
                    f'<w:r><w:rPr>{run_properties}</w:rPr><w:t xml:space="preserve">'
                    f"{escape(line)}</w:t></w:r>"
                    if line
                    else ""
                )
                parts.append(f"<w:p><w:pPr>{paragraph_properties}</w:pPr>{run}</w:p>")
        return "".join(parts) or "<w:p/>"

    def cell(self, width: int, content: str, shaded: bool = False) -> str:
        shading = '<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>' if shaded else ""
        properties = f'<w:tcW w:w="{width}" w:type="dxa"/>{shading}'
        return f"<w:tc><w:tcPr>{properties}</w:tcPr>{content}</w:tc>"

    def header_row(self) -> str:
        cells = "".join(
            self.cell(width, self.paragraphs([Piece(header)], bold=True), shaded=True)
            for width, header in zip(
                self.widths,
                (self.vocabulary.headers[column.key] for column in self.columns),
                strict=True,
            )
        )
        # tblHeader repeats the row at the top of every page; cantSplit keeps it whole.
        return f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{cells}</w:tr>"

    def row(self, row: SummaryRow) -> str:
        cells = "".join(
            self.cell(width, self.paragraphs(column.pieces(row, self.vocabulary)))
            for width, column in zip(self.widths, self.columns, strict=True)
        )
        return f"<w:tr>{cells}</w:tr>"


def _add_table(document, part: Part, vocabulary: Vocabulary, width: int) -> _TableXml:
    """An empty table with its header row and a placeholder where its rows go."""
    table = document.add_table(rows=0, cols=len(COLUMNS), style="Table Grid")
    writer = _TableXml(COLUMNS, vocabulary, width)
    tbl = table._tbl
    properties = tbl.tblPr
    table_width = properties.find(qn("w:tblW"))
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(sum(writer.widths)))
    # A fixed layout lets Word lay out thousands of rows without measuring every cell first.
    properties.find(qn("w:tblLook")).addprevious(parse_xml(f'<w:tblLayout {_W} w:type="fixed"/>'))
    for grid_column, column_width in zip(
        tbl.tblGrid.findall(qn("w:gridCol")), writer.widths, strict=True
    ):
        grid_column.set(qn("w:w"), str(column_width))
    tbl.append(parse_xml(f"<w:tbl {_W}>{writer.header_row()}</w:tbl>")[0])
    tbl.append(parse_xml(f'<w:tr {_W} w:rsidR="{_PLACEHOLDERS[part]}"/>'))
    return writer


# Where the rows of part A and part B go in word/document.xml (rsid-like values, which no
# element of a new document has).
_PLACEHOLDERS = {Part.ORGANISATIONS: "C0DE000A", Part.INDIVIDUALS: "C0DE000B"}


def _placeholder(part: Part) -> bytes:
    return f'<w:tr w:rsidR="{_PLACEHOLDERS[part]}"/>'.encode()


def _with_rows(package: bytes, tables: list[tuple[Part, _TableXml, tuple[SummaryRow, ...]]]):
    """The saved package with each placeholder replaced by its table's rows, written row by
    row into the new archive: neither a tree of the rows nor the whole XML is ever held."""
    source = zipfile.ZipFile(io.BytesIO(package))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, source.read(info.filename), zipfile.ZIP_DEFLATED)
                continue
            rest = source.read(info.filename)
            with target.open(info.filename, "w") as stream:
                for part, writer, rows in tables:
                    before, found, rest = rest.partition(_placeholder(part))
                    if not found:
                        raise RuntimeError(f"table placeholder for part {part} missing")
                    stream.write(before)
                    for row in rows:
                        stream.write(writer.row(row).encode("utf-8"))
                stream.write(rest)
    return output.getvalue()


def _set_language(document, code: str) -> None:
    """The document's default language, for everything that does not say otherwise."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    properties = run_defaults.find(qn("w:rPr")) if run_defaults is not None else None
    if properties is None:
        return
    for old in properties.findall(qn("w:lang")):
        properties.remove(old)
    properties.append(parse_xml(f'<w:lang {_W} w:val="{_language_tag(code)}"/>'))


def write(summary: Summary, vocabulary: Vocabulary) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = _PAGE_WIDTH, _PAGE_HEIGHT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, _MARGIN)
    width = int((_PAGE_WIDTH - 2 * _MARGIN) * _TWIPS_PER_EMU)

    normal = document.styles["Normal"]
    normal.font.size = Pt(9)
    _set_language(document, vocabulary.locale)

    title = clean(summary.title)
    properties = document.core_properties
    properties.title = f"{vocabulary.title}: {title}"
    properties.subject = title
    properties.author = clean(summary.organiser) or "consult"
    properties.language = _language_tag(vocabulary.locale)

    document.add_heading(vocabulary.title, level=1)
    document.add_paragraph(title).runs[0].bold = True
    byline = (clean(summary.organiser), vocabulary.date(summary.generated_at))
    document.add_paragraph(" · ".join(part for part in byline if part))
    tables = []
    for part, rows in (
        (Part.ORGANISATIONS, summary.organisation_rows),
        (Part.INDIVIDUALS, summary.individual_rows),
    ):
        document.add_heading(vocabulary.parts[part], level=2)
        if rows:
            tables.append((part, _add_table(document, part, vocabulary, width), rows))
        else:
            document.add_paragraph(vocabulary.figures["none"])
    buffer = io.BytesIO()
    document.save(buffer)
    return _with_rows(buffer.getvalue(), tables)

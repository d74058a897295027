"""DOCX import with python-docx: headings become chapters and paragraph titles, body
paragraphs become paragraphs, Word's lists keep their bullets and numbers, tables become lists of
rows. The file is checked before python-docx opens it, so a bad file only ever costs a clear
message."""

import io
import zipfile

from docx import Document
from docx.oxml.ns import nsmap
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from consult.services.imports.errors import (
    DocumentProblem,
    EncryptedDocument,
    NotADocx,
    OldWordFormat,
    SuspiciousArchive,
)
from consult.services.imports.model import (
    ChapterHeading,
    ImportedDraft,
    ListBlock,
    ParagraphHeading,
    TableBlock,
    Text,
    assemble,
    clean,
)

# Both .doc and password-protected .docx files are OLE compound files.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Word puts an encrypted .docx into a stream of this name; directory entries are UTF-16.
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
ZIP_SIGNATURE = b"PK\x03\x04"
# A long concept unpacks to a few megabytes; images add some more. Far beyond that is a bomb.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_PARTS = 2000

_BULLET, _NUMBERED = "ul", "ol"
_NAMESPACES = {"w": nsmap["w"]}
_NUMBER_FORMATS = {"decimal", "decimalZero"}


def check_container(data: bytes) -> None:
    """Refuse what python-docx should never see: old or encrypted Word files, anything that is
    not a zip archive, and archives that would unpack to an absurd size."""
    if data.startswith(OLE_SIGNATURE):
        if ENCRYPTED_STREAM in data:
            raise EncryptedDocument("encrypted")
        raise OldWordFormat("ole compound file")
    if not data.startswith(ZIP_SIGNATURE):
        raise NotADocx("not a zip archive")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise NotADocx("broken zip archive") from error
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise SuspiciousArchive("unpacks too large")
    if "word/document.xml" not in {part.filename for part in parts}:
        raise NotADocx("no word/document.xml")


def parse_docx(data: bytes) -> ImportedDraft:
    check_container(data)
    try:
        document = Document(io.BytesIO(data))
        events = list(_events(document))
    except DocumentProblem:
        raise
    except Exception as error:
        # python-docx and lxml fail in many ways on a file that is a zip archive but no Word
        # document (or a damaged one); to the person uploading it, all of them mean the same.
        raise NotADocx("python-docx could not read it") from error
    return assemble(events, "docx")


def _events(document):
    numbering = _Numbering(document)
    pending_list: list[tuple[str, str, int]] = []  # (kind, text, number)
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            list_item = numbering.list_item(item)
            if list_item is not None:
                kind, number = list_item
                text = clean(item.text)
                if text:
                    if pending_list and pending_list[-1][0] != kind:
                        yield _list_block(pending_list)
                        pending_list = []
                    pending_list.append((kind, text, number))
                continue
        if pending_list:
            yield _list_block(pending_list)
            pending_list = []
        if isinstance(item, Table):
            yield _table_block(item)
        else:
            yield _paragraph_event(item)
    if pending_list:
        yield _list_block(pending_list)


def _heading_level(paragraph: Paragraph) -> int | None:
    name = _style_name(paragraph).lower()
    if name == "title":
        return 1
    if name.startswith("heading "):
        level = name.removeprefix("heading ").strip()
        return int(level) if level.isdigit() else None
    return None


def _style_name(paragraph: Paragraph) -> str:
    style = paragraph.style
    return (style.name or "") if style is not None else ""


def _paragraph_event(paragraph: Paragraph):
    level = _heading_level(paragraph)
    if level == 1:
        return ChapterHeading(paragraph.text)
    if level is not None:
        return ParagraphHeading(paragraph.text)
    return Text(paragraph.text)


def _list_block(items: list[tuple[str, str, int]]) -> ListBlock:
    kind = items[0][0]
    return ListBlock(
        kind,
        tuple(text for _, text, _ in items),
        tuple(number for _, _, number in items) if kind == _NUMBERED else (),
    )


def _table_block(table: Table) -> TableBlock:
    rows = []
    for row in table.rows:
        seen = set()
        cells = []
        # A merged cell appears once per grid column it spans; show it once.
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            text = clean(cell.text)
            if text:
                cells.append(text)
        if cells:
            rows.append(tuple(cells))
    return TableBlock(tuple(rows))


class _Numbering:
    """Which paragraphs are list items, bulleted or numbered, and the number Word shows for
    each: counted per list (Word's numId) and level, from the list's start value."""

    def __init__(self, document):
        try:
            self.root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            self.root = None
        self.counters: dict[str, dict[int, int]] = {}

    def list_item(self, paragraph: Paragraph) -> tuple[str, int] | None:
        if _heading_level(paragraph) is not None:
            return None
        num_id, level = self._num_pr(paragraph)
        if num_id is None:
            if _style_name(paragraph).lower().startswith("list"):
                kind = _NUMBERED if "number" in _style_name(paragraph).lower() else _BULLET
                return kind, self._count(f"style:{_style_name(paragraph)}", 0, 1)
            return None
        if num_id == "0":  # numbering explicitly switched off
            return None
        number_format, start = self._level_format(num_id, level)
        kind = _NUMBERED if number_format in _NUMBER_FORMATS else _BULLET
        return kind, self._count(num_id, level, start)

    def _count(self, list_key: str, level: int, start: int) -> int:
        levels = self.counters.setdefault(list_key, {})
        levels[level] = levels.get(level, start - 1) + 1
        # A new item on an outer level restarts the numbering of the levels inside it.
        for deeper in [lvl for lvl in levels if lvl > level]:
            del levels[deeper]
        return levels[level]

    def _num_pr(self, paragraph: Paragraph) -> tuple[str | None, int]:
        elements = [paragraph._p.pPr]
        style = paragraph.style
        while style is not None:
            elements.append(style.element.pPr)
            style = style.base_style
        for ppr in elements:
            num_pr = ppr.numPr if ppr is not None else None
            if num_pr is not None and num_pr.numId is not None:
                level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
                return str(num_pr.numId.val), int(level)
        return None, 0

    def _level_format(self, num_id: str, level: int) -> tuple[str, int]:
        if self.root is None:
            return "bullet", 1
        num = _xpath(self.root, f'./w:num[@w:numId="{num_id}"]')
        if not num:
            return "bullet", 1
        start = 1
        override = _xpath(num[0], f'./w:lvlOverride[@w:ilvl="{level}"]/w:startOverride/@w:val')
        abstract_ids = _xpath(num[0], "./w:abstractNumId/@w:val")
        if not abstract_ids or not abstract_ids[0].isdigit():
            return "bullet", 1
        lvl = _xpath(
            self.root,
            f'./w:abstractNum[@w:abstractNumId="{abstract_ids[0]}"]/w:lvl[@w:ilvl="{level}"]',
        )
        if not lvl:
            return "bullet", 1
        formats = _xpath(lvl[0], "./w:numFmt/@w:val")
        starts = _xpath(lvl[0], "./w:start/@w:val")
        for value in (override or starts)[:1]:
            start = int(value) if str(value).isdigit() else 1
        return (formats[0] if formats else "decimal"), start


def _xpath(element, expression: str) -> list:
    return etree._Element.xpath(element, expression, namespaces=_NAMESPACES)

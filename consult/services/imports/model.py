"""The shape every importer produces, and the one assembler that builds it from a stream of
events (chapter heading, paragraph heading, text, list, table), so that DOCX, Markdown and
plain text follow the same rules."""

import re
from dataclasses import dataclass, field

from consult.services.imports.errors import EmptyDocument, TooManyParagraphs

MAX_PARAGRAPHS = 3000
# Joins the cells of a table row into one list item.
CELL_SEPARATOR = " · "


@dataclass
class ImportedParagraph:
    title: str
    text: str


@dataclass
class ImportedChapter:
    number: int | None
    title: str
    paragraphs: list[ImportedParagraph] = field(default_factory=list)


@dataclass
class ImportedDraft:
    chapters: list[ImportedChapter]
    # "docx", "markdown" or "text", for the audit trail.
    source_format: str = ""

    @property
    def paragraph_count(self) -> int:
        return sum(len(chapter.paragraphs) for chapter in self.chapters)


# --- events ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChapterHeading:
    text: str


@dataclass(frozen=True)
class ParagraphHeading:
    text: str


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class ListBlock:
    # "ul" or "ol"; a numbered list carries the number of each item.
    kind: str
    items: tuple[str, ...]
    numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class TableBlock:
    rows: tuple[tuple[str, ...], ...]


# --- text helpers ------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")
# "3 Ziele", "3. Ziele", "3) Ziele", "Kapitel 3: Ziele", "3.2 Zielgruppe", "3.2. Zielgruppe".
# At most three digits, so that a heading like "2026 bis 2028" keeps its year.
_NUMBERED_HEADING = re.compile(
    r"(?:(?:kapitel|chapter|abschnitt|teil)\s+)?"
    r"(?P<number>\d{1,3})(?P<sub>(?:\.\d{1,3})*)\.?"
    r"(?:\s*[:)–—-]\s*|\s+)(?P<title>\S.*)",
    re.IGNORECASE,
)
_ONLY_NUMBER = re.compile(
    r"(?:(?:kapitel|chapter|abschnitt|teil)\s+)?(\d{1,3})(?:\.\d{1,3})*\.?", re.IGNORECASE
)


def clean(text: str) -> str:
    """One space between words: line breaks, tabs and non-breaking spaces inside a paragraph
    carry no meaning in the draft's text format."""
    return _WHITESPACE.sub(" ", text.replace("\u00ad", "")).strip()


@dataclass(frozen=True)
class HeadingNumber:
    number: int | None
    # 1 for "3 Ziele", 2 for "3.2 Zielgruppe".
    depth: int
    title: str


def split_heading_number(heading: str) -> HeadingNumber:
    heading = clean(heading)
    match = _NUMBERED_HEADING.fullmatch(heading)
    if match:
        depth = 1 + match.group("sub").count(".")
        return HeadingNumber(int(match.group("number")), depth, match.group("title").strip())
    only = _ONLY_NUMBER.fullmatch(heading)
    if only:
        return HeadingNumber(int(only.group(1)), 1 + heading.rstrip(".").count("."), "")
    return HeadingNumber(None, 0, heading)


def list_text(block: ListBlock) -> str:
    if block.kind == "ol":
        return "\n".join(f"{n}. {item}" for n, item in zip(block.numbers, block.items, strict=True))
    return "\n".join(f"- {item}" for item in block.items)


def table_text(block: TableBlock) -> str:
    return "\n".join("- " + CELL_SEPARATOR.join(row) for row in block.rows)


# --- assembling --------------------------------------------------------------------------------


class _Assembler:
    """Turns events into chapters and paragraphs.

    A paragraph heading (Heading 2/3, "##", "3.2 Title") gives its title to the paragraph that
    follows, and that paragraph gathers everything up to the next heading: a titled section of a
    concept is one unit people comment on, and the preview can split it before any block.
    Without a paragraph heading, each text block is a paragraph of its own; a list belongs to
    the paragraph before it (it usually continues that sentence), a table stands alone."""

    def __init__(self):
        self.chapters: list[ImportedChapter] = []
        self.pending_title: str | None = None
        # True while the last paragraph is a titled section that gathers further blocks.
        self.gathering = False
        self.count = 0

    def _chapter(self) -> ImportedChapter:
        if not self.chapters:
            # Text before the first heading: a chapter without number or title, which the
            # preview flags for the administration to name or merge.
            self.chapters.append(ImportedChapter(None, ""))
        return self.chapters[-1]

    def _new_paragraph(self, title: str, text: str) -> None:
        self.count += 1
        if self.count > MAX_PARAGRAPHS:
            raise TooManyParagraphs(MAX_PARAGRAPHS)
        self._chapter().paragraphs.append(ImportedParagraph(title, text))

    def _append(self, text: str) -> None:
        last = self._chapter().paragraphs[-1]
        last.text = f"{last.text}\n\n{text}" if last.text else text

    def _flush_pending_title(self) -> None:
        # A paragraph heading straight after another one: keep it as an empty paragraph that
        # the preview flags, rather than losing the title.
        if self.pending_title is not None:
            self._new_paragraph(self.pending_title, "")
            self.pending_title = None

    def chapter_heading(self, text: str) -> None:
        self._flush_pending_title()
        heading = split_heading_number(text)
        self.chapters.append(ImportedChapter(heading.number, heading.title))
        self.gathering = False

    def paragraph_heading(self, text: str) -> None:
        self._flush_pending_title()
        self.pending_title = split_heading_number(text).title
        self.gathering = False

    def block(self, text: str, *, follows_previous: bool) -> None:
        if not text:
            return
        if self.pending_title is not None:
            self._new_paragraph(self.pending_title, text)
            self.pending_title = None
            self.gathering = True
        elif self.gathering or (follows_previous and self._chapter().paragraphs):
            self._append(text)
        else:
            self._new_paragraph("", text)

    def feed(self, event) -> None:
        match event:
            case ChapterHeading(text):
                self.chapter_heading(text)
            case ParagraphHeading(text):
                self.paragraph_heading(text)
            case Text(text):
                self.block(clean(text), follows_previous=False)
            case ListBlock() as block if block.items:
                self.block(list_text(block), follows_previous=True)
            case TableBlock() as block if block.rows:
                self.block(table_text(block), follows_previous=False)

    def result(self, source_format: str) -> ImportedDraft:
        self._flush_pending_title()
        draft = ImportedDraft(self.chapters, source_format)
        if not any(p.text for chapter in draft.chapters for p in chapter.paragraphs):
            raise EmptyDocument("no text")
        return draft


def assemble(events, source_format: str) -> ImportedDraft:
    assembler = _Assembler()
    for event in events:
        assembler.feed(event)
    return assembler.result(source_format)

"""The draft's structure before publication: importing it, and fixing chapters and paragraphs
(merge, split, move, delete, add, renumber). Only a draft nobody has commented on can change;
after publication, changes are made as a revision.

Paragraph numbers are always "chapter.position", recomputed after every structural change.
Paragraph and Section numbers are unique per consultation, and PostgreSQL checks that after
every statement, so renumbering goes through temporary numbers first."""

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm.attributes import set_committed_value

from consult.extensions import db
from consult.models import Comment, Consultation, Paragraph, ParagraphVersion, Phase, Section
from consult.services.audit import record
from consult.services.documents import consultation_with_draft
from consult.services.errors import ServiceError
from consult.services.imports import ImportedDraft
from consult.text import normalise_newlines

# Longer paragraphs are hard to comment on as one; the preview suggests splitting them.
LONG_PARAGRAPH = 3000
TITLE_MAX_LENGTH = 300
SLUG_MAX_LENGTH = 80
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")

PUBLISHED = "published"
COMMENTED = "commented"


class DraftLocked(ServiceError):
    """The draft is published or has comments; its structure no longer changes here."""

    def __init__(self, reason: str):
        super().__init__(f"draft is {reason}")
        self.reason = reason


class ChapterNumberTaken(ServiceError):
    pass


class ChapterNotEmpty(ServiceError):
    pass


class NoNextParagraph(ServiceError):
    """Merging needs a paragraph after this one in the same chapter."""


class InvalidSplitPoint(ServiceError):
    """A paragraph splits before one of its blocks other than the first."""


class CannotMove(ServiceError):
    """The first paragraph cannot move up, the last not down."""


class InvalidSlug(ServiceError):
    pass


class SlugTaken(ServiceError):
    pass


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StructureView:
    consultation: Consultation
    sections: list[Section]
    # None while the structure may change, else PUBLISHED or COMMENTED.
    lock: str | None
    paragraphs_by_id: dict[int, Paragraph] = field(default_factory=dict)

    @property
    def editable(self) -> bool:
        return self.lock is None

    @property
    def paragraph_total(self) -> int:
        return sum(len(section.paragraphs) for section in self.sections)

    def section(self, section_id: int) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def paragraph(self, paragraph_id: int) -> Paragraph | None:
        return self.paragraphs_by_id.get(paragraph_id)

    @cached_property
    def warnings(self) -> dict[str, list]:
        """What the administration should look at before publishing, by kind."""
        return {
            "untitled": [s for s in self.sections if not s.title.strip()],
            "empty": [p for s in self.sections for p in s.paragraphs if not p.text.strip()],
            "long": [
                p for s in self.sections for p in s.paragraphs if len(p.text) > LONG_PARAGRAPH
            ],
        }

    @property
    def warning_total(self) -> int:
        return sum(len(items) for items in self.warnings.values())


def load_structure(consultation_id: int) -> StructureView | None:
    """The consultation with its chapters and paragraphs and whether they may change: four
    queries, however long the draft."""
    consultation = consultation_with_draft(Consultation.id == consultation_id)
    if consultation is None:
        return None
    by_id = {}
    for section in consultation.sections:
        for paragraph in section.paragraphs:
            # The loaded chapter is the paragraph's own; say so, instead of a query per paragraph.
            set_committed_value(paragraph, "section", section)
            by_id[paragraph.id] = paragraph
    return StructureView(consultation, consultation.sections, lock_reason(consultation), by_id)


def lock_reason(consultation: Consultation) -> str | None:
    if consultation.phase is not Phase.DRAFT:
        return PUBLISHED
    if db.session.scalar(select(exists().where(Comment.consultation_id == consultation.id))):
        return COMMENTED
    return None


def paragraph_count(consultation_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Paragraph)
        .where(Paragraph.consultation_id == consultation_id)
    )


def text_parts(text: str) -> list[str]:
    """The blocks of a paragraph's text (text, list, table) where it can be split."""
    return [part.strip() for part in _BLANK_LINE.split(text.strip()) if part.strip()]


def _require_editable(consultation: Consultation) -> None:
    reason = lock_reason(consultation)
    if reason is not None:
        raise DraftLocked(reason)


# --- import ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    chapters: int
    paragraphs: int


def chapter_numbers(imported: ImportedDraft) -> list[int]:
    """The import's chapter numbers where present and unique; the others continue from the
    chapter before them. A preface before chapter 1 becomes chapter 0."""
    taken: set[int] = set()
    kept: list[int | None] = []
    for chapter in imported.chapters:
        if chapter.number is not None and chapter.number not in taken:
            taken.add(chapter.number)
            kept.append(chapter.number)
        else:
            kept.append(None)
    numbers: list[int] = []
    for index, number in enumerate(kept):
        if number is None:
            if numbers:
                candidate = numbers[-1] + 1
            else:
                following = next((n for n in kept[index + 1 :] if n is not None), None)
                candidate = 0 if following == 1 else 1
            while candidate in taken:
                candidate += 1
            taken.add(candidate)
            number = candidate
        numbers.append(number)
    return numbers


def replace_content(
    consultation: Consultation, imported: ImportedDraft, *, actor, now: datetime
) -> ImportResult:
    """The imported chapters and paragraphs instead of the current ones."""
    _require_editable(consultation)
    replaced = paragraph_count(consultation.id)
    paragraph_ids = select(Paragraph.id).where(Paragraph.consultation_id == consultation.id)
    db.session.execute(
        delete(ParagraphVersion).where(ParagraphVersion.paragraph_id.in_(paragraph_ids)),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(delete(Paragraph).where(Paragraph.consultation_id == consultation.id))
    db.session.execute(delete(Section).where(Section.consultation_id == consultation.id))
    db.session.expire(consultation, ["sections"])
    numbers = chapter_numbers(imported)
    for position, (chapter, number) in enumerate(zip(imported.chapters, numbers, strict=True)):
        section = Section(
            consultation_id=consultation.id,
            number=number,
            position=position + 1,
            title=chapter.title[:TITLE_MAX_LENGTH],
        )
        db.session.add(section)
        db.session.flush()
        db.session.add_all(
            Paragraph(
                consultation_id=consultation.id,
                section_id=section.id,
                number=f"{number}.{index}",
                position=index,
                title=paragraph.title[:TITLE_MAX_LENGTH],
                text=paragraph.text,
                added_in_version=consultation.draft_version,
            )
            for index, paragraph in enumerate(chapter.paragraphs, start=1)
        )
    db.session.flush()
    result = ImportResult(len(imported.chapters), imported.paragraph_count)
    record(
        actor,
        "draft.import",
        consultation,
        {
            "format": imported.source_format,
            "chapters": result.chapters,
            "paragraphs": result.paragraphs,
            "replaced_paragraphs": replaced,
        },
        now=now,
    )
    return result


def create_draft(slug: str, title: str, *, actor, now: datetime) -> Consultation:
    """A new consultation in the draft phase, for importing into from the command line."""
    if len(slug) > SLUG_MAX_LENGTH or not _SLUG.fullmatch(slug):
        raise InvalidSlug(slug)
    if db.session.scalar(select(exists().where(Consultation.slug == slug))):
        raise SlugTaken(slug)
    consultation = Consultation(
        slug=slug, title=title.strip()[:TITLE_MAX_LENGTH], phase=Phase.DRAFT, created_at=now
    )
    db.session.add(consultation)
    db.session.flush()
    record(actor, "consultation.create", consultation, {"slug": slug}, now=now)
    return consultation


# --- numbering ---------------------------------------------------------------------------------


def _renumber(consultation: Consultation) -> None:
    """Positions from the order of the lists, numbers from the positions."""
    db.session.flush()  # new paragraphs get their ids
    wanted: dict[Paragraph, str] = {}
    for chapter_position, section in enumerate(consultation.sections, start=1):
        section.position = chapter_position
        for position, paragraph in enumerate(section.paragraphs, start=1):
            paragraph.position = position
            wanted[paragraph] = f"{section.number}.{position}"
    changing = [p for p, number in wanted.items() if p.number != number]
    for paragraph in changing:
        paragraph.number = f"~{paragraph.id}"
    db.session.flush()
    for paragraph in changing:
        paragraph.number = wanted[paragraph]
    db.session.flush()


def _temporary_number() -> str:
    # Unique until _renumber gives the new paragraph its real number in the same flush cycle.
    return f"~new-{uuid.uuid4().hex[:12]}"


def fix_numbering(consultation: Consultation, *, start: int, actor, now: datetime) -> None:
    """Chapters numbered start, start + 1, ... in their order; paragraphs follow."""
    _require_editable(consultation)
    changing = [
        (section, start + index)
        for index, section in enumerate(consultation.sections)
        if section.number != start + index
    ]
    for section, _number in changing:
        section.number = -section.id
    db.session.flush()
    for section, number in changing:
        section.number = number
    _renumber(consultation)
    record(actor, "draft.renumber", consultation, {"start": start}, now=now)


# --- chapters ----------------------------------------------------------------------------------


def edit_chapter(
    consultation: Consultation, section: Section, *, number: int, title: str, actor, now: datetime
) -> None:
    _require_editable(consultation)
    if any(s.number == number and s is not section for s in consultation.sections):
        raise ChapterNumberTaken(number)
    previous = section.number
    section.number = number
    section.title = title.strip()[:TITLE_MAX_LENGTH]
    _renumber(consultation)
    record(actor, "draft.edit_chapter", section, {"number": number, "previous": previous}, now=now)


def delete_chapter(consultation: Consultation, section: Section, *, actor, now: datetime) -> None:
    _require_editable(consultation)
    if section.paragraphs:
        raise ChapterNotEmpty(section.number)
    consultation.sections.remove(section)
    _renumber(consultation)
    record(actor, "draft.delete_chapter", section, {"number": section.number}, now=now)


def add_paragraph(
    consultation: Consultation, section: Section, *, title: str, text: str, actor, now: datetime
) -> Paragraph:
    _require_editable(consultation)
    paragraph = Paragraph(
        consultation_id=consultation.id,
        number=_temporary_number(),
        position=len(section.paragraphs) + 1,
        title=title.strip()[:TITLE_MAX_LENGTH],
        text=_clean_text(text),
        added_in_version=consultation.draft_version,
    )
    section.paragraphs.append(paragraph)
    _renumber(consultation)
    record(actor, "draft.add", paragraph, {"number": paragraph.number}, now=now)
    return paragraph


# --- paragraphs --------------------------------------------------------------------------------


def _clean_text(text: str) -> str:
    return (normalise_newlines(text) or "").strip()


def edit_paragraph(
    consultation: Consultation, paragraph: Paragraph, *, title: str, text: str, actor, now
) -> None:
    _require_editable(consultation)
    paragraph.title = title.strip()[:TITLE_MAX_LENGTH]
    paragraph.text = _clean_text(text)
    db.session.flush()
    record(actor, "draft.edit", paragraph, {"number": paragraph.number}, now=now)


def merge_with_next(
    consultation: Consultation, paragraph: Paragraph, *, actor, now: datetime
) -> Paragraph:
    """This paragraph and the next one in its chapter become one: the texts joined with a blank
    line, the second title kept only if the first paragraph has none."""
    _require_editable(consultation)
    siblings = paragraph.section.paragraphs
    index = siblings.index(paragraph)
    if index + 1 >= len(siblings):
        raise NoNextParagraph(paragraph.number)
    following = siblings[index + 1]
    merged = (paragraph.number, following.number)
    paragraph.text = "\n\n".join(t for t in (paragraph.text.strip(), following.text.strip()) if t)
    if not paragraph.title.strip():
        paragraph.title = following.title
    siblings.remove(following)
    _renumber(consultation)
    record(actor, "draft.merge", paragraph, {"merged": list(merged)}, now=now)
    return paragraph


def split_paragraph(
    consultation: Consultation,
    paragraph: Paragraph,
    *,
    before_block: int,
    title: str,
    actor,
    now: datetime,
) -> Paragraph:
    """A new paragraph from block `before_block` (counted from 0) on, right after this one."""
    _require_editable(consultation)
    parts = text_parts(paragraph.text)
    if not 0 < before_block < len(parts):
        raise InvalidSplitPoint(before_block)
    paragraph.text = "\n\n".join(parts[:before_block])
    new = Paragraph(
        consultation_id=consultation.id,
        number=_temporary_number(),
        position=paragraph.position + 1,
        title=title.strip()[:TITLE_MAX_LENGTH],
        text="\n\n".join(parts[before_block:]),
        added_in_version=consultation.draft_version,
    )
    siblings = paragraph.section.paragraphs
    siblings.insert(siblings.index(paragraph) + 1, new)
    _renumber(consultation)
    record(
        actor,
        "draft.split",
        paragraph,
        {"number": paragraph.number, "new_number": new.number, "before_block": before_block},
        now=now,
    )
    return new


def move_paragraph(
    consultation: Consultation, paragraph: Paragraph, *, up: bool, actor, now: datetime
) -> None:
    _require_editable(consultation)
    siblings = paragraph.section.paragraphs
    index = siblings.index(paragraph)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        raise CannotMove(paragraph.number)
    previous = paragraph.number
    order = list(siblings)
    order[index], order[other] = order[other], order[index]
    for position, sibling in enumerate(order, start=1):
        sibling.position = position
    # Sorting in place fires no collection events; replacing items would orphan (and delete)
    # the paragraph taken out.
    siblings.sort(key=lambda sibling: sibling.position)
    _renumber(consultation)
    record(actor, "draft.move", paragraph, {"from": previous, "to": paragraph.number}, now=now)


def delete_paragraph(
    consultation: Consultation, paragraph: Paragraph, *, actor, now: datetime
) -> None:
    _require_editable(consultation)
    number = paragraph.number
    paragraph.section.paragraphs.remove(paragraph)
    _renumber(consultation)
    record(actor, "draft.delete", paragraph, {"number": number}, now=now)

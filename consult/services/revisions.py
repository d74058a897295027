"""The revised draft (version 2) and the Synopse.

After the consultation the administration rewrites the draft. The Paragraph rows always hold
the current wording; starting the revision keeps the consulted wording in ParagraphVersion
(version 1), so that the Synopse can show both side by side. Comments stay attached to their
paragraph whatever happens to its wording, and a dropped paragraph keeps its comments.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, literal, select, update
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from consult.extensions import db
from consult.models import (
    Answer,
    Comment,
    Consultation,
    Paragraph,
    ParagraphVersion,
    Recommendation,
    Section,
)
from consult.models.comment import PUBLISHED_STATEMENT
from consult.models.response import ANSWER_IS_COMPLETE
from consult.services import audit
from consult.services.consultations import REVISION_START_PHASE
from consult.services.documents import consultation_with_draft
from consult.services.errors import ServiceError
from consult.text import normalise_newlines

CONSULTED_VERSION = 1
REVISED_VERSION = 2
TITLE_MAX_LENGTH = 300

# The votes after which the draft was changed ("berücksichtigt", "teilweise berücksichtigt").
CHANGING_RECOMMENDATIONS = tuple(r for r in Recommendation if r.changes_the_draft)


class RevisionNotAllowed(ServiceError):
    """The draft can be revised only once the consultation is closed."""


class NotRevising(ServiceError):
    """The revision has not been started."""


class ParagraphDropped(ServiceError):
    """A dropped paragraph is restored before it is edited."""


# --- starting --------------------------------------------------------------------------------


def start_revision(consultation: Consultation, *, actor, now: datetime) -> bool:
    """Keep every paragraph's consulted wording and make the draft version 2. Returns False
    when the revision was started already (nothing changes then)."""
    if consultation.draft_version > CONSULTED_VERSION:
        return False
    if consultation.phase is not REVISION_START_PHASE:
        raise RevisionNotAllowed()
    # Claim the revision first: of two requests started at the same moment only one moves the
    # draft to version 2; the other changes nothing rather than copying the wording twice.
    claimed = db.session.execute(
        update(Consultation)
        .where(
            Consultation.id == consultation.id,
            Consultation.draft_version == CONSULTED_VERSION,
            Consultation.phase == REVISION_START_PHASE,
        )
        .values(draft_version=REVISED_VERSION)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount == 0:
        db.session.refresh(consultation, ["draft_version"])
        return False
    set_committed_value(consultation, "draft_version", REVISED_VERSION)
    # One INSERT ... SELECT however long the draft is.
    db.session.execute(
        insert(ParagraphVersion).from_select(
            ["paragraph_id", "version", "title", "text", "created_at"],
            select(
                Paragraph.id,
                literal(CONSULTED_VERSION, ParagraphVersion.version.type),
                Paragraph.title,
                Paragraph.text,
                literal(now, ParagraphVersion.created_at.type),
            ).where(Paragraph.consultation_id == consultation.id),
        )
    )
    db.session.execute(
        update(Paragraph)
        .where(Paragraph.consultation_id == consultation.id)
        .values(consulted_title=Paragraph.title, consulted_text=Paragraph.text)
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    audit.record(actor, "draft.revision_start", consultation, {"version": REVISED_VERSION}, now=now)
    return True


def _require_revising(consultation: Consultation) -> None:
    if consultation.draft_version < REVISED_VERSION:
        raise NotRevising()


# --- editing ---------------------------------------------------------------------------------


def paragraph_in(consultation_id: int, paragraph_id: int) -> Paragraph | None:
    """The paragraph with its chapter and consultation, if it belongs to this consultation."""
    return db.session.scalars(
        select(Paragraph)
        .where(Paragraph.id == paragraph_id, Paragraph.consultation_id == consultation_id)
        .options(joinedload(Paragraph.section), joinedload(Paragraph.consultation))
    ).one_or_none()


def section_in(consultation_id: int, section_id: int) -> Section | None:
    return db.session.scalars(
        select(Section)
        .where(Section.id == section_id, Section.consultation_id == consultation_id)
        .options(joinedload(Section.consultation))
    ).one_or_none()


def _clean(text: str) -> str:
    return (normalise_newlines(text) or "").strip()


def revise_paragraph(
    paragraph: Paragraph, *, title: str, text: str, actor, now: datetime
) -> list[str]:
    """Give the paragraph its revised wording; returns the names of the fields that changed."""
    _require_revising(paragraph.consultation)
    if paragraph.removed_in_version is not None:
        raise ParagraphDropped()
    values = {"title": " ".join(title.split()), "text": _clean(text)}
    changed = [name for name, value in values.items() if getattr(paragraph, name) != value]
    for name in changed:
        setattr(paragraph, name, values[name])
    if changed:
        db.session.flush()
        audit.record(
            actor,
            "draft.revise",
            paragraph,
            {"number": paragraph.number, "changed": changed},
            now=now,
        )
    return changed


def _next_free_number(section: Section) -> tuple[int, str]:
    """The position after the chapter's last paragraph and the number "chapter.position"; if
    that number is taken (the structure was renumbered by hand), the next free one."""
    last = db.session.scalar(
        select(func.max(Paragraph.position)).where(Paragraph.section_id == section.id)
    )
    taken = set(
        db.session.scalars(
            select(Paragraph.number).where(Paragraph.consultation_id == section.consultation_id)
        )
    )
    position = (last or 0) + 1
    while f"{section.number}.{position}" in taken:
        position += 1
    return position, f"{section.number}.{position}"


def add_paragraph(section: Section, *, title: str, text: str, actor, now: datetime) -> Paragraph:
    """A paragraph new in version 2, at the end of its chapter."""
    _require_revising(section.consultation)
    position, number = _next_free_number(section)
    paragraph = Paragraph(
        consultation_id=section.consultation_id,
        section_id=section.id,
        number=number,
        position=position,
        title=" ".join(title.split()),
        text=_clean(text),
        added_in_version=REVISED_VERSION,
    )
    db.session.add(paragraph)
    db.session.flush()
    # The chapter's list of paragraphs, if loaded, no longer tells the whole story.
    db.session.expire(section, ["paragraphs"])
    audit.record(actor, "draft.add_paragraph", paragraph, {"number": number}, now=now)
    return paragraph


def drop_paragraph(paragraph: Paragraph, *, actor, now: datetime) -> bool:
    """Leave the paragraph out of version 2. It stays, with its comments, for the Synopse."""
    _require_revising(paragraph.consultation)
    if paragraph.removed_in_version is not None:
        return False
    paragraph.removed_in_version = REVISED_VERSION
    db.session.flush()
    audit.record(actor, "draft.drop_paragraph", paragraph, {"number": paragraph.number}, now=now)
    return True


def restore_paragraph(paragraph: Paragraph, *, actor, now: datetime) -> bool:
    _require_revising(paragraph.consultation)
    if paragraph.removed_in_version is None:
        return False
    paragraph.removed_in_version = None
    db.session.flush()
    audit.record(actor, "draft.restore_paragraph", paragraph, {"number": paragraph.number}, now=now)
    return True


# --- reading: shared loaders -----------------------------------------------------------------


def _earlier_wordings(paragraph_ids: list[int]) -> dict[int, ParagraphVersion]:
    if not paragraph_ids:
        return {}
    return {
        version.paragraph_id: version
        for version in db.session.scalars(
            select(ParagraphVersion).where(
                ParagraphVersion.paragraph_id.in_(paragraph_ids),
                ParagraphVersion.version == CONSULTED_VERSION,
            )
        )
    }


def _published_comments(paragraph_ids: list[int], *, changing_only: bool) -> dict[int, list]:
    """Published top-level comments on these paragraphs, in the order of their numbers, with
    their organisation and answer loaded."""
    if not paragraph_ids:
        return {}
    query = (
        select(Comment)
        .where(
            Comment.paragraph_id.in_(paragraph_ids),
            PUBLISHED_STATEMENT,
        )
        .options(joinedload(Comment.organisation), joinedload(Comment.answer))
        .order_by(Comment.reference.is_(None), Comment.reference, Comment.published_at, Comment.id)
    )
    if changing_only:
        query = query.join(Answer, Answer.id == Comment.answer_id).where(
            # A draft answer is not a decision: only complete answers led to a change.
            Answer.recommendation.in_(CHANGING_RECOMMENDATIONS),
            ANSWER_IS_COMPLETE,
        )
    comments: dict[int, list] = {}
    for comment in db.session.scalars(query):
        comments.setdefault(comment.paragraph_id, []).append(comment)
    return comments


def _sections_with_paragraphs(consultation_id: int, section_id: int | None = None) -> list:
    query = (
        select(Section)
        .where(Section.consultation_id == consultation_id)
        .order_by(Section.position)
        .options(selectinload(Section.paragraphs))
    )
    if section_id is not None:
        query = query.where(Section.id == section_id)
    return list(db.session.scalars(query))


# --- the revision editor ---------------------------------------------------------------------


@dataclass(frozen=True)
class RevisionParagraph:
    paragraph: Paragraph
    # The consulted wording; None for a paragraph new in version 2.
    earlier: ParagraphVersion | None
    # Its published comments with their answers: why the administration changes it.
    comments: list[Comment]

    @property
    def is_new(self) -> bool:
        return self.paragraph.added_in_version > CONSULTED_VERSION

    @property
    def is_dropped(self) -> bool:
        return self.paragraph.removed_in_version is not None

    @property
    def is_changed(self) -> bool:
        earlier = self.earlier
        return earlier is not None and (
            earlier.title != self.paragraph.title or earlier.text != self.paragraph.text
        )


@dataclass(frozen=True)
class RevisionChapter:
    section: Section
    paragraphs: list[RevisionParagraph]


@dataclass(frozen=True)
class RevisionPage:
    consultation: Consultation
    chapters: list[RevisionChapter]


def revision_page(consultation: Consultation, section_id: int | None = None) -> RevisionPage:
    """Every chapter (or one) with its paragraphs, their consulted wording and their published
    comments with answers: four queries however many comments there are."""
    sections = _sections_with_paragraphs(consultation.id, section_id)
    ids = [p.id for s in sections for p in s.paragraphs]
    earlier = _earlier_wordings(ids)
    comments = _published_comments(ids, changing_only=False)
    chapters = [
        RevisionChapter(
            section,
            [
                RevisionParagraph(p, earlier.get(p.id), comments.get(p.id, []))
                for p in section.paragraphs
            ],
        )
        for section in sections
    ]
    return RevisionPage(consultation, chapters)


def revision_paragraph(paragraph: Paragraph) -> RevisionParagraph:
    earlier = _earlier_wordings([paragraph.id])
    comments = _published_comments([paragraph.id], changing_only=False)
    return RevisionParagraph(paragraph, earlier.get(paragraph.id), comments.get(paragraph.id, []))


# --- the Synopse -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SynopsisEntry:
    paragraph: Paragraph
    earlier: ParagraphVersion | None
    # Published comments whose answer changed the draft ("taken into account", fully or partly).
    comments: list[Comment]

    @property
    def is_new(self) -> bool:
        return self.earlier is None

    @property
    def is_dropped(self) -> bool:
        return self.paragraph.removed_in_version is not None

    @property
    def title_changed(self) -> bool:
        return self.earlier is not None and self.earlier.title != self.paragraph.title

    @property
    def text_changed(self) -> bool:
        return self.earlier is not None and self.earlier.text != self.paragraph.text

    @property
    def is_changed(self) -> bool:
        return self.title_changed or self.text_changed

    @property
    def is_unchanged(self) -> bool:
        return not (self.is_new or self.is_dropped or self.is_changed)


@dataclass(frozen=True)
class SynopsisChapter:
    section: Section
    # Changed, new and dropped paragraphs, in draft order.
    entries: list[SynopsisEntry]
    unchanged: list[SynopsisEntry]


@dataclass(frozen=True)
class SynopsisPage:
    consultation: Consultation
    chapters: list[SynopsisChapter]

    @property
    def changed_count(self) -> int:
        return sum(len(chapter.entries) for chapter in self.chapters)


def synopsis_page(slug: str) -> SynopsisPage | None:
    """The consulted and the revised draft side by side: five queries, however many comments."""
    consultation = consultation_with_draft(Consultation.slug == slug)
    if consultation is None:
        return None
    paragraphs = [p for s in consultation.sections for p in s.paragraphs]
    earlier = _earlier_wordings([p.id for p in paragraphs])
    comments = _published_comments([p.id for p in paragraphs], changing_only=True)
    chapters = []
    for section in consultation.sections:
        entries = [
            SynopsisEntry(p, earlier.get(p.id), comments.get(p.id, []))
            for p in section.paragraphs
            # Added and dropped again within the revision: it never was part of either version.
            if not (p.id not in earlier and p.removed_in_version is not None)
        ]
        chapters.append(
            SynopsisChapter(
                section,
                [e for e in entries if not e.is_unchanged],
                [e for e in entries if e.is_unchanged],
            )
        )
    return SynopsisPage(consultation, chapters)

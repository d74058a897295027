"""Reading the draft: the list of consultations, the document page and the thread of
published comments on a paragraph, a chapter or the whole draft."""

import enum
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from consult.extensions import db
from consult.models import (
    Answer,
    Comment,
    CommentKind,
    CommentStatus,
    Consultation,
    Paragraph,
    Phase,
    Section,
    StakeholderGroup,
)
from consult.services.publication import public_answer
from consult.services.targets import Target


@dataclass(frozen=True)
class DocumentPage:
    consultation: Consultation
    sections: list[Section]
    published_comment_total: int

    @property
    def synopsis_published(self) -> bool:
        """The revised draft's comparison with the consulted one is public with the results."""
        return self.consultation.shows_revised_draft

    def paragraphs_of(self, section: Section) -> list[Paragraph]:
        """The section's paragraphs in the version shown: those added in a revision appear,
        and those it dropped disappear, only once the revision is public."""
        return [p for p in section.paragraphs if p.is_in_version(self.consultation.shown_version)]

    @cached_property
    def whole_draft(self) -> Target:
        return Target(self.consultation)

    @cached_property
    def chapter_targets(self) -> dict[int, Target]:
        return {s.id: Target(self.consultation, s) for s in self.sections}

    @cached_property
    def paragraph_targets(self) -> dict[int, Target]:
        return {p.id: Target(self.consultation, s, p) for s in self.sections for p in s.paragraphs}


class ThreadOrder(enum.StrEnum):
    OLDEST = "oldest"
    NEWEST = "newest"


THREAD_PAGE_SIZE = 20


@dataclass(frozen=True)
class ThreadFilters:
    group: StakeholderGroup | None = None
    kind: CommentKind | None = None
    order: ThreadOrder = ThreadOrder.OLDEST
    # How many comments to show: "show more" raises it by a page and renders the thread again.
    shown: int = THREAD_PAGE_SIZE

    @property
    def active(self) -> bool:
        return self.group is not None or self.kind is not None


@dataclass(frozen=True)
class ThreadPage:
    target: Target
    comments: list[Comment]
    replies: dict[int, list[Comment]]
    filters: ThreadFilters
    matching: int
    # The administration's answers readers may see, by comment id: none before the results.
    answers: dict[int, Answer] = field(default_factory=dict)

    @property
    def has_more(self) -> bool:
        return self.matching > len(self.comments)


def listed_consultations(include_drafts: bool) -> list[Consultation]:
    query = select(Consultation).order_by(Consultation.created_at.desc())
    if not include_drafts:
        query = query.where(Consultation.phase != Phase.DRAFT)
    return list(db.session.scalars(query))


def easy_read_consultations() -> list[Consultation]:
    """The public consultations that have an explanation in Leichte Sprache, newest first."""
    return list(
        db.session.scalars(
            select(Consultation)
            .where(Consultation.phase != Phase.DRAFT, Consultation.easy_read != "")
            .order_by(Consultation.created_at.desc())
        )
    )


def consultation_with_draft(where) -> Consultation | None:
    """The consultation matching `where` with its chapters and their paragraphs: three
    queries, however long the draft."""
    return db.session.scalars(
        select(Consultation)
        .where(where)
        .options(selectinload(Consultation.sections).selectinload(Section.paragraphs))
    ).one_or_none()


def document_page(slug: str) -> DocumentPage | None:
    """The whole draft in three queries, however many comments it has."""
    consultation = consultation_with_draft(Consultation.slug == slug)
    if consultation is None:
        return None
    total = consultation.published_comment_count + sum(
        s.published_comment_count + sum(p.published_comment_count for p in s.paragraphs)
        for s in consultation.sections
    )
    return DocumentPage(consultation, consultation.sections, total)


def thread_page(target: Target, filters: ThreadFilters) -> ThreadPage:
    """The published comments on one target with their published replies, filtered, sorted and
    cut to `filters.shown` — three queries however long the thread is."""
    conditions = [
        target.filter(),
        Comment.status == CommentStatus.APPROVED,
        Comment.parent_id.is_(None),
    ]
    if filters.group is not None:
        conditions.append(Comment.group == filters.group)
    if filters.kind is not None:
        conditions.append(Comment.kind == filters.kind)
    matching = db.session.scalar(select(func.count()).select_from(Comment).where(*conditions))
    newest_first = filters.order is ThreadOrder.NEWEST
    order = (
        (Comment.published_at.desc(), Comment.id.desc())
        if newest_first
        else (Comment.published_at, Comment.id)
    )
    comments = list(
        db.session.scalars(
            select(Comment)
            .where(*conditions)
            .order_by(*order)
            .limit(filters.shown)
            .options(joinedload(Comment.organisation), joinedload(Comment.answer))
        )
    )
    answers = {c.id: answer for c in comments if (answer := public_answer(c, target.consultation))}
    return ThreadPage(target, comments, _published_replies(comments), filters, matching, answers)


def _published_replies(comments: list[Comment]) -> dict[int, list[Comment]]:
    if not comments:
        return {}
    replies: dict[int, list[Comment]] = {}
    for reply in db.session.scalars(
        select(Comment)
        .where(
            Comment.parent_id.in_([c.id for c in comments]),
            Comment.status == CommentStatus.APPROVED,
        )
        .order_by(Comment.published_at, Comment.id)
        .options(joinedload(Comment.organisation))
    ):
        replies.setdefault(reply.parent_id, []).append(reply)
    return replies


def count_published(paragraph_id: int) -> int:
    """The true count, for checking the maintained counter."""
    return db.session.scalar(
        select(func.count())
        .select_from(Comment)
        .where(
            Comment.paragraph_id == paragraph_id,
            Comment.status == CommentStatus.APPROVED,
            Comment.parent_id.is_(None),
        )
    )

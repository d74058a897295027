"""Reading the draft: the list of consultations, the document page and a paragraph's thread."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from consult.extensions import db
from consult.models import Comment, CommentStatus, Consultation, Paragraph, Phase, Section


@dataclass(frozen=True)
class DocumentPage:
    consultation: Consultation
    sections: list[Section]
    published_comment_total: int


@dataclass(frozen=True)
class ThreadView:
    consultation: Consultation
    paragraph: Paragraph
    comments: list[Comment]


def listed_consultations(include_drafts: bool) -> list[Consultation]:
    query = select(Consultation).order_by(Consultation.created_at.desc())
    if not include_drafts:
        query = query.where(Consultation.phase != Phase.DRAFT)
    return list(db.session.scalars(query))


def document_page(slug: str) -> DocumentPage | None:
    """The whole draft in three queries, however many comments it has."""
    consultation = db.session.scalars(
        select(Consultation)
        .where(Consultation.slug == slug)
        .options(selectinload(Consultation.sections).selectinload(Section.paragraphs))
    ).one_or_none()
    if consultation is None:
        return None
    total = sum(p.published_comment_count for s in consultation.sections for p in s.paragraphs)
    return DocumentPage(consultation, consultation.sections, total)


def find_paragraph(slug: str, number: str) -> Paragraph | None:
    """The paragraph with its consultation and section, in one query."""
    return db.session.scalars(
        select(Paragraph)
        .join(Paragraph.consultation)
        .join(Paragraph.section)
        .where(Consultation.slug == slug, Paragraph.number == number)
        .options(contains_eager(Paragraph.consultation), contains_eager(Paragraph.section))
    ).one_or_none()


def published_comments(paragraph: Paragraph) -> list[Comment]:
    return list(
        db.session.scalars(
            select(Comment)
            .where(Comment.paragraph_id == paragraph.id, Comment.status == CommentStatus.APPROVED)
            .order_by(Comment.published_at, Comment.id)
        )
    )


def thread_view(slug: str, number: str) -> ThreadView | None:
    paragraph = find_paragraph(slug, number)
    if paragraph is None:
        return None
    return ThreadView(paragraph.consultation, paragraph, published_comments(paragraph))


def count_published(paragraph_id: int) -> int:
    """The true count, for checking the maintained counter."""
    return db.session.scalar(
        select(func.count())
        .select_from(Comment)
        .where(Comment.paragraph_id == paragraph_id, Comment.status == CommentStatus.APPROVED)
    )

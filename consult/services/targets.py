"""What a comment is about: one paragraph, one chapter, or the draft as a whole."""

import enum
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from consult.extensions import db
from consult.models import Comment, Consultation, Paragraph, Section


class TargetKind(enum.StrEnum):
    PARAGRAPH = "paragraph"
    CHAPTER = "chapter"
    DRAFT = "draft"


@dataclass(frozen=True)
class Target:
    consultation: Consultation
    section: Section | None = None
    paragraph: Paragraph | None = None

    @property
    def kind(self) -> TargetKind:
        if self.paragraph is not None:
            return TargetKind.PARAGRAPH
        if self.section is not None:
            return TargetKind.CHAPTER
        return TargetKind.DRAFT

    @property
    def anchor(self) -> str:
        """The id of the target on the document page, also used to prefix form fields."""
        if self.paragraph is not None:
            return self.paragraph.anchor
        if self.section is not None:
            return self.section.anchor
        return "draft"

    @property
    def url_args(self) -> dict:
        """Arguments for url_for: the three kinds of target have their own URL rules."""
        if self.paragraph is not None:
            return {"slug": self.consultation.slug, "number": self.paragraph.number}
        if self.section is not None:
            return {"slug": self.consultation.slug, "chapter": self.section.number}
        return {"slug": self.consultation.slug}

    @property
    def published_comment_count(self) -> int:
        owner = self.paragraph or self.section or self.consultation
        return owner.published_comment_count

    def filter(self):
        """The WHERE clause for comments on exactly this target (not on its parts)."""
        if self.paragraph is not None:
            return Comment.paragraph_id == self.paragraph.id
        if self.section is not None:
            return (Comment.section_id == self.section.id) & Comment.paragraph_id.is_(None)
        return (Comment.consultation_id == self.consultation.id) & Comment.section_id.is_(None)


# A comment shown with what it is about and who wrote it, whatever the page.
WITH_CONTEXT = (
    joinedload(Comment.consultation),
    joinedload(Comment.section),
    joinedload(Comment.paragraph),
    joinedload(Comment.organisation),
)


def comment_in_context(comment_id: int, with_parent: bool = False) -> Comment | None:
    options = (*WITH_CONTEXT, joinedload(Comment.parent)) if with_parent else WITH_CONTEXT
    # Its permalink page shows the administration's answer once the results are out.
    options = (*options, joinedload(Comment.answer))
    return db.session.scalars(
        select(Comment).where(Comment.id == comment_id).options(*options)
    ).one_or_none()


def target_of(comment: Comment) -> Target:
    """The target of a comment whose consultation, section and paragraph are loaded."""
    return Target(comment.consultation, comment.section, comment.paragraph)


def find_target(slug: str, number: str | None = None, chapter: int | None = None) -> Target | None:
    """The target named by a URL, with its consultation (and chapter), in one query."""
    if number is not None:
        paragraph = db.session.scalars(
            select(Paragraph)
            .join(Paragraph.consultation)
            .join(Paragraph.section)
            .where(Consultation.slug == slug, Paragraph.number == number)
            .options(contains_eager(Paragraph.consultation), contains_eager(Paragraph.section))
        ).one_or_none()
        # A paragraph a revision added is not public before the revision is (a dropped one
        # stays reachable: its comments are still attached to it).
        if paragraph is None or paragraph.added_in_version > paragraph.consultation.shown_version:
            return None
        return Target(paragraph.consultation, paragraph.section, paragraph)
    if chapter is not None:
        section = db.session.scalars(
            select(Section)
            .join(Section.consultation)
            .where(Consultation.slug == slug, Section.number == chapter)
            .options(contains_eager(Section.consultation))
        ).one_or_none()
        if section is None:
            return None
        return Target(section.consultation, section)
    consultation = db.session.scalars(
        select(Consultation).where(Consultation.slug == slug)
    ).one_or_none()
    if consultation is None:
        return None
    return Target(consultation)

"""A contribution to a consultation: a comment on a paragraph, a chapter or the whole draft,
or a reply one level under a published comment."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.models.consultation import Consultation, Paragraph, Section
from consult.models.organisation import Organisation
from consult.models.response import Answer
from consult.models.stakeholder import StakeholderGroup
from consult.models.types import UTCDateTime, enum_column, utcnow


class CommentKind(enum.StrEnum):
    SUPPORT = "support"
    OBJECTION = "objection"
    SUGGESTION = "suggestion"
    QUESTION = "question"
    NOTE = "note"

    @property
    def label(self):
        return _KIND_LABELS[self]


_KIND_LABELS = {
    CommentKind.SUPPORT: _l("Support"),
    CommentKind.OBJECTION: _l("Objection or concern"),
    CommentKind.SUGGESTION: _l("Suggestion or proposed change"),
    CommentKind.QUESTION: _l("Question"),
    CommentKind.NOTE: _l("Note"),
}


class CommentStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    # The author took it back: it disappears from every public page and export.
    WITHDRAWN = "withdrawn"
    # Published, then flagged by enough readers that the rules hide it until a moderator decides.
    HIDDEN = "hidden"

    @property
    def label(self):
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    CommentStatus.PENDING: _l("Awaiting moderation"),
    CommentStatus.APPROVED: _l("Published"),
    CommentStatus.REJECTED: _l("Rejected"),
    CommentStatus.WITHDRAWN: _l("Withdrawn"),
    CommentStatus.HIDDEN: _l("Hidden while moderators check it"),
}


# Out in public, or taken out of view by readers' reports: what a report or a decision on
# reports applies to.
REPORTABLE_STATUSES = (CommentStatus.APPROVED, CommentStatus.HIDDEN)


class Comment(db.Model):
    __table_args__ = (
        # The public thread and the moderation queue both filter by status first.
        Index("ix_comment_paragraph_status_created", "paragraph_id", "status", "created_at"),
        Index("ix_comment_status_created", "status", "created_at"),
        Index("ix_comment_consultation_status", "consultation_id", "status"),
        # Flagged comments are back in the queue whatever their status.
        Index("ix_comment_open_flag_count", "open_flag_count"),
        UniqueConstraint("consultation_id", "reference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The target: the whole draft (only consultation_id), a chapter (section_id) or a paragraph
    # (section_id and paragraph_id). A reply copies its parent's target.
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("section.id"), index=True)
    paragraph_id: Mapped[int | None] = mapped_column(ForeignKey("paragraph.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id"), index=True)

    # Who wrote it. Anonymous people and members have a participant; an organisation is set
    # when a member speaks on its behalf; staff_author_id marks the administration's replies.
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    staff_author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    # What the public reads. After a redaction it holds REDACTION_MARK where personal data was.
    text: Mapped[str] = mapped_column(Text)
    # The author's words before a redaction: never published; the retention purge must erase
    # them with the other personal data.
    original_text: Mapped[str | None] = mapped_column(Text)
    redacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Reader flags not yet dealt with by a moderator; a flagged comment is back in the queue.
    open_flag_count: Mapped[int] = mapped_column(Integer, default=0)
    # An Anregung may carry a complete new wording of its paragraph.
    proposed_text: Mapped[str | None] = mapped_column(Text)
    pseudonym: Mapped[str | None] = mapped_column(String(60))
    group: Mapped[StakeholderGroup] = mapped_column(enum_column(StakeholderGroup))
    # Replies have no kind: they answer, they do not weigh in on the draft.
    kind: Mapped[CommentKind | None] = mapped_column(enum_column(CommentKind))
    # The language the text is written in, as the author said; shown as "original language".
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[CommentStatus] = mapped_column(
        enum_column(CommentStatus), default=CommentStatus.PENDING
    )
    # Incremented by every change: decisions, edits and withdrawals are conditional updates on
    # it, so a moderator and the author acting at once cannot both win.
    version: Mapped[int] = mapped_column(Integer, default=1)
    consent_notice_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The administration's answer, possibly shared with similar comments.
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id"), index=True)
    # "Lfd. Nr." in the Abwägungstabelle, e.g. "A-017" (A organisations, B individuals). Given
    # once (services.numbering) and never changed, so the Kreistag can cite it.
    reference: Mapped[str | None] = mapped_column(String(12))

    consultation: Mapped[Consultation] = relationship(lazy="raise")
    section: Mapped[Section | None] = relationship(lazy="raise")
    paragraph: Mapped[Paragraph | None] = relationship(lazy="raise")
    parent: Mapped["Comment | None"] = relationship(remote_side="Comment.id", lazy="raise")
    organisation: Mapped[Organisation | None] = relationship(lazy="raise")
    answer: Mapped[Answer | None] = relationship(lazy="raise")

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def is_statement(self) -> bool:
        """Written on behalf of an organisation."""
        return self.organisation_id is not None

    @property
    def is_administration(self) -> bool:
        return self.staff_author_id is not None

    @property
    def is_public(self) -> bool:
        """Published, and for a reply its comment too (the parent must be loaded)."""
        return self.status is CommentStatus.APPROVED and (
            self.parent_id is None or self.parent.status is CommentStatus.APPROVED
        )

    @property
    def is_redacted(self) -> bool:
        return self.redacted_at is not None


# A published statement: what the Abwägungstabelle numbers and answers, and what the results,
# the report and the exports count. Approved, because nothing else is public; top-level,
# because replies discuss a statement rather than weigh in on the draft; not by staff, because
# the administration does not answer its own texts.
PUBLISHED_STATEMENT = and_(
    Comment.status == CommentStatus.APPROVED,
    Comment.parent_id.is_(None),
    Comment.staff_author_id.is_(None),
)

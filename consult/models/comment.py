"""A participant's comment on one paragraph."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.models.consultation import Paragraph
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

    @property
    def label(self):
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    CommentStatus.PENDING: _l("Awaiting moderation"),
    CommentStatus.APPROVED: _l("Published"),
    CommentStatus.REJECTED: _l("Rejected"),
}


class Comment(db.Model):
    __table_args__ = (
        # The public thread and the moderation queue both filter by status first.
        Index("ix_comment_paragraph_status_created", "paragraph_id", "status", "created_at"),
        Index("ix_comment_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("paragraph.id"))
    text: Mapped[str] = mapped_column(Text)
    pseudonym: Mapped[str | None] = mapped_column(String(60))
    group: Mapped[StakeholderGroup] = mapped_column(enum_column(StakeholderGroup))
    kind: Mapped[CommentKind] = mapped_column(enum_column(CommentKind))
    # The language the text is written in, as the author said; shown as "original language".
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[CommentStatus] = mapped_column(
        enum_column(CommentStatus), default=CommentStatus.PENDING
    )
    # Incremented by every status change: a decision is a conditional update on it, so two
    # moderators deciding the same comment at once cannot both win.
    version: Mapped[int] = mapped_column(Integer, default=1)
    consent_notice_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    paragraph: Mapped[Paragraph] = relationship(lazy="raise")

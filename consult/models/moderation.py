"""Moderation decisions: an append-only record beside the comment's single status field."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from consult.extensions import db
from consult.models.comment import Comment
from consult.models.staff import StaffUser
from consult.models.types import UTCDateTime, enum_column, utcnow


class Decision(enum.StrEnum):
    APPROVE = "approve"
    REJECT = "reject"

    @property
    def label(self):
        return {Decision.APPROVE: _l("Approved"), Decision.REJECT: _l("Rejected")}[self]


class RejectionReason(enum.StrEnum):
    """The published moderation rules; the reason is shown to the public and to the author."""

    INSULT_DISCRIMINATION = "insult_discrimination"
    PERSONAL_DATA = "personal_data"
    SPAM = "spam"
    OFF_TOPIC = "off_topic"
    DUPLICATE = "duplicate"
    ILLEGAL = "illegal"

    @property
    def label(self):
        return _REASON_LABELS[self]


_REASON_LABELS = {
    RejectionReason.INSULT_DISCRIMINATION: _l("Insult or discrimination"),
    RejectionReason.PERSONAL_DATA: _l("Personal data of other people"),
    RejectionReason.SPAM: _l("Advertising or spam"),
    RejectionReason.OFF_TOPIC: _l("Not about this draft"),
    RejectionReason.DUPLICATE: _l("Duplicate of another comment"),
    RejectionReason.ILLEGAL: _l("Illegal content"),
}


class ModerationDecision(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id"), index=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    decision: Mapped[Decision] = mapped_column(enum_column(Decision))
    reason: Mapped[RejectionReason | None] = mapped_column(enum_column(RejectionReason))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    comment: Mapped[Comment] = relationship(lazy="raise")
    moderator: Mapped[StaffUser] = relationship(lazy="raise")


class AppendOnlyError(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _forbid_rewriting_decisions(session, flush_context, instances):
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, ModerationDecision) and (
            obj in session.deleted or session.is_modified(obj)
        ):
            raise AppendOnlyError("moderation decisions are append-only")

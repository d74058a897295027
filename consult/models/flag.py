"""Readers' flags on published comments. A flag names a rule it thinks was broken; nothing
about the reader is stored."""

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.models.moderation import RejectionReason
from consult.models.types import UTCDateTime, enum_column, utcnow


class Flag(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id"), index=True)
    # Flags cite the published moderation rules, the same list moderators reject by.
    reason: Mapped[RejectionReason] = mapped_column(enum_column(RejectionReason))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when a moderator decides on the flagged comment, whichever way.
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

"""Whoever submitted comments: an anonymous person holding a private link, or a member."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.models.types import UTCDateTime, utcnow


class Participant(db.Model):
    """No name, no account: only what the private link needs.

    The link carries a random token; the database keeps its SHA-256, so a copy of the database
    does not open anyone's contributions. A signed-in organisation member has a participant
    without a token, reached through the account instead.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), unique=True)
    # Optional; used to send the link and notices, erased with everything else.
    email: Mapped[str | None] = mapped_column(String(254))
    # The UI language at the first post, for the language of notices.
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

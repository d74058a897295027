"""Who was told that a consultation's results are out, so that nobody is told twice and the
administration can send the notices that are still missing."""

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.models.types import UTCDateTime, utcnow


class ResultsNotice(db.Model):
    __table_args__ = (UniqueConstraint("consultation_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"))
    # Erasing a participant erases the record that they were written to.
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

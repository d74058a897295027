"""Translations of the draft, made by the administration as a reading aid.

The German wording stays the binding text. A translation remembers a digest of the German
wording it was made from, so that readers and staff can be told when the German text changed
since (after a revision, or an edit before publication)."""

import hashlib
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.models.types import UTCDateTime, utcnow


def source_digest(*parts: str) -> str:
    """A short fingerprint of the German wording a translation was made from."""
    joined = "\x1f".join(part or "" for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


class ParagraphTranslation(db.Model):
    __table_args__ = (UniqueConstraint("paragraph_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Denormalised so a page loads every translation of a draft in one indexed query.
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("paragraph.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text)
    source_digest: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SectionTranslation(db.Model):
    __table_args__ = (UniqueConstraint("section_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(300), default="")
    # The chapter's "Kurz erklärt" in this language.
    plain_summary: Mapped[str] = mapped_column(Text, default="")
    source_digest: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

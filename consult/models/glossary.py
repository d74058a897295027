"""The glossary: bureaucratic and legal terms of the draft, explained in plain words.

One glossary serves the whole site, because the same terms (Rechtskreis, Duldung, Kreistag)
recur from one consultation to the next. Terms are German, as the binding draft is; each
explanation is written per language."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.models.types import UTCDateTime, utcnow


class GlossaryTerm(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(120), unique=True)
    # URL fragment and element id on the glossary page, e.g. "lenkungsgruppe".
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    # Other forms found in running text (plural, genitive, abbreviation), one per line.
    variants: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    explanations: Mapped[list["GlossaryExplanation"]] = relationship(
        back_populates="term",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="GlossaryExplanation.language",
    )

    @property
    def forms(self) -> list[str]:
        """The term and its variants, as they may appear in the draft."""
        extra = [line.strip() for line in self.variants.splitlines() if line.strip()]
        return [self.term, *extra]


class GlossaryExplanation(db.Model):
    __table_args__ = (UniqueConstraint("term_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(
        ForeignKey("glossary_term.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    # The term's name in this language ("steering group"), shown beside the German term.
    name: Mapped[str] = mapped_column(String(160), default="")
    explanation: Mapped[str] = mapped_column(Text)

    term: Mapped[GlossaryTerm] = relationship(back_populates="explanations", lazy="raise")

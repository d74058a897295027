"""The draft under consultation: Consultation -> Section (chapter) -> Paragraph."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.models.types import UTCDateTime, enum_column, utcnow


class Phase(enum.StrEnum):
    DRAFT = "draft"
    PREVIEW = "preview"
    OPEN = "open"
    EVALUATION = "evaluation"
    RESULTS = "results"

    @property
    def label(self):
        return _PHASE_LABELS[self]

    @property
    def is_public(self) -> bool:
        return self is not Phase.DRAFT


_PHASE_LABELS = {
    Phase.DRAFT: _l("Draft (staff only)"),
    Phase.PREVIEW: _l("Preview (read only)"),
    Phase.OPEN: _l("Open for comments"),
    Phase.EVALUATION: _l("Closed, being evaluated"),
    Phase.RESULTS: _l("Results published"),
}


class Consultation(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    organiser: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(String(300), default="")
    phase: Mapped[Phase] = mapped_column(enum_column(Phase), default=Phase.DRAFT)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A demonstration document carries a permanent banner saying it is not official.
    is_sample: Mapped[bool] = mapped_column(default=False)
    # Published comments on the draft as a whole, maintained like the paragraphs' counters.
    published_comment_count: Mapped[int] = mapped_column(Integer, default=0)
    # An explanation of the consultation in Leichte Sprache (plain text, blocks as in a paragraph).
    easy_read: Mapped[str] = mapped_column(Text, default="")
    # How else people could take part (meetings, letters), for the participation report.
    procedure_note: Mapped[str] = mapped_column(Text, default="")
    # 1 while the draft is consulted on; 2 once the administration revises it after the
    # consultation (the earlier wording is kept in ParagraphVersion for the Synopse).
    draft_version: Mapped[int] = mapped_column(Integer, default=1)
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sections: Mapped[list["Section"]] = relationship(
        back_populates="consultation",
        order_by="Section.position",
        lazy="raise",
        cascade="all, delete-orphan",
    )

    @property
    def shows_revised_draft(self) -> bool:
        """The revised wording is public with the results; until then readers see the wording
        they were asked to comment on, while the administration works on version 2."""
        return self.draft_version > 1 and self.phase is Phase.RESULTS

    @property
    def shown_version(self) -> int:
        """The version of the draft readers see."""
        return self.draft_version if self.shows_revised_draft else 1

    def accepts_comments_at(self, moment: datetime) -> bool:
        if self.phase is not Phase.OPEN:
            return False
        if self.opens_at and moment < self.opens_at:
            return False
        return not (self.closes_at and moment >= self.closes_at)


class Section(db.Model):
    __table_args__ = (UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    # Published comments on the chapter as a whole (not on its paragraphs).
    published_comment_count: Mapped[int] = mapped_column(Integer, default=0)
    # "Wesentliche Ergebnisse": the administration's summary of what the comments on this
    # chapter said, for the results page and the participation report.
    results_summary: Mapped[str] = mapped_column(Text, default="")
    # "Kurz erklärt": what the chapter says, in plain German, shown above its paragraphs.
    plain_summary: Mapped[str] = mapped_column(Text, default="")

    consultation: Mapped[Consultation] = relationship(back_populates="sections", lazy="raise")
    paragraphs: Mapped[list["Paragraph"]] = relationship(
        back_populates="section",
        order_by="Paragraph.position",
        lazy="raise",
        cascade="all, delete-orphan",
    )

    @property
    def anchor(self) -> str:
        return f"chapter-{self.number}"


class Paragraph(db.Model):
    __table_args__ = (UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Denormalised so that a paragraph is found by (consultation, number) in one indexed lookup.
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text)
    # Maintained by the moderation service so that the document page never counts comments.
    published_comment_count: Mapped[int] = mapped_column(Integer, default=0)
    # A revision may add paragraphs and drop others; a dropped paragraph stays (its comments
    # stay attached to it) but is no longer part of the current wording.
    added_in_version: Mapped[int] = mapped_column(Integer, default=1)
    removed_in_version: Mapped[int | None] = mapped_column(Integer)
    # The wording people commented on, kept here (as well as in ParagraphVersion) once a
    # revision starts, so that every page can show a proposal's diff against the text it was
    # written for without another query.
    consulted_title: Mapped[str | None] = mapped_column(String(300))
    consulted_text: Mapped[str | None] = mapped_column(Text)

    section: Mapped[Section] = relationship(back_populates="paragraphs", lazy="raise")
    consultation: Mapped[Consultation] = relationship(lazy="raise")

    @property
    def anchor(self) -> str:
        """Stable fragment id, e.g. "p-4-4" for paragraph 4.4."""
        return "p-" + self.number.replace(".", "-")

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def commented_title(self) -> str:
        return self.title if self.consulted_title is None else self.consulted_title

    @property
    def commented_text(self) -> str:
        """The wording comments and proposals were written against (version 1)."""
        return self.text if self.consulted_text is None else self.consulted_text

    def is_in_version(self, version: int) -> bool:
        return self.added_in_version <= version and (
            self.removed_in_version is None or self.removed_in_version > version
        )


class ParagraphVersion(db.Model):
    """The wording a paragraph had in an earlier version of the draft; the paragraph itself
    always holds the current wording."""

    __table_args__ = (UniqueConstraint("paragraph_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("paragraph.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

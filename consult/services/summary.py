"""The consolidated summary of a consultation: one Summary, built once per request, feeds every
export (CSV, JSON, XLSX, the DOCX Abwägungstabelle, the Kreistag report as DOCX and PDF).

Writers never query: everything they print is in these frozen dataclasses. Individuals are
never named (a row has an organisation name or None, never a pseudonym), e-mail addresses
never reach this module, and only published top-level comments become rows: withdrawn,
rejected, hidden and pending comments, replies and the administration's own comments do not.
"""

from dataclasses import dataclass
from datetime import datetime

from consult.models import CommentKind, Phase, Recommendation, RejectionReason, StakeholderGroup
from consult.services.numbering import Part


@dataclass(frozen=True)
class SummaryRow:
    """One row of the Abwägungstabelle: one published comment with its answer."""

    reference: str  # "A-017": stable, see services.numbering
    part: Part
    comment_id: int
    # What the comment is about. chapter_number None: the whole draft; paragraph_number None:
    # the chapter as a whole.
    chapter_number: int | None
    chapter_title: str
    paragraph_number: str | None
    paragraph_title: str
    # Organisations are named; None means "Einzelperson", never a pseudonym.
    organisation_name: str | None
    organisation_verified: bool
    group: StakeholderGroup
    kind: CommentKind
    language: str  # code of the language the author wrote in
    # Plain text; removed personal data appears as REDACTION_MARK, each writer renders it.
    text: str
    proposed_text: str | None
    published_at: datetime
    # The administration's answer; empty strings and None while unanswered.
    answer_text: str
    recommendation: Recommendation | None
    change_text: str
    # References of the other comments that share this answer.
    shares_answer_with: tuple[str, ...]


@dataclass(frozen=True)
class Count:
    key: str  # an enum value, a language code, a chapter number as text
    count: int


@dataclass(frozen=True)
class ChapterSummary:
    number: int
    title: str
    comment_count: int
    by_recommendation: tuple[Count, ...]
    # The administration's "Wesentliche Ergebnisse" for the chapter (may be empty).
    results_summary: str


@dataclass(frozen=True)
class ParagraphChange:
    """A paragraph whose wording changed in the revised draft."""

    number: str
    title: str
    old_text: str
    new_text: str
    # References of the comments that led to the change (answered taken or partly taken
    # into account).
    references: tuple[str, ...]


@dataclass(frozen=True)
class ModerationSummary:
    received: int
    published: int
    rejected: int
    rejected_by_reason: tuple[tuple[RejectionReason, int], ...]
    redacted: int
    withdrawn: int


@dataclass(frozen=True)
class Summary:
    slug: str
    title: str
    organiser: str
    contact: str
    phase: Phase
    opens_at: datetime | None
    closes_at: datetime | None
    results_published_at: datetime | None
    procedure_note: str
    draft_version: int
    generated_at: datetime
    # Part A (organisations) first, then part B (individuals), each in reference order.
    rows: tuple[SummaryRow, ...]
    chapters: tuple[ChapterSummary, ...]
    changes: tuple[ParagraphChange, ...]
    moderation: ModerationSummary
    by_group: tuple[Count, ...]
    by_kind: tuple[Count, ...]
    by_recommendation: tuple[Count, ...]  # key "" counts unanswered rows
    by_language: tuple[Count, ...]
    # Published replies are not rows, but the report mentions how many there were.
    reply_count: int

    @property
    def organisation_rows(self) -> tuple[SummaryRow, ...]:
        return tuple(r for r in self.rows if r.part is Part.ORGANISATIONS)

    @property
    def individual_rows(self) -> tuple[SummaryRow, ...]:
        return tuple(r for r in self.rows if r.part is Part.INDIVIDUALS)


def build_summary(consultation_id: int, now: datetime) -> Summary:
    """Everything the exports print, in a fixed, small number of queries. Callers number the
    comments first (numbering.assign_references) so that every row has its reference."""
    raise NotImplementedError

"""The consolidated summary of a consultation: one Summary, built once per request, feeds every
export (CSV, JSON, XLSX, the DOCX Abwägungstabelle, the Kreistag report as DOCX and PDF).

Writers never query: everything they print is in these frozen dataclasses. Individuals are
never named (a row has an organisation name or None, never a pseudonym), e-mail addresses
never reach this module, and only published top-level comments become rows: withdrawn,
rejected, hidden and pending comments, replies and the administration's own comments do not.
"""

import enum
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from consult.extensions import db
from consult.models import (
    Answer,
    Comment,
    CommentKind,
    CommentStatus,
    Consultation,
    Organisation,
    Paragraph,
    ParagraphVersion,
    Phase,
    Recommendation,
    RejectionReason,
    Section,
    StakeholderGroup,
)
from consult.models.comment import PUBLISHED_STATEMENT
from consult.models.response import ANSWER_IS_COMPLETE
from consult.services.numbering import Part, part_of
from consult.services.transparency import moderation_figures


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
    # The administration's answer; empty strings and None while unanswered. A draft answer
    # (no reply or no recommendation yet) reads as unanswered: it must never reach the Kreistag.
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


class WordingChange(enum.StrEnum):
    CHANGED = "changed"
    # New in the revised draft: old_text is empty.
    ADDED = "added"
    # Dropped from the revised draft: new_text is empty.
    REMOVED = "removed"


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
    change: WordingChange = WordingChange.CHANGED


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


# --- building ----------------------------------------------------------------------------------

_REFERENCE_NUMBER = re.compile(r"[AB]-(\d+)")
# Chapter-level comments sort before the chapter's paragraphs, whole-draft ones before all.
_NOWHERE = -1


def build_summary(consultation_id: int, now: datetime) -> Summary:
    """Everything the exports print, in a fixed, small number of queries (eight, whatever the
    number of comments). Callers number the comments first (numbering.assign_references) so
    that every row has its reference.

    Raises LookupError when there is no such consultation."""
    consultation, reply_count = _consultation(consultation_id)
    sections = _sections(consultation_id)
    loaded = _rows(consultation_id)
    rows = tuple(row for row, _ in loaded)
    figures = moderation_figures(consultation_id)
    by_chapter: dict[int | None, list[SummaryRow]] = defaultdict(list)
    for row in rows:
        by_chapter[row.chapter_number].append(row)
    return Summary(
        slug=consultation.slug,
        title=consultation.title,
        organiser=consultation.organiser,
        contact=consultation.contact,
        phase=consultation.phase,
        opens_at=consultation.opens_at,
        closes_at=consultation.closes_at,
        results_published_at=consultation.results_published_at,
        procedure_note=consultation.procedure_note,
        draft_version=consultation.draft_version,
        generated_at=now,
        rows=rows,
        chapters=tuple(
            ChapterSummary(
                number=number,
                title=title,
                comment_count=len(by_chapter.get(number, ())),
                by_recommendation=_by_recommendation(by_chapter.get(number, ())),
                results_summary=results_summary,
            )
            for number, title, results_summary in sections
        ),
        changes=_changes(consultation_id, loaded),
        moderation=ModerationSummary(
            received=figures.received,
            published=figures.published,
            rejected=figures.rejected,
            rejected_by_reason=tuple((f.reason, f.count) for f in figures.rejected_by_reason),
            redacted=figures.redacted,
            withdrawn=figures.withdrawn,
        ),
        by_group=_by_enum(StakeholderGroup, (row.group for row in rows)),
        by_kind=_by_enum(CommentKind, (row.kind for row in rows)),
        by_recommendation=_by_recommendation(rows),
        by_language=tuple(
            Count(code, count)
            for code, count in sorted(
                Counter(row.language for row in rows).items(), key=lambda item: (-item[1], item[0])
            )
        ),
        reply_count=reply_count,
    )


def published_reply_count(consultation_id: int):
    """Published replies under published comments, as a scalar subquery: not statements, but
    the report and the results page say how many there were."""
    reply, parent = aliased(Comment), aliased(Comment)
    return (
        select(func.count())
        .select_from(reply)
        .join(parent, parent.id == reply.parent_id)
        .where(
            reply.consultation_id == consultation_id,
            reply.status == CommentStatus.APPROVED,
            parent.status == CommentStatus.APPROVED,
        )
        .scalar_subquery()
    )


def _consultation(consultation_id: int) -> tuple[Consultation, int]:
    found = db.session.execute(
        select(Consultation, published_reply_count(consultation_id)).where(
            Consultation.id == consultation_id
        )
    ).one_or_none()
    if found is None:
        raise LookupError(consultation_id)
    return found[0], found[1]


def _sections(consultation_id: int) -> list[tuple[int, str, str]]:
    return [
        tuple(row)
        for row in db.session.execute(
            select(Section.number, Section.title, Section.results_summary)
            .where(Section.consultation_id == consultation_id)
            .order_by(Section.position, Section.number)
        )
    ]


def _rows(consultation_id: int) -> list[tuple[SummaryRow, int | None]]:
    """The published statements, A before B, each in reference order, with their paragraph's
    id. Plain columns rather than ORM objects: 10,000 rows load in a fraction of a second."""
    result = db.session.execute(
        select(
            Comment.id,
            Comment.reference,
            Comment.organisation_id,
            Comment.paragraph_id,
            Comment.group,
            Comment.kind,
            Comment.language,
            Comment.text,
            Comment.proposed_text,
            Comment.published_at,
            Comment.created_at,
            Comment.answer_id,
            Organisation.name,
            Organisation.verified,
            Section.number,
            Section.title,
            Section.position,
            Paragraph.number,
            # The title the comment was written about, even after a revision renamed it.
            func.coalesce(Paragraph.consulted_title, Paragraph.title),
            Paragraph.position,
            Answer.text,
            Answer.recommendation,
            Answer.change_text,
            ANSWER_IS_COMPLETE,
        )
        .outerjoin(Organisation, Organisation.id == Comment.organisation_id)
        .outerjoin(Section, Section.id == Comment.section_id)
        .outerjoin(Paragraph, Paragraph.id == Comment.paragraph_id)
        .outerjoin(Answer, Answer.id == Comment.answer_id)
        .where(
            Comment.consultation_id == consultation_id,
            PUBLISHED_STATEMENT,
        )
    ).all()

    def order(record) -> tuple:
        part = part_of(record[2])
        match = _REFERENCE_NUMBER.fullmatch(record[1] or "")
        # A comment without its number (the caller forgot to number) is never dropped from the
        # table: it follows the numbered ones of its part, in the draft's order.
        return (
            part is Part.INDIVIDUALS,
            match is None,
            int(match.group(1)) if match else 0,
            _NOWHERE if record[16] is None else record[16],
            _NOWHERE if record[19] is None else record[19],
            record[9] or record[10],
            record[0],
        )

    ordered = sorted(result, key=order)
    references_by_answer: dict[int, list[str]] = defaultdict(list)
    for record in ordered:
        if record[11] is not None:
            references_by_answer[record[11]].append(record[1] or "")
    built = []
    for (
        comment_id,
        reference,
        organisation_id,
        paragraph_id,
        group,
        kind,
        language,
        text,
        proposed_text,
        published_at,
        created_at,
        answer_id,
        organisation_name,
        organisation_verified,
        chapter_number,
        chapter_title,
        _,
        paragraph_number,
        paragraph_title,
        _,
        answer_text,
        recommendation,
        change_text,
        complete,
    ) in ordered:
        is_organisation = organisation_id is not None
        if not complete:
            answer_text, recommendation, change_text = "", None, ""
        shared = references_by_answer.get(answer_id, ()) if complete else ()
        row = SummaryRow(
            reference=reference or "",
            part=part_of(organisation_id),
            comment_id=comment_id,
            chapter_number=chapter_number,
            chapter_title=chapter_title or "",
            paragraph_number=paragraph_number,
            paragraph_title=paragraph_title or "",
            organisation_name=organisation_name if is_organisation else None,
            organisation_verified=bool(organisation_verified) if is_organisation else False,
            group=group,
            # Top-level comments always have a kind; an odd old row reads as a note.
            kind=kind or CommentKind.NOTE,
            language=language,
            text=text,
            proposed_text=proposed_text or None,
            published_at=published_at or created_at,
            answer_text=answer_text or "",
            recommendation=recommendation,
            change_text=change_text or "",
            shares_answer_with=tuple(r for r in shared if r and r != reference),
        )
        built.append((row, paragraph_id))
    return built


def _changes(
    consultation_id: int, loaded: list[tuple[SummaryRow, int | None]]
) -> tuple[ParagraphChange, ...]:
    """Paragraphs whose wording differs from the one consulted on (the earliest kept version),
    and paragraphs the revision added or dropped, in draft order."""
    records = db.session.execute(
        select(
            Paragraph.id,
            Paragraph.number,
            Paragraph.title,
            Paragraph.text,
            Paragraph.added_in_version,
            Paragraph.removed_in_version,
            ParagraphVersion.version,
            ParagraphVersion.title,
            ParagraphVersion.text,
        )
        .join(Section, Section.id == Paragraph.section_id)
        .outerjoin(ParagraphVersion, ParagraphVersion.paragraph_id == Paragraph.id)
        .where(
            Paragraph.consultation_id == consultation_id,
            ParagraphVersion.id.is_not(None)
            | (Paragraph.added_in_version > 1)
            | Paragraph.removed_in_version.is_not(None),
        )
        .order_by(Section.position, Paragraph.position, ParagraphVersion.version)
    ).all()
    leading: dict[int, list[str]] = defaultdict(list)
    for row, paragraph_id in loaded:
        if row.recommendation is not None and row.recommendation.changes_the_draft:
            leading[paragraph_id].append(row.reference)
    changes = []
    seen: set[int] = set()
    for (
        paragraph_id,
        number,
        title,
        text,
        added_in,
        removed_in,
        old_version,
        old_title,
        old_text,
    ) in records:
        if paragraph_id in seen:
            continue  # the earliest version came first
        seen.add(paragraph_id)
        if removed_in is not None:
            change, before, after = WordingChange.REMOVED, old_text or text, ""
        elif old_version is None:
            if added_in <= 1:
                continue
            change, before, after = WordingChange.ADDED, "", text
        elif (old_title, old_text) != (title, text):
            change, before, after = WordingChange.CHANGED, old_text, text
        else:
            continue
        changes.append(
            ParagraphChange(
                number=number,
                title=title,
                old_text=before,
                new_text=after,
                references=tuple(sorted(leading.get(paragraph_id, ()), key=_reference_order)),
                change=change,
            )
        )
    return tuple(changes)


def _reference_order(reference: str) -> tuple:
    match = _REFERENCE_NUMBER.fullmatch(reference)
    return (reference[:1], int(match.group(1)) if match else 0, reference)


def _by_enum(members: type[enum.Enum], values: Iterable) -> tuple[Count, ...]:
    counted = Counter(values)
    return tuple(Count(member.value, counted.get(member, 0)) for member in members)


def _by_recommendation(rows: Iterable[SummaryRow]) -> tuple[Count, ...]:
    """Every vote, zeros included, then "" for the rows not answered yet."""
    counted = Counter(row.recommendation for row in rows)
    return (
        *(Count(vote.value, counted.get(vote, 0)) for vote in Recommendation),
        Count("", counted.get(None, 0)),
    )

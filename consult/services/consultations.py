"""The administration's consultations: the overview, creating and editing them, and moving them
through their phases (draft -> preview -> open -> evaluation; the answers' publication moves
them on to results)."""

import enum
import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import UTC, datetime, tzinfo

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from consult.extensions import db
from consult.models import Answer, Comment, CommentStatus, Consultation, Paragraph, Phase, Section
from consult.models.comment import PUBLISHED_STATEMENT
from consult.models.response import ANSWER_IS_COMPLETE
from consult.services import audit, numbering
from consult.services.errors import ServiceError
from consult.services.slugs import free_slug
from consult.text import normalise_newlines

SLUG_MAX_LENGTH = 80
# The base leaves room for a "-2" when a derived slug is taken already.
SLUG_BASE_LENGTH = 70
SLUG_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})

# The phases an administrator moves a consultation through here, in order. Results are
# published by the answers' publish action, never from this list.
STEPS = (Phase.DRAFT, Phase.PREVIEW, Phase.OPEN, Phase.EVALUATION)


class SlugTaken(ServiceError):
    """Another consultation has this address already."""


class InvalidSlug(ServiceError):
    pass


class PeriodInvalid(ServiceError):
    """The period for comments would end before it starts."""


class PhaseChangeRefused(ServiceError):
    def __init__(self, reason: "RefusalReason"):
        super().__init__(reason.value)
        self.reason = reason


class RefusalReason(enum.StrEnum):
    NOT_A_STEP = "not_a_step"
    NO_PARAGRAPHS = "no_paragraphs"
    NO_CLOSING_DATE = "no_closing_date"
    CLOSING_DATE_PASSED = "closing_date_passed"
    ANSWERS_EXIST = "answers_exist"
    REVISION_STARTED = "revision_started"
    # Someone else changed the phase between showing the page and pressing the button.
    CHANGED_SINCE_SHOWN = "changed_since_shown"


class NextStep(enum.StrEnum):
    IMPORT = "import"
    CHECK_STRUCTURE = "check_structure"
    OPEN_COMMENTS = "open_comments"
    CLOSE = "close"
    ANSWER = "answer"
    PUBLISH_RESULTS = "publish_results"
    DONE = "done"


# --- the county's clock ----------------------------------------------------------------------


def county_time_to_utc(value: datetime | None, zone: tzinfo) -> datetime | None:
    """A time typed into a datetime-local field means the county's wall clock."""
    if value is None:
        return None
    return value.replace(tzinfo=zone).astimezone(UTC)


def utc_to_county_time(value: datetime | None, zone: tzinfo) -> datetime | None:
    """The stored moment as the county's wall clock, for a datetime-local field."""
    if value is None:
        return None
    return value.astimezone(zone).replace(tzinfo=None)


# --- slugs -----------------------------------------------------------------------------------


def slug_from_title(title: str) -> str:
    """A readable ASCII address: "Integrationskonzept Südkreis" -> "integrationskonzept-suedkreis".
    Titles in other scripts fall back to "consultation"."""
    text = unicodedata.normalize("NFKC", title).lower().translate(_GERMAN_LETTERS)
    # "é" becomes "e"; dashes and other punctuation separate words like spaces do.
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "replace").decode("ascii"))
    slug = text.strip("-")
    return slug[:SLUG_BASE_LENGTH].rstrip("-") or "consultation"


def _chosen_slug(slug: str, title: str, exclude_id: int | None) -> str:
    """A slug the administrator typed must be free; one derived from the title is made free."""
    slug = slug.strip()
    if not slug:
        return free_slug(Consultation, slug_from_title(title), exclude_id=exclude_id)
    if len(slug) > SLUG_MAX_LENGTH or not SLUG_PATTERN.fullmatch(slug):
        raise InvalidSlug()
    if free_slug(Consultation, slug, exclude_id=exclude_id) != slug:
        raise SlugTaken()
    return slug


# --- creating and editing --------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationDetails:
    """What the administration types about a consultation. Times are aware (UTC)."""

    title: str
    slug: str = ""
    summary: str = ""
    organiser: str = ""
    contact: str = ""
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    easy_read: str = ""
    procedure_note: str = ""
    is_sample: bool = False

    def cleaned(self) -> "ConsultationDetails":
        def text(value: str) -> str:
            return (normalise_newlines(value) or "").strip()

        return ConsultationDetails(
            title=" ".join(self.title.split()),
            slug=self.slug.strip(),
            summary=text(self.summary),
            organiser=" ".join(self.organiser.split()),
            contact=text(self.contact),
            opens_at=self.opens_at,
            closes_at=self.closes_at,
            easy_read=text(self.easy_read),
            procedure_note=text(self.procedure_note),
            is_sample=bool(self.is_sample),
        )


# The fields copied onto the consultation as they are (the slug is settled separately).
_PLAIN_FIELDS = tuple(f.name for f in fields(ConsultationDetails) if f.name != "slug")


def _check_period(details: ConsultationDetails) -> None:
    if details.opens_at and details.closes_at and details.closes_at <= details.opens_at:
        raise PeriodInvalid()


def create_consultation(details: ConsultationDetails, *, actor, now: datetime) -> Consultation:
    """A new consultation starts as a draft that only staff can see."""
    details = details.cleaned()
    _check_period(details)
    consultation = Consultation(
        slug=_chosen_slug(details.slug, details.title, exclude_id=None),
        phase=Phase.DRAFT,
        created_at=now,
        **{name: getattr(details, name) for name in _PLAIN_FIELDS},
    )
    db.session.add(consultation)
    db.session.flush()
    audit.record(
        actor,
        "consultation.create",
        consultation,
        {"slug": consultation.slug, "title": consultation.title},
        now=now,
    )
    return consultation


def update_consultation(
    consultation: Consultation, details: ConsultationDetails, *, actor, now: datetime
) -> list[str]:
    """Change what was typed; returns the names of the fields that changed (the audit event
    records the names only, not the texts)."""
    details = details.cleaned()
    _check_period(details)
    values = {name: getattr(details, name) for name in _PLAIN_FIELDS}
    if details.slug != consultation.slug:
        values["slug"] = _chosen_slug(details.slug, details.title, exclude_id=consultation.id)
    changed = [name for name, value in values.items() if getattr(consultation, name) != value]
    for name in changed:
        setattr(consultation, name, values[name])
    if changed:
        db.session.flush()
        audit.record(actor, "consultation.update", consultation, {"changed": changed}, now=now)
    return changed


def consultation_by_id(consultation_id: int) -> Consultation | None:
    return db.session.get(Consultation, consultation_id)


# --- the overview ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationRow:
    consultation: Consultation
    paragraphs: int
    published_comments: int
    pending_comments: int


def _current_paragraphs(consultation_id):
    return (
        select(func.count())
        .select_from(Paragraph)
        .where(Paragraph.consultation_id == consultation_id, Paragraph.removed_in_version.is_(None))
        .scalar_subquery()
    )


def _published_comments(consultation_id):
    return (
        select(func.count())
        .select_from(Comment)
        .where(Comment.consultation_id == consultation_id, PUBLISHED_STATEMENT)
        .scalar_subquery()
    )


def _pending_comments(consultation_id):
    # Replies wait for moderation too.
    return (
        select(func.count())
        .select_from(Comment)
        .where(Comment.consultation_id == consultation_id, Comment.status == CommentStatus.PENDING)
        .scalar_subquery()
    )


def overview() -> list[ConsultationRow]:
    """Every consultation, drafts too, newest first, with its figures: one query."""
    rows = db.session.execute(
        select(
            Consultation,
            _current_paragraphs(Consultation.id),
            _published_comments(Consultation.id),
            _pending_comments(Consultation.id),
        ).order_by(Consultation.created_at.desc(), Consultation.id.desc())
    ).all()
    return [ConsultationRow(*row) for row in rows]


# --- the dashboard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    consultation: Consultation
    chapters: int
    paragraphs: int
    published_comments: int
    pending_comments: int
    # Published comments whose answer has a text and a recommendation.
    answered_comments: int
    has_answers: bool

    @property
    def unanswered_comments(self) -> int:
        return self.published_comments - self.answered_comments

    @property
    def next_step(self) -> NextStep:
        phase = self.consultation.phase
        if phase is Phase.DRAFT:
            return NextStep.CHECK_STRUCTURE if self.paragraphs else NextStep.IMPORT
        if phase is Phase.PREVIEW:
            return NextStep.OPEN_COMMENTS
        if phase is Phase.OPEN:
            return NextStep.CLOSE
        if phase is Phase.EVALUATION:
            return NextStep.ANSWER if self.unanswered_comments else NextStep.PUBLISH_RESULTS
        return NextStep.DONE

    @property
    def phase_changes(self) -> list[Phase]:
        """The phases offered as buttons: one step on, one step back (RESULTS never)."""
        return allowed_phase_changes(self.consultation, has_answers=self.has_answers)

    @property
    def can_start_revision(self) -> bool:
        return (
            self.consultation.phase is REVISION_START_PHASE and self.consultation.draft_version == 1
        )


# A revision starts while the comments are being evaluated: the public keeps seeing the
# consulted draft until the results publish both. Started after the results, every half-done
# edit would be public at once.
REVISION_START_PHASE = Phase.EVALUATION


def dashboard(consultation_id: int) -> Dashboard | None:
    """The consultation and its figures: two queries."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        return None
    answered = (
        select(func.count())
        .select_from(Comment)
        .join(Answer, Answer.id == Comment.answer_id)
        .where(Comment.consultation_id == consultation_id, PUBLISHED_STATEMENT, ANSWER_IS_COMPLETE)
        .scalar_subquery()
    )
    chapters = (
        select(func.count())
        .select_from(Section)
        .where(Section.consultation_id == consultation_id)
        .scalar_subquery()
    )
    has_answers = exists().where(Answer.consultation_id == consultation_id)
    figures = db.session.execute(
        select(
            chapters,
            _current_paragraphs(consultation_id),
            _published_comments(consultation_id),
            _pending_comments(consultation_id),
            answered,
            has_answers,
        )
    ).one()
    return Dashboard(consultation, *figures[:5], has_answers=bool(figures[5]))


# --- phases ----------------------------------------------------------------------------------


def allowed_phase_changes(consultation: Consultation, *, has_answers: bool) -> list[Phase]:
    phase = consultation.phase
    if phase not in STEPS:
        return []
    index = STEPS.index(phase)
    offered = []
    if index + 1 < len(STEPS):
        offered.append(STEPS[index + 1])
    leaving_evaluation_blocked = phase is Phase.EVALUATION and (
        has_answers or consultation.draft_version > 1
    )
    if index > 0 and not leaving_evaluation_blocked:
        offered.append(STEPS[index - 1])
    return offered


def _answers_exist(consultation_id: int) -> bool:
    return bool(
        db.session.scalar(select(exists().where(Answer.consultation_id == consultation_id)))
    )


def _has_paragraphs(consultation_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Paragraph.consultation_id == consultation_id,
                    Paragraph.removed_in_version.is_(None),
                )
            )
        )
    )


def _refuse_unless_allowed(consultation: Consultation, target: Phase, now: datetime) -> None:
    phase = consultation.phase
    if phase not in STEPS or target not in STEPS:
        raise PhaseChangeRefused(RefusalReason.NOT_A_STEP)
    step = STEPS.index(target) - STEPS.index(phase)
    if step not in (1, -1):
        raise PhaseChangeRefused(RefusalReason.NOT_A_STEP)
    if phase is Phase.EVALUATION:
        # The comments have been weighed (or the draft rewritten): reopening them would change
        # what the answers refer to.
        if consultation.draft_version > 1:
            raise PhaseChangeRefused(RefusalReason.REVISION_STARTED)
        if _answers_exist(consultation.id):
            raise PhaseChangeRefused(RefusalReason.ANSWERS_EXIST)
    if phase is Phase.DRAFT and not _has_paragraphs(consultation.id):
        raise PhaseChangeRefused(RefusalReason.NO_PARAGRAPHS)
    if target is Phase.OPEN:
        if consultation.closes_at is None:
            raise PhaseChangeRefused(RefusalReason.NO_CLOSING_DATE)
        if consultation.closes_at <= now:
            raise PhaseChangeRefused(RefusalReason.CLOSING_DATE_PASSED)


def change_phase(
    consultation: Consultation, target: Phase, *, seen: Phase, actor, now: datetime
) -> Phase:
    """Move the consultation one step on or back; returns the phase it left.

    `seen` is the phase the administrator saw when pressing the button: if a colleague moved
    it in the meantime, nothing happens. Opening without a start date opens it now; entering
    the evaluation gives every published comment its number for the Abwägungstabelle."""
    if consultation.phase is not seen:
        raise PhaseChangeRefused(RefusalReason.CHANGED_SINCE_SHOWN)
    _refuse_unless_allowed(consultation, target, now)
    left = consultation.phase
    values = {"phase": target}
    if target is Phase.OPEN and consultation.opens_at is None:
        values["opens_at"] = now
    # A conditional update: of two administrators pressing at once, one wins.
    result = db.session.execute(
        update(Consultation)
        .where(Consultation.id == consultation.id, Consultation.phase == left)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise PhaseChangeRefused(RefusalReason.CHANGED_SINCE_SHOWN)
    # The row holds these values already; the loaded object learns them without a second
    # UPDATE.
    for name, value in values.items():
        set_committed_value(consultation, name, value)
    if target is Phase.EVALUATION:
        numbering.assign_references(consultation.id)
    audit.record(
        actor,
        "consultation.phase",
        consultation,
        {"from": left.value, "to": target.value},
        now=now,
    )
    return left

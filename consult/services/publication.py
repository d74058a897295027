"""Publishing the results: the consultation moves to its last phase, every published comment
gets its stable number, the answers become public, and the participants are told, each once:
who was told is recorded, so notices that failed or were cut short can be sent later."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, select, update

from consult.extensions import db
from consult.models import (
    Answer,
    Comment,
    CommentStatus,
    Consultation,
    Participant,
    Phase,
    ResultsNotice,
)
from consult.services import audit, numbering, responses
from consult.services.errors import ServiceError


class NotInEvaluation(ServiceError):
    """Results are published once commenting has closed and the answers were written."""


class UnansweredComments(ServiceError):
    """Some comments have no complete answer and nobody confirmed publishing anyway."""

    def __init__(self, count: int):
        super().__init__(f"{count} comments are unanswered")
        self.count = count


@dataclass(frozen=True)
class Notice:
    """Someone to tell that the results are out, in their language. Never stored or logged."""

    participant_id: int
    email: str
    language: str


@dataclass(frozen=True)
class NoticeCounts:
    """How many of the participants with an e-mail address were told."""

    told: int
    missing: int

    @property
    def total(self) -> int:
        return self.told + self.missing


def can_publish(consultation: Consultation) -> bool:
    return consultation.phase is Phase.EVALUATION


def can_send_notices(consultation: Consultation) -> bool:
    return consultation.phase is Phase.RESULTS


def publish_results(
    consultation: Consultation, *, actor, now: datetime, accept_unanswered: bool = False
) -> None:
    """Publish the answers. The participants are told afterwards, in batches, by the caller
    (`participants_to_tell`, `record_notices`), each batch after its own commit.

    Comments without a complete answer are published without one only when the administration
    said so (`accept_unanswered`); otherwise UnansweredComments says how many there are.
    """
    if not can_publish(consultation):
        raise NotInEvaluation()
    progress = responses.overview(consultation).total
    if progress.unanswered and not accept_unanswered:
        raise UnansweredComments(progress.unanswered)
    # A conditional update: of two requests publishing at once (a double click), one wins,
    # and only that one tells the participants.
    changed = db.session.execute(
        update(Consultation)
        .where(Consultation.id == consultation.id, Consultation.phase == Phase.EVALUATION)
        .values(phase=Phase.RESULTS, results_published_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.refresh(consultation)
        raise NotInEvaluation()
    db.session.refresh(consultation)
    numbered = numbering.assign_references(consultation.id)
    audit.record(
        actor,
        "results.publish",
        consultation,
        {
            "answered": progress.answered,
            "unanswered": progress.unanswered,
            "numbered": numbered,
            "notices": notice_counts(consultation.id).missing,
        },
        now=now,
    )


def _to_tell(consultation_id: int):
    """Everyone with an e-mail address who still has something in the consultation (a
    participant who withdrew everything asked to be left alone) and was not told yet."""
    return and_(
        Participant.email.is_not(None),
        Participant.email != "",
        exists().where(
            Comment.participant_id == Participant.id,
            Comment.consultation_id == consultation_id,
            Comment.status != CommentStatus.WITHDRAWN,
        ),
        ~exists().where(
            ResultsNotice.participant_id == Participant.id,
            ResultsNotice.consultation_id == consultation_id,
        ),
    )


def participants_to_tell(
    consultation_id: int, *, after: int = 0, limit: int | None = None
) -> list[Notice]:
    """The next participants still to be told, in id order from `after` on: a caller walks
    through them batch by batch and never meets one that failed again.

    Locks the consultation's row until the caller commits the batch's notices, so that a
    colleague sending at the same time (or a double click on "Send the missing notices") waits
    and then skips whoever this batch told, instead of telling them twice (PostgreSQL; SQLite
    lets one writer in at a time)."""
    db.session.execute(
        select(Consultation.id).where(Consultation.id == consultation_id).with_for_update()
    )
    rows = db.session.execute(
        select(Participant.id, Participant.email, Participant.language)
        .where(_to_tell(consultation_id), Participant.id > after)
        .order_by(Participant.id)
        .limit(limit)
    )
    return [Notice(participant_id, email, language) for participant_id, email, language in rows]


def record_notices(consultation_id: int, participant_ids: list[int], *, now: datetime) -> int:
    """Remember who was told. Someone recorded meanwhile (a colleague sending at the same
    time) is skipped: nobody has two notices for one consultation."""
    if not participant_ids:
        return 0
    already = set(
        db.session.scalars(
            select(ResultsNotice.participant_id).where(
                ResultsNotice.consultation_id == consultation_id,
                ResultsNotice.participant_id.in_(participant_ids),
            )
        )
    )
    new = [pid for pid in dict.fromkeys(participant_ids) if pid not in already]
    db.session.add_all(
        ResultsNotice(consultation_id=consultation_id, participant_id=pid, sent_at=now)
        for pid in new
    )
    db.session.flush()
    return len(new)


def notice_counts(consultation_id: int) -> NoticeCounts:
    told = db.session.scalar(
        select(func.count())
        .select_from(ResultsNotice)
        .where(ResultsNotice.consultation_id == consultation_id)
    )
    missing = db.session.scalar(
        select(func.count()).select_from(Participant).where(_to_tell(consultation_id))
    )
    return NoticeCounts(told=told or 0, missing=missing or 0)


def record_notification(
    consultation: Consultation, *, actor, sent: int, failed: int, now: datetime
) -> NoticeCounts:
    """The audit trail of one round of notices: counts only, never an address."""
    counts = notice_counts(consultation.id)
    audit.record(
        actor,
        "results.notify",
        consultation,
        {"sent": sent, "failed": failed, "told": counts.told, "missing": counts.missing},
        now=now,
    )
    return counts


def public_answer(comment: Comment, consultation: Consultation) -> Answer | None:
    """The answer the public may read for this comment: only once the results are published,
    only a complete one, and only for a published comment (its answer must be loaded)."""
    if consultation.phase is not Phase.RESULTS:
        return None
    if comment.status is not CommentStatus.APPROVED or comment.parent_id is not None:
        return None
    if comment.answer_id is None:
        return None
    answer = comment.answer
    return answer if answer is not None and answer.is_complete else None

"""Publishing the results: the consultation moves to its last phase, every published comment
gets its stable number, the answers become public, and the participants are told."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select

from consult.extensions import db
from consult.models import Answer, Comment, CommentStatus, Consultation, Participant, Phase
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

    email: str
    language: str


def can_publish(consultation: Consultation) -> bool:
    return consultation.phase is Phase.EVALUATION


def publish_results(
    consultation: Consultation, *, actor, now: datetime, accept_unanswered: bool = False
) -> list[Notice]:
    """Publish the answers; returns the notices the caller sends after its commit.

    Comments without a complete answer are published without one only when the administration
    said so (`accept_unanswered`); otherwise UnansweredComments says how many there are.
    """
    if not can_publish(consultation):
        raise NotInEvaluation()
    progress = responses.overview(consultation).total
    if progress.unanswered and not accept_unanswered:
        raise UnansweredComments(progress.unanswered)
    consultation.phase = Phase.RESULTS
    consultation.results_published_at = now
    db.session.flush()
    numbered = numbering.assign_references(consultation.id)
    notices = participants_to_tell(consultation.id)
    audit.record(
        actor,
        "results.publish",
        consultation,
        {
            "answered": progress.answered,
            "unanswered": progress.unanswered,
            "numbered": numbered,
            "notices": len(notices),
        },
        now=now,
    )
    return notices


def participants_to_tell(consultation_id: int) -> list[Notice]:
    """Everyone with an e-mail address who still has something in the consultation: a
    participant who withdrew everything asked to be left alone."""
    rows = db.session.execute(
        select(Participant.email, Participant.language)
        .where(
            Participant.email.is_not(None),
            Participant.email != "",
            exists().where(
                Comment.participant_id == Participant.id,
                Comment.consultation_id == consultation_id,
                Comment.status != CommentStatus.WITHDRAWN,
            ),
        )
        .order_by(Participant.id)
    )
    return [Notice(email, language) for email, language in rows]


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

"""People who take part without an account: their private link, and what they can do with
their own contributions through it (see, edit while pending, withdraw, export)."""

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from consult.extensions import db
from consult.models import (
    Answer,
    Comment,
    CommentKind,
    CommentStatus,
    Flag,
    Member,
    ModerationDecision,
    Participant,
    Phase,
)
from consult.services import counters, tokens
from consult.services.comments import clean_proposal, clean_text
from consult.services.errors import AlreadyWithdrawn, NoLongerEditable, NotYours
from consult.services.publication import public_answer
from consult.services.targets import WITH_CONTEXT, Target, target_of

EXPORT_FORMAT = "consult.participant-export"
EXPORT_VERSION = 1


class LinkState(enum.StrEnum):
    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"


@dataclass(frozen=True)
class LinkLookup:
    state: LinkState
    participant: Participant | None = None


@dataclass(frozen=True)
class Contribution:
    comment: Comment
    # The latest moderation decision, for a rejected comment's published reason.
    decision: ModerationDecision | None

    @property
    def target(self) -> Target:
        return target_of(self.comment)

    @property
    def results_published(self) -> bool:
        return self.comment.consultation.phase is Phase.RESULTS

    @property
    def answer(self) -> Answer | None:
        """The administration's answer, once the results are published (its answer loaded)."""
        return public_answer(self.comment, self.comment.consultation)


def start_participant(
    *, language: str, email: str | None, now: datetime, valid_days: int
) -> tuple[Participant, str]:
    """A new participant and the token of their private link (returned once, never stored)."""
    token, token_hash = tokens.new_token()
    participant = Participant(
        token_hash=token_hash,
        token_expires_at=now + timedelta(days=valid_days),
        email=clean_email(email),
        language=language,
        created_at=now,
    )
    db.session.add(participant)
    db.session.flush()
    return participant, token


def clean_email(email: str | None) -> str | None:
    cleaned = (email or "").strip()
    return cleaned or None


def member_participant(member: Member, *, language: str, now: datetime) -> Participant:
    """A member's contributions hang on a participant without a token, reached by signing in."""
    participant = db.session.scalars(
        select(Participant).where(Participant.member_id == member.id)
    ).one_or_none()
    if participant is None:
        participant = Participant(member_id=member.id, language=language, created_at=now)
        db.session.add(participant)
        db.session.flush()
    return participant


def lookup(token: str | None, now: datetime) -> LinkLookup:
    if not token:
        return LinkLookup(LinkState.UNKNOWN)
    participant = db.session.scalars(
        select(Participant).where(Participant.token_hash == tokens.hash_token(token))
    ).one_or_none()
    if participant is None:
        return LinkLookup(LinkState.UNKNOWN)
    if participant.token_expires_at is not None and participant.token_expires_at <= now:
        return LinkLookup(LinkState.EXPIRED)
    return LinkLookup(LinkState.VALID, participant)


def contributions(participant: Participant) -> list[Contribution]:
    """Everything this participant wrote, newest first, in two queries."""
    comments = list(
        db.session.scalars(
            select(Comment)
            .where(Comment.participant_id == participant.id)
            .order_by(Comment.created_at.desc(), Comment.id.desc())
            .options(*WITH_CONTEXT, joinedload(Comment.answer))
        )
    )
    decisions = _latest_decisions([c.id for c in comments])
    return [Contribution(c, decisions.get(c.id)) for c in comments]


def _latest_decisions(comment_ids: list[int]) -> dict[int, ModerationDecision]:
    if not comment_ids:
        return {}
    latest: dict[int, ModerationDecision] = {}
    for decision in db.session.scalars(
        select(ModerationDecision)
        .where(ModerationDecision.comment_id.in_(comment_ids))
        .order_by(ModerationDecision.decided_at, ModerationDecision.id)
    ):
        latest[decision.comment_id] = decision
    return latest


def own_comment(participant: Participant, comment_id: int) -> Comment:
    comment = db.session.scalars(
        select(Comment)
        .where(Comment.id == comment_id, Comment.participant_id == participant.id)
        .options(*WITH_CONTEXT)
    ).one_or_none()
    if comment is None:
        raise NotYours()
    return comment


def edit_pending(
    participant: Participant,
    comment_id: int,
    *,
    version: int,
    text: str,
    kind: CommentKind | None,
    proposed_text: str | None,
    language: str,
    now: datetime,
) -> Comment:
    """Change a comment that is still waiting for moderation.

    Conditional on status and version: if a moderator decided it, or another tab saved an edit,
    since the form was opened, nothing is written and NoLongerEditable says why.
    """
    comment = own_comment(participant, comment_id)
    if comment.is_reply:
        kind, proposed = None, None
    else:
        proposed = clean_proposal(target_of(comment), kind, proposed_text)
    changed = db.session.execute(
        update(Comment)
        .where(
            Comment.id == comment_id,
            Comment.participant_id == participant.id,
            Comment.status == CommentStatus.PENDING,
            Comment.version == version,
        )
        .values(
            text=clean_text(text),
            kind=kind,
            proposed_text=proposed,
            language=language,
            edited_at=now,
            version=Comment.version + 1,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(comment)
    if not changed:
        raise NoLongerEditable(comment.status)
    return comment


def withdraw(participant: Participant, comment_id: int, *, now: datetime) -> Comment:
    """Take a comment back, whatever its state: it leaves every public page and export.

    A published comment also leaves its counter. The update is conditional on the version
    read, so a moderator's decision at the same moment is never counted twice or lost.
    """
    for _attempt in range(3):
        comment = own_comment(participant, comment_id)
        if comment.status is CommentStatus.WITHDRAWN:
            raise AlreadyWithdrawn()
        was_published = comment.status is CommentStatus.APPROVED
        changed = db.session.execute(
            update(Comment)
            .where(Comment.id == comment_id, Comment.version == comment.version)
            .values(
                status=CommentStatus.WITHDRAWN,
                withdrawn_at=now,
                version=Comment.version + 1,
                # Reports on a text its author took back leave the queue with it.
                open_flag_count=0,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed:
            db.session.execute(
                update(Flag)
                .where(Flag.comment_id == comment_id, Flag.resolved_at.is_(None))
                .values(resolved_at=now)
            )
            if was_published:
                counters.adjust_published(
                    consultation_id=comment.consultation_id,
                    section_id=comment.section_id,
                    paragraph_id=comment.paragraph_id,
                    parent_id=comment.parent_id,
                    delta=-1,
                )
            db.session.expire(comment)
            return comment
        db.session.expire(comment)
    raise NoLongerEditable(comment.status)


def export_data(participant: Participant, now: datetime) -> dict:
    """Everything stored about this participant, as a documented JSON document (Art. 15, 20)."""
    items = contributions(participant)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": now.isoformat(),
        "participant": {
            "created_at": participant.created_at.isoformat(),
            "email": participant.email,
            "language": participant.language,
            "private_link_expires_at": _iso(participant.token_expires_at),
        },
        "contributions": [_export_item(item) for item in items],
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _export_item(item: Contribution) -> dict:
    comment = item.comment
    target = target_of(comment)
    decision = item.decision
    return {
        "id": comment.id,
        "consultation": {"slug": comment.consultation.slug, "title": comment.consultation.title},
        "target": {
            "type": target.kind.value,
            "chapter": comment.section.number if comment.section else None,
            "paragraph": comment.paragraph.number if comment.paragraph else None,
        },
        "reply_to": comment.parent_id,
        "organisation": comment.organisation.name if comment.organisation else None,
        "pseudonym": comment.pseudonym,
        "group": comment.group.value,
        "kind": comment.kind.value if comment.kind else None,
        "language": comment.language,
        # The author's own words, also where a moderator published them with passages removed.
        "text": comment.original_text or comment.text,
        "published_with_personal_data_removed": comment.is_redacted,
        "proposed_text": comment.proposed_text,
        "status": comment.status.value,
        "consent_notice_version": comment.consent_notice_version,
        "submitted_at": comment.created_at.isoformat(),
        "edited_at": _iso(comment.edited_at),
        "published_at": _iso(comment.published_at),
        "withdrawn_at": _iso(comment.withdrawn_at),
        "moderation": decision
        and {
            "decision": decision.decision.value,
            "reason": decision.reason.value if decision.reason else None,
            "note": decision.note or None,
            "duplicate_of": decision.duplicate_of_id,
            "decided_at": decision.decided_at.isoformat(),
        },
    }

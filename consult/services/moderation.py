"""Decisions on the queue: approve (optionally with personal data removed) or reject with a
published reason — on new comments and on published comments that readers reported."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from consult import redaction
from consult.extensions import db
from consult.models import (
    Comment,
    CommentStatus,
    Decision,
    Flag,
    ModerationDecision,
    RejectionReason,
    StaffUser,
)
from consult.models.comment import REPORTABLE_STATUSES
from consult.services import audit, counters
from consult.services.errors import (
    ChangedSinceShown,
    DuplicateOriginalInvalid,
    NotInYourConsultations,
    NotPending,
    ReasonRequired,
)
from consult.services.targets import WITH_CONTEXT

# A queue item shows its target, its author and, for a reply, whom it answers.
WITH_TARGET_CONTEXT = (
    *WITH_CONTEXT,
    joinedload(Comment.parent).joinedload(Comment.organisation),
)


def consultation_of(comment_id: int) -> int | None:
    return db.session.scalar(select(Comment.consultation_id).where(Comment.id == comment_id))


def latest_decision(comment_id: int) -> ModerationDecision | None:
    return db.session.scalars(
        select(ModerationDecision)
        .where(ModerationDecision.comment_id == comment_id)
        .order_by(ModerationDecision.decided_at.desc(), ModerationDecision.id.desc())
        .options(joinedload(ModerationDecision.moderator))
        .limit(1)
        .execution_options(populate_existing=True)
    ).one_or_none()


def decide(
    comment_id: int,
    *,
    moderator: StaffUser,
    decision: Decision,
    now: datetime,
    reason: RejectionReason | None = None,
    note: str = "",
    seen_version: int | None = None,
    marked_text: str | None = None,
    duplicate_of: int | None = None,
    scope: frozenset[int] | None = None,
) -> ModerationDecision:
    """Carry out one decision, or raise and change nothing.

    `seen_version` is the version of the text the moderator read (None only for internal
    callers); `marked_text` is the text with [[passages]] to remove, for an approval with
    redaction; `duplicate_of` names the original when rejecting a duplicate; `scope` limits a
    moderator to some consultations.

    The status change is one UPDATE conditional on the version read here: when two moderators
    decide the same item at the same moment, exactly one UPDATE matches and the other gets
    NotPending naming the winner; an author's edit in between gives ChangedSinceShown.
    """
    if decision is Decision.REJECT and reason is None:
        raise ReasonRequired()
    current = db.session.execute(
        select(
            Comment.status,
            Comment.version,
            Comment.text,
            Comment.original_text,
            Comment.open_flag_count,
            Comment.consultation_id,
            Comment.section_id,
            Comment.paragraph_id,
            Comment.parent_id,
        ).where(Comment.id == comment_id)
    ).one_or_none()
    if current is None:
        raise NotPending(comment_id, None)
    if scope is not None and current.consultation_id not in scope:
        raise NotInYourConsultations()
    after_flags = current.status in REPORTABLE_STATUSES and current.open_flag_count > 0
    if current.status is not CommentStatus.PENDING and not after_flags:
        raise NotPending(comment_id, latest_decision(comment_id))
    if seen_version is not None and seen_version != current.version:
        raise ChangedSinceShown()

    values = {"version": Comment.version + 1, "open_flag_count": 0}
    reason = reason if decision is Decision.REJECT else None
    original_id = None
    if decision is Decision.APPROVE:
        values["status"] = CommentStatus.APPROVED
        if current.status is CommentStatus.PENDING:
            values["published_at"] = now
        if marked_text is not None:
            values["text"] = redaction.apply(current.text, marked_text)
            # A second redaction keeps the author's own words, not the first redaction.
            values["original_text"] = current.original_text or current.text
            values["redacted_at"] = now
    else:
        values["status"] = CommentStatus.REJECTED
        if reason is RejectionReason.DUPLICATE:
            original_id = _check_original(duplicate_of, comment_id, current)

    matched = db.session.execute(
        update(Comment)
        .where(
            Comment.id == comment_id,
            Comment.version == current.version,
            Comment.status == current.status,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not matched:
        # Someone else was quicker; nothing here was written.
        if seen_version is not None and _still_waiting(comment_id):
            raise ChangedSinceShown()
        raise NotPending(comment_id, latest_decision(comment_id))

    was_public = current.status is CommentStatus.APPROVED
    is_public = values["status"] is CommentStatus.APPROVED
    if was_public != is_public:
        counters.adjust_published(
            consultation_id=current.consultation_id,
            section_id=current.section_id,
            paragraph_id=current.paragraph_id,
            parent_id=current.parent_id,
            delta=1 if is_public else -1,
        )
    if after_flags:
        db.session.execute(
            update(Flag)
            .where(Flag.comment_id == comment_id, Flag.resolved_at.is_(None))
            .values(resolved_at=now)
        )

    record = ModerationDecision(
        comment_id=comment_id,
        moderator_id=moderator.id,
        decision=decision,
        reason=reason,
        note=note.strip() if decision is Decision.REJECT else "",
        redacted="text" in values,
        duplicate_of_id=original_id,
        after_flags=after_flags,
        decided_at=now,
    )
    db.session.add(record)
    db.session.flush()
    audit.record(
        moderator,
        _audit_action(record),
        record,
        {
            "comment_id": comment_id,
            "reason": reason.value if reason else None,
            "after_reports": after_flags,
            "duplicate_of": original_id,
        },
        now=now,
    )
    expire_comment(comment_id)
    return record


def _audit_action(record: ModerationDecision) -> str:
    if record.decision is Decision.REJECT:
        return "comment.reject"
    if record.redacted:
        return "comment.redact"
    return "comment.flags_dismissed" if record.after_flags else "comment.approve"


def _check_original(original_id: int | None, comment_id: int, current) -> int:
    """A duplicate points to a published comment of the same consultation that came first."""
    if original_id is None or original_id == comment_id:
        raise DuplicateOriginalInvalid()
    original = db.session.scalars(
        select(Comment).where(Comment.id == original_id).options(joinedload(Comment.parent))
    ).one_or_none()
    # The author is sent to it, so it must be on a public page.
    if original is None or original.consultation_id != current.consultation_id:
        raise DuplicateOriginalInvalid()
    if not original.is_public:
        raise DuplicateOriginalInvalid()
    return original_id


def _still_waiting(comment_id: int) -> bool:
    status, flags = db.session.execute(
        select(Comment.status, Comment.open_flag_count).where(Comment.id == comment_id)
    ).one()
    return status is CommentStatus.PENDING or (status in REPORTABLE_STATUSES and flags > 0)


@dataclass
class BulkOutcome:
    decided: list[int]
    # Decided by someone else meanwhile, or changed by the author: left for a look.
    skipped: list[int]


def decide_many(
    selection: list[tuple[int, int]],
    *,
    moderator: StaffUser,
    decision: Decision,
    now: datetime,
    reason: RejectionReason | None = None,
    scope: frozenset[int] | None = None,
) -> BulkOutcome:
    """The same decision on a selection of (comment id, version seen). Each item is decided on
    its own; one another moderator decided or its author changed meanwhile is skipped, never
    overwritten."""
    outcome = BulkOutcome([], [])
    for comment_id, seen_version in selection:
        try:
            decide(
                comment_id,
                moderator=moderator,
                decision=decision,
                reason=reason,
                now=now,
                seen_version=seen_version,
                scope=scope,
            )
        except (NotPending, ChangedSinceShown, NotInYourConsultations):
            outcome.skipped.append(comment_id)
        else:
            outcome.decided.append(comment_id)
    return outcome


def expire_comment(comment_id: int) -> None:
    """A comment already in the session must not show its state from before a bulk UPDATE."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Comment) and obj.id == comment_id:
            db.session.expire(obj)

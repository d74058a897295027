"""The moderation queue and decisions."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from consult.extensions import db
from consult.models import (
    Comment,
    CommentStatus,
    Decision,
    ModerationDecision,
    RejectionReason,
    StaffUser,
)
from consult.services import audit, counters
from consult.services.errors import ChangedSinceShown, NotPending, ReasonRequired
from consult.services.targets import WITH_CONTEXT

QUEUE_PAGE_SIZE = 50
# A queue item shows its target, its author and, for a reply, whom it answers.
WITH_TARGET_CONTEXT = (
    *WITH_CONTEXT,
    joinedload(Comment.parent).joinedload(Comment.organisation),
)


@dataclass(frozen=True)
class QueuePage:
    items: list[Comment]
    pending_total: int


def pending_total() -> int:
    return db.session.scalar(
        select(func.count()).select_from(Comment).where(Comment.status == CommentStatus.PENDING)
    )


def queue_page(limit: int = QUEUE_PAGE_SIZE) -> QueuePage:
    """Pending comments, oldest first, each with its paragraph and chapter for context."""
    items = list(
        db.session.scalars(
            select(Comment)
            .where(Comment.status == CommentStatus.PENDING)
            .order_by(Comment.created_at, Comment.id)
            .limit(limit)
            .options(*WITH_TARGET_CONTEXT)
        )
    )
    return QueuePage(items, pending_total())


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
    reason: RejectionReason | None,
    note: str = "",
    now: datetime,
    seen_version: int | None = None,
) -> ModerationDecision:
    """Approve or reject a pending comment.

    The status change is one conditional UPDATE: when two moderators decide the same comment at
    the same moment, exactly one UPDATE matches and the other gets NotPending with the winner.
    With `seen_version` the UPDATE also requires the text the moderator read: an author's edit
    in between gives ChangedSinceShown, never a decision on unseen text.
    """
    if decision is Decision.REJECT and reason is None:
        raise ReasonRequired()
    if decision is Decision.APPROVE:
        reason = None
    new_status = CommentStatus.APPROVED if decision is Decision.APPROVE else CommentStatus.REJECTED

    conditions = [Comment.id == comment_id, Comment.status == CommentStatus.PENDING]
    if seen_version is not None:
        conditions.append(Comment.version == seen_version)
    target = db.session.execute(
        update(Comment)
        .where(*conditions)
        .values(
            status=new_status,
            version=Comment.version + 1,
            published_at=now if decision is Decision.APPROVE else None,
        )
        .returning(
            Comment.consultation_id, Comment.section_id, Comment.paragraph_id, Comment.parent_id
        )
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if target is None:
        if seen_version is not None and pending_item(comment_id) is not None:
            raise ChangedSinceShown()
        raise NotPending(comment_id, latest_decision(comment_id))

    if decision is Decision.APPROVE:
        counters.adjust_published(**target._asdict(), delta=1)

    record = ModerationDecision(
        comment_id=comment_id,
        moderator_id=moderator.id,
        decision=decision,
        reason=reason,
        note=note.strip(),
        decided_at=now,
    )
    db.session.add(record)
    db.session.flush()
    audit.record(
        moderator,
        f"comment.{decision.value}",
        record,
        {"comment_id": comment_id, "reason": reason.value if reason else None},
        now=now,
    )
    expire_comment(comment_id)
    return record


def expire_comment(comment_id: int) -> None:
    """A comment already in the session must not show its state from before a bulk UPDATE."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Comment) and obj.id == comment_id:
            db.session.expire(obj)


def pending_item(comment_id: int) -> Comment | None:
    return db.session.scalars(
        select(Comment)
        .where(Comment.id == comment_id, Comment.status == CommentStatus.PENDING)
        .options(*WITH_TARGET_CONTEXT)
    ).one_or_none()

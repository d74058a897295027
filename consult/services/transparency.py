"""The public moderation figures of one consultation: how much was received, published,
rejected (and why), redacted, reported and withdrawn, and how long a decision took.

Only counts leave this module, never a text: a rejected comment stays unpublished here too.
Every figure is aggregated in SQL, so the page costs the same few queries for 3 comments and
for 10,000.
"""

import statistics
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, func, select

from consult.extensions import db
from consult.models import (
    Comment,
    CommentStatus,
    Decision,
    Flag,
    ModerationDecision,
    RejectionReason,
)


@dataclass(frozen=True)
class ReasonFigure:
    reason: RejectionReason
    count: int


@dataclass(frozen=True)
class ModerationFigures:
    """Comments and replies together. The rows overlap on purpose: a comment rejected and later
    withdrawn by its author counts as rejected and as withdrawn."""

    # Every contribution ever submitted, including those later withdrawn.
    received: int
    pending: int
    published: int
    # Hidden after readers' reports until a moderator decides (only with CONSULT_HIDE_AFTER_FLAGS).
    hidden: int
    withdrawn: int
    # Comments a moderator rejected at some point, in total and per reason (every reason).
    rejected: int
    rejected_by_reason: tuple[ReasonFigure, ...]
    # Published with personal data of others removed from the text.
    redacted: int
    # Rejections of published comments that readers had reported.
    removed_after_reports: int
    # Readers' reports (flags) received, dealt with or not.
    reports: int
    # From submission to the first decision; None while nothing has been decided.
    median_time_to_decision: timedelta | None


def moderation_figures(consultation_id: int) -> ModerationFigures:
    """Four queries, whatever the number of comments."""
    by_status = _comments_by_status(consultation_id)
    by_reason = _rejections_by_reason(consultation_id)
    totals = _decision_totals(consultation_id)
    return ModerationFigures(
        received=sum(by_status.values()),
        pending=by_status.get(CommentStatus.PENDING, 0),
        published=by_status.get(CommentStatus.APPROVED, 0),
        hidden=by_status.get(CommentStatus.HIDDEN, 0),
        withdrawn=by_status.get(CommentStatus.WITHDRAWN, 0),
        rejected=totals.rejected,
        rejected_by_reason=tuple(
            ReasonFigure(reason, by_reason.get(reason, 0)) for reason in RejectionReason
        ),
        redacted=totals.redacted,
        removed_after_reports=totals.after_reports,
        reports=totals.reports,
        median_time_to_decision=_median_time_to_first_decision(consultation_id),
    )


def _comments_by_status(consultation_id: int) -> dict[CommentStatus, int]:
    rows = db.session.execute(
        select(Comment.status, func.count())
        .where(Comment.consultation_id == consultation_id)
        .group_by(Comment.status)
    )
    return {status: count for status, count in rows}


def _decisions_in(consultation_id: int):
    return (
        select()
        .select_from(ModerationDecision)
        .join(Comment, Comment.id == ModerationDecision.comment_id)
        .where(Comment.consultation_id == consultation_id)
    )


def _rejections_by_reason(consultation_id: int) -> dict[RejectionReason, int]:
    # Distinct comments: a comment is counted once per reason however often it was decided.
    rows = db.session.execute(
        _decisions_in(consultation_id)
        .add_columns(
            ModerationDecision.reason, func.count(func.distinct(ModerationDecision.comment_id))
        )
        .where(ModerationDecision.decision == Decision.REJECT)
        .group_by(ModerationDecision.reason)
    )
    return {reason: count for reason, count in rows if reason is not None}


def _distinct_comments_where(condition):
    return func.count(func.distinct(case((condition, ModerationDecision.comment_id))))


def _decision_totals(consultation_id: int):
    reports = (
        select(func.count())
        .select_from(Flag)
        .join(Comment, Comment.id == Flag.comment_id)
        .where(Comment.consultation_id == consultation_id)
        .scalar_subquery()
    )
    rejected = ModerationDecision.decision == Decision.REJECT
    return db.session.execute(
        _decisions_in(consultation_id).add_columns(
            _distinct_comments_where(rejected).label("rejected"),
            _distinct_comments_where(
                (ModerationDecision.decision == Decision.APPROVE)
                & ModerationDecision.redacted.is_(True)
            ).label("redacted"),
            _distinct_comments_where(rejected & ModerationDecision.after_flags.is_(True)).label(
                "after_reports"
            ),
            reports.label("reports"),
        )
    ).one()


def _median_time_to_first_decision(consultation_id: int) -> timedelta | None:
    # Subtracting timestamps is spelled differently in SQLite and PostgreSQL; one pair per
    # decided comment is small enough to take the median here.
    rows = db.session.execute(
        _decisions_in(consultation_id)
        .add_columns(Comment.created_at, func.min(ModerationDecision.decided_at))
        .group_by(Comment.id, Comment.created_at)
    )
    durations = [decided_at - created_at for created_at, decided_at in rows]
    return statistics.median(durations) if durations else None

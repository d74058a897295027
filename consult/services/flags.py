"""Readers' reports on published comments. A report names the published rule the reader thinks
was broken and sends the comment back to the moderation queue; nothing about the reader is
stored, only the comment, the rule and the time."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import aliased, joinedload

from consult.extensions import db
from consult.models import Comment, CommentStatus, Flag, RejectionReason
from consult.models.comment import REPORTABLE_STATUSES
from consult.services import audit, counters
from consult.services.errors import NotReportable
from consult.services.moderation import expire_comment
from consult.services.targets import WITH_CONTEXT

# A comment hidden after reports is out of public view, but a report opened before it was
# hidden still counts.


@dataclass(frozen=True)
class FlagOutcome:
    flag: Flag
    # Reports on the comment that no moderator has dealt with yet, this one included.
    open_flags: int
    # This report reached the rules' limit and took the comment out of public view.
    hidden: bool


def report_view(comment_id: int) -> Comment | None:
    """The comment a reader wants to report, with its target, author and (for a reply) the
    comment it answers; in any state, so the caller can say why it cannot be reported."""
    return db.session.scalars(
        select(Comment)
        .where(Comment.id == comment_id)
        .options(*WITH_CONTEXT, joinedload(Comment.parent))
    ).one_or_none()


def is_reportable(comment: Comment) -> bool:
    """`comment` as report_view loads it. A reply is only public while its comment is."""
    return comment.status in REPORTABLE_STATUSES and (
        comment.parent is None or comment.parent.status is CommentStatus.APPROVED
    )


def flag_comment(
    comment_id: int, reason: RejectionReason, *, now: datetime, hide_after: int
) -> FlagOutcome:
    """Record one report and count it.

    The count is one UPDATE that adds 1 in the database, so two readers reporting at the same
    moment both count. When `hide_after` > 0 and the open reports reach it, a second UPDATE,
    conditional on the comment still being published, hides it: of two reports crossing the
    limit together only one hides it and takes it out of the published counters.
    """
    parent = aliased(Comment)
    parent_is_public = (
        select(parent.id)
        .where(parent.id == Comment.parent_id, parent.status == CommentStatus.APPROVED)
        .exists()
    )
    open_flags = db.session.execute(
        update(Comment)
        .where(
            Comment.id == comment_id,
            Comment.status.in_(REPORTABLE_STATUSES),
            or_(Comment.parent_id.is_(None), parent_is_public),
        )
        .values(open_flag_count=Comment.open_flag_count + 1)
        .returning(Comment.open_flag_count)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if open_flags is None:
        raise NotReportable()

    flag = Flag(comment_id=comment_id, reason=reason, created_at=now)
    db.session.add(flag)
    db.session.flush()

    hidden = hide_after > 0 and open_flags >= hide_after and _hide(comment_id, open_flags, now)
    expire_comment(comment_id)
    return FlagOutcome(flag, open_flags, hidden)


def _hide(comment_id: int, open_flags: int, now: datetime) -> bool:
    target = db.session.execute(
        update(Comment)
        .where(
            Comment.id == comment_id,
            Comment.status == CommentStatus.APPROVED,
            # A moderator who dealt with the reports meanwhile reset the count.
            Comment.open_flag_count >= open_flags,
        )
        .values(status=CommentStatus.HIDDEN, version=Comment.version + 1)
        .returning(
            Comment.consultation_id, Comment.section_id, Comment.paragraph_id, Comment.parent_id
        )
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if target is None:
        # Already hidden by an earlier report (or decided by a moderator meanwhile).
        return False
    counters.adjust_published(**target._asdict(), delta=-1)
    # No person acted: the rules did. Moderators and the audit log still see why it went.
    audit.record(
        None,
        "comment.hidden_after_reports",
        db.session.get(Comment, comment_id),
        {"comment_id": comment_id, "open_reports": open_flags},
        now=now,
    )
    return True

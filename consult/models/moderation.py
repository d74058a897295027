"""Moderation decisions: an append-only record beside the comment's single status field."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from consult.extensions import db
from consult.models.comment import Comment
from consult.models.staff import StaffUser
from consult.models.types import UTCDateTime, enum_column, utcnow


class Decision(enum.StrEnum):
    APPROVE = "approve"
    REJECT = "reject"

    @property
    def label(self):
        return {Decision.APPROVE: _l("Approved"), Decision.REJECT: _l("Rejected")}[self]


class RejectionReason(enum.StrEnum):
    """The published moderation rules; the reason is shown to the public and to the author."""

    INSULT_DISCRIMINATION = "insult_discrimination"
    PERSONAL_DATA = "personal_data"
    SPAM = "spam"
    OFF_TOPIC = "off_topic"
    DUPLICATE = "duplicate"
    ILLEGAL = "illegal"

    @property
    def label(self):
        return _REASON_LABELS[self]

    @property
    def explanation(self):
        """What the rule covers, in plain words: for readers who report, moderators who decide
        and the public page of rules."""
        return _REASON_EXPLANATIONS[self]


_REASON_LABELS = {
    RejectionReason.INSULT_DISCRIMINATION: _l("Insult or discrimination"),
    RejectionReason.PERSONAL_DATA: _l("Personal data of other people"),
    RejectionReason.SPAM: _l("Advertising or spam"),
    RejectionReason.OFF_TOPIC: _l("Not about this draft"),
    RejectionReason.DUPLICATE: _l("Duplicate of another comment"),
    RejectionReason.ILLEGAL: _l("Illegal content"),
}

_REASON_EXPLANATIONS = {
    RejectionReason.INSULT_DISCRIMINATION: _l(
        "Insulting, threatening or degrading people, or attacking them for their origin, "
        "religion, gender, sexual orientation, disability or age."
    ),
    RejectionReason.PERSONAL_DATA: _l(
        "Names, addresses, phone numbers, case details or other information about people who "
        "did not write the comment themselves. Usually only that passage is removed and the rest "
        "of the comment is published."
    ),
    RejectionReason.SPAM: _l(
        "Advertising for products, services or events, links to unrelated websites, and texts "
        "posted automatically or many times over."
    ),
    RejectionReason.OFF_TOPIC: _l(
        "Texts that have nothing to do with this draft or its subject. A comment on a different "
        "paragraph than the one it is filed under is not rejected for that."
    ),
    RejectionReason.DUPLICATE: _l(
        "The same text submitted again, for example twice by mistake. The decision points to the "
        "published comment that already says it. Agreeing with another comment in your own words "
        "is welcome."
    ),
    RejectionReason.ILLEGAL: _l(
        "Content that is against the law, such as incitement to hatred, calls for violence or "
        "material that infringes someone's copyright."
    ),
}


class ModerationDecision(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id"), index=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    decision: Mapped[Decision] = mapped_column(enum_column(Decision))
    reason: Mapped[RejectionReason | None] = mapped_column(enum_column(RejectionReason))
    note: Mapped[str] = mapped_column(Text, default="")
    # Approved after the moderator removed personal data from the text.
    redacted: Mapped[bool] = mapped_column(default=False)
    # A rejection as a duplicate points to the published comment that already says it.
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id"))
    # Taken on a published comment that readers flagged (rather than on a new one).
    after_flags: Mapped[bool] = mapped_column(default=False)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    comment: Mapped[Comment] = relationship(foreign_keys=[comment_id], lazy="raise")
    moderator: Mapped[StaffUser] = relationship(lazy="raise")
    duplicate_of: Mapped[Comment | None] = relationship(
        foreign_keys=[duplicate_of_id], lazy="raise"
    )


class AppendOnlyError(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _forbid_rewriting_decisions(session, flush_context, instances):
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, ModerationDecision) and (
            obj in session.deleted or session.is_modified(obj)
        ):
            raise AppendOnlyError("moderation decisions are append-only")

"""Submitting comments."""

from datetime import datetime

from consult.extensions import db
from consult.models import (
    Comment,
    CommentKind,
    CommentStatus,
    Consultation,
    Paragraph,
    StakeholderGroup,
)
from consult.services.errors import CommentsClosed
from consult.text import normalise_newlines


def _clean_text(text: str) -> str:
    # Trim, but keep the author's own line breaks.
    return normalise_newlines(text).strip()


def _clean_pseudonym(pseudonym: str | None) -> str | None:
    cleaned = " ".join((pseudonym or "").split())
    return cleaned or None


def submit_comment(
    consultation: Consultation,
    paragraph: Paragraph,
    *,
    text: str,
    pseudonym: str | None,
    group: StakeholderGroup,
    kind: CommentKind,
    language: str,
    notice_version: str,
    now: datetime,
) -> Comment:
    """Store a comment for moderation."""
    if paragraph.consultation_id != consultation.id:
        raise ValueError("paragraph does not belong to this consultation")
    if not consultation.accepts_comments_at(now):
        raise CommentsClosed()
    comment = Comment(
        paragraph_id=paragraph.id,
        text=_clean_text(text),
        pseudonym=_clean_pseudonym(pseudonym),
        group=group,
        kind=kind,
        language=language,
        status=CommentStatus.PENDING,
        consent_notice_version=notice_version,
        created_at=now,
    )
    db.session.add(comment)
    db.session.flush()
    return comment

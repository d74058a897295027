"""Submitting comments and replies."""

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from consult.extensions import db
from consult.models import (
    Comment,
    CommentKind,
    CommentStatus,
    Organisation,
    Participant,
    StaffUser,
    StakeholderGroup,
)
from consult.services.errors import CommentsClosed, ProposalNotAllowed, ReplyNotAllowed
from consult.services.targets import Target, TargetKind
from consult.text import REDACTION_MARK, normalise_newlines


@dataclass(frozen=True)
class Author:
    """Who is writing. An organisation's statement takes the organisation's group and no
    pseudonym; the administration writes as a public authority."""

    group: StakeholderGroup
    participant: Participant | None = None
    pseudonym: str | None = None
    organisation: Organisation | None = None
    staff: StaffUser | None = None

    def columns(self) -> dict:
        if self.staff is not None:
            return {
                "staff_author_id": self.staff.id,
                "group": StakeholderGroup.PUBLIC_AUTHORITY,
                "pseudonym": None,
            }
        values = {"participant_id": self.participant.id if self.participant else None}
        if self.organisation is not None:
            return values | {
                "organisation_id": self.organisation.id,
                "group": self.organisation.group,
                "pseudonym": None,
            }
        return values | {"group": self.group, "pseudonym": clean_pseudonym(self.pseudonym)}


def clean_text(text: str) -> str:
    # Trim, but keep the author's own line breaks; store composed characters, so that the
    # same word is always the same string (search, diff, exports).
    # Nobody can type the redaction mark, so no text can pretend a moderator removed something.
    text = normalise_newlines(text).replace(REDACTION_MARK, "")
    return unicodedata.normalize("NFC", text).strip()


def clean_pseudonym(pseudonym: str | None) -> str | None:
    cleaned = " ".join((pseudonym or "").split())
    return cleaned or None


def _same_words(a: str, b: str) -> bool:
    return a.split() == b.split()


def clean_proposal(
    target: Target, kind: CommentKind | None, proposed_text: str | None
) -> str | None:
    """The proposed wording to store: None when absent or unchanged from the paragraph."""
    proposal = clean_text(proposed_text or "")
    if not proposal or (target.paragraph and _same_words(proposal, target.paragraph.text)):
        return None
    if kind is not CommentKind.SUGGESTION or target.kind is not TargetKind.PARAGRAPH:
        raise ProposalNotAllowed()
    return proposal


def submit_comment(
    target: Target,
    author: Author,
    *,
    text: str,
    kind: CommentKind,
    language: str,
    notice_version: str,
    now: datetime,
    proposed_text: str | None = None,
) -> Comment:
    """Store a comment on a paragraph, a chapter or the whole draft for moderation."""
    if not target.consultation.accepts_comments_at(now):
        raise CommentsClosed()
    return _store(
        author,
        consultation_id=target.consultation.id,
        section_id=target.section.id if target.section else None,
        paragraph_id=target.paragraph.id if target.paragraph else None,
        text=text,
        proposed_text=clean_proposal(target, kind, proposed_text),
        kind=kind,
        language=language,
        notice_version=notice_version,
        now=now,
    )


def submit_reply(
    parent: Comment,
    author: Author,
    *,
    text: str,
    language: str,
    notice_version: str,
    now: datetime,
) -> Comment:
    """Store a reply to a published comment for moderation. `parent.consultation` is loaded."""
    if parent.status is not CommentStatus.APPROVED or parent.parent_id is not None:
        raise ReplyNotAllowed()
    if not parent.consultation.accepts_comments_at(now):
        raise CommentsClosed()
    return _store(
        author,
        consultation_id=parent.consultation_id,
        section_id=parent.section_id,
        paragraph_id=parent.paragraph_id,
        parent_id=parent.id,
        text=text,
        kind=None,
        language=language,
        notice_version=notice_version,
        now=now,
    )


def _store(author: Author, *, text: str, notice_version: str, now: datetime, **target) -> Comment:
    """A new contribution waits for moderation, with the privacy notice its author agreed to."""
    comment = Comment(
        text=clean_text(text),
        status=CommentStatus.PENDING,
        consent_notice_version=notice_version,
        created_at=now,
        **target,
        **author.columns(),
    )
    db.session.add(comment)
    db.session.flush()
    return comment

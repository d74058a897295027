"""Permission rules as a role x phase matrix."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from consult import permissions
from consult.models import Comment, CommentStatus, Consultation, Organisation, Phase, Role
from consult.models.types import utcnow


@dataclass
class Actor:
    role: Role | None = None
    is_authenticated: bool = True
    is_active: bool = True
    is_staff: bool = True
    is_member: bool = False
    organisation_id: int | None = None


READER = Actor(is_authenticated=False, is_active=False, is_staff=False)
MEMBER = Actor(is_staff=False, is_member=True, organisation_id=1)
MODERATOR = Actor(Role.MODERATOR)
ADMIN = Actor(Role.ADMIN)
INACTIVE_ADMIN = Actor(Role.ADMIN, is_active=False)
INACTIVE_MEMBER = Actor(is_staff=False, is_member=True, organisation_id=1, is_active=False)
ACTORS = (READER, MEMBER, MODERATOR, ADMIN, INACTIVE_ADMIN, INACTIVE_MEMBER)
NOW = utcnow()


def consultation(phase: Phase) -> Consultation:
    return Consultation(
        slug="x",
        title="x",
        phase=phase,
        opens_at=NOW - timedelta(days=1),
        closes_at=NOW + timedelta(days=1),
    )


def comment(phase: Phase, status=CommentStatus.APPROVED, parent_id=None) -> Comment:
    return Comment(consultation=consultation(phase), status=status, parent_id=parent_id)


# An inactive account counts as a reader: it has lost its session.
#                       reader member  moderator admin  inactive-admin inactive-member
VIEW = {
    Phase.DRAFT: (False, False, True, True, False, False),
    Phase.PREVIEW: (True, True, True, True, True, True),
    Phase.OPEN: (True, True, True, True, True, True),
    Phase.EVALUATION: (True, True, True, True, True, True),
    Phase.RESULTS: (True, True, True, True, True, True),
}
COMMENT = {
    Phase.DRAFT: (False, False, False, False, False, False),
    Phase.PREVIEW: (False, False, False, False, False, False),
    Phase.OPEN: (True, True, True, True, True, True),
    Phase.EVALUATION: (False, False, False, False, False, False),
    Phase.RESULTS: (False, False, False, False, False, False),
}


@pytest.mark.parametrize("phase", list(Phase))
def test_view_comment_and_reply_matrix(phase):
    c = consultation(phase)
    assert tuple(permissions.can_view(a, c) for a in ACTORS) == VIEW[phase]
    assert tuple(permissions.can_comment(a, c, NOW) for a in ACTORS) == COMMENT[phase]
    published = comment(phase)
    assert tuple(permissions.can_reply(a, published, NOW) for a in ACTORS) == COMMENT[phase]


@pytest.mark.parametrize("status", [s for s in CommentStatus if s is not CommentStatus.APPROVED])
def test_replies_only_under_published_comments(status):
    assert not permissions.can_reply(READER, comment(Phase.OPEN, status=status), NOW)


def test_replies_go_one_level_deep():
    assert not permissions.can_reply(READER, comment(Phase.OPEN, parent_id=7), NOW)


def test_only_the_administration_replies_as_such():
    assert [permissions.replies_as_administration(a) for a in ACTORS] == [
        False,
        False,
        False,
        True,
        False,
        False,
    ]


# Own comments, reached through the private link or a member's account.
#                  pending  approved  rejected  withdrawn
EDIT_OWN = {
    Phase.DRAFT: (False, False, False, False),
    Phase.PREVIEW: (False, False, False, False),
    Phase.OPEN: (True, False, False, False),
    Phase.EVALUATION: (False, False, False, False),
    Phase.RESULTS: (False, False, False, False),
}
STATUSES = (
    CommentStatus.PENDING,
    CommentStatus.APPROVED,
    CommentStatus.REJECTED,
    CommentStatus.WITHDRAWN,
)


@pytest.mark.parametrize("phase", list(Phase))
def test_own_comments_matrix(phase):
    comments = [comment(phase, status=s) for s in STATUSES]
    assert tuple(permissions.can_edit_own(c, NOW) for c in comments) == EDIT_OWN[phase]
    # Withdrawing is a right in every phase, once.
    assert tuple(permissions.can_withdraw_own(c) for c in comments) == (True, True, True, False)


def test_edit_own_ends_with_the_period():
    c = comment(Phase.OPEN, status=CommentStatus.PENDING)
    assert permissions.can_edit_own(c, c.consultation.closes_at - timedelta(seconds=1))
    assert not permissions.can_edit_own(c, c.consultation.closes_at)


def test_staff_and_organisation_matrix():
    assert [permissions.can_moderate(a) for a in ACTORS] == [
        False,
        False,
        True,
        True,
        False,
        False,
    ]
    assert [permissions.can_answer(a) for a in ACTORS] == [False, False, False, True, False, False]
    assert [permissions.can_export(a) for a in ACTORS] == [False, False, False, True, False, False]
    assert [permissions.can_manage_organisations(a) for a in ACTORS] == [
        False,
        False,
        False,
        True,
        False,
        False,
    ]


def test_members_speak_only_for_their_own_organisation():
    own, other = Organisation(id=1), Organisation(id=2)
    assert [permissions.can_speak_for(a, own) for a in ACTORS] == [
        False,
        True,
        False,
        False,
        False,
        False,
    ]
    assert not permissions.can_speak_for(MEMBER, other)


def test_comment_window_edges():
    c = consultation(Phase.OPEN)
    assert not permissions.can_comment(READER, c, c.opens_at - timedelta(seconds=1))
    assert permissions.can_comment(READER, c, c.opens_at)
    assert not permissions.can_comment(READER, c, c.closes_at)

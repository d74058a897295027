"""Permission rules as a role x phase matrix."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from consult import permissions
from consult.models import Consultation, Phase, Role
from consult.models.types import utcnow


@dataclass
class Actor:
    role: Role | None
    is_authenticated: bool = True
    is_active: bool = True


READER = Actor(None, is_authenticated=False, is_active=False)
MODERATOR = Actor(Role.MODERATOR)
ADMIN = Actor(Role.ADMIN)
INACTIVE_ADMIN = Actor(Role.ADMIN, is_active=False)
NOW = utcnow()


def consultation(phase: Phase) -> Consultation:
    return Consultation(
        slug="x",
        title="x",
        phase=phase,
        opens_at=NOW - timedelta(days=1),
        closes_at=NOW + timedelta(days=1),
    )


#                       reader  moderator  admin  inactive admin
VIEW = {
    Phase.DRAFT: (False, True, True, False),
    Phase.PREVIEW: (True, True, True, True),
    Phase.OPEN: (True, True, True, True),
    Phase.EVALUATION: (True, True, True, True),
    Phase.RESULTS: (True, True, True, True),
}
COMMENT = {
    Phase.DRAFT: (False, False, False, False),
    Phase.PREVIEW: (False, False, False, False),
    Phase.OPEN: (True, True, True, True),
    Phase.EVALUATION: (False, False, False, False),
    Phase.RESULTS: (False, False, False, False),
}
ACTORS = (READER, MODERATOR, ADMIN, INACTIVE_ADMIN)


@pytest.mark.parametrize("phase", list(Phase))
def test_view_and_comment_matrix(phase):
    c = consultation(phase)
    assert tuple(permissions.can_view(a, c) for a in ACTORS) == VIEW[phase]
    assert tuple(permissions.can_comment(a, c, NOW) for a in ACTORS) == COMMENT[phase]


def test_staff_matrix():
    assert [permissions.can_moderate(a) for a in ACTORS] == [False, True, True, False]
    assert [permissions.can_answer(a) for a in ACTORS] == [False, False, True, False]
    assert [permissions.can_export(a) for a in ACTORS] == [False, False, True, False]


def test_comment_window_edges():
    c = consultation(Phase.OPEN)
    assert not permissions.can_comment(READER, c, c.opens_at - timedelta(seconds=1))
    assert permissions.can_comment(READER, c, c.opens_at)
    assert not permissions.can_comment(READER, c, c.closes_at)

"""What the two kinds of one-time invitation link (organisation members, staff) share: the
states a link can be in and the error for one that can no longer be used."""

import enum
from datetime import datetime

from consult.services.errors import ServiceError


class InvitationState(enum.StrEnum):
    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"


class InvitationUnusable(ServiceError):
    def __init__(self, state: InvitationState):
        super().__init__(f"invitation is {state}")
        self.state = state


def invitation_state_of(invitation, now: datetime, *, used: bool = False) -> InvitationState:
    """`invitation` is an Invitation or a StaffInvitation (or None for an unknown token);
    `used` says the account it was for exists already by other means."""
    if invitation is None:
        return InvitationState.UNKNOWN
    if used or invitation.accepted_at is not None:
        return InvitationState.USED
    if invitation.expires_at <= now:
        return InvitationState.EXPIRED
    return InvitationState.VALID


def still_open(model, now: datetime):
    """SQL condition: an invitation of `model` (Invitation or StaffInvitation) that can still
    be accepted."""
    return model.accepted_at.is_(None) & (model.expires_at > now)

"""Staff accounts: invitations, roles and scope, deactivation, passwords, the second factor and
sign-in. Every change by or to a staff member is written to the audit trail."""

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from consult.extensions import db
from consult.models import Consultation, Role, StaffInvitation, StaffUser
from consult.models.staff import new_session_token
from consult.services import audit, passwords, tokens, totp
from consult.services.errors import ServiceError
from consult.services.invitations import (
    InvitationState,
    InvitationUnusable,
    invitation_state_of,
    still_open,
)


class DuplicateStaff(ServiceError):
    """A staff account with this address exists (and its invitation was accepted)."""


class OwnAccount(ServiceError):
    """Nobody deactivates or demotes themselves, nor strips their own second factor here."""


class LastAdmin(ServiceError):
    """The change would leave no active administrator to manage staff."""


class NotAccepted(ServiceError):
    """The person never accepted the invitation: a new invitation, not a reactivation, helps."""


class UnknownConsultation(ServiceError):
    pass


class WrongPassword(ServiceError):
    pass


class WrongCode(ServiceError):
    """The code is wrong, too old, or was used already."""


class StaffState(enum.StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    DEACTIVATED = "deactivated"


@dataclass(frozen=True)
class InvitationCheck:
    state: InvitationState
    # With its staff account loaded; None only for an unknown token.
    invitation: StaffInvitation | None = None
    # Whom to ask for a new link, when known.
    invited_by_name: str | None = None


@dataclass(frozen=True)
class NewInvitation:
    invitation: StaffInvitation  # with its staff account
    token: str  # to be shown once and mailed, never stored
    reinvited: bool  # earlier links of the same person stopped working


@dataclass(frozen=True)
class StaffRow:
    user: StaffUser  # with its consultations loaded
    state: StaffState
    # For someone invited: until when their newest link works (None: no link works any more).
    invitation_expires_at: datetime | None


@dataclass(frozen=True)
class Scope:
    role: Role
    limited: bool
    consultation_ids: tuple[int, ...]

    def as_details(self) -> dict:
        return {
            "role": self.role.value,
            "limited_to_consultations": self.limited,
            "consultation_ids": list(self.consultation_ids),
        }


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _clean_name(name: str) -> str:
    return " ".join(name.split())


def state_of(user: StaffUser) -> StaffState:
    if not user.has_accepted_invitation:
        return StaffState.INVITED
    return StaffState.ACTIVE if user.active else StaffState.DEACTIVATED


# --- reading ---------------------------------------------------------------------------------


def by_email(email: str) -> StaffUser | None:
    return db.session.scalars(
        select(StaffUser).where(StaffUser.email == normalise_email(email))
    ).one_or_none()


def by_session_token(token: str) -> StaffUser | None:
    return db.session.scalars(
        select(StaffUser).where(StaffUser.session_token == token)
    ).one_or_none()


def staff_member(user_id: int) -> StaffUser | None:
    """One staff account with the consultations it is limited to."""
    return db.session.scalars(
        select(StaffUser)
        .where(StaffUser.id == user_id)
        .options(selectinload(StaffUser.consultations))
    ).one_or_none()


def staff_overview(now: datetime) -> list[StaffRow]:
    """Every staff account for the administration's table, in three queries however many."""
    users = db.session.scalars(
        select(StaffUser)
        .options(selectinload(StaffUser.consultations))
        .order_by(StaffUser.display_name, StaffUser.id)
    ).all()
    open_until = dict(
        db.session.execute(
            select(StaffInvitation.staff_user_id, func.max(StaffInvitation.expires_at))
            .where(still_open(StaffInvitation, now))
            .group_by(StaffInvitation.staff_user_id)
        ).all()
    )
    rows = [StaffRow(user, state_of(user), open_until.get(user.id)) for user in users]
    order = {StaffState.ACTIVE: 0, StaffState.INVITED: 1, StaffState.DEACTIVATED: 2}
    return sorted(rows, key=lambda row: order[row.state])


def consultation_options() -> list[tuple[int, str]]:
    """The consultations a moderator can be limited to, as (id, title)."""
    return list(
        db.session.execute(
            select(Consultation.id, Consultation.title).order_by(
                Consultation.created_at.desc(), Consultation.id.desc()
            )
        ).all()
    )


def consultations_by_slug(slugs: list[str]) -> list[Consultation]:
    found = db.session.scalars(select(Consultation).where(Consultation.slug.in_(slugs))).all()
    if len(found) != len(set(slugs)):
        raise UnknownConsultation()
    return list(found)


def scope_of(user: StaffUser) -> Scope:
    return Scope(user.role, user.limited_to_consultations, tuple(c.id for c in user.consultations))


# --- creating and inviting -------------------------------------------------------------------


def create_staff(email: str, display_name: str, password: str, role: Role, actor=None) -> StaffUser:
    """An active account with a password, for the first administrator (command line) and the
    demo; everybody else is invited."""
    email = normalise_email(email)
    password_hash = passwords.hash_password(password)
    if db.session.scalar(select(func.count()).where(StaffUser.email == email)):
        raise DuplicateStaff()
    user = StaffUser(
        email=email,
        display_name=display_name.strip(),
        password_hash=password_hash,
        role=role,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "staff.create", user, {"role": role.value})
    return user


def _normalised_scope(role: Role, limited: bool, consultation_ids) -> Scope:
    # Administrators see every consultation; a scope stored for one would only mislead.
    if role is Role.ADMIN or not limited:
        return Scope(role, False, ())
    return Scope(role, True, tuple(sorted(set(consultation_ids))))


def _apply_scope(user: StaffUser, scope: Scope) -> None:
    consultations = []
    if scope.consultation_ids:
        consultations = list(
            db.session.scalars(
                select(Consultation).where(Consultation.id.in_(scope.consultation_ids))
            )
        )
        if len(consultations) != len(scope.consultation_ids):
            raise UnknownConsultation()
    user.role = scope.role
    user.limited_to_consultations = scope.limited
    user.consultations = sorted(consultations, key=lambda c: c.id)


def invite_staff(
    email: str,
    *,
    display_name: str,
    role: Role,
    limited: bool = False,
    consultation_ids=(),
    actor,
    now: datetime,
    valid_days: int,
) -> NewInvitation:
    """Create an inactive account (no password yet) and a one-time link to activate it.

    Inviting someone again who has not accepted yet updates their account and leaves only the
    new link working. Only the token's hash is stored; the token goes back to the caller to be
    shown once and mailed."""
    email = normalise_email(email)
    scope = _normalised_scope(role, limited, consultation_ids)
    user = db.session.scalars(
        select(StaffUser)
        .where(StaffUser.email == email)
        .options(selectinload(StaffUser.consultations))
    ).one_or_none()
    reinvited = user is not None
    if user is None:
        user = StaffUser(
            email=email, password_hash=None, active=False, created_at=now, consultations=[]
        )
    elif user.has_accepted_invitation:
        raise DuplicateStaff()
    user.display_name = _clean_name(display_name)
    _apply_scope(user, scope)
    db.session.add(user)
    db.session.flush()
    db.session.execute(
        update(StaffInvitation)
        .where(StaffInvitation.staff_user_id == user.id, still_open(StaffInvitation, now))
        .values(expires_at=now)
    )
    token, token_hash = tokens.new_token()
    invitation = StaffInvitation(
        staff_user_id=user.id,
        token_hash=token_hash,
        invited_by_id=getattr(actor, "id", None),
        created_at=now,
        expires_at=now + timedelta(days=valid_days),
    )
    invitation.staff_user = user
    db.session.add(invitation)
    db.session.flush()
    # The address stays in the account row only; the audit trail needs no copy of it.
    audit.record(
        actor,
        "staff.invite",
        user,
        {
            **scope.as_details(),
            "invitation_id": invitation.id,
            "reinvited": reinvited,
            "expires_at": invitation.expires_at.isoformat(),
        },
        now=now,
    )
    return NewInvitation(invitation, token, reinvited)


def invitation_state(token: str, now: datetime) -> InvitationCheck:
    invitation = db.session.scalars(
        select(StaffInvitation)
        .where(StaffInvitation.token_hash == tokens.hash_token(token))
        .options(joinedload(StaffInvitation.staff_user))
    ).one_or_none()
    if invitation is None:
        return InvitationCheck(InvitationState.UNKNOWN)
    inviter_name = None
    if invitation.invited_by_id is not None:
        inviter_name = db.session.scalar(
            select(StaffUser.display_name).where(StaffUser.id == invitation.invited_by_id)
        )
    used = invitation.staff_user.has_accepted_invitation
    return InvitationCheck(
        invitation_state_of(invitation, now, used=used), invitation, inviter_name
    )


def accept_invitation(token: str, *, display_name: str, password: str, now: datetime) -> StaffUser:
    """Activate the invited account with the chosen name and password."""
    check = invitation_state(token, now)
    if check.state is not InvitationState.VALID:
        raise InvitationUnusable(check.state)
    invitation = check.invitation
    password_hash = passwords.hash_password(password)
    # Conditional, so that the same link opened twice at once activates the account once.
    claimed = db.session.execute(
        update(StaffInvitation)
        .where(StaffInvitation.id == invitation.id, still_open(StaffInvitation, now))
        .values(accepted_at=now)
    ).rowcount
    if not claimed:
        raise InvitationUnusable(InvitationState.USED)
    invitation.accepted_at = now
    user = invitation.staff_user
    user.display_name = _clean_name(display_name)
    user.password_hash = password_hash
    user.active = True
    user.session_token = new_session_token()
    db.session.flush()
    audit.record(user, "staff.accept_invitation", user, {"invitation_id": invitation.id}, now=now)
    return user


# --- the administration's changes ------------------------------------------------------------


def _check_admins_remain(user: StaffUser) -> None:
    """Refuse when `user` is the only active administrator. The rows are locked (on
    PostgreSQL), so two administrators demoting each other at once cannot both succeed."""
    admin_ids = db.session.scalars(
        select(StaffUser.id)
        .where(StaffUser.role == Role.ADMIN, StaffUser.active.is_(True))
        .with_for_update()
    ).all()
    if not set(admin_ids) - {user.id}:
        raise LastAdmin()


def update_staff(
    user: StaffUser, *, role: Role, limited: bool, consultation_ids, actor, now: datetime
) -> bool:
    """Change role and scope; True when something changed. `user` needs its consultations
    loaded (staff_member)."""
    new = _normalised_scope(role, limited, consultation_ids)
    old = scope_of(user)
    if new == old:
        return False
    if user.role is Role.ADMIN and new.role is not Role.ADMIN:
        if user.id == getattr(actor, "id", None):
            raise OwnAccount()
        if user.active:
            _check_admins_remain(user)
    _apply_scope(user, new)
    db.session.flush()
    audit.record(
        actor, "staff.update", user, {"old": old.as_details(), "new": new.as_details()}, now=now
    )
    return True


def deactivate(user: StaffUser, *, actor, now: datetime) -> bool:
    """End every session of the account at once and stop it signing in; for someone who has
    not accepted yet, their invitation links stop working. True when it changed."""
    if user.id == getattr(actor, "id", None):
        raise OwnAccount()
    if user.active and user.role is Role.ADMIN:
        _check_admins_remain(user)
    withdrawn = db.session.execute(
        update(StaffInvitation)
        .where(StaffInvitation.staff_user_id == user.id, still_open(StaffInvitation, now))
        .values(expires_at=now)
    ).rowcount
    if not user.active and not withdrawn:
        return False
    user.active = False
    user.session_token = new_session_token()
    db.session.flush()
    audit.record(
        actor, "staff.deactivate", user, {"invitation_withdrawn": bool(withdrawn)}, now=now
    )
    return True


def reactivate(user: StaffUser, *, actor, now: datetime) -> bool:
    if not user.has_accepted_invitation:
        raise NotAccepted()
    if user.active:
        return False
    user.active = True
    db.session.flush()
    audit.record(actor, "staff.reactivate", user, now=now)
    return True


def reset_second_factor(user: StaffUser, *, actor, now: datetime) -> bool:
    """For a lost phone: the person signs in with the password alone and may set up a new
    second factor. Someone signed in switches their own off with a current code instead."""
    if user.id == getattr(actor, "id", None):
        raise OwnAccount()
    if not user.has_second_factor:
        return False
    user.totp_secret = None
    user.totp_last_counter = None
    db.session.flush()
    audit.record(actor, "staff.totp_reset", user, now=now)
    return True


# --- one's own account -----------------------------------------------------------------------


def change_password(user: StaffUser, *, current: str, new: str, now: datetime) -> None:
    """Also ends the account's other sessions: a password is changed because it may be known
    to someone else. The caller signs the current session in again."""
    if not passwords.verify(user, current):
        raise WrongPassword()
    user.password_hash = passwords.hash_password(new)
    user.session_token = new_session_token()
    db.session.flush()
    audit.record(user, "staff.password_change", user, now=now)


def _use_code(user: StaffUser, secret: str, code: str, now: datetime) -> int:
    step = totp.matching_step(secret, code, now, user.totp_last_counter)
    if step is None:
        raise WrongCode()
    # Conditional, so that one code sent twice at the same moment is accepted once.
    used = db.session.execute(
        update(StaffUser)
        .where(
            StaffUser.id == user.id,
            or_(StaffUser.totp_last_counter.is_(None), StaffUser.totp_last_counter < step),
        )
        .values(totp_last_counter=step)
    ).rowcount
    if not used:
        raise WrongCode()
    user.totp_last_counter = step
    return step


def enable_second_factor(user: StaffUser, *, secret: str, code: str, now: datetime) -> None:
    """Save the secret once a code from the app proves it was set up correctly."""
    # Steps used with an earlier secret mean nothing for this one.
    user.totp_last_counter = None
    db.session.flush()
    _use_code(user, secret, code, now)
    user.totp_secret = secret
    # Other sessions end, as with a new password: whoever else holds one must now pass the
    # second factor too. The caller signs the current session in again.
    user.session_token = new_session_token()
    db.session.flush()
    audit.record(user, "staff.totp_enable", user, now=now)


def disable_second_factor(user: StaffUser, *, code: str, now: datetime) -> None:
    if not user.has_second_factor:
        return
    _use_code(user, user.totp_secret, code, now)
    user.totp_secret = None
    db.session.flush()
    audit.record(user, "staff.totp_disable", user, now=now)


# --- signing in ------------------------------------------------------------------------------


def authenticate(email: str, password: str) -> StaffUser | None:
    user = by_email(email)
    # Someone invited who has not chosen a password yet cannot sign in; the dummy
    # verification keeps the answer as slow as for any other account.
    usable = user if user is not None and user.has_accepted_invitation else None
    if not passwords.verify(usable, password) or not usable.active:
        return None
    return usable


def check_second_factor(user: StaffUser, code: str, now: datetime) -> None:
    """The second sign-in step; raises WrongCode."""
    _use_code(user, user.totp_secret, code, now)


def record_sign_in(user: StaffUser, *, second_factor: bool, now: datetime) -> None:
    audit.record(user, "staff.sign_in", user, {"second_factor": second_factor}, now=now)


def end_all_sessions(user: StaffUser) -> None:
    """Server-side sign-out: the old token in any cookie no longer loads the user."""
    user.session_token = new_session_token()
    db.session.flush()

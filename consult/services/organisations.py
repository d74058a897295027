"""Organisations, their members and the invitations that create member accounts."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import aliased, contains_eager, joinedload

from consult.extensions import db
from consult.models import (
    Comment,
    CommentKind,
    CommentStatus,
    Consultation,
    Invitation,
    Member,
    Organisation,
    StakeholderGroup,
)
from consult.models.account import new_session_token
from consult.services import audit, passwords, tokens
from consult.services.errors import ServiceError
from consult.services.invitations import (
    InvitationState,
    InvitationUnusable,
    invitation_state_of,
    still_open,
)
from consult.services.slugs import free_slug
from consult.services.staff import normalise_email
from consult.services.targets import Target
from consult.text import normalise_newlines

# An organisation speaks for a group; "individual" is what its members are when they do not.
ORGANISATION_GROUPS = tuple(g for g in StakeholderGroup if g is not StakeholderGroup.INDIVIDUAL)
SLUG_BASE_LENGTH = 60


class DuplicateOrganisation(ServiceError):
    """Another organisation has this name; two entries would confuse readers."""


class NotAnOrganisationGroup(ServiceError):
    pass


class DuplicateMember(ServiceError):
    """An account with this e-mail address exists already (in any organisation)."""


@dataclass(frozen=True)
class InvitationCheck:
    state: InvitationState
    # With its organisation loaded; None only for an unknown token.
    invitation: Invitation | None = None


@dataclass(frozen=True)
class OrganisationSummary:
    organisation: Organisation
    active_members: int
    open_invitations: int


@dataclass(frozen=True)
class OrganisationView:
    organisation: Organisation
    members: list[Member]
    open_invitations: list[Invitation]


@dataclass(frozen=True)
class Statement:
    comment_id: int
    kind: CommentKind | None
    is_reply: bool
    target: Target
    published_at: datetime | None


@dataclass(frozen=True)
class ParticipatingOrganisation:
    organisation: Organisation
    statements: list[Statement]


# --- organisations ---------------------------------------------------------------------------

_GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slug_for(name: str) -> str:
    """A readable ASCII slug; names in other scripts fall back to "organisation"."""
    text = unicodedata.normalize("NFKC", name).lower().translate(_GERMAN_LETTERS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:SLUG_BASE_LENGTH].rstrip("-") or "organisation"


def _unique_slug(name: str) -> str:
    return free_slug(Organisation, slug_for(name))


def _clean_name(name: str) -> str:
    return " ".join(name.split())


def _check_name_free(name: str, exclude_id: int | None = None) -> None:
    query = select(func.count()).where(func.lower(Organisation.name) == name.lower())
    if exclude_id is not None:
        query = query.where(Organisation.id != exclude_id)
    if db.session.scalar(query):
        raise DuplicateOrganisation()


def _check_group(group: StakeholderGroup) -> None:
    if group not in ORGANISATION_GROUPS:
        raise NotAnOrganisationGroup()


def create_organisation(
    *,
    name: str,
    group: StakeholderGroup,
    description: str = "",
    verified: bool = False,
    actor,
    now: datetime,
) -> Organisation:
    name = _clean_name(name)
    _check_group(group)
    _check_name_free(name)
    organisation = Organisation(
        slug=_unique_slug(name),
        name=name,
        group=group,
        description=(normalise_newlines(description) or "").strip(),
        verified=verified,
        created_at=now,
    )
    db.session.add(organisation)
    db.session.flush()
    audit.record(
        actor,
        "organisation.create",
        organisation,
        {"name": name, "group": group.value, "verified": verified},
        now=now,
    )
    return organisation


def update_organisation(
    organisation: Organisation,
    *,
    name: str,
    group: StakeholderGroup,
    description: str,
    verified: bool,
    actor,
    now: datetime,
) -> list[str]:
    """Change the organisation's entry; returns the names of the fields that changed.

    The slug stays as it was: links to the organisation must survive a renaming."""
    name = _clean_name(name)
    _check_group(group)
    if name.lower() != organisation.name.lower():
        _check_name_free(name, exclude_id=organisation.id)
    values = {
        "name": name,
        "group": group,
        "description": (normalise_newlines(description) or "").strip(),
    }
    changed = [field for field, value in values.items() if getattr(organisation, field) != value]
    for field in changed:
        setattr(organisation, field, values[field])
    if changed:
        db.session.flush()
        audit.record(actor, "organisation.update", organisation, {"changed": changed}, now=now)
    if set_verified(organisation, verified, actor=actor, now=now):
        changed.append("verified")
    return changed


def set_verified(organisation: Organisation, verified: bool, *, actor, now: datetime) -> bool:
    """True when the flag changed. Verifying has its own audit event: it is the one change
    readers rely on."""
    if organisation.verified == verified:
        return False
    organisation.verified = verified
    db.session.flush()
    audit.record(actor, "organisation.verify", organisation, {"verified": verified}, now=now)
    return True


def admin_overview(now: datetime) -> list[OrganisationSummary]:
    """Every organisation with its active members and open invitations, in one query."""
    active_members = (
        select(func.count(Member.id))
        .where(Member.organisation_id == Organisation.id, Member.active.is_(True))
        .scalar_subquery()
    )
    open_invitations = (
        select(func.count(Invitation.id))
        .where(still_open(Invitation, now), Invitation.organisation_id == Organisation.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Organisation, active_members, open_invitations).order_by(
            Organisation.name, Organisation.id
        )
    ).all()
    return [OrganisationSummary(*row) for row in rows]


def organisation_by_slug(slug: str) -> Organisation | None:
    return db.session.scalars(select(Organisation).where(Organisation.slug == slug)).one_or_none()


def organisation_view(slug: str, now: datetime) -> OrganisationView | None:
    """The administration's page of one organisation, in three queries."""
    organisation = organisation_by_slug(slug)
    if organisation is None:
        return None
    members = db.session.scalars(
        select(Member)
        .where(Member.organisation_id == organisation.id)
        .order_by(Member.active.desc(), Member.display_name, Member.id)
    ).all()
    return OrganisationView(organisation, list(members), open_invitations(organisation, now))


def open_invitations(organisation: Organisation, now: datetime) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.organisation_id == organisation.id, still_open(Invitation, now))
            .order_by(Invitation.created_at, Invitation.id)
        )
    )


# --- invitations and members -----------------------------------------------------------------


def _member_exists(email: str) -> bool:
    return bool(db.session.scalar(select(func.count()).where(Member.email == email)))


def invite_member(
    organisation: Organisation, email: str, *, actor, now: datetime, valid_days: int
) -> tuple[Invitation, str]:
    """A one-time link for `email` to join `organisation`. Only the token's hash is stored;
    the token goes back to the caller to be shown once and mailed."""
    email = normalise_email(email)
    if _member_exists(email):
        raise DuplicateMember()
    # Inviting again (say the first mail was lost) must leave one working link, not several.
    db.session.execute(
        update(Invitation)
        .where(
            Invitation.organisation_id == organisation.id,
            Invitation.email == email,
            still_open(Invitation, now),
        )
        .values(expires_at=now)
    )
    token, token_hash = tokens.new_token()
    invitation = Invitation(
        organisation_id=organisation.id,
        email=email,
        token_hash=token_hash,
        invited_by_id=getattr(actor, "id", None),
        created_at=now,
        expires_at=now + timedelta(days=valid_days),
    )
    invitation.organisation = organisation
    db.session.add(invitation)
    db.session.flush()
    # The address stays in the invitation row only; the audit trail needs no copy of it.
    audit.record(
        actor,
        "member.invite",
        invitation,
        {"organisation_id": organisation.id, "expires_at": invitation.expires_at.isoformat()},
        now=now,
    )
    return invitation, token


def invitation_state(token: str, now: datetime) -> InvitationCheck:
    invitation = db.session.scalars(
        select(Invitation)
        .where(Invitation.token_hash == tokens.hash_token(token))
        .options(joinedload(Invitation.organisation))
    ).one_or_none()
    return InvitationCheck(invitation_state_of(invitation, now), invitation)


def accept_invitation(token: str, *, display_name: str, password: str, now: datetime) -> Member:
    """Create the member account an invitation promises; its address comes from the invitation."""
    check = invitation_state(token, now)
    if check.state is not InvitationState.VALID:
        raise InvitationUnusable(check.state)
    invitation = check.invitation
    password_hash = passwords.hash_password(password)
    if _member_exists(invitation.email):
        raise DuplicateMember()
    # Conditional, so that the same link opened twice at once creates one account only.
    claimed = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, still_open(Invitation, now))
        .values(accepted_at=now)
    ).rowcount
    if not claimed:
        raise InvitationUnusable(InvitationState.USED)
    member = Member(
        organisation_id=invitation.organisation_id,
        email=invitation.email,
        display_name=_clean_name(display_name),
        password_hash=password_hash,
        created_at=now,
    )
    member.organisation = invitation.organisation
    db.session.add(member)
    db.session.flush()
    invitation.accepted_at = now
    invitation.member_id = member.id
    db.session.flush()
    # No staff actor: the invitee acted, through the link the administration gave them.
    audit.record(
        None,
        "member.join",
        member,
        {"organisation_id": member.organisation_id, "invitation_id": invitation.id},
        now=now,
    )
    return member


def authenticate_member(email: str, password: str) -> Member | None:
    member = db.session.scalars(
        select(Member)
        .where(Member.email == normalise_email(email))
        .options(joinedload(Member.organisation))
    ).one_or_none()
    if not passwords.verify(member, password) or not member.active:
        return None
    return member


def member_by_session_token(token: str) -> Member | None:
    return db.session.scalars(
        select(Member).where(Member.session_token == token).options(joinedload(Member.organisation))
    ).one_or_none()


def member_of(organisation: Organisation, member_id: int) -> Member | None:
    return db.session.scalars(
        select(Member).where(Member.id == member_id, Member.organisation_id == organisation.id)
    ).one_or_none()


def deactivate_member(member: Member, *, actor, now: datetime) -> bool:
    """Take away the member's sign-in and end their sessions at once. True when it changed."""
    if not member.active:
        return False
    member.active = False
    member.session_token = new_session_token()
    db.session.flush()
    audit.record(
        actor,
        "member.deactivate",
        member,
        {"organisation_id": member.organisation_id},
        now=now,
    )
    return True


# --- the public list of participating organisations ------------------------------------------


def participating_organisations(consultation: Consultation) -> list[ParticipatingOrganisation]:
    """Organisations with published statements in the consultation, each with those
    statements in document order. One query, however many statements there are."""
    parent = aliased(Comment)
    comments = db.session.scalars(
        select(Comment)
        .join(Comment.organisation)
        # A reply is only public while the comment it answers is.
        .outerjoin(parent, Comment.parent_id == parent.id)
        .where(
            Comment.consultation_id == consultation.id,
            Comment.status == CommentStatus.APPROVED,
            or_(Comment.parent_id.is_(None), parent.status == CommentStatus.APPROVED),
        )
        .options(
            contains_eager(Comment.organisation),
            joinedload(Comment.section),
            joinedload(Comment.paragraph),
        )
    ).all()
    by_organisation: dict[int, tuple[Organisation, list[Comment]]] = {}
    for comment in comments:
        by_organisation.setdefault(comment.organisation_id, (comment.organisation, []))[1].append(
            comment
        )
    return [
        ParticipatingOrganisation(
            organisation,
            [_statement(consultation, c) for c in sorted(statements, key=_document_order)],
        )
        for organisation, statements in sorted(
            by_organisation.values(), key=lambda entry: (entry[0].name.casefold(), entry[0].id)
        )
    ]


def _document_order(comment: Comment) -> tuple:
    # The draft as a whole first, then each chapter before its paragraphs.
    return (
        comment.section.position if comment.section else -1,
        comment.paragraph.position if comment.paragraph else -1,
        comment.published_at or comment.created_at,
        comment.id,
    )


def _statement(consultation: Consultation, comment: Comment) -> Statement:
    return Statement(
        comment_id=comment.id,
        kind=comment.kind,
        is_reply=comment.is_reply,
        target=Target(consultation, comment.section, comment.paragraph),
        published_at=comment.published_at,
    )

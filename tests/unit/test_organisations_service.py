"""The organisations service: registration, invitations, members, the public list."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.models import (
    AuditEvent,
    CommentKind,
    CommentStatus,
    Invitation,
    Member,
    Role,
    StakeholderGroup,
)
from consult.models.types import utcnow
from consult.services import organisations
from consult.services.organisations import (
    DuplicateMember,
    DuplicateOrganisation,
    InvitationState,
    InvitationUnusable,
    NotAnOrganisationGroup,
)
from consult.services.passwords import WeakPassword
from consult.services.targets import TargetKind
from consult.services.tokens import hash_token
from tests.factories import (
    DEFAULT_PASSWORD,
    make_comment,
    make_document,
    make_member,
    make_organisation,
    make_section,
    make_staff,
)

PASSWORD = "a long enough password"


def audit_actions(db, subject_type):
    return [
        (event.action, event.details)
        for event in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_type == subject_type)
            .order_by(AuditEvent.id)
        )
    ]


def create(name="Caritasverband Siegen-Wittgenstein e. V.", **overrides):
    values = {
        "name": name,
        "group": StakeholderGroup.WELFARE_ASSOCIATION,
        "description": "Migrationsdienst",
        "actor": None,
        "now": utcnow(),
    }
    values.update(overrides)
    return organisations.create_organisation(**values)


def invite(organisation, email="Leitung@Caritas.example ", now=None, **overrides):
    values = {"actor": None, "now": now or utcnow(), "valid_days": 7}
    values.update(overrides)
    return organisations.invite_member(organisation, email, **values)


# --- organisations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Caritasverband Siegen-Wittgenstein e. V.", "caritasverband-siegen-wittgenstein-e-v"),
        ("Flüchtlingshilfe Bad Berleburg", "fluechtlingshilfe-bad-berleburg"),
        ("Straße & Söhne", "strasse-soehne"),
        ("Ça va Café", "ca-va-cafe"),
        ("جمعية السوريين", "organisation"),
        ("x" * 200, "x" * 60),
    ],
)
def test_slug_is_readable_ascii(name, slug):
    assert organisations.slug_for(name) == slug


def test_create_audits_and_suffixes_a_clashing_slug(db):
    admin = make_staff(role=Role.ADMIN)
    first = create("AWO Siegen", actor=admin)
    second = create("AWO-Siegen", actor=admin)
    third = create("AWO  Siegen!", actor=admin)
    assert (first.slug, second.slug, third.slug) == ("awo-siegen", "awo-siegen-2", "awo-siegen-3")
    assert third.name == "AWO Siegen!"
    assert audit_actions(db, "organisation")[0] == (
        "organisation.create",
        {"name": "AWO Siegen", "group": "welfare_association", "verified": False},
    )
    assert db.session.scalar(select(AuditEvent.actor_id).limit(1)) == admin.id


def test_the_same_name_twice_is_refused(db):
    create("Diakonie Siegen")
    with pytest.raises(DuplicateOrganisation):
        create(" diakonie   siegen ")


def test_an_organisation_cannot_be_an_individual(db):
    with pytest.raises(NotAnOrganisationGroup):
        create(group=StakeholderGroup.INDIVIDUAL)


def test_update_keeps_the_slug_and_audits_verification_separately(db):
    organisation = create("Integrationsrat Siegen")
    changed = organisations.update_organisation(
        organisation,
        name="Integrationsrat der Stadt Siegen",
        group=StakeholderGroup.INTEGRATION_COUNCIL,
        description="Migrationsdienst",
        verified=True,
        actor=None,
        now=utcnow(),
    )
    assert changed == ["name", "group", "verified"]
    assert organisation.slug == "integrationsrat-siegen"
    assert organisation.verified
    assert [action for action, _ in audit_actions(db, "organisation")] == [
        "organisation.create",
        "organisation.update",
        "organisation.verify",
    ]
    assert audit_actions(db, "organisation")[1][1] == {"changed": ["name", "group"]}


def test_update_without_changes_writes_no_audit_event(db):
    organisation = create()
    changed = organisations.update_organisation(
        organisation,
        name=organisation.name,
        group=organisation.group,
        description=organisation.description,
        verified=organisation.verified,
        actor=None,
        now=utcnow(),
    )
    assert changed == []
    assert len(audit_actions(db, "organisation")) == 1


def test_renaming_to_another_organisations_name_is_refused(db):
    create("Diakonie Siegen")
    other = create("Diakonie Olpe")
    with pytest.raises(DuplicateOrganisation):
        organisations.update_organisation(
            other,
            name="Diakonie Siegen",
            group=other.group,
            description="",
            verified=False,
            actor=None,
            now=utcnow(),
        )


def test_admin_overview_counts_active_members_and_open_invitations(db, count_queries):
    now = utcnow()
    busy = make_organisation(name="B-Verband")
    quiet = make_organisation(name="A-Verband")
    make_member(busy)
    make_member(busy, active=False)
    invite(busy, "open@b.example", now=now)
    invite(busy, "late@b.example", now=now - timedelta(days=8))
    db.session.flush()
    with count_queries() as counter:
        summaries = organisations.admin_overview(now)
    assert counter.count == 1, counter.statements
    mine = [s for s in summaries if s.organisation.id in (busy.id, quiet.id)]
    assert [(s.organisation.name, s.active_members, s.open_invitations) for s in mine] == [
        ("A-Verband", 0, 0),
        ("B-Verband", 1, 1),
    ]


# --- invitations -----------------------------------------------------------------------------


def test_invitation_stores_only_the_hash_and_no_address_in_the_audit(db):
    organisation = make_organisation()
    admin = make_staff(role=Role.ADMIN)
    now = utcnow()
    invitation, token = invite(organisation, actor=admin, now=now)
    assert invitation.email == "leitung@caritas.example"
    assert invitation.token_hash == hash_token(token) != token
    assert len(token) >= 32
    assert invitation.invited_by_id == admin.id
    assert invitation.expires_at == now + timedelta(days=7)
    (action, details), *_ = audit_actions(db, "invitation")
    assert action == "member.invite"
    assert "@" not in str(details)


def test_invitation_states(db):
    organisation = make_organisation()
    now = utcnow()
    _, token = invite(organisation, now=now)
    assert organisations.invitation_state(token, now).state is InvitationState.VALID
    assert organisations.invitation_state(token, now).invitation.organisation is organisation
    later = now + timedelta(days=7)
    assert organisations.invitation_state(token, later).state is InvitationState.EXPIRED
    assert organisations.invitation_state("nope", now).state is InvitationState.UNKNOWN
    organisations.accept_invitation(token, display_name="Anna", password=PASSWORD, now=now)
    assert organisations.invitation_state(token, now).state is InvitationState.USED


def test_inviting_the_same_address_again_replaces_the_open_link(db):
    organisation = make_organisation()
    now = utcnow()
    _, first = invite(organisation, "anna@verband.example", now=now)
    _, second = invite(organisation, "anna@verband.example", now=now + timedelta(minutes=1))
    later = now + timedelta(minutes=2)
    assert organisations.invitation_state(first, later).state is InvitationState.EXPIRED
    assert organisations.invitation_state(second, later).state is InvitationState.VALID


def test_an_existing_member_cannot_be_invited_again(db):
    organisation = make_organisation()
    make_member(make_organisation(), email="anna@verband.example")
    with pytest.raises(DuplicateMember):
        invite(organisation, "Anna@Verband.example")


def test_accepting_creates_the_member_with_the_invited_address(db):
    organisation = make_organisation()
    now = utcnow()
    invitation, token = invite(organisation, now=now)
    member = organisations.accept_invitation(
        token, display_name="  Anna   Berger ", password=PASSWORD, now=now
    )
    assert (member.email, member.display_name) == ("leitung@caritas.example", "Anna Berger")
    assert member.organisation is organisation and member.active
    assert member.password_hash.startswith("$argon2id$")
    assert (invitation.accepted_at, invitation.member_id) == (now, member.id)
    assert audit_actions(db, "member")[0][0] == "member.join"


@pytest.mark.parametrize(
    ("shift", "state"), [(timedelta(days=8), InvitationState.EXPIRED), (None, "used")]
)
def test_accepting_an_unusable_invitation_is_refused(db, shift, state):
    organisation = make_organisation()
    now = utcnow()
    _, token = invite(organisation, now=now)
    if shift is None:
        organisations.accept_invitation(token, display_name="A", password=PASSWORD, now=now)
        shift = timedelta(0)
    with pytest.raises(InvitationUnusable) as refused:
        organisations.accept_invitation(token, display_name="B", password=PASSWORD, now=now + shift)
    assert refused.value.state == state
    assert db.session.scalar(select(Member).where(Member.display_name == "B")) is None


def test_accepting_an_unknown_token_is_refused(db):
    with pytest.raises(InvitationUnusable) as refused:
        organisations.accept_invitation("x" * 32, display_name="A", password=PASSWORD, now=utcnow())
    assert refused.value.state is InvitationState.UNKNOWN


def test_accepting_needs_a_long_password(db):
    _, token = invite(make_organisation())
    with pytest.raises(WeakPassword):
        organisations.accept_invitation(token, display_name="A", password="short", now=utcnow())
    assert organisations.invitation_state(token, utcnow()).state is InvitationState.VALID


def test_accepting_when_the_address_got_an_account_meanwhile_is_a_clear_error(db):
    organisation = make_organisation()
    _, token = invite(organisation, "anna@verband.example")
    make_member(organisation, email="anna@verband.example")
    with pytest.raises(DuplicateMember):
        organisations.accept_invitation(token, display_name="A", password=PASSWORD, now=utcnow())
    invitation = db.session.scalar(select(Invitation).where(Invitation.member_id.is_(None)))
    assert invitation.accepted_at is None


# --- members ---------------------------------------------------------------------------------


def test_authenticate_member(db):
    member = make_member(make_organisation(), email="anna@verband.example")
    assert organisations.authenticate_member(" ANNA@verband.example", DEFAULT_PASSWORD) is member
    assert organisations.authenticate_member("anna@verband.example", "wrong password!") is None
    assert organisations.authenticate_member("nobody@verband.example", DEFAULT_PASSWORD) is None
    member.active = False
    assert organisations.authenticate_member("anna@verband.example", DEFAULT_PASSWORD) is None


def test_deactivating_rotates_the_session_token_and_audits(db):
    member = make_member(make_organisation())
    old_token = member.session_token
    admin = make_staff(role=Role.ADMIN)
    assert organisations.deactivate_member(member, actor=admin, now=utcnow())
    assert not member.active and member.session_token != old_token
    assert organisations.member_by_session_token(old_token) is None
    assert not organisations.deactivate_member(member, actor=admin, now=utcnow())
    assert audit_actions(db, "member") == [
        ("member.deactivate", {"organisation_id": member.organisation_id})
    ]


# --- the public list -------------------------------------------------------------------------


def test_participating_organisations_lists_published_statements_in_document_order(
    db, count_queries
):
    consultation, (first, second, _) = make_document()
    chapter = make_section(consultation, number=2)
    caritas = make_organisation(name="Caritas")
    awo = make_organisation(name="awo")
    silent = make_organisation(name="Stiller Verband")
    on_second = make_comment(second, status=CommentStatus.APPROVED, organisation_id=caritas.id)
    on_draft = make_comment(
        consultation=consultation, status=CommentStatus.APPROVED, organisation_id=caritas.id
    )
    on_chapter = make_comment(
        section=chapter, status=CommentStatus.APPROVED, organisation_id=caritas.id
    )
    on_first = make_comment(first, status=CommentStatus.APPROVED, organisation_id=caritas.id)
    reply = make_comment(
        parent=on_first, status=CommentStatus.APPROVED, organisation_id=awo.id, kind=None
    )
    for status in (CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.WITHDRAWN):
        make_comment(first, status=status, organisation_id=silent.id)
        make_comment(first, status=status, organisation_id=awo.id)
    make_comment(first, status=CommentStatus.APPROVED)  # an individual
    _, (elsewhere, *_) = make_document()
    make_comment(elsewhere, status=CommentStatus.APPROVED, organisation_id=silent.id)

    with count_queries() as counter:
        result = organisations.participating_organisations(consultation)
    assert counter.count == 1

    assert [entry.organisation.name for entry in result] == ["awo", "Caritas"]
    awo_entry, caritas_entry = result
    assert [s.comment_id for s in awo_entry.statements] == [reply.id]
    assert awo_entry.statements[0].is_reply
    assert [s.comment_id for s in caritas_entry.statements] == [
        on_draft.id,
        on_first.id,
        on_second.id,
        on_chapter.id,
    ]
    kinds = [s.target.kind for s in caritas_entry.statements]
    assert kinds == [
        TargetKind.DRAFT,
        TargetKind.PARAGRAPH,
        TargetKind.PARAGRAPH,
        TargetKind.CHAPTER,
    ]
    assert caritas_entry.statements[1].target.paragraph.number == first.number
    assert caritas_entry.statements[1].kind is CommentKind.OBJECTION

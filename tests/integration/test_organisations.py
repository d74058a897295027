"""Organisations over HTTP: the administration's pages (with and without HTMX), invitations,
members joining and signing in, and the public list of participating organisations."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.mail import MailError
from consult.models import (
    AuditEvent,
    CommentStatus,
    Invitation,
    Member,
    Organisation,
    Phase,
    Role,
    StakeholderGroup,
)
from consult.models.types import utcnow
from consult.services import organisations
from consult.services.tokens import hash_token
from tests.conftest import csrf_from, html
from tests.factories import (
    DEFAULT_PASSWORD,
    make_comment,
    make_document,
    make_member,
    make_organisation,
    make_staff,
)

ADMIN_LIST = "/en/admin/organisations/"
PASSWORD = "a long enough password"
LINK = re.compile(r"https://beteiligung\.kreis\.example/en/members/join/([\w-]+)")


def admin_url(organisation, suffix=""):
    return f"{ADMIN_LIST}{organisation.slug}{suffix}"


def organisation_form(token, **overrides):
    data = {
        "csrf_token": token,
        "name": "Flüchtlingshilfe Bad Berleburg",
        "group": "volunteer_initiative",
        "description": "Ehrenamtliche Begleitung\r\nund Beratung",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def db_count(model, *where):
    from consult.extensions import db

    return len(db.session.scalars(select(model).where(*where)).all())


# --- access ----------------------------------------------------------------------------------


def test_admin_pages_send_strangers_to_the_staff_sign_in(client):
    organisation = make_organisation()
    for url in (ADMIN_LIST, admin_url(organisation)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/en/staff/login" in response.headers["Location"]


def test_admin_pages_are_forbidden_for_moderators_and_members(client, login, csrf_token):
    organisation = make_organisation()
    for user in (make_staff(role=Role.MODERATOR), make_member(organisation)):
        login(user)
        assert client.get(ADMIN_LIST).status_code == 403
        assert client.get(admin_url(organisation)).status_code == 403
        token = csrf_from(html(client.get("/en/")))  # the sign-out form's token
        response = client.post(ADMIN_LIST, data=organisation_form(token))
        assert response.status_code == 403
    assert db_count(Organisation, Organisation.name == "Flüchtlingshilfe Bad Berleburg") == 0


def test_nav_shows_organisations_to_admins_only(client, login):
    login(make_staff(role=Role.MODERATOR))
    assert ADMIN_LIST not in html(client.get("/en/"))
    login(make_staff(role=Role.ADMIN))
    assert f'href="{ADMIN_LIST}"' in html(client.get("/en/"))


# --- registering and editing -----------------------------------------------------------------


def test_list_shows_organisations_with_counts(client, admin):
    organisation = make_organisation(name="Diakonie Siegen")
    make_member(organisation)
    make_member(organisation, active=False)
    page = html(client.get(ADMIN_LIST))
    assert "Diakonie Siegen" in page
    assert f'href="{admin_url(organisation)}"' in page
    row = page[page.index("Diakonie Siegen") :].split("</tr>")[0]
    assert re.findall(r"<td>(\d+)</td>", row) == ["1", "0"]


def test_create_without_htmx_redirects_to_the_new_organisation(client, admin, csrf_token):
    token = csrf_token(ADMIN_LIST)
    response = client.post(ADMIN_LIST, data=organisation_form(token, verified="y"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        "/en/admin/organisations/fluechtlingshilfe-bad-berleburg"
    )
    page = html(client.get(response.headers["Location"]))
    assert "Organisation “Flüchtlingshilfe Bad Berleburg” registered." in page
    assert "Verified by the administration" in page
    organisation = organisations.organisation_by_slug("fluechtlingshilfe-bad-berleburg")
    assert organisation.group is StakeholderGroup.VOLUNTEER_INITIATIVE
    assert organisation.description == "Ehrenamtliche Begleitung\nund Beratung"
    assert organisation.verified


def test_create_with_htmx_answers_the_form_and_the_updated_list(client, hx, admin, csrf_token):
    token = csrf_token(ADMIN_LIST)
    response = hx.post(ADMIN_LIST, data=organisation_form(token))
    assert response.status_code == 200
    page = html(response)
    assert "<html" not in page
    assert 'id="organisation-create"' in page
    assert 'data-announce="Organisation “Flüchtlingshilfe Bad Berleburg” registered."' in page
    assert 'id="organisation-list" aria-labelledby="organisation-list-title" hx-swap-oob' in page
    assert 'href="/en/admin/organisations/fluechtlingshilfe-bad-berleburg"' in page
    # The fresh form is empty again.
    assert 'value="Flüchtlingshilfe Bad Berleburg"' not in page


@pytest.mark.parametrize("use_htmx", [False, True])
def test_invalid_create_is_422_with_errors_and_the_text_kept(
    client, hx, admin, csrf_token, use_htmx
):
    token = csrf_token(ADMIN_LIST)
    poster = hx if use_htmx else client
    response = poster.post(ADMIN_LIST, data=organisation_form(token, name="", group=""))
    assert response.status_code == 422
    page = html(response)
    assert "Please enter the name of the organisation." in page
    assert "Please choose the stakeholder group." in page
    assert "Ehrenamtliche Begleitung\nund Beratung</textarea>" in page
    assert ("<html" in page) is not use_htmx
    assert db_count(Organisation, Organisation.description.like("Ehrenamtliche%")) == 0


@pytest.mark.parametrize("use_htmx", [False, True])
def test_a_name_registered_already_is_refused(client, hx, admin, csrf_token, use_htmx):
    make_organisation(name="Flüchtlingshilfe Bad Berleburg")
    token = csrf_token(ADMIN_LIST)
    response = (hx if use_htmx else client).post(ADMIN_LIST, data=organisation_form(token))
    assert response.status_code == 422
    assert "An organisation with this name is registered already." in html(response)


def test_an_individual_is_not_offered_as_an_organisations_group(client, admin, csrf_token):
    token = csrf_token(ADMIN_LIST)
    assert 'value="individual"' not in html(client.get(ADMIN_LIST))
    response = client.post(ADMIN_LIST, data=organisation_form(token, group="individual"))
    assert response.status_code == 422


@pytest.mark.parametrize("use_htmx", [False, True])
def test_update_saves_and_verifies(client, hx, admin, csrf_token, db, use_htmx):
    organisation = make_organisation(name="Integrationsrat", verified=False)
    token = csrf_token(admin_url(organisation))
    data = organisation_form(
        token, name="Integrationsrat Siegen", group="integration_council", verified="y"
    )
    response = (hx if use_htmx else client).post(admin_url(organisation), data=data)
    if use_htmx:
        assert response.status_code == 200
        page = html(response)
        assert "<html" not in page and 'id="organisation-edit"' in page
        assert 'data-announce="Changes saved."' in page
        assert 'value="Integrationsrat Siegen"' in page
        assert '<h1 id="organisation-name" hx-swap-oob="true">Integrationsrat Siegen</h1>' in page
    else:
        assert response.status_code == 303
        assert response.headers["Location"].endswith(admin_url(organisation))
    assert organisation.name == "Integrationsrat Siegen"
    assert organisation.verified
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.subject_id == organisation.id)
    ).all()
    assert actions == ["organisation.update", "organisation.verify"]


@pytest.mark.parametrize("use_htmx", [False, True])
def test_invalid_update_is_422_and_keeps_the_text(client, hx, admin, csrf_token, use_htmx):
    organisation = make_organisation(name="Integrationsrat")
    token = csrf_token(admin_url(organisation))
    data = organisation_form(token, name="", description="Neuer Text")
    response = (hx if use_htmx else client).post(admin_url(organisation), data=data)
    assert response.status_code == 422
    page = html(response)
    assert "Please enter the name of the organisation." in page
    assert "Neuer Text</textarea>" in page
    assert ("<html" in page) is not use_htmx
    assert organisation.name == "Integrationsrat"


def test_unknown_organisation_is_404(client, admin):
    assert client.get(f"{ADMIN_LIST}no-such-organisation").status_code == 404


# --- invitations -----------------------------------------------------------------------------


def invite(poster, client, organisation, email="Leitung@Verband.example"):
    token = csrf_from(html(client.get(admin_url(organisation))))
    return poster.post(
        admin_url(organisation, "/invitations"), data={"csrf_token": token, "email": email}
    )


@pytest.mark.parametrize("use_htmx", [False, True])
def test_invitation_is_mailed_and_shown_once_and_only_its_hash_is_stored(
    client, hx, admin, outbox, db, use_htmx
):
    organisation = make_organisation(name="Caritas Siegen")
    response = invite(hx if use_htmx else client, client, organisation)
    assert response.status_code == 200
    page = html(response)
    assert ("<html" in page) is not use_htmx
    token = LINK.search(page).group(1)
    assert "This link is shown only this once." in page
    assert "We have sent the invitation link to leitung@verband.example." in page
    assert response.headers["Cache-Control"] == "private, no-store"

    (message,) = outbox
    assert message.to == "leitung@verband.example"
    assert "Caritas Siegen" in message.subject
    assert f"https://beteiligung.kreis.example/en/members/join/{token}" in message.body

    invitation = db.session.scalars(
        select(Invitation).where(Invitation.organisation_id == organisation.id)
    ).one()
    assert invitation.token_hash == hash_token(token)
    stored = db.session.execute(select(Invitation.__table__)).all()
    assert token not in repr(stored)

    if use_htmx:
        assert 'id="open-invitations" aria-labelledby="open-invitations-title" hx-swap-oob' in page
    # The administration's page lists the invitation, never the link again.
    again = html(client.get(admin_url(organisation)))
    assert "leitung@verband.example" in again and token not in again


def test_invitation_page_says_when_the_mail_failed(client, admin, outbox, monkeypatch, app):
    def refuse(message):
        raise MailError("connection refused")

    monkeypatch.setattr(app.extensions["consult.mail"], "send", refuse)
    response = invite(client, client, make_organisation())
    assert response.status_code == 200
    page = html(response)
    assert "The e-mail could not be sent. Please pass the link below on yourself." in page
    assert LINK.search(page)


@pytest.mark.parametrize("use_htmx", [False, True])
@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("not an address", "Please enter a valid e-mail address."),
        ("member@verband.example", "An account with this e-mail address exists already."),
    ],
)
def test_invalid_invitation_is_422_with_the_address_kept(
    client, hx, admin, outbox, use_htmx, email, error
):
    organisation = make_organisation()
    make_member(organisation, email="member@verband.example")
    response = invite(hx if use_htmx else client, client, organisation, email)
    assert response.status_code == 422
    page = html(response)
    assert error in page
    assert f'value="{email}"' in page
    assert ("<html" in page) is not use_htmx
    assert outbox == []


# --- joining ---------------------------------------------------------------------------------


def new_invitation(organisation=None, now=None, **overrides):
    organisation = organisation or make_organisation(name="Caritas Siegen")
    return organisations.invite_member(
        organisation,
        overrides.pop("email", "anna@verband.example"),
        actor=None,
        now=now or utcnow(),
        valid_days=7,
    )


def join(client, token, **overrides):
    form_token = csrf_from(html(client.get(f"/en/members/join/{token}")))
    data = {
        "csrf_token": form_token,
        "display_name": "Anna Berger",
        "password": PASSWORD,
        "password_repeat": PASSWORD,
    }
    data.update(overrides)
    return client.post(f"/en/members/join/{token}", data=data)


def test_join_page_shows_the_organisation_and_the_address(client):
    _, token = new_invitation()
    response = client.get(f"/en/members/join/{token}")
    assert response.status_code == 200
    page = html(response)
    assert "Join Caritas Siegen" in page
    assert "anna@verband.example" in page
    assert response.headers["Cache-Control"] == "private, no-store"


def test_joining_creates_the_account_and_signs_in(client, db):
    invitation, token = new_invitation()
    response = join(client, token)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/en/members/account")
    page = html(client.get("/en/members/account"))
    assert "Caritas Siegen" in page and "Anna Berger" in page
    assert "Welcome! You can now speak for Caritas Siegen." in page
    member = db.session.scalars(select(Member).where(Member.email == "anna@verband.example")).one()
    assert member.organisation_id == invitation.organisation_id
    assert invitation.member_id == member.id


def test_an_invitation_works_once(client, app):
    _, token = new_invitation()
    assert join(client, token).status_code == 303
    other = app.test_client()
    response = other.get(f"/en/members/join/{token}")
    assert response.status_code == 410
    assert "Invitation already used" in html(response)


def test_an_expired_invitation_is_410(client):
    _, token = new_invitation(now=utcnow() - timedelta(days=8))
    response = client.get(f"/en/members/join/{token}")
    assert response.status_code == 410
    assert "This invitation link is no longer valid." in html(response)


def test_an_expired_invitation_is_410_for_htmx_too(hx):
    _, token = new_invitation(now=utcnow() - timedelta(days=8))
    response = hx.get(f"/en/members/join/{token}")
    assert response.status_code == 410
    assert "<html" not in html(response)


def test_an_unknown_invitation_is_404_with_a_clear_message(client):
    response = client.get("/en/members/join/" + "x" * 32)
    assert response.status_code == 404
    assert "There is no invitation at this address." in html(response)


def test_an_invitation_page_is_in_the_ui_language(client):
    _, token = new_invitation(now=utcnow() - timedelta(days=8))
    assert '<html lang="de"' in html(client.get(f"/de/members/join/{token}"))


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"password": "short", "password_repeat": "short"}, "at least 12 characters"),
        ({"password_repeat": "something else entirely"}, "The two passwords are not the same."),
    ],
)
def test_joining_with_a_bad_password_is_422_and_keeps_the_name(client, db, overrides, error):
    _, token = new_invitation()
    response = join(client, token, **overrides)
    assert response.status_code == 422
    page = html(response)
    assert error in page
    assert 'value="Anna Berger"' in page
    assert 'class="error-summary"' in page
    assert db_count(Member, Member.email == "anna@verband.example") == 0


def test_joining_when_the_address_has_an_account_is_422(client):
    organisation = make_organisation()
    _, token = new_invitation(organisation)
    make_member(organisation, email="anna@verband.example")
    response = join(client, token)
    assert response.status_code == 422
    assert "An account with this e-mail address exists already." in html(response)


# --- signing in and out ----------------------------------------------------------------------


def member_sign_in(client, email, password, next_url=None):
    token = csrf_from(html(client.get("/en/members/login")))
    url = "/en/members/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"csrf_token": token, "email": email, "password": password})


def test_member_signs_in_with_the_right_password(client):
    organisation = make_organisation(name="Caritas Siegen")
    make_member(organisation, email="anna@verband.example", display_name="Anna")
    response = member_sign_in(client, "Anna@Verband.example", DEFAULT_PASSWORD)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/en/members/account")
    page = html(client.get("/en/"))
    assert 'href="/en/members/account">Caritas Siegen</a>' in page


def test_member_sign_in_follows_only_same_site_next(client):
    make_member(make_organisation(), email="anna@verband.example")
    response = member_sign_in(client, "anna@verband.example", DEFAULT_PASSWORD, "/en/c/x/")
    assert response.headers["Location"].endswith("/en/c/x/")
    client.delete_cookie("consult_session")
    response = member_sign_in(
        client, "anna@verband.example", DEFAULT_PASSWORD, "https://evil.example/"
    )
    assert response.headers["Location"].endswith("/en/members/account")


def test_wrong_member_password_or_unknown_address_gives_one_message(client):
    make_member(make_organisation(), email="anna@verband.example")
    inactive = make_member(make_organisation(), email="old@verband.example", active=False)
    for email, password in (
        ("anna@verband.example", "wrong password"),
        ("nobody@verband.example", DEFAULT_PASSWORD),
        (inactive.email, DEFAULT_PASSWORD),
    ):
        response = member_sign_in(client, email, password)
        assert response.status_code == 422
        assert "E-mail address or password is wrong." in html(response)
    assert client.get("/en/members/account").status_code == 302


def test_staff_cannot_use_the_member_sign_in(client):
    make_staff(email="mira@kreis.example")
    assert member_sign_in(client, "mira@kreis.example", DEFAULT_PASSWORD).status_code == 422


def test_account_page_needs_a_member(client, login):
    response = client.get("/en/members/account")
    assert response.status_code == 302
    assert "/en/members/login" in response.headers["Location"]
    login(make_staff())
    assert client.get("/en/members/account").status_code == 403


def test_account_page_shows_organisation_verification_and_sign_out(client, login):
    organisation = make_organisation(name="Caritas Siegen", verified=False)
    login(make_member(organisation, display_name="Anna Berger"))
    page = html(client.get("/en/members/account"))
    assert "Caritas Siegen" in page and "Anna Berger" in page
    assert "Not yet verified by the administration" in page
    assert 'action="/en/staff/logout"' in page


def test_member_sign_out_ends_the_session_on_the_server(client, app):
    make_member(make_organisation(), email="anna@verband.example")
    member_sign_in(client, "anna@verband.example", DEFAULT_PASSWORD)
    stolen_cookie = client.get_cookie("consult_session").value
    token = csrf_from(html(client.get("/en/members/account")))
    assert client.post("/en/staff/logout", data={"csrf_token": token}).status_code == 303

    attacker = app.test_client()
    attacker.set_cookie("consult_session", stolen_cookie)
    assert attacker.get("/en/members/account").status_code == 302


# --- deactivating ----------------------------------------------------------------------------


@pytest.mark.parametrize("use_htmx", [False, True])
def test_deactivated_members_session_no_longer_loads(client, hx, app, login, db, use_htmx):
    organisation = make_organisation()
    member = make_member(organisation, display_name="Anna Berger")
    member_client = app.test_client()
    with member_client.session_transaction() as session:
        session["_user_id"] = member.get_id()
    assert member_client.get("/en/members/account").status_code == 200

    login(make_staff(role=Role.ADMIN))
    token = csrf_from(html(client.get(admin_url(organisation))))
    url = admin_url(organisation, f"/members/{member.id}/deactivate")
    response = (hx if use_htmx else client).post(url, data={"csrf_token": token})
    if use_htmx:
        assert response.status_code == 200
        page = html(response)
        assert "<html" not in page and f'id="member-{member.id}"' in page
        assert 'data-announce="Anna Berger can no longer sign in."' in page
        assert "/deactivate" not in page
    else:
        assert response.status_code == 303
        assert "Anna Berger can no longer sign in." in html(client.get(admin_url(organisation)))
    assert not member.active
    assert member_client.get("/en/members/account").status_code == 302
    assert db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action == "member.deactivate")
    ).all() == ["member.deactivate"]


def test_deactivating_a_member_of_another_organisation_is_404(client, admin):
    organisation = make_organisation()
    stranger = make_member(make_organisation())
    token = csrf_from(html(client.get(admin_url(organisation))))
    url = admin_url(organisation, f"/members/{stranger.id}/deactivate")
    assert client.post(url, data={"csrf_token": token}).status_code == 404
    assert stranger.active


# --- the public page -------------------------------------------------------------------------


def participating_url(consultation, lang="en"):
    return f"/{lang}/c/{consultation.slug}/organisations"


def test_public_page_lists_only_organisations_with_published_statements(client):
    consultation, (paragraph, *_) = make_document()
    published = make_organisation(name="Caritas Siegen", description="Migrationsdienst")
    unverified = make_organisation(name="Initiative Netphen", verified=False)
    hidden = make_organisation(name="Verborgener Verband")
    statement = make_comment(paragraph, status=CommentStatus.APPROVED, organisation_id=published.id)
    make_comment(paragraph, status=CommentStatus.APPROVED, organisation_id=unverified.id)
    for status in (CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.WITHDRAWN):
        make_comment(paragraph, status=status, organisation_id=hidden.id, text=f"Geheim {status}")
    _, (elsewhere, *_) = make_document()
    make_comment(elsewhere, status=CommentStatus.APPROVED, organisation_id=hidden.id)

    response = client.get(participating_url(consultation))
    assert response.status_code == 200
    page = html(response)
    assert "<h1>Organisations taking part</h1>" in page
    assert "Caritas Siegen" in page and "Migrationsdienst" in page
    assert "Initiative Netphen" in page
    assert "Verborgener Verband" not in page and "Geheim" not in page
    assert page.count("Verified by the administration") == 1
    assert "Welfare association" in page
    link = f"/en/c/{consultation.slug}/p/{paragraph.number}#comment-{statement.id}"
    assert f'href="{link}"' in page
    assert "Set-Cookie" not in response.headers


def test_public_page_without_statements_says_so(client):
    consultation, _ = make_document()
    page = html(client.get(participating_url(consultation)))
    assert "No organisation has published a statement in this consultation yet." in page


def test_public_page_is_404_for_unknown_and_draft_consultations_unless_staff(client, login):
    consultation, _ = make_document(phase=Phase.DRAFT)
    assert client.get("/en/c/no-such-consultation/organisations").status_code == 404
    assert client.get(participating_url(consultation)).status_code == 404
    login(make_staff())
    assert client.get(participating_url(consultation)).status_code == 200


def test_public_page_queries_do_not_grow_with_statements(client, count_queries):
    def queries_for(statements):
        consultation, paragraphs = make_document(paragraphs=statements)
        for index, paragraph in enumerate(paragraphs):
            organisation = make_organisation()
            make_comment(paragraph, status=CommentStatus.APPROVED, organisation_id=organisation.id)
            if index % 2:
                make_comment(
                    section=paragraph.section,
                    status=CommentStatus.APPROVED,
                    organisation_id=organisation.id,
                )
        with count_queries() as counter:
            response = client.get(participating_url(consultation))
        assert response.status_code == 200
        return counter.count

    assert queries_for(1) == queries_for(10) <= 2


# --- command line ----------------------------------------------------------------------------


def test_cli_registers_an_organisation_and_prints_an_invitation_link(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "consult",
            "create-organisation",
            "Caritasverband Siegen e. V.",
            "--group",
            "welfare_association",
            "--verified",
        ]
    )
    assert result.exit_code == 0, result.output
    organisation = organisations.organisation_by_slug("caritasverband-siegen-e-v")
    assert organisation.verified

    result = runner.invoke(
        args=["consult", "invite-member", organisation.slug, "Anna@Verband.example"]
    )
    assert result.exit_code == 0, result.output
    token = re.search(
        r"https://beteiligung\.kreis\.example/de/members/join/([\w-]+)", result.output
    )
    state = organisations.invitation_state(token.group(1), utcnow())
    assert state.state is organisations.InvitationState.VALID
    assert state.invitation.email == "anna@verband.example"


def test_cli_refuses_unknown_organisations_and_individuals(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["consult", "invite-member", "nope", "a@verband.example"])
    assert result.exit_code != 0 and "No organisation" in result.output
    result = runner.invoke(
        args=["consult", "create-organisation", "Jemand", "--group", "individual"]
    )
    assert result.exit_code != 0

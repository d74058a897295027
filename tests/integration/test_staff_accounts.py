"""Staff accounts over HTTP: the administration's staff pages, invitations, guards,
deactivation, one's own account, the TOTP second factor, the sign-in's lifetime and the
audit trail."""

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from consult.mail import MailError
from consult.models import AuditEvent, Role, StaffInvitation, StaffUser
from consult.models.types import utcnow
from consult.services import staff
from consult.services.tokens import hash_token
from consult.web import sign_in as sign_in_module
from tests.conftest import csrf_from, html
from tests.factories import (
    DEFAULT_PASSWORD,
    make_consultation,
    make_member,
    make_organisation,
    make_staff,
)

STAFF = "/en/admin/staff/"
INVITE = "/en/admin/staff/invitations"
ACCOUNT = "/en/staff/account"
LOGIN = "/en/staff/login"
CODE = "/en/staff/login/code"
QUEUE = "/en/moderation/"
PASSWORD = "a long enough password"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
LINK = re.compile(r"https://beteiligung\.kreis\.example/en/staff/join/([\w-]+)")


@pytest.fixture
def admin(login):
    return login(make_staff(role=Role.ADMIN, display_name="Ada Admin"))


class Clock:
    """The routes' clock, fixed in the middle of a 30-second step so codes are predictable."""

    def __init__(self):
        real = utcnow()
        self.now = real.replace(second=15 if real.second < 30 else 45, microsecond=0)

    def __call__(self):
        return self.now

    def code(self, secret=SECRET, steps=0):
        return pyotp.TOTP(secret).at(self.now + timedelta(seconds=30 * steps))


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr("consult.routes.auth.utcnow", fake)
    return fake


def events(db, action=None):
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return db.session.scalars(query).all()


def invite(poster, client, **overrides):
    token = csrf_from(html(client.get(STAFF)))
    data = {
        "csrf_token": token,
        "email": "Neu@Kreis.example",
        "display_name": "Nora Neu",
        "role": "moderator",
    }
    data.update(overrides)
    return poster.post(INVITE, data={k: v for k, v in data.items() if v is not None})


def new_invitation(email="nora@kreis.example", now=None, **overrides):
    overrides.setdefault("display_name", "Nora Neu")
    overrides.setdefault("role", Role.MODERATOR)
    return staff.invite_staff(email, actor=None, now=now or utcnow(), valid_days=7, **overrides)


def join(client, token, **overrides):
    form_token = csrf_from(html(client.get(f"/en/staff/join/{token}")))
    data = {
        "csrf_token": form_token,
        "display_name": "Nora Neu",
        "password": PASSWORD,
        "password_repeat": PASSWORD,
    }
    data.update(overrides)
    return client.post(f"/en/staff/join/{token}", data=data)


def sign_in(client, email, password=DEFAULT_PASSWORD, next_url=None):
    token = csrf_from(html(client.get(LOGIN)))
    url = LOGIN + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"csrf_token": token, "email": email, "password": password})


def enter_code(client, code, next_url=None):
    url = CODE + (f"?next={next_url}" if next_url else "")
    token = csrf_from(html(client.get(url)))
    return client.post(url, data={"csrf_token": token, "code": code})


def signed_in_client(app, user):
    other = app.test_client()
    with other.session_transaction() as session:
        session["_user_id"] = user.get_id()
    return other


# --- access ----------------------------------------------------------------------------------


def test_staff_pages_send_strangers_to_the_sign_in(client):
    for url in (STAFF, ACCOUNT):
        response = client.get(url)
        assert response.status_code == 302
        assert "/en/staff/login" in response.headers["Location"]


def test_staff_admin_is_forbidden_for_moderators_and_members(client, login, db):
    target = make_staff(role=Role.MODERATOR)
    for user in (make_staff(role=Role.MODERATOR), make_member(make_organisation())):
        login(user)
        assert client.get(STAFF).status_code == 403
        assert client.get(f"{STAFF}{target.id}").status_code == 403
        token = csrf_from(html(client.get("/en/")))  # the sign-out form's token
        response = client.post(
            INVITE,
            data={"csrf_token": token, "email": "x@kreis.example", "display_name": "X"},
        )
        assert response.status_code == 403
        url = f"{STAFF}{target.id}/deactivate"
        assert client.post(url, data={"csrf_token": token}).status_code == 403
    assert target.active
    assert staff.by_email("x@kreis.example") is None


def test_members_have_no_staff_account_page(client, login):
    login(make_member(make_organisation()))
    assert client.get(ACCOUNT).status_code == 403


def test_nav_shows_staff_to_admins_and_the_account_to_all_staff(client, login):
    login(make_staff(role=Role.MODERATOR))
    page = html(client.get("/en/"))
    assert f'href="{STAFF}"' not in page
    assert f'href="{ACCOUNT}">Your account</a>' in page
    login(make_staff(role=Role.ADMIN))
    assert f'href="{STAFF}">Staff</a>' in html(client.get("/en/"))


# --- the list --------------------------------------------------------------------------------


def test_list_shows_role_scope_second_factor_and_state(client, admin):
    consultation = make_consultation(title="Integrationskonzept Kreis")
    make_staff(
        display_name="Lea Limitiert",
        totp_secret=SECRET,
        limited_to_consultations=True,
        consultations=[consultation],
    )
    make_staff(display_name="Dora Deaktiviert", active=False)
    new_invitation(display_name="Nora Neu")
    page = html(client.get(STAFF))

    def row(name):
        return page[page.index(name) :].split("</tr>")[0]

    assert "Integrationskonzept Kreis" in row("Lea Limitiert")
    assert "Moderation" in row("Lea Limitiert") and "<td>On</td>" in row("Lea Limitiert")
    assert "All consultations" in row("Ada Admin") and "Administration" in row("Ada Admin")
    assert "<td>Off</td>" in row("Ada Admin") and "Active" in row("Ada Admin")
    assert "Deactivated" in row("Dora Deaktiviert")
    assert "Invited, link valid until" in row("Nora Neu")
    assert "nora@kreis.example" in row("Nora Neu")
    assert "<caption" in page and 'scope="col"' in page


def test_list_needs_the_same_queries_however_many_staff(client, admin, db, count_queries):
    consultation = make_consultation()

    def queries():
        with count_queries() as counter:
            assert client.get(STAFF).status_code == 200
        return counter.count

    make_staff()
    few = queries()
    for _ in range(4):
        user = make_staff(limited_to_consultations=True, consultations=[consultation])
        new_invitation(email=f"invited{user.id}@kreis.example")
    db.session.flush()  # the invitations' audit events
    assert queries() == few


def test_member_and_account_pages_need_the_same_queries_however_wide_the_scope(
    client, login, db, count_queries
):
    def queries(consultations):
        user = make_staff(limited_to_consultations=True, consultations=consultations)
        db.session.flush()
        counts = []
        for url in (f"{STAFF}{user.id}", ACCOUNT):
            login(make_staff(role=Role.ADMIN) if url.startswith(STAFF) else user)
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    assert queries([make_consultation()]) == queries([make_consultation() for _ in range(5)])


# --- inviting --------------------------------------------------------------------------------


@pytest.mark.parametrize("use_htmx", [False, True])
def test_invitation_is_mailed_shown_once_and_creates_an_inactive_account(
    client, hx, admin, outbox, db, use_htmx
):
    first = make_consultation(title="Konzept A")
    second = make_consultation(title="Konzept B")
    make_consultation(title="Konzept C")
    response = invite(
        hx if use_htmx else client,
        client,
        limited="y",
        consultations=[str(first.id), str(second.id)],
    )
    assert response.status_code == 200
    page = html(response)
    assert ("<html" in page) is not use_htmx
    token = LINK.search(page).group(1)
    assert "This link is shown only this once." in page
    assert "We have sent the invitation link to neu@kreis.example." in page
    assert response.headers["Cache-Control"] == "private, no-store"
    if use_htmx:
        assert 'id="staff-list" aria-labelledby="staff-list-title" hx-swap-oob' in page

    (message,) = outbox
    assert message.to == "neu@kreis.example"
    assert f"https://beteiligung.kreis.example/en/staff/join/{token}" in message.body
    assert "Ada Admin invites you" in message.body and "as a moderator" in message.body

    user = staff.staff_member(staff.by_email("neu@kreis.example").id)
    assert user.display_name == "Nora Neu" and user.role is Role.MODERATOR
    assert user.password_hash is None and not user.active
    assert user.limited_to_consultations
    assert [c.title for c in user.consultations] == ["Konzept A", "Konzept B"]
    invitation = db.session.scalars(
        select(StaffInvitation).where(StaffInvitation.staff_user_id == user.id)
    ).one()
    assert invitation.token_hash == hash_token(token)
    assert token not in repr(db.session.execute(select(StaffInvitation.__table__)).all())

    (event,) = events(db, "staff.invite")
    assert event.actor_id == admin.id and event.subject_id == user.id
    assert event.details["consultation_ids"] == [first.id, second.id]
    assert "neu@kreis.example" not in repr(event.details) and token not in repr(event.details)

    again = html(client.get(STAFF))
    assert "neu@kreis.example" in again and token not in again


def test_invitation_page_says_when_the_mail_failed(client, admin, outbox, monkeypatch, app):
    def refuse(message):
        raise MailError("connection refused")

    monkeypatch.setattr(app.extensions["consult.mail"], "send", refuse)
    response = invite(client, client)
    assert response.status_code == 200
    page = html(response)
    assert "The e-mail could not be sent. Please pass the link below on yourself." in page
    assert LINK.search(page)


@pytest.mark.parametrize("use_htmx", [False, True])
@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"email": "not an address"}, "Please enter a valid e-mail address."),
        ({"display_name": ""}, "Please enter a name."),
        ({"email": "taken@kreis.example"}, "A staff account with this e-mail address exists"),
        ({"limited": "y"}, "Please choose at least one consultation"),
    ],
)
def test_invalid_invitation_is_422_with_the_input_kept(
    client, hx, admin, outbox, use_htmx, overrides, error
):
    make_consultation()
    make_staff(email="taken@kreis.example")
    response = invite(hx if use_htmx else client, client, **overrides)
    assert response.status_code == 422
    page = html(response)
    assert error in page
    assert 'class="error-summary"' in page
    assert ("<html" in page) is not use_htmx
    assert f'value="{overrides.get("display_name", "Nora Neu")}"' in page
    assert outbox == []


def test_an_administrator_is_never_limited(client, admin):
    consultation = make_consultation()
    invite(client, client, role="admin", limited="y", consultations=[str(consultation.id)])
    user = staff.staff_member(staff.by_email("neu@kreis.example").id)
    assert user.role is Role.ADMIN
    assert not user.limited_to_consultations and user.consultations == []


def test_inviting_again_replaces_the_earlier_link(client, app, admin, db):
    first = LINK.search(html(invite(client, client))).group(1)
    second_page = html(invite(client, client, display_name="Nora Neumann", role="admin"))
    assert "Earlier invitation links for this person no longer work." in second_page
    second = LINK.search(second_page).group(1)
    assert first != second

    response = app.test_client().get(f"/en/staff/join/{first}")
    assert response.status_code == 410
    assert "Ada Admin" in html(response)  # whom to ask
    user = staff.by_email("neu@kreis.example")
    assert user.display_name == "Nora Neumann" and user.role is Role.ADMIN
    assert [e.details["reinvited"] for e in events(db, "staff.invite")] == [False, True]
    assert join(app.test_client(), second).status_code == 303


# --- accepting -------------------------------------------------------------------------------


def test_joining_activates_the_account_and_signs_in(client, db):
    new = new_invitation()
    page = html(client.get(f"/en/staff/join/{new.token}"))
    assert "nora@kreis.example" in page and 'value="Nora Neu"' in page
    response = join(client, new.token, display_name="Nora  Neu-Berger")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(ACCOUNT)
    page = html(client.get(ACCOUNT))
    assert "Welcome, Nora Neu-Berger! Your account is ready." in page
    user = new.invitation.staff_user
    assert user.active and user.password_hash.startswith("$argon2id$")
    assert client.get(QUEUE).status_code == 200
    (event,) = events(db, "staff.accept_invitation")
    assert event.actor_id == user.id


def test_an_invitation_works_once(client, app):
    new = new_invitation()
    assert join(client, new.token).status_code == 303
    response = app.test_client().get(f"/en/staff/join/{new.token}")
    assert response.status_code == 410
    assert "Invitation already used" in html(response)


def test_an_expired_invitation_is_410_and_says_whom_to_ask(client):
    inviter = make_staff(role=Role.ADMIN, display_name="Ada Admin")
    new = staff.invite_staff(
        "nora@kreis.example",
        display_name="Nora",
        role=Role.MODERATOR,
        actor=inviter,
        now=utcnow() - timedelta(days=8),
        valid_days=7,
    )
    response = client.get(f"/en/staff/join/{new.token}")
    assert response.status_code == 410
    assert "Please ask Ada Admin or another administrator for a new invitation." in html(response)


def test_an_unknown_invitation_is_404_with_a_clear_message(client):
    response = client.get("/en/staff/join/" + "x" * 32)
    assert response.status_code == 404
    assert "There is no invitation at this address." in html(response)


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"password": "short", "password_repeat": "short"}, "at least 12 characters"),
        ({"password_repeat": "something else entirely"}, "The two passwords are not the same."),
    ],
)
def test_joining_with_a_bad_password_is_422(client, overrides, error):
    new = new_invitation()
    response = join(client, new.token, **overrides)
    assert response.status_code == 422
    assert error in html(response)
    assert new.invitation.staff_user.password_hash is None


def test_invitation_tokens_never_reach_the_error_log(client, caplog, monkeypatch):
    new = new_invitation()

    def broken(*args, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(staff, "accept_invitation", broken)
    assert join(client, new.token).status_code == 500
    assert "unhandled error" in caplog.text and new.token not in caplog.text


def test_someone_invited_cannot_sign_in_before_accepting(client):
    new_invitation()
    response = sign_in(client, "nora@kreis.example", "any password at all")
    assert response.status_code == 422
    assert "E-mail address or password is wrong." in html(response)


# --- role and scope --------------------------------------------------------------------------


def scope_form(client, user, **overrides):
    token = csrf_from(html(client.get(f"{STAFF}{user.id}")))
    data = {"csrf_token": token, "role": "moderator"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("use_htmx", [False, True])
def test_role_and_scope_are_saved_and_audited(client, hx, admin, db, use_htmx):
    consultation = make_consultation(title="Konzept Nord")
    user = make_staff(role=Role.ADMIN, display_name="Max Mod")
    data = scope_form(client, user, limited="y", consultations=[str(consultation.id)])
    response = (hx if use_htmx else client).post(f"{STAFF}{user.id}", data=data)
    if use_htmx:
        assert response.status_code == 200
        page = html(response)
        assert "<html" not in page and 'data-announce="Changes saved."' in page
        assert 'id="staff-facts" hx-swap-oob="true"' in page and "Konzept Nord" in page
    else:
        assert response.status_code == 303
        assert "Changes saved." in html(client.get(response.headers["Location"]))
    user = staff.staff_member(user.id)
    assert user.role is Role.MODERATOR and user.limited_to_consultations
    assert [c.id for c in user.consultations] == [consultation.id]
    (event,) = events(db, "staff.update")
    assert event.details == {
        "old": {"role": "admin", "limited_to_consultations": False, "consultation_ids": []},
        "new": {
            "role": "moderator",
            "limited_to_consultations": True,
            "consultation_ids": [consultation.id],
        },
    }


def test_a_limited_moderator_only_moderates_the_chosen_consultations(client, admin, app):
    chosen, other = make_consultation(), make_consultation()
    user = make_staff()
    client.post(
        f"{STAFF}{user.id}",
        data=scope_form(client, user, limited="y", consultations=[str(chosen.id)]),
    )
    from consult.services.scope import moderated_consultation_ids

    assert moderated_consultation_ids(staff.staff_member(user.id)) == frozenset({chosen.id})
    assert other.id not in moderated_consultation_ids(user)


@pytest.mark.parametrize("use_htmx", [False, True])
def test_nobody_demotes_themselves(client, hx, admin, use_htmx):
    make_staff(role=Role.ADMIN)
    response = (hx if use_htmx else client).post(
        f"{STAFF}{admin.id}", data=scope_form(client, admin)
    )
    assert response.status_code == 422
    assert "You cannot deactivate or demote yourself" in html(response)
    assert admin.role is Role.ADMIN


def test_nobody_deactivates_themselves(client, admin):
    token = csrf_from(html(client.get(f"{STAFF}{admin.id}")))
    response = client.post(f"{STAFF}{admin.id}/deactivate", data={"csrf_token": token})
    assert response.status_code == 409
    assert "You cannot deactivate or demote yourself" in html(response)
    assert admin.active
    assert client.get(STAFF).status_code == 200


def test_there_is_always_an_active_administrator(db):
    only = make_staff(role=Role.ADMIN)
    make_staff(role=Role.ADMIN, active=False)
    now = utcnow()
    with pytest.raises(staff.LastAdmin):
        staff.update_staff(
            staff.staff_member(only.id),
            role=Role.MODERATOR,
            limited=False,
            consultation_ids=(),
            actor=None,
            now=now,
        )
    with pytest.raises(staff.LastAdmin):
        staff.deactivate(only, actor=None, now=now)
    assert only.active and only.role is Role.ADMIN
    second = make_staff(role=Role.ADMIN)
    assert staff.deactivate(only, actor=second, now=now)


# --- deactivating ----------------------------------------------------------------------------


def test_deactivation_ends_an_existing_session_at_once(client, app, admin, db):
    user = make_staff(email="mira@kreis.example")
    moderator = signed_in_client(app, user)
    assert moderator.get(QUEUE).status_code == 200

    token = csrf_from(html(client.get(f"{STAFF}{user.id}")))
    response = client.post(f"{STAFF}{user.id}/deactivate", data={"csrf_token": token})
    assert response.status_code == 303
    assert "Every session of the account has ended" in html(
        client.get(response.headers["Location"])
    )
    assert moderator.get(QUEUE).status_code == 302
    assert sign_in(app.test_client(), "mira@kreis.example").status_code == 422

    token = csrf_from(html(client.get(f"{STAFF}{user.id}")))
    assert client.post(f"{STAFF}{user.id}/reactivate", data={"csrf_token": token}).status_code
    assert user.active
    assert sign_in(app.test_client(), "mira@kreis.example").status_code == 303
    assert [e.action for e in events(db) if e.subject_id == user.id] == [
        "staff.deactivate",
        "staff.reactivate",
        "staff.sign_in",
    ]


def test_withdrawing_an_invitation_stops_its_link(client, admin):
    new = new_invitation()
    user = new.invitation.staff_user
    page = html(client.get(f"{STAFF}{user.id}"))
    assert "Withdraw invitation" in page
    client.post(f"{STAFF}{user.id}/deactivate", data={"csrf_token": csrf_from(page)})
    assert client.get(f"/en/staff/join/{new.token}").status_code == 410


def test_unknown_staff_member_is_404(client, admin):
    assert client.get(f"{STAFF}999999").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        INVITE,
        "{staff}{id}",
        "{staff}{id}/deactivate",
        "{staff}{id}/second-factor/reset",
        f"{ACCOUNT}/password",
        f"{ACCOUNT}/second-factor/disable",
    ],
)
def test_staff_changes_need_the_csrf_token(client, admin, url):
    user = make_staff(totp_secret=SECRET)
    client.get(STAFF)  # the session exists; only the token is missing
    data = {"email": "x@kreis.example", "display_name": "X", "role": "moderator"}
    response = client.post(url.format(staff=STAFF, id=user.id), data=data)
    assert response.status_code == 400
    assert user.active and user.totp_secret == SECRET
    assert staff.by_email("x@kreis.example") is None


# --- one's own account -----------------------------------------------------------------------


def test_account_page_shows_name_role_and_scope(client, login):
    consultation = make_consultation(title="Konzept Süd")
    login(
        make_staff(
            display_name="Max Mod",
            email="max@kreis.example",
            limited_to_consultations=True,
            consultations=[consultation],
        )
    )
    page = html(client.get(ACCOUNT))
    for text in ("Max Mod", "max@kreis.example", "Moderation", "Konzept Süd", "Off"):
        assert text in page
    assert "Set up a second factor" in page


def change_password(client, current, new, repeat=None):
    token = csrf_from(html(client.get(ACCOUNT)))
    return client.post(
        f"{ACCOUNT}/password",
        data={
            "csrf_token": token,
            "current_password": current,
            "password": new,
            "password_repeat": repeat or new,
        },
    )


def test_changing_the_password_ends_other_sessions_but_not_this_one(client, app, db):
    user = make_staff(email="mira@kreis.example")
    sign_in(client, "mira@kreis.example")
    elsewhere = signed_in_client(app, user)
    assert elsewhere.get(QUEUE).status_code == 200

    response = change_password(client, "wrong password here", PASSWORD)
    assert response.status_code == 422
    assert "This is not your current password." in html(response)

    response = change_password(client, DEFAULT_PASSWORD, PASSWORD)
    assert response.status_code == 303
    assert "Password changed." in html(client.get(ACCOUNT))
    assert client.get(QUEUE).status_code == 200
    assert elsewhere.get(QUEUE).status_code == 302
    assert sign_in(app.test_client(), "mira@kreis.example", PASSWORD).status_code == 303
    assert len(events(db, "staff.password_change")) == 1


def test_a_short_new_password_is_refused(client, login):
    login(make_staff())
    response = change_password(client, DEFAULT_PASSWORD, "short")
    assert response.status_code == 422
    assert "at least 12 characters" in html(response)


# --- the second factor -----------------------------------------------------------------------


def setup_secret(page: str) -> str:
    return re.search(r'id="totp-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")


def test_enrolling_needs_a_current_code(client, login, clock, db):
    user = login(make_staff(email="mira@kreis.example"))
    page = html(client.get(f"{ACCOUNT}/second-factor"))
    assert '<svg role="img"' in page and "QR code for your authenticator app" in page
    secret = setup_secret(page)
    assert len(secret) == 32
    # Reloading shows the same key: someone who scanned it already keeps a working app.
    assert setup_secret(html(client.get(f"{ACCOUNT}/second-factor"))) == secret
    token = csrf_from(page)

    response = client.post(
        f"{ACCOUNT}/second-factor", data={"csrf_token": token, "code": clock.code(secret, 3)}
    )
    assert response.status_code == 422
    assert "This code does not match." in html(response)
    assert user.totp_secret is None

    code = clock.code(secret)
    old_session = user.session_token
    response = client.post(f"{ACCOUNT}/second-factor", data={"csrf_token": token, "code": code})
    assert response.status_code == 303
    # Other sessions end (whoever else holds one must now pass the code); this one goes on.
    assert user.session_token != old_session
    assert "Second factor switched on." in html(client.get(ACCOUNT))
    assert user.totp_secret == secret
    (event,) = events(db, "staff.totp_enable")
    assert secret not in repr(event.details) and code not in repr(event.details)
    # The code that confirmed the setup cannot also sign someone in.
    client.post("/en/staff/logout", data={"csrf_token": csrf_from(html(client.get(ACCOUNT)))})
    sign_in(client, "mira@kreis.example")
    assert enter_code(client, code).status_code == 422


def test_the_setup_secret_is_not_in_the_session_cookie(client, login):
    login(make_staff())
    secret = setup_secret(html(client.get(f"{ACCOUNT}/second-factor")))
    with client.session_transaction() as session:
        assert secret not in repr(dict(session))


def test_sign_in_with_a_second_factor_asks_for_the_code(client, clock, db):
    user = make_staff(email="mira@kreis.example", totp_secret=SECRET)
    response = sign_in(client, "mira@kreis.example", next_url="/en/admin/organisations/")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{CODE}?next=/en/admin/organisations/")
    # Not signed in yet.
    assert client.get(QUEUE).status_code == 302
    page = html(client.get(response.headers["Location"]))
    assert 'action="/en/staff/login/code?next=/en/admin/organisations/"' in page

    response = enter_code(client, clock.code(steps=3), "/en/admin/organisations/")
    assert response.status_code == 422
    assert "This code is not right, or it has been used already." in html(response)

    response = enter_code(client, clock.code(), "/en/admin/organisations/")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/en/admin/organisations/")
    assert client.get(QUEUE).status_code == 200
    assert [e.details for e in events(db, "staff.sign_in")] == [{"second_factor": True}]
    assert user.totp_last_counter == pyotp.TOTP(SECRET).timecode(clock.now)


def test_a_used_code_is_refused_but_the_next_one_works(client, app, clock):
    make_staff(email="mira@kreis.example", totp_secret=SECRET)
    sign_in(client, "mira@kreis.example")
    code = clock.code()
    assert enter_code(client, code).status_code == 303

    other = app.test_client()
    sign_in(other, "mira@kreis.example")
    assert enter_code(other, code).status_code == 422
    # One step either side counts, for a phone whose clock is a little off.
    assert enter_code(other, clock.code(steps=-1)).status_code == 422  # older than the used one
    assert enter_code(other, clock.code(steps=1)).status_code == 303


def test_the_code_step_times_out_after_five_minutes(client, clock):
    make_staff(email="mira@kreis.example", totp_secret=SECRET)
    sign_in(client, "mira@kreis.example")
    with client.session_transaction() as session:
        pending = session[sign_in_module.PENDING]
        session[sign_in_module.PENDING] = {**pending, "since": pending["since"] - 6 * 60}
    response = client.get(f"{CODE}?next=/en/admin/staff/")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{LOGIN}?next=/en/admin/staff/")
    page = html(client.get(response.headers["Location"]))
    assert "The time for entering the code has run out." in page
    token = csrf_from(page)
    response = client.post(CODE, data={"csrf_token": token, "code": clock.code()})
    assert response.status_code == 303 and LOGIN in response.headers["Location"]
    assert client.get(QUEUE).status_code == 302


def test_the_code_page_without_a_password_first_goes_to_the_sign_in(client):
    response = client.get(CODE)
    assert response.status_code == 303
    assert LOGIN in response.headers["Location"]


def test_the_code_step_is_rate_limited(app, client, clock):
    from consult.extensions import limiter

    make_staff(email="mira@kreis.example", totp_secret=SECRET)
    sign_in(client, "mira@kreis.example")
    token = csrf_from(html(client.get(CODE)))
    app.config["CONSULT_LOGIN_RATE_LIMIT"] = "2 per minute"
    limiter.reset()
    try:
        statuses = [
            client.post(CODE, data={"csrf_token": token, "code": "000000"}).status_code
            for _ in range(3)
        ]
    finally:
        app.config["CONSULT_LOGIN_RATE_LIMIT"] = "10000 per minute"
        limiter.reset()
    assert statuses == [422, 422, 429]


def test_switching_the_second_factor_off_needs_a_current_code(client, login, clock, db):
    user = login(make_staff(totp_secret=SECRET))
    page = html(client.get(ACCOUNT))
    assert "Switch the second factor off" in page
    token = csrf_from(page)
    url = f"{ACCOUNT}/second-factor/disable"
    response = client.post(url, data={"csrf_token": token, "code": clock.code(steps=5)})
    assert response.status_code == 422
    assert user.totp_secret == SECRET
    response = client.post(url, data={"csrf_token": token, "code": clock.code()})
    assert response.status_code == 303
    assert user.totp_secret is None
    assert len(events(db, "staff.totp_disable")) == 1


def test_an_admin_resets_a_lost_second_factor(client, app, admin, db):
    user = make_staff(email="mira@kreis.example", totp_secret=SECRET)
    token = csrf_from(html(client.get(f"{STAFF}{user.id}")))
    response = client.post(f"{STAFF}{user.id}/second-factor/reset", data={"csrf_token": token})
    assert response.status_code == 303
    assert user.totp_secret is None
    # The password alone signs in now.
    assert sign_in(app.test_client(), "mira@kreis.example").headers["Location"].endswith(QUEUE)
    (event,) = events(db, "staff.totp_reset")
    assert event.actor_id == admin.id and event.subject_id == user.id


def test_nobody_resets_their_own_second_factor_here(client, login):
    me = login(make_staff(role=Role.ADMIN, totp_secret=SECRET))
    token = csrf_from(html(client.get(f"{STAFF}{me.id}")))
    response = client.post(f"{STAFF}{me.id}/second-factor/reset", data={"csrf_token": token})
    assert response.status_code == 409
    assert me.totp_secret == SECRET


# --- the sign-in's lifetime ------------------------------------------------------------------


def age_sign_in(client, hours):
    with client.session_transaction() as session:
        session[sign_in_module.STARTED_AT] -= hours * 3600


def test_a_staff_sign_in_ends_after_the_configured_hours(client, app, db):
    make_staff(email="mira@kreis.example")
    sign_in(client, "mira@kreis.example")
    age_sign_in(client, app.config["CONSULT_SIGN_IN_HOURS"] - 1)
    assert client.get(QUEUE).status_code == 200
    age_sign_in(client, 1)
    response = client.get(QUEUE)
    assert response.status_code == 302
    page = html(client.get(response.headers["Location"]))
    assert "Your sign-in has expired" in page
    assert client.get(QUEUE).status_code == 302


def test_a_member_sign_in_ends_too(client, app):
    make_member(make_organisation(), email="anna@verband.example")
    token = csrf_from(html(client.get("/en/members/login")))
    client.post(
        "/en/members/login",
        data={"csrf_token": token, "email": "anna@verband.example", "password": DEFAULT_PASSWORD},
    )
    assert client.get("/en/members/account").status_code == 200
    age_sign_in(client, app.config["CONSULT_SIGN_IN_HOURS"])
    response = client.get("/en/members/account")
    assert response.status_code == 302
    assert "Your sign-in has expired" in html(client.get(response.headers["Location"]))


def test_a_session_from_before_the_lifetime_starts_counting_now(client, login):
    login(make_staff())
    assert client.get(QUEUE).status_code == 200
    with client.session_transaction() as session:
        started = session[sign_in_module.STARTED_AT]
    assert abs(started - datetime.now(UTC).timestamp()) < 60


def test_readers_still_get_no_cookie(client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


# --- the audit trail -------------------------------------------------------------------------


def test_audit_events_hold_no_secrets(client, app, admin, clock, db):
    page = html(invite(client, client, email="nora@kreis.example"))
    token = LINK.search(page).group(1)
    newcomer = app.test_client()
    join(newcomer, token)
    user = staff.by_email("nora@kreis.example")
    user.totp_secret = SECRET
    change_password(newcomer, PASSWORD, "another long password")
    sign_in(app.test_client(), "nora@kreis.example", "another long password")

    details = repr([(e.action, e.details) for e in events(db)])
    for secret in (token, PASSWORD, "another long password", SECRET, "nora@kreis.example"):
        assert secret not in details
    assert {"staff.invite", "staff.accept_invitation", "staff.password_change"} <= {
        e.action for e in events(db)
    }
    assert db.session.scalars(select(StaffUser).where(StaffUser.id == user.id)).one()


# --- command line ----------------------------------------------------------------------------


def test_cli_invites_a_limited_moderator_and_prints_the_link_once(app, db):
    consultation = make_consultation(slug="kim-2026", title="KIM 2026")
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "consult",
            "invite-staff",
            "Mira@Kreis.example",
            "--name",
            "Mira Moderatorin",
            "--consultation",
            "kim-2026",
        ]
    )
    assert result.exit_code == 0, result.output
    token = re.search(r"https://beteiligung\.kreis\.example/de/staff/join/([\w-]+)", result.output)
    check = staff.invitation_state(token.group(1), utcnow())
    assert check.state is staff.InvitationState.VALID
    user = staff.staff_member(check.invitation.staff_user_id)
    assert user.email == "mira@kreis.example" and user.role is Role.MODERATOR
    assert user.limited_to_consultations and user.consultations == [consultation]


def test_cli_refuses_unknown_consultations_and_accepted_accounts(app, db):
    make_staff(email="taken@kreis.example")
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["consult", "invite-staff", "a@kreis.example", "--name", "A", "--consultation", "x"]
    )
    assert result.exit_code != 0 and "No consultation" in result.output
    result = runner.invoke(args=["consult", "invite-staff", "taken@kreis.example", "--name", "T"])
    assert result.exit_code != 0 and "exists already" in result.output

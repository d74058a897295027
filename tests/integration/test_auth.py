"""Staff sign-in with argon2, sign-out that ends the session on the server."""

from tests.conftest import csrf_from
from tests.factories import DEFAULT_PASSWORD, make_staff

LOGIN = "/en/staff/login"


def sign_in(client, email, password, next_url=None):
    token = csrf_from(client.get(LOGIN).get_data(as_text=True))
    url = LOGIN + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"csrf_token": token, "email": email, "password": password})


def test_sign_in_with_right_password_opens_the_queue(client):
    user = make_staff(email="mira@kreis.example")
    response = sign_in(client, "Mira@Kreis.example ", DEFAULT_PASSWORD)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/en/moderation/")
    assert client.get("/en/moderation/").status_code == 200
    assert user.password_hash.startswith("$argon2id$")


def test_wrong_password_or_unknown_address_gives_the_same_message(client):
    make_staff(email="mira@kreis.example")
    for email, password in (("mira@kreis.example", "wrong"), ("nobody@kreis.example", "x")):
        response = sign_in(client, email, password)
        assert response.status_code == 422
        assert "E-mail address or password is wrong." in response.get_data(as_text=True)
    assert client.get("/en/moderation/").status_code == 302


def test_next_parameter_never_leads_off_site(client):
    make_staff(email="mira@kreis.example")
    response = sign_in(client, "mira@kreis.example", DEFAULT_PASSWORD, "https://evil.example/")
    assert response.headers["Location"].endswith("/en/moderation/")


def test_sign_out_invalidates_the_old_session_cookie_on_the_server(client, app):
    make_staff(email="mira@kreis.example")
    sign_in(client, "mira@kreis.example", DEFAULT_PASSWORD)
    stolen_cookie = client.get_cookie("consult_session").value
    token = csrf_from(client.get("/en/moderation/").get_data(as_text=True))
    assert client.post("/en/staff/logout", data={"csrf_token": token}).status_code == 303

    attacker = app.test_client()
    attacker.set_cookie("consult_session", stolen_cookie)
    assert attacker.get("/en/moderation/").status_code == 302


def test_readers_cannot_moderate_and_moderators_are_not_admins(client, login):
    from consult import permissions
    from consult.models import Role

    moderator = make_staff(role=Role.MODERATOR)
    assert permissions.can_moderate(moderator) and not permissions.can_export(moderator)
    login(moderator)
    assert client.get("/en/moderation/").status_code == 200

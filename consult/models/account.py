"""What staff accounts and organisation members share: the Flask-Login protocol."""

import secrets


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class SignInAccount:
    """The session cookie carries `SESSION_PREFIX + session_token`, not the row id: rotating the
    token signs out every session of the account on the server side, and the prefix tells the
    user loader which table to look in."""

    SESSION_PREFIX = ""
    is_anonymous = False
    is_staff = False
    is_member = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return self.SESSION_PREFIX + self.session_token

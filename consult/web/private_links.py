"""The private link as this browser remembers it.

Nothing is stored before the first post. After it, the signed session cookie (HttpOnly,
SameSite=Lax, gone when the browser closes) holds the link's token so that further comments
from the same browser can join the same link, and the thanks page can show a new link once.
"""

from flask import session

_REMEMBERED = "private_link"
_JUST_CREATED = "new_private_link"


def remembered() -> str | None:
    return session.get(_REMEMBERED)


def remember(token: str) -> None:
    session[_REMEMBERED] = token
    # A link shown earlier must not be shown again as if new.
    session.pop(_JUST_CREATED, None)


def show_once(token: str) -> None:
    """For the thanks page after a redirect: the new link, to be shown there and then dropped."""
    session[_JUST_CREATED] = token


def take_just_created() -> str | None:
    """The link created by the last post, once: shown on the thanks page, then forgotten there."""
    return session.pop(_JUST_CREATED, None)


def forget() -> None:
    session.pop(_REMEMBERED, None)
    session.pop(_JUST_CREATED, None)


_MAIL_FAILED = "private_link_mail_failed"


def note_mail_failed() -> None:
    session[_MAIL_FAILED] = True


def take_mail_failed() -> bool:
    return bool(session.pop(_MAIL_FAILED, False))

"""Password sign-in, shared by staff and organisation members: the optional second step for a
one-time code, and the fixed lifetime of a sign-in."""

from collections.abc import Callable
from datetime import timedelta

from flask import current_app, flash, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_user, logout_user

from consult.extensions import db
from consult.forms.auth import LoginForm
from consult.models.types import utcnow
from consult.web.htmx import safe_next, see_other

# Session keys. The start of a sign-in lives in the signed cookie, so it cannot be moved.
STARTED_AT = "signed_in_at"
PENDING = "pending_second_factor"
NOTICE = "sign_in_notice"

# How long the code may take after the password was right.
SECOND_FACTOR_WINDOW = timedelta(minutes=5)


def login_rate_limit() -> str:
    return current_app.config["CONSULT_LOGIN_RATE_LIMIT"]


def _timestamp() -> int:
    return int(utcnow().timestamp())


def start_session(account) -> None:
    # A fresh session on sign-in: nothing from before (fixation, another account) carries over.
    session.clear()
    login_user(account)
    session[STARTED_AT] = _timestamp()


def renew_session(account) -> None:
    """Sign this browser in again after the account's session token changed (a new password
    ends every other session), without extending the sign-in's lifetime."""
    started_at = session.get(STARTED_AT)
    start_session(account)
    if isinstance(started_at, int):
        session[STARTED_AT] = started_at


def end_expired_sign_in() -> None:
    """Before every request: a sign-in ends CONSULT_SIGN_IN_HOURS after it started, however
    active the person was, so a forgotten session on a shared computer does not stay open.
    Readers have no session and are not touched (no cookie is set for them)."""
    if "_user_id" not in session:
        return
    started_at = session.get(STARTED_AT)
    now = _timestamp()
    if not isinstance(started_at, int):
        # A session signed in before sign-ins had a lifetime: it starts counting now.
        session[STARTED_AT] = now
        return
    if now - started_at >= current_app.config["CONSULT_SIGN_IN_HOURS"] * 3600:
        logout_user()
        session.clear()
        session[NOTICE] = "expired"


def _show_notice() -> None:
    notice = session.pop(NOTICE, None)
    if notice == "expired":
        flash(
            ngettext(
                "Your sign-in has expired: it ends %(num)d hour after you signed in. "
                "Please sign in again.",
                "Your sign-in has expired: it ends %(num)d hours after you signed in. "
                "Please sign in again.",
                current_app.config["CONSULT_SIGN_IN_HOURS"],
            ),
            "warning",
        )
    elif notice == "code_timeout":
        flash(
            _(
                "The time for entering the code has run out. Please sign in again with your "
                "password."
            ),
            "warning",
        )


def hold_for_second_factor(account) -> None:
    """The password was right; remember the account (not signed in) until the code comes."""
    session.clear()
    session[PENDING] = {"account": account.get_id(), "since": _timestamp()}


def pending_sign_in(load_account: Callable[[str], object | None]):
    """The account waiting for its code, or None. A step older than SECOND_FACTOR_WINDOW is
    forgotten, and the sign-in page then says why; so is one whose account was deactivated or
    signed out everywhere meanwhile (its session token no longer loads it)."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    since = pending.get("since")
    if not isinstance(since, int) or _timestamp() - since > SECOND_FACTOR_WINDOW.total_seconds():
        session.pop(PENDING)
        session[NOTICE] = "code_timeout"
        return None
    account = load_account(str(pending.get("account", "")))
    if account is None or not account.is_active or not getattr(account, "has_second_factor", False):
        session.pop(PENDING)
        return None
    return account


def complete_sign_in(
    account,
    *,
    welcome: Callable[[object], str],
    target: str,
    on_signed_in: Callable[[object, bool], None] | None = None,
    second_factor: bool = False,
):
    if on_signed_in is not None:
        on_signed_in(account, second_factor)
    db.session.commit()  # the audit event, and a rehashed password
    start_session(account)
    flash(welcome(account), "success")
    return see_other(target)


def sign_in(
    authenticate: Callable[[str, str], object | None],
    *,
    template: str,
    welcome: Callable[[object], str],
    default_next: str,
    second_factor_endpoint: str | None = None,
    on_signed_in: Callable[[object, bool], None] | None = None,
):
    """The sign-in form: one generic message for a wrong address or password, so that the page
    never tells whether an account exists. An account with a second factor continues at
    `second_factor_endpoint` instead of being signed in."""
    if request.method == "GET":
        _show_notice()
    form = LoginForm()
    if form.validate_on_submit():
        account = authenticate(form.email.data, form.password.data)
        next_url = safe_next(request.args.get("next"))
        if (
            account is not None
            and second_factor_endpoint
            and getattr(account, "has_second_factor", False)
        ):
            db.session.commit()  # a rehashed password is kept
            hold_for_second_factor(account)
            return see_other(url_for(second_factor_endpoint, next=next_url))
        if account is not None:
            return complete_sign_in(
                account,
                welcome=welcome,
                target=next_url or default_next,
                on_signed_in=on_signed_in,
            )
        form.form_errors.append(_("E-mail address or password is wrong."))
    status = 422 if form.is_submitted() else 200
    return render_template(template, form=form), status

"""Password sign-in, shared by staff and organisation members."""

from collections.abc import Callable

from flask import current_app, flash, render_template, request, session
from flask_babel import gettext as _
from flask_login import login_user

from consult.extensions import db
from consult.forms.auth import LoginForm
from consult.web.htmx import safe_next, see_other


def login_rate_limit() -> str:
    return current_app.config["CONSULT_LOGIN_RATE_LIMIT"]


def start_session(account) -> None:
    # A fresh session on sign-in: nothing from before (fixation, another account) carries over.
    session.clear()
    login_user(account)


def sign_in(
    authenticate: Callable[[str, str], object | None],
    *,
    template: str,
    welcome: Callable[[object], str],
    default_next: str,
):
    """The sign-in form: one generic message for a wrong address or password, so that the page
    never tells whether an account exists."""
    form = LoginForm()
    if form.validate_on_submit():
        account = authenticate(form.email.data, form.password.data)
        if account is not None:
            db.session.commit()  # a rehashed password is kept
            start_session(account)
            flash(welcome(account), "success")
            return see_other(safe_next(request.args.get("next")) or default_next)
        form.form_errors.append(_("E-mail address or password is wrong."))
    status = 422 if form.is_submitted() else 200
    return render_template(template, form=form), status

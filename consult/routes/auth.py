"""Staff sign-in (password, then a one-time code where set up), sign-out, accepting an
invitation, and every staff member's own account. Participants never need an account."""

import secrets
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from markupsafe import Markup

from consult import permissions
from consult.extensions import db, limiter
from consult.forms.auth import (
    DisableSecondFactorForm,
    EnableSecondFactorForm,
    PasswordChangeForm,
    SecondFactorForm,
    StaffJoinForm,
)
from consult.forms.confirm import ConfirmForm
from consult.forms.fields import report_weak_password
from consult.models.types import utcnow
from consult.services import staff, totp
from consult.services.passwords import WeakPassword
from consult.services.staff import InvitationState, InvitationUnusable, WrongCode, WrongPassword
from consult.web.htmx import is_htmx, safe_next, see_other
from consult.web.invitations import unusable_invitation
from consult.web.sign_in import (
    complete_sign_in,
    end_expired_sign_in,
    login_rate_limit,
    pending_sign_in,
    renew_session,
    sign_in,
    start_session,
)

bp = Blueprint("auth", __name__, url_prefix="/<lang:lang>/staff")
bp.before_app_request(end_expired_sign_in)

# The session key of a second-factor setup in progress: a nonce from which, with the app's
# secret key, the offered secret is derived (services.totp.setup_secret).
_TOTP_SETUP = "totp_setup"


def unauthorized():
    """Where a staff page sends someone who is not (or no longer) signed in.

    A POST cannot be repeated after signing in, so it returns to the queue instead. An HTMX
    request gets a 401 telling htmx to load the sign-in page as a whole page, rather than
    having the sign-in page swapped into a fragment."""
    if is_htmx():
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        back = safe_next(current.path + (f"?{current.query}" if current.query else ""))
        response = make_response("", 401)
        response.headers["HX-Redirect"] = url_for("auth.login", next=back)
        return response
    if request.method == "GET":
        back = safe_next(request.full_path.rstrip("?"))
        return redirect(url_for("auth.login", next=back))
    return see_other(url_for("auth.login", next=url_for("moderation.queue")))


def _welcome(user) -> str:
    return _("Signed in as %(name)s.", name=user.display_name)


def _record_sign_in(user, second_factor: bool) -> None:
    staff.record_sign_in(user, second_factor=second_factor, now=utcnow())


# --- signing in and out ----------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def login():
    return sign_in(
        staff.authenticate,
        template="auth/login.html",
        welcome=_welcome,
        default_next=url_for("moderation.queue"),
        second_factor_endpoint="auth.login_code",
        on_signed_in=_record_sign_in,
    )


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def login_code():
    next_url = safe_next(request.args.get("next"))
    user = pending_sign_in(staff.by_session_token)
    if user is None:
        return see_other(url_for("auth.login", next=next_url))
    form = SecondFactorForm()
    if form.validate_on_submit():
        try:
            staff.check_second_factor(user, form.code.data, utcnow())
        except WrongCode:
            form.code.errors.append(
                _(
                    "This code is not right, or it has been used already. Please wait for "
                    "the next code in your app and enter it."
                )
            )
        else:
            return complete_sign_in(
                user,
                welcome=_welcome,
                target=next_url or url_for("moderation.queue"),
                on_signed_in=_record_sign_in,
                second_factor=True,
            )
    status = 422 if form.is_submitted() else 200
    return render_template("auth/code.html", form=form, next_url=next_url), status


@bp.post("/logout")
@login_required
def logout():
    form = ConfirmForm()
    if form.validate_on_submit():
        staff.end_all_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have been signed out."), "success")
    return see_other(url_for("public.index"))


# --- accepting an invitation -----------------------------------------------------------------


def _unusable_invitation(state: InvitationState, inviter: str | None):
    ask = (
        _("Please ask %(name)s or another administrator for a new invitation.", name=inviter)
        if inviter
        else _("Please ask an administrator of this site for a new invitation.")
    )
    return unusable_invitation(state, ask)


# The path carries the token; Flask logs errors with the route's pattern only (web/errors.py).
@bp.route("/join/<token>", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def join(token: str):
    check = staff.invitation_state(token, utcnow())
    if check.state is not InvitationState.VALID:
        return _unusable_invitation(check.state, check.invited_by_name)
    user = check.invitation.staff_user
    form = StaffJoinForm(data={"display_name": user.display_name})
    if form.validate_on_submit():
        try:
            user = staff.accept_invitation(
                token,
                display_name=form.display_name.data,
                password=form.password.data,
                now=utcnow(),
            )
        except InvitationUnusable as error:
            return _unusable_invitation(error.state, check.invited_by_name)
        except WeakPassword:
            report_weak_password(form.password)
        else:
            db.session.commit()
            start_session(user)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.display_name), "success")
            return see_other(url_for("auth.account"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "auth/join.html",
        form=form,
        invitation=check.invitation,
        invited_by_name=check.invited_by_name,
        token=token,
    ), status


# --- one's own account -----------------------------------------------------------------------


def staff_required(view):
    @wraps(view)
    @login_required
    def guarded(**kwargs):
        if not permissions.is_staff(current_user):
            abort(403)
        return view(**kwargs)

    return guarded


def _me():
    """The signed-in staff member with the consultations they are limited to."""
    user = staff.staff_member(current_user.id)
    if user is None:
        abort(403)
    return user


def _render_account(status=200, password_form=None, disable_form=None):
    return render_template(
        "auth/account.html",
        user=_me(),
        password_form=password_form or PasswordChangeForm(formdata=None),
        disable_form=disable_form or DisableSecondFactorForm(formdata=None),
        logout_form=ConfirmForm(),
    ), status


@bp.get("/account")
@staff_required
def account():
    return _render_account()


@bp.post("/account/password")
@staff_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            staff.change_password(
                user, current=form.current_password.data, new=form.password.data, now=utcnow()
            )
        except WrongPassword:
            form.current_password.errors.append(_("This is not your current password."))
        except WeakPassword:
            report_weak_password(form.password)
        else:
            db.session.commit()
            renew_session(user)
            flash(
                _("Password changed. Any other place where you were signed in is signed out."),
                "success",
            )
            return see_other(url_for("auth.account"))
    return _render_account(422, password_form=form)


def _setup_secret(user) -> str:
    nonce = session.get(_TOTP_SETUP)
    if not isinstance(nonce, str):
        nonce = session[_TOTP_SETUP] = secrets.token_urlsafe(16)
    return totp.setup_secret(current_app.secret_key, user.id, nonce)


def _render_setup(user, form, status=200):
    secret = _setup_secret(user)
    uri = totp.provisioning_uri(secret, user.email, current_app.config["CONSULT_TOTP_ISSUER"])
    return render_template(
        "auth/second_factor.html",
        form=form,
        # segno's SVG holds only the module paths, a title and fixed attributes.
        qr_code=Markup(totp.qr_svg(uri, _("QR code for your authenticator app"))),
        grouped_secret=totp.grouped(secret),
    ), status


@bp.get("/account/second-factor")
@staff_required
def second_factor():
    user = current_user._get_current_object()
    if user.has_second_factor:
        return redirect(url_for("auth.account"))
    return _render_setup(user, EnableSecondFactorForm(formdata=None))


@bp.post("/account/second-factor")
@staff_required
def enable_second_factor():
    user = current_user._get_current_object()
    if user.has_second_factor:
        return see_other(url_for("auth.account"))
    form = EnableSecondFactorForm()
    if form.validate_on_submit():
        try:
            staff.enable_second_factor(
                user, secret=_setup_secret(user), code=form.code.data, now=utcnow()
            )
        except WrongCode:
            form.code.errors.append(
                _(
                    "This code does not match. Check that the app shows the account you just "
                    "added, then enter its current code."
                )
            )
        else:
            db.session.commit()
            renew_session(user)
            session.pop(_TOTP_SETUP, None)
            flash(
                _("Second factor switched on. From now on you enter a code when you sign in."),
                "success",
            )
            return see_other(url_for("auth.account"))
    return _render_setup(user, form, 422)


@bp.post("/account/second-factor/disable")
@staff_required
def disable_second_factor():
    user = current_user._get_current_object()
    form = DisableSecondFactorForm()
    if form.validate_on_submit():
        try:
            staff.disable_second_factor(user, code=form.code.data, now=utcnow())
        except WrongCode:
            form.code.errors.append(
                _("This code is not right, or it has been used already. Please try the next one.")
            )
        else:
            db.session.commit()
            flash(_("Second factor switched off."), "success")
            return see_other(url_for("auth.account"))
    return _render_account(422, disable_form=form)

"""Staff sign-in and sign-out. Participants never need an account."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
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
from flask_login import current_user, login_required, login_user, logout_user

from consult.extensions import db, limiter
from consult.forms.auth import LoginForm, LogoutForm
from consult.services import staff
from consult.web.htmx import is_htmx, safe_next, see_other

bp = Blueprint("auth", __name__, url_prefix="/<lang:lang>/staff")


def _login_rate_limit() -> str:
    return current_app.config["CONSULT_LOGIN_RATE_LIMIT"]


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


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = staff.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            # A fresh session on sign-in: nothing from before (fixation) carries over.
            session.clear()
            login_user(user)
            flash(_("Signed in as %(name)s.", name=user.display_name), "success")
            return see_other(safe_next(request.args.get("next")) or url_for("moderation.queue"))
        form.form_errors.append(_("E-mail address or password is wrong."))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        staff.end_all_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have been signed out."), "success")
    return see_other(url_for("public.index"))

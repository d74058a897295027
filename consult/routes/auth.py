"""Staff sign-in and sign-out. Participants never need an account."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from consult.extensions import db, limiter
from consult.forms.confirm import ConfirmForm
from consult.services import staff
from consult.web.htmx import is_htmx, safe_next, see_other
from consult.web.sign_in import login_rate_limit, sign_in

bp = Blueprint("auth", __name__, url_prefix="/<lang:lang>/staff")


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
@limiter.limit(login_rate_limit, methods=["POST"])
def login():
    return sign_in(
        staff.authenticate,
        template="auth/login.html",
        welcome=lambda user: _("Signed in as %(name)s.", name=user.display_name),
        default_next=url_for("moderation.queue"),
    )


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

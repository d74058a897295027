"""Members of organisations: joining through an invitation, signing in, their account page.
Sign-out is auth.logout, shared with staff."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import BuildError

from consult import permissions
from consult.extensions import db, limiter
from consult.forms.confirm import ConfirmForm
from consult.forms.fields import report_weak_password
from consult.forms.organisations import JoinForm
from consult.models.types import utcnow
from consult.services import organisations
from consult.services.organisations import (
    DuplicateMember,
    InvitationState,
    InvitationUnusable,
)
from consult.services.passwords import WeakPassword
from consult.web.htmx import see_other
from consult.web.invitations import unusable_invitation
from consult.web.sign_in import login_rate_limit, sign_in, start_session

bp = Blueprint("members", __name__, url_prefix="/<lang:lang>/members")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def login():
    if request.method == "GET" and permissions.is_member(current_user):
        return redirect(url_for("members.account"))
    return sign_in(
        organisations.authenticate_member,
        template="members/login.html",
        welcome=lambda member: _(
            "Signed in as %(name)s for %(organisation)s.",
            name=member.display_name,
            organisation=member.organisation.name,
        ),
        default_next=url_for("members.account"),
    )


def _unusable_invitation(state: InvitationState):
    return unusable_invitation(state, _("Please ask the administration for a new invitation."))


@bp.route("/join/<token>", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def join(token: str):
    check = organisations.invitation_state(token, utcnow())
    if check.state is not InvitationState.VALID:
        return _unusable_invitation(check.state)
    form = JoinForm()
    if form.validate_on_submit():
        try:
            member = organisations.accept_invitation(
                token,
                display_name=form.display_name.data,
                password=form.password.data,
                now=utcnow(),
            )
        except InvitationUnusable as error:
            return _unusable_invitation(error.state)
        except WeakPassword:
            report_weak_password(form.password)
        except DuplicateMember:
            form.form_errors.append(
                _(
                    "An account with this e-mail address exists already. Please sign in "
                    "with it, or ask the administration for help."
                )
            )
        else:
            db.session.commit()
            start_session(member)
            flash(
                _(
                    "Welcome! You can now speak for %(organisation)s.",
                    organisation=member.organisation.name,
                ),
                "success",
            )
            return see_other(url_for("members.account"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "members/join.html", form=form, invitation=check.invitation, token=token
    ), status


def _contributions_url() -> str | None:
    # contributions.overview belongs to the participants' area; until it exists, no link.
    try:
        return url_for("contributions.overview")
    except BuildError:
        return None


@bp.get("/account")
def account():
    if not current_user.is_authenticated:
        return redirect(url_for("members.login", next=url_for("members.account")))
    if not permissions.is_member(current_user):
        abort(403)
    return render_template(
        "members/account.html",
        member=current_user._get_current_object(),
        organisation=current_user.organisation,
        logout_form=ConfirmForm(),
        contributions_url=_contributions_url(),
    )

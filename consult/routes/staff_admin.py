"""The administration's staff pages: who works on the consultations, inviting colleagues,
their role and scope, deactivating them and resetting a lost second factor."""

from flask import Blueprint, abort, current_app, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult import permissions
from consult.extensions import db
from consult.forms.confirm import ConfirmForm
from consult.forms.staff import ScopeForm, StaffInvitationForm
from consult.models.types import utcnow
from consult.services import staff
from consult.services.staff import (
    DuplicateStaff,
    LastAdmin,
    NotAccepted,
    OwnAccount,
    UnknownConsultation,
)
from consult.web.htmx import is_htmx, page_or_fragment, see_other
from consult.web.mail import public_url, send_templated

bp = Blueprint("staff_admin", __name__, url_prefix="/<lang:lang>/admin/staff")


@bp.before_request
@login_required
def require_admin():
    if not permissions.can_manage_staff(current_user):
        abort(403)


def _member_or_404(user_id: int):
    user = staff.staff_member(user_id)
    if user is None:
        abort(404)
    return user


def _guard_message(error: Exception) -> str:
    if isinstance(error, OwnAccount):
        return _(
            "You cannot deactivate or demote yourself, nor reset your own second factor here. "
            "Ask another administrator."
        )
    if isinstance(error, LastAdmin):
        return _(
            "There must always be at least one active administrator. Make someone else an "
            "administrator first."
        )
    if isinstance(error, NotAccepted):
        return _("This person never accepted the invitation. Invite them again to send a new link.")
    return _("One of the chosen consultations no longer exists. Please reload the page.")


# --- the list and inviting -------------------------------------------------------------------


def _invite_form(formdata=True) -> StaffInvitationForm:
    choices = staff.consultation_options()
    if formdata:
        return StaffInvitationForm(consultation_choices=choices)
    return StaffInvitationForm(formdata=None, consultation_choices=choices)


def _render_index(form, status=200):
    return render_template(
        "staff/index.html", rows=staff.staff_overview(utcnow()), invite_form=form
    ), status


@bp.get("/")
def index():
    return _render_index(_invite_form(formdata=False))


@bp.post("/invitations")
def invite():
    form = _invite_form()
    if form.validate_on_submit():
        now = utcnow()
        try:
            new = staff.invite_staff(
                form.email.data,
                display_name=form.display_name.data,
                role=form.chosen_role,
                limited=form.limited.data,
                consultation_ids=form.consultations.data,
                actor=current_user,
                now=now,
                valid_days=current_app.config["CONSULT_INVITATION_DAYS"],
            )
        except DuplicateStaff:
            form.email.errors.append(_("A staff account with this e-mail address exists already."))
        except UnknownConsultation as error:
            form.consultations.errors = [_guard_message(error)]
        else:
            db.session.commit()
            user = new.invitation.staff_user
            link = public_url("auth.join", token=new.token)
            mailed = send_templated(
                user.email,
                "staff_invitation",
                name=user.display_name,
                role=user.role,
                link=link,
                expires_at=new.invitation.expires_at,
                invited_by=current_user.display_name,
                operator=current_app.config["CONSULT_OPERATOR_NAME"],
            )
            # The link is shown in the answer to this POST and nowhere else: only its hash is
            # stored, so no later page could show it again. Hence no redirect here.
            return page_or_fragment(
                "staff/invited.html",
                "staff/_invited.html",
                user=user,
                new=new,
                link=link,
                mailed=mailed,
                rows=staff.staff_overview(now),
            )
    if is_htmx():
        return render_template("staff/_invite.html", invite_form=form), 422
    return _render_index(form, 422)


# --- one staff member ------------------------------------------------------------------------


def _scope_form(user, formdata=True) -> ScopeForm:
    choices = staff.consultation_options()
    if formdata:
        return ScopeForm(consultation_choices=choices)
    return ScopeForm(
        formdata=None,
        consultation_choices=choices,
        role=user.role.value,
        limited=user.limited_to_consultations,
        consultations=[c.id for c in user.consultations],
    )


def _render_show(user, status=200, form=None, problem=None):
    return render_template(
        "staff/show.html",
        user=user,
        state=staff.state_of(user),
        is_self=user.id == current_user.id,
        form=form or _scope_form(user, formdata=False),
        confirm_form=ConfirmForm(),
        problem=problem,
    ), status


@bp.get("/<int(max=2147483647):user_id>")
def show(user_id: int):
    return _render_show(_member_or_404(user_id))


@bp.post("/<int(max=2147483647):user_id>")
def update(user_id: int):
    user = _member_or_404(user_id)
    form = _scope_form(user)
    if form.validate_on_submit():
        try:
            changed = staff.update_staff(
                user,
                role=form.chosen_role,
                limited=form.limited.data,
                consultation_ids=form.consultations.data,
                actor=current_user,
                now=utcnow(),
            )
        except (OwnAccount, LastAdmin) as error:
            form.role.errors.append(_guard_message(error))
        except UnknownConsultation as error:
            form.consultations.errors = [_guard_message(error)]
        else:
            db.session.commit()
            message = _("Changes saved.") if changed else _("Nothing was changed.")
            if is_htmx():
                return render_template(
                    "staff/_edit.html",
                    user=user,
                    form=_scope_form(user, formdata=False),
                    message=message,
                )
            flash(message, "success")
            return see_other(url_for("staff_admin.show", user_id=user.id))
    if is_htmx():
        return render_template("staff/_edit.html", user=user, form=form), 422
    return _render_show(user, 422, form=form)


def _state_change(user, change, done: str):
    """Deactivate, reactivate or reset: a button on the staff member's page. A broken rule
    answers 409 with the page and the reason; the CSRF token is checked by CSRFProtect."""
    try:
        changed = change(user, actor=current_user, now=utcnow())
    except (OwnAccount, LastAdmin, NotAccepted) as error:
        return _render_show(user, 409, problem=_guard_message(error))
    db.session.commit()
    flash(done if changed else _("Nothing was changed."), "success")
    return see_other(url_for("staff_admin.show", user_id=user.id))


@bp.post("/<int(max=2147483647):user_id>/deactivate")
def deactivate(user_id: int):
    user = _member_or_404(user_id)
    if user.has_accepted_invitation:
        done = _("Deactivated. Every session of the account has ended; it can no longer sign in.")
    else:
        done = _("Invitation withdrawn. Its link no longer works.")
    return _state_change(user, staff.deactivate, done)


@bp.post("/<int(max=2147483647):user_id>/reactivate")
def reactivate(user_id: int):
    return _state_change(
        _member_or_404(user_id),
        staff.reactivate,
        _("Reactivated. The account can sign in again."),
    )


@bp.post("/<int(max=2147483647):user_id>/second-factor/reset")
def reset_second_factor(user_id: int):
    return _state_change(
        _member_or_404(user_id),
        staff.reset_second_factor,
        _(
            "Second factor reset. The person now signs in with the password alone and can set "
            "up a new second factor on their account page."
        ),
    )

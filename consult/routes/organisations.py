"""Organisations: the administration registers, verifies and invites; the public sees which
organisations took part in a consultation."""

from functools import wraps

from flask import Blueprint, abort, current_app, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult import permissions
from consult.extensions import db
from consult.forms.confirm import ConfirmForm
from consult.forms.organisations import InvitationForm, OrganisationForm
from consult.models import StakeholderGroup
from consult.models.types import utcnow
from consult.services import organisations, targets
from consult.services.organisations import DuplicateMember, DuplicateOrganisation
from consult.web.htmx import is_htmx, page_or_fragment, see_other
from consult.web.mail import public_url, send_templated

bp = Blueprint("organisations", __name__, url_prefix="/<lang:lang>")


def admin_required(view):
    @wraps(view)
    @login_required
    def guarded(**kwargs):
        if not permissions.can_manage_organisations(current_user):
            abort(403)
        return view(**kwargs)

    return guarded


def _organisation_or_404(slug: str):
    organisation = organisations.organisation_by_slug(slug)
    if organisation is None:
        abort(404)
    return organisation


def _view_or_404(slug: str) -> organisations.OrganisationView:
    view = organisations.organisation_view(slug, utcnow())
    if view is None:
        abort(404)
    return view


def _submitted_fields(form: OrganisationForm) -> dict:
    return {
        "name": form.name.data,
        "group": StakeholderGroup(form.group.data),
        "description": form.description.data or "",
        "verified": form.verified.data,
    }


def _edit_form(organisation) -> OrganisationForm:
    return OrganisationForm(
        formdata=None,
        name=organisation.name,
        group=organisation.group.value,
        description=organisation.description,
        verified=organisation.verified,
    )


def _render_show(view, status=200, edit_form=None, invite_form=None):
    return (
        render_template(
            "organisations/show.html",
            view=view,
            organisation=view.organisation,
            edit_form=edit_form or _edit_form(view.organisation),
            invite_form=invite_form or InvitationForm(formdata=None),
            confirm_form=ConfirmForm(),
        ),
        status,
    )


# --- the administration's list -----------------------------------------------------------------


@bp.get("/admin/organisations/")
@admin_required
def index():
    return render_template(
        "organisations/index.html",
        summaries=organisations.admin_overview(utcnow()),
        form=OrganisationForm(formdata=None),
    )


@bp.post("/admin/organisations/")
@admin_required
def create():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = organisations.create_organisation(
                **_submitted_fields(form),
                actor=current_user,
                now=utcnow(),
            )
        except DuplicateOrganisation:
            form.name.errors.append(_("An organisation with this name is registered already."))
        else:
            db.session.commit()
            message = _("Organisation “%(name)s” registered.", name=organisation.name)
            if is_htmx():
                return render_template(
                    "organisations/_create.html",
                    form=OrganisationForm(formdata=None),
                    created=organisation,
                    message=message,
                    summaries=organisations.admin_overview(utcnow()),
                )
            flash(message, "success")
            return see_other(url_for("organisations.show", slug=organisation.slug))
    if is_htmx():
        return render_template("organisations/_create.html", form=form), 422
    return render_template(
        "organisations/index.html", form=form, summaries=organisations.admin_overview(utcnow())
    ), 422


# --- one organisation ------------------------------------------------------------------------


@bp.get("/admin/organisations/<slug>")
@admin_required
def show(slug: str):
    return _render_show(_view_or_404(slug))


@bp.post("/admin/organisations/<slug>")
@admin_required
def update(slug: str):
    organisation = _organisation_or_404(slug)
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            changed = organisations.update_organisation(
                organisation,
                **_submitted_fields(form),
                actor=current_user,
                now=utcnow(),
            )
        except DuplicateOrganisation:
            form.name.errors.append(_("An organisation with this name is registered already."))
        else:
            db.session.commit()
            message = _("Changes saved.") if changed else _("Nothing was changed.")
            if is_htmx():
                return render_template(
                    "organisations/_edit.html",
                    organisation=organisation,
                    edit_form=_edit_form(organisation),
                    message=message,
                )
            flash(message, "success")
            return see_other(url_for("organisations.show", slug=organisation.slug))
    if is_htmx():
        return render_template(
            "organisations/_edit.html", organisation=organisation, edit_form=form
        ), 422
    return _render_show(_view_or_404(slug), 422, edit_form=form)


@bp.post("/admin/organisations/<slug>/invitations")
@admin_required
def invite(slug: str):
    organisation = _organisation_or_404(slug)
    form = InvitationForm()
    if form.validate_on_submit():
        now = utcnow()
        try:
            invitation, token = organisations.invite_member(
                organisation,
                form.email.data,
                actor=current_user,
                now=now,
                valid_days=current_app.config["CONSULT_INVITATION_DAYS"],
            )
        except DuplicateMember:
            form.email.errors.append(_("An account with this e-mail address exists already."))
        else:
            db.session.commit()
            link = public_url("members.join", token=token)
            mailed = send_templated(
                invitation.email,
                "invitation",
                organisation=organisation,
                link=link,
                expires_at=invitation.expires_at,
                operator=current_app.config["CONSULT_OPERATOR_NAME"],
            )
            # The link is shown in the answer to this POST and nowhere else: only its hash is
            # stored, so no later page could show it again. Hence no redirect here.
            return page_or_fragment(
                "organisations/invited.html",
                "organisations/_invited.html",
                organisation=organisation,
                invitation=invitation,
                link=link,
                mailed=mailed,
                open_invitations=organisations.open_invitations(organisation, now),
            )
    if is_htmx():
        return render_template(
            "organisations/_invite.html", organisation=organisation, invite_form=form
        ), 422
    return _render_show(_view_or_404(slug), 422, invite_form=form)


@bp.post("/admin/organisations/<slug>/members/<int(max=2147483647):member_id>/deactivate")
@admin_required
def deactivate_member(slug: str, member_id: int):
    organisation = _organisation_or_404(slug)
    member = organisations.member_of(organisation, member_id)
    if member is None:
        abort(404)
    # The CSRF token of the button's form is checked for every POST by CSRFProtect.
    organisations.deactivate_member(member, actor=current_user, now=utcnow())
    db.session.commit()
    message = _("%(name)s can no longer sign in.", name=member.display_name)
    if is_htmx():
        return render_template(
            "organisations/_member.html",
            organisation=organisation,
            member=member,
            confirm_form=ConfirmForm(),
            message=message,
        )
    flash(message, "success")
    return see_other(url_for("organisations.show", slug=organisation.slug))


# --- public ----------------------------------------------------------------------------------


@bp.get("/c/<slug>/organisations")
def participating(slug: str):
    target = targets.find_target(slug)
    if target is None or not permissions.can_view(current_user, target.consultation):
        abort(404)
    consultation = target.consultation
    return render_template(
        "organisations/participating.html",
        consultation=consultation,
        participants=organisations.participating_organisations(consultation),
    )

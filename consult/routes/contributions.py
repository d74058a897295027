"""A participant's own contributions: reached through the private link (anonymous people) or
the account (organisation members). See, edit while pending, withdraw, download as JSON."""

import json

from flask import Blueprint, abort, current_app, flash, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from consult import permissions
from consult.extensions import db
from consult.forms.comments import EditForm
from consult.forms.confirm import ConfirmForm
from consult.models import CommentKind, CommentStatus
from consult.models.types import utcnow
from consult.services import participants
from consult.services.errors import AlreadyWithdrawn, NoLongerEditable, NotYours, ProposalNotAllowed
from consult.services.participants import LinkState
from consult.web import private_links
from consult.web.errors import render_error
from consult.web.htmx import is_htmx, page_or_fragment, see_other

bp = Blueprint("contributions", __name__, url_prefix="/<lang:lang>")

# Every rule exists twice: under the private link, and under the member's account. url_for
# picks the first when a token is given.
LINK = "/my/<token>"
ACCOUNT = "/account/contributions"


def _owner(token: str | None) -> participants.Participant:
    """The participant whose contributions these are; otherwise the request ends here."""
    if token is None:
        if not permissions.is_member(current_user):
            abort(see_other(url_for("members.login", next=request.path)))
        return participants.member_participant(
            current_user, language=str(get_locale()), now=utcnow()
        )
    found = participants.lookup(token, utcnow())
    if found.state is LinkState.EXPIRED:
        abort(410)
    if found.participant is None:
        abort(404)
    return found.participant


def _owner_args(token: str | None) -> dict:
    return {"token": token} if token else {}


@bp.after_request
def _private(response):
    # The page is opened by a secret link: no cache may keep it, no search engine may list it.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.get(LINK)
@bp.get(ACCOUNT)
def overview(token: str | None = None):
    owner = _owner(token)
    now = utcnow()
    items = participants.contributions(owner)
    db.session.commit()  # a member's participant may have been created just now
    return render_template(
        "contributions/overview.html",
        items=items,
        owner=owner,
        owner_args=_owner_args(token),
        is_member=token is None,
        remembered_here=token is not None and private_links.remembered() == token,
        can_edit={i.comment.id: permissions.can_edit_own(i.comment, now) for i in items},
        can_withdraw={i.comment.id: permissions.can_withdraw_own(i.comment) for i in items},
        # Built only when shown: a form starts a session, and a link opened on a new device
        # must not leave a cookie behind.
        confirm_form=ConfirmForm() if token and private_links.remembered() == token else None,
    )


def _edit_form(comment, **kwargs) -> EditForm:
    return EditForm(
        # Several edit forms may be open on the overview at once: ids must not collide.
        prefix=f"edit-{comment.id}",
        is_reply=comment.is_reply,
        has_paragraph=comment.paragraph_id is not None,
        **kwargs,
    )


def _render_edit(comment, form, token, status=200):
    return page_or_fragment(
        "contributions/edit.html",
        "contributions/_edit_form.html",
        status=status,
        comment=comment,
        form=form,
        owner_args=_owner_args(token),
        inline=is_htmx(),
    )


def _own(owner, comment_id):
    try:
        return participants.own_comment(owner, comment_id)
    except NotYours:
        abort(404)


@bp.route(LINK + "/<int(max=2147483647):comment_id>/edit", methods=["GET", "POST"])
@bp.route(ACCOUNT + "/<int(max=2147483647):comment_id>/edit", methods=["GET", "POST"])
def edit(comment_id: int, token: str | None = None):
    owner = _owner(token)
    comment = _own(owner, comment_id)
    if request.method == "GET":
        form = _edit_form(
            comment,
            data={
                "text": comment.text,
                "kind": comment.kind.value if comment.kind else None,
                "proposed_text": comment.proposed_text
                or (comment.paragraph.text if comment.paragraph else ""),
                "language": comment.language,
                "version": comment.version,
            },
        )
    else:
        form = _edit_form(comment)
    if not permissions.can_edit_own(comment, utcnow()):
        form.form_errors.append(_not_editable_message(comment))
        return _render_edit(comment, form, token, status=409)
    if not form.validate_on_submit():
        return _render_edit(comment, form, token, status=422 if form.is_submitted() else 200)
    try:
        participants.edit_pending(
            owner,
            comment_id,
            version=form.version.data,
            text=form.text.data,
            kind=CommentKind(form.kind.data) if "kind" in form else None,
            proposed_text=form.proposed_text.data if "proposed_text" in form else None,
            language=form.language.data,
            now=utcnow(),
        )
    except ProposalNotAllowed:
        db.session.rollback()
        form.proposed_text.errors.append(
            _("You changed the wording: please choose “Suggestion” as the kind of comment.")
        )
        return _render_edit(comment, form, token, status=422)
    except NoLongerEditable:
        db.session.rollback()
        comment = _own(owner, comment_id)
        form.form_errors.append(_not_editable_message(comment))
        return _render_edit(comment, form, token, status=409)
    db.session.commit()
    return _back_to_overview(token, _("Your changes are saved."))


def _not_editable_message(comment) -> str:
    if comment.status is CommentStatus.PENDING:
        return _(
            "This text was changed in another window, or commenting has closed. Your changes "
            "were not saved; they are still in the form so that you can copy them."
        )
    return _(
        "A moderator has already decided on this text, so it can no longer be changed. Your "
        "changes were not saved; they are still in the form so that you can copy them."
    )


def _back_to_overview(token, message: str):
    flash(message, "success")
    target = url_for("contributions.overview", **_owner_args(token))
    if is_htmx():
        # The whole overview changes (status, buttons): load it as a page.
        response = current_app.response_class(status=204)
        response.headers["HX-Location"] = target
        return response
    return see_other(target)


@bp.route(LINK + "/<int(max=2147483647):comment_id>/withdraw", methods=["GET", "POST"])
@bp.route(ACCOUNT + "/<int(max=2147483647):comment_id>/withdraw", methods=["GET", "POST"])
def withdraw(comment_id: int, token: str | None = None):
    owner = _owner(token)
    comment = _own(owner, comment_id)
    form = ConfirmForm()
    if request.method == "GET" or not form.validate_on_submit():
        return render_template(
            "contributions/withdraw.html",
            comment=comment,
            form=form,
            owner_args=_owner_args(token),
        )
    try:
        participants.withdraw(owner, comment_id, now=utcnow())
    except AlreadyWithdrawn:
        db.session.rollback()
        return _back_to_overview(token, _("This text was already withdrawn."))
    except NoLongerEditable:
        db.session.rollback()
        return render_error(409)
    db.session.commit()
    return _back_to_overview(
        token, _("Your text is withdrawn. It no longer appears anywhere on the site.")
    )


@bp.get(LINK + "/export.json")
@bp.get(ACCOUNT + "/export.json")
def export(token: str | None = None):
    owner = _owner(token)
    data = participants.export_data(owner, utcnow())
    response = current_app.response_class(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
    )
    response.headers["Content-Disposition"] = 'attachment; filename="consult-my-data.json"'
    return response


@bp.post("/my/forget")
def forget():
    """Remove the private link from this browser (a shared computer); the link keeps working."""
    form = ConfirmForm()
    if form.validate_on_submit():
        private_links.forget()
    return see_other(url_for("public.index"))

"""The moderation queue: pending comments and replies in context, and the decision on each."""

from flask import Blueprint, abort, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult import permissions
from consult.extensions import db
from consult.forms.moderation import DecisionForm
from consult.models import Decision, RejectionReason
from consult.models.types import utcnow
from consult.services import moderation
from consult.services.errors import ChangedSinceShown, NotPending
from consult.web.htmx import is_htmx, see_other

bp = Blueprint("moderation", __name__, url_prefix="/<lang:lang>/moderation")


@bp.before_request
@login_required
def require_moderator():
    if not permissions.can_moderate(current_user):
        abort(403)


def decision_form(comment_id: int, from_request: bool = False) -> DecisionForm:
    # Each item's fields carry its id, so the many forms of the queue never share ids.
    if from_request:
        return DecisionForm(prefix=f"c{comment_id}")
    return DecisionForm(prefix=f"c{comment_id}", formdata=None)


def queue_forms(page: moderation.QueuePage) -> dict[int, DecisionForm]:
    return {item.id: decision_form(item.id) for item in page.items}


@bp.get("/")
def queue():
    page = moderation.queue_page()
    return render_template("moderation/queue.html", page=page, forms=queue_forms(page))


@bp.post("/comments/<int(max=2147483647):comment_id>/decision")
def decide(comment_id: int):
    form = decision_form(comment_id, from_request=True)
    if not form.validate_on_submit():
        return _invalid_decision(comment_id, form)
    decision = Decision(form.decision.data)
    try:
        record = moderation.decide(
            comment_id,
            moderator=current_user,
            decision=decision,
            reason=RejectionReason(form.reason.data) if form.reason.data else None,
            note=form.note.data or "",
            now=utcnow(),
            seen_version=form.version.data,
        )
    except ChangedSinceShown:
        return _changed_since_shown(comment_id, form)
    except NotPending as conflict:
        # The conditional UPDATE matched nothing, so there is nothing to roll back.
        return _already_decided(comment_id, conflict.latest_decision)
    db.session.commit()
    message = (
        _("Comment %(id)d approved and published.", id=comment_id)
        if decision is Decision.APPROVE
        else _("Comment %(id)d rejected.", id=comment_id)
    )
    if is_htmx():
        return render_template(
            "moderation/_decided.html",
            comment_id=comment_id,
            record=record,
            message=message,
            pending_total=moderation.pending_total(),
        )
    flash(message, "success")
    return see_other(url_for("moderation.queue"))


def _invalid_decision(comment_id: int, form: DecisionForm, status: int = 422):
    comment = moderation.pending_item(comment_id)
    if comment is None:
        return _already_decided(comment_id, moderation.latest_decision(comment_id))
    if is_htmx():
        return render_template("moderation/_item.html", item=comment, form=form), status
    page = moderation.queue_page()
    forms = queue_forms(page)
    forms[comment_id] = form
    return render_template("moderation/queue.html", page=page, forms=forms), status


def _changed_since_shown(comment_id: int, form: DecisionForm):
    """Show the item again with the author's new text; the moderator decides on that."""
    form.form_errors.append(
        _("The author changed this text after you opened it. Please read it again and decide.")
    )
    return _invalid_decision(comment_id, form, status=409)


def _already_decided(comment_id: int, latest):
    if latest is None:
        abort(404)
    message = _(
        "Comment %(id)d was already decided by %(name)s: %(decision)s.",
        id=comment_id,
        name=latest.moderator.display_name,
        decision=latest.decision.label,
    )
    if is_htmx():
        return render_template(
            "moderation/_decided.html",
            comment_id=comment_id,
            record=latest,
            message=message,
            pending_total=moderation.pending_total(),
            conflict=True,
        ), 409
    flash(message, "warning")
    return see_other(url_for("moderation.queue"))

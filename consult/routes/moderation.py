"""The moderation queue: new comments and reported ones in context, decided one by one or as a
selection, by mouse, keyboard or without JavaScript."""

from flask import Blueprint, abort, flash, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from consult import permissions, redaction
from consult.extensions import db
from consult.forms.moderation import BulkDecisionForm, DecisionForm
from consult.models import Decision, RejectionReason
from consult.models.types import utcnow
from consult.services import moderation
from consult.services import queue as waiting
from consult.services.errors import (
    ChangedSinceShown,
    DuplicateOriginalInvalid,
    NotInYourConsultations,
    NotPending,
)
from consult.services.scope import moderated_consultation_ids
from consult.web.htmx import is_htmx, see_other
from consult.web.templating import language_name

bp = Blueprint("moderation", __name__, url_prefix="/<lang:lang>/moderation")


@bp.before_request
@login_required
def require_moderator():
    if not permissions.can_moderate(current_user):
        abort(403)
    g.moderation_scope = moderated_consultation_ids(current_user)


def decision_form(comment_id: int, from_request: bool = False, text: str = "") -> DecisionForm:
    # Each item's fields carry its id, so the many forms of the queue never share ids.
    if from_request:
        return DecisionForm(prefix=f"c{comment_id}")
    # The text to mark personal data in starts as the author's text.
    return DecisionForm(prefix=f"c{comment_id}", formdata=None, data={"marked_text": text})


def current_filters() -> waiting.QueueFilters:
    return waiting.QueueFilters.from_args(request.args)


def current_after() -> int | None:
    """The item the page continues after; nonsense starts from the top."""
    after = request.args.get("after", "")
    return int(after) if after.isascii() and after.isdigit() and len(after) < 10 else None


def kept_args() -> dict[str, str]:
    """What a decision keeps of the queue page it was taken on: its filters and its place."""
    args = current_filters().as_args()
    if current_after() is not None:
        args["after"] = str(current_after())
    return args


def queue_url() -> str:
    return url_for("moderation.queue", **kept_args(), _anchor="queue-start")


def require_in_scope(comment_id: int) -> None:
    """Before anything about the item is read or said: does it exist, and may this moderator
    decide it? Nobody learns about another consultation's items from an error message."""
    consultation_id = moderation.consultation_of(comment_id)
    if consultation_id is None:
        abort(404)
    if not permissions.can_moderate_in(current_user, consultation_id, g.moderation_scope):
        abort(403)


def render_queue(forms=None, bulk_form=None, status: int = 200):
    filters = current_filters()
    page = waiting.queue_page(
        filters, scope=g.moderation_scope, after=current_after(), language_name=language_name
    )
    all_forms = {
        item.comment.id: decision_form(item.comment.id, text=item.comment.text)
        for item in page.items
    }
    all_forms.update(forms or {})
    return render_template(
        "moderation/queue.html",
        page=page,
        forms=all_forms,
        bulk_form=bulk_form or BulkDecisionForm(formdata=None),
        reasons=list(RejectionReason),
        filter_args=filters.as_args(),
        kept_args=kept_args(),
    ), status


@bp.get("/")
def queue():
    return render_queue()


@bp.post("/comments/<int(max=2147483647):comment_id>/decision")
def decide(comment_id: int):
    require_in_scope(comment_id)
    form = decision_form(comment_id, from_request=True)
    if not form.validate_on_submit():
        return _show_again(comment_id, form)
    try:
        record = moderation.decide(
            comment_id,
            moderator=current_user,
            decision=form.chosen,
            reason=RejectionReason(form.reason.data) if form.reason.data else None,
            note=form.note.data or "",
            now=utcnow(),
            seen_version=form.version.data,
            marked_text=form.marked_text.data if form.is_redaction else None,
            duplicate_of=form.duplicate_of.data,
            scope=g.moderation_scope,
        )
    except NotInYourConsultations:
        abort(403)
    except ChangedSinceShown:
        form.form_errors.append(
            _(
                "This item changed after you opened it: its author edited it, or readers' reports "
                "hid it. Please read it again and decide."
            )
        )
        return _show_again(comment_id, form, status=409)
    except redaction.NothingMarked:
        form.marked_text.errors.append(_("Please mark the personal data to remove."))
        return _show_again(comment_id, form)
    except redaction.TextChanged:
        form.marked_text.errors.append(
            _(
                "Only add [[ ]] around what is to be removed; the rest of the text must stay as "
                "the author wrote it."
            )
        )
        return _show_again(comment_id, form)
    except DuplicateOriginalInvalid:
        form.duplicate_of.errors.append(
            _("Please give the number of a published comment on the same draft.")
        )
        return _show_again(comment_id, form)
    except NotPending as conflict:
        # The conditional UPDATE matched nothing, so there is nothing to roll back.
        return _already_decided(comment_id, conflict.latest_decision)
    db.session.commit()
    message = _decided_message(record)
    if is_htmx():
        return _decided_fragment(comment_id, record, message)
    flash(message, "success")
    return see_other(queue_url())


def _decided_message(record) -> str:
    comment_id = record.comment_id
    if record.decision is Decision.REJECT:
        if record.after_flags:
            return _("Comment %(id)d removed from public view.", id=comment_id)
        return _("Comment %(id)d rejected.", id=comment_id)
    if record.redacted:
        return _("Comment %(id)d published with personal data removed.", id=comment_id)
    if record.after_flags:
        return _("Comment %(id)d stays published; the reports are closed.", id=comment_id)
    return _("Comment %(id)d approved and published.", id=comment_id)


def _decided_fragment(comment_id: int, record, message: str, status: int = 200):
    return render_template(
        "moderation/_decided.html",
        comment_id=comment_id,
        record=record,
        message=message,
        waiting=waiting.waiting_total(g.moderation_scope),
        conflict=status != 200,
    ), status


def _show_again(comment_id: int, form: DecisionForm, status: int = 422):
    item = waiting.queue_item(comment_id, g.moderation_scope)
    if item is None:
        return _already_decided(comment_id, moderation.latest_decision(comment_id))
    if is_htmx():
        return render_template(
            "moderation/_item.html", item=item, form=form, kept_args=kept_args()
        ), status
    return render_queue(forms={comment_id: form}, status=status)


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
        return _decided_fragment(comment_id, latest, message, status=409)
    flash(message, "warning")
    return see_other(queue_url())


@bp.post("/bulk")
def decide_selection():
    form = BulkDecisionForm()
    if not form.validate_on_submit():
        return render_queue(bulk_form=form, status=422)
    decision = Decision(form.decision.data)
    outcome = moderation.decide_many(
        form.selected.data,
        moderator=current_user,
        decision=decision,
        reason=RejectionReason(form.reason.data) if form.reason.data else None,
        now=utcnow(),
        scope=g.moderation_scope,
    )
    db.session.commit()
    decided = len(outcome.decided)
    if decision is Decision.APPROVE:
        message = ngettext(
            "%(num)d comment approved and published.",
            "%(num)d comments approved and published.",
            decided,
        )
    else:
        message = ngettext("%(num)d comment rejected.", "%(num)d comments rejected.", decided)
    flash(message, "success")
    if outcome.skipped:
        flash(
            ngettext(
                "%(num)d comment was left out: someone decided it or its author changed it "
                "in the meantime. Please look at it again.",
                "%(num)d comments were left out: someone decided them or their authors changed "
                "them in the meantime. Please look at them again.",
                len(outcome.skipped),
            ),
            "warning",
        )
    return see_other(queue_url())

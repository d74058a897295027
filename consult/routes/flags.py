"""Reporting a published comment: any reader, no account. The form opens inline with HTMX or
as a page without it; one report per comment and browser session, and a rate limit per client."""

from flask import Blueprint, abort, current_app, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult import permissions
from consult.extensions import db, limiter
from consult.forms.flags import FlagForm
from consult.models import Comment, CommentStatus, RejectionReason
from consult.models.types import utcnow
from consult.services import flags
from consult.services.errors import NotReportable
from consult.web.errors import render_error
from consult.web.htmx import is_htmx, page_or_fragment, see_other

bp = Blueprint("flags", __name__, url_prefix="/<lang:lang>/c/<slug>")

FLAG_URL = "/comments/<int(max=2147483647):comment_id>/flag"

# The comments this browser session reported, newest last. Kept short: it only has to stop a
# double click or a reload counting twice, not to follow anyone.
_REPORTED = "reported_comments"
_REPORTED_KEPT = 50


def _flag_rate_limit() -> str:
    return current_app.config["CONSULT_FLAG_RATE_LIMIT"]


def _already_reported(comment_id: int) -> bool:
    return comment_id in session.get(_REPORTED, ())


def _remember_report(comment_id: int) -> None:
    reported = [c for c in session.get(_REPORTED, []) if c != comment_id]
    session[_REPORTED] = [*reported, comment_id][-_REPORTED_KEPT:]


def _load(slug: str, comment_id: int) -> Comment:
    comment = flags.report_view(comment_id)
    if (
        comment is None
        or comment.consultation.slug != slug
        or not permissions.can_view(current_user, comment.consultation)
    ):
        abort(404)
    return comment


def _heading_level() -> int:
    # The link says how deep the comment's heading is, so the form's heading follows.
    return min(max(request.args.get("level", 5, type=int), 2), 6)


def _rules_url(comment: Comment) -> str | None:
    # The public moderation rules page may not be part of this installation (yet).
    if "transparency.moderation" not in current_app.view_functions:
        return None
    return url_for("transparency.moderation", slug=comment.consultation.slug)


def _render(comment: Comment, form: FlagForm | None, status: int = 200, notice: str = ""):
    """The form, or instead of it a notice saying why there is none."""
    return page_or_fragment(
        "flags/new.html",
        "flags/_form.html",
        status=status,
        comment=comment,
        consultation=comment.consultation,
        # Only a comment the public can read is quoted; otherwise the page names nothing of it.
        show_comment=comment.status is CommentStatus.APPROVED and flags.is_reportable(comment),
        form=form,
        notice=notice,
        rules_url=_rules_url(comment),
        hide_after=current_app.config["CONSULT_HIDE_AFTER_FLAGS"],
        inline=is_htmx(),
        heading_level=_heading_level(),
    )


def _not_reportable(comment: Comment):
    return _render(
        comment,
        None,
        status=409,
        notice=_("This comment is not published, so it cannot be reported."),
    )


def _already(comment: Comment):
    return _render(comment, None, notice=_("You have already reported this comment."))


@bp.route(FLAG_URL, methods=["GET", "POST"])
@limiter.limit(_flag_rate_limit, methods=["POST"])
def create(slug: str, comment_id: int):
    comment = _load(slug, comment_id)
    if not flags.is_reportable(comment):
        return _not_reportable(comment)
    # Checked before a form is built: a notice needs no CSRF token, so it starts no session.
    if _already_reported(comment.id):
        return _already(comment)
    form = FlagForm(prefix=f"flag-{comment.id}")
    if not form.validate_on_submit():
        return _render(comment, form, status=422 if form.is_submitted() else 200)
    try:
        flags.flag_comment(
            comment_id,
            RejectionReason(form.reason.data),
            now=utcnow(),
            hide_after=current_app.config["CONSULT_HIDE_AFTER_FLAGS"],
        )
    except NotReportable:
        # Withdrawn or decided since it was loaded. The rollback expired what was loaded.
        db.session.rollback()
        return _not_reportable(_load(slug, comment_id))
    db.session.commit()
    _remember_report(comment_id)
    if is_htmx():
        # The service expired the comment: load it again, as the report may have hidden it.
        return _reported(_load(slug, comment_id))
    return see_other(url_for("flags.reported", slug=slug, comment_id=comment_id))


def _reported(comment: Comment):
    return page_or_fragment(
        "flags/reported.html",
        "flags/_reported.html",
        comment=comment,
        consultation=comment.consultation,
        # Read after the report: the comment may have been hidden by it.
        hidden=comment.status is CommentStatus.HIDDEN,
        inline=is_htmx(),
        heading_level=_heading_level(),
    )


@bp.get(FLAG_URL + "/thanks")
def reported(slug: str, comment_id: int):
    comment = _load(slug, comment_id)
    if not _already_reported(comment.id):
        return see_other(url_for("flags.create", slug=slug, comment_id=comment.id))
    return _reported(comment)


@bp.errorhandler(429)
def rate_limited(error):
    """Too many reports from one client: say so on the form, with the choice kept."""
    args = request.view_args or {}
    comment = flags.report_view(args.get("comment_id", 0))
    if (
        comment is None
        or comment.consultation.slug != args.get("slug")
        or not permissions.can_view(current_user, comment.consultation)
        or not flags.is_reportable(comment)
    ):
        return render_error(429)
    form = FlagForm(prefix=f"flag-{comment.id}")
    form.form_errors.append(
        _("You sent many reports in a short time. Please wait a minute and try again.")
    )
    return _render(comment, form, status=429)

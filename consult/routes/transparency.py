"""How we moderate: the published rules and the moderation figures of one consultation."""

from flask import Blueprint, abort, current_app, render_template
from flask_babel import format_timedelta
from flask_login import current_user

from consult import permissions
from consult.models import RejectionReason
from consult.services import targets, transparency

bp = Blueprint("transparency", __name__, url_prefix="/<lang:lang>")


@bp.get("/c/<slug>/moderation")
def moderation(slug: str):
    target = targets.find_target(slug)
    if target is None or not permissions.can_view(current_user, target.consultation):
        abort(404)
    consultation = target.consultation
    figures = transparency.moderation_figures(consultation.id)
    median = figures.median_time_to_decision
    return render_template(
        "transparency/moderation.html",
        consultation=consultation,
        rules=list(RejectionReason),
        figures=figures,
        median_time=format_timedelta(median) if median is not None else None,
        hide_after_reports=current_app.config["CONSULT_HIDE_AFTER_FLAGS"],
    )

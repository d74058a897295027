"""The public Synopse: the draft's earlier and revised wording side by side."""

from flask import Blueprint, abort, render_template
from flask_login import current_user

from consult import permissions
from consult.services import revisions

bp = Blueprint("revisions", __name__, url_prefix="/<lang:lang>")


@bp.get("/c/<slug>/synopsis")
def synopsis(slug: str):
    page = revisions.synopsis_page(slug)
    # Part of the results: public once they are published, visible to staff while they work;
    # there is nothing to compare before the revision has started.
    if (
        page is None
        or page.consultation.draft_version < revisions.REVISED_VERSION
        or not permissions.can_view(current_user, page.consultation)
        or not permissions.can_view_results(current_user, page.consultation)
    ):
        abort(404)
    return render_template("revisions/synopsis.html", page=page, consultation=page.consultation)

"""Reading: the start page, the draft, the published comments on a paragraph, a chapter or the
whole draft, and the privacy notice."""

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from consult import permissions
from consult.models import CommentKind, StakeholderGroup
from consult.models.types import utcnow
from consult.services import documents, publication, targets
from consult.web.htmx import page_or_fragment
from consult.web.templating import inline_heading_level

bp = Blueprint("public", __name__, url_prefix="/<lang:lang>")


@bp.get("/")
def index():
    consultations = documents.listed_consultations(
        include_drafts=permissions.is_staff(current_user)
    )
    return render_template("public/index.html", consultations=consultations)


@bp.get("/c/<slug>/")
def document(slug: str):
    page = documents.document_page(slug)
    if page is None or not permissions.can_view(current_user, page.consultation):
        abort(404)
    return render_template(
        "public/document.html",
        page=page,
        consultation=page.consultation,
        can_comment=permissions.can_comment(current_user, page.consultation, utcnow()),
    )


def _thread_filters(args) -> documents.ThreadFilters:
    """Filters from the query string. Unknown values are ignored rather than refused: a reader
    following an old or mistyped link still gets the thread."""

    def choice(enum_class, name):
        try:
            return enum_class(args.get(name, ""))
        except ValueError:
            return None

    shown = args.get("shown", type=int) or documents.THREAD_PAGE_SIZE
    return documents.ThreadFilters(
        group=choice(StakeholderGroup, "group"),
        kind=choice(CommentKind, "kind"),
        order=choice(documents.ThreadOrder, "order") or documents.ThreadOrder.OLDEST,
        shown=min(max(shown, documents.THREAD_PAGE_SIZE), MAX_SHOWN),
    )


# However far "show more" is followed, one request renders at most this many comments.
MAX_SHOWN = 500


@bp.get("/c/<slug>/p/<number>")
@bp.get("/c/<slug>/chapter/<int(max=2147483647):chapter>")
@bp.get("/c/<slug>/comments")
def thread(slug: str, number: str | None = None, chapter: int | None = None):
    target = targets.find_target(slug, number=number, chapter=chapter)
    if target is None or not permissions.can_view(current_user, target.consultation):
        abort(404)
    page = documents.thread_page(target, _thread_filters(request.args))
    return page_or_fragment(
        "public/thread.html",
        "public/_thread.html",
        thread=page,
        target=target,
        consultation=target.consultation,
        # Every comment in the thread is published and top-level, so whoever may comment may
        # reply to each of them.
        can_comment=permissions.can_comment(current_user, target.consultation, utcnow()),
        groups=list(StakeholderGroup),
        kinds=list(CommentKind),
        page_size=documents.THREAD_PAGE_SIZE,
        heading_level=inline_heading_level(target),
    )


@bp.get("/c/<slug>/comments/<int(max=2147483647):comment_id>")
def comment(slug: str, comment_id: int):
    """One published comment on a page of its own: what a duplicate's author is pointed to,
    whatever page of its thread the comment is on."""
    found = targets.comment_in_context(comment_id, with_parent=True)
    if (
        found is None
        or found.consultation.slug != slug
        or not found.is_public
        or not permissions.can_view(current_user, found.consultation)
    ):
        abort(404)
    return render_template(
        "public/comment.html",
        comment=found,
        target=targets.target_of(found),
        consultation=found.consultation,
        answer=publication.public_answer(found, found.consultation),
    )


@bp.get("/privacy")
def privacy():
    return render_template(
        "public/privacy.html",
        notice_version=current_app.config["CONSULT_PRIVACY_NOTICE_VERSION"],
        operator=current_app.config["CONSULT_OPERATOR_NAME"],
        privacy_contact=current_app.config["CONSULT_PRIVACY_CONTACT"],
    )

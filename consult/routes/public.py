"""Reading: the start page, the draft, the published comments on a paragraph, a chapter or the
whole draft, the privacy notice, the pages in Leichte Sprache and the accessibility statement."""

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from consult import permissions
from consult.models import CommentKind, StakeholderGroup
from consult.models.types import utcnow
from consult.services import documents, publication, targets
from consult.web.htmx import is_htmx, page_or_fragment
from consult.web.reading import reading_for, reading_for_target
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
        reading=reading_for(page.consultation),
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
        # The thread as a fragment shows no draft text, so it needs no translations.
        reading=None if is_htmx() else reading_for_target(target),
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


def _accessibility_contact() -> dict:
    config = current_app.config
    return {
        "operator": config["CONSULT_OPERATOR_NAME"],
        "contact_email": config["CONSULT_ACCESSIBILITY_CONTACT"],
        "contact_phone": config["CONSULT_ACCESSIBILITY_PHONE"],
    }


@bp.get("/leichte-sprache")
def easy_read():
    """What the site is and how to take part, in German Leichte Sprache (BITV 2.0 § 4)."""
    return render_template(
        "public/easy_read.html",
        consultations=documents.easy_read_consultations(),
        **_accessibility_contact(),
    )


@bp.get("/c/<slug>/leichte-sprache")
def consultation_easy_read(slug: str):
    target = targets.find_target(slug)
    if (
        target is None
        or not target.consultation.easy_read
        or not permissions.can_view(current_user, target.consultation)
    ):
        abort(404)
    return render_template("public/consultation_easy_read.html", consultation=target.consultation)


@bp.get("/accessibility")
def accessibility():
    config = current_app.config
    return render_template(
        "public/accessibility.html",
        public_url=config["CONSULT_PUBLIC_URL"],
        statement_date=config["CONSULT_ACCESSIBILITY_STATEMENT_DATE"],
        response_weeks=config["CONSULT_ACCESSIBILITY_RESPONSE_WEEKS"],
        sign_in_hours=config["CONSULT_SIGN_IN_HOURS"],
        enforcement_body=config["CONSULT_ACCESSIBILITY_ENFORCEMENT_BODY"],
        enforcement_url=config["CONSULT_ACCESSIBILITY_ENFORCEMENT_URL"],
        enforcement_email=config["CONSULT_ACCESSIBILITY_ENFORCEMENT_EMAIL"],
        **_accessibility_contact(),
    )

"""Reading: the start page, the draft, one paragraph with its published comments, privacy."""

from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user

from consult import permissions
from consult.models.types import utcnow
from consult.services import documents
from consult.web.htmx import page_or_fragment

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


@bp.get("/c/<slug>/p/<number>")
def paragraph(slug: str, number: str):
    thread = documents.thread_view(slug, number)
    if thread is None or not permissions.can_view(current_user, thread.consultation):
        abort(404)
    return page_or_fragment(
        "public/paragraph.html",
        "public/_thread.html",
        thread=thread,
        consultation=thread.consultation,
        paragraph=thread.paragraph,
        can_comment=permissions.can_comment(current_user, thread.consultation, utcnow()),
    )


@bp.get("/privacy")
def privacy():
    return render_template(
        "public/privacy.html",
        notice_version=current_app.config["CONSULT_PRIVACY_NOTICE_VERSION"],
        operator=current_app.config["CONSULT_OPERATOR_NAME"],
        privacy_contact=current_app.config["CONSULT_PRIVACY_CONTACT"],
    )

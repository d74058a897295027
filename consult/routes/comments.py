"""Commenting on a paragraph: the form (inline with HTMX, a page without) and its submission."""

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from consult import permissions
from consult.extensions import db, limiter
from consult.forms.comments import CommentForm
from consult.models import CommentKind, StakeholderGroup
from consult.models.types import utcnow
from consult.services import comments, documents
from consult.services.errors import CommentsClosed
from consult.web.errors import render_error
from consult.web.htmx import is_htmx, page_or_fragment, see_other

bp = Blueprint("comments", __name__, url_prefix="/<lang:lang>/c/<slug>/p/<number>")


def _open_paragraph(slug: str, number: str):
    paragraph = documents.find_paragraph(slug, number)
    if paragraph is None or not permissions.can_view(current_user, paragraph.consultation):
        abort(404)
    if not permissions.can_comment(current_user, paragraph.consultation, utcnow()):
        abort(403)
    return paragraph


def _comment_rate_limit() -> str:
    return current_app.config["CONSULT_COMMENT_RATE_LIMIT"]


def comment_form(paragraph) -> CommentForm:
    # The paragraph's anchor prefixes every field id, so several open forms never share ids.
    return CommentForm(prefix=paragraph.anchor, default_language=str(get_locale()))


def render_form(paragraph, form, status=200):
    return page_or_fragment(
        "comments/new.html",
        "comments/_form.html",
        status=status,
        form=form,
        paragraph=paragraph,
        consultation=paragraph.consultation,
        # Inside the draft page the form posts with HTMX; on its own page it posts plainly.
        inline=is_htmx(),
    )


@bp.route("/comment", methods=["GET", "POST"])
@limiter.limit(_comment_rate_limit, methods=["POST"])
def create(slug: str, number: str):
    paragraph = _open_paragraph(slug, number)
    form = comment_form(paragraph)
    if not form.validate_on_submit():
        return render_form(paragraph, form, status=422 if form.is_submitted() else 200)
    try:
        comments.submit_comment(
            paragraph.consultation,
            paragraph,
            text=form.text.data,
            pseudonym=form.pseudonym.data,
            group=StakeholderGroup(form.group.data),
            kind=CommentKind(form.kind.data),
            language=form.language.data,
            notice_version=current_app.config["CONSULT_PRIVACY_NOTICE_VERSION"],
            now=utcnow(),
        )
    except CommentsClosed:
        abort(403)
    db.session.commit()
    if is_htmx():
        return render_template(
            "comments/_submitted.html",
            paragraph=paragraph,
            consultation=paragraph.consultation,
            inline=True,
        )
    return see_other(url_for("comments.submitted", slug=slug, number=number))


@bp.get("/comment/thanks")
def submitted(slug: str, number: str):
    paragraph = documents.find_paragraph(slug, number)
    if paragraph is None or not permissions.can_view(current_user, paragraph.consultation):
        abort(404)
    return render_template(
        "comments/submitted.html", paragraph=paragraph, consultation=paragraph.consultation
    )


@bp.errorhandler(429)
def rate_limited(error):
    """Too many posts: show the form again with the text kept, so nothing written is lost."""
    args = request.view_args or {}
    paragraph = documents.find_paragraph(args.get("slug", ""), args.get("number", ""))
    if paragraph is None or not permissions.can_comment(
        current_user, paragraph.consultation, utcnow()
    ):
        return render_error(429)
    form = comment_form(paragraph)
    form.form_errors.append(
        _("You sent many comments in a short time. Please wait a minute and send this one again.")
    )
    return render_form(paragraph, form, status=429)

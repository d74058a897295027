"""Writing: a comment on a paragraph, a chapter or the whole draft, and a reply to a published
comment. Each form opens inline with HTMX or as a page without it."""

from dataclasses import dataclass

from flask import Blueprint, abort, current_app, g, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from consult import permissions
from consult.extensions import db, limiter
from consult.forms.comments import LINK_ADD, CommentForm, ReplyForm
from consult.models import Comment, CommentKind, CommentStatus, StakeholderGroup
from consult.models.types import utcnow
from consult.services import comments, participants, targets
from consult.services.errors import CommentsClosed, ProposalNotAllowed, ReplyNotAllowed
from consult.web import private_links
from consult.web.errors import render_error
from consult.web.htmx import is_htmx, page_or_fragment, see_other
from consult.web.mail import public_url, send_templated
from consult.web.reading import reading_for_target
from consult.web.templating import inline_heading_level

bp = Blueprint("comments", __name__, url_prefix="/<lang:lang>/c/<slug>")


def _comment_rate_limit() -> str:
    return current_app.config["CONSULT_COMMENT_RATE_LIMIT"]


def _find_target(slug: str, number: str | None, chapter: int | None) -> targets.Target:
    target = targets.find_target(slug, number=number, chapter=chapter)
    if target is None or not permissions.can_view(current_user, target.consultation):
        abort(404)
    return target


def _member_organisation():
    return current_user.organisation if permissions.is_member(current_user) else None


def _remembered_participant():
    """The participant of the link this browser holds, if it still works; looked up once per
    request (the form asks whether to offer it, the post whether to use it)."""
    if "remembered_participant" not in g:
        token = private_links.remembered()
        g.remembered_participant = (
            participants.lookup(token, utcnow()).participant if token else None
        )
    return g.remembered_participant


def comment_form(target: targets.Target) -> CommentForm:
    # The target's anchor prefixes every field id, so several open forms never share ids.
    return CommentForm(
        prefix=target.anchor,
        default_language=str(get_locale()),
        organisation=_member_organisation(),
        offers_link_choice=_remembered_participant() is not None,
        paragraph_text=target.paragraph.commented_text if target.paragraph else None,
    )


def render_form(target: targets.Target, form: CommentForm, status: int = 200, closed=False):
    return page_or_fragment(
        "comments/new.html",
        "comments/_form.html",
        status=status,
        form=form,
        target=target,
        consultation=target.consultation,
        closed=closed,
        # Inside the draft page the form posts with HTMX; on its own page it posts plainly.
        inline=is_htmx(),
        heading_level=inline_heading_level(target),
        # Only the form's own page shows the paragraph above it (in translation, if any).
        reading=None if is_htmx() else reading_for_target(target),
    )


def _closed_message(consultation) -> str:
    return _(
        "Comments cannot be sent at the moment (%(phase)s). Nothing was saved; your text is "
        "still here so that you can copy it.",
        phase=consultation.phase.label,
    )


@dataclass(frozen=True)
class _IssuedLink:
    """The private link a post was filed under; `created` when the post made a new one."""

    token: str
    created: bool


def _author(form, now) -> tuple[comments.Author, _IssuedLink | None]:
    group = StakeholderGroup(form.group.data) if form.group.data else None
    if permissions.is_member(current_user):
        participant = participants.member_participant(
            current_user, language=str(get_locale()), now=now
        )
        if form.speaks_for_organisation:
            organisation = current_user.organisation
            return comments.Author(organisation.group, participant, organisation=organisation), None
        return comments.Author(group, participant, pseudonym=form.pseudonym.data), None

    email = participants.clean_email(form.email.data if "email" in form else None)
    participant = _remembered_participant()
    adds_to_link = "link_choice" in form and form.link_choice.data == LINK_ADD
    # An address is never attached to an existing link, and an existing link is never mailed:
    # on a shared computer that would hand someone else's link to a new address. A post with a
    # (different) address gets a link of its own.
    if participant is not None and adds_to_link and email in (None, participant.email):
        author = comments.Author(group, participant, pseudonym=form.pseudonym.data)
        return author, _IssuedLink(private_links.remembered(), created=False)
    participant, token = participants.start_participant(
        language=str(get_locale()),
        email=email,
        now=now,
        valid_days=current_app.config["CONSULT_PRIVATE_LINK_DAYS"],
    )
    return comments.Author(group, participant, pseudonym=form.pseudonym.data), _IssuedLink(
        token, created=True
    )


def _after_post(form, link: _IssuedLink | None) -> bool | None:
    """Remember the link in this browser and e-mail it if asked. None when nothing was sent."""
    if link is None:
        return None
    private_links.remember(link.token)
    email = form.email.data if "email" in form else None
    if not email or not link.created:
        return None
    return send_templated(
        email,
        "private_link",
        link=public_url("contributions.overview", lang=str(get_locale()), token=link.token),
    )


def _submitted(target, link: _IssuedLink | None, mail_sent: bool | None, **extra):
    if is_htmx():
        extra.setdefault("heading_level", inline_heading_level(target))
        return render_template(
            "comments/_submitted.html",
            target=target,
            consultation=target.consultation,
            new_link=link.token if link and link.created else None,
            known_link=link.token if link and not link.created else None,
            mail_sent=mail_sent,
            inline=True,
            **extra,
        )
    # Without JavaScript the link is shown on the next page, once.
    if link is not None and link.created:
        private_links.show_once(link.token)
    if mail_sent is False:
        private_links.note_mail_failed()
    return see_other(url_for("comments.submitted", **target.url_args))


@bp.route("/p/<number>/comment", methods=["GET", "POST"])
@bp.route("/chapter/<int(max=2147483647):chapter>/comment", methods=["GET", "POST"])
@bp.route("/comment", methods=["GET", "POST"])
@limiter.limit(_comment_rate_limit, methods=["POST"])
def create(slug: str, number: str | None = None, chapter: int | None = None):
    target = _find_target(slug, number, chapter)
    form = comment_form(target)
    now = utcnow()
    if not permissions.can_comment(current_user, target.consultation, now):
        if form.is_submitted():
            form.form_errors.append(_closed_message(target.consultation))
        return render_form(target, form, status=403, closed=True)
    if not form.validate_on_submit():
        return render_form(target, form, status=422 if form.is_submitted() else 200)
    author, link = _author(form, now)
    try:
        comments.submit_comment(
            target,
            author,
            text=form.text.data,
            kind=CommentKind(form.kind.data),
            proposed_text=form.proposed_text.data if "proposed_text" in form else None,
            language=form.language.data,
            notice_version=current_app.config["CONSULT_PRIVACY_NOTICE_VERSION"],
            now=now,
        )
    except ProposalNotAllowed:
        db.session.rollback()
        form.proposed_text.errors.append(
            _("You changed the wording: please choose “Suggestion” as the kind of comment.")
        )
        return render_form(target, form, status=422)
    except CommentsClosed:
        db.session.rollback()
        form.form_errors.append(_closed_message(target.consultation))
        return render_form(target, form, status=403, closed=True)
    db.session.commit()
    return _submitted(target, link, _after_post(form, link))


@bp.get("/p/<number>/comment/thanks")
@bp.get("/chapter/<int(max=2147483647):chapter>/comment/thanks")
@bp.get("/comment/thanks")
def submitted(slug: str, number: str | None = None, chapter: int | None = None):
    target = _find_target(slug, number, chapter)
    new_link = private_links.take_just_created()
    return render_template(
        "comments/submitted.html",
        target=target,
        consultation=target.consultation,
        new_link=new_link,
        known_link=None if new_link else private_links.remembered(),
        mail_sent=False if private_links.take_mail_failed() else None,
    )


def _reply_parent(slug: str, comment_id: int) -> Comment | None:
    """The comment to reply to, in any state (the caller checks it is still published)."""
    parent = targets.comment_in_context(comment_id)
    if (
        parent is None
        or parent.consultation.slug != slug
        or not permissions.can_view(current_user, parent.consultation)
        or parent.parent_id is not None
    ):
        return None
    return parent


def _reply_heading_level() -> int:
    # The reply link says how deep the comment's heading is, so the form's heading follows.
    return min(max(request.args.get("level", 5, type=int), 2), 6)


def reply_form(parent: Comment) -> ReplyForm:
    return ReplyForm(
        prefix=f"reply-{parent.id}",
        default_language=str(get_locale()),
        organisation=_member_organisation(),
        offers_link_choice=_remembered_participant() is not None,
    )


def render_reply_form(parent: Comment, form: ReplyForm, status: int = 200, closed=False):
    return page_or_fragment(
        "comments/reply.html",
        "comments/_reply_form.html",
        status=status,
        form=form,
        parent=parent,
        target=targets.target_of(parent),
        consultation=parent.consultation,
        as_administration=permissions.replies_as_administration(current_user),
        closed=closed,
        inline=is_htmx(),
        heading_level=_reply_heading_level(),
    )


@bp.route("/comments/<int(max=2147483647):comment_id>/reply", methods=["GET", "POST"])
@limiter.limit(_comment_rate_limit, methods=["POST"])
def reply(slug: str, comment_id: int):
    parent = _reply_parent(slug, comment_id)
    published = parent is not None and parent.status is CommentStatus.APPROVED
    if not published and (parent is None or request.method == "GET"):
        abort(404)
    form = reply_form(parent)
    now = utcnow()
    if not published:
        # Withdrawn or removed while the reply was being written: keep the typed text.
        form.form_errors.append(
            _("The comment you are replying to is no longer published. Your reply was not sent.")
        )
        return render_reply_form(parent, form, status=409, closed=True)
    if not permissions.can_reply(current_user, parent, now):
        if form.is_submitted():
            form.form_errors.append(_closed_message(parent.consultation))
        return render_reply_form(parent, form, status=403, closed=True)
    if permissions.replies_as_administration(current_user):
        # The administration speaks as itself: no role, name or link to ask for.
        for name in ("group", "pseudonym", "link_choice", "email"):
            if name in form:
                del form[name]
    if not form.validate_on_submit():
        return render_reply_form(parent, form, status=422 if form.is_submitted() else 200)
    if permissions.replies_as_administration(current_user):
        author, link = comments.Author(StakeholderGroup.PUBLIC_AUTHORITY, staff=current_user), None
    else:
        author, link = _author(form, now)
    try:
        comments.submit_reply(
            parent,
            author,
            text=form.text.data,
            language=form.language.data,
            notice_version=current_app.config["CONSULT_PRIVACY_NOTICE_VERSION"],
            now=now,
        )
    except (ReplyNotAllowed, CommentsClosed):
        db.session.rollback()
        form.form_errors.append(_closed_message(parent.consultation))
        return render_reply_form(parent, form, status=403, closed=True)
    db.session.commit()
    return _submitted(
        targets.target_of(parent),
        link,
        _after_post(form, link),
        parent=parent,
        heading_level=_reply_heading_level(),
    )


@bp.errorhandler(429)
def rate_limited(error):
    """Too many posts: show the form again with the text kept, so nothing written is lost."""
    args = request.view_args or {}
    target = targets.find_target(
        args.get("slug", ""), number=args.get("number"), chapter=args.get("chapter")
    )
    if target is None or not permissions.can_comment(current_user, target.consultation, utcnow()):
        return render_error(429)
    message = _("You sent many comments in a short time. Please wait a minute and send again.")
    if "comment_id" in args:
        parent = _reply_parent(args["slug"], args["comment_id"])
        if parent is None or parent.status is not CommentStatus.APPROVED:
            return render_error(429)
        form = reply_form(parent)
        form.form_errors.append(message)
        return render_reply_form(parent, form, status=429)
    form = comment_form(target)
    form.form_errors.append(message)
    return render_form(target, form, status=429)

"""The feedback form of the accessibility statement (BITV 2.0 § 7): a reader reports a barrier
or asks for content in another form, without JavaScript, without an account. The message goes
out as one e-mail and is not kept here (services.feedback)."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, render_template, request, session, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RoutingException

from consult.extensions import limiter
from consult.forms.feedback import PAGE_MAX_LENGTH, FeedbackForm
from consult.mail import MailError
from consult.services import feedback as feedback_service
from consult.web.htmx import see_other
from consult.web.mail import render_message

bp = Blueprint("feedback", __name__, url_prefix="/<lang:lang>/accessibility/feedback")

# Whether this browser sent a message, and with an address to answer: the confirmation page
# says what happens next. Only this word is kept, never the message or the address.
_SENT = "accessibility_feedback_sent"
_WITH_REPLY, _WITHOUT_REPLY = "reply", "no-reply"


def _feedback_rate_limit() -> str:
    return current_app.config["CONSULT_FEEDBACK_RATE_LIMIT"]


def same_site_page(value: str | None) -> str | None:
    """A path on this site that a page of it answers, for the "which page" field; None for
    anything else (another host, a made-up address) and for a path that holds a secret token
    (a private link, an invitation), which must not travel in an e-mail. The query string and
    fragment are dropped: they may carry other things nobody meant to send."""
    if not value or len(value) > PAGE_MAX_LENGTH or "\\" in value:
        return None
    if not value.startswith("/") or value.startswith("//"):
        return None
    if any(ord(char) < 32 or char.isspace() for char in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    try:
        _endpoint, arguments = current_app.create_url_adapter(request).match(
            parts.path, method="GET"
        )
    except (HTTPException, RoutingException):
        return None
    if "token" in arguments:
        return None
    return parts.path


@bp.app_template_global()
def accessibility_feedback_url() -> str:
    """The feedback form, told which page the reader is on (the footer's link)."""
    rule = request.url_rule
    page = None
    if (
        rule is not None
        and request.blueprint != bp.name
        and "GET" in (rule.methods or ())
        and "token" not in (request.view_args or {})
    ):
        page = request.path
    return url_for("feedback.new", **({"page": page} if page else {}))


def _absolute(path: str) -> str:
    # The address a person can click in the e-mail, not the Host header the request came with.
    return current_app.config["CONSULT_PUBLIC_URL"].rstrip("/") + path


def _render(form: FeedbackForm, status: int = 200, mail_failed: bool = False):
    config = current_app.config
    return (
        render_template(
            "feedback/new.html",
            form=form,
            mail_failed=mail_failed,
            contact_email=config["CONSULT_ACCESSIBILITY_CONTACT"],
            contact_phone=config["CONSULT_ACCESSIBILITY_PHONE"],
            response_weeks=config["CONSULT_ACCESSIBILITY_RESPONSE_WEEKS"],
        ),
        status,
    )


def _mail_text(feedback: feedback_service.Feedback) -> tuple[str, str]:
    # For the office, in the site's default language whatever language the reader used.
    config = current_app.config
    with force_locale(config["BABEL_DEFAULT_LOCALE"]):
        message = render_message(
            config["CONSULT_ACCESSIBILITY_CONTACT"],
            "accessibility_feedback",
            feedback=feedback,
            response_weeks=config["CONSULT_ACCESSIBILITY_RESPONSE_WEEKS"],
        )
    return message.subject, message.body


def _sent(with_reply: bool):
    session[_SENT] = _WITH_REPLY if with_reply else _WITHOUT_REPLY
    return see_other(url_for("feedback.sent"))


@bp.route("", methods=["GET", "POST"])
# Only a message that went out counts: a person who needs several tries to fix the form is
# not locked out of sending it.
@limiter.limit(
    _feedback_rate_limit,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 303,
)
def new():
    form = FeedbackForm()
    if not form.is_submitted():
        page = same_site_page(request.args.get("page"))
        if page:
            form.page.data = _absolute(page)
        return _render(form)
    if form.caught_in_trap:
        # Filled in by a program: it is told what a person would be, and nothing is sent.
        return _sent(with_reply=bool(form.email.data))
    if not form.validate():
        return _render(form, status=422)
    feedback = feedback_service.Feedback(
        text=form.text.data,
        page=form.page.data or "",
        reply_to=form.email.data or None,
        language=str(get_locale()),
    )
    try:
        feedback_service.send_feedback(
            current_app.extensions["consult.mail"],
            feedback,
            to=current_app.config["CONSULT_ACCESSIBILITY_CONTACT"],
            render=_mail_text,
        )
    except MailError:
        return _render(form, status=503, mail_failed=True)
    return _sent(with_reply=feedback.reply_to is not None)


@bp.get("/sent")
def sent():
    state = session.get(_SENT)
    if state not in (_WITH_REPLY, _WITHOUT_REPLY):
        return see_other(url_for("feedback.new"))
    config = current_app.config
    return render_template(
        "feedback/sent.html",
        with_reply=state == _WITH_REPLY,
        contact_email=config["CONSULT_ACCESSIBILITY_CONTACT"],
        contact_phone=config["CONSULT_ACCESSIBILITY_PHONE"],
        response_weeks=config["CONSULT_ACCESSIBILITY_RESPONSE_WEEKS"],
    )


@bp.errorhandler(429)
def rate_limited(error):
    """Too many messages from one client: say so above the form, with the text kept."""
    form = FeedbackForm()
    form.form_errors.append(
        _("You sent several messages in a short time. Please wait a few minutes and try again.")
    )
    return _render(form, status=429)

"""Error pages in the reader's language, as a page or (for HTMX) a fragment. Never a stack trace."""

import time

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from consult.extensions import db, limiter
from consult.web.htmx import is_htmx

# Headers an error must keep (Allow on 405, Retry-After on 429 and 503, auth challenges).
KEPT_HEADERS = {"allow", "retry-after", "www-authenticate"}


def _messages():
    return {
        400: (_("Bad request"), _("The request could not be understood.")),
        403: (_("Not allowed"), _("You are not allowed to do this.")),
        404: (_("Page not found"), _("There is no page at this address.")),
        405: (_("Not allowed"), _("This address cannot be used like that.")),
        409: (_("Already changed"), _("Someone else changed this in the meantime.")),
        413: (_("Too large"), _("What you sent is too large.")),
        429: (
            _("Too many requests"),
            _("You sent many requests in a short time. Please wait a minute and try again."),
        ),
        500: (
            _("Something went wrong"),
            _("An error occurred on our side. Nothing you saved before is lost. Please try again."),
        ),
    }


def retry_after_seconds() -> int:
    """Seconds until the rate limit that was hit resets, for the Retry-After header."""
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()))


def render_error(status: int, title: str | None = None, message: str | None = None, headers=()):
    default_title, default_message = _messages().get(status, _messages()[500])
    context = {
        "status": status,
        "title": title or default_title,
        "message": message or default_message,
    }
    template = "errors/_error.html" if is_htmx() else "errors/error.html"
    kept = [(name, value) for name, value in headers if name.lower() in KEPT_HEADERS]
    # The same URL answers a page or a fragment: caches must keep them apart.
    kept.append(("Vary", "HX-Request"))
    return render_template(template, **context), status, kept


def init_app(app: Flask) -> None:
    @app.after_request
    def tell_when_to_retry(response):
        # Every 429 says when to try again, whichever page (error page or kept form) it carries.
        if response.status_code == 429 and "Retry-After" not in response.headers:
            response.headers["Retry-After"] = str(retry_after_seconds())
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _("Form expired"),
            _(
                "Your form could not be sent because its security token is missing or invalid. "
                "This happens when cookies are blocked. Please go back, reload the page and "
                "send it again."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request.path.startswith("/static/"):
            return error
        return render_error(error.code or 500, headers=error.get_headers())

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        # A failed statement leaves the session unusable; the error page itself may query.
        db.session.rollback()
        # The route's pattern, not the path: a path may carry a private link's or an
        # invitation's secret token, and logs must never hold one.
        rule = request.url_rule.rule if request.url_rule else "(no route)"
        app.logger.exception("unhandled error on %s %s", request.method, rule)
        return render_error(500)

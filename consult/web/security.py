"""Security headers on every response, and cache rules for pages that carry a session."""

from flask import Flask, abort, request, session
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # same-origin, not no-referrer: Flask-WTF's HTTPS referrer check needs our own origin.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def _contains_nul(values) -> bool:
    return any("\x00" in value for value in values)


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_nul_bytes():
        # PostgreSQL cannot store NUL in text; refusing it here gives every backend the same
        # clear 400 instead of a database error.
        if (
            "\x00" in request.path
            or _contains_nul(request.args.values())
            or _contains_nul(request.form.values())
        ):
            abort(400)

    @app.after_request
    def add_security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        carries_session = session.modified or bool(session) or current_user.is_authenticated
        if carries_session and request.endpoint != "static":
            # Pages with a CSRF token or a staff view must never be cached by a shared proxy.
            response.headers["Cache-Control"] = "private, no-store"
            response.vary.add("Cookie")
        return response

"""One URL, two renderings: a full page for a browser navigation, a fragment for HTMX."""

from urllib.parse import urlsplit

from flask import make_response, redirect, render_template

from consult.extensions import htmx


def is_htmx() -> bool:
    # A history-restore request wants the whole page, not a fragment.
    return bool(htmx) and not htmx.history_restore_request


def page_or_fragment(page: str, fragment: str, status: int = 200, **context):
    template = fragment if is_htmx() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def see_other(location: str):
    """303 after a successful POST, so a reload does not post again."""
    return redirect(location, code=303)


def safe_next(target: str | None) -> str | None:
    """Only same-site paths, never another host: an open redirect would help phishing."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target

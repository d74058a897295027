"""Sending a templated e-mail from a route, after its commit."""

import logging

from flask import current_app, render_template, url_for

from consult.mail import MailError, Message

log = logging.getLogger(__name__)


def public_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, built from the configured public address; the request's
    Host header is never trusted for links that leave the site."""
    return current_app.config["CONSULT_PUBLIC_URL"].rstrip("/") + url_for(endpoint, **values)


def send_templated(to: str, template: str, **context) -> bool:
    """Render `mail/<template>.txt` (first line: subject) and send it. False when the mail
    server refused; the caller tells the person, and nothing they did is undone."""
    subject, _, body = render_template(f"mail/{template}.txt", **context).partition("\n")
    try:
        current_app.extensions["consult.mail"].send(
            Message(to=to, subject=subject.strip(), body=body.lstrip("\n"))
        )
    except MailError as error:
        # The address is personal data and stays out of the log.
        log.warning("sending the %s e-mail failed: %s", template, error)
        return False
    return True

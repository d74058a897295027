"""Sending a templated e-mail from a route, after its commit."""

import logging

from flask import current_app, render_template, url_for

from consult.mail import MailError, Message

log = logging.getLogger(__name__)


def public_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, built from the configured public address; the request's
    Host header is never trusted for links that leave the site."""
    return current_app.config["CONSULT_PUBLIC_URL"].rstrip("/") + url_for(endpoint, **values)


def render_message(to: str, template: str, **context) -> Message:
    """`mail/<template>.txt` as a message: its first line is the subject."""
    subject, _, body = render_template(f"mail/{template}.txt", **context).partition("\n")
    return Message(to=to, subject=subject.strip(), body=body.lstrip("\n"))


def send_templated(to: str, template: str, **context) -> bool:
    """Render `mail/<template>.txt` and send it. False when the mail server refused; the
    caller tells the person, and nothing they did is undone."""
    try:
        current_app.extensions["consult.mail"].send(render_message(to, template, **context))
    except MailError as error:
        # The address is personal data and stays out of the log.
        log.warning("sending the %s e-mail failed: %s", template, error)
        return False
    return True


def send_batch(messages: list[Message]) -> list[bool]:
    """Several messages over one connection; for each whether it was handed over."""
    if not messages:
        return []
    return current_app.extensions["consult.mail"].send_many(messages)

"""Feedback on accessibility (BITV 2.0 § 7, BITV NRW): a reader tells the office named in the
accessibility statement about a barrier. It becomes one e-mail to that office and nothing else:
no row in the database, and no line in the log that holds the text, the page or the address.
The office's mailbox is the only copy, kept and deleted under its own rules."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from consult.mail import Mailer, MailError, Message

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Feedback:
    text: str
    page: str  # as the reader gave it; "" when not given
    reply_to: str | None  # None: the reader gave no address and cannot be answered
    language: str  # the language of the site the reader used, so the answer can be in it


def send_feedback(
    mailer: Mailer,
    feedback: Feedback,
    *,
    to: str,
    render: Callable[[Feedback], tuple[str, str]],
) -> None:
    """Send the feedback as one e-mail to `to`; `render` gives its subject and body. "Reply"
    in the office's mail program answers the reader. Raises MailError when the mail server
    does not take it: the caller keeps the reader's text on screen, so nothing is lost."""
    subject, body = render(feedback)
    try:
        mailer.send(Message(to=to, subject=subject, body=body, reply_to=feedback.reply_to))
    except MailError as error:
        # The error names only its kind (the backends make sure of it), never the message.
        log.warning("accessibility feedback could not be sent: %s", error)
        raise
    log.info("accessibility feedback sent")

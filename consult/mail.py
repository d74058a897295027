"""Sending e-mail behind one small interface.

Backends: "smtp" for production (configured by environment), "console" (prints the message;
the development default), "file" (one .eml file per message in a folder) and "memory" (a list,
for tests). The participant's link and the administration's notices all go through `send`.
Nothing here imports Flask: the app builds one backend at start-up and routes call it after
their commit, so a slow or failing mail server never holds a database transaction open.
"""

import contextlib
import logging
import smtplib
import ssl
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol

from consult.models.types import utcnow

log = logging.getLogger(__name__)


class MailError(RuntimeError):
    """The message could not be handed over; the caller tells the person, nothing is lost."""


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str
    # Where an answer goes when it is not the sender (a reader's own address on their feedback).
    reply_to: str | None = None


class Mailer(Protocol):
    def send(self, message: Message) -> None: ...

    def send_many(self, messages: list[Message]) -> list[bool]:
        """Send a batch; for each message whether it was handed over. Never raises."""
        ...


def send_each(mailer, messages: list[Message]) -> list[bool]:
    """A batch for backends without a connection worth keeping: one message after another."""
    delivered = []
    for message in messages:
        try:
            mailer.send(message)
        except MailError:
            delivered.append(False)
        else:
            delivered.append(True)
    return delivered


def build_email(message: Message, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    if message.reply_to:
        email["Reply-To"] = message.reply_to
    email["Date"] = format_datetime(utcnow())
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body)
    return email


class ConsoleMailer:
    def __init__(self, sender: str, stream=None):
        self.sender = sender
        self.stream = stream

    def send(self, message: Message) -> None:
        # Printed as plain text, not MIME: a developer must be able to read and click the link.
        stream = self.stream or sys.stderr
        reply_to = f"Reply-To: {message.reply_to}\n" if message.reply_to else ""
        stream.write(
            "--- e-mail (console backend) ---\n"
            f"From: {self.sender}\nTo: {message.to}\n{reply_to}Subject: {message.subject}\n\n"
            f"{message.body}\n--- end of e-mail ---\n"
        )
        stream.flush()

    def send_many(self, messages: list[Message]) -> list[bool]:
        return send_each(self, messages)


class FileMailer:
    def __init__(self, sender: str, directory: Path):
        self.sender = sender
        self.directory = Path(directory)

    def send(self, message: Message) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            email = build_email(message, self.sender)
            name = email["Message-ID"].strip("<>").replace("/", "_") + ".eml"
            (self.directory / name).write_bytes(bytes(email))
        except (OSError, ValueError) as error:
            raise MailError(type(error).__name__) from error

    def send_many(self, messages: list[Message]) -> list[bool]:
        return send_each(self, messages)


class MemoryMailer:
    def __init__(self, sender: str):
        self.sender = sender
        self.outbox: list[Message] = []

    def send(self, message: Message) -> None:
        self.outbox.append(message)

    def send_many(self, messages: list[Message]) -> list[bool]:
        return send_each(self, messages)


SMTP_SECURITY = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None
    password: str | None
    # "starttls", "ssl" or "none" (the last only for a relay on the same host).
    security: str = "starttls"
    timeout: float = 10.0

    def __post_init__(self):
        # A typo must not silently send passwords and private links unencrypted.
        if self.security not in SMTP_SECURITY:
            raise RuntimeError(
                f"CONSULT_SMTP_SECURITY must be one of {', '.join(SMTP_SECURITY)}; "
                f"got {self.security!r}"
            )


class SmtpMailer:
    def __init__(self, sender: str, settings: SmtpSettings):
        self.sender = sender
        self.settings = settings

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.security == "ssl":
            return smtplib.SMTP_SSL(
                s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
            )
        connection = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        if s.security == "starttls":
            try:
                connection.starttls(context=ssl.create_default_context())
            except BaseException:
                connection.close()
                raise
        return connection

    def _session(self) -> smtplib.SMTP:
        connection = self._connect()
        try:
            if self.settings.username:
                connection.login(self.settings.username, self.settings.password or "")
        except BaseException:
            connection.close()
            raise
        return connection

    def send(self, message: Message) -> None:
        try:
            with self._session() as connection:
                connection.send_message(build_email(message, self.sender))
        except (OSError, ValueError, smtplib.SMTPException) as error:
            raise MailError(type(error).__name__) from error

    def send_many(self, messages: list[Message]) -> list[bool]:
        """The whole batch over one connection: a handshake, TLS and a login per message
        would make a few hundred notices outlast any request. A connection dropped midway is
        opened once more; a refused recipient costs only their own message."""
        delivered = [False] * len(messages)
        connection = None
        reconnected = False
        index = 0
        try:
            while index < len(messages):
                if connection is None:
                    try:
                        connection = self._session()
                    except (OSError, ValueError) as error:
                        log.warning("no connection to the mail server: %s", type(error).__name__)
                        break
                try:
                    connection.send_message(build_email(messages[index], self.sender))
                    delivered[index] = True
                except (
                    smtplib.SMTPResponseException,
                    smtplib.SMTPRecipientsRefused,
                    ValueError,
                ) as error:
                    # The server refused this message; the session itself goes on.
                    log.warning("a message of a batch was refused: %s", type(error).__name__)
                except OSError as error:  # dropped or timed out (SMTPServerDisconnected too)
                    log.warning("the mail server dropped the connection: %s", type(error).__name__)
                    _close(connection)
                    connection = None
                    if reconnected:
                        break
                    reconnected = True
                    continue  # the same message again, over a new connection
                index += 1
        finally:
            if connection is not None:
                _quit(connection)
        return delivered


def _close(connection: smtplib.SMTP | None) -> None:
    if connection is not None:
        with contextlib.suppress(OSError):
            connection.close()


def _quit(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        _close(connection)


def mailer_from_config(config) -> Mailer:
    backend = config["CONSULT_MAIL_BACKEND"]
    sender = config["CONSULT_MAIL_FROM"]
    if backend == "console":
        return ConsoleMailer(sender)
    if backend == "memory":
        return MemoryMailer(sender)
    if backend == "file":
        return FileMailer(sender, Path(config["CONSULT_MAIL_FILE_DIR"]))
    if backend == "smtp":
        return SmtpMailer(
            sender,
            SmtpSettings(
                host=config["CONSULT_SMTP_HOST"],
                port=int(config["CONSULT_SMTP_PORT"]),
                username=config["CONSULT_SMTP_USERNAME"],
                password=config["CONSULT_SMTP_PASSWORD"],
                security=config["CONSULT_SMTP_SECURITY"],
            ),
        )
    raise RuntimeError(f"CONSULT_MAIL_BACKEND must be smtp, console, file or memory; got {backend}")

"""Sending e-mail behind one small interface.

Backends: "smtp" for production (configured by environment), "console" (prints the message;
the development default), "file" (one .eml file per message in a folder) and "memory" (a list,
for tests). The participant's link and the administration's notices all go through `send`.
Nothing here imports Flask: the app builds one backend at start-up and routes call it after
their commit, so a slow or failing mail server never holds a database transaction open.
"""

import smtplib
import ssl
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol

from consult.models.types import utcnow


class MailError(RuntimeError):
    """The message could not be handed over; the caller tells the person, nothing is lost."""


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str


class Mailer(Protocol):
    def send(self, message: Message) -> None: ...


def build_email(message: Message, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
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
        stream.write(
            "--- e-mail (console backend) ---\n"
            f"From: {self.sender}\nTo: {message.to}\nSubject: {message.subject}\n\n"
            f"{message.body}\n--- end of e-mail ---\n"
        )
        stream.flush()


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


class MemoryMailer:
    def __init__(self, sender: str):
        self.sender = sender
        self.outbox: list[Message] = []

    def send(self, message: Message) -> None:
        self.outbox.append(message)


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

    def send(self, message: Message) -> None:
        try:
            with self._connect() as connection:
                if self.settings.username:
                    connection.login(self.settings.username, self.settings.password or "")
                connection.send_message(build_email(message, self.sender))
        except (OSError, ValueError, smtplib.SMTPException) as error:
            raise MailError(type(error).__name__) from error


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

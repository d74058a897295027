import base64
import email
import email.policy
import io
import re
import socket
import socketserver
import threading
import time

import pytest

from consult.mail import (
    ConsoleMailer,
    FileMailer,
    MailError,
    MemoryMailer,
    Message,
    SmtpMailer,
    SmtpSettings,
    build_email,
    mailer_from_config,
)

SENDER = "beteiligung@kreis.example"
GERMAN = Message(
    to="juergen.weiss@example.org",
    subject="Ihr privater Link zur Beteiligung „Förderrichtlinie Straßensozialarbeit“",
    body=(
        "Guten Tag,\n\n"
        "über diesen Link können Sie Ihren Beitrag ändern oder zurückziehen:\n\n"
        "https://beteiligung.kreis.example/mein-beitrag/Qm9vdHN0cmFwLXRva2Vu\n\n"
        "Mit freundlichen Grüßen\nIhr Landkreis\n"
    ),
)
ARABIC = Message(
    to="participant@example.org",
    subject="رابطك الخاص للمشاركة في المشاورة",
    body="شكراً لمشاركتك.\nيمكنك تعديل تعليقك عبر هذا الرابط.\n",
)


def parse(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)


def assert_is_the_message(parsed, message: Message, sender: str = SENDER) -> None:
    assert parsed["From"] == sender
    assert parsed["To"] == message.to
    assert parsed["Subject"] == message.subject
    assert parsed.get_content() == message.body
    assert re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", parsed["Message-ID"])
    assert parsed["Date"].datetime is not None
    # Tells vacation responders and ticket systems not to answer a machine-sent link.
    assert parsed["Auto-Submitted"] == "auto-generated"


# --- file backend ---


def test_file_backend_writes_one_parseable_eml_per_message(tmp_path):
    mailer = FileMailer(SENDER, tmp_path / "mail")  # created on first send
    mailer.send(GERMAN)
    mailer.send(ARABIC)

    files = sorted((tmp_path / "mail").iterdir())
    assert [f.suffix for f in files] == [".eml", ".eml"]
    parsed = [parse(f.read_bytes()) for f in files]
    by_recipient = {p["To"]: p for p in parsed}
    assert_is_the_message(by_recipient[GERMAN.to], GERMAN)
    assert_is_the_message(by_recipient[ARABIC.to], ARABIC)
    assert parsed[0]["Message-ID"] != parsed[1]["Message-ID"]


def test_file_backend_keeps_identical_messages_apart(tmp_path):
    # Two sends of the same link (the participant asked twice) must not overwrite each other.
    mailer = FileMailer(SENDER, tmp_path)
    mailer.send(GERMAN)
    mailer.send(GERMAN)
    assert len(list(tmp_path.glob("*.eml"))) == 2


def test_file_backend_into_a_regular_file_raises_mail_error(tmp_path):
    not_a_folder = tmp_path / "mail"
    not_a_folder.write_text("I am a file")
    with pytest.raises(MailError):
        FileMailer(SENDER, not_a_folder).send(GERMAN)


# --- build_email ---


def test_a_sender_with_a_display_name_gives_a_well_formed_message_id():
    # CONSULT_MAIL_FROM is often written as "Name <address>"; the Message-ID's domain must come
    # from the address, not from the text after "@" including the closing ">".
    sender = "Landkreis – Bürgerbeteiligung <beteiligung@kreis.example>"
    parsed = parse(bytes(build_email(GERMAN, sender)))
    assert parsed["From"] == sender
    assert re.fullmatch(r"<[^<>@\s]+@kreis\.example>", parsed["Message-ID"])


def test_a_recipient_with_a_non_ascii_display_name_survives_encoding():
    message = Message(
        to="Jürgen Weiß <juergen.weiss@example.org>", subject=GERMAN.subject, body=GERMAN.body
    )
    parsed = parse(bytes(build_email(message, SENDER)))
    assert parsed["To"] == "Jürgen Weiß <juergen.weiss@example.org>"
    assert parsed["To"].addresses[0].addr_spec == "juergen.weiss@example.org"


def test_reply_to_is_set_only_when_given():
    # Feedback goes to the office from the site's address; "Reply" must reach the reader.
    feedback = Message(
        to="barrierefreiheit@kreis.example",
        subject="Rückmeldung",
        body="Der Kontrast ist zu schwach.\n",
        reply_to="leserin@example.org",
    )
    assert parse(bytes(build_email(feedback, SENDER)))["Reply-To"] == "leserin@example.org"
    assert parse(bytes(build_email(GERMAN, SENDER)))["Reply-To"] is None
    stream = io.StringIO()
    ConsoleMailer(SENDER, stream=stream).send(feedback)
    assert "\nReply-To: leserin@example.org\nSubject: Rückmeldung\n" in stream.getvalue()


# --- console and memory backends ---


def test_console_backend_writes_the_message_to_the_given_stream(capsys):
    stream = io.StringIO()
    ConsoleMailer(SENDER, stream=stream).send(GERMAN)

    banner, _, printed = stream.getvalue().partition("\n")
    assert "console backend" in banner
    printed, _, trailer = printed.rpartition("\n--- end of e-mail ---")
    assert trailer == "\n"
    headers, _, body = printed.partition("\n\n")
    assert headers.splitlines() == [
        f"From: {SENDER}",
        f"To: {GERMAN.to}",
        f"Subject: {GERMAN.subject}",
    ]
    assert body == GERMAN.body
    assert capsys.readouterr().err == ""


def test_console_backend_shows_a_german_body_readably():
    # The console backend is the development default: a developer copies the private link
    # and reads the text from the terminal, which fails if the body is printed as base64.
    stream = io.StringIO()
    ConsoleMailer(SENDER, stream=stream).send(GERMAN)
    output = stream.getvalue()
    assert "https://beteiligung.kreis.example/mein-beitrag/Qm9vdHN0cmFwLXRva2Vu" in output
    assert "Mit freundlichen Grüßen" in output


def test_memory_backend_collects_messages_in_order():
    mailer = MemoryMailer(SENDER)
    mailer.send(GERMAN)
    mailer.send(ARABIC)
    assert mailer.outbox == [GERMAN, ARABIC]


# --- mailer_from_config ---


def config(**overrides) -> dict:
    return {
        "CONSULT_MAIL_BACKEND": "console",
        "CONSULT_MAIL_FROM": SENDER,
        "CONSULT_MAIL_FILE_DIR": "instance/mail",
        "CONSULT_SMTP_HOST": "mail.kreis.example",
        "CONSULT_SMTP_PORT": "587",
        "CONSULT_SMTP_USERNAME": "beteiligung",
        "CONSULT_SMTP_PASSWORD": "geheim",
        "CONSULT_SMTP_SECURITY": "starttls",
    } | overrides


def test_mailer_from_config_builds_the_console_backend():
    mailer = mailer_from_config(config(CONSULT_MAIL_BACKEND="console"))
    assert isinstance(mailer, ConsoleMailer)
    assert mailer.sender == SENDER


def test_mailer_from_config_builds_the_memory_backend():
    mailer = mailer_from_config(config(CONSULT_MAIL_BACKEND="memory"))
    assert isinstance(mailer, MemoryMailer)
    assert mailer.outbox == []


def test_mailer_from_config_builds_the_file_backend(tmp_path):
    mailer = mailer_from_config(config(CONSULT_MAIL_BACKEND="file", CONSULT_MAIL_FILE_DIR=tmp_path))
    assert isinstance(mailer, FileMailer)
    mailer.send(GERMAN)
    assert len(list(tmp_path.glob("*.eml"))) == 1


def test_mailer_from_config_builds_the_smtp_backend():
    mailer = mailer_from_config(config(CONSULT_MAIL_BACKEND="smtp"))
    assert isinstance(mailer, SmtpMailer)
    assert mailer.sender == SENDER
    # The port comes from the environment as a string.
    assert mailer.settings == SmtpSettings(
        host="mail.kreis.example",
        port=587,
        username="beteiligung",
        password="geheim",
        security="starttls",
    )


@pytest.mark.parametrize("backend", ["sendmail", "SMTP", ""])
def test_mailer_from_config_refuses_an_unknown_backend(backend):
    with pytest.raises(RuntimeError, match="CONSULT_MAIL_BACKEND"):
        mailer_from_config(config(CONSULT_MAIL_BACKEND=backend))


# --- SMTP backend against a real (tiny) server ---


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: one session, envelopes and data recorded on the server."""

    timeout = 5  # a confused client must not hang the test run

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        server: FakeSmtpServer = self.server  # type: ignore[assignment]
        server.sessions += 1
        self.reply("220 fake.kreis.example ESMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode("ascii").rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-fake.kreis.example")
                self.reply("250 AUTH PLAIN")
            elif verb == "AUTH":
                server.logins.append(base64.b64decode(command.split()[2]))
                self.reply("235 2.7.0 Authentication successful")
            elif verb == "MAIL":
                if server.drop_before_message is not None and (
                    len(server.received) == server.drop_before_message
                ):
                    server.drop_before_message = None
                    return  # the connection breaks without a word
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip().strip("<>")
                if server.refuse_recipients or address in server.unknown:
                    self.reply("550 5.1.1 No such user")
                    continue
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                server.received.append((recipients, self.read_data()))
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:  # RSET, NOOP
                self.reply("250 OK")

    def read_data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) != b".\r\n":
            if not line:
                raise ConnectionError("client left in the middle of DATA")
            lines.append(line[1:] if line.startswith(b"..") else line)
        # CRLF is the wire format only; a mail server stores the message with plain line ends.
        return b"".join(lines).replace(b"\r\n", b"\n")


class FakeSmtpServer(socketserver.TCPServer):
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.received: list[tuple[list[str], bytes]] = []
        self.logins: list[bytes] = []
        self.refuse_recipients = False
        self.unknown: set[str] = set()  # addresses refused one by one
        self.sessions = 0
        # Drop the connection once, when this many messages were received.
        self.drop_before_message: int | None = None

    @property
    def port(self) -> int:
        return self.server_address[1]


@pytest.fixture
def smtp_server():
    server = FakeSmtpServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def plain_smtp(port: int, **overrides) -> SmtpSettings:
    settings = {"host": "127.0.0.1", "port": port, "username": None, "password": None}
    return SmtpSettings(**(settings | {"security": "none", "timeout": 2} | overrides))


def test_smtp_backend_delivers_the_message_to_the_recipient(smtp_server):
    SmtpMailer(SENDER, plain_smtp(smtp_server.port)).send(GERMAN)

    [(recipients, data)] = smtp_server.received
    assert recipients == [GERMAN.to]
    assert_is_the_message(parse(data), GERMAN)
    assert smtp_server.logins == []


def test_smtp_backend_delivers_an_arabic_message_intact(smtp_server):
    SmtpMailer(SENDER, plain_smtp(smtp_server.port)).send(ARABIC)

    [(recipients, data)] = smtp_server.received
    assert recipients == [ARABIC.to]
    assert_is_the_message(parse(data), ARABIC)


def test_smtp_backend_logs_in_with_the_configured_credentials(smtp_server):
    settings = plain_smtp(smtp_server.port, username="beteiligung", password="geheim")
    SmtpMailer(SENDER, settings).send(GERMAN)

    assert smtp_server.logins == [b"\0beteiligung\0geheim"]
    assert len(smtp_server.received) == 1


def batch(count: int) -> list[Message]:
    return [
        Message(to=f"person{n}@example.org", subject=f"Ergebnisse {n}", body="Hallo\n")
        for n in range(count)
    ]


def test_smtp_batch_goes_over_one_connection_with_one_login(smtp_server):
    settings = plain_smtp(smtp_server.port, username="beteiligung", password="geheim")
    messages = batch(3)
    assert SmtpMailer(SENDER, settings).send_many(messages) == [True, True, True]
    assert smtp_server.sessions == 1
    assert smtp_server.logins == [b"\0beteiligung\0geheim"]
    assert [recipients for recipients, _data in smtp_server.received] == [[m.to] for m in messages]
    assert_is_the_message(parse(smtp_server.received[2][1]), messages[2])


def test_smtp_batch_reconnects_once_when_the_connection_drops(smtp_server):
    smtp_server.drop_before_message = 2
    assert SmtpMailer(SENDER, plain_smtp(smtp_server.port)).send_many(batch(4)) == [True] * 4
    assert smtp_server.sessions == 2
    assert len(smtp_server.received) == 4


def test_smtp_batch_gives_up_when_the_server_is_gone_for_good():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert SmtpMailer(SENDER, plain_smtp(port)).send_many(batch(3)) == [False] * 3


def test_smtp_batch_goes_on_after_a_refused_recipient(smtp_server):
    smtp_server.unknown = {"person1@example.org"}
    result = SmtpMailer(SENDER, plain_smtp(smtp_server.port)).send_many(batch(3))
    assert result == [True, False, True]
    assert smtp_server.sessions == 1
    assert [recipients for recipients, _data in smtp_server.received] == [
        ["person0@example.org"],
        ["person2@example.org"],
    ]


def test_other_backends_send_a_batch_one_by_one(tmp_path):
    memory = MemoryMailer(SENDER)
    assert memory.send_many(batch(2)) == [True, True]
    assert [m.to for m in memory.outbox] == ["person0@example.org", "person1@example.org"]
    file = FileMailer(SENDER, tmp_path / "mail")
    assert file.send_many(batch(2)) == [True, True]
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 2
    (tmp_path / "blocked").write_text("not a folder")
    assert FileMailer(SENDER, tmp_path / "blocked").send_many(batch(2)) == [False, False]
    stream = io.StringIO()
    assert ConsoleMailer(SENDER, stream).send_many(batch(2)) == [True, True]
    assert stream.getvalue().count("--- end of e-mail ---") == 2


def test_smtp_refusal_by_the_server_raises_mail_error(smtp_server):
    smtp_server.refuse_recipients = True
    with pytest.raises(MailError):
        SmtpMailer(SENDER, plain_smtp(smtp_server.port)).send(GERMAN)
    assert smtp_server.received == []


def test_smtp_to_a_closed_port_raises_mail_error_quickly():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(MailError):
        SmtpMailer(SENDER, plain_smtp(port, timeout=2)).send(GERMAN)
    assert time.monotonic() - started < 2


def test_smtp_server_that_never_greets_raises_mail_error_after_the_timeout():
    # Routes send after their commit, but the request still waits: a silent server must cost
    # the configured timeout, not forever. The global default only bounds the test run if
    # the configured timeout stopped reaching the socket.
    previous_default = socket.getdefaulttimeout()
    socket.setdefaulttimeout(5)
    try:
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen(1)  # the kernel completes the handshake; nobody ever answers
            started = time.monotonic()
            with pytest.raises(MailError):
                SmtpMailer(SENDER, plain_smtp(silent.getsockname()[1], timeout=0.3)).send(GERMAN)
            assert time.monotonic() - started < 2
    finally:
        socket.setdefaulttimeout(previous_default)


def test_an_unknown_smtp_security_value_never_sends_in_the_clear(smtp_server):
    # A typo such as "tls" or "STARTTLS" in CONSULT_SMTP_SECURITY must not quietly fall back
    # to an unencrypted session that carries the password and the participants' private links.
    settings = config(
        CONSULT_MAIL_BACKEND="smtp",
        CONSULT_SMTP_HOST="127.0.0.1",
        CONSULT_SMTP_PORT=str(smtp_server.port),
        CONSULT_SMTP_SECURITY="tls",
    )
    with pytest.raises((RuntimeError, MailError)):
        mailer_from_config(settings).send(GERMAN)
    assert smtp_server.logins == []
    assert smtp_server.received == []

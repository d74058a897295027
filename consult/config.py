"""Configuration classes. This is the only module that reads environment variables."""

import os
from datetime import date, timedelta


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # None means "SQLite in the instance folder", resolved in create_app once the path is known.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Locales offered in the switcher; the first is the default when nothing else decides.
    LANGUAGES = _env_list("CONSULT_LANGUAGES", "de,en,ar,tr,uk,ru,fa")
    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("CONSULT_TIMEZONE", "Europe/Berlin")

    # A person writing a long statement must not lose it to an expired token.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = True

    SESSION_COOKIE_NAME = "consult_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=20)
    REMEMBER_COOKIE_DURATION = timedelta(hours=0)

    # Behind nginx the client address arrives in X-Forwarded-For; without trusting that one hop,
    # every participant would share the proxy's rate-limit bucket.
    CONSULT_PROXY_HOPS = int(os.environ.get("CONSULT_PROXY_HOPS", "0"))
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    CONSULT_COMMENT_RATE_LIMIT = os.environ.get(
        "CONSULT_COMMENT_RATE_LIMIT", "10 per minute;200 per day"
    )
    CONSULT_LOGIN_RATE_LIMIT = os.environ.get("CONSULT_LOGIN_RATE_LIMIT", "5 per minute")
    CONSULT_FLAG_RATE_LIMIT = os.environ.get("CONSULT_FLAG_RATE_LIMIT", "5 per minute;50 per day")
    # Messages through the accessibility feedback form, each an e-mail to a person.
    CONSULT_FEEDBACK_RATE_LIMIT = os.environ.get(
        "CONSULT_FEEDBACK_RATE_LIMIT", "3 per minute;20 per day"
    )

    # Readers' flags send a published comment back to the queue; it stays visible unless this
    # many open flags hide it until a moderator decides. 0 never hides. Reports are anonymous:
    # one person who clears their cookies can report again, limited only by the rate limit per
    # address, so a low number lets one determined reader take comments out of view.
    CONSULT_HIDE_AFTER_FLAGS = int(os.environ.get("CONSULT_HIDE_AFTER_FLAGS", "0"))

    # A staff or member sign-in ends after this many hours, however active the session. WCAG
    # 2.2.1 accepts a time limit without warning only from 20 hours on.
    CONSULT_SIGN_IN_HOURS = int(os.environ.get("CONSULT_SIGN_IN_HOURS", "20"))
    # Shown in authenticator apps next to the staff member's address.
    CONSULT_TOTP_ISSUER = os.environ.get("CONSULT_TOTP_ISSUER", "consult")

    CONSULT_COMMENT_MAX_LENGTH = 5000
    # Above this many comments the PDF report refers to the Abwägungstabelle as a separate
    # DOCX/XLSX file instead of printing it: laying out the table takes about 20 s per 1,000
    # rows (measured on 2 cores).
    CONSULT_REPORT_PDF_ANNEX_ROWS = int(os.environ.get("CONSULT_REPORT_PDF_ANNEX_ROWS", "800"))
    # An uploaded draft (.docx, .md, .txt) or pasted text may be at most this many bytes.
    CONSULT_IMPORT_MAX_BYTES = int(
        os.environ.get("CONSULT_IMPORT_MAX_BYTES", str(10 * 1024 * 1024))
    )
    # Pasted drafts arrive as a form field of the (multipart) import form: let one through up
    # to the import's own limit, which then answers with a clear message, instead of Flask's
    # bare 413 at 500 kB.
    MAX_FORM_MEMORY_SIZE = CONSULT_IMPORT_MAX_BYTES + 64 * 1024
    CONSULT_PSEUDONYM_MAX_LENGTH = 60
    # Bumped whenever the privacy notice changes; stored with every consent.
    CONSULT_PRIVACY_NOTICE_VERSION = "2026-11-24"
    CONSULT_OPERATOR_NAME = os.environ.get(
        "CONSULT_OPERATOR_NAME", "Kreis Siegen-Wittgenstein (Beispielbetreiber)"
    )
    CONSULT_PRIVACY_CONTACT = os.environ.get("CONSULT_PRIVACY_CONTACT", "datenschutz@kreis.example")

    # The accessibility statement (Erklärung zur Barrierefreiheit): where readers report a
    # barrier, how soon they get an answer (BITV NRW § 5: two to six weeks), when the statement
    # was last checked, and where they turn if the answer does not help.
    CONSULT_ACCESSIBILITY_CONTACT = os.environ.get(
        "CONSULT_ACCESSIBILITY_CONTACT", "barrierefreiheit@kreis.example"
    )
    CONSULT_ACCESSIBILITY_PHONE = os.environ.get("CONSULT_ACCESSIBILITY_PHONE", "")
    CONSULT_ACCESSIBILITY_RESPONSE_WEEKS = int(
        os.environ.get("CONSULT_ACCESSIBILITY_RESPONSE_WEEKS", "6")
    )
    CONSULT_ACCESSIBILITY_STATEMENT_DATE = date.fromisoformat(
        os.environ.get("CONSULT_ACCESSIBILITY_STATEMENT_DATE", "2026-11-25")
    )
    # The enforcement body for public bodies in North Rhine-Westphalia (§ 10d BGG NRW).
    CONSULT_ACCESSIBILITY_ENFORCEMENT_BODY = os.environ.get(
        "CONSULT_ACCESSIBILITY_ENFORCEMENT_BODY",
        "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen bei "
        "der Landesbeauftragten für Menschen mit Behinderung sowie für Patientinnen und "
        "Patienten in Nordrhein-Westfalen",
    )
    CONSULT_ACCESSIBILITY_ENFORCEMENT_URL = os.environ.get(
        "CONSULT_ACCESSIBILITY_ENFORCEMENT_URL", "https://www.lbbp.nrw.de/ombudsstelle"
    )
    CONSULT_ACCESSIBILITY_ENFORCEMENT_EMAIL = os.environ.get(
        "CONSULT_ACCESSIBILITY_ENFORCEMENT_EMAIL", "ombudsstelle-barrierefreie-it@mags.nrw.de"
    )

    # Links in e-mails are built from this address, never from the request's Host header.
    CONSULT_PUBLIC_URL = os.environ.get("CONSULT_PUBLIC_URL", "http://127.0.0.1:5000")
    # A participant's private link and an organisation's invitation stop working after these.
    CONSULT_PRIVATE_LINK_DAYS = int(os.environ.get("CONSULT_PRIVATE_LINK_DAYS", "730"))
    CONSULT_INVITATION_DAYS = int(os.environ.get("CONSULT_INVITATION_DAYS", "7"))

    CONSULT_MAIL_BACKEND = os.environ.get("CONSULT_MAIL_BACKEND", "console")
    CONSULT_MAIL_FROM = os.environ.get("CONSULT_MAIL_FROM", "beteiligung@kreis.example")
    CONSULT_MAIL_FILE_DIR = os.environ.get("CONSULT_MAIL_FILE_DIR", "instance/mail")
    CONSULT_SMTP_HOST = os.environ.get("CONSULT_SMTP_HOST", "localhost")
    CONSULT_SMTP_PORT = int(os.environ.get("CONSULT_SMTP_PORT", "587"))
    CONSULT_SMTP_USERNAME = os.environ.get("CONSULT_SMTP_USERNAME")
    CONSULT_SMTP_PASSWORD = os.environ.get("CONSULT_SMTP_PASSWORD")
    CONSULT_SMTP_SECURITY = os.environ.get("CONSULT_SMTP_SECURITY", "starttls")


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Limits stay on (the code path is real) but high; a test lowers one to exercise it.
    CONSULT_COMMENT_RATE_LIMIT = "10000 per minute"
    CONSULT_LOGIN_RATE_LIMIT = "10000 per minute"
    CONSULT_FLAG_RATE_LIMIT = "10000 per minute"
    CONSULT_FEEDBACK_RATE_LIMIT = "10000 per minute"
    # Keep Accept-Language out of tests unless a test sends it.
    LANGUAGES = ["de", "en"]
    CONSULT_MAIL_BACKEND = "memory"
    CONSULT_PUBLIC_URL = "https://beteiligung.kreis.example"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    CONSULT_MAIL_BACKEND = os.environ.get("CONSULT_MAIL_BACKEND", "smtp")

    @classmethod
    def check(cls) -> None:
        missing = [
            name for name in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI") if not getattr(cls, name)
        ]
        missing = ["DATABASE_URL" if m.startswith("SQLALCHEMY") else m for m in missing]
        # E-mailed links would otherwise point at the development address.
        if not os.environ.get("CONSULT_PUBLIC_URL"):
            missing.append("CONSULT_PUBLIC_URL")
        if missing:
            raise RuntimeError(
                "Production needs these settings from the environment: " + ", ".join(missing)
            )


def config_from_environment() -> type[Config]:
    return ProductionConfig if os.environ.get("CONSULT_ENV") == "production" else Config

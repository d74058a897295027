"""consult: paragraph-by-paragraph public consultation on a county's draft policy."""

import secrets
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from consult.config import Config, ProductionConfig, config_from_environment

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    config = config or config_from_environment()
    if issubclass(config, ProductionConfig):
        config.check()
    app.config.from_object(config)
    app.config.update(overrides)
    _resolve_instance_defaults(app)
    _check_languages(app)
    if app.config.get("CONSULT_PROXY_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["CONSULT_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    _init_extensions(app)

    from consult.mail import mailer_from_config

    app.extensions["consult.mail"] = mailer_from_config(app.config)

    from consult import i18n

    i18n.init_app(app)

    from consult.web import errors, request_log, security, templating

    request_log.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)

    from consult.routes import (
        admin,
        answers,
        audit,
        auth,
        comments,
        contributions,
        drafts,
        exports,
        feedback,
        flags,
        glossary,
        glossary_admin,
        members,
        moderation,
        organisations,
        public,
        reading_aids,
        reports,
        results,
        revisions,
        staff_admin,
        transparency,
    )

    for module in (
        public,
        comments,
        contributions,
        flags,
        transparency,
        results,
        revisions,
        moderation,
        auth,
        organisations,
        members,
        staff_admin,
        audit,
        admin,
        drafts,
        answers,
        exports,
        reports,
        reading_aids,
        glossary,
        glossary_admin,
        feedback,
    ):
        app.register_blueprint(module.bp)

    from consult import cli

    cli.init_app(app)
    return app


def _resolve_instance_defaults(app: Flask) -> None:
    """Development defaults that live in the instance folder: the SQLite file and a secret key
    generated once, so `make run` needs no configuration and sessions survive a restart."""
    instance = Path(app.instance_path)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        instance.mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'consult.sqlite3'}"
    if not app.config.get("SECRET_KEY"):
        instance.mkdir(parents=True, exist_ok=True)
        key_file = instance / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
        app.config["SECRET_KEY"] = key_file.read_text().strip()


def _check_languages(app: Flask) -> None:
    from consult.i18n import LANGUAGES

    unknown = [code for code in app.config["LANGUAGES"] if code not in LANGUAGES]
    if unknown or not app.config["LANGUAGES"]:
        raise RuntimeError(
            f"CONSULT_LANGUAGES may only name {', '.join(LANGUAGES)}; got {unknown or 'nothing'}"
        )


def _init_extensions(app: Flask) -> None:
    from consult import models  # noqa: F401  (registers the mappers before anything queries)
    from consult.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate
    from consult.i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(MIGRATIONS_DIR.parent / "translations"),
    )
    htmx.init_app(app)
    limiter.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # Flask-Login's own flash would create a session for anyone who follows a staff link.
    login_manager.login_message = None
    login_manager.session_protection = "basic"

    from consult.routes.auth import unauthorized

    login_manager.unauthorized_handler(unauthorized)

    @login_manager.user_loader
    def load_user(session_id: str):
        from consult.models import Member
        from consult.services import organisations, staff

        if session_id.startswith(Member.SESSION_PREFIX):
            user = organisations.member_by_session_token(
                session_id.removeprefix(Member.SESSION_PREFIX)
            )
        else:
            user = staff.by_session_token(session_id)
        # A deactivated account loses its sessions at once, not at their next sign-in.
        return user if user is not None and user.active else None


@event.listens_for(Engine, "connect")
def _sqlite_connection_setup(dbapi_connection, connection_record):
    # pysqlite's own transaction handling breaks SAVEPOINTs and ignores foreign keys; take over
    # as SQLAlchemy's documentation recommends.
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")

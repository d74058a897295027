"""Shared fixtures: the app on SQLite (and PostgreSQL when CONSULT_TEST_DATABASE_URL is set),
a rollback-per-test database session, clients, a query counter and login helpers."""

import os
import re
import uuid
from contextlib import contextmanager

import flask_migrate
import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import event, orm

from consult import create_app
from consult.config import TestConfig
from consult.extensions import SESSION_OPTIONS
from consult.extensions import db as _db
from consult.models import Role
from tests.factories import make_staff

POSTGRES_URL = os.environ.get("CONSULT_TEST_DATABASE_URL")
DATABASES = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


def _postgres_schema_url(schema: str) -> tuple[str, dict]:
    # Each run gets its own schema, so the suite never touches existing data in that database.
    return POSTGRES_URL, {"connect_args": {"options": f"-csearch_path={schema}"}}


class FreshGlobalsClient(FlaskClient):
    """The `db` fixture keeps one app context open for the whole test, so Flask reuses it for
    every request; clearing `g` gives each request the fresh globals it has in production
    (the locale Flask-Babel caches, the signed-in user, the CSRF token)."""

    def open(self, *args, **kwargs):
        if has_app_context():
            vars(g).clear()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session", params=DATABASES)
def app(request, tmp_path_factory):
    """The application with a schema built by the real migrations."""
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        engine_options: dict = {}
    else:
        schema = f"consult_test_{uuid.uuid4().hex[:10]}"
        url, engine_options = _postgres_schema_url(schema)
        admin_engine = sa.create_engine(url)
        with admin_engine.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        admin_engine.dispose()
    application = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS=engine_options
    )
    application.config["TEST_DATABASE"] = request.param
    application.test_client_class = FreshGlobalsClient
    with application.app_context():
        flask_migrate.upgrade(directory=str(_migrations_dir()))
        _db.engine.dispose()
    yield application
    with application.app_context():
        _db.engine.dispose()
    if schema:
        admin_engine = sa.create_engine(url)
        with admin_engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin_engine.dispose()


def _migrations_dir():
    from consult import MIGRATIONS_DIR

    return MIGRATIONS_DIR


@pytest.fixture
def db(app):
    """A session whose every commit is a SAVEPOINT inside one transaction rolled back at the
    end of the test, so tests never see each other's data."""
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        original_session = _db.session
        _db.session = orm.scoped_session(
            orm.sessionmaker(
                bind=connection, join_transaction_mode="create_savepoint", **SESSION_OPTIONS
            )
        )
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original_session
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app, db):
    return app.test_client()


class HtmxClient:
    """A test client that sends HX-Request like htmx does."""

    def __init__(self, client):
        self._client = client

    def __getattr__(self, name):
        method = getattr(self._client, name)
        if name not in {"get", "post", "put", "delete", "patch"}:
            return method

        def with_htmx(*args, headers=None, **kwargs):
            return method(*args, headers={"HX-Request": "true", **(headers or {})}, **kwargs)

        return with_htmx


@pytest.fixture
def hx(client):
    return HtmxClient(client)


class QueryCounter:
    IGNORED = re.compile(r"^\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)", re.IGNORECASE)

    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not self.IGNORED.match(statement):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(db):
    """`with count_queries() as counter: ...` then `counter.count`."""

    @contextmanager
    def counting():
        counter = QueryCounter()
        engine = _db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return counting


CSRF_INPUT = re.compile(r'name="(?:[\w-]+-)?csrf_token"[^>]*value="([^"]+)"')


def html(response) -> str:
    return response.get_data(as_text=True)


def csrf_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


@pytest.fixture
def csrf_token(client):
    """Fetch a page with a form and return its CSRF token (this starts the session)."""

    def fetch(url: str) -> str:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return csrf_from(response.get_data(as_text=True))

    return fetch


@pytest.fixture
def login(client):
    """Sign a staff user or an organisation's member in without the cost of an argon2
    verification."""

    def sign_in(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return sign_in


@pytest.fixture
def admin(login):
    """An administrator, signed in."""
    return login(make_staff(role=Role.ADMIN))


@pytest.fixture
def outbox(app):
    """The memory mail backend's sent messages, empty at the start of the test."""
    mailer = app.extensions["consult.mail"]
    mailer.outbox.clear()
    return mailer.outbox

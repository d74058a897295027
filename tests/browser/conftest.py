"""Real Chromium (Debian's /usr/bin/chromium through Playwright) against a live server.

The live server runs in a thread on its own SQLite file; tests seed it through the factories
and commit, so the browser sees exactly what a reader would."""

import os
import threading
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import flask_migrate
import pytest
from werkzeug.serving import make_server

from consult import MIGRATIONS_DIR, create_app
from consult.config import TestConfig
from consult.extensions import db

CHROMIUM = Path("/usr/bin/chromium")
# Without these flags Chromium phones home at start-up; on a closed network that only adds noise.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_SOURCE = Path(__file__).with_name("axe-4.14.1.min.js").read_text()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = "Chromium is not installed at /usr/bin/chromium (see scripts/ensure-browser)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def migrated_app(database: Path, **overrides):
    """A live server's app on its own SQLite file, built by the real migrations."""
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}", **overrides)
    with app.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
    return app


@contextmanager
def serving(app):
    """The app on a free port in a thread, for as long as the block runs; yields its URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def committing_seed(app):
    """`with seed(): make_document(...)` commits what the block created for the live server."""

    @contextmanager
    def committing():
        with app.app_context():
            yield db.session
            db.session.commit()

    return committing


def live_query(app):
    """Run a read in the live server's database, e.g. to check what a browser action stored."""

    def run(function):
        with app.app_context():
            return function(db.session)

    return run


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    return migrated_app(tmp_path_factory.mktemp("live") / "live.sqlite3")


@pytest.fixture(scope="session")
def live_url(live_app):
    with serving(live_app) as url:
        yield url


@pytest.fixture
def seed(live_app):
    return committing_seed(live_app)


@pytest.fixture
def query_live(live_app):
    return live_query(live_app)


@contextmanager
def loopback_only_page(browser, javascript: bool):
    """A fresh browser context whose page may only talk to this machine; the test fails if
    anything on the page asked another host."""
    context = browser.new_context(locale="de-DE", java_script_enabled=javascript)
    left_loopback: list[str] = []

    def only_loopback(route):
        host = urllib.parse.urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost", None):
            return route.continue_()
        left_loopback.append(route.request.url)
        return route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert left_loopback == [], f"requests to other hosts: {left_loopback}"


@pytest.fixture
def page(browser):
    with loopback_only_page(browser, javascript=True) as page:
        yield page


@pytest.fixture
def page_without_js(browser):
    with loopback_only_page(browser, javascript=False) as page:
        yield page


@pytest.fixture
def axe():
    """Run axe-core (WCAG 2.1 A and AA rules) on the current page; returns the violations."""

    def check(page, context_selector: str | None = None):
        # Injected <script> tags are refused by our CSP (as they should be); evaluating through
        # the DevTools protocol is not subject to it.
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(AXE_SOURCE)
        return page.evaluate(
            """async (selector) => {
                const result = await axe.run(selector || document, {
                    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                });
                return result.violations.map(v => ({
                    id: v.id, impact: v.impact,
                    nodes: v.nodes.slice(0, 3)
                        .map(n => n.target.join(" ") + " :: " + n.failureSummary),
                }));
            }""",
            context_selector,
        )

    return check

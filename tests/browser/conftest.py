"""Real Chromium (Debian's /usr/bin/chromium through Playwright) against a live server.

The live server runs in a thread on its own SQLite file; tests seed it through the factories
and commit, so the browser sees exactly what a reader would."""

import os
import re
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
from consult.i18n import LANGUAGES
from tests.pages import PAGES, build_world

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


NOT_LOOPBACK = re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/])")


@contextmanager
def loopback_only_page(browser, javascript: bool, cookies=(), **context_options):
    """A fresh browser context whose page may only talk to this machine; the test fails if
    anything on the page asked another host. `cookies` are set before the first request."""
    context = browser.new_context(locale="de-DE", java_script_enabled=javascript, **context_options)
    if cookies:
        context.add_cookies(list(cookies))
    left_loopback: list[str] = []

    def only_loopback(route):
        host = urllib.parse.urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost", None):
            return route.continue_()
        left_loopback.append(route.request.url)
        return route.abort()

    # Only what does not go to this machine is routed through Python: passing every request
    # through the handler costs a fifth of each page load.
    context.route(NOT_LOOPBACK, only_loopback)
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


# What axe checked in this run, for the summary line at the end: the axe-core version and
# (page, locale, state) for every check a test named.
AXE_LEDGER: dict = {"version": None, "checks": []}


@pytest.fixture
def axe():
    """Run axe-core (WCAG 2.1 A and AA rules) on the current page; returns the violations.
    `name`, `locale` and `state` put the check into the run's summary."""

    def check(page, context_selector: str | None = None, *, name=None, locale=None, state=None):
        # Injected <script> tags are refused by our CSP (as they should be); evaluating through
        # the DevTools protocol is not subject to it.
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(AXE_SOURCE)
        if AXE_LEDGER["version"] is None:
            AXE_LEDGER["version"] = page.evaluate("() => axe.version")
        if name:
            AXE_LEDGER["checks"].append((name, locale, state or "page"))
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


def pytest_terminal_summary(terminalreporter):
    checks = AXE_LEDGER["checks"]
    if not checks:
        return
    catalogue = {(entry.name, "page") for entry in PAGES}
    pages = [(name, locale) for name, locale, state in checks if (name, state) in catalogue]
    states = [
        (name, state, locale) for name, locale, state in checks if (name, state) not in catalogue
    ]

    def locales(rows):
        return ", ".join(sorted({row[-1] for row in rows}))

    terminalreporter.write_line(
        f"axe-core {AXE_LEDGER['version']} (wcag2a, wcag2aa, wcag21a, wcag21aa), "
        f"{len(checks)} checks: {len({name for name, _ in pages})} catalogue pages x "
        f"{len({locale for _, locale in pages})} locales ({locales(pages)}) + "
        f"{len({row[:2] for row in states})} states x {len({row[2] for row in states})} "
        f"locales ({locales(states)})"
    )


# --- the page catalogue (tests/pages.py) on a live server in all seven languages -------------

SEVEN_LANGUAGES = ["de", "en", "ar", "tr", "uk", "ru", "fa"]


@pytest.fixture(scope="session")
def catalogue_app(tmp_path_factory):
    return migrated_app(
        tmp_path_factory.mktemp("catalogue") / "live.sqlite3", LANGUAGES=SEVEN_LANGUAGES
    )


@pytest.fixture(scope="session")
def catalogue_url(catalogue_app):
    with serving(catalogue_app) as url:
        yield url


@pytest.fixture(scope="session")
def world(catalogue_app):
    """The catalogue's world, seeded once. Tests that change things seed their own rows."""
    with committing_seed(catalogue_app)():
        return build_world()


def session_cookies(app, url: str, data: dict) -> list[dict]:
    """The signed session cookie holding `data` (a sign-in, a report made), as a browser
    context takes it; none for a reader, who gets no cookie."""
    if not data:
        return []
    value = app.session_interface.get_signing_serializer(app).dumps(data)
    return [{"name": app.config["SESSION_COOKIE_NAME"], "value": value, "url": url}]


def by_session(pages):
    """The catalogue's pages grouped by the session they need, one browser context each."""
    groups: dict = {}
    for entry in pages:
        groups.setdefault((entry.who, entry.state), []).append(entry)
    return list(groups.values())


@pytest.fixture
def visit_as(browser, catalogue_app, catalogue_url, world):
    """`with visit_as(catalogue_page) as page:` a fresh context with the session that catalogue
    page needs (signed in, a report made ...); extra keyword arguments go to the context."""

    @contextmanager
    def opening(entry, javascript=True, **context_options):
        cookies = session_cookies(catalogue_app, catalogue_url, entry.session(world))
        with loopback_only_page(browser, javascript, cookies, **context_options) as page:
            yield page

    return opening


def console_errors(page) -> list[str]:
    """Collects the page's console errors and uncaught exceptions from now on."""
    errors: list[str] = []

    def on_console(message):
        if message.type == "error":
            errors.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    return errors


def load_problems(page, entry, url: str, errors: list[str]) -> dict:
    """Opens a catalogue page and returns what is wrong with it (empty when nothing): status,
    <html lang> and dir, the direction the page is laid out in, console errors. `errors` comes
    from console_errors(page) and is emptied for the next page."""
    code = urllib.parse.urlsplit(url).path.split("/")[1]
    response = page.goto(url)
    lang, direction, laid_out = page.evaluate(
        """() => [document.documentElement.lang, document.documentElement.dir,
                  getComputedStyle(document.body).direction]"""
    )
    expected = LANGUAGES[code].direction
    # Chromium logs the status of a page answered with 404 or 403 as an error; that is no fault.
    logged = [
        error
        for error in errors
        if entry.status == 200 or not (error.startswith("Failed to load resource") and url in error)
    ]
    errors.clear()
    found = {
        "status": response.status,
        "lang": lang,
        "dir": direction,
        "laid out": laid_out,
        "console": logged,
    }
    wanted = {
        "status": entry.status,
        "lang": code,
        "dir": expected,
        "laid out": expected,
        "console": [],
    }
    return {key: value for key, value in found.items() if value != wanted[key]}

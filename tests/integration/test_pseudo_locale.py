"""Pseudo-localisation: every word a page shows comes through the catalog.

At test time the messages are extracted from the source (what `make translations` writes into
translations/messages.pot) and compiled into a pseudo catalog in which every msgstr is its
msgid between ⟦ and ⟧, placeholders and plural forms kept. It is served as "en", an enabled
language, so no code changes for the test. Every page of tests/pages.py (plus the few extra
states in EXTRA_PAGES) is then rendered on a world whose content is German, and any visible
text outside the markers fails the test unless it is the world's own content (everything in
the database or the configuration), a number or date (CLDR's words for "en"), a language's
native name, or one of the NAMES below. A string that is hard-coded, or passed to gettext
without a msgid the catalog can ever hold (`_(variable)`), shows up unmarked.

Attributes people perceive are checked the same way: title, aria-label, placeholder, alt,
label, the value of a submit button, and the data attributes app.js speaks or shows. The
e-mails are checked too.

To check a new page, add it to tests/pages.py (every page should be there anyway), or a state
of a page to EXTRA_PAGES here.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import flask_wtf.i18n
import lxml.html
import pytest
import sqlalchemy as sa
from babel import Locale
from babel.dates import format_timedelta
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import g
from flask_babel import get_babel
from wtforms.i18n import messages_path as wtforms_messages_path

from consult.extensions import babel
from consult.extensions import db as _db
from consult.i18n import LANGUAGES
from consult.models import Role
from consult.models.types import utcnow
from consult.web.mail import render_message
from tests.conftest import csrf_from
from tests.pages import ADMIN, MODERATOR, PAGES, READER, World, build_world

ROOT = Path(__file__).resolve().parents[2]
OPEN, CLOSE = "⟦", "⟧"
PSEUDO = "en"

# Pages other helpers are still building; the lead removes an entry once its page is done.
NOT_YET_CHECKED = ("glossary", "easy", "leichte", "accessibility", "reading", "plain")


@dataclass(frozen=True)
class ExtraPage:
    """A state tests/pages.py does not list: an HTMX fragment, another error page."""

    name: str
    path: Callable[[World], str]  # after the language prefix
    who: str = READER
    status: int = 200
    htmx: bool = False
    # Sent (with the CSRF token of the page at the same address) to show the form's errors.
    form: dict | None = None


EXTRA_PAGES = [
    ExtraPage(
        "not allowed (moderator on an admin page)",
        lambda w: "/admin/consultations/",
        who=MODERATOR,
        status=403,
    ),
    ExtraPage("thread fragment", lambda w: f"/c/{w.open_slug}/p/1.1", htmx=True, who=READER),
    ExtraPage("comment form fragment", lambda w: f"/c/{w.open_slug}/p/1.1/comment", htmx=True),
    ExtraPage(
        "report form fragment",
        lambda w: f"/c/{w.open_slug}/comments/{w.statement_id}/flag",
        htmx=True,
    ),
    ExtraPage(
        "page not found fragment", lambda w: "/c/no-such-consultation/", status=404, htmx=True
    ),
    ExtraPage(
        "comment form with errors",
        lambda w: f"/c/{w.open_slug}/p/1.1/comment",
        status=422,
        form={"text": ""},
    ),
    ExtraPage(
        "comment form with errors, fragment",
        lambda w: f"/c/{w.open_slug}/p/1.1/comment",
        status=422,
        form={"text": "x" * 6000, "kind": "nonsense"},
        htmx=True,
    ),
    ExtraPage(
        "report form with errors",
        lambda w: f"/c/{w.open_slug}/comments/{w.statement_id}/flag",
        status=422,
        form={},
    ),
    ExtraPage(
        "answers workspace, unanswered filter",
        lambda w: f"/admin/consultations/{w.evaluation_id}/answers?unanswered=yes&group=individual",
        who=ADMIN,
    ),
]


# --- the pseudo catalog ------------------------------------------------------------------


def wrap(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}"


def pseudo_catalog(template: Catalog) -> Catalog:
    catalog = Catalog(locale=PSEUDO)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            singular, plural = message.id
            string = tuple(
                wrap(singular if form == 0 else plural) for form in range(catalog.num_plurals)
            )
        else:
            string = wrap(message.id)
        catalog.add(message.id, string, context=message.context, flags=message.flags)
    return catalog


def compile_into(directory: Path, domain: str, template: Catalog) -> None:
    target = directory / PSEUDO / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with (target / f"{domain}.mo").open("wb") as handle:
        write_mo(handle, pseudo_catalog(template))


@pytest.fixture(scope="module")
def pseudo_translations(tmp_path_factory) -> Path:
    """consult's messages, freshly extracted, and WTForms' own ("Not a valid choice."), which
    Flask-WTF looks up in the wtforms domain."""
    directory = tmp_path_factory.mktemp("pseudo-translations")
    pot = directory / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            str(ROOT),
        ]
    )
    with pot.open("rb") as handle:
        compile_into(directory, "messages", read_po(handle))
    with (Path(wtforms_messages_path()) / "wtforms.pot").open("rb") as handle:
        compile_into(directory, "wtforms", read_po(handle))
    return directory


@pytest.fixture
def pseudo_english(app, pseudo_translations, monkeypatch):
    """Serve the pseudo catalog as "en" for this test only. Flask-Babel keeps loaded catalogs
    in one cache shared by every app, so the test gets a cache of its own."""
    monkeypatch.setattr(get_babel(app), "translation_directories", [str(pseudo_translations)])
    monkeypatch.setattr(babel.domain_instance, "cache", {})
    monkeypatch.setattr(flask_wtf.i18n, "messages_path", lambda: str(pseudo_translations))


def test_the_pseudo_catalog_marks_translated_text(client, pseudo_english):
    page = client.get(f"/{PSEUDO}/privacy").get_data(as_text=True)
    assert wrap("Privacy notice") in page
    assert "Datenschutz" not in page


# --- what may appear unmarked ------------------------------------------------------------

# Codes, slugs and other identifiers are never shown as text; counting them as the world's
# content would hide an enum value printed raw ("approved").
IDENTIFIER = re.compile(r"[a-z0-9_.:/-]*")
SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def database_texts() -> list[str]:
    """Every string the world stored (titles, draft text, comments, names, e-mail addresses)."""
    texts = set()
    for table in _db.metadata.sorted_tables:
        columns = [
            column
            for column in table.columns
            if isinstance(column.type, sa.String | sa.Text) and not isinstance(column.type, sa.Enum)
        ]
        if not columns:
            continue
        for row in _db.session.execute(sa.select(*columns)):
            for value in row:
                if isinstance(value, str):
                    for line in value.split("\n"):
                        line = normalise(line.lstrip("- "))
                        if len(line) > 2 and not IDENTIFIER.fullmatch(line):
                            texts.add(line)
    return sorted(texts, key=len, reverse=True)


def cldr_words(code: str) -> set[str]:
    """The words Babel's dates and durations use: month and day names, AM/PM, "3 days ago"."""
    locale = Locale.parse(code)
    words = set()
    for table in (locale.months, locale.days, locale.quarters):
        for widths in table.values():
            for names in widths.values():
                words.update(names.values())
    for widths in locale.day_periods.values():
        for names in widths.values():
            words.update(names.values())
    for unit in ("second", "minute", "hour", "day", "week", "month", "year"):
        for amount in (1, 2):
            for sign in (1, -1):
                phrase = format_timedelta(
                    sign * amount * _SECONDS[unit], threshold=1, locale=locale, add_direction=True
                )
                words.update(re.findall(r"[^\W\d_]+", phrase))
    return words


_SECONDS = {
    "second": 1,
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "week": 7 * 86400,
    "month": 30 * 86400,
    "year": 365 * 86400,
}


# Names that are the same in every language: the brand, file formats, "Leichte Sprache" (the
# German name of the plain-language offer BITV 2.0 asks every page to link to) and "Kurz
# erklärt" (the name of a chapter's plain German summary, shown with a translated "In short").
NAMES = ["consult", "PDF", "DOCX", "XLSX", "CSV", "JSON", "Leichte Sprache", "Kurz erklärt"]
# A web address or path shown as text.
ADDRESS = re.compile(r"(?:https?://|/)\S*")


class Allowed:
    def __init__(self, app, texts: list[str]):
        config_texts = [
            value
            for key, value in app.config.items()
            if key.startswith("CONSULT_")
            and isinstance(value, str)
            and re.search(r"[ @]|://", value)
        ]
        pieces = texts + config_texts
        pieces += [lang.native_name for lang in LANGUAGES.values()]
        # CLDR's names of languages, as Babel gives them in the reader's language.
        pieces += list(Locale.parse(PSEUDO).languages.values())
        pieces += NAMES
        self.everything = "\n".join(texts + config_texts)
        words = sorted(cldr_words(PSEUDO), key=len, reverse=True)
        self.known = re.compile(
            "|".join(re.escape(piece) for piece in sorted(pieces, key=len, reverse=True))
        )
        self.words = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")

    def leftover(self, text: str) -> str:
        """What remains of unmarked text once the world's content, dates and numbers are gone;
        "" when nothing of it needed the catalog."""
        text = normalise(text)
        if not re.search(r"[^\W\d_]", text) or ADDRESS.fullmatch(text):
            return ""
        # A fragment of a stored text (a paragraph's block, a list item, a word diff's part).
        fragment = re.sub(r"^\W+|\W+$", "", text)
        if re.search(r"(?<!\w)" + re.escape(fragment) + r"(?!\w)", self.everything):
            return ""
        rest = self.words.sub(" ", self.known.sub(" ", text))
        return normalise(text) if re.search(r"[^\W\d_]", rest) else ""


# --- reading a page ----------------------------------------------------------------------

INVISIBLE = {"script", "style", "template"}
VERBATIM = {"kbd", "code", "samp"}
PERCEIVED_ATTRIBUTES = (
    "title",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "placeholder",
    "alt",
    "label",
    "data-announce",
    "data-busy-text",
    "data-error-message",
    "data-reject-prompt",
)


def text_runs(root) -> list[str]:
    """The page's visible text in document order, cut into the runs that lie outside every
    ⟦…⟧ (a translated sentence may contain a link, so a run can span elements). Keys, codes
    and identifiers (kbd, code, samp, translate="no") are left out."""
    runs, current, depth = [], [], 0

    def feed(text):
        nonlocal depth
        for char in text:
            if char == OPEN:
                if depth == 0 and current:
                    runs.append("".join(current))
                    current.clear()
                depth += 1
            elif char == CLOSE:
                depth = max(0, depth - 1)
            elif depth == 0:
                current.append(char)

    def walk(element):
        if not isinstance(element.tag, str):  # comments, processing instructions
            if element.tail:
                feed(element.tail)
            return
        verbatim = element.tag in VERBATIM or element.get("translate") == "no"
        if element.tag not in INVISIBLE and not verbatim:
            if element.text:
                feed(element.text)
            for child in element:
                walk(child)
        if element.tail:
            feed(element.tail)
        # An element's end ends a run, so that unrelated pieces of text are reported apart.
        if depth == 0 and current:
            runs.append("".join(current))
            current.clear()

    walk(root)
    if current:
        runs.append("".join(current))
    return runs


def attribute_texts(root) -> list[tuple[str, str]]:
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in PERCEIVED_ATTRIBUTES:
            value = element.get(name)
            if value:
                found.append((name, value))
        button = element.tag == "input" and element.get("type") in {"submit", "button", "reset"}
        if button and element.get("value"):
            found.append(("value", element.get("value")))
    return found


def unmarked(html: str, allowed: Allowed, unchecked: str | None = None) -> list[str]:
    document = lxml.html.fromstring(html)
    root = document.getroottree().getroot()
    for part in root.xpath(unchecked) if unchecked else ():
        part.drop_tree()
    problems = []
    for run in text_runs(root):
        rest = allowed.leftover(run)
        if rest:
            problems.append(repr(rest))
    for name, value in attribute_texts(root):
        outside = re.sub(f"{OPEN}[^{CLOSE}]*{CLOSE}", " ", value)
        rest = allowed.leftover(outside)
        if rest:
            problems.append(f"{name}={rest!r}")
    return problems


# --- the pages ---------------------------------------------------------------------------


# Parts of a page that show recorded identifiers, not sentences, and why they are accepted.
UNCHECKED_PARTS = {
    # An event's details are stored as key/value pairs of the service that recorded it
    # ("expires_at", "reason": "spam"); the action and the subject above them are translated.
    "audit log": '//dl[contains(@class, "audit-details")]',
}


def checked_pages(world: World):
    for page in PAGES:
        if page.rule and any(word in page.rule for word in NOT_YET_CHECKED):
            continue
        yield ExtraPage(page.name, page.path, status=page.status), page.session(world)
    for extra in EXTRA_PAGES:
        yield extra, world.session_for(extra.who)


def fetch(client, page: ExtraPage, path: str):
    headers = {"HX-Request": "true"} if page.htmx else {}
    if page.form is None:
        return client.get(path, headers=headers)
    token = csrf_from(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **page.form}, headers=headers)


def test_every_page_speaks_only_through_the_catalog(app, client, pseudo_english):
    world = build_world()
    allowed = Allowed(app, database_texts())
    failures = []
    for page, session_data in checked_pages(world):
        name, path, status = page.name, f"/{PSEUDO}{page.path(world)}", page.status
        with client.session_transaction() as session:
            session.clear()
            session.update(session_data)
        response = fetch(client, page, path)
        if response.status_code != status:
            failures.append(f"{name} {path}: status {response.status_code}, expected {status}")
            continue
        problems = unmarked(response.get_data(as_text=True), allowed, UNCHECKED_PARTS.get(name))
        if problems:
            failures.append(f"{name} {path}:\n    " + "\n    ".join(problems))
    assert not failures, "text that did not come through the catalog:\n" + "\n".join(failures)


def test_the_check_finds_hard_coded_text(app, db):
    allowed = Allowed(app, ["Abendkurse wären wichtig."])
    page = (
        "<html><body><h1>⟦Comments⟧</h1><p>Abendkurse wären wichtig.</p>"
        "<p>⟦Read <a href='#'>the rules</a> first.⟧</p><p>12 January 2027, 3 days ago</p>"
        "<button title='Close'>⟦Send⟧</button><input type='submit' value='Save'>"
        "<script>var x = 'ignored';</script><p>Deutsch · English</p><p>Status: open</p>"
        "</body></html>"
    )
    assert unmarked(page, allowed) == ["'Status: open'", "title='Close'", "value='Save'"]


def test_pseudo_catalog_keeps_placeholders_and_plurals(pseudo_translations):
    with (pseudo_translations / "messages.pot").open("rb") as handle:
        one, many = next(m.id for m in read_po(handle) if isinstance(m.id, tuple))
    with (pseudo_translations / PSEUDO / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        translations = Translations(io.BufferedReader(handle))
    assert translations.ngettext(one, many, 1) == wrap(one)
    assert translations.ngettext(one, many, 3) == wrap(many)


MAILS = {
    "private_link": {"link": "https://beteiligung.kreis.example/en/my/abc"},
    "invitation": {
        "organisation": {"name": "Migrationsberatung Siegerland e. V."},
        "operator": "Kreis Siegen-Wittgenstein",
        "link": "https://beteiligung.kreis.example/en/members/join/abc",
    },
    "staff_invitation": {
        "name": "Neue Kollegin",
        "operator": "Kreis Siegen-Wittgenstein",
        "invited_by": "Verwaltung",
        "role": Role.MODERATOR,
        "link": "https://beteiligung.kreis.example/en/staff/join/abc",
    },
    "results_published": {
        "consultation": {"title": "Integrationskonzept des Kreises 2027"},
        "results_link": "https://beteiligung.kreis.example/en/c/kim/results",
        "document_link": "https://beteiligung.kreis.example/en/c/kim/",
    },
    "accessibility_feedback": {
        "feedback": {
            "text": "Der Knopf ist mit der Bildschirmlupe nicht zu finden.",
            "page": "https://beteiligung.kreis.example/ar/c/kim/p/1.1",
            "reply_to": "leserin@example.org",
            "language": "ar",
        },
        "response_weeks": 4,
    },
}


def test_every_mail_speaks_only_through_the_catalog(app, db, pseudo_english):
    templates = {path.stem for path in (ROOT / "consult" / "templates" / "mail").glob("*.txt")}
    assert templates == MAILS.keys(), "add the new e-mail's context to MAILS"
    allowed = Allowed(app, [name for context in MAILS.values() for name in _strings(context)])
    failures = []
    for template, context in MAILS.items():
        with app.test_request_context(f"/{PSEUDO}/"):
            g.lang = PSEUDO
            message = render_message(
                "someone@example.org", template, expires_at=utcnow() + timedelta(days=7), **context
            )
        for line in [message.subject, *message.body.splitlines()]:
            rest = allowed.leftover(re.sub(f"{OPEN}[^{CLOSE}]*{CLOSE}", " ", line))
            if rest:
                failures.append(f"{template}: {rest!r}")
    assert not failures


def _strings(context) -> list[str]:
    values = context.values() if isinstance(context, dict) else [context]
    found = []
    for value in values:
        if isinstance(value, dict):
            found += _strings(value)
        elif isinstance(value, str):
            found.append(value)
    return found

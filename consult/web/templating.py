"""Template helpers: filters for the draft's text, dates, and the permission booleans of the
page frame (templates never decide permissions themselves)."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from babel.dates import get_datetime_format
from flask import Flask, g, request, url_for
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_time,
    format_timedelta,
    get_locale,
    gettext,
)
from flask_login import current_user
from markupsafe import escape

from consult import permissions, redaction
from consult.diff import word_diff
from consult.i18n import LANGUAGES
from consult.models.types import utcnow
from consult.services.targets import target_of
from consult.web.glossary import glossary_marker, glossary_notes, language_direction


@dataclass(frozen=True)
class TextBlock:
    kind: str  # "p", "ul" or "ol"
    lines: list[str]
    # The first number of a numbered list, which an imported document may continue.
    start: int = 1


_NUMBERED_ITEM = re.compile(r"(\d{1,3})[.)]\s+(.*)")


def text_blocks(text: str) -> list[TextBlock]:
    """Split a paragraph's plain text into text blocks and lists.

    The draft is stored as plain text: a blank line starts a new block, a block whose lines
    all start with "- " is a bulleted list, and one whose lines all start with a number and a
    full stop ("1. ") is a numbered list. Nothing else is interpreted, so no markup can get in.
    """
    blocks = []
    for raw in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in raw.strip().split("\n") if line.strip()]
        if not lines:
            continue
        numbered = [_NUMBERED_ITEM.fullmatch(line) for line in lines]
        if all(line.startswith("- ") for line in lines):
            blocks.append(TextBlock("ul", [line[2:].strip() for line in lines]))
        elif all(numbered):
            start = int(numbered[0].group(1))
            blocks.append(TextBlock("ol", [m.group(2).strip() for m in numbered], start))
        else:
            blocks.append(TextBlock("p", [" ".join(lines)]))
    return blocks


def line_blocks(text: str) -> list[TextBlock]:
    """Text blocks for Leichte Sprache, where each sentence stands on a line of its own: a
    text block keeps its lines, and a list may follow its lead-in line within the same block
    ("Das steht im Plan:" then "- ..." lines). Two or more lines starting "1. ", "2. " make a
    numbered list; a single one stays text, because a line may well start with a date."""
    blocks = []
    for raw in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in raw.split("\n") if line.strip()]
        kinds = ["ul" if line.startswith("- ") else "p" for line in lines]
        for i, line in enumerate(lines):
            numbered_neighbour = any(
                0 <= j < len(lines) and _NUMBERED_ITEM.fullmatch(lines[j]) for j in (i - 1, i + 1)
            )
            if _NUMBERED_ITEM.fullmatch(line) and numbered_neighbour:
                kinds[i] = "ol"
        runs: list[tuple[str, list[str]]] = []
        for kind, line in zip(kinds, lines, strict=True):
            if runs and runs[-1][0] == kind:
                runs[-1][1].append(line)
            else:
                runs.append((kind, [line]))
        for kind, run in runs:
            if kind == "ul":
                blocks.append(TextBlock("ul", [line[2:].strip() for line in run]))
            elif kind == "ol":
                numbered = [_NUMBERED_ITEM.fullmatch(line) for line in run]
                items = [m.group(2).strip() for m in numbered]
                blocks.append(TextBlock("ol", items, int(numbered[0].group(1))))
            else:
                blocks.append(TextBlock("p", run))
    return blocks


def language_name(code: str) -> str:
    lang = LANGUAGES.get(code)
    return lang.native_name if lang else code


def switch_language_url(code: str) -> str:
    """The current page in another language; falls back to the start page for POST-only URLs."""
    rule = request.url_rule
    if (
        request.endpoint
        and rule is not None
        and "GET" in (rule.methods or ())
        and ("lang" in rule.arguments)
    ):
        url = url_for(request.endpoint, **{**(request.view_args or {}), "lang": code})
        # Query parameters are appended verbatim, never handed to url_for: names such as
        # _method or _external would change what url_for builds.
        query = urlencode(list(request.args.items(multi=True)))
        return f"{url}?{query}" if query else url
    return url_for("public.index", lang=code)


def field_aria(field) -> dict[str, str]:
    """aria-describedby for a field's hint and error, aria-invalid when it has errors."""
    described_by = []
    if field.description:
        described_by.append(f"{field.id}-hint")
    if field.errors:
        described_by.append(f"{field.id}-error")
    attributes = {}
    if described_by:
        attributes["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attributes["aria-invalid"] = "true"
    return attributes


@dataclass(frozen=True)
class FieldError:
    anchor: str  # the id of the element the summary's link moves focus to
    message: str


def invalid_fields(form) -> list[FieldError]:
    """The error summary's entries, in form order. A radio group has no element with the
    field's own id, so its link goes to the first option. The CSRF field never shows."""
    entries = []
    for field in form:
        if not field.errors or field.type == "CSRFTokenField":
            continue
        anchor = f"{field.id}-0" if field.type == "RadioField" else field.id
        entries.extend(FieldError(anchor, message) for message in field.errors)
    return entries


# On the document page a paragraph's heading is h3, a chapter's h2 and the draft's title h1: a
# thread or form opened inline under them continues the outline one level deeper.
_INLINE_HEADING_LEVEL = {"paragraph": 4, "chapter": 3, "draft": 2}


def inline_heading_level(target) -> int:
    return _INLINE_HEADING_LEVEL[target.kind]


def deadline(value) -> str:
    """A date people plan by: the long date and the time to the minute, in the county's zone
    ("6. Januar 2027, 23:59"), without the seconds that Babel's long datetime adds. The two
    are joined as the locale joins them (Farsi: "6 ژانویهٔ 2027، ساعت 23:59")."""
    joined = get_datetime_format("long", locale=get_locale()).replace("'", "")
    return joined.replace("{1}", format_date(value, "long")).replace(
        "{0}", format_time(value, "short")
    )


class LocalNumber(int):
    """A count that prints in the reader's locale ("10.000" in German, "10,000" in English,
    "10 000" in Russian) and still is the number: `{% trans count=total|number %}` chooses the
    plural form by its value and shows it formatted, so the catalog's msgids stay as they are.
    Python's "%d" ignores this; messages showing a count use "%(name)s"."""

    text: str

    def __new__(cls, value: int, text: str):
        instance = super().__new__(cls, value)
        instance.text = text
        return instance

    def __str__(self) -> str:
        return self.text

    def __format__(self, spec: str) -> str:
        return self.text if not spec else super().__format__(spec)

    def __html__(self) -> str:
        return str(escape(self.text))


def number(value):
    """Digits grouped as the reader's locale groups them, in Latin digits as Babel writes them
    (and as it writes dates, so a page never mixes two kinds of digits)."""
    if value is None:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return LocalNumber(value, format_decimal(value))
    return format_decimal(value)


def comment_text(text: str):
    """A comment's published text, with "[removed: personal data]" in the reader's language
    wherever a moderator redacted a passage."""
    return redaction.as_html(text, gettext("[removed: personal data]"))


def age(moment) -> str:
    """How long ago, as a moderator weighs it: "3 days ago"."""
    return format_timedelta(moment - g.setdefault("now", utcnow()), add_direction=True)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["age"] = age
    app.jinja_env.filters["comment_text"] = comment_text
    app.jinja_env.filters["text_blocks"] = text_blocks
    app.jinja_env.filters["line_blocks"] = line_blocks
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt)
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt)
    app.jinja_env.filters["deadline"] = deadline
    app.jinja_env.filters["number"] = number
    app.jinja_env.globals["switch_language_url"] = switch_language_url
    app.jinja_env.globals["field_aria"] = field_aria
    app.jinja_env.globals["invalid_fields"] = invalid_fields
    app.jinja_env.globals["word_diff"] = word_diff
    # The target of a comment whose consultation, chapter and paragraph are already loaded.
    app.jinja_env.globals["target_of"] = target_of
    # Marks the glossary's terms in the draft; loads the glossary once per request.
    app.jinja_env.globals["glossary_marker"] = glossary_marker
    app.jinja_env.globals["glossary_notes"] = glossary_notes
    app.jinja_env.filters["language_direction"] = language_direction
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def frame_context():
        return {
            "nav_can_moderate": permissions.can_moderate(current_user),
            "nav_is_staff": permissions.is_staff(current_user),
            "nav_can_manage_consultations": permissions.can_manage_consultations(current_user),
            "nav_can_manage_organisations": permissions.can_manage_organisations(current_user),
            "nav_can_manage_staff": permissions.can_manage_staff(current_user),
            "nav_can_view_audit_log": permissions.can_view_audit_log(current_user),
            # The member's organisation is loaded with the account (member_by_session_token).
            "nav_member_organisation": (
                current_user.organisation.name if permissions.is_member(current_user) else None
            ),
            # Only pages that already hold a CSRF token (a form was built) expose it to HTMX,
            # so that reading never creates a session cookie.
            "csrf_in_use": "csrf_token" in g or current_user.is_authenticated,
            # One clock per request, so a page never says "open" and "closed" at once.
            "now": g.setdefault("now", utcnow()),
        }

"""The words an export is written in: column headers, labels and notes, translated once per
file into the language of the person exporting (the data itself stays as written)."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _

from consult.i18n import LANGUAGES
from consult.models import CommentKind, Recommendation, StakeholderGroup
from consult.services.numbering import Part

# Right-to-left scripts a comment may be written in, beyond the interface's own languages.
_RIGHT_TO_LEFT = {"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv", "sd", "ug"}


@dataclass(frozen=True)
class Vocabulary:
    locale: str  # the language of the labels, e.g. "de"
    headers: Mapping[str, str]  # column key -> header
    title: str  # "Table of statements and responses" (Abwägungstabelle)
    parts: Mapping[Part, str]  # "Organisations", "Individuals"
    individual: str
    whole_draft: str
    removed_marker: str  # "[removed: personal data]"
    proposed_wording: str
    groups: Mapping[StakeholderGroup, str]
    kinds: Mapping[CommentKind, str]
    recommendations: Mapping[Recommendation, str]
    # Formats with a placeholder, filled per row.
    chapter: Callable[[int], str]
    original_language: Callable[[str], str]
    not_verified: Callable[[str], str]
    same_answer_as: Callable[[str], str]
    language_name: Callable[[str], str]
    date: Callable[[datetime], str]
    # A count as the reader's locale writes it ("1.234" in German, "1 234" in Russian).
    number: Callable[[int], str]
    # Labels of the figures sheet and the JSON.
    figures: Mapping[str, str]

    @staticmethod
    def is_right_to_left(code: str) -> bool:
        language = LANGUAGES.get(code)
        return language.direction == "rtl" if language else code in _RIGHT_TO_LEFT


def current_vocabulary() -> Vocabulary:
    """The vocabulary in the current request's language (Flask-Babel's locale)."""
    from consult.services.exports.columns import ALL_COLUMNS

    locale = get_locale() or Locale("de")
    timezone = get_timezone()
    code = str(locale)
    names = _language_names(code)
    return Vocabulary(
        locale=code,
        headers={column.key: str(column.header) for column in ALL_COLUMNS},
        title=_("Table of statements and responses (Abwägungstabelle)"),
        parts={
            Part.ORGANISATIONS: _("Part A: Statements of organisations"),
            Part.INDIVIDUALS: _("Part B: Comments of individuals"),
        },
        individual=_("Individual"),
        whole_draft=_("The whole draft"),
        removed_marker=_("[removed: personal data]"),
        proposed_wording=_("Proposed wording"),
        groups={group: str(group.label) for group in StakeholderGroup},
        kinds={kind: str(kind.label) for kind in CommentKind},
        recommendations={vote: str(vote.label) for vote in Recommendation},
        # Translated once, filled in per row: the writers then need no request.
        chapter=_filler(_("Chapter %(number)s"), "number"),
        original_language=_filler(_("(original language: %(language)s)"), "language"),
        not_verified=_filler(_("%(name)s (not verified)"), "name"),
        same_answer_as=_filler(_("(The same answer was given to %(references)s.)"), "references"),
        language_name=lambda language: names.get(language) or language,
        date=lambda value: format_date(value.astimezone(timezone), "long", locale=locale),
        number=lambda value: format_decimal(value, locale=locale),
        figures={
            "sheet": _("Figures"),
            "figure": _("Figure"),
            "number": _("Number"),
            "statements": _("Statements and comments"),
            "replies": _("Published replies"),
            "by_group": _("By group"),
            "by_kind": _("By kind"),
            "by_recommendation": _("By recommended decision"),
            "unanswered": _("Not answered yet"),
            "by_language": _("By language"),
            "by_chapter": _("By chapter"),
            "none": _("None."),
        },
    )


def _filler(template: str, name: str) -> Callable[[object], str]:
    return lambda value: template % {name: value}


def _language_names(code: str) -> dict[str, str]:
    """Language names in the reader's language ("Arabisch" in German), from the CLDR data
    Babel ships, so no translator has to write them."""
    try:
        return dict(Locale.parse(code).languages)
    except (ValueError, UnknownLocaleError):
        return {}

"""What a reader sees of the draft's translations: the translation into the page's language
where one exists, or the German text when the reader asked for it (?text=de).

The choice lives in the URL, like the language, so it needs no script and no cookie, and a link
to the German text can be shared."""

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import request, url_for
from flask_babel import get_locale

from consult.i18n import LANGUAGES
from consult.models import Consultation, Paragraph, Section
from consult.services import translations
from consult.services.translations import GERMAN, Translations

# ?text=de shows the German wording instead of the translation.
TEXT_PARAMETER = "text"


@dataclass(frozen=True)
class Reading:
    language: str
    direction: str
    translations: Translations
    show_german: bool
    german_url: str
    translation_url: str

    @property
    def offers_translation(self) -> bool:
        """Something on the page is translated, so the switch to German (and back) helps."""
        return bool(self.translations)

    def paragraph(self, paragraph: Paragraph):
        """The paragraph's translation to show, or None for the German text."""
        return None if self.show_german else self.translations.of_paragraph(paragraph)

    def paragraph_outdated(self, paragraph: Paragraph) -> bool:
        return self.translations.paragraph_outdated(paragraph)

    def section_title(self, section: Section) -> str:
        translation = None if self.show_german else self.translations.of_section(section)
        return translation.title if translation else ""

    def plain_summary(self, section: Section) -> str:
        translation = None if self.show_german else self.translations.of_section(section)
        return translation.plain_summary if translation else ""

    def section_outdated(self, section: Section) -> bool:
        return self.translations.section_outdated(section)


def _current_url(**changes) -> str:
    """This page with some query parameters changed (None drops one); the others are kept
    verbatim, never handed to url_for (see switch_language_url)."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key not in changes]
    args.extend((key, value) for key, value in changes.items() if value is not None)
    url = url_for(request.endpoint, **(request.view_args or {}))
    return f"{url}?{urlencode(args)}" if args else url


def reading_for(
    consultation: Consultation,
    *,
    section_ids: Iterable[int] | None = None,
    paragraph_ids: Iterable[int] | None = None,
) -> Reading | None:
    """The reading aids of this page: None for German readers (no query), else the
    translations into the page's language (two queries)."""
    language = str(get_locale())
    if language == GERMAN or language not in LANGUAGES:
        return None
    return Reading(
        language=language,
        direction=LANGUAGES[language].direction,
        translations=translations.load_translations(
            consultation, language, section_ids=section_ids, paragraph_ids=paragraph_ids
        ),
        show_german=request.args.get(TEXT_PARAMETER) == GERMAN,
        german_url=_current_url(**{TEXT_PARAMETER: GERMAN}),
        translation_url=_current_url(**{TEXT_PARAMETER: None}),
    )


def reading_for_target(target) -> Reading | None:
    """The reading aids for the context shown above a thread or a comment form."""
    if target.section is None:
        return None
    return reading_for(
        target.consultation,
        section_ids=[target.section.id],
        paragraph_ids=[target.paragraph.id] if target.paragraph is not None else [],
    )

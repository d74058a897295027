"""Reading aids for the draft: translations of chapter titles, paragraphs and each chapter's
"Kurz erklärt", and the German "Kurz erklärt" itself.

The German draft is binding; a translation only helps people read it. Each translation keeps a
digest of the German wording it was made from, compared with the wording readers see now: before
the results, readers see the consulted wording (Paragraph.commented_*), so a translation made
while the administration drafts version 2 turns outdated only once version 2 is published."""

import enum
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from consult.extensions import db
from consult.models import Consultation, Paragraph, Section
from consult.models.translation import ParagraphTranslation, SectionTranslation, source_digest
from consult.services.audit import record
from consult.services.documents import consultation_with_draft
from consult.services.drafts import TITLE_MAX_LENGTH
from consult.services.errors import ServiceError
from consult.text import normalise_newlines

# The limits of the draft's own paragraphs (the revision editor's PARAGRAPH_TEXT_MAX_LENGTH):
# a translation is about as long as what it translates.
TEXT_MAX_LENGTH = 20000
GERMAN = "de"


class LanguageNotAvailable(ServiceError):
    """Translations are made into the enabled languages other than German."""

    def __init__(self, language: str):
        super().__init__(f"no translations into {language!r}")
        self.language = language


class TextTooLong(ServiceError):
    def __init__(self, field_name: str, limit: int):
        super().__init__(f"{field_name} is longer than {limit} characters")
        self.field_name = field_name
        self.limit = limit


class TranslationChanged(ServiceError):
    """Someone saved (or removed) the translation since the form was loaded: nothing was
    written, so that their work is not overwritten unseen."""

    def __init__(self, current):
        super().__init__("the translation changed since it was loaded")
        self.current = current


class Outcome(enum.StrEnum):
    SAVED = "saved"
    CLEARED = "cleared"
    UNCHANGED = "unchanged"


# --- what readers see in German --------------------------------------------------------------


def german_wording(paragraph: Paragraph, consultation: Consultation) -> tuple[str, str]:
    """The paragraph's title and text as readers see them now."""
    if consultation.shows_revised_draft:
        return paragraph.title, paragraph.text
    return paragraph.commented_title, paragraph.commented_text


def paragraph_digest(paragraph: Paragraph, consultation: Consultation) -> str:
    return source_digest(*german_wording(paragraph, consultation))


def section_digest(section: Section) -> str:
    # A chapter's translation covers its title and its "Kurz erklärt": a change to either
    # means the translator should look again.
    return source_digest(section.title, section.plain_summary)


def shown_paragraphs(consultation: Consultation, section: Section) -> list[Paragraph]:
    """The chapter's paragraphs in the version readers see (as on the document page)."""
    return [p for p in section.paragraphs if p.is_in_version(consultation.shown_version)]


def wording_digest(*parts: str | None) -> str:
    """A translation's wording as a form shows it, to tell whether the translator changed it."""
    return source_digest(*((normalise_newlines(part) or "").strip() for part in parts))


def stored_marker(translation: ParagraphTranslation | SectionTranslation | None) -> str:
    """What a form remembers of the stored translation it was loaded with: saving checks it,
    so that a colleague's translation (or confirmation) saved meanwhile is never overwritten
    unseen."""
    if translation is None:
        return source_digest("none")
    if isinstance(translation, SectionTranslation):
        parts = (translation.title, translation.plain_summary)
    else:
        parts = (translation.title, translation.text)
    return source_digest(*parts, translation.source_digest)


def _check_seen(existing, seen: str | None) -> None:
    if seen is not None and seen != stored_marker(existing):
        raise TranslationChanged(existing)


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Translations:
    """The translations of (part of) one consultation into one language."""

    consultation: Consultation
    language: str
    paragraphs: dict[int, ParagraphTranslation] = field(default_factory=dict)
    sections: dict[int, SectionTranslation] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.paragraphs or self.sections)

    def of_paragraph(self, paragraph: Paragraph) -> ParagraphTranslation | None:
        return self.paragraphs.get(paragraph.id)

    def of_section(self, section: Section) -> SectionTranslation | None:
        return self.sections.get(section.id)

    def paragraph_outdated(self, paragraph: Paragraph) -> bool:
        translation = self.of_paragraph(paragraph)
        return translation is not None and translation.source_digest != paragraph_digest(
            paragraph, self.consultation
        )

    def section_outdated(self, section: Section) -> bool:
        translation = self.of_section(section)
        return translation is not None and translation.source_digest != section_digest(section)


def load_translations(
    consultation: Consultation,
    language: str,
    *,
    section_ids: Iterable[int] | None = None,
    paragraph_ids: Iterable[int] | None = None,
) -> Translations:
    """Every translation of the consultation into `language` (or only those of the given
    chapters and paragraphs): two queries, none for German."""
    if language == GERMAN:
        return Translations(consultation, language)
    paragraph_query = select(ParagraphTranslation).where(
        ParagraphTranslation.consultation_id == consultation.id,
        ParagraphTranslation.language == language,
    )
    if paragraph_ids is not None:
        paragraph_query = paragraph_query.where(
            ParagraphTranslation.paragraph_id.in_(list(paragraph_ids))
        )
    section_query = select(SectionTranslation).where(
        SectionTranslation.consultation_id == consultation.id,
        SectionTranslation.language == language,
    )
    if section_ids is not None:
        section_query = section_query.where(SectionTranslation.section_id.in_(list(section_ids)))
    return Translations(
        consultation,
        language,
        {t.paragraph_id: t for t in db.session.scalars(paragraph_query)},
        {t.section_id: t for t in db.session.scalars(section_query)},
    )


@dataclass(frozen=True)
class ChapterStatus:
    """How far one chapter is translated into one language."""

    paragraphs: int
    translated: int = 0
    outdated: int = 0
    # The chapter's own translation (title and Kurz erklärt).
    has_chapter_translation: bool = False
    chapter_outdated: bool = False

    @property
    def complete(self) -> bool:
        return self.translated == self.paragraphs and not self.outdated


@dataclass(frozen=True)
class LanguageTotal:
    paragraphs: int
    translated: int
    outdated: int


@dataclass(frozen=True)
class ReadingAidsOverview:
    consultation: Consultation
    sections: list[Section]
    languages: list[str]
    # (language, section id) -> status
    status: dict[tuple[str, int], ChapterStatus]

    def chapter(self, language: str, section: Section) -> ChapterStatus:
        return self.status[(language, section.id)]

    def total(self, language: str) -> LanguageTotal:
        chapters = [self.status[(language, s.id)] for s in self.sections]
        return LanguageTotal(
            sum(c.paragraphs for c in chapters),
            sum(c.translated for c in chapters),
            sum(c.outdated for c in chapters),
        )

    @property
    def summaries_written(self) -> int:
        return sum(1 for s in self.sections if s.plain_summary.strip())


def reading_aids_overview(
    consultation_id: int, languages: Collection[str]
) -> ReadingAidsOverview | None:
    """Per language and chapter, how many paragraphs are translated and how many of those
    are outdated: five queries, however many languages and paragraphs."""
    consultation = consultation_with_draft(Consultation.id == consultation_id)
    if consultation is None:
        return None
    languages = [code for code in languages if code != GERMAN]
    paragraph_digests = {
        (paragraph_id, language): digest
        for paragraph_id, language, digest in db.session.execute(
            select(
                ParagraphTranslation.paragraph_id,
                ParagraphTranslation.language,
                ParagraphTranslation.source_digest,
            ).where(ParagraphTranslation.consultation_id == consultation.id)
        )
    }
    section_digests = {
        (section_id, language): digest
        for section_id, language, digest in db.session.execute(
            select(
                SectionTranslation.section_id,
                SectionTranslation.language,
                SectionTranslation.source_digest,
            ).where(SectionTranslation.consultation_id == consultation.id)
        )
    }
    status = {}
    for section in consultation.sections:
        paragraphs = [
            (p.id, paragraph_digest(p, consultation))
            for p in shown_paragraphs(consultation, section)
        ]
        current_section = section_digest(section)
        for language in languages:
            stored = [paragraph_digests.get((pid, language)) for pid, _ in paragraphs]
            chapter_digest = section_digests.get((section.id, language))
            status[(language, section.id)] = ChapterStatus(
                paragraphs=len(paragraphs),
                translated=sum(1 for digest in stored if digest is not None),
                outdated=sum(
                    1
                    for digest, (_pid, current) in zip(stored, paragraphs, strict=True)
                    if digest is not None and digest != current
                ),
                has_chapter_translation=chapter_digest is not None,
                chapter_outdated=chapter_digest is not None and chapter_digest != current_section,
            )
    return ReadingAidsOverview(consultation, consultation.sections, languages, status)


@dataclass(frozen=True)
class ChapterView:
    """One chapter with what is needed to translate it (or write its Kurz erklärt)."""

    consultation: Consultation
    section: Section
    paragraphs: list[Paragraph]
    translations: Translations

    @property
    def sections(self) -> list[Section]:
        return self.consultation.sections

    def paragraph(self, paragraph_id: int) -> Paragraph | None:
        return next((p for p in self.paragraphs if p.id == paragraph_id), None)


def chapter_view(
    consultation_id: int,
    language: str,
    *,
    number: int | None = None,
    paragraph_id: int | None = None,
) -> ChapterView | None:
    """The chapter with this number, or the one holding this paragraph (as readers see the
    draft), with its translations into `language`: five queries."""
    consultation = consultation_with_draft(Consultation.id == consultation_id)
    if consultation is None:
        return None
    for section in consultation.sections:
        paragraphs = shown_paragraphs(consultation, section)
        if section.number == number or any(p.id == paragraph_id for p in paragraphs):
            break
    else:
        return None
    translations = load_translations(
        consultation,
        language,
        section_ids=[section.id],
        paragraph_ids=[p.id for p in paragraphs],
    )
    return ChapterView(consultation, section, paragraphs, translations)


# --- writing ---------------------------------------------------------------------------------


def _check_language(language: str, enabled: Collection[str]) -> None:
    if language == GERMAN or language not in enabled:
        raise LanguageNotAvailable(language)


def _clean(value: str | None, field_name: str, limit: int) -> str:
    cleaned = (normalise_newlines(value) or "").strip()
    if len(cleaned) > limit:
        raise TextTooLong(field_name, limit)
    return cleaned


def _store(
    existing,
    create,
    wording: dict[str, str],
    *,
    digest: str,
    confirm: bool,
    subject,
    details: dict,
    actor,
    now: datetime,
) -> Outcome:
    """Write `wording` over the stored translation `existing` (or a new one from `create()`),
    or remove it when every field is empty. The same wording again is no confirmation (a
    chapter's form sends every paragraph): an outdated translation becomes current only with
    `confirm` or changed wording."""
    if not any(wording.values()):
        if existing is None:
            return Outcome.UNCHANGED
        db.session.delete(existing)
        db.session.flush()
        record(actor, "translation.clear", subject, details, now=now)
        return Outcome.CLEARED
    if existing is None:
        existing = create()
        db.session.add(existing)
    elif all(getattr(existing, name) == value for name, value in wording.items()) and (
        not confirm or existing.source_digest == digest
    ):
        return Outcome.UNCHANGED
    for name, value in wording.items():
        setattr(existing, name, value)
    existing.source_digest = digest
    existing.updated_at = now
    db.session.flush()
    record(actor, "translation.save", subject, details, now=now)
    return Outcome.SAVED


def save_paragraph_translation(
    consultation: Consultation,
    paragraph: Paragraph,
    language: str,
    *,
    title: str,
    text: str,
    enabled: Collection[str],
    actor,
    now: datetime,
    seen: str | None = None,
    confirm: bool = False,
) -> Outcome:
    """Store the translation of the paragraph's current German wording; an empty text
    removes the translation. An outdated translation saved with its wording unchanged stays
    outdated unless `confirm` (the translator checked it still fits the German text).
    `seen` is the stored_marker the form was loaded with; TranslationChanged if it differs."""
    _check_language(language, enabled)
    title = _clean(title, "title", TITLE_MAX_LENGTH)
    text = _clean(text, "text", TEXT_MAX_LENGTH)
    existing = db.session.scalars(
        select(ParagraphTranslation).where(
            ParagraphTranslation.paragraph_id == paragraph.id,
            ParagraphTranslation.language == language,
        )
    ).one_or_none()
    _check_seen(existing, seen)
    return _store(
        existing,
        lambda: ParagraphTranslation(
            consultation_id=consultation.id, paragraph_id=paragraph.id, language=language
        ),
        # A title alone is no translation: without text the paragraph's translation goes.
        {"title": title if text else "", "text": text},
        digest=paragraph_digest(paragraph, consultation),
        confirm=confirm,
        subject=paragraph,
        details={"language": language, "number": paragraph.number},
        actor=actor,
        now=now,
    )


def save_section_translation(
    section: Section,
    language: str,
    *,
    title: str,
    plain_summary: str,
    enabled: Collection[str],
    actor,
    now: datetime,
    seen: str | None = None,
    confirm: bool = False,
) -> Outcome:
    """The chapter's title and Kurz erklärt in `language`; both empty removes them. `seen`
    and `confirm` as for save_paragraph_translation."""
    _check_language(language, enabled)
    title = _clean(title, "title", TITLE_MAX_LENGTH)
    plain_summary = _clean(plain_summary, "plain_summary", TEXT_MAX_LENGTH)
    existing = db.session.scalars(
        select(SectionTranslation).where(
            SectionTranslation.section_id == section.id,
            SectionTranslation.language == language,
        )
    ).one_or_none()
    _check_seen(existing, seen)
    return _store(
        existing,
        lambda: SectionTranslation(
            consultation_id=section.consultation_id, section_id=section.id, language=language
        ),
        {"title": title, "plain_summary": plain_summary},
        digest=section_digest(section),
        confirm=confirm,
        subject=section,
        details={"language": language, "chapter": section.number},
        actor=actor,
        now=now,
    )


def save_plain_summary(section: Section, text: str, *, actor, now: datetime) -> Outcome:
    """The chapter's "Kurz erklärt" in plain German; empty removes it. Its translations then
    show as outdated until they are looked at again."""
    text = _clean(text, "plain_summary", TEXT_MAX_LENGTH)
    if text == section.plain_summary:
        return Outcome.UNCHANGED
    section.plain_summary = text
    db.session.flush()
    record(
        actor,
        "chapter.plain_summary",
        section,
        {"chapter": section.number, "characters": len(text)},
        now=now,
    )
    return Outcome.SAVED if text else Outcome.CLEARED

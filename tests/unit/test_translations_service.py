"""Reading aids: saving and clearing translations, telling when one is outdated, the German
Kurz erklärt, and what the overview counts."""

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditEvent, Phase, Role
from consult.models.translation import ParagraphTranslation
from consult.models.types import utcnow
from consult.services import translations
from consult.services.translations import (
    LanguageNotAvailable,
    Outcome,
    TextTooLong,
    TranslationChanged,
)
from tests.factories import make_consultation, make_paragraph, make_section, make_staff

ENABLED = ("de", "en", "ar")


@pytest.fixture
def world(db):
    consultation = make_consultation(title="KIM")
    section = make_section(consultation, number=6, title="Datenschutz")
    first = make_paragraph(section, 1, title="Grundsätze", text="Es gilt Zweckbindung.")
    second = make_paragraph(section, 2, title="Einwilligung", text="Die Einwilligung ist frei.")
    return consultation, section, first, second


@pytest.fixture
def actor(db):
    return make_staff(role=Role.ADMIN)


def save(
    consultation, paragraph, actor, language="en", title="Principles", text="Purpose.", **kwargs
):
    return translations.save_paragraph_translation(
        consultation,
        paragraph,
        language,
        title=title,
        text=text,
        enabled=ENABLED,
        actor=actor,
        now=utcnow(),
        **kwargs,
    )


def actions():
    return [
        (e.action, e.subject_type, e.details)
        for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
    ]


def test_a_saved_translation_is_loaded_for_its_language_only(world, actor):
    consultation, _section, first, second = world
    assert save(consultation, first, actor) is Outcome.SAVED
    english = translations.load_translations(consultation, "en")
    assert english.of_paragraph(first).text == "Purpose."
    assert english.of_paragraph(second) is None
    assert not english.paragraph_outdated(first)
    assert not translations.load_translations(consultation, "ar")
    assert actions() == [("translation.save", "paragraph", {"language": "en", "number": "6.1"})]


def test_an_empty_text_removes_the_translation(world, actor):
    consultation, _section, first, _second = world
    save(consultation, first, actor)
    assert save(consultation, first, actor, title="", text="  \n ") is Outcome.CLEARED
    assert db.session.scalars(select(ParagraphTranslation)).all() == []
    assert [a[0] for a in actions()] == ["translation.save", "translation.clear"]
    # Clearing what does not exist changes nothing and records nothing.
    assert save(consultation, first, actor, text="") is Outcome.UNCHANGED
    assert len(actions()) == 2


def test_saving_the_same_translation_again_records_nothing(world, actor):
    consultation, _section, first, _second = world
    save(consultation, first, actor)
    assert save(consultation, first, actor) is Outcome.UNCHANGED
    assert len(actions()) == 1


def test_a_translation_is_outdated_once_the_german_wording_changes(world, actor):
    consultation, _section, first, _second = world
    save(consultation, first, actor)
    first.text = "Es gilt Zweckbindung und Datenminimierung."
    db.session.flush()
    english = translations.load_translations(consultation, "en")
    assert english.paragraph_outdated(first)
    # Saving it again unchanged does not confirm it: a chapter's save sends every paragraph.
    assert save(consultation, first, actor) is Outcome.UNCHANGED
    assert translations.load_translations(consultation, "en").paragraph_outdated(first)
    # Confirming it (the translator checked it still fits) does.
    assert save(consultation, first, actor, confirm=True) is Outcome.SAVED
    assert not translations.load_translations(consultation, "en").paragraph_outdated(first)
    assert save(consultation, first, actor, confirm=True) is Outcome.UNCHANGED
    # Changing the wording of an outdated translation makes it current too.
    first.text = "Noch einmal anders."
    db.session.flush()
    assert save(consultation, first, actor, text="Purpose, again.") is Outcome.SAVED
    assert not translations.load_translations(consultation, "en").paragraph_outdated(first)


def test_a_save_based_on_what_a_colleague_has_changed_since_is_refused(world, actor):
    consultation, _section, first, _second = world
    nothing = translations.stored_marker(None)
    assert save(consultation, first, actor, seen=nothing) is Outcome.SAVED
    loaded = translations.stored_marker(
        translations.load_translations(consultation, "en").of_paragraph(first)
    )
    assert save(consultation, first, actor, text="Colleague.", seen=loaded) is Outcome.SAVED
    with pytest.raises(TranslationChanged) as refused:
        save(consultation, first, actor, text="Mine.", seen=loaded)
    assert refused.value.current.text == "Colleague."
    # A colleague's confirmation changes the marker too; a form loaded before the first
    # translation existed is refused as well.
    first.text = "Neu."
    db.session.flush()
    current = translations.stored_marker(refused.value.current)
    assert save(consultation, first, actor, text="Colleague.", seen=current, confirm=True) is (
        Outcome.SAVED
    )
    with pytest.raises(TranslationChanged):
        save(consultation, first, actor, text="Mine.", seen=current)
    with pytest.raises(TranslationChanged):
        save(consultation, first, actor, text="", seen=nothing)
    assert [a[0] for a in actions()] == ["translation.save"] * 3


def test_a_revision_outdates_translations_only_once_readers_see_it(world, actor):
    """Before the results readers see the consulted wording; the translation of that
    wording stays current while the administration drafts version 2."""
    consultation, _section, first, _second = world
    save(consultation, first, actor)
    consultation.phase = Phase.EVALUATION
    consultation.draft_version = 2
    first.consulted_title, first.consulted_text = first.title, first.text
    first.text = "Neue Fassung."
    db.session.flush()
    assert not translations.load_translations(consultation, "en").paragraph_outdated(first)
    consultation.phase = Phase.RESULTS
    db.session.flush()
    assert translations.load_translations(consultation, "en").paragraph_outdated(first)


@pytest.mark.parametrize("language", ["de", "tr", "xx"])
def test_translations_are_only_into_enabled_languages_other_than_german(world, actor, language):
    consultation, _section, first, _second = world
    with pytest.raises(LanguageNotAvailable):
        save(consultation, first, actor, language=language)


def test_the_draft_editors_length_limits_apply(world, actor):
    consultation, _section, first, _second = world
    with pytest.raises(TextTooLong):
        save(consultation, first, actor, title="T" * 301)
    with pytest.raises(TextTooLong):
        save(consultation, first, actor, text="x" * 20001)
    assert save(consultation, first, actor, title="T" * 300, text="x" * 20000) is Outcome.SAVED


def test_the_limits_are_the_revision_editors(app):
    from consult.forms.revisions import PARAGRAPH_TEXT_MAX_LENGTH
    from consult.services.revisions import TITLE_MAX_LENGTH

    assert translations.TEXT_MAX_LENGTH == PARAGRAPH_TEXT_MAX_LENGTH
    assert translations.TITLE_MAX_LENGTH == TITLE_MAX_LENGTH


def test_loading_costs_two_queries_and_none_in_german(world, actor, count_queries):
    consultation, _section, first, _second = world
    save(consultation, first, actor)
    db.session.flush()
    with count_queries() as german:
        translations.load_translations(consultation, "de")
    with count_queries() as english:
        translations.load_translations(consultation, "en")
    assert (german.count, english.count) == (0, 2)


def test_the_chapter_translation_is_outdated_when_the_kurz_erklaert_changes(world, actor):
    consultation, section, _first, _second = world
    outcome = translations.save_plain_summary(
        section, "Hier steht, was mit Ihren Daten passiert.", actor=actor, now=utcnow()
    )
    assert outcome is Outcome.SAVED
    translations.save_section_translation(
        section,
        "ar",
        title="حماية البيانات",
        plain_summary="هنا ما يحدث لبياناتك.",
        enabled=ENABLED,
        actor=actor,
        now=utcnow(),
    )
    arabic = translations.load_translations(consultation, "ar")
    assert arabic.of_section(section).title == "حماية البيانات"
    assert not arabic.section_outdated(section)
    translations.save_plain_summary(section, "Neu geschrieben.", actor=actor, now=utcnow())
    assert translations.load_translations(consultation, "ar").section_outdated(section)
    assert [(a[0], a[2]) for a in actions()] == [
        ("chapter.plain_summary", {"chapter": 6, "characters": 41}),
        ("translation.save", {"language": "ar", "chapter": 6}),
        ("chapter.plain_summary", {"chapter": 6, "characters": 16}),
    ]
    assert translations.save_plain_summary(section, "", actor=actor, now=utcnow()) == (
        Outcome.CLEARED
    )


def test_the_overview_counts_translated_and_outdated_paragraphs(world, actor):
    consultation, _section, first, second = world
    save(consultation, first, actor)
    save(consultation, second, actor)
    save(consultation, first, actor, language="ar", text="نص")
    second.text = "Geändert."
    db.session.flush()
    db.session.expire_all()
    overview = translations.reading_aids_overview(consultation.id, ENABLED)
    assert overview.languages == ["en", "ar"]
    (loaded,) = overview.sections
    assert overview.chapter("en", loaded).translated == 2
    assert overview.chapter("en", loaded).outdated == 1
    assert overview.total("ar") == translations.LanguageTotal(2, 1, 0)


def test_the_demo_has_kurz_erklaert_and_current_translations_in_english_and_arabic(db):
    from consult.demo.loader import load_demo

    consultation = load_demo(utcnow())
    overview = translations.reading_aids_overview(consultation.id, ENABLED)
    assert overview.summaries_written >= 3
    by_number = {s.number: s for s in overview.sections}
    for language in ("en", "ar"):
        for number in (0, 6):
            status = overview.chapter(language, by_number[number])
            assert status.complete and status.has_chapter_translation
            assert not status.chapter_outdated
    arabic = translations.load_translations(consultation, "ar")
    assert arabic.of_section(by_number[6]).plain_summary.startswith("يتناول هذا الفصل")

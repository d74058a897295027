"""The glossary's rules: what a term needs, unique terms and forms, slugs readers can link to,
the audit trail, and the read model readers get in their language."""

import pytest
from sqlalchemy import select

from consult.models import AuditEvent, GlossaryExplanation, GlossaryTerm, Role
from consult.models.types import utcnow
from consult.services import glossary
from consult.services.glossary import ExplanationText, InvalidTerm, TermDetails
from tests.factories import make_staff

LANGUAGES = ("de", "en", "ar")


def details(term, *variants, de="Eine Erklärung.", **others):
    explanations = {"de": ExplanationText("", de)} if de is not None else {}
    for language, text in others.items():
        explanations[language] = (
            text if isinstance(text, ExplanationText) else ExplanationText("", text)
        )
    return TermDetails(term=term, variants=variants, explanations=explanations)


@pytest.fixture
def actor(db):
    return make_staff(role=Role.ADMIN)


def create(actor, *args, **kwargs):
    return glossary.create_term(
        details(*args, **kwargs), languages=LANGUAGES, actor=actor, now=utcnow()
    )


def problems(refused: pytest.ExceptionInfo) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in refused.value.problems}


def events(db, action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_a_new_term_gets_a_readable_slug_and_an_audit_event(db, actor):
    term = create(actor, "  Abwägung ", "Abwägungstabelle", "", "abwägung", en="Weighing.")
    assert (term.term, term.slug) == ("Abwägung", "abwaegung")
    # Empty lines and repetitions of the term itself are dropped.
    assert term.forms == ["Abwägung", "Abwägungstabelle"]
    assert {e.language for e in term.explanations} == {"de", "en"}
    (event,) = events(db, "glossary.created")
    assert event.actor_id == actor.id and event.subject_id == term.id
    assert event.details == {"term": "Abwägung", "languages": ["de", "en"]}


def test_slugs_are_unique_and_never_take_the_pages_own_ids(db, actor):
    assert create(actor, "Träger").slug == "traeger"
    assert create(actor, "Traeger").slug == "traeger-2"
    assert create(actor, "Main").slug == "main-2"
    assert create(actor, "Letter A").slug == "term-letter-a"
    assert create(actor, "§").slug == "term"


def test_a_term_is_unique_ignoring_case_umlauts_included(db, actor):
    create(actor, "Ärger", "Ärgernis")
    for taken in ("ärger", "ÄRGER", " Ärger "):
        with pytest.raises(InvalidTerm) as refused:
            create(actor, taken)
        assert problems(refused) == {("term", glossary.TERM_TAKEN)}
    with pytest.raises(InvalidTerm) as refused:
        create(actor, "Verdruss", "ärgernis")
    assert problems(refused) == {("variants", glossary.FORM_TAKEN)}
    assert refused.value.problems[0].params == {"variant": "ärgernis", "term": "Ärger"}
    # A variant may not be another term's term either.
    with pytest.raises(InvalidTerm) as refused:
        create(actor, "Verdruss", "Ärger")
    assert problems(refused) == {("variants", glossary.FORM_TAKEN)}


def test_what_a_term_needs_and_how_long_it_may_be(db, actor):
    with pytest.raises(InvalidTerm) as refused:
        create(actor, "  ", de=None)
    assert problems(refused) == {("term", glossary.REQUIRED), ("explanation:de", glossary.REQUIRED)}
    with pytest.raises(InvalidTerm) as refused:
        create(
            actor,
            "x" * 121,
            "y" * 121,
            de="z" * 2001,
            en=ExplanationText("n" * 161, "Fine."),
            ar=ExplanationText("اسم", ""),
        )
    assert problems(refused) == {
        ("term", glossary.TOO_LONG),
        ("variants", glossary.TOO_LONG),
        ("explanation:de", glossary.TOO_LONG),
        ("name:en", glossary.TOO_LONG),
        ("explanation:ar", glossary.NAME_WITHOUT_EXPLANATION),
    }
    with pytest.raises(InvalidTerm) as refused:
        create(actor, "Viele", *(f"Form{n}" for n in range(31)))
    assert problems(refused) == {("variants", glossary.TOO_MANY)}
    with pytest.raises(InvalidTerm) as refused:
        create(actor, "Klingonisch", tlh="Qapla'")
    assert problems(refused) == {("explanation:tlh", glossary.UNKNOWN_LANGUAGE)}
    assert db.session.scalars(select(GlossaryTerm)).all() == []


def test_updating_changes_what_was_typed_and_records_the_fields(db, actor):
    term = create(actor, "Lenkungsgruppe", en="Steering group.", ar="مجموعة التوجيه.")
    term_id = term.id
    db.session.expire_all()
    term = glossary.term_by_id(term_id)
    changed = glossary.update_term(
        term,
        details("Steuerungsgruppe", "Steuerungsgruppen", en="Steering group."),
        languages=LANGUAGES,
        actor=actor,
        now=utcnow(),
    )
    assert changed == ["term", "variants", "explanation:ar"]
    # The slug follows the term; the emptied Arabic explanation is gone.
    assert term.slug == "steuerungsgruppe"
    assert {e.language for e in term.explanations} == {"de", "en"}
    stored = db.session.scalars(
        select(GlossaryExplanation.language).where(GlossaryExplanation.term_id == term_id)
    )
    assert sorted(stored) == ["de", "en"]
    (event,) = events(db, "glossary.updated")
    assert event.details == {"changed": ["term", "variants", "explanation:ar"]}
    # Saving the same again changes nothing and records nothing.
    unchanged = glossary.update_term(
        term,
        details("Steuerungsgruppe", "Steuerungsgruppen", en="Steering group."),
        languages=LANGUAGES,
        actor=actor,
        now=utcnow(),
    )
    assert unchanged == [] and len(events(db, "glossary.updated")) == 1


def test_a_renamed_term_keeps_its_numbered_slug_and_its_own_name_is_not_taken(db, actor):
    create(actor, "Kreistag")
    second = create(actor, "Kreis-Tag")
    assert second.slug == "kreis-tag"
    db.session.expire_all()
    term = glossary.term_by_id(second.id)
    # Its own forms are not "taken" when it is saved again with another case.
    glossary.update_term(term, details("KREIS-TAG"), languages=LANGUAGES, actor=actor, now=utcnow())
    assert (term.term, term.slug) == ("KREIS-TAG", "kreis-tag")


def test_a_form_taken_by_another_term_is_refused_on_update(db, actor):
    create(actor, "Duldung", "Geduldete")
    other = create(actor, "Aufenthaltsgestattung")
    db.session.expire_all()
    term = glossary.term_by_id(other.id)
    with pytest.raises(InvalidTerm) as refused:
        glossary.update_term(
            term,
            details("Aufenthaltsgestattung", "geduldete"),
            languages=LANGUAGES,
            actor=actor,
            now=utcnow(),
        )
    assert problems(refused) == {("variants", glossary.FORM_TAKEN)}


def test_a_disabled_language_keeps_its_explanation(db, actor):
    term = create(actor, "Kreistag", ar="مجلس المقاطعة.")
    db.session.expire_all()
    term = glossary.term_by_id(term.id)
    glossary.update_term(
        term,
        details("Kreistag", en="County council."),
        languages=("de", "en"),
        actor=actor,
        now=utcnow(),
    )
    assert {e.language for e in term.explanations} == {"de", "en", "ar"}


def test_deleting_removes_the_explanations_and_is_recorded(db, actor):
    term = create(actor, "Kreistag", en="County council.")
    term_id = term.id
    db.session.expire_all()
    glossary.delete_term(glossary.term_by_id(term_id), actor=actor, now=utcnow())
    assert db.session.get(GlossaryTerm, term_id) is None
    assert db.session.scalars(select(GlossaryExplanation)).all() == []
    (event,) = events(db, "glossary.deleted")
    assert (event.subject_id, event.details) == (term_id, {"term": "Kreistag"})


def test_readers_get_their_language_or_the_german_text_marked_as_such(db, actor, count_queries):
    create(
        actor,
        "Kreistag",
        "Kreistages",
        de="Das Parlament des Kreises.",
        en=ExplanationText("county council", "The county's parliament."),
    )
    create(actor, "Ärger", de="Verdruss.")
    create(actor, "Abwägung", de="Gründe vergleichen.")
    create(actor, "Bleiberecht", "§ 25a", de="Ein Weg zum Aufenthalt.")
    db.session.flush()
    db.session.expire_all()
    with count_queries() as counter:
        english = glossary.glossary("en")
    assert counter.count == 1
    # German dictionary order: "Ä" files under A, a "§" form does not change the term's place.
    assert [e.term for e in english.entries] == ["Abwägung", "Ärger", "Bleiberecht", "Kreistag"]
    kreistag = english.entries[-1]
    assert (kreistag.language, kreistag.is_fallback) == ("en", False)
    assert (kreistag.shown_name, kreistag.explanation) == (
        "county council",
        "The county's parliament.",
    )
    assert kreistag.forms == ("Kreistag", "Kreistages")
    arabic = glossary.glossary("ar")
    assert {(e.language, e.is_fallback) for e in arabic.entries} == {("de", True)}
    german = glossary.glossary("de")
    assert not any(e.is_fallback for e in german.entries)
    # The German name is the term itself unless a longer form was given: not shown twice.
    assert german.entries[-1].shown_name == ""
    assert [letter for letter, _ in german.by_letter()] == ["A", "B", "K"]


def test_the_administrations_list_searches_terms_forms_and_texts(db, actor):
    create(actor, "Kreistag", "Kreistages", en="County council.")
    create(actor, "Ärger", de="Verdruss im Amt.")
    assert [row.term.term for row in glossary.admin_list()] == ["Ärger", "Kreistag"]
    assert [row.term.term for row in glossary.admin_list("ÄRG")] == ["Ärger"]
    assert [row.term.term for row in glossary.admin_list("kreistages")] == ["Kreistag"]
    assert [row.term.term for row in glossary.admin_list("county")] == ["Kreistag"]
    assert [row.term.term for row in glossary.admin_list("amt")] == ["Ärger"]
    assert glossary.admin_list("nirgends") == []
    (row,) = glossary.admin_list("Kreistag")
    assert row.languages == {"de", "en"}

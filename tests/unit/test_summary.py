"""The summary every export prints: which comments become rows, in which order, with which
figures, in a fixed number of queries."""

import dataclasses

import pytest

from consult.extensions import db as _db
from consult.models import (
    CommentKind,
    CommentStatus,
    ParagraphVersion,
    Recommendation,
    StakeholderGroup,
)
from consult.models.types import utcnow
from consult.services.numbering import Part, assign_references
from consult.services.summary import WordingChange, build_summary
from consult.text import REDACTION_MARK
from tests.factories import (
    insert_published_comments,
    make_answer,
    make_comment,
    make_consultation,
    make_document,
    make_organisation,
    make_paragraph,
    make_participant,
    make_published,
    make_section,
    make_staff,
)

APPROVED = CommentStatus.APPROVED


def summary_of(consultation):
    assign_references(consultation.id)
    return build_summary(consultation.id, utcnow())


def test_only_published_top_level_comments_of_participants_become_rows(db):
    consultation, (paragraph, *_) = make_document()
    published = make_comment(paragraph, status=APPROVED, text="Veröffentlicht")
    for status in (
        CommentStatus.PENDING,
        CommentStatus.REJECTED,
        CommentStatus.WITHDRAWN,
        CommentStatus.HIDDEN,
    ):
        make_comment(paragraph, status=status, text=f"Nicht exportieren: {status}")
    make_comment(parent=published, status=APPROVED, text="Eine Antwort")
    make_comment(
        paragraph,
        status=APPROVED,
        text="Die Verwaltung schreibt",
        staff_author_id=make_staff().id,
    )

    summary = summary_of(consultation)

    assert [row.text for row in summary.rows] == ["Veröffentlicht"]
    assert summary.reply_count == 1


def test_organisations_come_first_then_individuals_each_in_number_order(db):
    consultation, paragraphs = make_document(paragraphs=12)
    organisation = make_organisation(name="Caritas Migrationsdienst")
    # Created in reverse draft order: the numbers follow the draft, the rows the numbers.
    for paragraph in reversed(paragraphs):
        make_comment(paragraph, status=APPROVED)
        make_comment(paragraph, status=APPROVED, organisation_id=organisation.id)

    summary = summary_of(consultation)

    references = [row.reference for row in summary.rows]
    assert references == [f"A-{n:03d}" for n in range(1, 13)] + [f"B-{n:03d}" for n in range(1, 13)]
    assert [row.paragraph_number for row in summary.organisation_rows] == [
        p.number for p in paragraphs
    ]
    assert all(row.part is Part.ORGANISATIONS for row in summary.organisation_rows)
    assert summary.organisation_rows[0].organisation_name == "Caritas Migrationsdienst"


def test_a_comment_published_later_gets_the_next_number_and_changes_no_other(db):
    consultation, (first, second) = make_document(paragraphs=2)
    make_comment(second, status=APPROVED)
    before = {row.comment_id: row.reference for row in summary_of(consultation).rows}
    late = make_comment(first, status=CommentStatus.PENDING)
    late.status, late.published_at = APPROVED, utcnow()
    _db.session.flush()

    after = {row.comment_id: row.reference for row in summary_of(consultation).rows}

    assert after == {**before, late.id: "B-002"}


def test_a_row_without_number_is_kept_after_the_numbered_ones(db):
    consultation, (first, second) = make_document(paragraphs=2)
    make_comment(second, status=APPROVED)
    assign_references(consultation.id)
    unnumbered = make_comment(first, status=APPROVED)

    summary = build_summary(consultation.id, utcnow())

    assert [row.reference for row in summary.rows] == ["B-001", ""]
    assert summary.rows[-1].comment_id == unnumbered.id


def test_individuals_are_never_named(db):
    consultation, (paragraph, *_) = make_document()
    participant, _ = make_participant(email="geheim@example.org")
    make_comment(
        paragraph,
        status=APPROVED,
        pseudonym="Nachtfalke",
        participant_id=participant.id,
        group=StakeholderGroup.INDIVIDUAL,
    )

    (row,) = summary_of(consultation).rows

    assert row.organisation_name is None
    assert row.part is Part.INDIVIDUALS
    printed = repr(dataclasses.astuple(row))
    assert "Nachtfalke" not in printed
    assert "geheim@example.org" not in printed


def test_the_published_text_is_exported_never_the_original(db):
    consultation, (paragraph, *_) = make_document()
    make_comment(
        paragraph,
        status=APPROVED,
        text=f"Frau {REDACTION_MARK} hat geholfen.",
        original_text="Frau Yilmaz hat geholfen.",
        redacted_at=utcnow(),
    )

    (row,) = summary_of(consultation).rows

    assert row.text == f"Frau {REDACTION_MARK} hat geholfen."


def test_targets_answers_and_shared_answers(db):
    consultation, (paragraph,) = make_document(paragraphs=1)
    section = make_section(consultation, number=2, title="Ziele")
    on_draft = make_comment(consultation=consultation, status=APPROVED)
    on_chapter = make_comment(section=section, status=APPROVED)
    on_paragraph = make_comment(paragraph, status=APPROVED, proposed_text="Neue Fassung")
    make_answer(
        on_chapter,
        on_paragraph,
        text="Wird ergänzt.",
        recommendation=Recommendation.PARTLY_ADOPTED,
        change_text="Absatz 1.1 ergänzt.",
    )

    rows = {row.comment_id: row for row in summary_of(consultation).rows}

    assert (rows[on_draft.id].chapter_number, rows[on_draft.id].paragraph_number) == (None, None)
    assert rows[on_chapter.id].chapter_number == 2
    assert rows[on_chapter.id].chapter_title == "Ziele"
    assert rows[on_chapter.id].paragraph_number is None
    assert rows[on_paragraph.id].paragraph_number == "1.1"
    assert rows[on_paragraph.id].proposed_text == "Neue Fassung"
    assert rows[on_draft.id].answer_text == ""
    assert rows[on_draft.id].recommendation is None
    assert rows[on_paragraph.id].recommendation is Recommendation.PARTLY_ADOPTED
    assert rows[on_paragraph.id].change_text == "Absatz 1.1 ergänzt."
    assert rows[on_paragraph.id].shares_answer_with == (rows[on_chapter.id].reference,)
    assert rows[on_chapter.id].shares_answer_with == (rows[on_paragraph.id].reference,)


def test_figures(db):
    consultation, (first, second) = make_document(paragraphs=2)
    make_section(consultation, number=2)
    organisation = make_organisation(group=StakeholderGroup.MIGRANT_ORGANISATION)
    adopted = make_comment(
        first,
        status=APPROVED,
        kind=CommentKind.SUGGESTION,
        organisation_id=organisation.id,
        group=StakeholderGroup.MIGRANT_ORGANISATION,
    )
    make_answer(adopted, recommendation=Recommendation.ADOPTED)
    make_comment(second, status=APPROVED, language="ar", kind=CommentKind.QUESTION)
    make_comment(second, status=APPROVED, language="ar", kind=CommentKind.QUESTION)
    make_comment(second, status=CommentStatus.REJECTED)

    summary = summary_of(consultation)

    counts = {count.key: count.count for count in summary.by_group}
    assert counts["migrant_organisation"] == 1
    assert counts["individual"] == 2
    assert counts["welfare_association"] == 0
    assert {c.key: c.count for c in summary.by_kind}["question"] == 2
    votes = {count.key: count.count for count in summary.by_recommendation}
    assert votes == {"adopted": 1, "partly_adopted": 0, "not_adopted": 0, "noted": 0, "": 2}
    assert [(c.key, c.count) for c in summary.by_language] == [("ar", 2), ("de", 1)]
    assert [(c.number, c.comment_count) for c in summary.chapters] == [(1, 3), (2, 0)]
    assert summary.moderation.received == 4
    assert summary.moderation.published == 3


def test_changes_name_the_comments_that_led_to_them(db):
    consultation, (changed, unchanged, dropped) = make_document(paragraphs=3, draft_version=2)
    added = make_paragraph(changed.section, position=4, added_in_version=2, text="Neu.")
    for paragraph in (changed, unchanged):
        _db.session.add(
            ParagraphVersion(
                paragraph_id=paragraph.id, version=1, title=paragraph.title, text=paragraph.text
            )
        )
    changed.text = "Die Verwaltung setzt die Maßnahme gemeinsam mit den Trägern um."
    dropped.removed_in_version = 2
    taken = make_comment(changed, status=APPROVED)
    rejected_idea = make_comment(changed, status=APPROVED)
    make_answer(taken, recommendation=Recommendation.ADOPTED)
    make_answer(rejected_idea, recommendation=Recommendation.NOT_ADOPTED)
    _db.session.flush()

    summary = summary_of(consultation)

    assert [(c.number, c.change) for c in summary.changes] == [
        (changed.number, WordingChange.CHANGED),
        (dropped.number, WordingChange.REMOVED),
        (added.number, WordingChange.ADDED),
    ]
    change = summary.changes[0]
    assert change.old_text == "Die Verwaltung beabsichtigt die Umsetzung der Maßnahme."
    assert change.new_text.startswith("Die Verwaltung setzt")
    assert change.references == ("B-001",)
    assert {row.comment_id for row in summary.rows if row.reference == "B-001"} == {taken.id}


def test_a_draft_answer_counts_as_no_answer_at_all(db):
    """A recommendation without a reply, or a reply without a recommendation, is work in
    progress: it must not reach the Kreistag's table, figures or list of changes."""
    consultation, (paragraph,) = make_document(paragraphs=1, draft_version=2)
    _db.session.add(
        ParagraphVersion(paragraph_id=paragraph.id, version=1, title=paragraph.title, text="Alt.")
    )
    no_reply = make_comment(paragraph, status=APPROVED)
    no_vote = make_comment(paragraph, status=APPROVED)
    shared_draft = make_comment(paragraph, status=APPROVED)
    make_answer(
        no_reply,
        shared_draft,
        text="",
        recommendation=Recommendation.ADOPTED,
        change_text="Entwurf: Absatz 1.1 wird ergänzt.",
    )
    make_answer(no_vote, text="Wir prüfen das noch.", recommendation=None)
    _db.session.flush()

    summary = summary_of(consultation)

    for row in summary.rows:
        assert (row.answer_text, row.recommendation, row.change_text) == ("", None, "")
        assert row.shares_answer_with == ()
    votes = {count.key: count.count for count in summary.by_recommendation}
    assert votes == {"adopted": 0, "partly_adopted": 0, "not_adopted": 0, "noted": 0, "": 3}
    chapter_votes = {count.key: count.count for count in summary.chapters[0].by_recommendation}
    assert chapter_votes["adopted"] == 0
    assert chapter_votes[""] == 3
    # The wording changed, but no decided answer led to it.
    assert [change.references for change in summary.changes] == [()]


def test_an_unknown_consultation_is_a_lookup_error(db):
    with pytest.raises(LookupError):
        build_summary(2_000_000_000, utcnow())


def _add_published(paragraphs, organisation, total):
    insert_published_comments(
        paragraphs, total, lambda i: {"organisation_id": organisation.id if i % 3 == 0 else None}
    )


def test_a_fixed_small_number_of_queries_however_many_comments(db, count_queries):
    counts = []
    for total in (3, 300):
        consultation, paragraphs = make_document(paragraphs=5)
        _add_published(paragraphs, make_organisation(), total)
        assign_references(consultation.id)
        _db.session.flush()
        _db.session.expunge_all()
        with count_queries() as counter:
            summary = build_summary(consultation.id, utcnow())
        assert len(summary.rows) == total
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
    assert counts[0] <= 8, counts


def test_a_row_names_the_paragraph_as_it_was_commented_on(db):
    consultation = make_consultation()
    paragraph = make_paragraph(make_section(consultation, 1), 1, title="Zielgruppe")
    make_published(paragraph)
    # What the revision keeps (revisions.start_revision) before it renames the paragraph.
    paragraph.consulted_title, paragraph.consulted_text = paragraph.title, paragraph.text
    paragraph.title = "Zielgruppen und Zugang"
    _db.session.flush()
    (row,) = summary_of(consultation).rows
    assert row.paragraph_title == "Zielgruppe"

"""Stable numbers for the Abwägungstabelle: given in draft order, never changed, never reused."""

from consult.models import CommentStatus
from consult.services.numbering import assign_references
from tests.factories import (
    make_comment,
    make_consultation,
    make_organisation,
    make_paragraph,
    make_published,
    make_section,
    make_staff,
)


def test_numbers_follow_the_draft_and_separate_organisations_from_individuals(db):
    consultation = make_consultation()
    first, second = make_section(consultation, 1), make_section(consultation, 2)
    later, earlier = make_paragraph(second, 1), make_paragraph(first, 1)
    organisation = make_organisation()
    on_later = make_published(later)
    on_earlier = make_published(earlier)
    statement = make_published(later, organisation_id=organisation.id, group=organisation.group)
    on_draft = make_published(consultation=consultation)
    on_chapter = make_published(section=second)

    assert assign_references(consultation.id) == 5
    assert statement.reference == "A-001"
    assert [on_draft.reference, on_earlier.reference, on_chapter.reference] == [
        "B-001",
        "B-002",
        "B-003",
    ]
    assert on_later.reference == "B-004"


def test_numbers_never_change_and_a_late_comment_gets_the_next_one(db):
    consultation = make_consultation()
    paragraph = make_paragraph(make_section(consultation, 1), 1)
    first = make_published(paragraph)
    withdrawn_later = make_published(paragraph)
    assign_references(consultation.id)
    withdrawn_later.status = CommentStatus.WITHDRAWN
    # Published later, but about an earlier part of the draft: it still goes to the end.
    late = make_published(consultation=consultation)
    db.session.flush()

    assert assign_references(consultation.id) == 1
    assert (first.reference, withdrawn_later.reference, late.reference) == (
        "B-001",
        "B-002",
        "B-003",
    )
    assert assign_references(consultation.id) == 0


def test_only_published_top_level_comments_by_the_public_get_numbers(db):
    consultation = make_consultation()
    paragraph = make_paragraph(make_section(consultation, 1), 1)
    comment = make_published(paragraph)
    reply = make_published(parent=comment)
    pending = make_comment(paragraph)
    rejected = make_comment(paragraph, status=CommentStatus.REJECTED)
    by_staff = make_published(paragraph, staff_author_id=make_staff().id)

    assign_references(consultation.id)

    assert comment.reference == "B-001"
    assert [c.reference for c in (reply, pending, rejected, by_staff)] == [None] * 4


def test_each_consultation_counts_on_its_own(db):
    one, other = make_consultation(), make_consultation()
    make_published(consultation=one)
    elsewhere = make_published(consultation=other)
    assign_references(one.id)
    assign_references(other.id)
    assert elsewhere.reference == "B-001"

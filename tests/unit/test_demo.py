"""The demo consultation loads through the real services and tells a believable story."""

from collections import Counter

from sqlalchemy import func, select

from consult.demo.loader import load_demo, read_concept
from consult.models import Comment, CommentStatus, ModerationDecision, Paragraph
from consult.models.types import utcnow
from consult.services import documents


def test_concept_follows_the_domain_outline():
    concept = read_concept()
    assert [c["number"] for c in concept["chapters"]] == list(range(11))
    paragraphs = sum(len(c["paragraphs"]) for c in concept["chapters"])
    assert 33 <= paragraphs <= 38
    languages = Counter(c["language"] for c in concept["comments"])
    assert languages["ar"] >= 1 and languages["uk"] >= 1


def test_demo_loads_with_consistent_counters_and_decisions(db):
    consultation = load_demo(utcnow())
    assert consultation.is_sample
    page = documents.document_page(consultation.slug)
    assert page.sections[4].paragraphs[3].anchor == "p-4-4"
    statuses = Counter(db.session.scalars(select(Comment.status)))
    assert statuses[CommentStatus.PENDING] >= 3 and statuses[CommentStatus.REJECTED] >= 2
    for paragraph in db.session.scalars(select(Paragraph)):
        assert paragraph.published_comment_count == documents.count_published(paragraph.id)
    top_level = (Comment.status == CommentStatus.APPROVED) & Comment.parent_id.is_(None)
    for section in page.sections:
        on_chapter = select(func.count()).where(
            top_level, Comment.section_id == section.id, Comment.paragraph_id.is_(None)
        )
        assert section.published_comment_count == db.session.scalar(on_chapter)
    on_draft = select(func.count()).where(top_level, Comment.section_id.is_(None))
    assert consultation.published_comment_count == db.session.scalar(on_draft)
    decided = statuses[CommentStatus.APPROVED] + statuses[CommentStatus.REJECTED]
    assert db.session.scalar(select(func.count()).select_from(ModerationDecision)) == decided
    assert db.session.scalar(
        select(func.count()).select_from(Comment).where(Comment.language == "ar")
    )


def test_demo_shows_every_way_of_taking_part(db):
    from pathlib import Path

    from consult.demo.loader import DEMO_MEMBER_PASSWORD, DEMO_PRIVATE_LINK_TOKEN
    from consult.models import Member, Organisation
    from consult.services import participants, passwords

    now = utcnow()
    load_demo(now)
    published = select(Comment).where(Comment.status == CommentStatus.APPROVED)
    statements = db.session.scalars(published.where(Comment.organisation_id.is_not(None))).all()
    assert len(statements) >= 3
    assert db.session.scalars(published.where(Comment.parent_id.is_not(None))).all()
    assert db.session.scalars(published.where(Comment.staff_author_id.is_not(None))).all()
    assert db.session.scalars(published.where(Comment.proposed_text.is_not(None))).all()
    assert db.session.scalars(published.where(Comment.paragraph_id.is_(None))).all()
    organisations = db.session.scalars(select(Organisation)).all()
    assert {o.verified for o in organisations} == {True, False}

    # What `make run` prints must work: the private link and the member's sign-in.
    makefile = (Path(__file__).parents[2] / "Makefile").read_text()
    assert f"/de/my/{DEMO_PRIVATE_LINK_TOKEN}" in makefile
    member = db.session.scalars(select(Member)).one()
    assert member.email in makefile and DEMO_MEMBER_PASSWORD in makefile
    assert passwords.verify(member, DEMO_MEMBER_PASSWORD)
    link = participants.lookup(DEMO_PRIVATE_LINK_TOKEN, now)
    states = {item.comment.status for item in participants.contributions(link.participant)}
    assert {CommentStatus.PENDING, CommentStatus.APPROVED, CommentStatus.REJECTED} <= states


def test_demo_shows_what_moderators_meet(db):
    from consult.models import Flag, RejectionReason
    from consult.services import queue

    load_demo(utcnow())
    redacted = db.session.scalars(select(Comment).where(Comment.redacted_at.is_not(None))).one()
    assert "Lindenstraße" in redacted.original_text and "Lindenstraße" not in redacted.text
    duplicate = db.session.scalars(
        select(ModerationDecision).where(ModerationDecision.reason == RejectionReason.DUPLICATE)
    ).one()
    assert db.session.get(Comment, duplicate.duplicate_of_id).status is CommentStatus.APPROVED
    page = queue.queue_page(queue.QueueFilters(flagged=True), scope=None)
    (reported,) = page.items
    assert reported.comment.status is CommentStatus.APPROVED and reported.flag_total == 2
    assert db.session.scalar(select(func.count()).select_from(Flag)) == 2


def test_demo_has_answers_in_progress_one_shared_by_two_statements(db):
    from consult.models import Answer, Recommendation

    load_demo(utcnow())
    answered = db.session.scalars(select(Comment).where(Comment.answer_id.is_not(None))).all()
    assert all(c.status is CommentStatus.APPROVED and c.parent_id is None for c in answered)
    shared = Counter(c.answer_id for c in answered).most_common(1)[0]
    assert shared[1] == 2
    answers = db.session.scalars(select(Answer)).all()
    assert all(a.is_complete for a in answers)
    assert {a.recommendation for a in answers} == set(Recommendation)
    unanswered = db.session.scalar(
        select(func.count()).where(
            Comment.status == CommentStatus.APPROVED,
            Comment.parent_id.is_(None),
            Comment.staff_author_id.is_(None),
            Comment.answer_id.is_(None),
        )
    )
    # Enough left for whoever tries the workspace.
    assert unanswered >= 5

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
    decided = statuses[CommentStatus.APPROVED] + statuses[CommentStatus.REJECTED]
    assert db.session.scalar(select(func.count()).select_from(ModerationDecision)) == decided
    assert db.session.scalar(
        select(func.count()).select_from(Comment).where(Comment.language == "ar")
    )

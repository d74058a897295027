"""Services, composed inside one rolled-back transaction."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.models import (
    Comment,
    CommentKind,
    CommentStatus,
    Decision,
    ModerationDecision,
    Phase,
    RejectionReason,
    StakeholderGroup,
)
from consult.models.moderation import AppendOnlyError
from consult.models.types import utcnow
from consult.services import comments, documents, moderation, queue
from consult.services.errors import CommentsClosed, NotPending, ReasonRequired
from consult.services.targets import Target
from tests.factories import make_comment, make_document, make_staff


def submit(consultation, paragraph, now=None, **overrides):
    author = comments.Author(
        StakeholderGroup.VOLUNTEER_INITIATIVE, pseudonym="  Ehrenamt   Siegen "
    )
    values = {
        "text": "  Text mit\r\nZeilenumbruch  ",
        "kind": CommentKind.SUGGESTION,
        "language": "de",
        "notice_version": "v1",
        "now": now or utcnow(),
    }
    values.update(overrides)
    target = Target(consultation, paragraph.section, paragraph)
    return comments.submit_comment(target, author, **values)


def test_submit_normalises_text_and_pseudonym(db):
    consultation, (paragraph, *_) = make_document()
    comment = submit(consultation, paragraph)
    assert comment.text == "Text mit\nZeilenumbruch"
    assert comment.pseudonym == "Ehrenamt Siegen"
    assert comment.status is CommentStatus.PENDING


@pytest.mark.parametrize(
    ("phase", "opens", "closes", "accepted"),
    [
        (Phase.OPEN, -1, 1, True),
        (Phase.OPEN, 1, 2, False),  # not yet open
        (Phase.OPEN, -2, -1, False),  # already closed
        (Phase.PREVIEW, -1, 1, False),
        (Phase.DRAFT, -1, 1, False),
        (Phase.EVALUATION, -1, 1, False),
        (Phase.RESULTS, -1, 1, False),
    ],
)
def test_submit_only_while_open(db, phase, opens, closes, accepted):
    now = utcnow()
    consultation, (paragraph, *_) = make_document(
        phase=phase, opens_at=now + timedelta(days=opens), closes_at=now + timedelta(days=closes)
    )
    if accepted:
        assert submit(consultation, paragraph, now=now).id
    else:
        with pytest.raises(CommentsClosed):
            submit(consultation, paragraph, now=now)


def test_approve_publishes_and_counts(db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph)
    moderator = make_staff()
    now = utcnow()
    moderation.decide(
        comment.id, moderator=moderator, decision=Decision.APPROVE, reason=None, now=now
    )
    assert comment.status is CommentStatus.APPROVED
    assert comment.published_at == now
    assert comment.version == 2
    assert paragraph.published_comment_count == 1 == documents.count_published(paragraph.id)
    target = Target(paragraph.consultation, paragraph.section, paragraph)
    thread = documents.thread_page(target, documents.ThreadFilters())
    assert [c.id for c in thread.comments] == [comment.id]


def test_reject_needs_a_reason_and_does_not_count(db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph)
    moderator = make_staff()
    with pytest.raises(ReasonRequired):
        moderation.decide(
            comment.id, moderator=moderator, decision=Decision.REJECT, reason=None, now=utcnow()
        )
    moderation.decide(
        comment.id,
        moderator=moderator,
        decision=Decision.REJECT,
        reason=RejectionReason.OFF_TOPIC,
        now=utcnow(),
    )
    assert comment.status is CommentStatus.REJECTED
    assert paragraph.published_comment_count == 0


def test_only_the_first_of_two_decisions_counts(db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph)
    first, second = make_staff(display_name="A"), make_staff(display_name="B")
    moderation.decide(
        comment.id, moderator=first, decision=Decision.APPROVE, reason=None, now=utcnow()
    )
    with pytest.raises(NotPending) as conflict:
        moderation.decide(
            comment.id,
            moderator=second,
            decision=Decision.REJECT,
            reason=RejectionReason.SPAM,
            now=utcnow(),
        )
    assert conflict.value.latest_decision.moderator.display_name == "A"
    assert paragraph.published_comment_count == 1
    assert len(db.session.scalars(select(ModerationDecision)).all()) == 1


def test_decisions_cannot_be_rewritten_or_deleted(db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph)
    record = moderation.decide(
        comment.id, moderator=make_staff(), decision=Decision.APPROVE, reason=None, now=utcnow()
    )
    db.session.commit()  # a savepoint inside the test's transaction
    record.decision = Decision.REJECT
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    record = db.session.scalars(select(ModerationDecision)).one()
    db.session.delete(record)
    with pytest.raises(AppendOnlyError):
        db.session.flush()


def test_queue_is_oldest_first_and_pending_only(db):
    _, (paragraph, *_) = make_document()
    now = utcnow()
    newer = make_comment(paragraph, created_at=now)
    older = make_comment(paragraph, created_at=now - timedelta(hours=2))
    make_comment(paragraph, status=CommentStatus.APPROVED)
    page = queue.queue_page(queue.QueueFilters(), scope=None)
    assert [item.comment.id for item in page.items] == [older.id, newer.id]
    assert page.waiting == page.total == 2


def test_document_page_loads_everything_it_renders(db):
    consultation, _paragraphs = make_document(paragraphs=4)
    page = documents.document_page(consultation.slug)
    assert [p.number for s in page.sections for p in s.paragraphs] == ["1.1", "1.2", "1.3", "1.4"]
    assert documents.document_page("nope") is None


def test_comment_rows_hold_no_network_address(db):
    columns = {column.name for column in Comment.__table__.columns}
    assert not columns & {"ip", "ip_address", "remote_addr", "user_agent"}


def test_production_needs_the_public_address_for_mailed_links(monkeypatch):
    from consult.config import ProductionConfig

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 32)
    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI", "postgresql://db/consult")
    monkeypatch.delenv("CONSULT_PUBLIC_URL", raising=False)
    with pytest.raises(RuntimeError, match="CONSULT_PUBLIC_URL"):
        ProductionConfig.check()
    monkeypatch.setenv("CONSULT_PUBLIC_URL", "https://beteiligung.kreis.example")
    ProductionConfig.check()


def test_counters_follow_the_target_and_ignore_replies(db):
    consultation, (paragraph, *_) = make_document()
    section = paragraph.section
    moderator = make_staff()
    on_chapter = make_comment(section=section)
    on_draft = make_comment(consultation=consultation)
    parent = make_comment(paragraph, status=CommentStatus.APPROVED)
    reply = make_comment(parent=parent)
    for comment in (on_chapter, on_draft, reply):
        moderation.decide(
            comment.id, moderator=moderator, decision=Decision.APPROVE, reason=None, now=utcnow()
        )
    assert (section.published_comment_count, consultation.published_comment_count) == (1, 1)
    assert paragraph.published_comment_count == 1  # the parent only


def test_a_withdrawn_comment_cannot_be_approved_and_leaves_its_counter(db):
    from consult.services import participants
    from tests.factories import make_participant

    _, (paragraph, *_) = make_document()
    participant, _ = make_participant()
    published = make_comment(
        paragraph, status=CommentStatus.APPROVED, participant_id=participant.id
    )
    pending = make_comment(paragraph, participant_id=participant.id)
    participants.withdraw(participant, published.id, now=utcnow())
    participants.withdraw(participant, pending.id, now=utcnow())
    assert paragraph.published_comment_count == 0 == documents.count_published(paragraph.id)
    with pytest.raises(NotPending):
        moderation.decide(
            pending.id, moderator=make_staff(), decision=Decision.APPROVE, reason=None, now=utcnow()
        )
    assert queue.queue_page(queue.QueueFilters(), scope=None).items == []

"""services.flags: counting reports in the database, refusing what is not published, and hiding
a comment (once, with its counter) when the rules say so."""

import pytest
from sqlalchemy import select, update

from consult.models import AuditEvent, Comment, CommentStatus, Flag, RejectionReason
from consult.models.types import utcnow
from consult.services import flags, participants
from consult.services.errors import NotReportable
from tests.factories import make_comment, make_document, make_participant, make_section

SPAM = RejectionReason.SPAM


def flag(comment, hide_after=0, reason=SPAM):
    return flags.flag_comment(comment.id, reason, now=utcnow(), hide_after=hide_after)


def row(db, comment):
    return db.session.execute(
        select(Comment.status, Comment.open_flag_count, Comment.version).where(
            Comment.id == comment.id
        )
    ).one()


def test_a_report_stores_a_flag_and_counts_it(db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    now = utcnow()
    outcome = flags.flag_comment(comment.id, RejectionReason.OFF_TOPIC, now=now, hide_after=0)
    assert outcome.open_flags == 1 and not outcome.hidden
    stored = db.session.scalars(select(Flag)).one()
    assert stored is outcome.flag
    assert (stored.comment_id, stored.reason, stored.created_at) == (
        comment.id,
        RejectionReason.OFF_TOPIC,
        now,
    )
    # The comment in the session shows the new count, not the one it was loaded with.
    assert comment.open_flag_count == 1


def test_the_count_is_added_in_the_database_not_from_what_was_read(db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    assert comment.open_flag_count == 0
    # Another reader's report lands after this session read the comment.
    db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id)
        .values(open_flag_count=1)
        .execution_options(synchronize_session=False)
    )
    assert flag(comment).open_flags == 2
    assert row(db, comment).open_flag_count == 2


@pytest.mark.parametrize(
    "status", [CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.WITHDRAWN]
)
def test_unpublished_comments_are_refused_and_nothing_is_written(db, status):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=status)
    with pytest.raises(NotReportable):
        flag(comment, hide_after=1)
    assert db.session.scalars(select(Flag)).all() == []
    assert row(db, comment) == (status, 0, 1)


@pytest.mark.parametrize("parent_status", [CommentStatus.WITHDRAWN, CommentStatus.HIDDEN])
def test_a_reply_is_refused_while_its_comment_is_not_public(db, parent_status):
    _, (paragraph, *_) = make_document()
    parent = make_comment(paragraph, status=parent_status)
    reply = make_comment(parent=parent, status=CommentStatus.APPROVED)
    assert not flags.is_reportable(flags.report_view(reply.id))
    with pytest.raises(NotReportable):
        flag(reply)
    assert row(db, reply).open_flag_count == 0


def test_a_published_reply_can_be_reported(db):
    _, (paragraph, *_) = make_document()
    parent = make_comment(paragraph, status=CommentStatus.APPROVED)
    reply = make_comment(parent=parent, status=CommentStatus.APPROVED)
    assert flags.is_reportable(flags.report_view(reply.id))
    assert flag(reply).open_flags == 1


def test_the_limit_hides_on_the_report_that_reaches_it(db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    assert paragraph.published_comment_count == 1

    first = flag(comment, hide_after=2)
    assert not first.hidden and row(db, comment) == (CommentStatus.APPROVED, 1, 1)
    assert paragraph.published_comment_count == 1

    second = flag(comment, hide_after=2)
    assert second.hidden and second.open_flags == 2
    assert row(db, comment) == (CommentStatus.HIDDEN, 2, 2)
    assert paragraph.published_comment_count == 0
    assert comment.status is CommentStatus.HIDDEN  # expired, so read afresh
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "comment.hidden_after_reports")
    ).one()
    assert event.actor_id is None
    assert (event.subject_type, event.subject_id) == ("comment", comment.id)
    assert event.details == {"comment_id": comment.id, "open_reports": 2}


def test_a_hidden_comment_takes_more_reports_without_leaving_its_counter_twice(db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    flag(comment, hide_after=1)
    third = flag(comment, hide_after=1)
    assert not third.hidden
    assert row(db, comment) == (CommentStatus.HIDDEN, 2, 2)
    assert paragraph.published_comment_count == 0
    assert len(db.session.scalars(select(Flag)).all()) == 2


def test_no_limit_never_hides(db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    outcomes = [flag(comment, hide_after=0) for _ in range(5)]
    assert [o.open_flags for o in outcomes] == [1, 2, 3, 4, 5]
    assert not any(o.hidden for o in outcomes)
    assert row(db, comment).status is CommentStatus.APPROVED
    assert paragraph.published_comment_count == 1


def test_hiding_takes_chapter_and_draft_comments_out_of_their_counters(db):
    consultation, _ = make_document()
    section = make_section(consultation)
    on_chapter = make_comment(section=section, status=CommentStatus.APPROVED)
    on_draft = make_comment(consultation=consultation, status=CommentStatus.APPROVED)
    assert (section.published_comment_count, consultation.published_comment_count) == (1, 1)
    flag(on_chapter, hide_after=1)
    flag(on_draft, hide_after=1)
    assert (section.published_comment_count, consultation.published_comment_count) == (0, 0)


def test_hiding_a_reply_leaves_the_counters_alone(db):
    _, (paragraph, *_) = make_document()
    parent = make_comment(paragraph, status=CommentStatus.APPROVED)
    reply = make_comment(parent=parent, status=CommentStatus.APPROVED)
    assert flag(reply, hide_after=1).hidden
    assert paragraph.published_comment_count == 1


def test_withdrawing_a_hidden_comment_does_not_count_it_out_again(db):
    _, (paragraph, *_) = make_document()
    participant, _token = make_participant()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED, participant_id=participant.id)
    make_comment(paragraph, status=CommentStatus.APPROVED)
    flag(comment, hide_after=1)
    assert paragraph.published_comment_count == 1
    participants.withdraw(participant, comment.id, now=utcnow())
    assert row(db, comment).status is CommentStatus.WITHDRAWN
    assert paragraph.published_comment_count == 1

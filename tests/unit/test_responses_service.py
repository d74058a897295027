"""The answer rules without HTTP: versions, shared answers, progress and publication."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value

from consult.models import (
    Answer,
    AuditEvent,
    Comment,
    CommentStatus,
    Phase,
    Recommendation,
    Role,
)
from consult.models.types import utcnow
from consult.services import publication, responses
from consult.services.responses import (
    WHOLE_DRAFT,
    AnswerChanged,
    AnswersWouldBeLost,
    NotAnswerable,
    NothingToShare,
    NotShared,
    WorkspaceFilters,
)
from tests.factories import (
    make_answer,
    make_comment,
    make_consultation,
    make_paragraph,
    make_participant,
    make_published,
    make_section,
    make_staff,
)


@pytest.fixture
def world(db):
    consultation = make_consultation(phase=Phase.EVALUATION)
    first = make_section(consultation, number=1)
    second = make_section(consultation, number=2)
    paragraphs = [make_paragraph(first, 1), make_paragraph(second, 1)]
    return consultation, (first, second), paragraphs, make_staff(role=Role.ADMIN)


def save(consultation, comment, actor, version, text="Antwort", recommendation=None):
    return responses.save_answer(
        consultation.id,
        comment.id,
        actor=actor,
        text=text,
        recommendation=recommendation,
        change_text="",
        seen_version=version,
        now=utcnow(),
    )


def answer_count(db):
    return db.session.scalar(select(func.count()).select_from(Answer))


def test_each_save_raises_the_version_and_a_stale_one_is_refused(world, db):
    consultation, _chapters, (paragraph, _), actor = world
    comment = make_published(paragraph)
    first = save(consultation, comment, actor, 0, recommendation=Recommendation.NOTED)
    assert first.version == 1 and first.is_complete
    second = save(consultation, comment, actor, 1, text="Besser")
    assert second.id == first.id and second.version == 2 and not second.is_complete
    with pytest.raises(AnswerChanged) as conflict:
        save(consultation, comment, actor, 1, text="Veraltet")
    assert conflict.value.current.text == "Besser"
    # Version 0 means "there was no answer": a colleague's new answer is not overwritten.
    with pytest.raises(AnswerChanged):
        save(consultation, comment, actor, 0)


def test_only_published_top_level_comments_of_the_consultation_are_answerable(world, db):
    consultation, _chapters, (paragraph, _), actor = world
    other = make_consultation()
    foreign = make_published(make_paragraph(make_section(other, number=1), 1))
    parent = make_published(paragraph)
    for comment in (
        foreign,
        make_comment(paragraph),
        make_comment(paragraph, status=CommentStatus.WITHDRAWN),
        make_comment(parent=parent, status=CommentStatus.APPROVED),
        make_published(paragraph, staff_author_id=actor.id),
    ):
        with pytest.raises(NotAnswerable):
            save(consultation, comment, actor, 0)
    assert answer_count(db) == 0


def test_sharing_takes_the_first_complete_answer_and_drops_the_unused(world, db):
    consultation, _chapters, (p1, p2), actor = world
    a, b, c = make_published(p1), make_published(p1), make_published(p2)
    draft = make_answer(a, text="Entwurf", recommendation=None)
    complete = make_answer(c, text="Fertig")
    shared = responses.share_answer(
        consultation.id, [a.id, b.id, c.id], actor=actor, now=utcnow(), replace_answers=True
    )
    assert shared.id == complete.id and shared.version == 2
    holders = db.session.scalars(
        select(Comment.answer_id).where(Comment.id.in_([a.id, b.id, c.id]))
    )
    assert set(holders) == {complete.id}
    assert db.session.get(Answer, draft.id) is None
    assert answer_count(db) == 1


def test_sharing_needs_two_answerable_comments(world, db):
    consultation, _chapters, (paragraph, _), actor = world
    one = make_published(paragraph)
    with pytest.raises(NothingToShare):
        responses.share_answer(consultation.id, [one.id, one.id], actor=actor, now=utcnow())
    with pytest.raises(NotAnswerable):
        responses.share_answer(
            consultation.id, [one.id, make_comment(paragraph).id], actor=actor, now=utcnow()
        )


def test_a_comment_answered_separately_keeps_a_copy(world, db):
    consultation, _chapters, (paragraph, _), actor = world
    a, b = make_published(paragraph), make_published(paragraph)
    shared = make_answer(a, b, change_text="Absatz ergänzt")
    copy = responses.answer_separately(consultation.id, b.id, actor=actor, now=utcnow())
    assert copy.id != shared.id
    assert (copy.text, copy.recommendation, copy.change_text) == (
        shared.text,
        shared.recommendation,
        shared.change_text,
    )
    with pytest.raises(NotShared):
        responses.answer_separately(consultation.id, a.id, actor=actor, now=utcnow())


def test_progress_counts_complete_answers_per_chapter(world, db):
    consultation, (first, second), (p1, _p2), _actor = world
    make_answer(make_published(p1))
    make_answer(make_published(p1), text="")
    make_answer(make_published(section=first), recommendation=None)
    make_published(consultation=consultation)
    overview = responses.overview(consultation)
    by_chapter = {c.chapter: (c.progress.answered, c.progress.total) for c in overview.chapters}
    assert by_chapter == {WHOLE_DRAFT: (0, 1), first.id: (1, 3), second.id: (0, 0)}
    assert (overview.total.answered, overview.total.total) == (1, 4)
    assert overview.default_chapter() == WHOLE_DRAFT


def test_the_default_chapter_is_the_first_with_work_left(world, db):
    consultation, (first, second), (p1, p2), _actor = world
    make_answer(make_published(p1))
    waiting = make_published(p2)
    page = responses.workspace_page(consultation, WorkspaceFilters())
    assert page.filters.chapter == second.id
    assert [item.comment.id for item in page.items] == [waiting.id]
    # Everything answered: the first chapter that has comments at all.
    make_answer(waiting)
    assert responses.overview(consultation).default_chapter() == first.id


def test_publishing_refuses_other_phases_and_unconfirmed_gaps(world, db):
    consultation, _chapters, (paragraph, _), actor = world
    make_published(paragraph)
    with pytest.raises(publication.UnansweredComments) as unanswered:
        publication.publish_results(consultation, actor=actor, now=utcnow())
    assert unanswered.value.count == 1
    assert consultation.phase is Phase.EVALUATION
    consultation.phase = Phase.OPEN
    with pytest.raises(publication.NotInEvaluation):
        publication.publish_results(consultation, actor=actor, now=utcnow(), accept_unanswered=True)


def test_public_answer_only_after_publication_and_only_complete(world, db):
    consultation, _chapters, (paragraph, _), _actor = world
    comment = make_published(paragraph)
    answer = make_answer(comment)
    comment.answer = answer
    assert publication.public_answer(comment, consultation) is None
    consultation.phase = Phase.RESULTS
    assert publication.public_answer(comment, consultation) is answer
    answer.recommendation = None
    assert publication.public_answer(comment, consultation) is None


def test_sharing_comments_with_different_answers_needs_consent(world, db):
    consultation, _chapters, (p1, p2), actor = world
    a = make_published(p1, reference="A-001")
    b = make_published(p1, reference="A-002")
    c = make_published(p2, reference="B-001")
    empty = make_published(p2, reference="B-002")
    first = make_answer(a, text="Wird berücksichtigt")
    make_answer(b, text="Entwurf", recommendation=None)
    make_answer(empty, text="", recommendation=None)
    with pytest.raises(AnswersWouldBeLost) as lost:
        responses.share_answer(
            consultation.id, [a.id, b.id, c.id, empty.id], actor=actor, now=utcnow()
        )
    assert lost.value.holders == [(a.id, "A-001"), (b.id, "A-002")]
    assert lost.value.kept == (a.id, "A-001")
    assert answer_count(db) == 3

    # The same words twice lose nothing; an empty answer neither.
    same = make_published(p2, reference="B-003")
    make_answer(same, text="Wird berücksichtigt")
    shared = responses.share_answer(
        consultation.id, [a.id, same.id, empty.id], actor=actor, now=utcnow()
    )
    assert shared.id == first.id


def test_publishing_twice_at_once_publishes_and_tells_once(world, db):
    consultation, _chapters, (paragraph, _), actor = world
    participant, _token = make_participant(email="einmal@example.org")
    make_answer(make_published(paragraph, participant_id=participant.id))
    publication.publish_results(consultation, actor=actor, now=utcnow())
    assert consultation.phase is Phase.RESULTS
    [notice] = publication.participants_to_tell(consultation.id)
    publication.record_notices(consultation.id, [notice.participant_id], now=utcnow())
    # A second request that read the consultation before the first one wrote.
    set_committed_value(consultation, "phase", Phase.EVALUATION)
    with pytest.raises(publication.NotInEvaluation):
        publication.publish_results(consultation, actor=actor, now=utcnow())
    assert consultation.phase is Phase.RESULTS
    assert publication.participants_to_tell(consultation.id) == []
    events = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "results.publish")
    )
    assert events == 1


def test_the_main_points_of_a_chapter_are_saved_and_audited(world, db):
    consultation, (first, _second), _paragraphs, actor = world
    other = make_section(make_consultation(), number=1)
    section = responses.save_chapter_summary(
        consultation.id, first.id, "  Viele wünschen mehr Beratung.  ", actor=actor, now=utcnow()
    )
    assert section.results_summary == "Viele wünschen mehr Beratung."
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "chapter.results_summary")
    ).one()
    assert event.details == {"chapter": 1, "characters": 29}
    with pytest.raises(responses.NoSuchChapter):
        responses.save_chapter_summary(consultation.id, other.id, "x", actor=actor, now=utcnow())

"""Publishing the results: only from the evaluation, with a confirmation for unanswered
comments; the phase, the date and the numbers it sets; and the participants it tells."""

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from consult.extensions import db as _db
from consult.mail import MailError
from consult.models import (
    AuditEvent,
    Comment,
    CommentStatus,
    Consultation,
    Participant,
    Phase,
    ResultsNotice,
    Role,
)
from consult.models.types import utcnow
from consult.routes import answers as answers_routes
from consult.services import publication
from tests.conftest import csrf_from, html
from tests.factories import (
    make_answer,
    make_comment,
    make_consultation,
    make_organisation,
    make_paragraph,
    make_participant,
    make_published,
    make_section,
    make_staff,
)


def make_evaluated(phase=Phase.EVALUATION):
    consultation = make_consultation(phase=phase, title="KIM-Konzept 2026")
    paragraph = make_paragraph(make_section(consultation, number=1), 1)
    return consultation, paragraph


def confirm_url(consultation):
    return f"/en/admin/consultations/{consultation.id}/publish-results"


def notices_url(consultation):
    return f"/en/admin/consultations/{consultation.id}/publish-results/notices"


def publish(client, consultation, **fields):
    token = csrf_from(client.get(f"/en/admin/consultations/{consultation.id}/answers").text)
    return client.post(confirm_url(consultation), data={"csrf_token": token, **fields})


def reloaded(consultation):
    _db.session.expire_all()
    return _db.session.get(Consultation, consultation.id)


def test_the_confirmation_page_counts_answered_and_unanswered_comments(client, admin):
    consultation, paragraph = make_evaluated()
    make_answer(make_published(paragraph))
    make_published(paragraph)
    make_published(paragraph)
    page = html(client.get(confirm_url(consultation)))
    assert "<dt>Answered comments</dt><dd>1</dd>" in page
    assert "<dt>Comments without a complete answer</dt><dd>2</dd>" in page
    assert "Publish although 2 comments are unanswered" in page


def test_unanswered_comments_must_be_confirmed(client, admin):
    consultation, paragraph = make_evaluated()
    make_answer(make_published(paragraph))
    make_published(paragraph)

    response = publish(client, consultation)
    assert response.status_code == 422
    assert "1 comment has no complete answer. Tick the box to publish anyway." in html(response)
    assert reloaded(consultation).phase is Phase.EVALUATION

    response = publish(client, consultation, accept_unanswered="y")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/en/admin/consultations/{consultation.id}/")
    assert reloaded(consultation).phase is Phase.RESULTS


def test_publishing_sets_the_phase_the_date_and_the_numbers(client, admin):
    consultation, paragraph = make_evaluated()
    organisation = make_organisation()
    statement = make_published(paragraph, organisation_id=organisation.id)
    individual = make_published(paragraph)
    make_answer(statement)
    make_answer(individual)

    response = publish(client, consultation)
    assert response.status_code == 303
    published_consultation = reloaded(consultation)
    assert published_consultation.phase is Phase.RESULTS
    assert published_consultation.results_published_at is not None
    assert _db.session.get(Comment, statement.id).reference == "A-001"
    assert _db.session.get(Comment, individual.id).reference == "B-001"
    event = _db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "results.publish")
    ).one()
    assert event.details == {"answered": 2, "unanswered": 0, "numbered": 2, "notices": 0}


def test_results_are_published_only_from_the_evaluation(client, admin):
    for phase in (Phase.DRAFT, Phase.PREVIEW, Phase.OPEN, Phase.RESULTS):
        consultation, paragraph = make_evaluated(phase=phase)
        make_answer(make_published(paragraph))
        page = html(client.get(confirm_url(consultation)))
        assert "Publish the results</button>" not in page
        response = publish(client, consultation, accept_unanswered="y")
        assert response.status_code == 409
        assert "only be published while the consultation is closed" in html(response)
        assert reloaded(consultation).phase is phase


def test_only_the_administration_publishes(client, login):
    consultation, paragraph = make_evaluated()
    make_answer(make_published(paragraph))
    assert client.get(confirm_url(consultation)).status_code == 302
    login(make_staff(role=Role.MODERATOR))
    assert client.get(confirm_url(consultation)).status_code == 403
    token = csrf_from(client.get("/en/moderation/").text)
    assert client.post(confirm_url(consultation), data={"csrf_token": token}).status_code == 403
    assert reloaded(consultation).phase is Phase.EVALUATION


# Telling the participants --------------------------------------------------------------------


def test_participants_with_an_address_and_something_left_are_told_in_their_language(
    app, client, admin, outbox, monkeypatch
):
    monkeypatch.setitem(app.config, "LANGUAGES", ["de", "en", "ar"])
    consultation, paragraph = make_evaluated()
    german, _ = make_participant(email="deutsch@example.org", language="de")
    arabic, _ = make_participant(email="arabisch@example.org", language="ar")
    withdrew, _ = make_participant(email="zurueckgezogen@example.org")
    no_address, _ = make_participant()
    elsewhere, _ = make_participant(email="anderswo@example.org")
    other_consultation, other_paragraph = make_evaluated()

    answered = make_published(paragraph, participant_id=german.id, text="Geheimer Inhalt")
    make_answer(answered)
    make_comment(paragraph, participant_id=german.id, status=CommentStatus.WITHDRAWN)
    # A comment still waiting (or rejected) is still theirs: they are told as well.
    make_comment(paragraph, participant_id=arabic.id)
    make_comment(paragraph, participant_id=withdrew.id, status=CommentStatus.WITHDRAWN)
    make_answer(make_published(paragraph, participant_id=no_address.id))
    make_published(other_paragraph, participant_id=elsewhere.id)

    response = publish(client, consultation, accept_unanswered="y")
    assert response.status_code == 303

    recipients = {message.to: message for message in outbox}
    assert set(recipients) == {"deutsch@example.org", "arabisch@example.org"}
    to_german = recipients["deutsch@example.org"]
    assert to_german.subject
    assert f"/de/c/{consultation.slug}/results" in to_german.body
    assert f"/de/c/{consultation.slug}/" in to_german.body
    assert "KIM-Konzept 2026" in to_german.body
    assert "Geheimer Inhalt" not in to_german.body
    assert f"/ar/c/{consultation.slug}/results" in recipients["arabisch@example.org"].body

    page = html(client.get("/en/"))
    assert "2 of 2 participants with an e-mail address have been told." in page
    told = _db.session.scalars(select(ResultsNotice.participant_id)).all()
    assert sorted(told) == sorted([german.id, arabic.id])
    notify = _db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "results.notify")
    ).one()
    assert notify.details == {"sent": 2, "failed": 0, "told": 2, "missing": 0}
    events = _db.session.scalars(select(AuditEvent)).all()
    assert events and not any("@" in str(event.details) for event in events)
    assert other_consultation.phase is Phase.EVALUATION


def test_a_language_the_site_does_not_offer_falls_back_to_the_first(client, admin, outbox):
    consultation, paragraph = make_evaluated()
    persian, _ = make_participant(email="farsi@example.org", language="fa")
    make_answer(make_published(paragraph, participant_id=persian.id))
    assert publish(client, consultation).status_code == 303
    assert f"/de/c/{consultation.slug}/results" in outbox[0].body


def test_a_failing_mail_server_is_reported_and_the_results_stay_published(
    app, client, admin, outbox, monkeypatch
):
    consultation, paragraph = make_evaluated()
    reachable, _ = make_participant(email="gut@example.org")
    unreachable, _ = make_participant(email="kaputt@example.org")
    make_answer(make_published(paragraph, participant_id=reachable.id))
    make_answer(make_published(paragraph, participant_id=unreachable.id))
    mailer = app.extensions["consult.mail"]
    deliver = mailer.send

    def refusing(message):
        if message.to == "kaputt@example.org":
            raise MailError("SMTPRecipientsRefused")
        deliver(message)

    monkeypatch.setattr(mailer, "send", refusing)

    response = publish(client, consultation)
    assert response.status_code == 303
    assert [message.to for message in outbox] == ["gut@example.org"]
    page = html(client.get("/en/"))
    assert "1 of 2 participants with an e-mail address have been told." in page
    assert "1 e-mail could not be sent." in page
    assert reloaded(consultation).phase is Phase.RESULTS

    # The page of the publication says who is missing and sends only to them.
    page = html(client.get(confirm_url(consultation)))
    assert "1 of 2 participants with an e-mail address have been told." in page
    assert "Send the missing notices" in page
    monkeypatch.setattr(mailer, "send", deliver)
    response = client.post(notices_url(consultation), data={"csrf_token": csrf_from(page)})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(confirm_url(consultation))
    assert [message.to for message in outbox] == ["gut@example.org", "kaputt@example.org"]
    page = html(client.get(confirm_url(consultation)))
    assert "2 of 2 participants with an e-mail address have been told." in page
    assert "Send the missing notices" not in page

    # Nothing is missing any more: pressing again sends nothing.
    client.post(notices_url(consultation), data={"csrf_token": csrf_from(page)})
    assert len(outbox) == 2


def test_a_double_click_on_publish_tells_everyone_once(client, admin, outbox):
    consultation, paragraph = make_evaluated()
    for address in ("eins@example.org", "zwei@example.org"):
        participant, _ = make_participant(email=address)
        make_answer(make_published(paragraph, participant_id=participant.id))
    token = csrf_from(client.get(confirm_url(consultation)).text)

    assert client.post(confirm_url(consultation), data={"csrf_token": token}).status_code == 303
    assert len(outbox) == 2
    # The second request loaded the consultation before the first one committed: to it, the
    # consultation still looks as if it were being evaluated.
    set_committed_value(consultation, "phase", Phase.EVALUATION)
    response = client.post(confirm_url(consultation), data={"csrf_token": token})
    assert response.status_code == 409
    assert len(outbox) == 2
    assert reloaded(consultation).phase is Phase.RESULTS
    assert _db.session.scalar(select(func.count()).select_from(ResultsNotice)) == 2


def test_notices_go_out_in_batches_and_an_interrupted_run_is_finished_later(
    app, client, admin, outbox, monkeypatch
):
    consultation, paragraph = make_evaluated()
    participants = []
    for n in range(5):
        participant, _ = make_participant(email=f"person{n}@example.org")
        make_answer(make_published(paragraph, participant_id=participant.id))
        participants.append(participant)
    monkeypatch.setattr(answers_routes, "NOTICE_BATCH", 2)
    mailer = app.extensions["consult.mail"]
    deliver_batch = mailer.send_many
    batches = []

    def stopped_after_the_first_batch(messages):
        batches.append([message.to for message in messages])
        if len(batches) > 1:
            # The worker is stopped while it sends (a timeout, a restart).
            raise SystemExit("worker stopped")
        return deliver_batch(messages)

    monkeypatch.setattr(mailer, "send_many", stopped_after_the_first_batch)
    token = csrf_from(client.get(confirm_url(consultation)).text)
    with pytest.raises(SystemExit):
        client.post(confirm_url(consultation), data={"csrf_token": token})
    assert batches[0] == ["person0@example.org", "person1@example.org"]
    assert reloaded(consultation).phase is Phase.RESULTS

    page = html(client.get(confirm_url(consultation)))
    assert "2 of 5 participants with an e-mail address have been told." in page
    assert "3 participants have not been told yet" in page

    monkeypatch.setattr(mailer, "send_many", deliver_batch)
    response = client.post(notices_url(consultation), data={"csrf_token": csrf_from(page)})
    assert response.status_code == 303
    assert [message.to for message in outbox] == [f"person{n}@example.org" for n in range(5)]
    page = html(client.get(confirm_url(consultation)))
    assert "5 of 5 participants with an e-mail address have been told." in page
    assert "Send the missing notices" not in page
    event = _db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "results.notify")
    ).one()
    assert event.details == {"sent": 3, "failed": 0, "told": 5, "missing": 0}


def test_missing_notices_are_sent_only_after_publication_and_only_by_the_administration(
    client, login, outbox
):
    consultation, paragraph = make_evaluated()
    participant, _ = make_participant(email="wartet@example.org")
    make_answer(make_published(paragraph, participant_id=participant.id))
    moderator = make_staff(role=Role.MODERATOR)
    administrator = make_staff(role=Role.ADMIN)
    login(moderator)
    token = csrf_from(client.get("/en/moderation/").text)
    assert client.post(notices_url(consultation), data={"csrf_token": token}).status_code == 403

    login(administrator)
    page = html(client.get(confirm_url(consultation)))
    assert "Send the missing notices" not in page
    response = client.post(notices_url(consultation), data={"csrf_token": csrf_from(page)})
    assert response.status_code == 409
    assert "Participants are told once the results are published." in html(response)
    assert client.post(notices_url(consultation), data={}).status_code == 400
    assert outbox == []


def test_a_participant_is_recorded_as_told_once_and_erasing_them_erases_the_record(db):
    consultation, paragraph = make_evaluated(phase=Phase.RESULTS)
    participant, _ = make_participant(email="einmal@example.org")
    make_comment(paragraph, participant_id=participant.id)
    now = utcnow()
    assert publication.record_notices(consultation.id, [participant.id], now=now) == 1
    assert publication.record_notices(consultation.id, [participant.id], now=now) == 0
    assert publication.participants_to_tell(consultation.id) == []
    assert publication.notice_counts(consultation.id) == publication.NoticeCounts(1, 0)
    # The database itself refuses a second notice.
    with pytest.raises(IntegrityError), _db.session.begin_nested():
        _db.session.add(
            ResultsNotice(consultation_id=consultation.id, participant_id=participant.id)
        )
        _db.session.flush()

    _db.session.execute(delete(Comment).where(Comment.participant_id == participant.id))
    _db.session.execute(delete(Participant).where(Participant.id == participant.id))
    assert _db.session.scalar(select(func.count()).select_from(ResultsNotice)) == 0


def test_an_unreachable_mail_server_stops_the_run_after_one_batch(
    app, client, admin, outbox, monkeypatch
):
    consultation, paragraph = make_evaluated()
    for n in range(4):
        participant, _ = make_participant(email=f"person{n}@example.org")
        make_answer(make_published(paragraph, participant_id=participant.id))
    monkeypatch.setattr(answers_routes, "NOTICE_BATCH", 2)
    mailer = app.extensions["consult.mail"]
    attempts = []

    def unreachable(messages):
        attempts.append(len(messages))
        return [False] * len(messages)

    monkeypatch.setattr(mailer, "send_many", unreachable)
    assert publish(client, consultation).status_code == 303
    # Every further batch would only wait for the same timeout; the rest is sent later.
    assert attempts == [2]
    page = html(client.get(confirm_url(consultation)))
    assert "4 participants have not been told yet" in page

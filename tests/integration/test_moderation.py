"""The moderation queue and decisions, with HTMX and without."""

from sqlalchemy import select

from consult.models import (
    AuditEvent,
    CommentKind,
    CommentStatus,
    Decision,
    ModerationDecision,
    RejectionReason,
    Role,
)
from consult.services import documents
from tests.factories import make_comment, make_document, make_staff

QUEUE = "/en/moderation/"


def decide_url(comment, lang="en"):
    return f"/{lang}/moderation/comments/{comment.id}/decision"


def decision_form(client, comment, decision, reason="", note=""):
    token = _token(client)
    prefix = f"c{comment.id}-"
    return {
        "csrf_token": token,
        prefix + "decision": decision,
        prefix + "reason": reason,
        prefix + "note": note,
        prefix + "version": comment.version,
    }


def _token(client):
    from tests.conftest import csrf_from

    return csrf_from(client.get(QUEUE).get_data(as_text=True))


def test_queue_requires_sign_in(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "/en/staff/login" in response.headers["Location"]


def test_queue_shows_pending_comments_oldest_first_with_paragraph_text(client, login):
    _consultation, (first, second, _) = make_document()
    second.text = "Kontext des zweiten Absatzes"
    make_comment(second, text="Jüngerer Kommentar")
    older = make_comment(first, text="Älterer Kommentar")
    older.created_at = older.created_at.replace(year=2025)
    make_comment(first, text="Schon veröffentlicht", status=CommentStatus.APPROVED)
    login(make_staff())
    html = client.get(QUEUE).get_data(as_text=True)
    assert html.index("Älterer Kommentar") < html.index("Jüngerer Kommentar")
    assert "Kontext des zweiten Absatzes" in html
    assert "Schon veröffentlicht" not in html
    assert "2 items wait for a decision." in html


def test_approve_with_htmx_replaces_the_item_and_updates_the_count(client, hx, db, login):
    consultation, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, text="Bitte freigeben")
    make_comment(paragraph, text="Wartet weiter")
    moderator = login(make_staff())

    response = hx.post(decide_url(comment), data=decision_form(client, comment, "approve"))
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert f'id="queue-item-{comment.id}"' in html and "approved" in html
    assert 'id="queue-count" class="queue-count" hx-swap-oob="true"' in html
    assert "1 item waits for a decision." in html
    db.session.expire_all()
    assert comment.status is CommentStatus.APPROVED
    [record] = db.session.scalars(select(ModerationDecision)).all()
    assert (record.moderator_id, record.decision, record.reason) == (
        moderator.id,
        Decision.APPROVE,
        None,
    )
    public = client.get(f"/de/c/{consultation.slug}/p/1.1").get_data(as_text=True)
    assert "Bitte freigeben" in public and "Wartet weiter" not in public


def test_reject_without_js_redirects_to_the_queue_and_stays_unpublished(client, db, login):
    consultation, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, text="Werbung für Waschmaschinen")
    login(make_staff())
    response = client.post(
        decide_url(comment), data=decision_form(client, comment, "reject", reason="spam")
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/en/moderation/#queue-start")
    assert "rejected" in client.get(QUEUE).get_data(as_text=True)
    db.session.expire_all()
    assert comment.status is CommentStatus.REJECTED
    record = db.session.scalars(select(ModerationDecision)).one()
    assert record.reason is RejectionReason.SPAM
    public = client.get(f"/de/c/{consultation.slug}/p/1.1").get_data(as_text=True)
    assert "Waschmaschinen" not in public


def test_reject_without_reason_is_422_and_nothing_decided(client, hx, db, login):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph)
    login(make_staff())
    for send in (client.post, hx.post):
        response = send(decide_url(comment), data=decision_form(client, comment, "reject"))
        assert response.status_code == 422
        assert "Please choose a reason for the rejection." in response.get_data(as_text=True)
    db.session.expire_all()
    assert comment.status is CommentStatus.PENDING
    assert db.session.scalars(select(ModerationDecision)).all() == []


def test_second_decision_on_the_same_comment_says_who_decided(client, hx, db, login):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph)
    first = make_staff(display_name="Erste Moderatorin")
    login(make_staff(display_name="Zweite"))
    from consult.models.types import utcnow
    from consult.services import moderation

    moderation.decide(
        comment.id, moderator=first, decision=Decision.APPROVE, reason=None, now=utcnow()
    )
    db.session.commit()
    response = hx.post(
        decide_url(comment), data=decision_form(client, comment, "reject", reason="spam")
    )
    assert response.status_code == 409
    assert "already decided by Erste Moderatorin" in response.get_data(as_text=True)
    db.session.expire_all()
    assert comment.status is CommentStatus.APPROVED
    assert len(db.session.scalars(select(ModerationDecision)).all()) == 1


def test_approval_increments_the_paragraph_counter(client, hx, db, login):
    consultation, (paragraph, *_) = make_document()
    comment = make_comment(paragraph)
    login(make_staff())
    hx.post(decide_url(comment), data=decision_form(client, comment, "approve"))
    db.session.expire_all()
    assert paragraph.published_comment_count == documents.count_published(paragraph.id) == 1
    html = client.get(f"/en/c/{consultation.slug}/").get_data(as_text=True)
    assert "1 comment" in html


def test_decisions_are_audited(client, hx, db, login):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph)
    moderator = login(make_staff())
    hx.post(decide_url(comment), data=decision_form(client, comment, "approve"))
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "comment.approve")
    ).one()
    assert event.actor_id == moderator.id
    assert event.details["comment_id"] == comment.id


def test_inactive_staff_cannot_moderate(client, login):
    login(make_staff(active=False))
    assert client.get(QUEUE).status_code == 302


def test_decide_requires_csrf(client, db, login):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph)
    login(make_staff(role=Role.ADMIN))
    response = client.post(decide_url(comment), data={f"c{comment.id}-decision": "approve"})
    assert response.status_code == 400
    db.session.expire_all()
    assert comment.status is CommentStatus.PENDING


def test_unknown_comment_is_404(client, login):
    login(make_staff())
    token = _token(client)
    response = client.post(
        "/en/moderation/comments/999999/decision",
        data={"csrf_token": token, "c999999-decision": "approve"},
    )
    assert response.status_code == 404


def test_lost_session_sends_htmx_to_the_sign_in_page_not_into_the_queue(client, hx, db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph)
    response = hx.post(
        decide_url(comment),
        data={f"c{comment.id}-decision": "approve"},
        headers={"HX-Current-URL": "http://localhost/en/moderation/"},
    )
    # CSRF runs first for anonymous posts; with a token the sign-in redirect is what remains.
    assert response.status_code in (400, 401)


def test_lost_session_redirect_with_csrf(client, hx, db, login):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph)
    user = login(make_staff())
    token = _token(client)
    from consult.services.staff import end_all_sessions

    end_all_sessions(user)
    db.session.commit()
    data = {"csrf_token": token, f"c{comment.id}-decision": "approve"}
    response = hx.post(
        decide_url(comment), data=data, headers={"HX-Current-URL": "http://x/en/moderation/"}
    )
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/en/staff/login?next=/en/moderation/"
    assert response.get_data() == b""
    plain = client.post(decide_url(comment), data=data)
    assert plain.status_code == 303
    assert plain.headers["Location"].endswith("/en/staff/login?next=/en/moderation/")


def test_huge_comment_id_is_404(client, login):
    login(make_staff())
    token = _token(client)
    response = client.post(
        "/en/moderation/comments/99999999999999999999/decision", data={"csrf_token": token}
    )
    assert response.status_code == 404


def test_queue_shows_replies_with_their_parent_and_proposals_as_a_diff(client, db, login):
    from tests.factories import make_organisation

    _consultation, (paragraph, *_) = make_document()
    paragraph.text = "Freie Träger werden informiert."
    organisation = make_organisation(name="Beratungsstelle Test", verified=True)
    parent = make_comment(paragraph, status=CommentStatus.APPROVED, text="Der Ausgangspunkt")
    make_comment(parent=parent, text="Eine Antwort darauf", organisation_id=organisation.id)
    make_comment(
        paragraph,
        kind=CommentKind.SUGGESTION,
        proposed_text="Freie Träger wirken mit.",
        text="Vorschlag",
    )
    login(make_staff())
    html = client.get("/en/moderation/").get_data(as_text=True)
    assert "In reply to anonymous:" in html and "Der Ausgangspunkt" in html
    assert "Beratungsstelle Test (Verified by the administration)" in html
    assert '<del><span class="visually-hidden">[deleted: </span>werden informiert' in html


def test_a_text_changed_after_the_moderator_opened_it_is_not_decided_unseen(hx, db, login):
    from consult.models.types import utcnow
    from consult.services import participants
    from tests.factories import make_participant

    _, (paragraph, *_) = make_document()
    participant, _token = make_participant()
    comment = make_comment(paragraph, participant_id=participant.id, text="harmlos")
    login(make_staff())
    seen = decision_form(hx, comment, "approve")  # the queue as the moderator saw it
    participants.edit_pending(
        participant,
        comment.id,
        version=comment.version,
        text="ganz anders",
        kind=comment.kind,
        proposed_text=None,
        language="de",
        now=utcnow(),
    )
    db.session.commit()
    response = hx.post(decide_url(comment), data=seen)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "This item changed after you opened it" in html and "ganz anders" in html
    db.session.refresh(comment)
    assert comment.status is CommentStatus.PENDING
    again = decision_form(hx, comment, "approve")
    assert hx.post(decide_url(comment), data=again).status_code == 200
    db.session.refresh(comment)
    assert (comment.status, comment.text) == (CommentStatus.APPROVED, "ganz anders")

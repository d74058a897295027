"""Taking part without an account: the private link, what it shows, edit, withdraw, export."""

import json
import re
from datetime import timedelta

from sqlalchemy import select

from consult.mail import MailError
from consult.models import (
    Comment,
    CommentKind,
    CommentStatus,
    Decision,
    Participant,
    RejectionReason,
)
from consult.models.types import utcnow
from consult.services import moderation
from consult.services.tokens import hash_token
from tests.factories import make_comment, make_document, make_participant, make_staff
from tests.integration.test_comments import form_url, valid_form

LINK = re.compile(r'href="https?://[^"]*/(?:de|en)/my/([A-Za-z0-9_-]+)"')


def edit_data(comment, csrf_token, **fields):
    """The edit form's fields carry the comment's id, so several can be open at once."""
    data = {
        f"edit-{comment.id}-{name}": value for name, value in fields.items() if value is not None
    }
    return {"csrf_token": csrf_token, **data}


def post_comment(client, consultation, csrf_token, **overrides):
    token = csrf_token(form_url(consultation))
    return client.post(form_url(consultation, lang="en"), data=valid_form(token, **overrides))


def new_link_from_thanks(client, response) -> str:
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    match = LINK.search(html)
    assert match, "the thanks page shows no private link"
    return match.group(1)


def test_first_post_gives_a_private_link_shown_once_and_stored_as_a_hash(client, db, csrf_token):
    consultation, _ = make_document()
    response = post_comment(client, consultation, csrf_token)
    token = new_link_from_thanks(client, response)
    # 192 random bits, URL-safe; only the SHA-256 is stored.
    assert len(token) >= 32
    participant = db.session.scalars(select(Participant)).one()
    assert participant.token_hash == hash_token(token)
    assert token not in repr(db.session.execute(select(Participant.__table__)).all())
    comment = db.session.scalars(select(Comment)).one()
    assert comment.participant_id == participant.id
    # Shown once: reloading the thanks page no longer shows the full link box.
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "please keep it" not in again
    assert f"/my/{token}" in again  # a plain link to the contributions remains in this browser


def test_the_link_is_shown_in_the_htmx_confirmation(hx, db, csrf_token):
    consultation, _ = make_document()
    token = csrf_token(form_url(consultation))
    html = hx.post(form_url(consultation, lang="en"), data=valid_form(token)).get_data(as_text=True)
    assert "Your private link — please keep it" in html
    assert LINK.search(html)


def test_link_is_mailed_only_when_an_address_is_given(app, client, db, csrf_token):
    outbox = app.extensions["consult.mail"].outbox
    outbox.clear()
    consultation, _ = make_document()
    new_link_from_thanks(client, post_comment(client, consultation, csrf_token))
    assert outbox == []
    response = post_comment(
        client, consultation, csrf_token, email="ich@beispiel.example", link_choice="new"
    )
    token = new_link_from_thanks(client, response)
    assert [m.to for m in outbox] == ["ich@beispiel.example"]
    # Built from the configured public address, never from the request's Host header.
    assert f"https://beteiligung.kreis.example/en/my/{token}" in outbox[0].body
    outbox.clear()


def test_a_failing_mail_server_loses_nothing(app, client, db, csrf_token, monkeypatch):
    def refuse(message):
        raise MailError("connection refused")

    monkeypatch.setattr(app.extensions["consult.mail"], "send", refuse)
    consultation, _ = make_document()
    response = post_comment(client, consultation, csrf_token, email="ich@beispiel.example")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "We could not send the e-mail" in html
    assert LINK.search(html)
    assert db.session.scalars(select(Comment)).one().status is CommentStatus.PENDING


def test_invalid_email_is_a_422_with_the_text_kept(client, db, csrf_token):
    consultation, _ = make_document()
    response = post_comment(client, consultation, csrf_token, email="not-an-address", text="Bleibt")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This does not look like an e-mail address." in html and "Bleibt" in html


def test_further_posts_join_the_link_unless_a_new_one_is_chosen(client, db, csrf_token):
    consultation, _ = make_document()
    first = new_link_from_thanks(client, post_comment(client, consultation, csrf_token))
    form_html = client.get(form_url(consultation, lang="en")).get_data(as_text=True)
    assert "Add this to the private link I received in this browser" in form_html
    post_comment(client, consultation, csrf_token, link_choice="add")
    second = new_link_from_thanks(
        client, post_comment(client, consultation, csrf_token, link_choice="new")
    )
    participants = list(db.session.scalars(select(Participant).order_by(Participant.id)))
    assert len(participants) == 2 and first != second
    owners = [c.participant_id for c in db.session.scalars(select(Comment).order_by(Comment.id))]
    assert owners == [participants[0].id, participants[0].id, participants[1].id]


def test_forgetting_the_link_stops_offering_it(client, db, csrf_token):
    consultation, _ = make_document()
    token = new_link_from_thanks(client, post_comment(client, consultation, csrf_token))
    page = client.get(f"/en/my/{token}").get_data(as_text=True)
    assert "Forget the link in this browser" in page
    client.post("/en/my/forget", data={"csrf_token": csrf_token(f"/en/my/{token}")})
    form_html = client.get(form_url(consultation, lang="en")).get_data(as_text=True)
    assert "link_choice" not in form_html
    assert client.get(f"/en/my/{token}").status_code == 200  # the link itself still works


def test_wrong_and_expired_links(client, db):
    _, expired = make_participant(token_expires_at=utcnow() - timedelta(minutes=1))
    assert client.get("/en/my/this-is-not-a-valid-token-at-all-xx").status_code == 404
    response = client.get(f"/en/my/{expired}")
    assert response.status_code == 410
    assert "Set-Cookie" not in response.headers


def test_overview_shows_every_state_with_the_published_reason(client, db):
    _, (paragraph, *_) = make_document()
    participant, token = make_participant()
    pending = make_comment(paragraph, participant_id=participant.id, text="Noch offen")
    published = make_comment(paragraph, participant_id=participant.id, text="Schon sichtbar")
    rejected = make_comment(paragraph, participant_id=participant.id, text="Abgelehnt")
    make_comment(paragraph, text="Fremder Kommentar")
    moderator = make_staff()
    moderation.decide(
        published.id, moderator=moderator, decision=Decision.APPROVE, reason=None, now=utcnow()
    )
    moderation.decide(
        rejected.id,
        moderator=moderator,
        decision=Decision.REJECT,
        reason=RejectionReason.PERSONAL_DATA,
        note="Bitte ohne Namen erneut senden.",
        now=utcnow(),
    )
    response = client.get(f"/en/my/{token}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert "noindex" in response.headers["X-Robots-Tag"]
    for text in ("Noch offen", "Schon sichtbar", "Abgelehnt"):
        assert text in html
    assert "Fremder Kommentar" not in html
    assert "Awaiting moderation" in html and "Published" in html
    assert "Personal data of other people" in html and "Bitte ohne Namen erneut senden." in html
    # Only the pending one can be changed.
    assert re.findall(r'href="[^"]*/(\d+)/edit"', html) == [str(pending.id)]


def test_edit_pending_without_and_with_htmx(client, hx, db, csrf_token):
    _consultation, (paragraph, *_) = make_document()
    participant, token = make_participant()
    comment = make_comment(paragraph, participant_id=participant.id, kind=CommentKind.QUESTION)
    url = f"/en/my/{token}/{comment.id}/edit"
    csrf = csrf_token(url)
    data = edit_data(
        comment, csrf_token=csrf, text="Neu formuliert", kind="objection", language="de"
    )
    response = client.post(url, data={**data, f"edit-{comment.id}-version": comment.version})
    assert response.status_code == 303
    db.session.refresh(comment)
    assert comment.text == "Neu formuliert" and comment.kind is CommentKind.OBJECTION
    assert comment.edited_at is not None and comment.status is CommentStatus.PENDING

    again = {
        f"edit-{comment.id}-text": "Noch einmal",
        f"edit-{comment.id}-version": comment.version,
    }
    response = hx.post(url, data={**data, **again})
    assert response.status_code == 204
    assert response.headers["HX-Location"] == f"/en/my/{token}"


def test_edit_after_a_decision_is_refused_and_keeps_the_typed_text(client, db, csrf_token):
    _consultation, (paragraph, *_) = make_document()
    participant, token = make_participant()
    comment = make_comment(paragraph, participant_id=participant.id)
    url = f"/en/my/{token}/{comment.id}/edit"
    csrf = csrf_token(url)
    version = comment.version
    moderation.decide(
        comment.id, moderator=make_staff(), decision=Decision.APPROVE, reason=None, now=utcnow()
    )
    response = client.post(
        url,
        data=edit_data(
            comment,
            csrf_token=csrf,
            text="Zu spät geändert",
            kind="objection",
            language="de",
            version=version,
        ),
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Zu spät geändert" in html and "already decided" in html
    db.session.refresh(comment)
    assert comment.text == "Das sehe ich anders."


def test_an_edit_from_a_stale_form_is_refused(client, db, csrf_token):
    _consultation, (paragraph, *_) = make_document()
    participant, token = make_participant()
    comment = make_comment(paragraph, participant_id=participant.id)
    url = f"/en/my/{token}/{comment.id}/edit"
    data = {"csrf_token": csrf_token(url), "kind": "objection", "language": "de"}
    stale = comment.version
    first = edit_data(comment, **data, text="Erster Tab", version=stale)
    assert client.post(url, data=first).status_code == 303
    response = client.post(url, data=edit_data(comment, **data, text="Zweiter Tab", version=stale))
    assert response.status_code == 409
    db.session.refresh(comment)
    assert comment.text == "Erster Tab"


def test_nobody_reaches_another_participants_comment(client, db):
    _, (paragraph, *_) = make_document()
    _, token = make_participant()
    someone_else = make_comment(paragraph)
    assert client.get(f"/en/my/{token}/{someone_else.id}/edit").status_code == 404
    assert client.get(f"/en/my/{token}/{someone_else.id}/withdraw").status_code == 404


def test_withdrawing_a_published_comment_removes_it_everywhere(client, db, csrf_token):
    consultation, (paragraph, *_) = make_document()
    participant, token = make_participant()
    comment = make_comment(
        paragraph,
        participant_id=participant.id,
        status=CommentStatus.APPROVED,
        text="Ziehe ich zurück",
    )
    make_comment(parent=comment, status=CommentStatus.APPROVED, text="Antwort darauf")
    thread_url = f"/de/c/{consultation.slug}/p/1.1"
    assert "Ziehe ich zurück" in client.get(thread_url).get_data(as_text=True)

    url = f"/en/my/{token}/{comment.id}/withdraw"
    confirm = client.get(url)
    assert confirm.status_code == 200 and "cannot be undone" in confirm.get_data(as_text=True)
    assert client.post(url, data={"csrf_token": csrf_token(url)}).status_code == 303

    db.session.refresh(comment)
    db.session.refresh(paragraph)
    assert comment.status is CommentStatus.WITHDRAWN and comment.withdrawn_at is not None
    assert paragraph.published_comment_count == 0
    for page in (thread_url, f"/de/c/{consultation.slug}/"):
        html = client.get(page).get_data(as_text=True)
        assert "Ziehe ich zurück" not in html and "Antwort darauf" not in html
    overview = client.get(f"/en/my/{token}").get_data(as_text=True)
    assert "Withdrawn" in overview and "/withdraw" not in overview


def test_export_holds_everything_about_the_participant(client, db):
    _, (paragraph, *_) = make_document()
    participant, token = make_participant(email="ich@beispiel.example")
    make_comment(
        paragraph,
        participant_id=participant.id,
        text="Mein Text",
        pseudonym="Ehrenamt",
        kind=CommentKind.SUGGESTION,
        proposed_text="Neue Fassung",
    )
    make_comment(paragraph, text="Nicht meiner")
    response = client.get(f"/en/my/{token}/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["format"] == "consult.participant-export" and data["version"] == 1
    assert data["participant"]["email"] == "ich@beispiel.example"
    [item] = data["contributions"]
    assert item["text"] == "Mein Text" and item["pseudonym"] == "Ehrenamt"
    assert item["proposed_text"] == "Neue Fassung"
    assert item["target"] == {"type": "paragraph", "chapter": 1, "paragraph": "1.1"}
    assert item["status"] == "pending"


def test_members_reach_their_contributions_through_the_account(client, db, csrf_token, login):
    from tests.factories import make_member, make_organisation

    response = client.get("/en/account/contributions")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/en/members/login")

    consultation, _ = make_document()
    login(make_member(make_organisation(name="Verband Test")))
    url = form_url(consultation, lang="en")
    data = valid_form(csrf_token(url), speak_as="organisation", group="", text="Unsere Sicht")
    response = client.post(url, data=data)
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "please keep it" not in thanks  # members need no private link
    html = client.get("/en/account/contributions").get_data(as_text=True)
    assert "Unsere Sicht" in html and "Verband Test" in html
    comment = db.session.scalars(select(Comment)).one()
    edit = f"/en/account/contributions/{comment.id}/edit"
    assert client.get(edit).status_code == 200
    export = json.loads(client.get("/en/account/contributions/export.json").get_data(as_text=True))
    assert export["contributions"][0]["organisation"] == "Verband Test"


def test_an_address_is_never_attached_to_an_existing_link(app, client, db, csrf_token):
    outbox = app.extensions["consult.mail"].outbox
    outbox.clear()
    consultation, _ = make_document()
    first = new_link_from_thanks(
        client, post_comment(client, consultation, csrf_token, email="a@beispiel.example")
    )
    # Someone else at the same computer keeps "add" selected but gives their own address.
    response = post_comment(
        client, consultation, csrf_token, link_choice="add", email="b@beispiel.example"
    )
    second = new_link_from_thanks(client, response)
    assert second != first
    emails = [p.email for p in db.session.scalars(select(Participant).order_by(Participant.id))]
    assert emails == ["a@beispiel.example", "b@beispiel.example"]
    assert [m.to for m in outbox] == ["a@beispiel.example", "b@beispiel.example"]
    assert first not in outbox[1].body and second in outbox[1].body
    outbox.clear()


def test_a_link_shown_inline_is_not_shown_again_later(client, hx, db, csrf_token):
    consultation, _ = make_document()
    token = csrf_token(form_url(consultation))
    hx.post(form_url(consultation, lang="en"), data=valid_form(token))
    response = post_comment(client, consultation, csrf_token, link_choice="add")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "please keep it" not in html and "It was added to your private link." in html


def test_odd_numbers_in_links_and_forms_are_4xx(client, db, csrf_token):
    consultation, (paragraph, *_) = make_document()
    huge = "99999999999999999999"
    assert client.get(f"/en/c/{consultation.slug}/chapter/{huge}").status_code == 404
    assert client.get(f"/en/c/{consultation.slug}/chapter/{huge}/comment").status_code == 404
    participant, token = make_participant()
    comment = make_comment(paragraph, participant_id=participant.id)
    url = f"/en/my/{token}/{comment.id}/edit"
    data = {"csrf_token": csrf_token(url), "text": "x", "kind": "objection", "language": "de"}
    for version in (str(10**30), "-1", "abc", None):
        sent = {**data, "version": version} if version else data
        assert (
            client.post(
                url,
                data={
                    f"edit-{comment.id}-{k}" if k != "csrf_token" else k: v for k, v in sent.items()
                },
            ).status_code
            == 422
        )


def test_secret_tokens_never_reach_the_error_log(client, db, caplog, monkeypatch):
    from consult.services import participants

    _, token = make_participant()

    def broken(participant):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(participants, "contributions", broken)
    assert client.get(f"/en/my/{token}").status_code == 500
    assert "unhandled error" in caplog.text and token not in caplog.text


def test_a_reply_to_a_comment_withdrawn_meanwhile_keeps_the_text(client, db, csrf_token):
    from consult.services import participants

    consultation, (paragraph, *_) = make_document()
    owner, _ = make_participant()
    parent = make_comment(
        paragraph, participant_id=owner.id, status=CommentStatus.APPROVED, text="Bald weg"
    )
    url = f"/en/c/{consultation.slug}/comments/{parent.id}/reply"
    token = csrf_token(url)
    participants.withdraw(owner, parent.id, now=utcnow())
    db.session.commit()
    data = valid_form(token, prefix=f"reply-{parent.id}-", text="Meine Antwort bleibt")
    response = client.post(url, data=data)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Meine Antwort bleibt" in html and "no longer published" in html
    assert "Bald weg" not in html
    assert client.get(url).status_code == 404

"""Readers report published comments: the form inline and as a page, one report per browser
session, rate limits, nothing stored about the reader, and comments the rules hide after
enough reports."""

import re

import pytest
from sqlalchemy import select, update

from consult.extensions import limiter
from consult.models import Comment, CommentStatus, Consultation, Flag, Phase, RejectionReason
from tests.conftest import csrf_from, html
from tests.factories import (
    make_comment,
    make_document,
    make_organisation,
    make_participant,
)


def flag_url(comment, lang="en", suffix=""):
    from consult.extensions import db

    slug = db.session.scalar(
        select(Consultation.slug).where(Consultation.id == comment.consultation_id)
    )
    return f"/{lang}/c/{slug}/comments/{comment.id}/flag{suffix}"


def report_form(token, comment, reason="insult_discrimination"):
    data = {"csrf_token": token}
    if reason is not None:
        data[f"flag-{comment.id}-reason"] = reason
    return data


def report(http, comment, reason="insult_discrimination"):
    """Open the form (which starts the session) and send it, as a reader does."""
    token = csrf_from(html(http.get(flag_url(comment))))
    return http.post(flag_url(comment), data=report_form(token, comment, reason))


def flags_on(db, comment) -> list[Flag]:
    return list(db.session.scalars(select(Flag).where(Flag.comment_id == comment.id)))


def open_count(db, comment) -> int:
    return db.session.scalar(select(Comment.open_flag_count).where(Comment.id == comment.id))


def status_of(db, comment) -> CommentStatus:
    return db.session.scalar(select(Comment.status).where(Comment.id == comment.id))


@pytest.fixture
def new_reader(app, db):
    """Another browser: its own cookie jar, so its own session."""
    return app.test_client


@pytest.fixture
def hide_after(app):
    def set_to(value):
        app.config["CONSULT_HIDE_AFTER_FLAGS"] = value

    yield set_to
    app.config["CONSULT_HIDE_AFTER_FLAGS"] = 0


# --- reporting -------------------------------------------------------------------------------


def test_a_report_stores_one_flag_and_counts_it(client, db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED, text="Beleidigender Text")

    form = client.get(flag_url(comment))
    assert form.status_code == 200
    page = html(form)
    assert "Beleidigender Text" in page
    for reason in RejectionReason:
        assert f'value="{reason.value}"' in page and str(reason.label) in page
    assert "Nothing about you is stored" in page
    assert "stays visible until they decide" in page

    response = client.post(
        flag_url(comment), data=report_form(csrf_from(page), comment, "personal_data")
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(flag_url(comment, suffix="/thanks"))
    [flag] = flags_on(db, comment)
    assert flag.reason is RejectionReason.PERSONAL_DATA
    assert flag.resolved_at is None
    assert open_count(db, comment) == 1
    assert status_of(db, comment) is CommentStatus.APPROVED

    thanks = client.get(response.headers["Location"])
    assert thanks.status_code == 200
    assert "Thank you for your report" in html(thanks)
    assert "stays visible" in html(thanks)


def test_two_readers_count_twice(client, new_reader, db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    assert report(client, comment).status_code == 303
    assert report(new_reader(), comment, "spam").status_code == 303
    assert open_count(db, comment) == 2
    assert sorted(f.reason.value for f in flags_on(db, comment)) == [
        "insult_discrimination",
        "spam",
    ]


def test_the_same_browser_session_counts_once(client, db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    token = csrf_from(html(client.get(flag_url(comment))))
    assert client.post(flag_url(comment), data=report_form(token, comment)).status_code == 303

    again = client.post(flag_url(comment), data=report_form(token, comment, "spam"))
    assert again.status_code == 200
    assert "You have already reported this comment." in html(again)
    reopened = client.get(flag_url(comment))
    assert "You have already reported this comment." in html(reopened)
    assert "<form" not in html(reopened).split('id="flag-form-', 1)[1]
    assert len(flags_on(db, comment)) == 1
    assert open_count(db, comment) == 1


def test_the_thanks_page_is_only_for_who_reported(client, db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    response = client.get(flag_url(comment, suffix="/thanks"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(flag_url(comment))


@pytest.mark.parametrize(
    "status", [CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.WITHDRAWN]
)
def test_unpublished_comments_cannot_be_reported(client, db, status):
    _, (paragraph, *_) = make_document()
    published = make_comment(paragraph, status=CommentStatus.APPROVED)
    unpublished = make_comment(paragraph, status=status, text="GEHEIM", pseudonym="Geheimname")
    token = csrf_from(html(client.get(flag_url(published))))

    for response in (
        client.get(flag_url(unpublished)),
        client.post(flag_url(unpublished), data=report_form(token, unpublished)),
    ):
        assert response.status_code == 409
        page = html(response)
        assert "This comment is not published, so it cannot be reported." in page
        assert "GEHEIM" not in page and "Geheimname" not in page
    assert flags_on(db, unpublished) == []
    assert open_count(db, unpublished) == 0


def test_a_comment_withdrawn_while_the_form_was_open_is_not_counted(client, db, monkeypatch):
    from consult.services import flags

    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED, text="Gleich weg")
    db.session.commit()
    token = csrf_from(html(client.get(flag_url(comment))))
    real_flag_comment = flags.flag_comment

    def withdrawn_meanwhile(*args, **kwargs):
        # The author withdraws between the route's check and the report's UPDATE.
        db.session.execute(
            update(Comment)
            .where(Comment.id == comment.id)
            .values(status=CommentStatus.WITHDRAWN)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        return real_flag_comment(*args, **kwargs)

    monkeypatch.setattr(flags, "flag_comment", withdrawn_meanwhile)
    response = client.post(flag_url(comment), data=report_form(token, comment))
    assert response.status_code == 409
    assert "This comment is not published, so it cannot be reported." in html(response)
    assert "Gleich weg" not in html(response)
    assert flags_on(db, comment) == []


def test_a_reply_under_a_comment_no_longer_public_cannot_be_reported(client, db):
    _, (paragraph, *_) = make_document()
    parent = make_comment(paragraph, status=CommentStatus.WITHDRAWN)
    reply = make_comment(parent=parent, status=CommentStatus.APPROVED, text="GEHEIM")
    response = client.get(flag_url(reply))
    assert response.status_code == 409
    assert "GEHEIM" not in html(response)


def test_comments_of_a_draft_or_another_consultation_are_not_found(client, db):
    consultation, (paragraph, *_) = make_document()
    other, _ = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    assert client.get(f"/en/c/{other.slug}/comments/{comment.id}/flag").status_code == 404
    assert client.get(f"/en/c/{consultation.slug}/comments/99999999/flag").status_code == 404
    consultation.phase = Phase.DRAFT
    db.session.flush()
    assert client.get(flag_url(comment)).status_code == 404


@pytest.mark.parametrize("phase", [Phase.PREVIEW, Phase.OPEN, Phase.EVALUATION, Phase.RESULTS])
def test_reports_are_possible_in_every_public_phase(client, db, phase):
    _, (paragraph, *_) = make_document(phase=phase)
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    assert report(client, comment).status_code == 303
    assert open_count(db, comment) == 1


def test_a_reason_must_be_chosen(client, db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    token = csrf_from(html(client.get(flag_url(comment))))
    for reason in (None, "not-a-rule"):
        response = client.post(flag_url(comment), data=report_form(token, comment, reason))
        assert response.status_code == 422
        page = html(response)
        assert "Please check your input" in page
        assert f'href="#flag-{comment.id}-reason-0"' in page
        assert f'id="flag-{comment.id}-reason-0"' in page
    assert flags_on(db, comment) == []


def test_a_report_needs_the_csrf_token(client, db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    client.get(flag_url(comment))  # a session exists, but the post carries no token
    response = client.post(flag_url(comment), data={f"flag-{comment.id}-reason": "spam"})
    assert response.status_code == 400
    assert flags_on(db, comment) == []


def test_too_many_reports_get_a_friendly_429(app, client, db):
    _, (paragraph, *_) = make_document()
    comments = [make_comment(paragraph, status=CommentStatus.APPROVED) for _ in range(3)]
    tokens = [csrf_from(html(client.get(flag_url(c)))) for c in comments]
    app.config["CONSULT_FLAG_RATE_LIMIT"] = "2 per minute"
    limiter.reset()
    try:
        responses = [
            client.post(flag_url(c), data=report_form(t, c, "spam"))
            for c, t in zip(comments, tokens, strict=True)
        ]
    finally:
        app.config["CONSULT_FLAG_RATE_LIMIT"] = "10000 per minute"
        limiter.reset()
    assert [r.status_code for r in responses] == [303, 303, 429]
    last = responses[-1]
    page = html(last)
    assert "You sent many reports in a short time" in page
    # The choice is kept for sending again.
    assert re.search(r'<input [^>]*checked [^>]*value="spam"', page)
    assert 0 < int(last.headers["Retry-After"]) <= 60
    assert flags_on(db, comments[2]) == []


def test_nothing_about_the_reader_is_stored(client, db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    assert report(client, comment).status_code == 303
    assert set(Flag.__table__.columns.keys()) == {
        "id",
        "comment_id",
        "reason",
        "created_at",
        "resolved_at",
    }
    [flag] = flags_on(db, comment)
    assert flag.comment_id == comment.id and flag.created_at is not None


# --- with and without JavaScript -------------------------------------------------------------


def test_inline_form_and_confirmation_are_fragments(hx, db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    form = hx.get(flag_url(comment) + "?level=5")
    assert form.status_code == 200
    fragment = html(form)
    assert "<html" not in fragment
    assert fragment.lstrip().startswith(
        f'<div class="comment-form comment-form--flag" id="flag-form-{comment.id}"'
    )
    assert 'hx-post="' in fragment and f'hx-target="#flag-form-{comment.id}"' in fragment
    assert "<h5 " in fragment and "data-focus" in fragment
    assert "HX-Request" in form.headers["Vary"]

    sent = hx.post(flag_url(comment) + "?level=5", data=report_form(csrf_from(fragment), comment))
    assert sent.status_code == 200
    confirmation = html(sent)
    assert "<html" not in confirmation
    assert f'id="flag-form-{comment.id}"' in confirmation
    assert 'data-announce="Moderators will look at the comment again.' in confirmation
    assert open_count(db, comment) == 1


def test_form_page_posts_plainly(client, db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    page = html(client.get(flag_url(comment)))
    assert "<html" in page and "<h1>Report a comment</h1>" in page
    assert "hx-post" not in page.split("<main", 1)[1]
    assert f'action="{flag_url(comment)}?level=2"' in page


def test_the_rules_page_is_linked_when_there_is_one(app, client, db, monkeypatch):
    consultation, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    rules = f'href="/en/c/{consultation.slug}/moderation"'

    def form_part(response):
        assert response.status_code == 200
        return html(response).split('id="flag-form-', 1)[1].split("</form>", 1)[0]

    if "transparency.moderation" in app.view_functions:
        assert rules in form_part(client.get(flag_url(comment)))
    monkeypatch.delitem(app.view_functions, "transparency.moderation", raising=False)
    assert rules not in form_part(client.get(flag_url(comment)))


def test_the_report_link_is_on_published_comments_and_replies_only(client, hx, db):
    consultation, (paragraph, *_) = make_document()
    published = make_comment(paragraph, status=CommentStatus.APPROVED)
    reply = make_comment(parent=published, status=CommentStatus.APPROVED)
    pending_reply = make_comment(parent=published, status=CommentStatus.PENDING)
    pending = make_comment(paragraph, status=CommentStatus.PENDING)
    thread = f"/en/c/{consultation.slug}/p/1.1"
    for response in (client.get(thread), hx.get(thread)):
        page = html(response)
        linked = set(re.findall(r"/comments/(\d+)/flag\?level=\d", page))
        assert linked == {str(published.id), str(reply.id)}
        assert f'hx-target="#flag-form-{published.id}"' in page
        assert f'id="flag-form-{published.id}"' in page
        assert str(pending.id) not in linked and str(pending_reply.id) not in linked
        assert "Set-Cookie" not in response.headers


def test_only_opening_the_form_starts_a_session(client, db):
    consultation, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    assert "Set-Cookie" not in client.get(f"/de/c/{consultation.slug}/p/1.1").headers
    assert (
        client.get(flag_url(comment)).headers.get("Set-Cookie", "").startswith("consult_session=")
    )


# --- hiding after reports --------------------------------------------------------------------


def test_the_second_report_hides_the_comment_when_the_rules_say_two(
    client, new_reader, db, hide_after
):
    hide_after(2)
    consultation, (paragraph, *_) = make_document()
    participant, token = make_participant()
    comment = make_comment(
        paragraph,
        status=CommentStatus.APPROVED,
        participant_id=participant.id,
        text="Umstrittener Text",
    )
    make_comment(parent=comment, status=CommentStatus.APPROVED, text="Antwort darunter")
    thread = f"/en/c/{consultation.slug}/p/1.1"
    document_url = f"/en/c/{consultation.slug}/"

    first = client.get(flag_url(comment))
    assert "unless 2 reports on it are open" in html(first)
    client.post(flag_url(comment), data=report_form(csrf_from(html(first)), comment))
    assert status_of(db, comment) is CommentStatus.APPROVED
    assert "Umstrittener Text" in html(client.get(thread))
    assert "1 comment" in html(client.get(document_url))

    second = new_reader()
    response = report(second, comment)
    assert response.status_code == 303
    assert "It is hidden until they have decided." in html(second.get(response.headers["Location"]))
    assert status_of(db, comment) is CommentStatus.HIDDEN
    assert open_count(db, comment) == 2
    db.session.refresh(paragraph)
    assert paragraph.published_comment_count == 0

    for page in (client.get(thread), client.get(document_url)):
        text = html(page)
        assert "Umstrittener Text" not in text and "Antwort darunter" not in text
    assert "0 comments" in html(client.get(document_url))

    overview = html(client.get(f"/en/my/{token}"))
    assert "Umstrittener Text" in overview
    assert "Hidden while moderators check it" in overview
    assert f"/en/my/{token}/{comment.id}/withdraw" in overview


def test_a_hidden_comment_and_its_replies_are_on_no_public_page(client, hx, db):
    consultation, (paragraph, *_) = make_document()
    organisation = make_organisation()
    make_comment(paragraph, status=CommentStatus.APPROVED, organisation_id=organisation.id)
    hidden = make_comment(
        paragraph,
        status=CommentStatus.HIDDEN,
        text="VERSTECKT-stellungnahme",
        organisation_id=organisation.id,
    )
    make_comment(
        parent=hidden,
        status=CommentStatus.APPROVED,
        text="VERSTECKT-antwort",
        organisation_id=organisation.id,
    )
    make_comment(section=paragraph.section, status=CommentStatus.HIDDEN, text="VERSTECKT-kapitel")
    make_comment(consultation=consultation, status=CommentStatus.HIDDEN, text="VERSTECKT-alles")
    slug = consultation.slug
    for url in (
        f"/de/c/{slug}/",
        f"/de/c/{slug}/p/1.1",
        f"/de/c/{slug}/chapter/{paragraph.section.number}",
        f"/de/c/{slug}/comments",
        f"/de/c/{slug}/organisations",
    ):
        for http in (client, hx):
            response = http.get(url)
            assert response.status_code == 200, url
            assert "VERSTECKT" not in html(response), url
    assert "1 Kommentar" in html(client.get(f"/de/c/{slug}/"))


def test_a_hidden_comment_still_takes_reports_but_is_not_quoted(client, new_reader, db):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.HIDDEN, text="Versteckter Text")
    page = client.get(flag_url(comment))
    assert page.status_code == 200
    assert "Versteckter Text" not in html(page)
    assert "already checking this comment" in html(page)
    assert report(new_reader(), comment).status_code == 303
    assert open_count(db, comment) == 1


def test_no_limit_never_hides(client, new_reader, db, hide_after):
    hide_after(0)
    consultation, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED, text="Bleibt sichtbar")
    assert "stays visible until they decide." in html(client.get(flag_url(comment)))
    for reader in (client, new_reader(), new_reader()):
        assert report(reader, comment).status_code == 303
    assert open_count(db, comment) == 3
    assert status_of(db, comment) is CommentStatus.APPROVED
    assert "Bleibt sichtbar" in html(client.get(f"/en/c/{consultation.slug}/p/1.1"))


def test_withdrawing_a_hidden_comment_leaves_the_counters_alone(client, db, csrf_token):
    consultation, (paragraph, *_) = make_document()
    participant, token = make_participant()
    make_comment(paragraph, status=CommentStatus.APPROVED)
    hidden = make_comment(paragraph, status=CommentStatus.HIDDEN, participant_id=participant.id)
    assert paragraph.published_comment_count == 1  # the hidden one is not counted
    url = f"/en/my/{token}/{hidden.id}/withdraw"
    assert client.post(url, data={"csrf_token": csrf_token(url)}).status_code == 303
    assert status_of(db, hidden) is CommentStatus.WITHDRAWN
    db.session.refresh(paragraph)
    assert paragraph.published_comment_count == 1
    assert "1 comment" in html(client.get(f"/en/c/{consultation.slug}/"))


# --- cost ------------------------------------------------------------------------------------


def test_the_form_costs_one_query_and_a_report_a_few(client, db, count_queries):
    _, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    url = flag_url(comment)
    db.session.expunge_all()
    with count_queries() as counter:
        page = client.get(url)
    assert page.status_code == 200
    # The comment with its consultation, target, author and the comment it answers.
    assert counter.count == 1
    db.session.expunge_all()
    with count_queries() as counter:
        sent = client.post(url, data=report_form(csrf_from(html(page)), comment))
    assert sent.status_code == 303
    # Load the comment, count the report, store it.
    assert counter.count == 3

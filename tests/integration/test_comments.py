"""Commenting on a paragraph: with HTMX (fragments, 422) and without (pages, 303)."""

from datetime import timedelta

from sqlalchemy import select

from consult.models import Comment, CommentKind, CommentStatus, Phase, StakeholderGroup
from consult.models.types import utcnow
from tests.factories import make_document


def form_url(consultation, number="1.1", lang="de"):
    return f"/{lang}/c/{consultation.slug}/p/{number}/comment"


def valid_form(token, prefix="p-1-1-", **overrides):
    """The form's fields carry the paragraph's anchor as prefix, so that several forms can be
    open on one page without duplicate ids."""
    data = {
        "csrf_token": token,
        "text": "Die Zielgruppe ist zu eng gefasst.",
        "kind": "objection",
        "group": "welfare_association",
        "pseudonym": "Migrationsdienst Siegen",
        "language": "de",
        "consent": "y",
    }
    data.update(overrides)
    return {
        (key if key == "csrf_token" else prefix + key): value
        for key, value in data.items()
        if value is not None
    }


def stored_comments(db):
    return list(db.session.scalars(select(Comment)))


def test_form_page_without_js_has_every_field(client):
    consultation, _ = make_document()
    response = client.get(form_url(consultation, lang="en"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.startswith("<!doctype html>")
    for name in ("text", "kind", "group", "pseudonym", "language", "consent", "csrf_token"):
        assert f'name="p-1-1-{name}"' in html
    assert "/en/privacy" in html  # consent links the privacy notice


def test_form_with_htmx_is_a_fragment_with_one_root(hx):
    consultation, _ = make_document()
    html = hx.get(form_url(consultation)).get_data(as_text=True).strip()
    assert html.startswith('<div class="comment-form" id="comment-form-p-1-1">')
    assert html.endswith("</div>")
    assert "<html" not in html


def test_submit_without_js_stores_pending_comment_and_redirects(client, db, csrf_token):
    consultation, _ = make_document()
    token = csrf_token(form_url(consultation))
    response = client.post(form_url(consultation), data=valid_form(token))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/de/c/{consultation.slug}/p/1.1/comment/thanks")
    [comment] = stored_comments(db)
    assert comment.status is CommentStatus.PENDING
    assert comment.group is StakeholderGroup.WELFARE_ASSOCIATION
    assert comment.kind is CommentKind.OBJECTION
    assert comment.pseudonym == "Migrationsdienst Siegen"
    assert comment.consent_notice_version == "2026-11-24"
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "awaits moderation" in thanks or "Moderation" in thanks


def test_submit_with_htmx_returns_confirmation_fragment(hx, db, csrf_token):
    consultation, _ = make_document()
    token = csrf_token(form_url(consultation))
    response = hx.post(form_url(consultation, lang="en"), data=valid_form(token))
    html = response.get_data(as_text=True).strip()
    assert response.status_code == 200
    assert html.startswith('<div class="comment-form confirmation" id="comment-form-p-1-1"')
    assert "awaits moderation" in html
    assert len(stored_comments(db)) == 1


def test_submitted_comment_is_not_public_before_moderation(client, csrf_token):
    consultation, _ = make_document()
    token = csrf_token(form_url(consultation))
    client.post(form_url(consultation), data=valid_form(token, text="Noch nicht sichtbar"))
    html = client.get(f"/de/c/{consultation.slug}/p/1.1").get_data(as_text=True)
    assert "Noch nicht sichtbar" not in html


def test_invalid_input_with_htmx_is_422_with_errors_and_text_kept(hx, db, csrf_token):
    consultation, _ = make_document()
    token = csrf_token(form_url(consultation))
    response = hx.post(
        form_url(consultation, lang="en"),
        data=valid_form(token, text="Mein langer Text bleibt erhalten", group="", consent=None),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Mein langer Text bleibt erhalten" in html
    assert "Please say in which role you are writing." in html
    assert "Please agree so that we may store your text." in html
    assert 'aria-invalid="true"' in html
    assert "<html" not in html
    assert stored_comments(db) == []


def test_invalid_input_without_js_shows_the_page_again_with_errors(client, db, csrf_token):
    consultation, _ = make_document()
    token = csrf_token(form_url(consultation))
    response = client.post(form_url(consultation, lang="en"), data=valid_form(token, text="   "))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.startswith("<!doctype html>")
    assert "Please write your comment." in html
    assert "Error:" in html  # the page title says so too
    assert stored_comments(db) == []


def test_too_long_text_is_rejected_with_a_message(client, db, csrf_token):
    consultation, _ = make_document()
    token = csrf_token(form_url(consultation))
    response = client.post(
        form_url(consultation, lang="en"), data=valid_form(token, text="x" * 5001)
    )
    assert response.status_code == 422
    assert "at most 5000 characters" in response.get_data(as_text=True)
    assert stored_comments(db) == []


def test_unknown_choice_values_are_422_not_500(client, db, csrf_token):
    consultation, _ = make_document()
    token = csrf_token(form_url(consultation))
    response = client.post(
        form_url(consultation), data=valid_form(token, kind="hack", group="nope", language="xx")
    )
    assert response.status_code == 422
    assert stored_comments(db) == []


def test_empty_pseudonym_is_stored_as_none_and_shown_as_anonymous(client, db, csrf_token):
    consultation, _ = make_document()
    token = csrf_token(form_url(consultation))
    client.post(form_url(consultation), data=valid_form(token, pseudonym="   "))
    [comment] = stored_comments(db)
    assert comment.pseudonym is None


def test_post_without_csrf_token_is_rejected_and_nothing_stored(client, db, csrf_token):
    consultation, _ = make_document()
    csrf_token(form_url(consultation))  # a session exists, but the token is not sent
    response = client.post(form_url(consultation, lang="en"), data=valid_form("forged"))
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert stored_comments(db) == []


def test_csrf_token_in_htmx_header_is_accepted(hx, db, csrf_token):
    consultation, _ = make_document()
    token = csrf_token(form_url(consultation))
    data = valid_form(token)
    del data["csrf_token"]
    assert not any(key.endswith("csrf_token") for key in data)
    response = hx.post(form_url(consultation), data=data, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert len(stored_comments(db)) == 1


def test_comments_closed_outside_the_period(client, db):
    closed, _ = make_document(closes_at=utcnow() - timedelta(days=1))
    preview, _ = make_document(phase=Phase.PREVIEW)
    for consultation in (closed, preview):
        assert client.get(form_url(consultation)).status_code == 403
        html = client.get(f"/de/c/{consultation.slug}/").get_data(as_text=True)
        assert '/comment"' not in html


def test_posting_to_a_closed_consultation_keeps_nothing(client, db, csrf_token):
    consultation, _ = make_document()
    token = csrf_token(form_url(consultation))
    consultation.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.post(
        form_url(consultation, lang="en"), data=valid_form(token, text="Mein Text bleibt da")
    )
    assert response.status_code == 403
    assert stored_comments(db) == []
    html = response.get_data(as_text=True)
    # The typed text comes back for copying, with a message saying why it was not sent.
    assert "Mein Text bleibt da" in html
    assert "Nothing was saved" in html


def test_rate_limit_returns_429_with_the_text_kept(app, client, db, csrf_token):
    from consult.extensions import limiter

    consultation, _ = make_document()
    token = csrf_token(form_url(consultation))
    app.config["CONSULT_COMMENT_RATE_LIMIT"] = "3 per minute"
    limiter.reset()
    try:
        statuses = [
            client.post(
                form_url(consultation, lang="en"), data=valid_form(token, text=f"Text {i}")
            ).status_code
            for i in range(3)
        ]
        last = client.post(
            form_url(consultation, lang="en"), data=valid_form(token, text="Zu viel")
        )
    finally:
        app.config["CONSULT_COMMENT_RATE_LIMIT"] = "10000 per minute"
        limiter.reset()
    assert statuses == [303] * 3
    assert last.status_code == 429
    html = last.get_data(as_text=True)
    assert "Zu viel" in html and "wait a minute" in html
    assert 0 < int(last.headers["Retry-After"]) <= 60
    assert len(stored_comments(db)) == 3


def test_every_error_summary_link_reaches_its_field(hx, csrf_token):
    import re

    consultation, _ = make_document()
    token = csrf_token(form_url(consultation))
    html = hx.post(
        form_url(consultation, lang="en"),
        data=valid_form(token, text="", kind=None, group="", consent=None),
    ).get_data(as_text=True)
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    anchors = re.findall(r'href="#([^"]+)"', summary)
    assert anchors == ["p-1-1-text", "p-1-1-kind-0", "p-1-1-group", "p-1-1-consent"]
    for anchor in anchors:
        assert f'id="{anchor}"' in html


def test_form_page_posts_plainly_and_inline_form_posts_with_htmx(client, hx):
    consultation, _ = make_document()
    page = client.get(form_url(consultation)).get_data(as_text=True)
    fragment = hx.get(form_url(consultation)).get_data(as_text=True)
    assert "hx-post" not in page.split("<main", 1)[1]
    assert "hx-post" in fragment


def test_two_open_forms_share_no_ids(hx):
    import re

    consultation, _ = make_document()
    first = hx.get(form_url(consultation, "1.1")).get_data(as_text=True)
    second = hx.get(form_url(consultation, "1.2")).get_data(as_text=True)
    ids_first = set(re.findall(r' id="([^"]+)"', first))
    ids_second = set(re.findall(r' id="([^"]+)"', second))
    assert ids_first and ids_second
    assert ids_first.isdisjoint(ids_second)


def test_line_breaks_count_once_toward_the_limit(client, db, csrf_token):
    consultation, _ = make_document()
    token = csrf_token(form_url(consultation))
    text = ("x" * 99 + "\r\n") * 50  # 5,000 characters as the browser counts them
    response = client.post(form_url(consultation), data=valid_form(token, text=text.strip()))
    assert response.status_code == 303
    [comment] = stored_comments(db)
    assert "\r" not in comment.text


def test_rate_limit_page_never_reveals_a_draft(app, client, db, csrf_token):
    from consult.extensions import limiter

    consultation, _ = make_document()
    token = csrf_token(form_url(consultation))
    consultation.phase = Phase.DRAFT
    consultation.title = "Geheimer Entwurf"
    db.session.commit()
    app.config["CONSULT_COMMENT_RATE_LIMIT"] = "1 per minute"
    limiter.reset()
    try:
        responses = [client.post(form_url(consultation), data=valid_form(token)) for _ in range(2)]
    finally:
        app.config["CONSULT_COMMENT_RATE_LIMIT"] = "10000 per minute"
        limiter.reset()
    assert [r.status_code for r in responses] == [404, 429]
    assert "Die Verwaltung beabsichtigt" not in responses[1].get_data(as_text=True)
    assert "Retry-After" in responses[1].headers

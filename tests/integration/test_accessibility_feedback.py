"""The feedback form of the accessibility statement (BITV 2.0 § 7): one e-mail to the office,
nothing stored or logged, the reader's text kept through every failure, a page named only when
it is a page of this site, and the way to it from the statement, the footer and the draft."""

import html as html_lib
import logging
import re

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from consult.extensions import limiter
from consult.mail import MailError
from tests.conftest import csrf_from, html
from tests.factories import make_consultation, make_document, make_participant

FORM = "/de/accessibility/feedback"
SENT = "/de/accessibility/feedback/sent"
OFFICE = "barrierefrei@beispiel.example"
BARRIER = "Der Knopf „Kommentieren“ ist mit der Bildschirmlupe nicht zu finden.\nBitte größer."


@pytest.fixture(autouse=True)
def office(app, monkeypatch):
    monkeypatch.setitem(app.config, "CONSULT_ACCESSIBILITY_CONTACT", OFFICE)
    monkeypatch.setitem(app.config, "CONSULT_ACCESSIBILITY_PHONE", "0271 333-1234")
    monkeypatch.setitem(app.config, "CONSULT_ACCESSIBILITY_RESPONSE_WEEKS", 4)


def feedback_form(client, url=FORM, **fields) -> dict:
    values = {"page": "", "text": BARRIER, "email": "", "website": ""}
    values.update(fields)
    return {"csrf_token": csrf_from(html(client.get(url))), **values}


def field_value(page: str, name: str) -> str | None:
    match = re.search(rf'<input [^>]*name="{name}"[^>]*value="([^"]*)"', page)
    return html_lib.unescape(match.group(1)) if match else None


def textarea(page: str) -> str:
    match = re.search(r'<textarea [^>]*name="text"[^>]*>(?:\r?\n)?(.*?)</textarea>', page, re.S)
    assert match, "no textarea"
    return html_lib.unescape(match.group(1))


def row_counts(db) -> dict[str, int]:
    connection = db.session.connection()
    return {
        name: connection.execute(sa.text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one()
        for name in sa.inspect(connection).get_table_names()
    }


def test_the_form_asks_three_things_and_says_what_happens_with_them(client):
    page = html(client.get("/en/accessibility/feedback"))
    assert "<h1>Report a barrier</h1>" in page
    assert '<label for="page">Which page is it about? (optional)</label>' in page
    assert re.search(r'<textarea [^>]*id="text"[^>]*maxlength="5000"[^>]*required', page)
    assert '<label for="email">Your e-mail address, so that we can answer you (optional)' in page
    assert "we cannot answer you" in page
    assert "within 4 weeks" in page
    # The privacy sentence, linking the notice.
    assert "are not stored on this website" in page
    assert 'href="/en/privacy"' in page
    # The other ways stay open.
    assert f'href="mailto:{OFFICE}"' in page and "0271 333-1234" in page
    # The trap: there for programs, hidden from people.
    assert re.search(r'<div hidden>\s*<label for="website">', page)
    assert 'name="csrf_token"' in page


def test_a_message_becomes_one_mail_to_the_office_and_nothing_else(client, db, outbox, caplog):
    form = feedback_form(
        client,
        "/en/accessibility/feedback",
        page="https://beteiligung.kreis.example/en/c/plan/p/1.1",
        email="leserin@example.org",
    )
    before = row_counts(db)
    with caplog.at_level(logging.DEBUG):
        response = client.post("/en/accessibility/feedback", data=form)
    assert response.status_code == 303
    assert response.headers["Location"] == "/en/accessibility/feedback/sent"
    assert row_counts(db) == before

    (message,) = outbox
    assert message.to == OFFICE
    assert message.reply_to == "leserin@example.org"
    assert BARRIER in message.body
    assert "https://beteiligung.kreis.example/en/c/plan/p/1.1" in message.body
    assert "leserin@example.org" in message.body
    assert "(en)" in message.body
    # The log knows that a message went out, and nothing of it.
    assert "accessibility feedback sent" in caplog.text
    for secret in ("Bildschirmlupe", "leserin", "/c/plan"):
        assert secret not in caplog.text

    sent = html(client.get("/en/accessibility/feedback/sent"))
    assert "<h1>Your message was sent</h1>" in sent
    assert "within 4 weeks, at the e-mail address you gave" in sent
    assert 'href="/en/accessibility#enforcement"' in sent
    assert "leserin@example.org" not in sent


def test_the_mail_says_what_was_not_given(client, outbox):
    client.post("/de/accessibility/feedback", data=feedback_form(client))
    (message,) = outbox
    # The office's mail is in the site's default language, German.
    with force_locale("de"):
        subject = gettext("Accessibility feedback from the consultation website")
        page_line = f"{gettext('Page:')} {gettext('not given')}"
        no_answer = gettext("Answer to: no address given, so the person cannot be answered.")
    assert message.subject == subject
    assert page_line in message.body
    assert "Deutsch (de)" in message.body
    assert no_answer in message.body


def test_without_an_address_the_reader_is_told_there_will_be_no_answer(client, outbox):
    response = client.post("/en/accessibility/feedback", data=feedback_form(client))
    assert response.status_code == 303
    (message,) = outbox
    assert message.reply_to is None
    sent = html(client.get("/en/accessibility/feedback/sent"))
    assert "You did not give an e-mail address, so we cannot answer you." in sent
    assert f'href="mailto:{OFFICE}"' in sent


def test_the_confirmation_needs_a_message_sent(client):
    response = client.get(SENT)
    assert response.status_code == 303
    assert response.headers["Location"] == FORM


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"text": "  \n "}, "text", "Please tell us what does not work or what you need."),
        ({"text": "x" * 5001}, "text", "at most 5000 characters"),
        ({"email": "keine-adresse"}, "email", "This does not look like an e-mail address."),
        ({"page": "p" * 501}, "page", "at most 500 characters"),
    ],
)
def test_invalid_input_is_422_with_a_linked_summary_and_the_text_kept(
    client, db, outbox, fields, field, message
):
    form = feedback_form(
        client, "/en/accessibility/feedback", **{"page": "Kommentarformular", **fields}
    )
    response = client.post("/en/accessibility/feedback", data=form)
    assert response.status_code == 422
    page = html(response)
    assert "<title>Error: Report a barrier" in page
    summary = page[page.index('class="error-summary"') :]
    assert re.search(rf'<a href="#{field}">[^<]*{re.escape(message)}', summary)
    assert f'id="{field}-error"' in page and 'aria-invalid="true"' in page
    assert textarea(page) == form["text"].replace("\r\n", "\n")
    assert field_value(page, "page") == form["page"].strip()
    if "email" in fields:
        assert field_value(page, "email") == "keine-adresse"
    assert outbox == []


def test_the_trap_field_pretends_success_and_sends_nothing(client, outbox, caplog):
    form = feedback_form(client, website="https://billige-uhren.example")
    with caplog.at_level(logging.DEBUG):
        response = client.post(FORM, data=form)
    assert response.status_code == 303
    assert response.headers["Location"] == SENT
    assert outbox == []
    assert "accessibility feedback sent" not in caplog.text


def test_a_post_needs_the_csrf_token(client, outbox):
    client.get(FORM)
    response = client.post(FORM, data={"text": BARRIER})
    assert response.status_code == 400
    assert outbox == []


def test_too_many_messages_get_a_429_with_the_text_kept(app, client, outbox):
    url = "/en/accessibility/feedback"
    forms = [feedback_form(client, url, text=f"Nachricht {n}") for n in range(3)]
    app.config["CONSULT_FEEDBACK_RATE_LIMIT"] = "2 per minute"
    limiter.reset()
    try:
        responses = [client.post(url, data=form) for form in forms]
    finally:
        app.config["CONSULT_FEEDBACK_RATE_LIMIT"] = "10000 per minute"
        limiter.reset()
    assert [r.status_code for r in responses] == [303, 303, 429]
    page = html(responses[-1])
    assert "wait a few minutes" in page
    assert textarea(page) == "Nachricht 2"
    assert 0 < int(responses[-1].headers["Retry-After"]) <= 60
    assert len(outbox) == 2


def test_only_messages_sent_count_towards_the_limit(app, client, outbox):
    url = "/en/accessibility/feedback"
    invalid = feedback_form(client, url, text="")
    valid = feedback_form(client, url)
    app.config["CONSULT_FEEDBACK_RATE_LIMIT"] = "2 per minute"
    limiter.reset()
    try:
        responses = [client.post(url, data=form) for form in (invalid, invalid, invalid, valid)]
    finally:
        app.config["CONSULT_FEEDBACK_RATE_LIMIT"] = "10000 per minute"
        limiter.reset()
    assert [r.status_code for r in responses] == [422, 422, 422, 303]
    assert len(outbox) == 1


def test_when_the_mail_server_fails_the_text_stays_and_other_ways_are_named(
    app, client, outbox, monkeypatch, caplog
):
    def refuse(message):
        raise MailError("ConnectionRefusedError")

    form = feedback_form(
        client, "/en/accessibility/feedback", page="Startseite", email="leserin@example.org"
    )
    monkeypatch.setattr(app.extensions["consult.mail"], "send", refuse)
    with caplog.at_level(logging.DEBUG):
        response = client.post("/en/accessibility/feedback", data=form)
    assert response.status_code == 503
    page = html(response)
    assert "Your message could not be sent" in page
    assert "Nothing is lost" in page
    assert f'href="mailto:{OFFICE}"' in page and "0271 333-1234" in page
    assert textarea(page) == BARRIER
    assert field_value(page, "page") == "Startseite"
    assert field_value(page, "email") == "leserin@example.org"
    assert "leserin" not in caplog.text and "Bildschirmlupe" not in caplog.text

    # Sent again once the server is back, from the re-rendered form: it arrives.
    monkeypatch.undo()
    retry = {**form, "csrf_token": csrf_from(page)}
    assert client.post("/en/accessibility/feedback", data=retry).status_code == 303
    (message,) = outbox
    assert BARRIER in message.body and "Startseite" in message.body


def test_a_page_of_this_site_is_filled_in(client):
    consultation, _ = make_document()
    path = f"/de/c/{consultation.slug}/p/1.1"
    page = html(client.get(f"{FORM}?page={path}"))
    assert field_value(page, "page") == f"https://beteiligung.kreis.example{path}"
    # A query string or fragment is left behind.
    page = html(client.get(f"{FORM}?page={path}%3Fgroup%3Dx%23top"))
    assert field_value(page, "page") == f"https://beteiligung.kreis.example{path}"


@pytest.mark.parametrize(
    "value",
    [
        "https://elsewhere.example/de/",
        "//elsewhere.example/de/",
        "/\\elsewhere.example/de/",
        "javascript:alert(1)",
        "de/privacy",
        "/de/no-such-page",
        "/de/privacy\nBcc: x@example.org",
        "/de/" + "a" * 600,
    ],
)
def test_anything_else_in_page_is_dropped(client, value):
    page = html(client.get(FORM, query_string={"page": value}))
    assert field_value(page, "page") in (None, "")


def test_a_path_with_a_secret_token_is_dropped(client):
    _, token = make_participant()
    page = html(client.get(FORM, query_string={"page": f"/de/my/{token}"}))
    assert field_value(page, "page") in (None, "")


def test_the_statement_links_to_the_form(client):
    page = html(client.get("/en/accessibility"))
    feedback = page[page.index('id="feedback"') : page.index('id="enforcement"')]
    assert '<a href="/en/accessibility/feedback">Report a barrier with our form</a>' in feedback


def test_the_footer_names_the_page_the_reader_is_on(client):
    consultation, _ = make_document()
    page = html(client.get(f"/de/c/{consultation.slug}/p/1.1"))
    footer = page[page.index('<footer class="site-footer">') :]
    expected = f"/de/accessibility/feedback?page=/de/c/{consultation.slug}/p/1.1"
    assert f'href="{expected}"' in footer
    # And that link fills the page in.
    form = html(client.get(expected))
    assert field_value(form, "page").endswith(f"/de/c/{consultation.slug}/p/1.1")


def test_the_footer_never_names_a_private_link(client):
    _, token = make_participant()
    page = html(client.get(f"/de/my/{token}"))
    footer = page[page.index('<footer class="site-footer">') :]
    assert 'href="/de/accessibility/feedback"' in footer
    assert token not in footer


def test_the_draft_links_to_its_leichte_sprache_page(client):
    explained = make_consultation(easy_read="Der Kreis macht einen Plan.")
    page = html(client.get(f"/en/c/{explained.slug}/"))
    link = (
        f'<a href="/en/c/{explained.slug}/leichte-sprache"><span lang="de" dir="ltr">'
        "Leichte Sprache</span>: this draft explained in easy-to-read German</a>"
    )
    assert link in page
    # Near the top, before the facts about the consultation.
    assert page.index(link) < page.index('class="facts"')
    plain = make_consultation()
    assert f"/c/{plain.slug}/leichte-sprache" not in html(client.get(f"/en/c/{plain.slug}/"))

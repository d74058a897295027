"""The glossary over HTTP: the administration's screens (with and without HTMX), the public
glossary page, and the terms marked in the draft."""

import re

import pytest
from sqlalchemy import select

from consult.models import AuditEvent, CommentStatus, GlossaryTerm, Role
from consult.models.types import utcnow
from consult.services import glossary
from consult.services.glossary import ExplanationText, TermDetails
from tests.conftest import csrf_from, html
from tests.factories import (
    make_comment,
    make_consultation,
    make_paragraph,
    make_section,
    make_staff,
)

ADMIN_LIST = "/en/admin/glossary/"
NEW = "/en/admin/glossary/new"


def add_term(term, *variants, de="Eine Erklärung.", **others):
    explanations = {"de": ExplanationText("", de)}
    for language, text in others.items():
        explanations[language] = (
            text if isinstance(text, ExplanationText) else ExplanationText("", text)
        )
    return glossary.create_term(
        TermDetails(term, variants, explanations),
        languages=("de", "en", "ar"),
        actor=None,
        now=utcnow(),
    )


def term_form(token, **overrides):
    data = {
        "csrf_token": token,
        "term": "Lenkungsgruppe",
        "variants": "Lenkungsgruppen\r\n",
        "name_de": "",
        "explanation_de": "Eine Gruppe, die die Arbeit lenkt.",
        "name_en": "steering group",
        "explanation_en": "A group that steers the work.",
    }
    data.update(overrides)
    return data


def stored(term):
    from consult.extensions import db

    return db.session.scalars(select(GlossaryTerm).where(GlossaryTerm.term == term)).one_or_none()


def edit_url(term):
    return f"{ADMIN_LIST}{term.id}/edit"


def delete_url(term):
    return f"{ADMIN_LIST}{term.id}/delete"


# --- who may ---------------------------------------------------------------------------------


def test_strangers_are_sent_to_sign_in_and_moderators_are_refused(client, login):
    term = add_term("Kreistag")
    for url in (ADMIN_LIST, NEW, edit_url(term), delete_url(term)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/en/staff/login" in response.headers["Location"]
    login(make_staff(role=Role.MODERATOR))
    for url in (ADMIN_LIST, NEW, edit_url(term), delete_url(term)):
        assert client.get(url).status_code == 403
    token = csrf_from(html(client.get("/en/")))  # the sign-out form's token
    assert client.post(ADMIN_LIST, data=term_form(token)).status_code == 403
    assert client.post(delete_url(term), data={"csrf_token": token}).status_code == 403
    assert stored("Lenkungsgruppe") is None and stored("Kreistag") is not None
    # The staff navigation offers the glossary to administrators only.
    assert f'href="{ADMIN_LIST}"' not in html(client.get("/en/"))
    login(make_staff(role=Role.ADMIN))
    assert f'href="{ADMIN_LIST}"' in html(client.get("/en/"))


# --- adding, editing, deleting ----------------------------------------------------------------


def test_adding_a_term_without_javascript(client, admin, csrf_token):
    response = client.post(ADMIN_LIST, data=term_form(csrf_token(NEW)))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(ADMIN_LIST)
    page = html(client.get(response.headers["Location"]))
    assert "“Lenkungsgruppe” added to the glossary." in page
    assert '<th scope="row" lang="de" dir="ltr">Lenkungsgruppe</th>' in page
    term = stored("Lenkungsgruppe")
    assert (term.slug, term.forms) == ("lenkungsgruppe", ["Lenkungsgruppe", "Lenkungsgruppen"])
    from consult.extensions import db

    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "glossary.created")
    ).one()
    assert event.actor_id == admin.id


def test_adding_a_term_with_htmx_goes_to_the_list(hx, admin, csrf_token):
    response = hx.post(ADMIN_LIST, data=term_form(csrf_token(NEW)))
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].endswith(ADMIN_LIST)
    assert stored("Lenkungsgruppe") is not None


@pytest.mark.parametrize("use_htmx", [False, True])
def test_invalid_input_is_422_with_the_typed_text_kept(client, hx, admin, csrf_token, use_htmx):
    poster = hx if use_htmx else client
    response = poster.post(
        ADMIN_LIST,
        data=term_form(csrf_token(NEW), explanation_de="", name_en="group that steers"),
    )
    assert response.status_code == 422
    page = html(response)
    assert ("<html" in page) is not use_htmx
    assert '<form id="glossary-term-form"' in page
    assert 'href="#explanation_de"' in page
    assert "readers of every language fall back to it" in page
    assert 'value="Lenkungsgruppe"' in page and 'value="group that steers"' in page
    assert "A group that steers the work." in page
    assert 'aria-invalid="true"' in page
    assert stored("Lenkungsgruppe") is None


def test_a_term_the_glossary_has_already_is_refused(client, admin, csrf_token):
    add_term("Lenkungsgruppe")
    response = client.post(ADMIN_LIST, data=term_form(csrf_token(NEW), term="lenkungsgruppe"))
    assert response.status_code == 422
    assert "The glossary has this term already (“Lenkungsgruppe”)." in html(response)
    add_term("Steuerung", "Lenkungsgruppen")
    response = client.post(
        ADMIN_LIST,
        data=term_form(csrf_token(NEW), term="Lenkungskreis", variants="LENKUNGSGRUPPEN"),
    )
    assert "“LENKUNGSGRUPPEN” already belongs to the term “Steuerung”." in html(response)


@pytest.mark.parametrize("use_htmx", [False, True])
def test_editing_a_term(client, hx, admin, csrf_token, use_htmx):
    term = add_term("Lenkungsgruppe", en=ExplanationText("steering group", "Old text."))
    form_page = html(client.get(edit_url(term)))
    assert 'value="Lenkungsgruppe"' in form_page and "Old text." in form_page
    assert 'lang="ar"' not in form_page  # only enabled languages are offered
    poster = hx if use_htmx else client
    response = poster.post(
        edit_url(term),
        data=term_form(csrf_from(form_page), term="Lenkungsgruppe", variants="Lenkungsgruppen"),
    )
    if use_htmx:
        assert response.status_code == 200
        assert response.headers["HX-Redirect"].endswith(ADMIN_LIST)
    else:
        assert response.status_code == 303
        assert "Changes to “Lenkungsgruppe” saved." in html(client.get(ADMIN_LIST))
    english = {e.language: e for e in glossary.term_by_id(term.id).explanations}["en"]
    assert english.explanation == "A group that steers the work."


def test_editing_with_an_error_keeps_the_text(client, admin, csrf_token):
    term = add_term("Lenkungsgruppe")
    add_term("Kreistag")
    form_page = html(client.get(edit_url(term)))
    response = client.post(
        edit_url(term), data=term_form(csrf_from(form_page), variants="Kreistag\nNeue Form")
    )
    assert response.status_code == 422
    page = html(response)
    assert "“Kreistag” already belongs to the term “Kreistag”." in page
    assert "Neue Form" in page


def test_deleting_asks_first(client, admin):
    term = add_term("Lenkungsgruppe")
    confirm = html(client.get(delete_url(term)))
    assert "Delete this term?" in confirm and "Lenkungsgruppe" in confirm
    assert f'action="{delete_url(term)}"' in confirm
    response = client.post(delete_url(term), data={"csrf_token": csrf_from(confirm)})
    assert response.status_code == 303
    assert "“Lenkungsgruppe” deleted from the glossary." in html(client.get(ADMIN_LIST))
    assert stored("Lenkungsgruppe") is None
    assert client.get(delete_url(term)).status_code == 404


def test_the_list_searches_with_and_without_htmx(client, hx, admin):
    add_term("Lenkungsgruppe", en="A group that steers.")
    add_term("Kreistag", "Kreistages")
    page = html(client.get(ADMIN_LIST))
    assert "2 terms in the glossary." in page
    # The language switcher keeps the page.
    assert '<a href="/de/admin/glossary/" lang="de" hreflang="de">Deutsch</a>' in page
    assert page.index(">Kreistag<") < page.index(">Lenkungsgruppe<")
    found = html(client.get(ADMIN_LIST + "?q=steers"))
    assert "1 term matches “steers”." in found and ">Kreistag<" not in found
    fragment = hx.get(ADMIN_LIST + "?q=kreistages")
    assert "HX-Request" in fragment.headers["Vary"]
    text = html(fragment)
    assert "<html" not in text and text.lstrip().startswith('<section id="glossary-list"')
    assert 'data-announce="1 term matches “kreistages”."' in text
    assert ">Kreistag<" in text and ">Lenkungsgruppe<" not in text


# --- the public glossary page -----------------------------------------------------------------


@pytest.fixture
def arabic(app, monkeypatch):
    monkeypatch.setitem(app.config, "LANGUAGES", ["de", "en", "ar"])


def test_the_glossary_page_lists_the_terms_a_to_z(client, arabic):
    add_term(
        "Kreistag",
        de="Das Parlament des Kreises.",
        en=ExplanationText("county council", "The county's parliament."),
    )
    add_term("Ärger", de="Verdruss.")
    english = html(client.get("/en/glossary"))
    assert english.index('id="aerger"') < english.index('id="kreistag"')
    assert '<a href="#letter-a">A</a>' in english and '<a href="#letter-k">K</a>' in english
    assert '<a href="#letter-b">' not in english
    kreistag = english[english.index('id="kreistag"') :].split("</article>")[0]
    assert '<span lang="de" dir="ltr">Kreistag</span>' in kreistag
    assert '<span class="glossary-entry__name" lang="en" dir="ltr">(county council)' in kreistag
    assert '<div class="glossary-entry__text" lang="en" dir="ltr">' in kreistag
    assert "The county&#39;s parliament." in kreistag
    assert "Explanation in German" not in kreistag
    # Ärger has no English explanation: the German one, marked as such and in German.
    aerger = english[english.index('id="aerger"') :].split("</article>")[0]
    assert '<div class="glossary-entry__text" lang="de" dir="ltr">' in aerger
    assert "Explanation in German: there is none in your language yet." in aerger
    arabic_page = html(client.get("/ar/glossary"))
    assert '<html lang="ar" dir="rtl">' in arabic_page
    assert arabic_page.count('class="glossary-entry__text" lang="de" dir="ltr"') == 2
    assert arabic_page.count('class="glossary-entry__fallback"') == 2
    german = html(client.get("/de/glossary"))
    assert 'class="glossary-entry__fallback"' not in german


def test_an_empty_glossary_says_so(client):
    page = html(client.get("/en/glossary"))
    assert "The glossary has no terms yet." in page


def test_the_glossary_page_costs_one_query_however_many_terms(client, count_queries, db):
    def measured():
        db.session.flush()
        db.session.expunge_all()
        with count_queries() as counter:
            assert client.get("/en/glossary").status_code == 200
        return counter.count

    add_term("Kreistag", en="County council.")
    few = measured()
    for n in range(30):
        add_term(f"Begriff {n}", en=f"Term {n}.")
    assert measured() == few == 1


# --- terms marked in the draft ----------------------------------------------------------------


def draft(*texts):
    consultation = make_consultation(title="KIM-Konzept")
    section = make_section(consultation, number=4, title="Struktur und Lenkungsgruppe")
    paragraphs = [
        make_paragraph(section, n, title=f"Lenkungsgruppe {n}", text=text)
        for n, text in enumerate(texts, start=1)
    ]
    return consultation, paragraphs


def test_the_document_marks_each_term_once_per_paragraph_linking_to_the_glossary(client):
    add_term("Lenkungsgruppe", de="Eine Gruppe, die lenkt.", en="A group that steers.")
    add_term("Kreistag", "Kreistages", de="Das Parlament des Kreises.")
    consultation, _ = draft(
        "Die Lenkungsgruppe berichtet dem Kreistag.\n\n- Die Lenkungsgruppe tagt.\n- Kreistages",
        "Eine Lenkungsgruppe <b>ohne</b> Kreis-Tag.",
    )
    page = html(client.get(f"/en/c/{consultation.slug}/"))
    links = re.findall(r'<a class="term" href="([^"]+)" data-term-note="([^"]+)">', page)
    assert links == [
        ("/en/glossary#lenkungsgruppe", "term-note-lenkungsgruppe"),
        ("/en/glossary#kreistag", "term-note-kreistag"),
        ("/en/glossary#lenkungsgruppe", "term-note-lenkungsgruppe"),
    ]
    # One hidden note per term on the page, however often it is marked; app.js shows a copy.
    for note in ("term-note-lenkungsgruppe", "term-note-kreistag"):
        assert page.count(f'<span class="term-note" id="{note}" lang="en" dir="ltr" hidden>') == 1
    # The explanation in the reader's language, the German one marked where there is none.
    assert '<span class="term-note__text" lang="en" dir="ltr">A group that steers.</span>' in page
    assert '<span class="term-note__text" lang="de" dir="ltr">Das Parlament des Kreises.' in page
    assert "(explanation in German)" in page
    # Headings are not marked, and text around the terms stays escaped.
    assert '<h3 id="p-4-1-title"' in page and "Lenkungsgruppe 1</h3>" in page
    assert "&lt;b&gt;ohne&lt;/b&gt;" in page


def test_the_thread_page_marks_terms_but_staff_screens_do_not(client, login):
    add_term("Lenkungsgruppe")
    consultation, (paragraph,) = draft("Die Lenkungsgruppe tagt.")
    make_comment(paragraph, status=CommentStatus.PENDING)
    thread = html(client.get(f"/de/c/{consultation.slug}/p/{paragraph.number}"))
    assert 'href="/de/glossary#lenkungsgruppe"' in thread
    login(make_staff(role=Role.ADMIN))
    queue = html(client.get("/de/moderation/"))
    assert "Die Lenkungsgruppe tagt." in queue
    assert 'class="term"' not in queue


def test_every_page_links_to_the_glossary(client):
    consultation, _ = draft("Text.")
    for url in ("/en/", f"/en/c/{consultation.slug}/", "/en/privacy"):
        assert 'href="/en/glossary"' in html(client.get(url))

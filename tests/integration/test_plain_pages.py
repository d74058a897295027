"""The page in Leichte Sprache, each consultation's explanation in Leichte Sprache, and the
accessibility statement: reachable from every page, in every UI language, German where it
must be German."""

import re
from datetime import date

import pytest

from consult.models import Phase, Role
from tests.factories import (
    make_comment,
    make_consultation,
    make_document,
    make_member,
    make_organisation,
    make_participant,
    make_staff,
)

EASY_READ = """Der Kreis macht einen Plan.
Der Plan ist ein Entwurf.

Das steht im Plan:
- Mehr Beratung.
- Kurze Wege.

Sie haben eine Frage?"""

DIRECTION = {"de": "ltr", "en": "ltr", "ar": "rtl"}


@pytest.fixture
def arabic(app, monkeypatch):
    monkeypatch.setitem(app.config, "LANGUAGES", ["de", "en", "ar"])


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["de", "en", "ar"])
def test_easy_read_page_is_german_inside_the_readers_frame(client, arabic, lang):
    html = text(client.get(f"/{lang}/leichte-sprache"))
    assert f'<html lang="{lang}" dir="{DIRECTION[lang]}">' in html
    # The explanation itself is German, left to right, even in an Arabic page.
    assert '<div class="easy-read" lang="de" dir="ltr">' in html
    assert "<h1>Informationen in Leichter Sprache</h1>" in html
    for heading in (
        "Was ist diese Internet·seite?",
        "Wer macht diese Internet·seite?",
        "So schreiben Sie Ihre Meinung",
        "Das passiert mit Ihren Daten",
        "Hier bekommen Sie Hilfe",
        "Barriere·freiheit",
    ):
        assert heading in html
    assert "Sie brauchen <strong>kein</strong> Benutzer·konto." in html
    # Readers of another UI language are told, in their language, what this page is.
    assert ('class="easy-read__notice"' in html) is (lang != "de")


def test_easy_read_page_names_the_operator_and_the_contact(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "CONSULT_OPERATOR_NAME", "Kreis Beispielstadt")
    monkeypatch.setitem(app.config, "CONSULT_ACCESSIBILITY_CONTACT", "hilfe@beispiel.example")
    monkeypatch.setitem(app.config, "CONSULT_ACCESSIBILITY_PHONE", "")
    html = text(client.get("/de/leichte-sprache"))
    assert "Diese Internet·seite gehört: Kreis Beispielstadt" in html
    assert '<a href="mailto:hilfe@beispiel.example">hilfe@beispiel.example</a>' in html
    assert "Telefon·nummer" not in html
    monkeypatch.setitem(app.config, "CONSULT_ACCESSIBILITY_PHONE", "0271 333-0")
    assert "Unsere Telefon·nummer ist: 0271 333-0" in text(client.get("/de/leichte-sprache"))


def test_links_inside_the_german_text_lead_to_german_pages(client):
    html = text(client.get("/en/leichte-sprache"))
    assert 'href="/de/privacy"' in html and 'href="/de/accessibility"' in html


def test_easy_read_page_lists_public_consultations_with_an_explanation(client):
    listed = make_consultation(title="Plan mit Erklärung", easy_read=EASY_READ)
    without = make_consultation(title="Plan ohne Erklärung")
    draft = make_consultation(title="Plan im Entwurf", phase=Phase.DRAFT, easy_read=EASY_READ)
    html = text(client.get("/de/leichte-sprache"))
    assert f'<a href="/de/c/{listed.slug}/leichte-sprache">Plan mit Erklärung</a>' in html
    assert without.title not in html and draft.title not in html


def test_easy_read_page_says_when_no_consultation_has_an_explanation(client):
    make_consultation()
    html = text(client.get("/de/leichte-sprache"))
    assert "Im Moment gibt es noch keine Erklärungen zu den Entwürfen." in html


@pytest.mark.parametrize("lang", ["de", "en", "ar"])
def test_consultation_explanation_keeps_lines_and_lists(client, arabic, lang):
    consultation = make_consultation(easy_read=EASY_READ)
    html = text(client.get(f"/{lang}/c/{consultation.slug}/leichte-sprache"))
    assert f'<html lang="{lang}" dir="{DIRECTION[lang]}">' in html
    body = html[html.index('class="easy-read easy-read__text" lang="de" dir="ltr"') :]
    # One sentence per line, as Leichte Sprache writes it; "- " lines become a real list.
    assert "<p>Der Kreis macht einen Plan.<br>Der Plan ist ein Entwurf.</p>" in body
    assert "<p>Das steht im Plan:</p>" in body
    assert "<ul><li>Mehr Beratung.</li><li>Kurze Wege.</li></ul>" in body
    assert f'href="/{lang}/c/{consultation.slug}/"' in body  # on to the whole draft
    assert "phase-notice" in html
    assert ('class="easy-read__notice"' in html) is (lang != "de")


def test_consultation_explanation_is_404_in_draft_or_when_not_written(client):
    draft = make_consultation(phase=Phase.DRAFT, easy_read=EASY_READ)
    unwritten = make_consultation(easy_read="")
    assert client.get(f"/de/c/{draft.slug}/leichte-sprache").status_code == 404
    assert client.get(f"/de/c/{unwritten.slug}/leichte-sprache").status_code == 404
    assert client.get("/de/c/no-such-consultation/leichte-sprache").status_code == 404


def test_staff_preview_a_drafts_explanation_before_publishing(client, admin):
    draft = make_consultation(phase=Phase.DRAFT, easy_read=EASY_READ)
    html = text(client.get(f"/de/c/{draft.slug}/leichte-sprache"))
    assert "Der Kreis macht einen Plan." in html


def test_accessibility_statement_shows_the_configured_contact_and_enforcement(
    client, app, monkeypatch
):
    settings = {
        "CONSULT_OPERATOR_NAME": "Kreis Beispielstadt",
        "CONSULT_ACCESSIBILITY_CONTACT": "barrierefrei@beispiel.example",
        "CONSULT_ACCESSIBILITY_PHONE": "0271 333-1234",
        "CONSULT_ACCESSIBILITY_STATEMENT_DATE": date(2027, 3, 3),
        "CONSULT_ACCESSIBILITY_RESPONSE_WEEKS": 4,
        "CONSULT_ACCESSIBILITY_ENFORCEMENT_BODY": "Schlichtungsstelle Beispielland",
        "CONSULT_ACCESSIBILITY_ENFORCEMENT_URL": "https://schlichtung.beispiel.example/",
        "CONSULT_ACCESSIBILITY_ENFORCEMENT_EMAIL": "schlichtung@beispiel.example",
    }
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)
    html = text(client.get("/en/accessibility"))
    assert "<h1>Accessibility statement</h1>" in html
    assert "Kreis Beispielstadt wants everyone" in html
    assert "partially compliant" in html
    assert "not a tagged document (PDF/UA)" in html and "Word file (DOCX)" in html
    assert "German Sign Language" in html
    assert "This statement was prepared on March 3, 2027." in html
    assert "axe-core" in html and "screen reader" in html
    assert 'href="mailto:barrierefrei@beispiel.example"' in html
    assert "0271 333-1234" in html
    assert "within 4 weeks" in html
    assert "Schlichtungsstelle Beispielland" in html
    assert 'href="https://schlichtung.beispiel.example/"' in html
    assert 'href="mailto:schlichtung@beispiel.example"' in html
    # A link to another site, but nothing loaded from it.
    assert not re.search(r"<(?:img|script|link|iframe)[^>]+https?://(?!127)", html)


def test_accessibility_statement_defaults_to_the_nrw_ombuds_office(client):
    html = text(client.get("/de/accessibility"))
    assert (
        "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen" in html
    )
    assert "https://www.lbbp.nrw.de/ombudsstelle" in html
    assert "Telephone:" not in html and "Telefon:" not in html  # no phone configured


@pytest.mark.parametrize("lang", ["de", "en", "ar"])
def test_accessibility_statement_in_each_language(client, arabic, lang):
    html = text(client.get(f"/{lang}/accessibility"))
    assert f'<html lang="{lang}" dir="{DIRECTION[lang]}">' in html
    assert 'class="accessibility-list"' in html


EASY_READ_LINK = re.compile(
    r'<a class="easy-read-link" href="/(\w\w)/leichte-sprache" lang="de" '
    r'aria-describedby="easy-read-link-description">Leichte Sprache</a>'
)


def assert_frame_links(html: str, lang: str) -> None:
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    match = EASY_READ_LINK.search(header)
    assert match and match.group(1) == lang, "no Leichte Sprache link in the header"
    assert '<span id="easy-read-link-description" hidden>' in header
    # Before the language switcher, so it is found early in the reading order.
    assert header.index("easy-read-link") < header.index("language-switcher")
    footer = html[html.index('<footer class="site-footer">') :]
    assert f'href="/{lang}/accessibility"' in footer


@pytest.fixture
def world():
    consultation, (paragraph, *_) = make_document(easy_read=EASY_READ)
    comment = make_comment(paragraph, text="Ein Kommentar.")
    results = make_consultation(phase=Phase.RESULTS)
    _participant, token = make_participant()
    return {
        "slug": consultation.slug,
        "id": consultation.id,
        "comment": comment.id,
        "results": results.slug,
        "token": token,
    }


READER_PAGES = [
    "/{lang}/",
    "/{lang}/c/{slug}/",
    "/{lang}/c/{slug}/p/1.1",
    "/{lang}/c/{slug}/chapter/1",
    "/{lang}/c/{slug}/comments",
    "/{lang}/c/{slug}/p/1.1/comment",
    "/{lang}/c/{slug}/moderation",
    "/{lang}/c/{slug}/organisations",
    "/{lang}/c/{slug}/leichte-sprache",
    "/{lang}/c/{results}/results",
    "/{lang}/privacy",
    "/{lang}/accessibility",
    "/{lang}/leichte-sprache",
    "/{lang}/my/{token}",
    "/{lang}/staff/login",
    "/{lang}/members/login",
]


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_every_reader_page_links_to_leichte_sprache_and_the_statement(client, arabic, world, lang):
    for pattern in READER_PAGES:
        url = pattern.format(lang=lang, **world)
        response = client.get(url)
        assert response.status_code == 200, url
        assert_frame_links(response.get_data(as_text=True), lang)


STAFF_PAGES = [
    "/{lang}/moderation/",
    "/{lang}/admin/consultations/",
    "/{lang}/admin/consultations/{id}/",
    "/{lang}/admin/consultations/{id}/exports",
    "/{lang}/admin/staff/",
    "/{lang}/admin/audit/",
    "/{lang}/admin/organisations/",
    "/{lang}/staff/account",
]


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_every_staff_page_links_to_leichte_sprache_and_the_statement(
    client, login, arabic, world, lang
):
    login(make_staff(role=Role.ADMIN))
    for pattern in STAFF_PAGES:
        url = pattern.format(lang=lang, **world)
        response = client.get(url)
        assert response.status_code == 200, url
        assert_frame_links(response.get_data(as_text=True), lang)


def test_organisation_members_pages_link_to_leichte_sprache(client, login):
    login(make_member(make_organisation()))
    assert_frame_links(text(client.get("/de/members/account")), "de")


@pytest.mark.parametrize(
    ("url", "status", "lang"),
    [
        ("/de/no-such-page", 404, "de"),
        ("/no-such-page", 404, "de"),  # no language prefix: Accept-Language decides
        ("/en/c/no-such-consultation/", 404, "en"),
        ("/de/admin/audit/", 403, "de"),
    ],
)
def test_error_pages_link_to_leichte_sprache(client, login, url, status, lang):
    login(make_staff(role=Role.MODERATOR))
    response = client.get(url)
    assert response.status_code == status
    assert_frame_links(response.get_data(as_text=True), lang)


def test_reader_pages_cost_at_most_one_query(client, count_queries):
    consultation = make_consultation(easy_read=EASY_READ)
    make_consultation(easy_read=EASY_READ)
    for url, budget in (
        ("/de/leichte-sprache", 1),
        (f"/de/c/{consultation.slug}/leichte-sprache", 1),
        ("/de/accessibility", 0),
    ):
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        assert counter.count <= budget, (url, counter.count)

"""Language in the URL (never a cookie), Accept-Language for the first page, no cookie for
readers, strict security headers on every response."""

import pytest

from consult.models import CommentStatus
from tests.factories import make_comment, make_document


def test_bare_address_redirects_by_accept_language(client):
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9,de;q=0.5"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/en/")
    assert "Accept-Language" in response.headers["Vary"]
    german = client.get("/", headers={"Accept-Language": "tr,de;q=0.8"})
    assert german.headers["Location"].endswith("/de/")


def test_default_language_is_german(client):
    assert client.get("/").headers["Location"].endswith("/de/")


def test_ui_is_german_and_english_by_prefix(client):
    consultation, _ = make_document()
    german = client.get(f"/de/c/{consultation.slug}/").get_data(as_text=True)
    english = client.get(f"/en/c/{consultation.slug}/").get_data(as_text=True)
    assert '<html lang="de" dir="ltr">' in german and "Kommentieren" in german
    assert '<html lang="en" dir="ltr">' in english and ">Comment<" in english


def test_language_switcher_keeps_the_page(client):
    consultation, _ = make_document()
    html = client.get(f"/de/c/{consultation.slug}/p/1.1").get_data(as_text=True)
    assert f'href="/en/c/{consultation.slug}/p/1.1" lang="en" hreflang="en"' in html


def test_links_keep_the_chosen_language(client):
    consultation, _ = make_document()
    html = client.get("/en/").get_data(as_text=True)
    assert f'href="/en/c/{consultation.slug}/"' in html
    assert 'href="/en/privacy"' in html


def test_unsupported_language_prefix_is_404(client):
    assert client.get("/xx/").status_code == 404


@pytest.mark.parametrize("path", ["/", "/de/", "/en/privacy", "DOC", "PARAGRAPH", "PARAGRAPH_HX"])
def test_readers_get_no_cookie(client, path):
    consultation, (paragraph, *_) = make_document()
    make_comment(paragraph, status=CommentStatus.APPROVED)
    headers = {}
    if path == "DOC":
        path = f"/de/c/{consultation.slug}/"
    elif path.startswith("PARAGRAPH"):
        headers = {"HX-Request": "true"} if path.endswith("HX") else {}
        path = f"/de/c/{consultation.slug}/p/1.1"
    response = client.get(path, headers=headers)
    assert response.status_code in (200, 302)
    assert "Set-Cookie" not in response.headers
    assert "hx-headers" not in response.get_data(as_text=True)


def test_opening_the_form_sets_only_the_strict_session_cookie(client):
    consultation, _ = make_document()
    response = client.get(f"/de/c/{consultation.slug}/p/1.1/comment")
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1
    cookie = cookies[0]
    assert cookie.startswith("consult_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Expires" not in cookie  # a browser-session cookie
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "X-CSRFToken" in response.get_data(as_text=True)  # HTMX sends it as a header


def test_security_headers_on_pages_and_errors(client):
    for path in ("/de/", "/de/does-not-exist"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "base-uri 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_no_inline_script_or_style_in_pages(client):
    consultation, _ = make_document()
    for path in ("/de/", f"/de/c/{consultation.slug}/", f"/de/c/{consultation.slug}/p/1.1/comment"):
        html = client.get(path).get_data(as_text=True)
        assert "<style" not in html and " style=" not in html
        assert " onclick=" not in html and "hx-on" not in html
        for tag in html.split("<script")[1:]:
            assert tag.split(">", 1)[0].strip().startswith("src="), "inline script found"


def test_error_page_is_in_the_readers_language(client):
    response = client.get("/de/c/nichts-hier/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.get_data(as_text=True)

"""axe-core (WCAG 2.1 A/AA rules) finds nothing on the pages of the journey, in their states."""

import re

from consult.models import CommentStatus, Role
from tests.factories import make_comment, make_document, make_staff


def assert_no_violations(axe, page):
    violations = axe(page)
    assert violations == [], violations


def test_document_and_thread(page, live_url, seed, axe):
    with seed():
        consultation, (paragraph, *_) = make_document(paragraphs=3, is_sample=True)
        make_comment(paragraph, status=CommentStatus.APPROVED, language="ar", text="نص تجريبي")
        slug = consultation.slug
    page.goto(f"{live_url}/de/c/{slug}/")
    assert_no_violations(axe, page)
    page.locator("#p-1-1").get_by_role("link", name=re.compile("1 Kommentar")).click()
    page.locator("#thread-p-1-1 .comment").wait_for()
    assert_no_violations(axe, page)


def test_comment_form_on_its_page_and_inline_empty_and_with_errors(page, live_url, seed, axe):
    with seed():
        consultation, _ = make_document(paragraphs=1)
        slug = consultation.slug
    page.goto(f"{live_url}/de/c/{slug}/p/1.1/comment")
    assert_no_violations(axe, page)
    page.get_by_role("button", name="Kommentar absenden").click()
    page.locator(".error-summary").wait_for()
    assert_no_violations(axe, page)

    page.goto(f"{live_url}/de/c/{slug}/")
    page.locator("#p-1-1").get_by_role("link", name=re.compile("^Kommentieren")).click()
    inline = page.locator("#comment-form-p-1-1")
    inline.locator("form").wait_for()
    assert_no_violations(axe, page)
    inline.get_by_role("button", name="Kommentar absenden").click()
    inline.locator(".error-summary").wait_for()
    assert_no_violations(axe, page)


def test_moderation_queue_and_login(page, live_url, seed, axe):
    from tests.factories import DEFAULT_PASSWORD

    with seed():
        _, (paragraph, *_) = make_document(paragraphs=1)
        make_comment(paragraph, text="Zur Prüfung")
        make_staff(Role.MODERATOR, email="mod-axe@kreis.example")
    page.goto(f"{live_url}/de/staff/login")
    assert_no_violations(axe, page)
    page.get_by_label("E-Mail-Adresse").fill("mod-axe@kreis.example")
    page.get_by_label("Passwort").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.locator(".queue-item").first.wait_for()
    assert_no_violations(axe, page)


def test_start_privacy_and_error_pages(page, live_url, axe):
    for path in ("/de/", "/de/privacy", "/en/", "/de/no-such-page"):
        page.goto(live_url + path)
        assert_no_violations(axe, page)

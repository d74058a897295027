"""The whole journey in a real browser: read, comment (with and without JavaScript),
moderate, see it published."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from consult.models import Comment, CommentKind, CommentStatus, Role
from tests.factories import (
    DEFAULT_PASSWORD,
    make_comment,
    make_document,
    make_participant,
    make_staff,
)


def seeded_document(seed, **overrides):
    with seed():
        consultation, paragraphs = make_document(paragraphs=3, **overrides)
        return consultation.slug, [p.number for p in paragraphs]


def comments_with_text(query_live, text):
    return query_live(
        lambda session: list(session.scalars(select(Comment).where(Comment.text == text)))
    )


def fill_comment_form(form, text):
    form.get_by_label("Ihr Kommentar").fill(text)
    form.get_by_label("Anregung / Änderungsvorschlag").check()
    form.get_by_label("Sie schreiben als").select_option("volunteer_initiative")
    form.get_by_label("Name oder Pseudonym (freiwillig)").fill("Lotsengruppe Bad Berleburg")
    form.get_by_role("checkbox").check()


def test_reader_gets_no_cookie_and_sees_numbered_paragraphs(page, live_url, seed):
    slug, _ = seeded_document(seed, is_sample=True)
    page.goto(f"{live_url}/")
    expect(page).to_have_url(f"{live_url}/de/")
    page.get_by_role("link", name=re.compile("Integrationskonzept")).first.click()
    expect(page.locator("#p-1-2 h3")).to_contain_text("1.2")
    expect(page.locator(".sample-banner")).to_be_visible()
    page.goto(f"{live_url}/de/c/{slug}/#p-1-2")
    assert page.context.cookies() == []
    assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0


def test_comment_with_javascript_inline(page, live_url, seed, query_live):
    slug, _ = seeded_document(seed)
    page.goto(f"{live_url}/de/c/{slug}/")
    paragraph = page.locator("#p-1-2")
    paragraph.get_by_role("link", name=re.compile("^Kommentieren")).click()

    form = page.locator("#comment-form-p-1-2 form")
    expect(form).to_be_visible()
    expect(page).to_have_url(f"{live_url}/de/c/{slug}/")  # swapped in place, no navigation
    expect(page.locator("#comment-form-p-1-2-title")).to_be_focused()
    assert [c["name"] for c in page.context.cookies()] == ["consult_session"]

    # First try without text and consent: errors appear next to the fields, input kept.
    form.get_by_label("Name oder Pseudonym (freiwillig)").fill("Bleibt erhalten")
    form.get_by_role("button", name="Kommentar absenden").click()
    summary = page.locator("#comment-form-p-1-2 .error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.locator("#p-1-2-pseudonym")).to_have_value("Bleibt erhalten")

    text = "Bitte die Ehrenamtlichen ausdrücklich als Zugangsweg nennen. (JS)"
    fill_comment_form(page.locator("#comment-form-p-1-2 form"), text)
    page.locator("#comment-form-p-1-2").get_by_role("button", name="Kommentar absenden").click()

    confirmation = page.locator("#comment-form-p-1-2.confirmation")
    expect(confirmation).to_contain_text("wartet jetzt auf die Moderation")
    expect(page.locator("#comment-form-p-1-2 .confirmation__title")).to_be_focused()
    expect(page.locator("#live-region")).to_contain_text("wartet jetzt auf die Moderation")
    expect(page).to_have_url(f"{live_url}/de/c/{slug}/")

    [stored] = comments_with_text(query_live, text)
    assert stored.status is CommentStatus.PENDING
    assert stored.pseudonym == "Lotsengruppe Bad Berleburg"


def test_comment_without_javascript(page_without_js, live_url, seed, query_live):
    page = page_without_js
    slug, _ = seeded_document(seed)
    page.goto(f"{live_url}/de/c/{slug}/")
    page.locator("#p-1-1").get_by_role("link", name=re.compile("^Kommentieren")).click()
    expect(page).to_have_url(f"{live_url}/de/c/{slug}/p/1.1/comment")
    expect(page.get_by_role("heading", level=1)).to_have_text("Absatz 1.1 kommentieren")

    page.get_by_role("button", name="Kommentar absenden").click()
    expect(page.locator(".error-summary")).to_contain_text("Bitte schreiben Sie Ihren Kommentar")

    text = "Ohne JavaScript geht es auch. (no JS)"
    fill_comment_form(page.locator("main form"), text)
    page.get_by_role("button", name="Kommentar absenden").click()

    expect(page).to_have_url(f"{live_url}/de/c/{slug}/p/1.1/comment/thanks")
    expect(page.locator("main")).to_contain_text("wartet jetzt auf die Moderation")
    assert len(comments_with_text(query_live, text)) == 1


def sign_in(page, live_url, email):
    page.goto(f"{live_url}/de/staff/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(f"{live_url}/de/moderation/")


def test_moderate_with_javascript_then_reader_sees_it(page, browser, live_url, seed):
    with seed():
        consultation, (paragraph, *_) = make_document(paragraphs=2)
        pending = make_comment(paragraph, text="Bitte mehrsprachige Beratung anbieten.")
        make_staff(Role.MODERATOR, email="mod-js@kreis.example")
        slug, comment_id = consultation.slug, pending.id

    sign_in(page, live_url, "mod-js@kreis.example")
    item = page.locator(f"#queue-item-{comment_id}")
    expect(item).to_contain_text("Bitte mehrsprachige Beratung anbieten.")
    count_before = page.locator("#queue-count").inner_text()
    item.get_by_role("button", name="Freigeben und veröffentlichen").click()

    decided = page.locator(f"#queue-item-{comment_id}.queue-item--decided")
    expect(decided).to_contain_text("freigegeben")
    expect(decided).to_be_focused()
    expect(page.locator("#queue-count")).not_to_have_text(count_before)
    expect(page).to_have_url(f"{live_url}/de/moderation/")

    reader = browser.new_context(locale="de-DE").new_page()
    reader.goto(f"{live_url}/de/c/{slug}/")
    reader.locator("#p-1-1").get_by_role("link", name=re.compile("1 Kommentar")).click()
    thread = reader.locator("#thread-p-1-1")
    expect(thread).to_contain_text("Bitte mehrsprachige Beratung anbieten.")
    expect(thread).to_contain_text("anonym")
    expect(thread).to_contain_text("Einwand / Bedenken")
    reader.context.close()


def test_moderate_without_javascript(page_without_js, live_url, seed, query_live):
    page = page_without_js
    with seed():
        _, (paragraph, *_) = make_document(paragraphs=1)
        pending = make_comment(paragraph, text="Hier kaufen: billige Uhren")
        make_staff(Role.MODERATOR, email="mod-nojs@kreis.example")
        comment_id = pending.id

    sign_in(page, live_url, "mod-nojs@kreis.example")
    item = page.locator(f"#queue-item-{comment_id}")
    item.get_by_label("Grund für die Ablehnung").select_option("spam")
    item.get_by_role("button", name="Ablehnen").click()
    expect(page).to_have_url(f"{live_url}/de/moderation/#queue-start")
    expect(page.locator(".flash")).to_contain_text("abgelehnt")
    expect(page.locator(f"#queue-item-{comment_id}")).to_have_count(0)
    [stored] = comments_with_text(query_live, "Hier kaufen: billige Uhren")
    assert stored.status is CommentStatus.REJECTED


def test_language_switch_keeps_the_page_in_the_url(page, live_url, seed):
    slug, _ = seeded_document(seed)
    page.goto(f"{live_url}/de/c/{slug}/p/1.1")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{live_url}/en/c/{slug}/p/1.1")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.context.cookies() == []


def test_clicking_comment_again_keeps_what_was_written(page, live_url, seed):
    slug, _ = seeded_document(seed)
    page.goto(f"{live_url}/de/c/{slug}/")
    link = page.locator("#p-1-1").get_by_role("link", name=re.compile("^Kommentieren"))
    link.click()
    expect(page.locator("#comment-form-p-1-1-title")).to_be_focused()
    page.locator("#p-1-1-text").fill("Ein langer, halb fertiger Gedanke")
    link.click()
    page.wait_for_timeout(300)
    expect(page.locator("#p-1-1-text")).to_have_value("Ein langer, halb fertiger Gedanke")


def test_two_forms_open_at_once_stay_separate(page, live_url, seed, query_live):
    slug, _ = seeded_document(seed)
    page.goto(f"{live_url}/de/c/{slug}/")
    for number in ("1-1", "1-2"):
        page.locator(f"#p-{number}").get_by_role("link", name=re.compile("^Kommentieren")).click()
        page.locator(f"#comment-form-p-{number} form").wait_for()
    second = page.locator("#comment-form-p-1-2")
    second.locator("label[for='p-1-2-text']").click()  # the label focuses its own field
    expect(page.locator("#p-1-2-text")).to_be_focused()
    text = "Nur für Absatz 1.2 (two forms)"
    fill_comment_form(second.locator("form"), text)
    second.get_by_role("button", name="Kommentar absenden").click()
    expect(page.locator("#comment-form-p-1-2.confirmation")).to_be_visible()
    expect(page.locator("#comment-form-p-1-1 form")).to_be_visible()
    assert len(comments_with_text(query_live, text)) == 1


def test_a_failed_request_is_shown_on_screen(page, live_url, seed):
    slug, _ = seeded_document(seed)
    page.goto(f"{live_url}/de/c/{slug}/")
    page.locator("#p-1-1").get_by_role("link", name=re.compile("^Kommentieren")).click()
    expect(page.locator("#comment-form-p-1-1-title")).to_be_focused()
    form = page.locator("#comment-form-p-1-1 form")
    fill_comment_form(form, "Wird abgewiesen, weil das Formular abgelaufen ist")
    page.context.clear_cookies()  # the session (and with it the CSRF secret) is gone
    form.get_by_role("button", name="Kommentar absenden").click()
    expect(page.locator(".request-failed")).to_contain_text("Das hat nicht geklappt")
    expect(page.locator("#p-1-1-text")).to_have_value(
        "Wird abgewiesen, weil das Formular abgelaufen ist"
    )


def test_narrow_screen_does_not_scroll_sideways(browser, live_url, seed):
    """WCAG 1.4.10: at 320 CSS pixels nothing needs sideways scrolling, including an open
    form, a thread with a proposed wording and the private link page."""
    with seed():
        consultation, (paragraph, *_) = make_document(paragraphs=2)
        participant, token = make_participant()
        comment = make_comment(
            paragraph,
            status=CommentStatus.APPROVED,
            participant_id=participant.id,
            kind=CommentKind.SUGGESTION,
            proposed_text=paragraph.text + " Ergänzung.",
        )
        make_comment(parent=comment, status=CommentStatus.APPROVED)
        slug = consultation.slug
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="de-DE")
    page = context.new_page()
    overflow = {}
    for url in (
        f"/de/c/{slug}/",
        f"/de/c/{slug}/p/1.1",
        f"/de/c/{slug}/p/1.1/comment",
        f"/de/my/{token}",
        "/de/members/login",
    ):
        page.goto(live_url + url)
        page.locator("details").evaluate_all("(all) => all.forEach(d => d.open = true)")
        overflow[url] = page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth"
        )
    context.close()
    assert all(value <= 0 for value in overflow.values()), overflow

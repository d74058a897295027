"""axe-core (WCAG 2.1 A and AA rules) finds nothing on any page, in German and right to left in
Arabic: every page of the catalogue (tests/pages.py) as it loads, and the states a page gets
into: forms empty and with errors (swapped in by HTMX and as a page of their own), the draft
after each swap, the moderation queue while deciding, the administration's screens after a
change. The run ends with a summary line (axe version, pages x locales x states)."""

from pprint import pformat

import pytest
from playwright.sync_api import expect

from consult.models import CommentStatus, Phase, Role
from tests.browser.conftest import (
    by_session,
    committing_seed,
    console_errors,
    load_problems,
    loopback_only_page,
    session_cookies,
)
from tests.factories import (
    make_comment,
    make_document,
    make_paragraph,
    make_section,
    make_staff,
)
from tests.pages import PAGES, signed_in

LOCALES = ["de", "ar"]
DUPLICATE_IDS = """() => {
  const ids = [...document.querySelectorAll('[id]')].map(el => el.id);
  return ids.filter((id, i) => ids.indexOf(id) !== i);
}"""


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_passes_axe(visit_as, catalogue_url, world, axe, locale):
    """Also the smoke checks of test_locales.py: status, language, direction, no console error."""
    failures = {}
    for group in by_session(PAGES):
        with visit_as(group[0]) as page:
            errors = console_errors(page)
            for entry in group:
                url = f"{catalogue_url}/{locale}{entry.path(world)}"
                problems = load_problems(page, entry, url, errors)
                violations = axe(page, name=entry.name, locale=locale)
                if problems or violations:
                    failures[f"{entry.name} ({url})"] = [problems, *violations]
    assert not failures, pformat(failures, width=120)


# --- states -------------------------------------------------------------------------------------


@pytest.fixture
def check(axe, request):
    """`check(page, "state")`: axe finds nothing on the page in that state."""
    locale = request.node.callspec.params["locale"]

    def checking(page, state: str):
        violations = axe(page, name=request.node.originalname, locale=locale, state=state)
        assert violations == [], (state, page.url, violations)
        # WCAG 2.1's 4.1.1, which axe no longer checks: a swap must not bring in an id twice.
        assert page.evaluate(DUPLICATE_IDS) == [], (state, page.url)

    return checking


@pytest.fixture
def seed(catalogue_app):
    return committing_seed(catalogue_app)


def signed_in_page(browser, catalogue_app, catalogue_url, session_id):
    cookies = session_cookies(catalogue_app, catalogue_url, signed_in(session_id))
    return loopback_only_page(browser, True, cookies)


def fill_comment(form):
    form.locator("textarea[name$='-text']").fill("Bitte auch Kurse am Abend anbieten.")
    form.locator("input[name$='-kind'][value='suggestion']").check()
    form.locator("select[name$='-group']").select_option(index=1)
    form.locator("input[name$='-consent']").check()


@pytest.mark.parametrize("locale", LOCALES)
def test_draft_after_each_swap(page, seed, catalogue_url, check, locale):
    with seed():
        consultation, (paragraph, *_) = make_document(paragraphs=2)
        make_comment(paragraph, status=CommentStatus.APPROVED, text="Sehr gut.")
        make_comment(paragraph, status=CommentStatus.APPROVED, language="ar", text="جيد جدا")
        slug = consultation.slug
    page.goto(f"{catalogue_url}/{locale}/c/{slug}/")
    target = page.locator("#p-1-1")

    target.locator("a.comment-count").click()
    expect(page.locator("#thread-p-1-1 .comment")).to_have_count(2)
    check(page, "thread opened")

    target.locator("a.button[href$='/comment']").click()
    form = page.locator("#comment-form-p-1-1")
    expect(form.locator("form")).to_be_visible()
    check(page, "comment form opened")

    form.locator("button[type=submit]").click()
    expect(form.locator(".error-summary")).to_be_visible()
    check(page, "comment form with errors (HTMX 422)")

    fill_comment(form)
    form.locator("button[type=submit]").click()
    expect(page.locator("#comment-form-p-1-1.confirmation")).to_be_visible()
    check(page, "comment sent (HTMX)")


@pytest.mark.parametrize("locale", LOCALES)
def test_forms_on_their_own_pages_with_errors(page, seed, catalogue_url, check, locale):
    with seed():
        consultation, (paragraph, *_) = make_document(paragraphs=1)
        published = make_comment(paragraph, status=CommentStatus.APPROVED)
        slug, comment_id = consultation.slug, published.id
    base = f"{catalogue_url}/{locale}/c/{slug}"

    # Posted plainly, as without JavaScript: the 422 page.
    page.goto(f"{base}/p/1.1/comment")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("main form button[type=submit]").click()
    assert posted.value.status == 422
    expect(page.locator(".error-summary")).to_be_visible()
    check(page, "comment form with errors (422 page)")

    page.goto(f"{base}/comments/{comment_id}/reply")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check(page, "reply form with errors (422 page)")

    page.goto(f"{base}/comments/{comment_id}/flag")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check(page, "report form with errors (422 page)")

    # The report form inline, under the comment in its thread.
    page.goto(f"{base}/p/1.1")
    page.locator(f"#comment-{comment_id} a[href*='/flag']").click()
    flag_form = page.locator(f"#flag-form-{comment_id}")
    expect(flag_form.locator("form")).to_be_visible()
    flag_form.locator("button[type=submit]").click()
    expect(flag_form.locator(".error-summary")).to_be_visible()
    check(page, "report form with errors (HTMX 422)")


@pytest.mark.parametrize("locale", LOCALES)
def test_staff_sign_in_with_errors(page, catalogue_url, check, locale):
    page.goto(f"{catalogue_url}/{locale}/staff/login")
    page.locator("input[name=email]").fill("niemand@kreis.example")
    page.locator("input[name=password]").fill("falsches Passwort")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check(page, "staff sign-in with errors")


@pytest.mark.parametrize("locale", LOCALES)
def test_moderation_queue_while_deciding(
    browser, catalogue_app, catalogue_url, seed, check, locale
):
    with seed():
        consultation, (paragraph, *_) = make_document(paragraphs=1)
        for text in ("Erster Kommentar.", "Zweiter Kommentar.", "Dritter Kommentar."):
            make_comment(paragraph, text=text)
        moderator = make_staff(Role.MODERATOR).get_id()
        consultation_id = consultation.id
    with signed_in_page(browser, catalogue_app, catalogue_url, moderator) as page:
        page.goto(f"{catalogue_url}/{locale}/moderation/?consultation={consultation_id}")
        items = page.locator("[data-queue-item]")
        expect(items).to_have_count(3)

        items.nth(0).locator("[data-reject]").click()  # no reason given
        expect(items.nth(0).locator(".error-summary")).to_be_visible()
        check(page, "decision without a reason (HTMX 422)")

        items.nth(0).locator("[data-approve]").click()
        expect(page.locator(".queue-item--decided")).to_have_count(1)
        check(page, "after a decision")

        page.keyboard.press("r")  # on the next item, which has the focus now
        expect(page.locator(".queue-item--rejecting")).to_have_count(1)
        check(page, "choosing the reason for a rejection")

        page.keyboard.press("?")
        expect(page.locator("#keyboard-help")).to_have_attribute("open", "")
        check(page, "keyboard help open")


@pytest.mark.parametrize("locale", LOCALES)
def test_administration_after_changes(browser, catalogue_app, catalogue_url, seed, check, locale):
    with seed():
        draft, _ = make_document(paragraphs=3, phase=Phase.DRAFT)
        opened, _ = make_document(paragraphs=1)
        closed, (paragraph, *_) = make_document(paragraphs=1, phase=Phase.EVALUATION)
        make_paragraph(make_section(closed, 2), 1)
        comment = make_comment(paragraph, status=CommentStatus.APPROVED)
        admin = make_staff(Role.ADMIN).get_id()
        draft_id, open_id, closed_id = draft.id, opened.id, closed.id
        comment_id = comment.id
    admin_url = f"{catalogue_url}/{locale}/admin/consultations"
    with signed_in_page(browser, catalogue_app, catalogue_url, admin) as page:
        page.goto(f"{admin_url}/{open_id}/")
        page.locator("form[action$='/phase'] button[type=submit]").first.click()  # unconfirmed
        expect(page.locator(".error-summary")).to_be_visible()
        check(page, "dashboard, closing without the confirmation")

        page.goto(f"{admin_url}/{draft_id}/structure")
        first = page.locator("#structure .draft-paragraph").first
        first.locator("form[action$='/merge'] button").click()
        expect(page.locator("#structure .draft-paragraph")).to_have_count(2)
        check(page, "structure editor after a merge (HTMX)")

        page.locator("#structure .draft-paragraph a[href$='/edit']").first.click()
        expect(page.locator("#structure textarea").first).to_be_visible()
        check(page, "structure editor, paragraph form opened (HTMX)")

        page.goto(f"{admin_url}/{closed_id}/answers")
        item = page.locator(f"#answer-item-{comment_id}")
        item.locator("textarea").first.fill("Wird aufgenommen.")
        item.locator("input[type=radio]").first.check()
        item.locator("button[type=submit]").first.click()
        expect(item.locator(".answer-item__saved")).to_be_visible()
        check(page, "answers workspace after a save (HTMX)")

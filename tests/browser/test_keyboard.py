"""Keyboard only: a reader comments on a paragraph and a moderator works the queue using only
Tab, Shift+Tab, Enter, Space, typing and the queue's documented shortcut keys. Every element
reached with Tab shows where the focus is; after each HTMX swap the focus is on the new
content, and the live region that was there when the page loaded says what happened."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from consult.models import Comment, CommentStatus, ModerationDecision, RejectionReason, Role
from tests.browser.conftest import committing_seed, console_errors, live_query, session_cookies
from tests.factories import DEFAULT_PASSWORD, make_comment, make_document, make_staff
from tests.pages import signed_in

# The focused element, and whether it shows it: a visible outline or a box shadow.
FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return {
    element: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.getAttribute('name') ? '[name=' + el.getAttribute('name') + ']' : ''),
    shown: outline || style.boxShadow !== 'none',
  };
}"""


def unexpected(errors: list[str]) -> list[str]:
    # Chromium logs every 4xx answer; a 422 with the form and its errors is the design.
    return [e for e in errors if "status of 422" not in e]


def focused(page) -> dict:
    return page.evaluate(FOCUS)


def press(page, key: str) -> dict:
    """Presses a key and checks that what has the focus then shows it."""
    page.keyboard.press(key)
    state = focused(page)
    assert state["shown"], f"no visible focus on {state['element']} after {key}"
    return state


def tab_to(page, selector: str, key: str = "Tab", limit: int = 80) -> None:
    """Tabs (checking the focus is visible at every stop) until `selector` has the focus."""
    for _ in range(limit):
        press(page, key)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached with {key}")


def keep_live_region(page) -> None:
    """Remembers the live region as the page loaded it: present and silent."""
    assert page.evaluate(
        """() => {
            window.liveRegionAtLoad = document.getElementById('live-region');
            return window.liveRegionAtLoad.getAttribute('aria-live') === 'polite'
                && window.liveRegionAtLoad.textContent === '';
        }"""
    )


def expect_announced(page, text) -> None:
    expect(page.locator("#live-region")).to_contain_text(text)
    # The region screen readers listen to is the one from the page load, not a new one.
    assert page.evaluate("() => document.getElementById('live-region') === window.liveRegionAtLoad")


def expect_focus_on(page, selector: str) -> None:
    """The swap moved the focus to `selector`, and it shows."""
    page.wait_for_function("s => document.activeElement.matches(s)", arg=selector)
    state = focused(page)
    assert state["shown"], f"no visible focus on {state['element']}"


def test_a_reader_comments_with_the_keyboard(page, catalogue_app, catalogue_url):
    with committing_seed(catalogue_app)():
        consultation, (paragraph, *_) = make_document(paragraphs=2)
        make_comment(paragraph, status=CommentStatus.APPROVED, text="Gute Idee.")
        slug, paragraph_id = consultation.slug, paragraph.id
    errors = console_errors(page)
    page.goto(f"{catalogue_url}/de/c/{slug}/")
    keep_live_region(page)

    # The skip link comes first and takes the reader to the content.
    state = press(page, "Tab")
    assert state["element"] == "a", state
    expect(page.locator(".skip-link")).to_be_focused()
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # On to paragraph 1.1's "Kommentieren", which opens the form in place.
    tab_to(page, "#p-1-1 a.button")
    page.keyboard.press("Enter")
    form = page.locator("#comment-form-p-1-1")
    expect_focus_on(page, "#comment-form-p-1-1-title")

    # Sent empty: the error summary takes the focus and its links lead to the fields.
    tab_to(page, "#comment-form-p-1-1 button[type=submit]")
    page.keyboard.press("Enter")
    expect_focus_on(page, "#comment-form-p-1-1 .error-summary")
    expect_announced(page, "Bitte schreiben Sie Ihren Kommentar.")
    tab_to(page, "#comment-form-p-1-1 .error-summary a[href='#p-1-1-text']")
    page.keyboard.press("Enter")
    expect(form.locator("textarea[name='p-1-1-text']")).to_be_focused()
    page.keyboard.type("Bitte auch Kurse am Abend für Berufstätige anbieten.")

    # The radio group: Tab enters it, Space chooses.
    tab_to(page, "input[name='p-1-1-kind']")
    press(page, "Space")
    expect(form.locator("input[name='p-1-1-kind']:checked")).to_have_count(1)
    # A select by typing the start of an option's name.
    tab_to(page, "select[name='p-1-1-group']")
    page.keyboard.type("Einzel")
    expect(form.locator("select[name='p-1-1-group']")).to_have_value("individual")
    tab_to(page, "input[name='p-1-1-consent']")
    press(page, "Space")
    expect(form.locator("input[name='p-1-1-consent']")).to_be_checked()
    # Back with Shift+Tab to check the text is still there, then forward to send.
    tab_to(page, "textarea[name='p-1-1-text']", key="Shift+Tab")
    expect(form.locator("textarea[name='p-1-1-text']")).to_have_value(
        "Bitte auch Kurse am Abend für Berufstätige anbieten."
    )
    tab_to(page, "#comment-form-p-1-1 button[type=submit]")
    page.keyboard.press("Enter")

    expect_focus_on(page, "#comment-form-p-1-1.confirmation h4")
    expect_announced(page, "Ihr Text wartet jetzt auf die Moderation.")
    assert unexpected(errors) == []
    stored = live_query(catalogue_app)(
        lambda session: session.scalars(
            select(Comment).where(Comment.paragraph_id == paragraph_id, Comment.status == "pending")
        ).one()
    )
    assert stored.text == "Bitte auch Kurse am Abend für Berufstätige anbieten."
    assert (stored.kind.value, stored.group.value) == ("support", "individual")


def test_a_moderator_works_the_queue_with_the_keyboard(page, catalogue_app, catalogue_url):
    seed = committing_seed(catalogue_app)
    with seed():
        consultation, (paragraph, *_) = make_document(paragraphs=1)
        first, second, third = (
            make_comment(paragraph, text=text)
            for text in ("Gute Idee.", "Kaufen Sie jetzt!", "Das ist Werbung.")
        )
        make_staff(Role.MODERATOR, email="tastatur@kreis.example")
        consultation_id = consultation.id
        ids = first.id, second.id, third.id
    queue = f"/de/moderation/?consultation={consultation_id}"
    errors = console_errors(page)

    # Signing in: typing into the fields, Enter sends.
    page.goto(
        f"{catalogue_url}/de/staff/login?next={queue.replace('?', '%3F').replace('=', '%3D')}"
    )
    tab_to(page, "input[name=email]")
    page.keyboard.type("tastatur@kreis.example")
    tab_to(page, "input[name=password]")
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{catalogue_url}{queue}")
    page.wait_for_load_state()  # the shortcuts come with the deferred app.js
    expect(page.locator("[data-queue-item]")).to_have_count(3)
    keep_live_region(page)

    # j selects the first comment; a approves it; the next one is selected.
    press(page, "j")
    expect(page.locator(f"#queue-item-{ids[0]}")).to_be_focused()
    press(page, "a")
    expect(page.locator(f"#queue-item-{ids[0]}.queue-item--decided")).to_be_visible()
    expect_announced(page, f"Kommentar {ids[0]} wurde freigegeben und veröffentlicht.")
    expect_focus_on(page, f"#queue-item-{ids[1]}")

    # r, then 3 rejects it for the third reason (advertising or spam).
    press(page, "r")
    expect(page.locator(f"#queue-item-{ids[1]}.queue-item--rejecting")).to_be_visible()
    press(page, "3")
    expect(page.locator(f"#queue-item-{ids[1]}.queue-item--decided")).to_be_visible()
    expect_announced(page, f"Kommentar {ids[1]} wurde abgelehnt.")
    expect_focus_on(page, f"#queue-item-{ids[2]}")

    # Without the shortcuts: Tab to the reason, choose it by typing, a note, Tab to Reject.
    item = f"#queue-item-{ids[2]}"
    tab_to(page, f"{item} select[name$='-reason']")
    page.keyboard.type("Werbung")
    expect(page.locator(f"{item} select[name$='-reason']")).to_have_value("spam")
    tab_to(page, f"{item} textarea[name$='-note']")
    page.keyboard.type("Bitte ohne Werbung.")
    tab_to(page, f"{item} [data-reject]")
    page.keyboard.press("Enter")
    expect(page.locator(f"{item}.queue-item--decided")).to_be_visible()
    expect_announced(page, f"Kommentar {ids[2]} wurde abgelehnt.")
    # Nothing is left to select: the focus stays on the message saying what happened.
    expect_focus_on(page, item)
    assert unexpected(errors) == []
    decisions = live_query(catalogue_app)(
        lambda session: {
            d.comment_id: (d.decision.value, d.reason, d.note)
            for d in session.scalars(
                select(ModerationDecision).where(ModerationDecision.comment_id.in_(ids))
            )
        }
    )
    assert decisions == {
        ids[0]: ("approve", None, ""),
        ids[1]: ("reject", RejectionReason.SPAM, ""),
        ids[2]: ("reject", RejectionReason.SPAM, "Bitte ohne Werbung."),
    }


def test_the_single_key_shortcuts_can_be_switched_off(browser, page, catalogue_app, catalogue_url):
    """WCAG 2.1.4: speech input or a slip of the hand must not decide a comment."""
    with committing_seed(catalogue_app)():
        consultation, (paragraph, *_) = make_document(paragraphs=1)
        comment_id = make_comment(paragraph, text="Bitte prüfen.").id
        session_id = make_staff(Role.MODERATOR).get_id()
    cookies = session_cookies(catalogue_app, catalogue_url, signed_in(session_id))
    page.context.add_cookies(cookies)
    queue = f"{catalogue_url}/de/moderation/?consultation={consultation.id}"
    page.goto(queue)
    switch = page.locator("#keyboard-shortcuts")
    item = page.locator(f"#queue-item-{comment_id}")
    expect(switch).to_be_hidden()  # inside the closed help

    page.keyboard.press("?")  # opens the help
    expect(switch).to_be_checked()
    tab_to(page, "#keyboard-shortcuts")
    press(page, "Space")
    expect(switch).not_to_be_checked()
    item.focus()  # as a click on the comment would
    page.keyboard.press("a")
    page.keyboard.press("r")
    expect(item).not_to_have_class(re.compile("queue-item--(decided|rejecting)"))

    # Off for as long as the tab is open; on again with the same switch.
    page.reload()
    expect(switch).not_to_be_checked()
    item.focus()
    page.keyboard.press("a")
    expect(item).not_to_have_class(re.compile("queue-item--decided"))
    tab_to(page, "#keyboard-help summary", key="Shift+Tab")
    press(page, "Enter")
    tab_to(page, "#keyboard-shortcuts")
    press(page, "Space")
    expect(switch).to_be_checked()
    item.focus()
    page.keyboard.press("a")
    expect(page.locator(f"#queue-item-{comment_id}.queue-item--decided")).to_be_visible()

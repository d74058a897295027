"""Taking part beyond the first comment, in a real browser: proposed wording, the private link
(see, change, withdraw, download), chapter comments without JavaScript, replies, the word diff,
thread filters, and axe-core on every new page state.

Forms are filled through their English labels under /en/; the axe checks under /de/ find
elements by id and class, so they do not depend on the state of the German translation."""

import json
import re

from playwright.sync_api import expect
from sqlalchemy import select

from consult.models import (
    Comment,
    CommentKind,
    CommentStatus,
    Decision,
    ModerationDecision,
    RejectionReason,
    Role,
    StakeholderGroup,
)
from tests.factories import (
    DEFAULT_PASSWORD,
    make_comment,
    make_document,
    make_participant,
    make_staff,
)

PARAGRAPH_TEXT = "Die Verwaltung beabsichtigt die Umsetzung der Maßnahme."
PROPOSED_TEXT = "Die Verwaltung sichert die zügige Umsetzung der Maßnahme zu."


def seeded_document(seed, paragraphs=2):
    with seed():
        consultation, _ = make_document(paragraphs=paragraphs)
        return consultation.slug


def stored_comment(query_live, text) -> Comment:
    [comment] = query_live(
        lambda session: list(session.scalars(select(Comment).where(Comment.text == text)))
    )
    return comment


def fill_contributor_fields(form, pseudonym="Lotsin aus Laasphe"):
    form.get_by_label("You are writing as").select_option("volunteer_initiative")
    form.get_by_label("Name or pseudonym (optional)").fill(pseudonym)
    form.get_by_label("I agree that my text is stored").check()


def assert_no_violations(axe, page):
    violations = axe(page)
    assert violations == [], violations


def private_link_of(confirmation, live_url, lang="en"):
    """The private link shown once after sending: absolute, on this server, shown in full."""
    expect(confirmation).to_contain_text("Your private link — please keep it")
    link = confirmation.locator(".private-link__url a")
    href = link.get_attribute("href")
    assert re.fullmatch(rf"{re.escape(live_url)}/{lang}/my/[A-Za-z0-9_-]{{20,}}", href), href
    expect(link).to_have_text(href)
    return link, href


# 1 -------------------------------------------------------------------------------------------


def test_proposal_inline_then_change_and_withdraw_through_the_private_link(
    page, live_url, seed, query_live
):
    slug = seeded_document(seed)
    document_url = f"{live_url}/en/c/{slug}/"
    page.goto(document_url)
    page.locator("#p-1-1").get_by_role("link", name=re.compile("^Comment")).click()
    form = page.locator("#comment-form-p-1-1 form")
    expect(form).to_be_visible()
    # The form is in place once its heading has focus; typing earlier would lose keystrokes.
    expect(page.locator("#comment-form-p-1-1-title")).to_be_focused()

    proposal = form.get_by_label("Your wording for this paragraph (optional)")
    expect(proposal).to_be_hidden()  # tucked away in a closed <details>
    form.locator("summary", has_text="Propose new wording for this paragraph").click()
    expect(proposal).to_be_visible()
    expect(proposal).to_have_value(PARAGRAPH_TEXT)  # prefilled: the reader edits, not retypes
    proposal.fill(PROPOSED_TEXT)

    text = "Eine Zusage ist verbindlicher als eine Absicht. (proposal, JS)"
    form.get_by_label("Your comment").fill(text)
    form.get_by_label("Suggestion or proposed change").check()
    fill_contributor_fields(form)
    form.get_by_label("E-mail address (optional)").fill("lotsin@example.org")
    form.get_by_role("button", name="Send comment").click()

    confirmation = page.locator("#comment-form-p-1-1.confirmation")
    expect(confirmation).to_contain_text("Thank you! Your text has been received.")
    title = confirmation.locator(".confirmation__title")
    expect(title).to_be_focused()
    assert page.evaluate(
        "() => document.activeElement.classList.contains('confirmation__title')"
        " && document.activeElement.closest('#comment-form-p-1-1') !== null"
    )
    expect(page).to_have_url(document_url)
    expect(confirmation).to_contain_text("We have sent the link to the e-mail address you gave.")
    link, href = private_link_of(confirmation, live_url)

    stored = stored_comment(query_live, text)
    assert stored.status is CommentStatus.PENDING
    assert stored.kind is CommentKind.SUGGESTION
    assert stored.proposed_text == PROPOSED_TEXT

    link.click()
    expect(page).to_have_url(href)
    item = page.locator(f"#contribution-{stored.id}")
    expect(item).to_contain_text(text)
    expect(item.locator(".status")).to_have_text("Awaiting moderation")
    expect(item).to_contain_text("Your comment about paragraph 1.1")

    # Change it inline: the form opens in place, the save reloads the overview.
    item.get_by_role("link", name=re.compile("^Change")).click()
    edit = page.locator(f"#edit-form-{stored.id}")
    expect(edit.locator("form")).to_be_visible()
    expect(page).to_have_url(href)
    expect(edit.get_by_role("heading", name="Change your text")).to_be_focused()
    changed = "Eine Zusage mit Frist wäre noch besser. (changed, JS)"
    edit.get_by_role("textbox", name=re.compile("^Your text")).fill(changed)
    edit.get_by_role("button", name="Save changes").click()

    expect(page.locator(".flash")).to_contain_text("Your changes are saved.")
    expect(page).to_have_url(href)
    expect(item.locator(".comment__text")).to_have_text(changed)
    expect(item.locator(".status")).to_have_text("Awaiting moderation")
    expect(item).to_contain_text("Last changed")

    item.get_by_role("link", name=re.compile("^Withdraw")).click()
    expect(page).to_have_url(f"{href}/{stored.id}/withdraw")
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw your text?")
    expect(page.locator("main")).to_contain_text(changed)
    page.locator("main form").get_by_role("button", name="Withdraw").click()

    expect(page).to_have_url(href)
    expect(page.locator(".flash")).to_contain_text("Your text is withdrawn.")
    expect(item.locator(".status")).to_have_text("Withdrawn")
    expect(item.get_by_role("link", name=re.compile("^(Change|Withdraw)"))).to_have_count(0)
    assert stored_comment(query_live, changed).status is CommentStatus.WITHDRAWN


# 2 -------------------------------------------------------------------------------------------


def test_chapter_comment_without_javascript_then_private_link_and_download(
    page_without_js, live_url, seed, query_live
):
    page = page_without_js
    slug = seeded_document(seed)
    page.goto(f"{live_url}/en/c/{slug}/")
    page.locator("#chapter-1 .chapter__actions").get_by_role(
        "link", name=re.compile("^Comment")
    ).click()
    expect(page).to_have_url(f"{live_url}/en/c/{slug}/chapter/1/comment")
    expect(page.get_by_role("heading", level=1)).to_have_text("Comment on chapter 1")
    form = page.locator("main form")
    # Proposed wording belongs to a paragraph only.
    expect(form.get_by_label("Your wording for this paragraph (optional)")).to_have_count(0)

    text = "Das Kapitel sollte die Landkreise im Umland einbeziehen. (chapter, no JS)"
    form.get_by_label("Your comment").fill(text)
    form.get_by_label("Objection or concern").check()
    fill_contributor_fields(form)
    form.get_by_role("button", name="Send comment").click()

    expect(page).to_have_url(f"{live_url}/en/c/{slug}/chapter/1/comment/thanks")
    expect(page.locator("main")).to_contain_text("It now awaits moderation")
    link, href = private_link_of(page.locator("main"), live_url)
    stored = stored_comment(query_live, text)
    assert stored.section_id is not None and stored.paragraph_id is None

    link.click()
    expect(page).to_have_url(href)
    item = page.locator(f"#contribution-{stored.id}")
    expect(item).to_contain_text("Your comment about chapter 1")
    expect(item.locator(".status")).to_have_text("Awaiting moderation")

    # Without JavaScript "Change" is a page of its own, and saving goes back to the overview.
    item.get_by_role("link", name=re.compile("^Change")).click()
    expect(page).to_have_url(f"{href}/{stored.id}/edit")
    changed = "Auch die Nachbarkreise gehören dazu. (chapter changed, no JS)"
    page.locator("main form").get_by_role("textbox", name=re.compile("^Your text")).fill(changed)
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(href)
    expect(item.locator(".comment__text")).to_have_text(changed)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data (JSON)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    data = json.loads(download.path().read_text(encoding="utf-8"))
    exported = json.dumps(data, ensure_ascii=False)
    assert changed in exported
    assert text not in exported  # the export holds the text as it is now


def test_second_comment_joins_the_link_until_the_browser_forgets_it(
    page_without_js, live_url, seed
):
    page = page_without_js
    slug = seeded_document(seed)
    base = f"{live_url}/en/c/{slug}"
    add_to_link = "Add this to the private link I received in this browser"

    def send(path, text):
        form = page.locator("main form")
        form.get_by_label("Your comment").fill(text)
        form.get_by_label("Question", exact=True).check()
        fill_contributor_fields(form)
        form.get_by_role("button", name="Send comment").click()
        expect(page).to_have_url(f"{base}{path}/thanks")

    page.goto(f"{base}/comment")
    expect(page.get_by_label(add_to_link)).to_have_count(0)  # nothing to add to yet
    send("/comment", "Erste Frage zum ganzen Entwurf (link 1)")
    _, href = private_link_of(page.locator("main"), live_url)

    page.goto(f"{base}/p/1.2/comment")
    expect(page.get_by_label(add_to_link)).to_be_checked()  # the default: one person, one link
    send("/p/1.2/comment", "Zweite Frage, zu Absatz 1.2 (link 1)")
    expect(page.locator("main")).to_contain_text("It was added to your private link.")
    expect(page.locator("main .private-link")).to_have_count(0)

    page.goto(href)
    expect(page.locator(".contribution")).to_have_count(2)
    page.get_by_role("button", name="Forget the link in this browser").click()
    expect(page).to_have_url(f"{live_url}/en/")

    page.goto(f"{base}/comment")
    expect(page.get_by_label(add_to_link)).to_have_count(0)
    send("/comment", "Dritte Frage, neuer Link (link 2)")
    _, second_href = private_link_of(page.locator("main"), live_url)
    assert second_href != href
    page.goto(href)  # the forgotten link itself keeps working
    expect(page.locator(".contribution")).to_have_count(2)


# 3 -------------------------------------------------------------------------------------------


def test_reply_inline_then_a_published_reply_shows_under_its_comment(
    page, live_url, seed, query_live
):
    with seed():
        consultation, (paragraph, *_) = make_document(paragraphs=2)
        parent = make_comment(
            paragraph, status=CommentStatus.APPROVED, pseudonym="Nachbarin", text="Zu wenig Plätze."
        )
        slug, parent_id = consultation.slug, parent.id

    page.goto(f"{live_url}/en/c/{slug}/")
    page.locator("#p-1-1").get_by_role("link", name=re.compile("^1 comment")).click()
    comment = page.locator(f"#thread-p-1-1 #comment-{parent_id}")
    expect(comment).to_contain_text("Zu wenig Plätze.")
    comment.get_by_role("link", name=re.compile("^Reply")).click()

    form = page.locator(f"#reply-form-{parent_id} form")
    expect(form).to_be_visible()
    expect(page.locator(f"#reply-form-{parent_id}-title")).to_be_focused()
    expect(page.locator(f"#reply-form-{parent_id}-title")).to_contain_text("Nachbarin")
    text = "Die Plätze in Erndtebrück werden im Frühjahr erweitert. (reply, JS)"
    form.get_by_label("Your reply").fill(text)
    fill_contributor_fields(form)
    form.get_by_role("button", name="Send reply").click()

    confirmation = page.locator(f"#reply-form-{parent_id}.confirmation")
    expect(confirmation).to_contain_text("Thank you! Your text has been received.")
    expect(confirmation.locator(".confirmation__title")).to_be_focused()
    expect(page.locator(f"#reply-form-{parent_id} form")).to_have_count(0)
    private_link_of(confirmation, live_url)
    reply = stored_comment(query_live, text)
    assert reply.parent_id == parent_id
    assert reply.status is CommentStatus.PENDING

    with seed() as session:
        published = make_comment(
            parent=session.get(Comment, parent_id),
            status=CommentStatus.APPROVED,
            pseudonym="Jugendmigrationsdienst",
            text="Wir bieten ab März eine Sprechstunde an. (published reply)",
        )
        published_id = published.id

    page.reload()
    page.locator("#p-1-1").get_by_role("link", name=re.compile("^1 comment")).click()
    shown = page.locator(f"#comment-{parent_id} .replies #comment-{published_id}.comment--reply")
    expect(shown).to_contain_text("Wir bieten ab März eine Sprechstunde an.")
    expect(shown).to_contain_text("Jugendmigrationsdienst")
    expect(shown.get_by_role("link", name=re.compile("^Reply"))).to_have_count(0)  # one level
    expect(page.locator("#thread-p-1-1")).not_to_contain_text(text)  # still pending


# 4 -------------------------------------------------------------------------------------------


def test_proposed_wording_is_struck_through_and_underlined_not_coloured_only(page, live_url, seed):
    with seed():
        consultation, (paragraph, *_) = make_document(paragraphs=1)
        make_comment(
            paragraph,
            status=CommentStatus.APPROVED,
            kind=CommentKind.SUGGESTION,
            text="Bitte verbindlich formulieren.",
            proposed_text=PROPOSED_TEXT,
        )
        slug = consultation.slug

    page.goto(f"{live_url}/en/c/{slug}/")
    page.locator("#p-1-1").get_by_role("link", name=re.compile("^1 comment")).click()
    thread = page.locator("#thread-p-1-1")
    deleted = thread.locator(".diff del")
    inserted = thread.locator(".diff ins")
    expect(deleted).to_have_count(1)
    expect(deleted).to_be_hidden()  # inside the closed <details>
    thread.locator("summary", has_text="Proposed wording for paragraph 1.1").click()

    expect(deleted).to_be_visible()
    expect(deleted).to_have_text("[deleted: beabsichtigt]")
    expect(inserted).to_have_count(3)
    expect(inserted).to_have_text(["[inserted: sichert]", "[inserted:  zügige]", "[inserted:  zu]"])
    for element in (deleted, *inserted.all()):
        expect(element).to_be_visible()
        # The marker words for screen readers are hidden from sight, not from the tree.
        expect(element.locator(".visually-hidden").first).to_be_attached()
    assert "beabsichtigt" in deleted.inner_text()
    assert "sichert" in inserted.first.inner_text()

    def decoration(locator):
        return locator.evaluate("e => getComputedStyle(e).textDecorationLine")

    assert "line-through" in decoration(deleted)
    for element in inserted.all():
        assert "underline" in decoration(element)
    expect(thread.locator(".diff-legend")).to_be_visible()


# 5 -------------------------------------------------------------------------------------------


def seed_thread_of_two_groups(seed):
    with seed():
        consultation, (paragraph, *_) = make_document(paragraphs=1)
        for text, group in (
            ("Von einer Einzelperson (filter)", StakeholderGroup.INDIVIDUAL),
            ("Von einer Migrantenorganisation A (filter)", StakeholderGroup.MIGRANT_ORGANISATION),
            ("Noch eine Einzelperson (filter)", StakeholderGroup.INDIVIDUAL),
            ("Von einer Migrantenorganisation B (filter)", StakeholderGroup.MIGRANT_ORGANISATION),
        ):
            make_comment(paragraph, status=CommentStatus.APPROVED, text=text, group=group)
        return consultation.slug


def test_thread_filter_inline_keeps_the_url_and_moves_focus(page, live_url, seed):
    slug = seed_thread_of_two_groups(seed)
    document_url = f"{live_url}/en/c/{slug}/"
    page.goto(document_url)
    page.locator("#p-1-1").get_by_role("link", name=re.compile("^4 comments")).click()
    thread = page.locator("#thread-p-1-1")
    expect(thread.locator(".comment")).to_have_count(4)
    expect(page.locator("#thread-p-1-1-title")).to_be_focused()

    thread.get_by_label("Group").select_option("migrant_organisation")
    thread.get_by_role("button", name="Show").click()

    texts = thread.locator(".comment .comment__text")
    expect(texts).to_have_text(
        [
            "Von einer Migrantenorganisation A (filter)",
            "Von einer Migrantenorganisation B (filter)",
        ]
    )
    expect(thread.locator(".thread__count")).to_have_text("Showing 2 of 2 comments")
    expect(page).to_have_url(document_url)
    expect(page.locator("#thread-p-1-1-title")).to_be_focused()
    expect(thread.get_by_label("Group")).to_have_value("migrant_organisation")

    thread.get_by_label("Order").select_option("newest")
    thread.get_by_role("button", name="Show").click()
    expect(texts).to_have_text(
        [
            "Von einer Migrantenorganisation B (filter)",
            "Von einer Migrantenorganisation A (filter)",
        ]
    )
    expect(page).to_have_url(document_url)


def test_thread_filter_without_javascript_is_a_plain_get_form(page_without_js, live_url, seed):
    page = page_without_js
    slug = seed_thread_of_two_groups(seed)
    page.goto(f"{live_url}/en/c/{slug}/")
    page.locator("#p-1-1").get_by_role("link", name=re.compile("^4 comments")).click()
    expect(page).to_have_url(f"{live_url}/en/c/{slug}/p/1.1")
    page.get_by_label("Group").select_option("individual")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/p/1\.1\?group=individual&kind=&order=oldest$"))
    expect(page.locator(".comment .comment__text")).to_have_text(
        ["Von einer Einzelperson (filter)", "Noch eine Einzelperson (filter)"]
    )


def test_show_more_comments_after_twenty(page, live_url, seed):
    with seed():
        consultation, (paragraph, *_) = make_document(paragraphs=1)
        for n in range(1, 23):
            make_comment(paragraph, status=CommentStatus.APPROVED, text=f"Kommentar Nr. {n}")
        slug = consultation.slug
    page.goto(f"{live_url}/en/c/{slug}/")
    page.locator("#p-1-1").get_by_role("link", name=re.compile("^22 comments")).click()
    thread = page.locator("#thread-p-1-1")
    expect(thread.locator(".comment")).to_have_count(20)
    expect(thread.locator(".thread__count")).to_have_text("Showing 20 of 22 comments")
    thread.get_by_role("link", name="Show more comments").click()
    expect(thread.locator(".comment")).to_have_count(22)
    expect(thread.locator(".comment__text").last).to_have_text("Kommentar Nr. 22")
    expect(thread.get_by_role("link", name="Show more comments")).to_have_count(0)


# Moderation ----------------------------------------------------------------------------------


def sign_in_as_moderator(page, live_url, email):
    response = page.goto(f"{live_url}/en/staff/login")
    assert response.ok
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_url}/en/moderation/")


def test_moderation_queue_shows_proposals_as_a_diff(page, live_url, seed, axe):
    with seed():
        _, (paragraph, *_) = make_document(paragraphs=1)
        proposal = make_comment(
            paragraph,
            kind=CommentKind.SUGGESTION,
            text="Vorschlag zur Prüfung (queue)",
            proposed_text=PROPOSED_TEXT,
        )
        make_staff(Role.MODERATOR, email="mod-proposal@kreis.example")
        proposal_id = proposal.id

    sign_in_as_moderator(page, live_url, "mod-proposal@kreis.example")
    queued = page.locator(f"#queue-item-{proposal_id}")
    expect(queued.locator("h2")).to_have_text(f"Comment {proposal_id} on paragraph 1.1")
    expect(queued.locator(".queue-item__proposal")).to_contain_text(
        "Proposed wording for paragraph 1.1"
    )
    expect(queued.locator(".diff del")).to_have_text("[deleted: beabsichtigt]")
    expect(queued.locator(".diff ins").first).to_have_text("[inserted: sichert]")
    assert_no_violations(axe, page)


def test_moderation_queue_shows_a_pending_reply_with_its_comment(page, live_url, seed):
    with seed():
        _, (paragraph, *_) = make_document(paragraphs=1)
        parent = make_comment(
            paragraph, status=CommentStatus.APPROVED, pseudonym="Elternbeirat", text="Elternsicht"
        )
        reply = make_comment(parent=parent, text="Antwort zur Prüfung (queue)")
        make_staff(Role.MODERATOR, email="mod-reply@kreis.example")
        reply_id = reply.id

    sign_in_as_moderator(page, live_url, "mod-reply@kreis.example")
    queued = page.locator(f"#queue-item-{reply_id}")
    expect(queued.locator("h2")).to_have_text(f"Reply {reply_id} on paragraph 1.1")
    expect(queued.locator(".queue-item__parent")).to_contain_text("In reply to Elternbeirat:")
    expect(queued.locator(".queue-item__parent")).to_contain_text("Elternsicht")
    expect(queued.locator(".queue-item__text")).to_have_text("Antwort zur Prüfung (queue)")


# 6 axe ---------------------------------------------------------------------------------------


def seed_private_link(seed):
    """A participant with one pending, one approved and one rejected contribution (and a
    pending reply); returns (slug, token, pending id)."""
    with seed() as session:
        consultation, (paragraph, *_) = make_document(paragraphs=2)
        section = paragraph.section
        participant, token = make_participant()
        pending = make_comment(
            paragraph,
            participant_id=participant.id,
            kind=CommentKind.SUGGESTION,
            text="Wartet noch (axe)",
            proposed_text=PROPOSED_TEXT,
        )
        approved = make_comment(
            section=section,
            participant_id=participant.id,
            status=CommentStatus.APPROVED,
            text="Ist veröffentlicht (axe)",
        )
        rejected = make_comment(
            consultation=consultation,
            participant_id=participant.id,
            status=CommentStatus.REJECTED,
            text="Wurde abgelehnt (axe)",
        )
        make_comment(
            parent=approved,
            participant_id=participant.id,
            status=CommentStatus.APPROVED,
            text="Eigene Antwort (axe)",
        )
        moderator = make_staff(Role.MODERATOR)
        session.add(
            ModerationDecision(
                comment_id=rejected.id,
                moderator_id=moderator.id,
                decision=Decision.REJECT,
                reason=RejectionReason.OFF_TOPIC,
                note="Bitte beim Thema bleiben.",
            )
        )
        return consultation.slug, token, pending.id


def test_axe_private_link_overview(page, live_url, seed, axe):
    _, token, _ = seed_private_link(seed)
    for lang in ("de", "en"):
        page.goto(f"{live_url}/{lang}/my/{token}")
        expect(page.locator(".contribution")).to_have_count(4)
        expect(page.locator(".contribution--rejected")).to_contain_text("Bitte beim Thema bleiben.")
        page.locator(".contribution--pending summary").click()  # the diff, opened
        assert_no_violations(axe, page)


def test_axe_edit_form_with_an_error_and_withdraw_confirmation(page, live_url, seed, axe):
    _, token, pending_id = seed_private_link(seed)
    page.goto(f"{live_url}/de/my/{token}")
    page.locator(f"#contribution-{pending_id} .contribution__actions a").first.click()
    edit = page.locator(f"#edit-form-{pending_id}")
    expect(page.locator(f"#edit-form-{pending_id}-title")).to_be_focused()
    edit.locator("textarea").first.fill("")
    edit.locator("button[type=submit]").click()
    expect(edit.locator(".error-summary")).to_be_focused()
    expect(edit.locator(".field--error textarea")).to_have_attribute("aria-invalid", "true")
    assert_no_violations(axe, page)

    # The same on its own page, as without JavaScript.
    page.goto(f"{live_url}/de/my/{token}/{pending_id}/edit")
    page.locator("main form textarea").first.fill("")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_no_violations(axe, page)

    page.goto(f"{live_url}/de/my/{token}/{pending_id}/withdraw")
    expect(page.locator("main")).to_contain_text("Wartet noch (axe)")
    assert_no_violations(axe, page)


def test_axe_inline_reply_form_empty_and_with_errors(page, live_url, seed, axe):
    with seed():
        consultation, (paragraph, *_) = make_document(paragraphs=1)
        parent = make_comment(paragraph, status=CommentStatus.APPROVED)
        slug, parent_id = consultation.slug, parent.id
    page.goto(f"{live_url}/de/c/{slug}/")
    page.locator("#p-1-1 a.comment-count").click()
    page.locator(f"#comment-{parent_id} .comment__actions a.button").click()
    form = page.locator(f"#reply-form-{parent_id} form")
    expect(page.locator(f"#reply-form-{parent_id}-title")).to_be_focused()
    assert_no_violations(axe, page)
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#reply-form-{parent_id} .error-summary")).to_be_focused()
    assert_no_violations(axe, page)


def test_axe_thread_with_filters_diff_and_replies(page, live_url, seed, axe):
    with seed():
        consultation, (paragraph, *_) = make_document(paragraphs=1)
        suggestion = make_comment(
            paragraph,
            status=CommentStatus.APPROVED,
            kind=CommentKind.SUGGESTION,
            proposed_text=PROPOSED_TEXT,
            group=StakeholderGroup.WELFARE_ASSOCIATION,
        )
        make_comment(paragraph, status=CommentStatus.APPROVED, language="ar", text="نص تجريبي")
        make_comment(parent=suggestion, status=CommentStatus.APPROVED, text="Antwort (axe)")
        slug = consultation.slug
    for lang in ("de", "en"):
        page.goto(f"{live_url}/{lang}/c/{slug}/")
        page.locator("#p-1-1 a.comment-count").click()
        thread = page.locator("#thread-p-1-1")
        expect(thread.locator(".thread__filters")).to_be_visible()
        expect(thread.locator(".comment--reply")).to_have_count(1)
        thread.locator("details.proposal summary").click()
        expect(thread.locator(".diff ins").first).to_be_visible()
        assert_no_violations(axe, page)

    # The thread on its own page, filtered down to nothing.
    page.goto(f"{live_url}/de/c/{slug}/p/1.1?group=migrant_organisation")
    expect(page.locator(".thread__filters")).to_be_visible()
    expect(page.locator(".comment")).to_have_count(0)
    assert_no_violations(axe, page)


def test_axe_chapter_comment_form_with_errors(page, live_url, seed, axe):
    slug = seeded_document(seed, paragraphs=1)
    page.goto(f"{live_url}/de/c/{slug}/chapter/1/comment")
    assert_no_violations(axe, page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_no_violations(axe, page)

    page.goto(f"{live_url}/de/c/{slug}/")
    page.locator("#chapter-1 .chapter__actions a.button").click()
    inline = page.locator("#comment-form-chapter-1")
    expect(page.locator("#comment-form-chapter-1-title")).to_be_focused()
    inline.locator("form button[type=submit]").click()
    expect(inline.locator(".error-summary")).to_be_focused()
    assert_no_violations(axe, page)

"""The moderation queue in a real browser, as a moderator works through it: by keyboard alone,
with filters and bulk actions, two moderators at once, redaction with the mouse, and the staff
screens right-to-left.

Every test gets its own consultation and moderators limited to it, so the queue each one sees
holds exactly what it seeded, whatever other browser tests left in the shared live database."""

import re
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import joinedload

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
from consult.models.staff import staff_consultation
from consult.models.types import utcnow
from consult.services.queue import QUEUE_PAGE_SIZE
from tests.browser.conftest import (
    committing_seed,
    live_query,
    loopback_only_page,
    migrated_app,
    serving,
)
from tests.factories import (
    DEFAULT_PASSWORD,
    make_comment,
    make_document,
    make_paragraph,
    make_section,
    make_staff,
)

# The digit pressed after "r" picks the n-th reason of the reject list, in this order.
REASON_BY_DIGIT = dict(enumerate(RejectionReason, start=1))
KINDS = list(CommentKind)
GROUPS = list(StakeholderGroup)


@dataclass(frozen=True)
class World:
    slug: str
    comment_ids: list[int]  # in queue order: oldest first
    moderators: list[tuple[str, str]]  # (e-mail, display name)


def seed_world(seed, comments, moderator_names=("Moderatorin Aylin",)) -> World:
    """A consultation with two chapters, `comments` pending on it (dicts of make_comment
    arguments plus an optional "target": paragraph, chapter, draft or reply), and moderators
    limited to it. The comments are one second apart, so the queue order is the list order."""
    with seed() as session:
        consultation, paragraphs = make_document(paragraphs=2)
        second = make_section(consultation, number=2)
        paragraphs.append(make_paragraph(second, 1))
        parent = make_comment(paragraphs[0], status=CommentStatus.APPROVED, text="Schon da.")
        start = utcnow().replace(microsecond=0)
        ids = []
        for n, values in enumerate(comments):
            values = dict(values)
            target = values.pop("target", "paragraph")
            values.setdefault("created_at", start - timedelta(seconds=len(comments) - n))
            if target == "reply":
                comment = make_comment(parent=parent, **values)
            elif target == "chapter":
                comment = make_comment(section=second, **values)
            elif target == "draft":
                comment = make_comment(consultation=consultation, **values)
            else:
                comment = make_comment(paragraphs[n % len(paragraphs)], **values)
            ids.append(comment.id)
        moderators = []
        for name in moderator_names:
            email = f"mod-{uuid.uuid4().hex[:10]}@kreis.example"
            user = make_staff(
                Role.MODERATOR, email=email, display_name=name, limited_to_consultations=True
            )
            session.execute(
                staff_consultation.insert().values(
                    staff_user_id=user.id, consultation_id=consultation.id
                )
            )
            moderators.append((email, name))
        return World(consultation.slug, ids, moderators)


def in_language(app, lang):
    """The app's own translation of a message (or a plural), as the page in `lang` shows it."""
    from flask_babel import force_locale, gettext, ngettext

    def text(message, plural=None, count=None):
        with app.test_request_context(), force_locale(lang):
            if plural is None:
                return gettext(message)
            return ngettext(message, plural, count, count=count)

    return text


def sign_in(page, base_url, email, lang="en"):
    page.goto(f"{base_url}/{lang}/staff/login")
    # By field name: the labels are in the page's language.
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form.narrow-form button[type=submit]").click()
    expect(page).to_have_url(f"{base_url}/{lang}/moderation/")
    page.wait_for_load_state()  # the keys work once the deferred script has run


def decisions(query, comment_ids) -> dict[int, list[tuple[Decision, RejectionReason | None, str]]]:
    def run(session):
        found: dict[int, list] = {}
        for record in session.scalars(
            select(ModerationDecision)
            .where(ModerationDecision.comment_id.in_(comment_ids))
            .order_by(ModerationDecision.id)
            .options(joinedload(ModerationDecision.moderator))
        ):
            found.setdefault(record.comment_id, []).append(
                (record.decision, record.reason, record.moderator.display_name)
            )
        return found

    return query(run)


def item(page, comment_id):
    return page.locator(f"#queue-item-{comment_id}")


def waiting_ids(page) -> list[int]:
    return page.evaluate(
        "() => [...document.querySelectorAll('[data-queue-item]')]"
        ".map(e => Number(e.id.replace('queue-item-', '')))"
    )


def assert_no_violations(axe, page):
    violations = axe(page)
    assert violations == [], violations


# 1 -------------------------------------------------------------------------------------------


def test_keyboard_alone_clears_a_queue_of_two_hundred(page, live_url, seed, query_live):
    plan = []  # per comment in queue order: None to approve, else the digit of the reason
    comments = []
    for n in range(200):
        kind = KINDS[n % len(KINDS)]
        comments.append(
            {
                "text": f"Kommentar {n + 1} für die Tastatur",
                "kind": kind,
                "group": GROUPS[n % len(GROUPS)],
                "language": ("de", "en", "tr")[n % 3],
                "target": ("paragraph", "paragraph", "chapter", "draft", "reply")[n % 5],
                "proposed_text": "Neue Fassung." if kind is CommentKind.SUGGESTION else None,
            }
        )
        # Every seventh is rejected, cycling through the reasons that need nothing typed
        # (5, "duplicate", asks for the number of the original instead).
        plan.append((1, 2, 3, 4, 6)[(n // 7) % 5] if n % 7 == 3 else None)
    world = seed_world(seed, comments)
    ids = world.comment_ids
    sign_in(page, live_url, world.moderators[0][0])
    page.set_default_timeout(5_000)

    presses = 0

    def press(key):
        nonlocal presses
        page.keyboard.press(key)
        presses += 1

    def wait_until_focused(element_id, decided=None):
        """Until `decided` shows as decided and focus is on `element_id`."""
        try:
            page.wait_for_function(
                """([decided, wanted]) => {
                    if (decided) {
                        const old = document.getElementById(decided);
                        if (!old || !old.classList.contains("queue-item--decided")) return false;
                    }
                    return document.activeElement && document.activeElement.id === wanted;
                }""",
                arg=[decided, element_id],
            )
        except Exception as error:
            active = page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
            raise AssertionError(f"focus should be on #{element_id}, is on {active}") from error

    started = time.monotonic()
    press("j")
    wait_until_focused(f"queue-item-{ids[0]}")
    pages = 1
    for n, comment_id in enumerate(ids):
        if plan[n] is None:
            press("a")
        else:
            press("r")
            press(str(plan[n]))
        current = f"queue-item-{comment_id}"
        if n + 1 == len(ids):
            wait_until_focused(current, decided=current)  # nothing left to go to
        elif (n + 1) % QUEUE_PAGE_SIZE:
            wait_until_focused(f"queue-item-{ids[n + 1]}", decided=current)
        else:
            wait_until_focused("queue-more", decided=current)
            with page.expect_navigation():
                press("Enter")
            pages += 1
            wait_until_focused(f"queue-item-{ids[n + 1]}")
            assert waiting_ids(page) == ids[n + 1 : n + 1 + QUEUE_PAGE_SIZE]
    elapsed = time.monotonic() - started

    expect(page.locator("#queue-count")).to_have_text("Nothing waits for a decision.")
    expect(page.locator("[data-queue-item]")).to_have_count(0)
    expected = {
        comment_id: [
            (Decision.REJECT, REASON_BY_DIGIT[digit], world.moderators[0][1])
            if digit
            else (Decision.APPROVE, None, world.moderators[0][1])
        ]
        for comment_id, digit in zip(ids, plan, strict=True)
    }
    assert decisions(query_live, ids) == expected
    rejected = sum(1 for digit in plan if digit)
    assert rejected == 29
    assert pages == 200 // QUEUE_PAGE_SIZE
    assert presses == 1 + (200 - rejected) + 2 * rejected + (pages - 1)
    print(
        f"\n200 decisions ({rejected} rejections) on {pages} pages: {presses} key presses, "
        f"{presses / 200:.2f} keys per decision, {elapsed:.1f} s"
    )
    page.reload()
    expect(page.locator("main")).to_contain_text("The queue is empty. Thank you!")


# 2 -------------------------------------------------------------------------------------------


def test_keys_never_act_while_typing(page, live_url, seed, query_live):
    world = seed_world(seed, [{"text": "Erster"}, {"text": "Zweiter"}])
    first = world.comment_ids[0]
    sign_in(page, live_url, world.moderators[0][0])
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))

    note = item(page, first).get_by_label("Note to the author (optional)")
    note.focus()
    page.keyboard.type("jar")
    page.keyboard.press("x")
    page.wait_for_timeout(300)  # a decision would have been sent by now

    expect(note).to_have_value("jarx")
    expect(note).to_be_focused()
    expect(page.locator(".queue-item--rejecting")).to_have_count(0)
    expect(page.locator("[data-select]:checked")).to_have_count(0)
    expect(page.locator("[data-queue-item]")).to_have_count(2)
    assert posts == []
    assert decisions(query_live, world.comment_ids) == {}


def test_the_other_keys_move_select_open_and_cancel(page, live_url, seed, query_live):
    world = seed_world(seed, [{"text": "Erster"}, {"text": "Zweiter Kommentar"}])
    first, second = world.comment_ids
    sign_in(page, live_url, world.moderators[0][0])
    help_box = page.locator("#keyboard-help")

    page.keyboard.press("?")
    expect(help_box).to_have_attribute("open", "")
    expect(help_box.locator(".reason-keys li")).to_have_text(
        [str(reason.label) for reason in RejectionReason]
    )
    page.keyboard.press("?")
    expect(help_box).not_to_have_attribute("open", "")

    page.keyboard.press("j")
    expect(item(page, first)).to_be_focused()
    page.keyboard.press("j")
    expect(item(page, second)).to_be_focused()
    page.keyboard.press("k")
    expect(item(page, first)).to_be_focused()

    page.keyboard.press("x")
    expect(item(page, first).locator("[data-select]")).to_be_checked()
    page.keyboard.press("x")
    expect(item(page, first).locator("[data-select]")).not_to_be_checked()

    page.keyboard.press("r")
    expect(item(page, first)).to_have_class(re.compile(r"\bqueue-item--rejecting\b"))
    page.keyboard.press("Escape")
    expect(page.locator(".queue-item--rejecting")).to_have_count(0)
    page.keyboard.press("3")  # no rejection started: a digit alone does nothing
    page.wait_for_timeout(200)
    expect(page.locator("[data-queue-item]")).to_have_count(2)

    page.keyboard.press("e")
    redaction = item(page, first).locator("[data-redaction]")
    expect(redaction).to_have_attribute("open", "")
    marked = item(page, first).get_by_label("Text with the personal data marked")
    expect(marked).to_be_focused()
    expect(marked).to_have_value("Erster")
    assert decisions(query_live, world.comment_ids) == {}


# 3 -------------------------------------------------------------------------------------------

FILTER_COMMENTS = [
    {"text": "Einwand eins", "language": "de", "kind": CommentKind.OBJECTION},
    {"text": "Einwand zwei", "language": "de", "kind": CommentKind.OBJECTION},
    {"text": "Eine Frage", "language": "de", "kind": CommentKind.QUESTION},
    {"text": "A question", "language": "en", "kind": CommentKind.QUESTION},
    {"text": "An objection", "language": "en", "kind": CommentKind.OBJECTION},
    {"text": "ملاحظة قصيرة", "language": "ar", "kind": CommentKind.NOTE},
]


def option_texts(select):
    return [text.strip() for text in select.locator("option").all_inner_texts()]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_filters_narrow_the_queue_and_show_counts(browser, live_url, seed, javascript):
    world = seed_world(seed, FILTER_COMMENTS)
    with loopback_only_page(browser, javascript=javascript) as page:
        sign_in(page, live_url, world.moderators[0][0])
        filters = page.get_by_role("search", name="Filter the queue")
        language = filters.get_by_label("Language")
        kind = filters.get_by_label("Kind")
        texts = page.locator("[data-queue-item] .queue-item__text")
        expect(texts).to_have_count(6)
        assert option_texts(language) == [
            "All languages (6)",
            "Deutsch (3)",
            "English (2)",
            "العربية (1)",
        ]
        assert option_texts(kind)[:6] == [
            "All kinds (6)",
            "Support (0)",
            "Objection or concern (3)",
            "Suggestion or proposed change (0)",
            "Question (2)",
            "Note (1)",
        ]

        language.select_option("en")
        filters.get_by_role("button", name="Apply filters").click()
        expect(texts).to_have_text(["A question", "An objection"])
        expect(filters.get_by_role("status")).to_have_text("2 items match these filters.")
        expect(language).to_have_value("en")
        # The other filters count within English; the language filter still offers them all.
        assert option_texts(kind)[:6] == [
            "All kinds (2)",
            "Support (0)",
            "Objection or concern (1)",
            "Suggestion or proposed change (0)",
            "Question (1)",
            "Note (0)",
        ]
        assert "Deutsch (3)" in option_texts(language)

        kind.select_option("question")
        filters.get_by_role("button", name="Apply filters").click()
        expect(texts).to_have_text(["A question"])
        expect(filters.get_by_role("status")).to_have_text("1 item matches these filters.")

        filters.get_by_role("link", name="Reset filters").click()
        expect(texts).to_have_count(6)
        expect(language).to_have_value("")
        expect(filters.get_by_role("link", name="Reset filters")).to_have_count(0)


# 4 -------------------------------------------------------------------------------------------


def tick(page, comment_id):
    page.get_by_label(f"Select comment {comment_id}", exact=True).check()


def test_bulk_reject_three_then_select_all_with_javascript(page, live_url, seed, query_live):
    world = seed_world(seed, [{"text": f"Werbung {n}"} for n in range(5)])
    ids = world.comment_ids
    sign_in(page, live_url, world.moderators[0][0])
    for comment_id in ids[:3]:
        tick(page, comment_id)
    bulk = page.locator("#bulk-form")
    bulk.get_by_label("Reason for rejecting the selected comments").select_option("spam")
    bulk.get_by_role("button", name="Reject selected").click()

    expect(page.locator(".flash--success")).to_have_text("3 comments rejected.")
    expect(page.locator("[data-queue-item]")).to_have_count(2)
    assert waiting_ids(page) == ids[3:]
    assert decisions(query_live, ids) == {
        comment_id: [(Decision.REJECT, RejectionReason.SPAM, world.moderators[0][1])]
        for comment_id in ids[:3]
    }

    select_all = bulk.get_by_role("button", name="Select all on this page")
    select_all.click()
    expect(page.locator("[data-select]:checked")).to_have_count(2)
    select_all.click()  # a second press clears the selection again
    expect(page.locator("[data-select]:checked")).to_have_count(0)
    select_all.click()
    bulk.get_by_role("button", name="Approve selected").click()
    expect(page.locator(".flash--success")).to_have_text("2 comments approved and published.")
    expect(page.locator("main")).to_contain_text("The queue is empty. Thank you!")
    assert len(decisions(query_live, ids)) == 5


def test_bulk_reject_without_javascript(page_without_js, live_url, seed, query_live):
    page = page_without_js
    world = seed_world(seed, [{"text": f"Abseits {n}"} for n in range(4)])
    ids = world.comment_ids
    sign_in(page, live_url, world.moderators[0][0])
    bulk = page.locator("#bulk-form")
    # Buttons that need the script stay out of sight without it.
    expect(bulk.locator("[data-select-all]")).to_be_hidden()
    expect(page.locator("[data-mark-selection]").first).to_be_hidden()

    # Nothing ticked: the form says so and nothing is decided.
    bulk.get_by_role("button", name="Reject selected").click()
    expect(bulk.locator(".error-summary")).to_contain_text("Please select at least one comment.")

    for comment_id in (ids[0], ids[2], ids[3]):
        tick(page, comment_id)
    bulk.get_by_label("Reason for rejecting the selected comments").select_option("off_topic")
    bulk.get_by_role("button", name="Reject selected").click()
    expect(page.locator(".flash--success")).to_have_text("3 comments rejected.")
    assert waiting_ids(page) == [ids[1]]
    assert {
        comment_id: [reason for _, reason, _ in found]
        for comment_id, found in decisions(query_live, ids).items()
    } == {comment_id: [RejectionReason.OFF_TOPIC] for comment_id in (ids[0], ids[2], ids[3])}


# 5 -------------------------------------------------------------------------------------------


def test_two_moderators_decide_the_same_comment(browser, page, live_url, seed, query_live):
    world = seed_world(
        seed,
        [{"text": "Strittig"}, {"text": "Danach"}],
        moderator_names=("Moderatorin Aylin", "Moderator Bernd"),
    )
    contested = world.comment_ids[0]
    (first_email, first_name), (second_email, _) = world.moderators
    with loopback_only_page(browser, javascript=True) as other:
        errors = []
        other.on("pageerror", lambda error: errors.append(error))
        sign_in(page, live_url, first_email)
        sign_in(other, live_url, second_email)

        item(page, contested).get_by_role("button", name="Approve and publish").click()
        expect(item(page, contested)).to_have_text(
            re.compile(rf"Comment {contested} approved and published\.")
        )

        theirs = item(other, contested)
        theirs.get_by_label("Reason for rejecting").select_option("off_topic")
        theirs.get_by_role("button", name="Reject", exact=True).click()
        expect(theirs).to_have_class(re.compile(r"\bqueue-item--conflict\b"))
        expect(theirs).to_contain_text(
            f"Comment {contested} was already decided by {first_name}: Approved."
        )
        expect(other.locator(".request-failed")).to_have_count(0)
        assert errors == []
        # The second moderator goes on with the next comment.
        expect(item(other, world.comment_ids[1])).to_be_focused()

    assert decisions(query_live, [contested]) == {contested: [(Decision.APPROVE, None, first_name)]}
    status = query_live(lambda session: session.get(Comment, contested).status)
    assert status is CommentStatus.APPROVED


# 6 -------------------------------------------------------------------------------------------


def test_redaction_with_the_mouse(page, live_url, seed):
    text = "Rufen Sie bei Erika Mustermann im Jugendamt an, sie kennt das Problem."
    world = seed_world(seed, [{"text": text, "target": "paragraph"}])
    [comment_id] = world.comment_ids
    sign_in(page, live_url, world.moderators[0][0])
    queued = item(page, comment_id)
    queued.get_by_text("Remove personal data, then publish").click()
    box = queued.get_by_label("Text with the personal data marked")
    expect(box).to_have_value(text)
    start = text.index("Erika Mustermann")
    box.evaluate(
        "(box, [start, end]) => box.setSelectionRange(start, end)",
        [start, start + len("Erika Mustermann")],
    )
    queued.get_by_role("button", name="Mark the selected words").click()
    expect(box).to_have_value(text.replace("Erika Mustermann", "[[Erika Mustermann]]"))
    queued.get_by_role("button", name="Publish without the marked passages").click()
    expect(queued).to_contain_text(f"Comment {comment_id} published with personal data removed.")

    page.goto(f"{live_url}/en/c/{world.slug}/p/1.1")
    published = page.locator(f"#comment-{comment_id} .comment__text")
    expect(published).to_contain_text("Rufen Sie bei [removed: personal data] im Jugendamt an")
    expect(published.locator(".redacted")).to_have_text("[removed: personal data]")
    expect(page.locator("main")).not_to_contain_text("Mustermann")


# 7 -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rtl_app(tmp_path_factory):
    """A second live server whose staff may work in Arabic, a right-to-left language."""
    return migrated_app(
        tmp_path_factory.mktemp("live-rtl") / "live.sqlite3", LANGUAGES=["de", "en", "ar"]
    )


@pytest.fixture(scope="module")
def rtl_url(rtl_app):
    with serving(rtl_app) as url:
        yield url


@pytest.fixture
def rtl_seed(rtl_app):
    return committing_seed(rtl_app)


@pytest.fixture
def rtl_query(rtl_app):
    return live_query(rtl_app)


def no_horizontal_scrolling(page) -> bool:
    return page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")


def select_box_side(page, comment_id) -> str:
    """Which half of its item the "Select" box sits in."""
    return page.evaluate(
        """(id) => {
            const item = document.getElementById("queue-item-" + id).getBoundingClientRect();
            const box = document.getElementById("queue-item-" + id + "-select")
                .closest(".queue-item__select").getBoundingClientRect();
            return box.left + box.width / 2 < item.left + item.width / 2 ? "left" : "right";
        }""",
        comment_id,
    )


RTL_COMMENTS = [
    {"text": "تعليق باللغة العربية", "language": "ar", "kind": CommentKind.NOTE},
    {"text": "Ein deutscher Kommentar", "language": "de"},
    {"text": "Noch einer", "language": "de", "target": "reply"},
    {"text": "Und ein dritter", "language": "de", "target": "chapter"},
]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_staff_screens_right_to_left(browser, rtl_app, rtl_url, rtl_seed, rtl_query, axe, lang):
    world = seed_world(rtl_seed, RTL_COMMENTS)
    ids = world.comment_ids
    direction = "rtl" if lang == "ar" else "ltr"
    text = in_language(rtl_app, lang)
    with loopback_only_page(browser, javascript=True) as page:
        page.set_viewport_size({"width": 1280, "height": 900})
        sign_in(page, rtl_url, world.moderators[0][0], lang=lang)
        expect(page.locator("html")).to_have_attribute("dir", direction)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        filters = page.get_by_role("search", name=text("Filter the queue"))
        for element in (filters, item(page, ids[0]), page.locator("#queue-start")):
            assert element.evaluate("e => getComputedStyle(e).direction") == direction
        # "Select" sits at the inline end: on the left in Arabic, on the right in English.
        assert select_box_side(page, ids[0]) == ("left" if lang == "ar" else "right")
        assert no_horizontal_scrolling(page)
        assert_no_violations(axe, page)

        page.set_viewport_size({"width": 375, "height": 800})
        assert no_horizontal_scrolling(page)
        page.set_viewport_size({"width": 1280, "height": 900})

        # The keyboard works the same: approve the first, reject the second as spam.
        page.keyboard.press("j")
        expect(item(page, ids[0])).to_be_focused()
        page.keyboard.press("a")
        expect(item(page, ids[0])).to_have_class(re.compile(r"\bqueue-item--decided\b"))
        expect(item(page, ids[1])).to_be_focused()
        page.keyboard.press("r")
        page.keyboard.press("3")
        expect(item(page, ids[1])).to_have_class(re.compile(r"\bqueue-item--decided\b"))
        expect(item(page, ids[2])).to_be_focused()
        expect(page.locator("#queue-count")).to_have_text(
            text("%(count)s item waits for a decision.", "%(count)s items wait for a decision.", 2)
        )
        assert_no_violations(axe, page)

        # Reject without a reason: the item comes back with the error, and stays accessible.
        third = item(page, ids[2])
        third.get_by_role("button", name=text("Reject"), exact=True).click()
        expect(third.locator(".error-summary")).to_contain_text(
            text("Please choose a reason for the rejection.")
        )
        expect(third.get_by_label(text("Reason for rejecting"))).to_have_attribute(
            "aria-invalid", "true"
        )
        assert no_horizontal_scrolling(page)
        assert_no_violations(axe, page)

        page.set_viewport_size({"width": 375, "height": 800})
        assert no_horizontal_scrolling(page)

    reasons = {
        comment_id: [(decision, reason) for decision, reason, _ in found]
        for comment_id, found in decisions(rtl_query, ids).items()
    }
    assert reasons == {
        ids[0]: [(Decision.APPROVE, None)],
        ids[1]: [(Decision.REJECT, RejectionReason.SPAM)],
    }

"""The queue a team works through: filters with counts, reported comments, redaction,
duplicates, decisions on a selection, moderators limited to consultations, and two moderators
deciding the same item."""

import re

import pytest
from sqlalchemy import event, select, update

from consult.extensions import db as _db
from consult.models import (
    AuditEvent,
    Comment,
    CommentKind,
    CommentStatus,
    Decision,
    Flag,
    ModerationDecision,
    RejectionReason,
    Role,
    StakeholderGroup,
)
from consult.models.types import utcnow
from consult.services import moderation
from consult.services.errors import NotPending
from tests.conftest import csrf_from
from tests.factories import make_comment, make_consultation, make_document, make_staff

QUEUE = "/en/moderation/"
REMOVED = "[removed: personal data]"


def decide_url(comment, query=""):
    return f"/en/moderation/comments/{comment.id}/decision{query}"


def form_for(client, comment, decision, **fields):
    token = csrf_from(client.get(QUEUE).get_data(as_text=True))
    prefix = f"c{comment.id}-"
    data = {"csrf_token": token, prefix + "decision": decision, prefix + "version": comment.version}
    data.update({prefix + name: value for name, value in fields.items()})
    return data


def shown_ids(html):
    return [int(n) for n in re.findall(r'id="queue-item-(\d+)"', html)]


def option_text(html, select_name, value):
    select_html = re.search(rf'<select id="filter-{select_name}".*?</select>', html, re.S).group(0)
    return re.search(rf'<option value="{value}"[^>]*>([^<]*)</option>', select_html).group(1)


def reported(paragraph, *reasons, status=CommentStatus.APPROVED, **overrides):
    comment = make_comment(paragraph, status=status, open_flag_count=len(reasons), **overrides)
    _db.session.add_all(Flag(comment_id=comment.id, reason=reason) for reason in reasons)
    _db.session.flush()
    return comment


# Filters -------------------------------------------------------------------------------------


def test_filters_narrow_the_queue_and_every_option_shows_its_count(client, login):
    _consultation, (first, second, _) = make_document()
    turkish_objection = make_comment(first, language="tr", kind=CommentKind.OBJECTION)
    german_suggestion = make_comment(
        second,
        kind=CommentKind.SUGGESTION,
        proposed_text="Neuer Wortlaut",
        group=StakeholderGroup.MIGRANT_ORGANISATION,
    )
    german_question = make_comment(second, kind=CommentKind.QUESTION)
    login(make_staff())

    html = client.get(QUEUE).get_data(as_text=True)
    assert set(shown_ids(html)) == {turkish_objection.id, german_suggestion.id, german_question.id}
    assert option_text(html, "language", "tr").endswith("(1)")
    assert option_text(html, "language", "de").endswith("(2)")
    assert option_text(html, "proposal", "yes") == "With proposed wording (1)"

    html = client.get(QUEUE + "?language=de").get_data(as_text=True)
    assert set(shown_ids(html)) == {german_suggestion.id, german_question.id}
    assert "2 items match these filters." in html
    # A facet counts with the other filters applied, and ignores its own choice.
    assert option_text(html, "kind", "question").endswith("(1)")
    assert option_text(html, "language", "tr").endswith("(1)")

    html = client.get(QUEUE + "?language=de&proposal=yes").get_data(as_text=True)
    assert shown_ids(html) == [german_suggestion.id]
    html = client.get(f"{QUEUE}?chapter={second.section_id}&kind=question").get_data(as_text=True)
    assert shown_ids(html) == [german_question.id]
    html = client.get(QUEUE + "?group=migrant_organisation").get_data(as_text=True)
    assert shown_ids(html) == [german_suggestion.id]


def test_unknown_filter_values_are_ignored_not_errors(client, login):
    _consultation, (paragraph, *_) = make_document()
    comment = make_comment(paragraph)
    login(make_staff())
    response = client.get(
        QUEUE + "?group=nonsense&kind=%3Cb%3E&chapter=99999999999999&flagged=maybe"
    )
    assert response.status_code == 200
    assert shown_ids(response.get_data(as_text=True)) == [comment.id]


def test_replies_have_their_own_kind_filter(client, login):
    _consultation, (paragraph, *_) = make_document()
    parent = make_comment(paragraph, status=CommentStatus.APPROVED)
    reply = make_comment(parent=parent)
    make_comment(paragraph)
    login(make_staff())
    html = client.get(QUEUE + "?kind=reply").get_data(as_text=True)
    assert shown_ids(html) == [reply.id]


def test_the_decision_form_keeps_the_filters(client, login):
    _consultation, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, language="tr")
    make_comment(paragraph)
    login(make_staff())
    html = client.get(QUEUE + "?language=tr").get_data(as_text=True)
    assert f'action="/en/moderation/comments/{comment.id}/decision?language=tr"' in html
    response = client.post(
        decide_url(comment, "?language=tr"), data=form_for(client, comment, "approve")
    )
    assert response.headers["Location"].endswith("/en/moderation/?language=tr#queue-start")


# Moderators limited to consultations ---------------------------------------------------------


def test_a_limited_moderator_sees_and_decides_only_their_consultations(client, login):
    mine, (my_paragraph, *_) = make_document()
    _other, (other_paragraph, *_) = make_document()
    my_comment = make_comment(my_paragraph)
    other_comment = make_comment(other_paragraph)
    login(make_staff(limited_to_consultations=True, consultations=[mine]))

    html = client.get(QUEUE).get_data(as_text=True)
    assert shown_ids(html) == [my_comment.id]
    assert "1 item waits for a decision." in html

    response = client.post(
        decide_url(other_comment), data=form_for(client, other_comment, "approve")
    )
    assert response.status_code == 403
    assert _db.session.get(Comment, other_comment.id).status is CommentStatus.PENDING


def test_a_moderator_limited_to_nothing_sees_nothing(client, login):
    _consultation, (paragraph, *_) = make_document()
    make_comment(paragraph)
    login(make_staff(limited_to_consultations=True))
    html = client.get(QUEUE).get_data(as_text=True)
    assert shown_ids(html) == []
    assert "Nothing waits for a decision." in html


def test_an_admin_is_never_limited(client, login):
    _consultation, (paragraph, *_) = make_document()
    comment = make_comment(paragraph)
    login(make_staff(role=Role.ADMIN, limited_to_consultations=True))
    assert shown_ids(client.get(QUEUE).get_data(as_text=True)) == [comment.id]


# Reported comments ---------------------------------------------------------------------------


def test_a_reported_comment_is_back_in_the_queue_with_its_reports(client, login):
    _consultation, (paragraph, *_) = make_document()
    comment = reported(
        paragraph, RejectionReason.SPAM, RejectionReason.SPAM, RejectionReason.ILLEGAL
    )
    make_comment(paragraph, status=CommentStatus.APPROVED)  # published, nobody reported it
    login(make_staff())
    html = client.get(QUEUE + "?flagged=yes").get_data(as_text=True)
    assert shown_ids(html) == [comment.id]
    assert "Reported 3 times by readers." in html
    assert "Advertising or spam: 2" in html and "Illegal content: 1" in html
    assert "It stays published until you decide." in html
    assert "Keep published" in html


def test_keeping_a_reported_comment_closes_its_reports_and_leaves_it_published(hx, login):
    _consultation, (paragraph, *_) = make_document()
    comment = reported(paragraph, RejectionReason.INSULT_DISCRIMINATION)
    paragraph.published_comment_count = 1
    login(make_staff())
    response = hx.post(decide_url(comment), data=form_for(hx, comment, "approve"))
    assert response.status_code == 200
    assert "stays published; the reports are closed" in response.get_data(as_text=True)
    _db.session.expire_all()
    kept = _db.session.get(Comment, comment.id)
    assert kept.status is CommentStatus.APPROVED and kept.open_flag_count == 0
    assert paragraph.published_comment_count == 1
    assert all(flag.resolved_at for flag in _db.session.scalars(select(Flag)))
    decision = _db.session.scalars(select(ModerationDecision)).one()
    assert decision.after_flags and decision.decision is Decision.APPROVE
    assert shown_ids(hx.get(QUEUE).get_data(as_text=True)) == []


def test_removing_a_reported_comment_takes_it_out_of_public_view(client, login):
    consultation, (paragraph, *_) = make_document()
    comment = reported(paragraph, RejectionReason.INSULT_DISCRIMINATION, text="Beleidigung")
    paragraph.published_comment_count = 1
    login(make_staff())
    client.post(
        decide_url(comment),
        data=form_for(client, comment, "reject", reason="insult_discrimination"),
    )
    _db.session.expire_all()
    assert _db.session.get(Comment, comment.id).status is CommentStatus.REJECTED
    assert paragraph.published_comment_count == 0
    thread = client.get(f"/en/c/{consultation.slug}/p/{paragraph.number}")
    assert "Beleidigung" not in thread.get_data(as_text=True)
    audit = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "comment.reject"))
    assert audit.one().details["after_reports"] is True


def test_keeping_a_hidden_comment_publishes_it_again(client, login):
    _consultation, (paragraph, *_) = make_document()
    comment = reported(
        paragraph, RejectionReason.SPAM, RejectionReason.SPAM, status=CommentStatus.HIDDEN
    )
    login(make_staff())
    html = client.get(QUEUE).get_data(as_text=True)
    assert "It is hidden until you decide." in html
    client.post(decide_url(comment), data=form_for(client, comment, "approve"))
    _db.session.expire_all()
    assert _db.session.get(Comment, comment.id).status is CommentStatus.APPROVED
    assert paragraph.published_comment_count == 1


# Redaction -----------------------------------------------------------------------------------


def test_approving_with_redaction_publishes_the_marker_and_keeps_the_original_apart(client, login):
    consultation, (paragraph, *_) = make_document()
    text = "Frau Petra Muster (0170 1234567) hat mir gesagt, dass die Beratung fehlt."
    comment = make_comment(paragraph, text=text)
    login(make_staff())
    marked = "Frau [[Petra Muster]] ([[0170 1234567]]) hat mir gesagt, dass die Beratung fehlt."
    response = client.post(
        decide_url(comment), data=form_for(client, comment, "redact", marked_text=marked)
    )
    assert response.status_code == 303
    _db.session.expire_all()
    published = _db.session.get(Comment, comment.id)
    assert published.status is CommentStatus.APPROVED and published.is_redacted
    assert published.original_text == text

    for lang, marker in (("en", REMOVED), ("de", "[entfernt: personenbezogene Daten]")):
        html = client.get(f"/{lang}/c/{consultation.slug}/p/{paragraph.number}").get_data(
            as_text=True
        )
        assert "Petra" not in html and "0170" not in html
        assert f'Frau <span class="redacted">{marker}</span> (' in html
    decision = _db.session.scalars(select(ModerationDecision)).one()
    assert decision.redacted
    assert _db.session.scalars(select(AuditEvent.action)).all()[-1] == "comment.redact"


@pytest.mark.parametrize(
    ("marked", "message"),
    [
        ("Frau Petra Muster hat angerufen.", "Please mark the personal data to remove."),
        ("Frau [[Petra Muster]] hat nicht angerufen.", "the rest of the text must stay"),
        ("", "Please mark the personal data to remove."),
    ],
)
def test_a_redaction_may_only_remove_and_must_remove_something(hx, login, marked, message):
    _consultation, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, text="Frau Petra Muster hat angerufen.")
    login(make_staff())
    response = hx.post(
        decide_url(comment), data=form_for(hx, comment, "redact", marked_text=marked)
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    _db.session.expire_all()
    unchanged = _db.session.get(Comment, comment.id)
    assert unchanged.status is CommentStatus.PENDING and unchanged.text == comment.text


def test_nobody_can_fake_the_redaction_marker_by_typing_it(client, csrf_token):
    from consult.services.comments import clean_text
    from consult.text import REDACTION_MARK

    assert clean_text(f"Hallo {REDACTION_MARK}Welt") == "Hallo Welt"


# Duplicates ----------------------------------------------------------------------------------


def test_a_duplicate_names_its_original_which_must_be_published_on_the_same_draft(hx, login):
    _consultation, (paragraph, *_) = make_document()
    original = make_comment(paragraph, status=CommentStatus.APPROVED)
    _other, (elsewhere, *_) = make_document()
    foreign = make_comment(elsewhere, status=CommentStatus.APPROVED)
    repeat = make_comment(paragraph)
    login(make_staff())

    missing = hx.post(decide_url(repeat), data=form_for(hx, repeat, "reject", reason="duplicate"))
    assert missing.status_code == 422
    assert "Please give the number of the comment it repeats." in missing.get_data(as_text=True)
    wrong = hx.post(
        decide_url(repeat),
        data=form_for(hx, repeat, "reject", reason="duplicate", duplicate_of=foreign.id),
    )
    assert wrong.status_code == 422
    assert "a published comment on the same draft" in wrong.get_data(as_text=True)

    right = hx.post(
        decide_url(repeat),
        data=form_for(hx, repeat, "reject", reason="duplicate", duplicate_of=original.id),
    )
    assert right.status_code == 200
    decision = _db.session.scalars(select(ModerationDecision)).one()
    assert decision.reason is RejectionReason.DUPLICATE and decision.duplicate_of_id == original.id


# Decisions on a selection --------------------------------------------------------------------


def bulk(client, selection, decision, reason="", query=""):
    token = csrf_from(client.get(QUEUE).get_data(as_text=True))
    data = {
        "csrf_token": token,
        "decision": decision,
        "reason": reason,
        "selected": [f"{c.id}:{c.version}" for c in selection],
    }
    return client.post("/en/moderation/bulk" + query, data=data)


def test_approving_a_selection_publishes_each_and_counts_them(client, login):
    _consultation, (paragraph, *_) = make_document()
    chosen = [make_comment(paragraph) for _ in range(3)]
    left = make_comment(paragraph)
    login(make_staff())
    response = bulk(client, chosen, "approve", query="?language=de")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/en/moderation/?language=de#queue-start")
    _db.session.expire_all()
    assert {_db.session.get(Comment, c.id).status for c in chosen} == {CommentStatus.APPROVED}
    assert _db.session.get(Comment, left.id).status is CommentStatus.PENDING
    assert paragraph.published_comment_count == 3
    html = client.get(QUEUE).get_data(as_text=True)
    assert "3 comments approved and published." in html


def test_rejecting_a_selection_needs_a_reason_and_skips_what_changed_meanwhile(client, login):
    _consultation, (paragraph, *_) = make_document()
    first, second, edited = (make_comment(paragraph) for _ in range(3))
    moderator = make_staff(display_name="Zweite Moderatorin")
    login(make_staff())

    no_reason = bulk(client, [first, second], "reject")
    assert no_reason.status_code == 422
    assert "Please choose a reason for the rejection." in no_reason.get_data(as_text=True)
    nothing = bulk(client, [], "approve")
    assert nothing.status_code == 422
    assert "Please select at least one comment." in nothing.get_data(as_text=True)

    token = csrf_from(client.get(QUEUE).get_data(as_text=True))
    versions = {c.id: c.version for c in (first, second, edited)}
    moderation.decide(second.id, moderator=moderator, decision=Decision.APPROVE, now=utcnow())
    _db.session.execute(update(Comment).where(Comment.id == edited.id).values(version=5))
    response = client.post(
        "/en/moderation/bulk",
        data={
            "csrf_token": token,
            "decision": "reject",
            "reason": "spam",
            "selected": [f"{cid}:{version}" for cid, version in versions.items()],
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "1 comment rejected." in html
    assert "2 comments were left out" in html
    _db.session.expire_all()
    assert _db.session.get(Comment, first.id).status is CommentStatus.REJECTED
    assert _db.session.get(Comment, second.id).status is CommentStatus.APPROVED
    assert _db.session.get(Comment, edited.id).status is CommentStatus.PENDING


def test_a_selection_cannot_be_rejected_as_duplicates(client, login):
    _consultation, (paragraph, *_) = make_document()
    comment = make_comment(paragraph)
    login(make_staff())
    response = bulk(client, [comment], "reject", reason="duplicate")
    assert response.status_code == 422
    _db.session.expire_all()
    assert _db.session.get(Comment, comment.id).status is CommentStatus.PENDING


def test_a_malformed_selection_is_a_clear_422(client, login):
    login(make_staff())
    token = csrf_from(client.get(QUEUE).get_data(as_text=True))
    response = client.post(
        "/en/moderation/bulk",
        data={"csrf_token": token, "decision": "approve", "selected": ["12:x", "<script>"]},
    )
    assert response.status_code == 422
    assert "The selection could not be read." in response.get_data(as_text=True)


# Two moderators, one item --------------------------------------------------------------------


def test_two_moderators_deciding_at_once_one_wins_and_the_other_is_told(app, client, login):
    _consultation, (paragraph, *_) = make_document()
    comment = make_comment(paragraph)
    first = login(make_staff(display_name="Erste Moderatorin"))
    second_client = app.test_client()
    second = make_staff(display_name="Zweiter Moderator")
    with second_client.session_transaction() as session:
        session["_user_id"] = second.get_id()
    # Both opened the queue and read version 1 of the text.
    first_form = form_for(client, comment, "approve")
    second_form = form_for(second_client, comment, "reject", reason="spam")

    assert client.post(decide_url(comment), data=first_form).status_code == 303
    late = second_client.post(decide_url(comment), data=second_form, headers={"HX-Request": "true"})
    assert late.status_code == 409
    html = late.get_data(as_text=True)
    assert "already decided by Erste Moderatorin: Approved" in html
    assert "<time" in html
    decisions = _db.session.scalars(select(ModerationDecision)).all()
    assert [(d.moderator_id, d.decision) for d in decisions] == [(first.id, Decision.APPROVE)]
    _db.session.expire_all()
    assert _db.session.get(Comment, comment.id).status is CommentStatus.APPROVED


def test_the_update_that_loses_the_race_changes_nothing(db):
    """The other moderator's decision lands between this one's read and its UPDATE."""
    _consultation, (paragraph, *_) = make_document()
    comment = make_comment(paragraph)
    winner, loser = make_staff(display_name="Schnell"), make_staff()
    raced = []

    @event.listens_for(_db.session, "do_orm_execute")
    def decide_first(state):
        if state.is_update and not raced:
            raced.append(True)
            moderation.decide(comment.id, moderator=winner, decision=Decision.APPROVE, now=utcnow())

    try:
        with pytest.raises(NotPending) as lost:
            moderation.decide(
                comment.id,
                moderator=loser,
                decision=Decision.REJECT,
                reason=RejectionReason.SPAM,
                now=utcnow(),
                seen_version=comment.version,
            )
    finally:
        event.remove(_db.session, "do_orm_execute", decide_first)
    assert lost.value.latest_decision.moderator.display_name == "Schnell"
    decisions = _db.session.scalars(select(ModerationDecision)).all()
    assert [d.moderator_id for d in decisions] == [winner.id]
    assert paragraph.published_comment_count == 1


def test_keyboard_help_is_visible_on_the_queue(client, login):
    make_consultation()
    login(make_staff())
    html = client.get(QUEUE).get_data(as_text=True)
    assert "Keyboard: j / k next or previous, a approve, r then 1–6 reject" in html
    # The numbers the keys use are the order of the published reasons.
    assert re.search(r'<ol class="reason-keys">\s*<li>Insult or discrimination</li>', html)


# What the author sees ------------------------------------------------------------------------


def test_the_author_sees_the_duplicate_reason_with_a_link_to_the_original(client):
    from tests.factories import make_participant

    consultation, (paragraph, *_) = make_document()
    original = make_comment(paragraph, status=CommentStatus.APPROVED, text="Mehr Sprachkurse!")
    participant, token = make_participant()
    repeat = make_comment(paragraph, participant_id=participant.id)
    moderation.decide(
        repeat.id,
        moderator=make_staff(),
        decision=Decision.REJECT,
        reason=RejectionReason.DUPLICATE,
        duplicate_of=original.id,
        note="Bitte dort mitdiskutieren.",
        now=utcnow(),
    )
    html = client.get(f"/en/my/{token}").get_data(as_text=True)
    assert "Duplicate of another comment" in html and "Bitte dort mitdiskutieren." in html
    link = f"/en/c/{consultation.slug}/comments/{original.id}"
    assert f'href="{link}"' in html
    permalink = client.get(link)
    assert permalink.status_code == 200
    assert "Mehr Sprachkurse!" in permalink.get_data(as_text=True)
    # Only published comments have a page of their own.
    assert client.get(f"/en/c/{consultation.slug}/comments/{repeat.id}").status_code == 404
    assert client.get(f"/en/c/other-slug/comments/{original.id}").status_code == 404


def test_the_author_is_told_about_a_redaction_and_keeps_their_words_in_the_export(client):
    from tests.factories import make_participant

    _consultation, (paragraph, *_) = make_document()
    participant, token = make_participant()
    comment = make_comment(
        paragraph, participant_id=participant.id, text="Ruft Herrn Kaya an: 0151 999."
    )
    moderation.decide(
        comment.id,
        moderator=make_staff(),
        decision=Decision.APPROVE,
        marked_text="Ruft [[Herrn Kaya]] an: [[0151 999]].",
        now=utcnow(),
    )
    html = client.get(f"/en/my/{token}").get_data(as_text=True)
    assert "A moderator removed personal data from your text." in html
    assert "Herrn Kaya" not in html
    export = client.get(f"/en/my/{token}/export.json").get_json()
    (item,) = export["contributions"]
    assert item["text"] == "Ruft Herrn Kaya an: 0151 999."
    assert item["published_with_personal_data_removed"] is True


def test_the_next_page_continues_after_the_items_a_moderator_went_past(client, login):
    from datetime import timedelta

    _consultation, (paragraph, *_) = make_document()
    start = utcnow() - timedelta(days=1)
    items = [make_comment(paragraph, created_at=start + timedelta(minutes=i)) for i in range(53)]
    login(make_staff())
    first = client.get(QUEUE).get_data(as_text=True)
    assert shown_ids(first) == [c.id for c in items[:50]]
    link = re.search(r'id="queue-more" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert f"after={items[49].id}" in link
    assert "Load the next comments (3 more waiting)" in first

    # The moderator decided some of the first page and skipped the rest.
    for comment in items[:10]:
        moderation.decide(
            comment.id, moderator=make_staff(), decision=Decision.APPROVE, now=utcnow()
        )
    following = client.get(link).get_data(as_text=True)
    assert shown_ids(following) == [c.id for c in items[50:]]
    assert "Back to the oldest waiting comments" in following
    assert 'id="queue-more"' not in following
    again = client.get(QUEUE).get_data(as_text=True)
    assert shown_ids(again)[0] == items[10].id


# Found in review ------------------------------------------------------------------------------


def test_digits_from_other_scripts_in_the_address_are_ignored(client, login):
    _consultation, (paragraph, *_) = make_document()
    comment = make_comment(paragraph)
    login(make_staff())
    for query in ("consultation=%C2%B2", "chapter=%D9%A3", "after=%C2%B2"):
        response = client.get(f"{QUEUE}?{query}")
        assert response.status_code == 200
        assert shown_ids(response.get_data(as_text=True)) == [comment.id]


def test_a_limited_moderator_learns_nothing_about_other_consultations(client, login):
    mine, _ = make_document()
    other, (paragraph, *_) = make_document()
    elsewhere = make_comment(paragraph)
    moderation.decide(
        elsewhere.id,
        moderator=make_staff(display_name="Frau Geheim"),
        decision=Decision.APPROVE,
        now=utcnow(),
    )
    login(make_staff(limited_to_consultations=True, consultations=[mine]))
    token = csrf_from(client.get(QUEUE).get_data(as_text=True))
    incomplete = {"csrf_token": token, f"c{elsewhere.id}-decision": "approve"}
    response = client.post(decide_url(elsewhere), data=incomplete)
    assert response.status_code == 403
    assert "Geheim" not in client.get(QUEUE).get_data(as_text=True)
    filtered = client.get(f"{QUEUE}?consultation={other.id}").get_data(as_text=True)
    assert other.title not in filtered


def test_comments_on_the_whole_draft_have_their_own_chapter_option(client, login):
    consultation, (paragraph, *_) = make_document()
    make_comment(paragraph)
    on_draft = [make_comment(consultation=consultation) for _ in range(2)]
    login(make_staff())
    html = client.get(QUEUE).get_data(as_text=True)
    assert option_text(html, "chapter", "") == "All chapters (3)"
    assert option_text(html, "chapter", "0") == "The whole draft (2)"
    assert set(shown_ids(client.get(QUEUE + "?chapter=0").get_data(as_text=True))) == {
        c.id for c in on_draft
    }


def test_a_decision_without_javascript_keeps_the_place_in_the_queue(client, login):
    _consultation, (paragraph, *_) = make_document()
    first, second = make_comment(paragraph), make_comment(paragraph)
    login(make_staff())
    page = client.get(f"{QUEUE}?after={first.id}").get_data(as_text=True)
    assert f'action="/en/moderation/comments/{second.id}/decision?after={first.id}"' in page
    response = client.post(
        decide_url(second, f"?after={first.id}"), data=form_for(client, second, "approve")
    )
    assert response.headers["Location"].endswith(f"/en/moderation/?after={first.id}#queue-start")


def test_a_reply_under_a_comment_no_longer_public_has_no_page_and_is_no_original(client, login):
    consultation, (paragraph, *_) = make_document()
    parent = make_comment(paragraph, status=CommentStatus.WITHDRAWN)
    reply = make_comment(parent=parent, status=CommentStatus.APPROVED)
    repeat = make_comment(paragraph)
    assert client.get(f"/en/c/{consultation.slug}/comments/{reply.id}").status_code == 404
    login(make_staff())
    response = client.post(
        decide_url(repeat),
        data=form_for(client, repeat, "reject", reason="duplicate", duplicate_of=reply.id),
    )
    assert response.status_code == 422


def test_withdrawing_a_reported_comment_closes_its_reports(db):
    from consult.services import participants
    from tests.factories import make_participant

    _consultation, (paragraph, *_) = make_document()
    participant, _token = make_participant()
    comment = reported(paragraph, RejectionReason.SPAM, participant_id=participant.id)
    participants.withdraw(participant, comment.id, now=utcnow())
    _db.session.expire_all()
    assert _db.session.get(Comment, comment.id).open_flag_count == 0
    assert all(flag.resolved_at for flag in _db.session.scalars(select(Flag)))


def test_codes_typed_with_arabic_or_persian_digits_count():
    from consult.forms.auth import ascii_digits

    assert ascii_digits("١٢٣ ۴۵۶") == "123 456"

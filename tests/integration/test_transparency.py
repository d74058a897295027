"""The public moderation page: the published rules and exact moderation figures, never the
text of a rejected comment, at a constant number of queries."""

import html as html_lib
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from consult.extensions import db as _db
from consult.models import (
    Comment,
    CommentStatus,
    Decision,
    Flag,
    ModerationDecision,
    Phase,
    RejectionReason,
    Role,
)
from consult.services.transparency import moderation_figures
from tests.conftest import html
from tests.factories import make_comment, make_document, make_staff

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
INSULT = "Ihr seid alle Vollidioten im Kreishaus"


def page_url(consultation) -> str:
    return f"/en/c/{consultation.slug}/moderation"


def decide(comment, moderator, decision=Decision.APPROVE, *, after, **fields):
    """A decision `after` the comment's submission, as the moderation service records it."""
    record = ModerationDecision(
        comment_id=comment.id,
        moderator_id=moderator.id,
        decision=decision,
        decided_at=comment.created_at + after,
        **fields,
    )
    _db.session.add(record)
    _db.session.flush()
    return record


def reject(comment, moderator, reason, *, after, **fields):
    return decide(comment, moderator, Decision.REJECT, after=after, reason=reason, **fields)


def flag(comment, reason=RejectionReason.INSULT_DISCRIMINATION, resolved=False):
    _db.session.add(
        Flag(
            comment_id=comment.id,
            reason=reason,
            created_at=START + timedelta(days=1),
            resolved_at=START + timedelta(days=2) if resolved else None,
        )
    )
    _db.session.flush()


def submitted(paragraph, hours: int, **fields):
    return make_comment(paragraph, created_at=START + timedelta(hours=hours), **fields)


def figure(page: str, label: str) -> str:
    """The number in the figures table's row headed `label`."""
    match = re.search(
        rf'<th scope="row">(?:<a [^>]*>)?{re.escape(label)}(?:</a>)?</th><td>([^<]*)</td>',
        html_lib.unescape(page),
    )
    assert match, f"no row {label!r}"
    return match.group(1)


@pytest.fixture
def moderator(db):
    return make_staff(role=Role.MODERATOR)


@pytest.fixture
def seeded(moderator):
    """Ten contributions in every state; the first decisions took 1 to 7 hours (median 4)."""
    consultation, (first, second) = make_document(paragraphs=2)
    approved = submitted(first, 0, status=CommentStatus.APPROVED)
    decide(approved, moderator, after=timedelta(hours=1))
    flag(approved)  # reported, still open, still published
    redacted = submitted(first, 1, status=CommentStatus.APPROVED, text="Frau [removed] sagt …")
    decide(redacted, moderator, after=timedelta(hours=3), redacted=True)
    for hours, after in ((2, 2), (3, 5)):
        insult = submitted(second, hours, status=CommentStatus.REJECTED, text=INSULT)
        reject(
            insult, moderator, RejectionReason.INSULT_DISCRIMINATION, after=timedelta(hours=after)
        )
    spam = submitted(second, 4, status=CommentStatus.REJECTED, text="Billige Uhren kaufen!")
    reject(spam, moderator, RejectionReason.SPAM, after=timedelta(hours=4))
    # Published, reported by two readers, then removed.
    removed = submitted(first, 5, status=CommentStatus.REJECTED, text="Herr X wohnt in Y.")
    decide(removed, moderator, after=timedelta(hours=6))
    flag(removed, RejectionReason.PERSONAL_DATA, resolved=True)
    flag(removed, RejectionReason.PERSONAL_DATA, resolved=True)
    reject(
        removed, moderator, RejectionReason.PERSONAL_DATA, after=timedelta(days=2), after_flags=True
    )
    submitted(first, 6)  # waiting
    submitted(first, 7, status=CommentStatus.WITHDRAWN)  # withdrawn before any decision
    submitted(first, 8, parent=approved)  # a reply, waiting
    reply = submitted(first, 9, parent=approved, status=CommentStatus.WITHDRAWN)
    decide(reply, moderator, after=timedelta(hours=7))

    # Another consultation's moderation never counts here.
    _, (elsewhere,) = make_document(paragraphs=1)
    foreign = submitted(elsewhere, 0, status=CommentStatus.REJECTED)
    reject(foreign, moderator, RejectionReason.SPAM, after=timedelta(minutes=5))
    flag(foreign)
    return consultation


# --- the figures -------------------------------------------------------------------------------


def test_figures_are_exact_for_a_mix_of_states(seeded):
    figures = moderation_figures(seeded.id)
    assert figures.received == 10
    assert figures.pending == 2
    assert figures.published == 2
    assert figures.withdrawn == 2
    assert figures.rejected == 4
    assert {entry.reason: entry.count for entry in figures.rejected_by_reason} == {
        RejectionReason.INSULT_DISCRIMINATION: 2,
        RejectionReason.PERSONAL_DATA: 1,
        RejectionReason.SPAM: 1,
        RejectionReason.OFF_TOPIC: 0,
        RejectionReason.DUPLICATE: 0,
        RejectionReason.ILLEGAL: 0,
    }
    assert figures.redacted == 1
    assert figures.removed_after_reports == 1
    assert figures.reports == 3
    # First decisions after 1, 2, 3, 4, 5, 6 and 7 hours; the later removal does not count.
    assert figures.median_time_to_decision == timedelta(hours=4)


@pytest.mark.parametrize(
    ("hours", "median"),
    [((1, 10, 2), timedelta(hours=2)), ((1, 2, 4, 10), timedelta(hours=3))],
    ids=["odd", "even"],
)
def test_median_time_to_the_first_decision(moderator, hours, median):
    consultation, (paragraph,) = make_document(paragraphs=1)
    for index, hour in enumerate(hours):
        comment = submitted(paragraph, index, status=CommentStatus.APPROVED)
        decide(comment, moderator, after=timedelta(hours=hour))
    submitted(paragraph, 20)  # undecided: no time yet
    assert moderation_figures(consultation.id).median_time_to_decision == median


def test_a_consultation_without_comments_has_zero_figures(db):
    consultation, _ = make_document(paragraphs=1)
    figures = moderation_figures(consultation.id)
    assert (figures.received, figures.rejected, figures.reports) == (0, 0, 0)
    assert figures.median_time_to_decision is None
    assert [entry.count for entry in figures.rejected_by_reason] == [0] * len(RejectionReason)


# --- the page ----------------------------------------------------------------------------------


def test_page_shows_the_figures_in_a_table(client, seeded):
    page = html(client.get(page_url(seeded)))
    assert "<caption" in page and '<th scope="col">' in page
    expected = {
        "Received (including comments withdrawn later)": "10",
        "Waiting for a decision": "2",
        "Published now": "2",
        "Rejected": "4",
        "Published with personal data removed": "1",
        "Removed after readers' reports": "1",
        "Withdrawn by their authors": "2",
        "Reports received from readers": "3",
        "Median time from submission to the first decision": "4 hours",
        "Insult or discrimination": "2",
        "Advertising or spam": "1",
        "Personal data of other people": "1",
        "Not about this draft": "0",
        "Duplicate of another comment": "0",
        "Illegal content": "0",
    }
    assert {label: figure(page, label) for label in expected} == expected


def test_page_never_shows_the_text_of_a_comment(client, seeded):
    page = html(client.get(page_url(seeded)))
    for text in (INSULT, "Billige Uhren", "Herr X", "Das sehe ich anders"):
        assert text not in page


def test_page_explains_every_rule_and_what_is_not_removed(client, seeded):
    page = html_lib.unescape(html(client.get(page_url(seeded))))
    for reason in RejectionReason:
        assert f'id="rule-{reason.value}"' in page
        assert str(reason.label) in page
        assert str(reason.explanation) in page
    assert "Criticism of the administration" in page
    assert "Comments in any language" in page
    assert "[removed: personal data]" in page
    assert "through their private link" in page


def test_page_says_whether_a_reported_comment_stays_visible(client, app, seeded, monkeypatch):
    page = html(client.get(page_url(seeded)))
    assert "The comment stays visible until a moderator decides." in page
    assert "Hidden after reports" not in page

    monkeypatch.setitem(app.config, "CONSULT_HIDE_AFTER_FLAGS", 3)
    page = html(client.get(page_url(seeded)))
    assert "unless 3 reports are open: then it is hidden until the decision." in page
    assert figure(page, "Hidden after reports, waiting for a decision") == "0"


def test_page_without_decisions_says_so(client):
    consultation, (paragraph,) = make_document(paragraphs=1)
    submitted(paragraph, 0)
    page = html(client.get(page_url(consultation)))
    assert figure(page, "Median time from submission to the first decision") == ("no decisions yet")


def test_page_is_in_the_readers_language(client, seeded):
    page = html(client.get(f"/de/c/{seeded.slug}/moderation"))
    assert '<html lang="de"' in page


def test_draft_consultation_is_404_for_the_public_and_shown_to_staff(client, login):
    consultation, _ = make_document(paragraphs=1, phase=Phase.DRAFT)
    assert client.get(page_url(consultation)).status_code == 404
    assert client.get("/en/c/no-such-consultation/moderation").status_code == 404
    login(make_staff(role=Role.MODERATOR))
    assert client.get(page_url(consultation)).status_code == 200


def test_document_page_and_footer_link_to_the_page(client, seeded):
    page = html(client.get(f"/en/c/{seeded.slug}/"))
    assert page.count(f'href="{page_url(seeded)}"') == 2  # the facts and the footer
    assert f'href="{page_url(seeded)}"' not in html(client.get("/en/privacy"))


# --- cost --------------------------------------------------------------------------------------

PAGE_BUDGET = 5  # the consultation, comments by status, rejections by reason, totals, times


def add_moderated_comments(paragraph, moderator, total):
    """`total` comments, each rejected with a rotating reason and reported once."""
    rows = [
        {
            "consultation_id": paragraph.consultation_id,
            "section_id": paragraph.section_id,
            "paragraph_id": paragraph.id,
            "text": f"Kommentar {i}",
            "group": "individual",
            "kind": "note",
            "language": "de",
            "status": CommentStatus.REJECTED.value,
            "version": 1,
            "consent_notice_version": "test",
            "created_at": START,
        }
        for i in range(total)
    ]
    ids = _db.session.scalars(insert(Comment).returning(Comment.id), rows).all()
    reasons = list(RejectionReason)
    _db.session.execute(
        insert(ModerationDecision),
        [
            {
                "comment_id": comment_id,
                "moderator_id": moderator.id,
                "decision": Decision.REJECT,
                "reason": reasons[i % len(reasons)],
                "note": "",
                "redacted": False,
                "after_flags": False,
                "decided_at": START + timedelta(minutes=i + 1),
            }
            for i, comment_id in enumerate(ids)
        ],
    )
    _db.session.execute(
        insert(Flag),
        [
            {"comment_id": comment_id, "reason": RejectionReason.SPAM, "created_at": START}
            for comment_id in ids
        ],
    )
    _db.session.flush()
    _db.session.expunge_all()


def test_page_queries_do_not_grow_with_comments(client, count_queries, moderator):
    counts = []
    for total in (3, 30):
        consultation, (paragraph,) = make_document(paragraphs=1)
        slug = consultation.slug
        add_moderated_comments(paragraph, moderator, total)
        with count_queries() as counter:
            response = client.get(f"/en/c/{slug}/moderation")
        assert response.status_code == 200
        assert figure(html(response), "Rejected") == str(total)
        counts.append(counter.count)
    assert counts[0] == counts[1] <= PAGE_BUDGET

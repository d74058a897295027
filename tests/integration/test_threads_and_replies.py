"""What readers see: comments on paragraphs, chapters and the whole draft, replies, proposed
wording as a diff, filters and "show more" — and never anything that is not published."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.models import (
    Comment,
    CommentKind,
    CommentStatus,
    Decision,
    Phase,
    Role,
    StakeholderGroup,
)
from consult.models.types import utcnow
from consult.services import moderation
from tests.factories import (
    make_comment,
    make_document,
    make_member,
    make_organisation,
    make_section,
    make_staff,
)
from tests.integration.test_comments import valid_form

NOT_PUBLIC = [CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.WITHDRAWN]


def approve(comment):
    moderation.decide(
        comment.id, moderator=make_staff(), decision=Decision.APPROVE, reason=None, now=utcnow()
    )


@pytest.mark.parametrize("status", NOT_PUBLIC)
def test_unpublished_texts_appear_on_no_public_page_or_fragment(client, hx, db, status):
    consultation, (paragraph, *_) = make_document()
    section = paragraph.section
    organisation = make_organisation()
    published = make_comment(paragraph, status=CommentStatus.APPROVED)
    make_comment(paragraph, status=status, text="GEHEIM-absatz")
    make_comment(section=section, status=status, text="GEHEIM-kapitel")
    make_comment(consultation=consultation, status=status, text="GEHEIM-entwurf")
    make_comment(parent=published, status=status, text="GEHEIM-antwort")
    make_comment(
        paragraph, status=status, text="GEHEIM-stellungnahme", organisation_id=organisation.id
    )
    slug = consultation.slug
    urls = [
        f"/de/c/{slug}/",
        f"/de/c/{slug}/p/1.1",
        f"/de/c/{slug}/chapter/{section.number}",
        f"/de/c/{slug}/comments",
        f"/de/c/{slug}/organisations",
    ]
    for url in urls:
        for http in (client, hx):
            response = http.get(url)
            assert response.status_code == 200, url
            assert "GEHEIM" not in response.get_data(as_text=True), url


def test_a_chapter_comment_is_stored_counted_and_shown_on_the_chapter(client, db, csrf_token):
    consultation, _ = make_document()
    url = f"/en/c/{consultation.slug}/chapter/1/comment"
    response = client.post(
        url, data=valid_form(csrf_token(url), prefix="chapter-1-", text="Zum ganzen Kapitel")
    )
    assert response.status_code == 303
    comment = db.session.scalars(select(Comment)).one()
    assert comment.section_id is not None and comment.paragraph_id is None
    approve(comment)
    html = client.get(f"/en/c/{consultation.slug}/chapter/1").get_data(as_text=True)
    assert "Zum ganzen Kapitel" in html
    document = client.get(f"/en/c/{consultation.slug}/").get_data(as_text=True)
    assert '1 comment<span class="visually-hidden"> on chapter 1 as a whole' in document
    # Not on the paragraph's thread.
    assert "Zum ganzen Kapitel" not in client.get(f"/en/c/{consultation.slug}/p/1.1").get_data(
        as_text=True
    )


def test_a_comment_on_the_whole_draft(hx, db, csrf_token):
    consultation, _ = make_document()
    url = f"/en/c/{consultation.slug}/comment"
    html = hx.post(
        url, data=valid_form(csrf_token(url), prefix="draft-", text="Zum Entwurf insgesamt")
    ).get_data(as_text=True)
    assert "Thank you" in html
    comment = db.session.scalars(select(Comment)).one()
    assert comment.section_id is None and comment.paragraph_id is None
    approve(comment)
    db.session.refresh(consultation)
    assert consultation.published_comment_count == 1
    thread = hx.get(f"/en/c/{consultation.slug}/comments").get_data(as_text=True)
    assert thread.strip().startswith('<section class="thread" id="thread-draft"')
    assert "Zum Entwurf insgesamt" in thread


def test_proposed_wording_is_stored_and_shown_as_an_accessible_diff(client, db, csrf_token):
    consultation, (paragraph, *_) = make_document()
    paragraph.text = "Freie Träger werden informiert."
    db.session.flush()
    url = f"/en/c/{consultation.slug}/p/1.1/comment"
    form = client.get(url).get_data(as_text=True)
    # The participant edits a copy of the paragraph.
    assert "Freie Träger werden informiert.</textarea>" in form
    response = client.post(
        url,
        data=valid_form(
            csrf_token(url),
            kind="suggestion",
            proposed_text="Freie Träger wirken stimmberechtigt mit.",
        ),
    )
    assert response.status_code == 303
    comment = db.session.scalars(select(Comment)).one()
    assert comment.proposed_text == "Freie Träger wirken stimmberechtigt mit."
    approve(comment)
    html = client.get(f"/en/c/{consultation.slug}/p/1.1").get_data(as_text=True)
    assert re.search(
        r"<del><span class=\"visually-hidden\">\[deleted: </span>werden informiert", html
    )
    assert re.search(
        r"<ins><span class=\"visually-hidden\">\[inserted: </span>wirken stimmberechtigt mit", html
    )
    assert "Struck-through text would be deleted, underlined text would be inserted." in html


def test_unchanged_wording_is_not_stored_and_wording_needs_a_suggestion(client, db, csrf_token):
    consultation, (paragraph, *_) = make_document()
    url = f"/en/c/{consultation.slug}/p/1.1/comment"
    token = csrf_token(url)
    client.post(url, data=valid_form(token, kind="suggestion", proposed_text=paragraph.text))
    assert db.session.scalars(select(Comment)).one().proposed_text is None
    response = client.post(
        url, data=valid_form(token, kind="objection", proposed_text="Etwas ganz anderes")
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "please choose “Suggestion” as the kind of comment" in html
    assert "Etwas ganz anderes" in html


def test_replies_are_moderated_and_shown_under_their_comment(client, hx, db, csrf_token):
    consultation, (paragraph, *_) = make_document()
    parent = make_comment(paragraph, status=CommentStatus.APPROVED, text="Erster Beitrag")
    url = f"/en/c/{consultation.slug}/comments/{parent.id}/reply"
    thread = hx.get(f"/en/c/{consultation.slug}/p/1.1").get_data(as_text=True)
    assert f'href="{url}?level=6"' in thread
    response = client.post(url, data=valid_form(csrf_token(url), prefix=f"reply-{parent.id}-"))
    assert response.status_code == 303
    reply = db.session.scalars(select(Comment).where(Comment.parent_id == parent.id)).one()
    assert reply.status is CommentStatus.PENDING and reply.kind is None
    assert reply.paragraph_id == paragraph.id
    assert reply.text not in client.get(f"/en/c/{consultation.slug}/p/1.1").get_data(as_text=True)
    approve(reply)
    html = client.get(f"/en/c/{consultation.slug}/p/1.1").get_data(as_text=True)
    assert 'class="comment comment--reply"' in html and reply.text in html
    db.session.refresh(paragraph)
    assert paragraph.published_comment_count == 1  # replies do not count as comments


def test_replies_go_one_level_under_published_comments_only(client, db):
    consultation, (paragraph, *_) = make_document()
    pending = make_comment(paragraph)
    published = make_comment(paragraph, status=CommentStatus.APPROVED)
    reply = make_comment(parent=published, status=CommentStatus.APPROVED)
    for target in (pending, reply):
        assert (
            client.get(f"/en/c/{consultation.slug}/comments/{target.id}/reply").status_code == 404
        )
    other, _ = make_document()
    url = f"/en/c/{other.slug}/comments/{published.id}/reply"
    assert client.get(url).status_code == 404


def test_the_administration_and_organisations_reply_marked_as_such(client, db, login, csrf_token):
    consultation, (paragraph, *_) = make_document()
    parent = make_comment(paragraph, status=CommentStatus.APPROVED)
    admin = make_staff(role=Role.ADMIN)
    login(admin)
    url = f"/en/c/{consultation.slug}/comments/{parent.id}/reply"
    form = client.get(url).get_data(as_text=True)
    assert "You reply as the administration" in form and "pseudonym" not in form
    data = {
        "csrf_token": csrf_token(url),
        f"reply-{parent.id}-text": "Wir prüfen das.",
        f"reply-{parent.id}-language": "de",
        f"reply-{parent.id}-consent": "y",
    }
    assert client.post(url, data=data).status_code == 303
    reply = db.session.scalars(select(Comment).where(Comment.parent_id == parent.id)).one()
    assert reply.staff_author_id == admin.id and reply.group is StakeholderGroup.PUBLIC_AUTHORITY
    organisation = make_organisation(name="Flüchtlingsberatung Test e. V.", verified=True)
    make_comment(
        parent=parent, status=CommentStatus.APPROVED, organisation_id=organisation.id, text="Org"
    )
    approve(reply)
    html = client.get(f"/en/c/{consultation.slug}/p/1.1").get_data(as_text=True)
    assert "Reply from the administration" in html
    assert "Reply from the organisation" in html and "Flüchtlingsberatung Test e. V." in html


def test_a_member_writes_for_the_organisation_or_personally(client, db, csrf_token, login):
    consultation, _ = make_document()
    organisation = make_organisation(
        name="Migrationsdienst Test", group=StakeholderGroup.WELFARE_ASSOCIATION, verified=True
    )
    login(make_member(organisation))
    url = f"/en/c/{consultation.slug}/p/1.1/comment"
    form = client.get(url).get_data(as_text=True)
    assert "on behalf of your organisation" in form and "E-mail address" not in form
    token = csrf_token(url)
    statement = valid_form(token, speak_as="organisation", group="", pseudonym="ignoriert")
    assert client.post(url, data=statement).status_code == 303
    personal = valid_form(token, speak_as="personal", group="individual", pseudonym="Sami")
    assert client.post(url, data=personal).status_code == 303
    first, second = db.session.scalars(select(Comment).order_by(Comment.id))
    assert first.organisation_id == organisation.id and first.pseudonym is None
    assert first.group is StakeholderGroup.WELFARE_ASSOCIATION
    assert second.organisation_id is None and second.pseudonym == "Sami"
    assert first.participant_id == second.participant_id is not None
    approve(first)
    html = client.get(url.removesuffix("/comment")).get_data(as_text=True)
    assert "Statement of the organisation" in html and "Verified by the administration" in html


def test_a_personal_comment_from_a_member_still_needs_a_group(client, db, csrf_token, login):
    consultation, _ = make_document()
    login(make_member(make_organisation()))
    url = f"/en/c/{consultation.slug}/p/1.1/comment"
    response = client.post(url, data=valid_form(csrf_token(url), speak_as="personal", group=""))
    assert response.status_code == 422
    assert "Please say in which role you are writing." in response.get_data(as_text=True)


def test_filters_sorting_and_show_more(hx, client, db):
    consultation, (paragraph, *_) = make_document()
    start = utcnow() - timedelta(days=1)
    for i in range(25):
        make_comment(
            paragraph,
            status=CommentStatus.APPROVED,
            text=f"Beitrag-{i:02d}",
            group=StakeholderGroup.INDIVIDUAL if i % 5 else StakeholderGroup.MIGRANT_ORGANISATION,
            kind=CommentKind.QUESTION if i % 2 else CommentKind.OBJECTION,
            published_at=start + timedelta(minutes=i),
        )
    url = f"/en/c/{consultation.slug}/p/1.1"
    html = hx.get(url).get_data(as_text=True)
    assert "Showing 20 of 25 comments" in html and "Beitrag-19" in html
    assert "Beitrag-20" not in html and "shown=40" in html
    html = hx.get(url + "?shown=40").get_data(as_text=True)
    assert "Beitrag-24" in html and "Show more comments" not in html
    html = hx.get(url + "?order=newest").get_data(as_text=True)
    assert html.index("Beitrag-24") < html.index("Beitrag-23") and "Beitrag-04" not in html
    html = client.get(url + "?group=migrant_organisation&kind=objection").get_data(as_text=True)
    assert re.findall(r"Beitrag-\d+", html) == ["Beitrag-00", "Beitrag-10", "Beitrag-20"]
    # Unknown values are ignored, not an error.
    assert hx.get(url + "?group=nonsense&order=sideways&shown=-3").status_code == 200


def test_thread_queries_stay_constant_with_replies_and_organisations(hx, db, count_queries):
    consultation, paragraphs = make_document(paragraphs=2)
    for paragraph, total in ((paragraphs[0], 2), (paragraphs[1], 30)):
        organisation = make_organisation()
        for _i in range(total):
            comment = make_comment(
                paragraph, status=CommentStatus.APPROVED, organisation_id=organisation.id
            )
            make_comment(parent=comment, status=CommentStatus.APPROVED)
    counts = []
    for paragraph in paragraphs:
        db.session.flush()
        db.session.expunge_all()
        with count_queries() as counter:
            assert hx.get(f"/de/c/{consultation.slug}/p/{paragraph.number}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 4


@pytest.mark.parametrize(
    ("phase", "opens", "closes", "says"),
    [
        (Phase.PREVIEW, 3, 30, "comments are not possible yet"),
        (Phase.OPEN, -1, 30, "Comments can be sent until"),
        (Phase.OPEN, 2, 30, "Comments can be sent from"),
        (Phase.OPEN, -30, -1, "The period for comments ended on"),
        (Phase.EVALUATION, -30, -1, "The administration is answering"),
        (Phase.RESULTS, -30, -1, "answers are published"),
    ],
)
def test_every_page_says_which_phase_and_until_when(client, db, phase, opens, closes, says):
    now = utcnow()
    consultation, _ = make_document(
        phase=phase, opens_at=now + timedelta(days=opens), closes_at=now + timedelta(days=closes)
    )
    section = make_section(consultation, number=2)
    for url in (
        f"/en/c/{consultation.slug}/",
        f"/en/c/{consultation.slug}/p/1.1",
        f"/en/c/{consultation.slug}/chapter/{section.number}",
        f"/en/c/{consultation.slug}/p/1.1/comment",
    ):
        assert says in client.get(url).get_data(as_text=True), url


def test_rate_limited_replies_keep_the_text_and_never_fail(app, client, db, csrf_token):
    from consult.extensions import limiter
    from consult.services import participants
    from tests.factories import make_participant

    consultation, (paragraph, *_) = make_document()
    owner, _ = make_participant()
    parent = make_comment(paragraph, status=CommentStatus.APPROVED, participant_id=owner.id)
    url = f"/en/c/{consultation.slug}/comments/{parent.id}/reply"
    token = csrf_token(url)
    app.config["CONSULT_COMMENT_RATE_LIMIT"] = "1 per minute"
    limiter.reset()
    try:
        data = valid_form(token, prefix=f"reply-{parent.id}-", text="Zweite Antwort")
        assert client.post(url, data=data).status_code == 303
        response = client.post(url, data=data)
        assert response.status_code == 429 and "Zweite Antwort" in response.get_data(as_text=True)
        participants.withdraw(owner, parent.id, now=utcnow())
        db.session.commit()
        assert client.post(url, data=data).status_code == 429
        missing = f"/en/c/{consultation.slug}/comments/2147483000/reply"
        assert client.post(missing, data=data).status_code == 429
    finally:
        app.config["CONSULT_COMMENT_RATE_LIMIT"] = "10000 per minute"
        limiter.reset()


def test_inline_headings_continue_the_outline_of_the_document(hx, db):
    consultation, (paragraph, *_) = make_document()
    comment = make_comment(paragraph, status=CommentStatus.APPROVED)
    slug = consultation.slug
    assert "<h4 " in hx.get(f"/en/c/{slug}/p/1.1").get_data(as_text=True)[:200]
    assert "<h3 " in hx.get(f"/en/c/{slug}/chapter/1").get_data(as_text=True)[:200]
    assert "<h2 " in hx.get(f"/en/c/{slug}/comments").get_data(as_text=True)[:200]
    assert "<h3 " in hx.get(f"/en/c/{slug}/chapter/1/comment").get_data(as_text=True)[:300]
    thread = hx.get(f"/en/c/{slug}/p/1.1").get_data(as_text=True)
    assert f"/comments/{comment.id}/reply?level=6" in thread
    reply_form = hx.get(f"/en/c/{slug}/comments/{comment.id}/reply?level=6").get_data(as_text=True)
    assert "<h6 " in reply_form[:300]


def test_organisation_replies_under_a_withdrawn_comment_leave_the_public_list(client, db):
    from consult.services import participants
    from tests.factories import make_participant

    consultation, (paragraph, *_) = make_document()
    owner, _ = make_participant()
    parent = make_comment(paragraph, status=CommentStatus.APPROVED, participant_id=owner.id)
    organisation = make_organisation(name="Antwortende Organisation")
    make_comment(parent=parent, status=CommentStatus.APPROVED, organisation_id=organisation.id)
    url = f"/en/c/{consultation.slug}/organisations"
    assert "Antwortende Organisation" in client.get(url).get_data(as_text=True)
    participants.withdraw(owner, parent.id, now=utcnow())
    db.session.commit()
    assert "Antwortende Organisation" not in client.get(url).get_data(as_text=True)

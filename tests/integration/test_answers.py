"""The answers workspace: one chapter at a time with progress figures, inline answers with and
without HTMX, shared answers, two colleagues answering at once, and where answers show."""

import re

from sqlalchemy import select

from consult.extensions import db as _db
from consult.models import (
    Answer,
    AuditEvent,
    Comment,
    CommentKind,
    CommentStatus,
    Phase,
    Recommendation,
    Role,
    StakeholderGroup,
)
from consult.models.types import utcnow
from consult.services.responses import TEXT_MAX_LENGTH
from tests.conftest import csrf_from, html
from tests.factories import (
    insert_published_comments,
    make_answer,
    make_comment,
    make_consultation,
    make_organisation,
    make_paragraph,
    make_participant,
    make_published,
    make_section,
    make_staff,
)

WORKSPACE_BUDGET = 7


def make_draft(phase=Phase.EVALUATION):
    """A consultation with two chapters: 1 (paragraphs 1.1, 1.2) and 2 (paragraph 2.1)."""
    consultation = make_consultation(phase=phase)
    first = make_section(consultation, number=1)
    second = make_section(consultation, number=2)
    paragraphs = [make_paragraph(first, 1), make_paragraph(first, 2), make_paragraph(second, 1)]
    return consultation, (first, second), paragraphs


def workspace_url(consultation, query=""):
    return f"/en/admin/consultations/{consultation.id}/answers{query}"


def save_url(consultation, comment, query=""):
    return f"/en/admin/consultations/{consultation.id}/answers/{comment.id}{query}"


def shown_ids(page):
    return [
        int(n)
        for n in re.findall(r'<article class="answer-item[^"]*" id="answer-item-(\d+)"', page)
    ]


def answer_data(client, consultation, comment, *, version=0, **fields):
    token = csrf_from(client.get(workspace_url(consultation)).get_data(as_text=True))
    prefix = f"a{comment.id}-"
    data = {"csrf_token": token, prefix + "version": version}
    data.update({prefix + name: value for name, value in fields.items()})
    return data


def reload(model, ident):
    _db.session.expire_all()
    return _db.session.get(model, ident)


# The workspace ------------------------------------------------------------------------------


def test_a_chapter_lists_its_published_comments_in_draft_order_with_everything_to_judge(
    client, admin
):
    consultation, (first, _second), (p11, p12, _p21) = make_draft()
    organisation = make_organisation(name="Caritas Migrationsdienst", verified=True)
    later_on_p11 = make_published(p11, text="Zweiter zu 1.1")
    on_p12 = make_published(p12, text="Zu 1.2", language="ar", group=StakeholderGroup.INDIVIDUAL)
    on_chapter = make_published(section=first, text="Zum Kapitel")
    first_on_p11 = make_published(
        p11,
        text="Bitte ändern",
        kind=CommentKind.SUGGESTION,
        proposed_text="Die Verwaltung setzt die Maßnahme gemeinsam mit den Trägern um.",
        organisation_id=organisation.id,
        group=StakeholderGroup.WELFARE_ASSOCIATION,
        reference="A-001",
        published_at=utcnow().replace(year=2020),
    )
    make_comment(p11, text="Wartet noch")  # pending: not answerable
    make_comment(p11, status=CommentStatus.REJECTED, text="Abgelehnt")
    make_comment(parent=first_on_p11, status=CommentStatus.APPROVED, text="Eine Antwort")

    page = html(client.get(workspace_url(consultation)))

    assert shown_ids(page) == [on_chapter.id, first_on_p11.id, later_on_p11.id, on_p12.id]
    assert "Wartet noch" not in page and "Abgelehnt" not in page and "Eine Antwort" not in page
    item = page[page.index(f'id="answer-item-{first_on_p11.id}"') :]
    item = item[: item.index("</article>")]
    assert "A-001" in item
    assert "Caritas Migrationsdienst" in item and "Verified by the administration" in item
    assert "Welfare association" in item and "Suggestion or proposed change" in item
    assert "<ins>" in item and "gemeinsam mit den Trägern" in item  # the word diff
    assert "<details" in item and "Text of paragraph 1.1" in item
    assert "Not yet answered" in item
    for label in ("Taken into account", "Partly taken into account", "Not taken into account"):
        assert label in item
    assert "Answer of the administration" in item and "Change made in the draft" in item
    individual = page[page.index(f'id="answer-item-{on_p12.id}"') :]
    assert "Individual" in individual[: individual.index("</article>")]
    assert 'lang="ar"' in individual


def test_the_first_chapter_with_unanswered_comments_is_shown_by_default(client, admin):
    consultation, (_first, second), (p11, _p12, p21) = make_draft()
    done = make_published(p11)
    make_answer(done)
    waiting = make_published(p21)

    page = html(client.get(workspace_url(consultation)))
    assert shown_ids(page) == [waiting.id]
    current = f'answers?chapter={second.id}" aria-current="page"'
    assert current in page

    page = html(client.get(workspace_url(consultation, f"?chapter={p11.section_id}")))
    assert shown_ids(page) == [done.id]
    assert "Answered" in page


def test_progress_figures_per_chapter_and_in_total(client, admin):
    consultation, _chapters, (p11, p12, p21) = make_draft()
    make_answer(make_published(p11))
    make_answer(make_published(p12), recommendation=None)  # a draft does not count
    make_published(p12)
    make_answer(make_published(p21))
    make_published(consultation=consultation)

    page = html(client.get(workspace_url(consultation)))
    assert "2 of 5 comments answered" in page
    counts = re.findall(r'class="answer-progress__count">([^<]*)<', page)
    # The whole draft first, then chapter 1 and chapter 2.
    assert [c.strip() for c in counts] == ["0 / 1 answered", "1 / 3 answered", "1 / 1 answered"]
    assert "complete" in page


def test_filters_narrow_a_chapter_and_are_kept_in_the_links(client, admin):
    consultation, (first, _second), (p11, p12, _p21) = make_draft()
    adopted = make_published(p11, group=StakeholderGroup.MIGRANT_ORGANISATION)
    make_answer(adopted, recommendation=Recommendation.ADOPTED)
    noted = make_published(p11)
    make_answer(noted, recommendation=Recommendation.NOTED)
    open_one = make_published(p12, group=StakeholderGroup.MIGRANT_ORGANISATION)
    chapter = f"?chapter={first.id}"

    assert shown_ids(
        html(client.get(workspace_url(consultation, chapter + "&unanswered=yes")))
    ) == [open_one.id]
    assert shown_ids(
        html(client.get(workspace_url(consultation, chapter + "&recommendation=noted")))
    ) == [noted.id]
    assert shown_ids(
        html(client.get(workspace_url(consultation, chapter + "&recommendation=none")))
    ) == [open_one.id]
    page = html(client.get(workspace_url(consultation, chapter + "&group=migrant_organisation")))
    assert shown_ids(page) == [adopted.id, open_one.id]
    # Saving keeps the filters, and so does the chapter navigation.
    assert f"/answers/{adopted.id}?chapter={first.id}&amp;group=migrant_organisation" in page
    assert "answers?chapter=" in page and "group=migrant_organisation" in page


def test_nonsense_filters_are_ignored(client, admin):
    consultation, _chapters, (p11, *_rest) = make_draft()
    comment = make_published(p11)
    response = client.get(
        workspace_url(consultation, "?chapter=99999999999&recommendation=%3Cb%3E&group=x&start=-3")
    )
    assert response.status_code == 200
    assert shown_ids(html(response)) == [comment.id]


def test_a_long_chapter_is_shown_in_pages(client, admin):
    consultation, (first, _second), (p11, *_rest) = make_draft()
    comments = [make_published(p11, text=f"Kommentar {i}") for i in range(55)]
    page = html(client.get(workspace_url(consultation)))
    assert len(shown_ids(page)) == 50
    assert "Show the next comments" in page
    page = html(client.get(workspace_url(consultation, f"?chapter={first.id}&start=50")))
    assert shown_ids(page) == [c.id for c in comments[50:]]


# Who may answer -----------------------------------------------------------------------------


def test_only_the_administration_may_answer(client, login):
    consultation, _chapters, (p11, *_rest) = make_draft()
    comment = make_published(p11)
    url = workspace_url(consultation)

    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]

    login(make_staff(role=Role.MODERATOR))
    assert client.get(url).status_code == 403
    token = csrf_from(client.get("/en/moderation/").get_data(as_text=True))
    response = client.post(
        save_url(consultation, comment),
        data={"csrf_token": token, f"a{comment.id}-version": 0, f"a{comment.id}-text": "x"},
    )
    assert response.status_code == 403
    assert _db.session.scalar(select(Answer)) is None


def test_an_unknown_consultation_is_not_found(client, admin):
    assert client.get("/en/admin/consultations/999999/answers").status_code == 404


# Saving -------------------------------------------------------------------------------------


def test_saving_without_javascript_redirects_back_to_the_item(client, admin):
    consultation, (first, _second), (p11, *_rest) = make_draft()
    comment = make_published(p11)
    response = client.post(
        save_url(consultation, comment, f"?chapter={first.id}"),
        data=answer_data(
            client,
            consultation,
            comment,
            text="  Die Anregung wird aufgenommen.  ",
            recommendation="partly_adopted",
            change_text="Absatz 1.1 nennt die Träger.",
        ),
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/answers?chapter={first.id}#answer-item-{comment.id}"
    )
    answer = reload(Comment, comment.id)
    saved = _db.session.get(Answer, answer.answer_id)
    assert saved.text == "Die Anregung wird aufgenommen."
    assert saved.recommendation is Recommendation.PARTLY_ADOPTED
    assert saved.change_text == "Absatz 1.1 nennt die Träger."
    page = html(client.get(response.headers["Location"]))
    assert "Answer saved." in page
    assert "Answered: Partly taken into account" in page
    assert "1 of 1 comment answered" in page


def test_saving_with_htmx_swaps_the_item_and_the_progress(hx, admin):
    consultation, _chapters, (p11, *_rest) = make_draft()
    comment = make_published(p11)
    make_published(p11)
    response = hx.post(
        save_url(consultation, comment),
        data=answer_data(hx, consultation, comment, text="Wird geprüft.", recommendation="noted"),
    )
    assert response.status_code == 200
    fragment = html(response)
    assert fragment.lstrip().startswith(
        f'<article class="answer-item answer-item--answered" id="answer-item-{comment.id}"'
    )
    assert 'data-announce="Answer saved."' in fragment
    assert "Answered: Noted" in fragment
    assert '<nav id="answer-progress"' in fragment and 'hx-swap-oob="true"' in fragment
    assert "1 of 2 comments answered" in fragment
    assert "<html" not in fragment


def test_a_draft_answer_keeps_the_comment_unanswered(client, admin):
    consultation, _chapters, (p11, *_rest) = make_draft()
    comment = make_published(p11)
    client.post(
        save_url(consultation, comment),
        data=answer_data(client, consultation, comment, text="Erste Gedanken"),
    )
    page = html(client.get(workspace_url(consultation)))
    assert "Draft answer, not yet answered" in page
    assert "0 of 1 comment answered" in page
    assert "Erste Gedanken" in page


def test_too_long_input_is_refused_with_the_text_kept(client, hx, admin):
    consultation, _chapters, (p11, *_rest) = make_draft()
    comment = make_published(p11)
    long_text = "Sehr lang " * (TEXT_MAX_LENGTH // 10 + 1)
    for browser in (client, hx):
        response = browser.post(
            save_url(consultation, comment),
            data=answer_data(
                browser, consultation, comment, text=long_text, recommendation="noted"
            ),
        )
        assert response.status_code == 422
        page = html(response)
        assert f"The answer may have at most {TEXT_MAX_LENGTH} characters." in page
        assert long_text.strip() in page
    assert _db.session.scalar(select(Answer)) is None


def test_an_unknown_recommendation_is_refused(client, admin):
    consultation, _chapters, (p11, *_rest) = make_draft()
    comment = make_published(p11)
    response = client.post(
        save_url(consultation, comment),
        data=answer_data(client, consultation, comment, text="Gut", recommendation="maybe"),
    )
    assert response.status_code == 422
    assert "Gut" in html(response)


def test_a_comment_of_another_consultation_or_unpublished_cannot_be_answered(client, admin):
    consultation, _chapters, (p11, *_rest) = make_draft()
    _other, _other_chapters, (elsewhere, *_more) = make_draft()
    foreign = make_published(elsewhere)
    pending = make_comment(p11)
    reply = make_comment(parent=make_published(p11), status=CommentStatus.APPROVED)
    for comment in (foreign, pending, reply):
        response = client.post(
            save_url(consultation, comment),
            data=answer_data(client, consultation, comment, text="x", recommendation="noted"),
        )
        assert response.status_code == 404
    assert _db.session.scalar(select(Answer)) is None


def test_a_colleagues_answer_saved_meanwhile_is_never_overwritten(client, hx, admin):
    consultation, _chapters, (p11, *_rest) = make_draft()
    comment = make_published(p11)
    answer = make_answer(comment, text="Meine Fassung", version=1)
    # A colleague saves after this form was opened (it still says version 1).
    answer.text, answer.version = "Fassung der Kollegin", 2
    _db.session.flush()

    response = hx.post(
        save_url(consultation, comment),
        data=answer_data(
            hx,
            consultation,
            comment,
            version=1,
            text="Meine neue Fassung",
            recommendation="adopted",
        ),
    )
    assert response.status_code == 409
    fragment = html(response)
    assert "A colleague saved an answer to this comment while you were writing." in fragment
    assert "Fassung der Kollegin" in fragment  # theirs, shown
    assert "Meine neue Fassung" in fragment  # mine, kept in the form
    assert f'name="a{comment.id}-version" type="hidden" value="2"' in fragment
    assert reload(Answer, answer.id).text == "Fassung der Kollegin"

    # Without JavaScript: the whole page, with the same conflict.
    response = client.post(
        save_url(consultation, comment),
        data=answer_data(client, consultation, comment, version=1, text="Meine neue Fassung"),
    )
    assert response.status_code == 409
    assert "Fassung der Kollegin" in html(response) and "Meine neue Fassung" in html(response)

    # Saving again, knowingly, replaces it.
    response = hx.post(
        save_url(consultation, comment),
        data=answer_data(
            hx,
            consultation,
            comment,
            version=2,
            text="Meine neue Fassung",
            recommendation="adopted",
        ),
    )
    assert response.status_code == 200
    assert reload(Answer, answer.id).text == "Meine neue Fassung"


def test_two_colleagues_answering_an_unanswered_comment_at_once(client, admin):
    consultation, _chapters, (p11, *_rest) = make_draft()
    comment = make_published(p11)
    data = answer_data(
        client, consultation, comment, version=0, text="Meine", recommendation="noted"
    )
    make_answer(comment, text="Ihre")  # the colleague was first
    response = client.post(save_url(consultation, comment), data=data)
    assert response.status_code == 409
    assert "Ihre" in html(response)
    assert [a.text for a in _db.session.scalars(select(Answer))] == ["Ihre"]


def test_saving_is_audited_without_the_text(client, admin):
    consultation, _chapters, (p11, *_rest) = make_draft()
    comment = make_published(p11, reference="B-004")
    client.post(
        save_url(consultation, comment),
        data=answer_data(
            client, consultation, comment, text="Geheimer Entwurf", recommendation="not_adopted"
        ),
    )
    event = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "answer.save")).one()
    assert event.details["comments"] == ["B-004"]
    assert event.details["recommendation"] == "not_adopted"
    assert "Geheimer Entwurf" not in str(event.details)


# Shared answers -----------------------------------------------------------------------------


def share(client, consultation, *comments, **fields):
    token = csrf_from(client.get(workspace_url(consultation)).get_data(as_text=True))
    return client.post(
        f"/en/admin/consultations/{consultation.id}/answers/share",
        data={"csrf_token": token, "selected": [str(c.id) for c in comments], **fields},
    )


def test_similar_comments_share_one_answer_that_is_edited_once_for_all(client, hx, admin):
    consultation, _chapters, (p11, p12, _p21) = make_draft()
    first = make_published(p11, reference="A-003")
    second = make_published(p12, reference="A-009")
    third = make_published(p12, reference="B-001")
    make_answer(second, text="Schon beantwortet", recommendation=Recommendation.NOT_ADOPTED)

    response = share(client, consultation, first, second, third)
    assert response.status_code == 303
    holders = {reload(Comment, c.id).answer_id for c in (first, second, third)}
    assert len(holders) == 1
    shared = _db.session.get(Answer, holders.pop())
    assert shared.text == "Schon beantwortet"  # pre-filled from the answered one

    page = html(client.get(workspace_url(consultation)))
    assert "3 comments now share one answer." in page
    item = page[page.index(f'id="answer-item-{first.id}"') :]
    assert "Shared answer with A-009, B-001" in item[: item.index("</article>")]
    assert "3 of 3 comments answered" in page

    # Editing it through one comment changes it for all, and the others are swapped too.
    response = hx.post(
        save_url(consultation, third),
        data=answer_data(
            hx,
            consultation,
            third,
            version=shared.version,
            text="Neue gemeinsame Antwort",
            recommendation="adopted",
        ),
    )
    assert response.status_code == 200
    fragment = html(response)
    assert fragment.count("Neue gemeinsame Antwort") == 3
    assert re.search(rf'id="answer-item-{first.id}"[^>]*hx-swap-oob="true"', fragment)
    event = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "answer.share")).one()
    assert sorted(event.details["comments"]) == ["A-003", "A-009", "B-001"]


def test_answering_separately_gives_one_comment_its_own_copy(client, hx, admin):
    consultation, _chapters, (p11, *_rest) = make_draft()
    first = make_published(p11, reference="A-001")
    second = make_published(p11, reference="A-002")
    shared = make_answer(first, second, text="Gemeinsam")

    token = csrf_from(client.get(workspace_url(consultation)).get_data(as_text=True))
    response = hx.post(
        f"/en/admin/consultations/{consultation.id}/answers/{second.id}/separate",
        data={"csrf_token": token},
    )
    assert response.status_code == 200
    assert "This comment now has an answer of its own." in html(response)
    own = reload(Comment, second.id).answer_id
    assert own != shared.id and reload(Comment, first.id).answer_id == shared.id
    assert _db.session.get(Answer, own).text == "Gemeinsam"

    response = hx.post(
        save_url(consultation, second),
        data=answer_data(
            hx, consultation, second, version=1, text="Nur für A-002", recommendation="noted"
        ),
    )
    assert response.status_code == 200
    assert reload(Answer, shared.id).text == "Gemeinsam"
    assert "Shared answer with" not in html(client.get(workspace_url(consultation)))


def test_sharing_refuses_foreign_unpublished_or_single_comments(client, admin):
    consultation, _chapters, (p11, *_rest) = make_draft()
    _other, _other_chapters, (elsewhere, *_more) = make_draft()
    mine = make_published(p11)
    foreign = make_published(elsewhere)
    pending = make_comment(p11)

    for selection in ((mine, foreign), (mine, pending)):
        response = share(client, consultation, *selection)
        assert response.status_code == 422
        assert "Only published comments of this consultation can share an answer." in html(response)
    response = share(client, consultation, mine)
    assert response.status_code == 422
    assert "Please select at least two comments to answer together." in html(response)
    assert _db.session.scalar(select(Answer)) is None


# Query budget -------------------------------------------------------------------------------


def add_published(paragraph, total):
    """`total` published comments; every second pair shares a complete answer, so both the
    answers and the "shared with" labels are measured."""
    answers = [
        Answer(
            consultation_id=paragraph.consultation_id,
            text=f"Antwort {i}",
            recommendation=Recommendation.NOTED,
            change_text="",
            version=1,
        )
        for i in range(total // 4 + 1)
    ]
    _db.session.add_all(answers)
    _db.session.flush()
    insert_published_comments(
        [paragraph], total, lambda i: {"answer_id": answers[i // 4].id if i % 4 < 2 else None}
    )
    paragraph.published_comment_count += total
    _db.session.flush()


def workspace_queries(client, count_queries, consultation):
    _db.session.flush()
    _db.session.expunge_all()
    with count_queries() as counter:
        response = client.get(workspace_url(consultation))
    assert response.status_code == 200
    return counter.count


def test_the_workspace_costs_the_same_few_queries_for_3_and_300_comments(
    client, admin, count_queries
):
    small, _chapters, (small_paragraph, *_rest) = make_draft()
    large, _chapters, (large_paragraph, *_rest) = make_draft()
    add_published(small_paragraph, 3)
    add_published(large_paragraph, 300)

    small_count = workspace_queries(client, count_queries, small)
    large_count = workspace_queries(client, count_queries, large)
    assert small_count == large_count <= WORKSPACE_BUDGET


# Where answers show -------------------------------------------------------------------------


def test_the_public_thread_shows_answers_only_once_the_results_are_published(client):
    consultation, _chapters, (p11, *_rest) = make_draft()
    comment = make_published(p11, text="Mehr Beratung auf Arabisch")
    make_answer(
        comment,
        text="Die Beratung wird ausgebaut.",
        recommendation=Recommendation.PARTLY_ADOPTED,
        change_text="Absatz 1.1 ergänzt.",
    )
    draft_only = make_published(p11, text="Noch offen")
    make_answer(draft_only, text="Entwurf der Verwaltung", recommendation=None)
    thread = f"/en/c/{consultation.slug}/p/{p11.number}"
    permalink = f"/en/c/{consultation.slug}/comments/{comment.id}"

    for url in (thread, permalink):
        page = html(client.get(url))
        assert "Mehr Beratung auf Arabisch" in page
        assert "Die Beratung wird ausgebaut." not in page
        assert "Answer of the administration" not in page

    consultation.phase = Phase.RESULTS
    _db.session.flush()
    for url in (thread, permalink):
        page = html(client.get(url))
        assert "Answer of the administration" in page
        assert "Die Beratung wird ausgebaut." in page
        assert "Partly taken into account" in page
        assert "Change in the draft:" in page and "Absatz 1.1 ergänzt." in page
    # An incomplete answer stays private.
    assert "Entwurf der Verwaltung" not in html(client.get(thread))


def test_the_thread_with_answers_costs_the_same_queries_for_few_and_many(hx, count_queries):
    consultation, _chapters, (p11, p12, _p21) = make_draft(phase=Phase.RESULTS)
    add_published(p11, 4)
    add_published(p12, 40)
    counts = []
    for paragraph in (p11, p12):
        _db.session.flush()
        _db.session.expunge_all()
        with count_queries() as counter:
            response = hx.get(f"/en/c/{consultation.slug}/p/{paragraph.number}")
        assert response.status_code == 200
        assert "Antwort 0" in html(response)
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 4


def test_the_private_link_page_shows_answers_after_publication(client):
    consultation, _chapters, (p11, *_rest) = make_draft()
    participant, token = make_participant()
    comment = make_published(p11, participant_id=participant.id, text="Mein Einwand")
    make_answer(comment, text="Wir danken für den Hinweis.", recommendation=Recommendation.NOTED)

    page = html(client.get(f"/en/my/{token}"))
    assert "Mein Einwand" in page
    assert "Wir danken für den Hinweis." not in page
    assert "The results are published" not in page

    consultation.phase = Phase.RESULTS
    _db.session.flush()
    page = html(client.get(f"/en/my/{token}"))
    assert "The results are published" in page
    assert "Answer of the administration" in page
    assert "Wir danken für den Hinweis." in page and "Noted" in page


# A conflict on a filtered page, without JavaScript ---------------------------------------


def colleague_completes(answer, text="Fassung der Kollegin"):
    answer.text, answer.recommendation, answer.version = text, Recommendation.NOTED, 2
    _db.session.flush()


def test_a_conflict_without_javascript_shows_the_item_although_the_filters_now_hide_it(
    client, admin
):
    consultation, (first, _second), (p11, *_rest) = make_draft()
    others = [make_published(p11) for _ in range(2)]
    comment = make_published(p11)
    answer = make_answer(comment, text="Mein Entwurf", recommendation=None, version=1)
    query = f"?chapter={first.id}&unanswered=yes&recommendation=none&start=2"
    page = html(client.get(workspace_url(consultation, query)))
    assert shown_ids(page) == [comment.id]
    data = answer_data(client, consultation, comment, version=1, text="Meine neue Fassung")
    colleague_completes(answer)  # now it is neither unanswered nor without a recommendation

    response = client.post(save_url(consultation, comment, query), data=data)

    assert response.status_code == 409
    page = html(response)
    assert comment.id in shown_ids(page)
    assert "A colleague saved an answer to this comment while you were writing." in page
    assert "Fassung der Kollegin" in page and "Meine neue Fassung" in page
    assert {o.id for o in others} <= set(shown_ids(page))  # the chapter, unfiltered


def test_a_conflict_far_down_a_long_chapter_still_shows_the_item(client, admin):
    consultation, _chapters, (p11, *_rest) = make_draft()
    for _ in range(52):
        make_published(p11)
    comment = make_published(p11)
    answer = make_answer(comment, text="Mein Entwurf", recommendation=None, version=1)
    data = answer_data(client, consultation, comment, version=1, text="Meine neue Fassung")
    colleague_completes(answer)

    response = client.post(save_url(consultation, comment), data=data)

    assert response.status_code == 409
    page = html(response)
    assert comment.id in shown_ids(page)
    assert "Fassung der Kollegin" in page and "Meine neue Fassung" in page


# The main points of a chapter ------------------------------------------------------------


def summary_url(consultation, section, query=""):
    return f"/en/admin/consultations/{consultation.id}/answers/chapters/{section.id}/summary{query}"


def summary_data(browser, consultation, section, text):
    page = html(browser.get(workspace_url(consultation, f"?chapter={section.id}")))
    token = re.search(r'name="summary-csrf_token"[^>]*value="([^"]+)"', page).group(1)
    return {"summary-csrf_token": token, "summary-results_summary": text}


def test_the_main_points_of_a_chapter_are_written_without_javascript(client, admin):
    consultation, (first, _second), (p11, *_rest) = make_draft()
    make_published(p11)
    page = html(client.get(workspace_url(consultation, f"?chapter={first.id}")))
    assert "Main points of the comments on this chapter" in page

    response = client.post(
        summary_url(consultation, first, f"?chapter={first.id}&group=individual"),
        data=summary_data(client, consultation, first, "Viele wünschen mehr Beratung."),
    )

    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/answers?chapter={first.id}&group=individual#chapter-summary"
    )
    assert reload(type(first), first.id).results_summary == "Viele wünschen mehr Beratung."
    page = html(client.get(response.headers["Location"]))
    assert "Saved." in page
    assert "Viele wünschen mehr Beratung.</textarea>" in page
    event = _db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "chapter.results_summary")
    ).one()
    assert "Beratung" not in str(event.details)


def test_the_main_points_of_a_chapter_are_written_with_htmx(hx, admin):
    consultation, (first, _second), (p11, *_rest) = make_draft()
    make_published(p11)
    response = hx.post(
        summary_url(consultation, first),
        data=summary_data(hx, consultation, first, "Mehr Beratung."),
    )
    assert response.status_code == 200
    fragment = html(response)
    assert fragment.lstrip().startswith('<section id="chapter-summary"')
    assert 'data-announce="Saved."' in fragment
    assert "Mehr Beratung.</textarea>" in fragment
    assert "<html" not in fragment
    assert reload(type(first), first.id).results_summary == "Mehr Beratung."


def test_too_long_main_points_are_refused_with_the_text_kept(client, hx, admin):
    consultation, (first, _second), (p11, *_rest) = make_draft()
    make_published(p11)
    too_long = "Ergebnis " * 600
    for browser in (client, hx):
        response = browser.post(
            summary_url(consultation, first),
            data=summary_data(browser, consultation, first, too_long),
        )
        assert response.status_code == 422
        page = html(response)
        assert "The main points may have at most 5000 characters." in page
        assert too_long.strip() in page
    assert reload(type(first), first.id).results_summary == ""


def test_the_whole_draft_has_no_main_points_and_foreign_chapters_are_not_found(client, admin):
    consultation, _chapters, _paragraphs = make_draft()
    make_published(consultation=consultation)
    _other, (foreign, _), _ = make_draft()
    page = html(client.get(workspace_url(consultation, "?chapter=0")))
    assert "The whole draft" in page
    assert 'id="chapter-summary"' not in page
    response = client.post(
        summary_url(consultation, foreign),
        data=summary_data(client, _other, foreign, "Fremd"),
    )
    assert response.status_code == 404
    assert reload(type(foreign), foreign.id).results_summary == ""


# Sharing comments that already have answers ----------------------------------------------


def test_sharing_comments_with_different_answers_asks_before_deleting_one(client, admin):
    consultation, _chapters, (p11, p12, _p21) = make_draft()
    first = make_published(p11, reference="A-001")
    second = make_published(p12, reference="A-002")
    make_answer(first, text="Antwort eins", recommendation=Recommendation.ADOPTED)
    make_answer(second, text="Antwort zwei", recommendation=Recommendation.NOT_ADOPTED)

    response = share(client, consultation, first, second)

    assert response.status_code == 422
    page = html(response)
    assert "A-001, A-002 already have different answers." in page
    assert "keeps the answer of A-001 and deletes the others" in page
    assert "Replace their current answers with one shared answer" in page
    for comment in (first, second):  # the selection is kept
        assert f'value="{comment.id}" id="answer-item-{comment.id}-select" data-select checked' in (
            page
        )
    assert {a.text for a in _db.session.scalars(select(Answer))} == {
        "Antwort eins",
        "Antwort zwei",
    }

    response = share(client, consultation, first, second, replace_answers="y")

    assert response.status_code == 303
    assert reload(Comment, first.id).answer_id == reload(Comment, second.id).answer_id
    assert [a.text for a in _db.session.scalars(select(Answer))] == ["Antwort eins"]


# Ids out of range ----------------------------------------------------------------------


def test_an_id_beyond_the_database_range_is_not_found(client, admin):
    consultation, _chapters, (p11, *_rest) = make_draft()
    comment = make_published(p11)
    huge = "99999999999999999999"
    assert client.get(f"/en/admin/consultations/{huge}/answers").status_code == 404
    assert client.get(f"/en/admin/consultations/{huge}/publish-results").status_code == 404
    data = answer_data(client, consultation, comment, text="x")
    response = client.post(f"/en/admin/consultations/{consultation.id}/answers/{huge}", data=data)
    assert response.status_code == 404
    response = client.post(
        f"/en/admin/consultations/{consultation.id}/answers/chapters/{huge}/summary", data=data
    )
    assert response.status_code == 404

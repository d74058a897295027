"""The revised draft (version 2): starting it, the editor (with and without HTMX), the public
Synopse and what the document page shows afterwards."""

import re

import pytest
from sqlalchemy import func, select, update

from consult.extensions import db
from consult.models import (
    AuditEvent,
    CommentKind,
    CommentStatus,
    Consultation,
    Paragraph,
    ParagraphVersion,
    Phase,
    Recommendation,
    Role,
)
from consult.models.types import utcnow
from consult.services import revisions
from consult.text import REDACTION_MARK
from tests.conftest import csrf_from, html
from tests.factories import (
    make_answer,
    make_comment,
    make_consultation,
    make_organisation,
    make_paragraph,
    make_published,
    make_section,
    make_staff,
)
from tests.integration.test_query_budget import fresh_session

CONSULTED = "Zielgruppe sind Neuzugewanderte mit Bleibeperspektive."
REVISED = "Zielgruppe sind alle Zugewanderten im Kreis, unabhängig vom Aufenthaltsstatus."


class World:
    """A closed consultation of two chapters and three paragraphs, with comments on 1.1."""

    def __init__(self, phase=Phase.EVALUATION):
        self.consultation = make_consultation(phase=phase, title="KIM-Konzept")
        self.intro = make_section(self.consultation, number=1, title="Einleitung")
        self.goals = make_section(self.consultation, number=2, title="Ziele")
        self.target = make_paragraph(self.intro, 1, title="Zielgruppe", text=CONSULTED)
        self.steady = make_paragraph(self.intro, 2, title="Anlass", text="Bleibt wie es ist.")
        self.access = make_paragraph(self.goals, 1, title="Zugang", text="Zugang per Zuweisung.")

    @property
    def slug(self):
        return self.consultation.slug

    @property
    def revision_url(self):
        return f"/en/admin/consultations/{self.consultation.id}/revision"

    def paragraph_url(self, paragraph, action=""):
        return f"{self.revision_url}/paragraphs/{paragraph.id}{action}"

    def add_url(self, section):
        return f"{self.revision_url}/chapters/{section.id}/paragraphs"

    def start(self, actor):
        """Revisions start during the evaluation; a world in another phase is put back into
        it for the start, as if the revision had begun before the results were published."""
        phase = self.consultation.phase
        self.consultation.phase = Phase.EVALUATION
        db.session.flush()
        revisions.start_revision(self.consultation, actor=actor, now=utcnow())
        self.consultation.phase = phase
        db.session.flush()

    def revise(self, actor, paragraph, text, title=None):
        revisions.revise_paragraph(
            paragraph, title=title or paragraph.title, text=text, actor=actor, now=utcnow()
        )


def published(paragraph, recommendation=None, change_text="", **overrides):
    comment = make_published(paragraph, **overrides)
    if recommendation is not None:
        make_answer(comment, recommendation=recommendation, change_text=change_text)
    return comment


def events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def fresh_get(client, url):
    """A request in production starts with an empty identity map: collections loaded by an
    earlier request of the test must not stand in for the rows."""
    db.session.flush()
    db.session.expire_all()
    return client.get(url)


def token_for(client, url):
    return csrf_from(html(client.get(url)))


# --- starting --------------------------------------------------------------------------------


def test_starting_the_revision_keeps_the_consulted_wording_once(client, admin):
    world = World()
    token = token_for(client, f"/en/admin/consultations/{world.consultation.id}/")
    start = f"{world.revision_url}/start"

    response = client.post(start, data={"csrf_token": token})

    assert response.status_code == 303
    assert response.headers["Location"].endswith(world.revision_url)
    assert world.consultation.draft_version == 2
    versions = db.session.scalars(select(ParagraphVersion)).all()
    assert {(v.paragraph_id, v.version, v.text) for v in versions} >= {
        (world.target.id, 1, CONSULTED)
    }
    assert len([v for v in versions if v.paragraph_id in (world.target.id, world.steady.id)]) == 2

    # Pressing it again (a second tab, a reload) changes nothing.
    assert client.post(start, data={"csrf_token": token}).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(ParagraphVersion)) == len(versions)
    assert len(events("draft.revision_start")) == 1


def test_starting_twice_returns_false_the_second_time(admin):
    world = World()

    assert revisions.start_revision(world.consultation, actor=admin, now=utcnow()) is True
    assert revisions.start_revision(world.consultation, actor=admin, now=utcnow()) is False
    assert db.session.scalar(select(func.count()).select_from(ParagraphVersion)) == 3
    assert len(events("draft.revision_start")) == 1


def test_a_request_that_lost_the_race_changes_nothing(admin):
    """Two administrators press "Start" at the same moment: the second request loaded the
    consultation while it was still version 1, the first has started the revision since."""
    world = World()
    db.session.execute(
        update(Consultation)
        .where(Consultation.id == world.consultation.id)
        .values(draft_version=2)
        .execution_options(synchronize_session=False)
    )
    for paragraph in (world.target, world.steady, world.access):
        db.session.add(
            ParagraphVersion(
                paragraph_id=paragraph.id, version=1, title=paragraph.title, text=paragraph.text
            )
        )
    db.session.flush()
    assert world.consultation.draft_version == 1  # the stale view of the losing request

    assert revisions.start_revision(world.consultation, actor=admin, now=utcnow()) is False
    assert world.consultation.draft_version == 2
    assert db.session.scalar(select(func.count()).select_from(ParagraphVersion)) == 3
    assert not events("draft.revision_start")


def test_the_revision_waits_until_the_consultation_is_closed(client, admin):
    world = World(phase=Phase.OPEN)
    token = token_for(client, f"/en/admin/consultations/{world.consultation.id}/")
    response = client.post(f"{world.revision_url}/start", data={"csrf_token": token})
    assert response.status_code == 409
    assert "once the consultation is closed" in html(response)
    assert world.consultation.draft_version == 1
    assert "Start the revised version" not in html(client.get(world.revision_url))


def test_editing_before_the_revision_started_changes_nothing(client, admin):
    world = World()
    token = token_for(client, world.revision_url)
    response = client.post(
        world.paragraph_url(world.target),
        data={"csrf_token": token, f"p{world.target.id}-text": REVISED},
    )
    assert response.status_code == 303
    assert world.target.text == CONSULTED
    assert not events("draft.revise")


# --- the editor ------------------------------------------------------------------------------


def test_the_editor_shows_why_to_change_each_paragraph(client, admin):
    world = World()
    organisation = make_organisation(name="Caritas Migrationsdienst")
    published(
        world.target,
        Recommendation.ADOPTED,
        "Zielgruppe auf alle Zugewanderten erweitert.",
        organisation_id=organisation.id,
        kind=CommentKind.SUGGESTION,
        reference="A-001",
        text="Die Zielgruppe ist zu eng.",
    )
    published(world.target, text="Noch ohne Antwort.", reference="B-001")
    make_comment(world.target, status=CommentStatus.PENDING, text="Wartet noch.")
    world.start(admin)

    page = html(client.get(world.revision_url))

    assert "Consulted wording (version 1)" in page
    assert CONSULTED in page
    article = page.split('id="p-1-1"')[1].split("</article>")[0]
    assert "A-001" in article and "Caritas Migrationsdienst" in article
    assert "Suggestion or proposed change" in article
    assert "Taken into account" in article
    assert "Zielgruppe auf alle Zugewanderten erweitert." in article
    assert "B-001" in article and "Not answered yet." in article
    assert "Wartet noch." not in page
    assert f'name="p{world.target.id}-text"' in article


def test_editing_a_paragraph_without_javascript(client, admin):
    world = World()
    comment = published(world.target, Recommendation.ADOPTED)
    world.start(admin)
    token = token_for(client, world.revision_url)

    response = client.post(
        world.paragraph_url(world.target),
        data={
            "csrf_token": token,
            f"p{world.target.id}-title": "Zielgruppe",
            f"p{world.target.id}-text": REVISED + "\r\n",
        },
    )

    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{world.revision_url}#p-1-1")
    assert world.target.text == REVISED
    earlier = db.session.scalars(
        select(ParagraphVersion).where(ParagraphVersion.paragraph_id == world.target.id)
    ).one()
    assert earlier.text == CONSULTED
    assert comment.paragraph_id == world.target.id
    [event] = events("draft.revise")
    assert event.details == {"number": "1.1", "changed": ["text"]}
    assert "Paragraph 1.1 saved." in html(client.get(world.revision_url))


def test_editing_a_paragraph_with_htmx_swaps_it_with_the_diff(client, hx, admin):
    world = World()
    world.start(admin)
    token = token_for(client, world.revision_url)

    response = hx.post(
        world.paragraph_url(world.target),
        data={"csrf_token": token, f"p{world.target.id}-text": REVISED},
    )

    assert response.status_code == 200
    fragment = html(response)
    assert fragment.lstrip().startswith('<article class="revision-paragraph" id="p-1-1"')
    assert 'data-announce="Paragraph 1.1 saved."' in fragment
    assert re.search(r"<del>.*Neuzugewanderte.*</del>", fragment)
    assert re.search(r"<ins>.*Aufenthaltsstatus.*</ins>", fragment)
    assert "Changed in version 2" in fragment
    assert "<html" not in fragment


@pytest.mark.parametrize("use_htmx", [False, True])
def test_an_empty_wording_is_refused_with_the_heading_kept(client, hx, admin, use_htmx):
    world = World()
    world.start(admin)
    token = token_for(client, world.revision_url)
    poster = hx if use_htmx else client

    response = poster.post(
        world.paragraph_url(world.target),
        data={
            "csrf_token": token,
            f"p{world.target.id}-title": "Neue Überschrift",
            f"p{world.target.id}-text": "  ",
        },
    )

    assert response.status_code == 422
    page = html(response)
    assert "Please enter the paragraph" in page
    assert 'value="Neue Überschrift"' in page
    assert world.target.text == CONSULTED
    assert world.target.title == "Zielgruppe"
    assert not events("draft.revise")


def test_adding_a_paragraph_without_javascript(client, admin):
    world = World()
    world.start(admin)
    token = token_for(client, world.revision_url)

    response = client.post(
        world.add_url(world.intro),
        data={
            "csrf_token": token,
            f"new{world.intro.id}-title": "Beteiligung der Träger",
            f"new{world.intro.id}-text": "Freie Träger wirken in der Lenkungsgruppe mit.",
        },
    )

    assert response.status_code == 303
    assert response.headers["Location"].endswith("#p-1-3")
    added = db.session.scalars(select(Paragraph).where(Paragraph.number == "1.3")).one()
    assert added.added_in_version == 2
    assert added.section_id == world.intro.id
    assert events("draft.add_paragraph")[0].details == {"number": "1.3"}


def test_adding_a_paragraph_with_htmx_swaps_the_chapter(client, hx, admin):
    world = World()
    world.start(admin)
    token = token_for(client, world.revision_url)

    response = hx.post(
        world.add_url(world.goals),
        data={"csrf_token": token, f"new{world.goals.id}-text": "Ein neuer Absatz."},
    )

    assert response.status_code == 200
    fragment = html(response)
    assert fragment.lstrip().startswith('<section class="revision-chapter" id="chapter-2"')
    assert 'id="p-2-2"' in fragment
    assert "New in version 2" in fragment
    assert "Paragraph 2.2 added to chapter 2." in fragment

    empty = hx.post(world.add_url(world.goals), data={"csrf_token": token})
    assert empty.status_code == 422
    assert "Please enter the paragraph" in html(empty)


@pytest.mark.parametrize("use_htmx", [False, True])
def test_dropping_and_restoring_a_paragraph(client, hx, admin, use_htmx):
    world = World()
    comment = published(world.steady, Recommendation.ADOPTED)
    world.start(admin)
    token = token_for(client, world.revision_url)
    poster = hx if use_htmx else client

    dropped = poster.post(world.paragraph_url(world.steady, "/drop"), data={"csrf_token": token})

    assert world.steady.removed_in_version == 2
    assert comment.paragraph_id == world.steady.id
    if use_htmx:
        assert dropped.status_code == 200
        assert "Dropped in version 2" in html(dropped)
        assert "Undo the drop" in html(dropped)
    else:
        assert dropped.status_code == 303
        assert dropped.headers["Location"].endswith("#p-1-2")
    # Readers keep seeing the consulted draft until the results publish the revised one.
    public = html(fresh_get(client, f"/en/c/{world.slug}/"))
    assert "Bleibt wie es ist." in public

    restored = poster.post(
        world.paragraph_url(world.steady, "/restore"), data={"csrf_token": token}
    )
    assert restored.status_code == (200 if use_htmx else 303)
    assert world.steady.removed_in_version is None
    assert "Bleibt wie es ist." in html(fresh_get(client, f"/en/c/{world.slug}/"))
    assert [e.action for e in events("draft.drop_paragraph") + events("draft.restore_paragraph")]


def test_a_paragraph_of_another_consultation_is_404(client, admin):
    world = World()
    other = World()
    world.start(admin)
    token = token_for(client, world.revision_url)
    response = client.post(
        world.paragraph_url(other.target), data={"csrf_token": token, "text": "x"}
    )
    assert response.status_code == 404


def test_the_editor_is_for_administrators_only(client, login):
    world = World()
    assert "/en/staff/login" in client.get(world.revision_url).headers["Location"]
    login(make_staff(role=Role.MODERATOR))
    assert client.get(world.revision_url).status_code == 403
    assert client.post(world.paragraph_url(world.target, "/drop")).status_code in (400, 403)
    assert world.target.removed_in_version is None


def test_editor_queries_do_not_grow_with_comments(client, admin, count_queries):
    def measured(world):
        fresh_session()
        with count_queries() as counter:
            assert client.get(world.revision_url).status_code == 200
        return counter.count

    few, many = World(), World()
    for world, count in ((few, 3), (many, 60)):
        organisation = make_organisation()
        for i in range(count):
            published(
                world.target if i % 2 else world.access,
                Recommendation.ADOPTED,
                "Geändert.",
                organisation_id=organisation.id if i % 3 else None,
            )
        world.start(make_staff(role=Role.ADMIN))
    assert measured(few) == measured(many) <= 7


def test_the_editor_marks_a_draft_answer_as_a_draft(client, admin):
    world = World()
    draft = published(world.target, text="Mit Entwurfsantwort.", reference="B-001")
    make_answer(
        draft, text="", recommendation=Recommendation.ADOPTED, change_text="Entwurfsänderung."
    )
    world.start(admin)

    article = html(client.get(world.revision_url)).split('id="p-1-1"')[1].split("</article>")[0]

    assert "Mit Entwurfsantwort." in article
    assert "Draft answer, not yet answered" in article
    assert "Taken into account" not in article
    assert "Entwurfsänderung." not in article


# --- the Synopse -----------------------------------------------------------------------------


def revised_world(admin, phase=Phase.RESULTS):
    world = World(phase=phase)
    organisation = make_organisation(name="Flüchtlingsberatung Siegen e. V.")
    world.adopted = published(
        world.target,
        Recommendation.ADOPTED,
        "Zielgruppe erweitert.",
        organisation_id=organisation.id,
        reference="A-001",
        kind=CommentKind.OBJECTION,
        text="Die Zielgruppe schließt Geduldete aus.",
    )
    world.partly = published(
        world.target,
        Recommendation.PARTLY_ADOPTED,
        "Aufenthaltsstatus nicht mehr maßgeblich.",
        pseudonym="Sonnenblume",
        reference="B-001",
        kind=CommentKind.SUGGESTION,
        language="ar",
        text=f"رأيي {REDACTION_MARK} هنا",
    )
    world.refused = published(
        world.target, Recommendation.NOT_ADOPTED, reference="B-002", text="Abgelehnter Vorschlag."
    )
    withdrawn = make_comment(
        world.target, status=CommentStatus.WITHDRAWN, text="Zurückgezogener Text."
    )
    make_answer(withdrawn, recommendation=Recommendation.ADOPTED)
    rejected = make_comment(world.target, status=CommentStatus.REJECTED, text="Abgewiesener Text.")
    make_answer(rejected, recommendation=Recommendation.ADOPTED)
    published(world.access, Recommendation.ADOPTED, "Zuweisung entfällt.", text="Weg damit.")
    world.start(admin)
    world.revise(admin, world.target, REVISED)
    revisions.drop_paragraph(world.access, actor=admin, now=utcnow())
    world.added = revisions.add_paragraph(
        world.goals,
        title="Offener Zugang",
        text="Alle Stellen vermitteln.",
        actor=admin,
        now=utcnow(),
    )
    return world


def synopsis_url(world, lang="en"):
    return f"/{lang}/c/{world.slug}/synopsis"


def test_the_synopsis_shows_both_versions_and_why_they_differ(client, admin):
    world = revised_world(admin)
    with client.session_transaction() as session:
        session.clear()  # signed out: what any reader sees

    response = client.get(synopsis_url(world))

    assert response.status_code == 200
    page = html(response)
    assert "<table" in page and "<caption>" in page
    assert '<th scope="col">Version 1 (consulted draft)</th>' in page
    assert '<th scope="col">Version 2 (revised)</th>' in page
    entry = page.split('id="synopsis-p-1-1"')[1].split("</article>")[0]
    assert CONSULTED in entry and REVISED in entry
    assert re.search(r"<del>.*Neuzugewanderte.*</del>", entry)
    assert re.search(r"<ins>.*Aufenthaltsstatus.*</ins>", entry)
    assert 'lang="de"' in entry
    # The comments that led to the change, never a pseudonym, redactions shown as such.
    assert "Comments that led to this change" in entry
    assert "A-001" in entry and "Flüchtlingsberatung Siegen e. V." in entry
    assert "Objection or concern" in entry and "Zielgruppe erweitert." in entry
    assert "B-001" in entry and "Individual" in entry
    assert "Sonnenblume" not in page
    assert "[removed: personal data]" in entry
    assert 'lang="ar"' in entry
    assert "Abgelehnter Vorschlag." not in page
    assert "Zurückgezogener Text." not in page and "Abgewiesener Text." not in page
    assert f'href="/en/c/{world.slug}/p/1.1"' in entry
    # Dropped, new and unchanged paragraphs.
    dropped = page.split('id="synopsis-p-2-1"')[1].split("</article>")[0]
    assert "Dropped in version 2" in dropped and "Zuweisung entfällt." in dropped
    added = page.split('id="synopsis-p-2-2"')[1].split("</article>")[0]
    assert "New in version 2" in added and "Alle Stellen vermitteln." in added
    assert "(not in the consulted draft)" in added
    assert 'id="synopsis-p-1-2"' not in page
    assert "1 unchanged paragraph" in page and "Anlass" in page


def test_the_synopsis_leaves_out_comments_with_a_draft_answer(client, admin):
    world = revised_world(admin)
    no_reply = published(world.target, text="Nur eine Empfehlung.", reference="B-003")
    make_answer(
        no_reply, text="", recommendation=Recommendation.ADOPTED, change_text="Entwurfsänderung."
    )
    no_vote = published(world.target, text="Nur eine Antwort.", reference="B-004")
    make_answer(no_vote, text="Wir prüfen das.", recommendation=None)

    entry = html(client.get(synopsis_url(world))).split('id="synopsis-p-1-1"')[1]
    entry = entry.split("</article>")[0]

    assert "A-001" in entry and "B-001" in entry
    for draft in ("B-003", "Nur eine Empfehlung.", "Entwurfsänderung.", "B-004"):
        assert draft not in entry


def test_a_paragraph_added_and_dropped_again_is_not_in_the_synopsis(client, admin):
    world = revised_world(admin)
    added = revisions.paragraph_in(world.consultation.id, world.added.id)
    revisions.drop_paragraph(added, actor=admin, now=utcnow())
    assert 'id="synopsis-p-2-2"' not in html(client.get(synopsis_url(world)))


def test_who_sees_the_synopsis_when(client, login):
    admin = make_staff(role=Role.ADMIN)
    evaluating = revised_world(admin, phase=Phase.EVALUATION)
    published_world = revised_world(admin, phase=Phase.RESULTS)
    unrevised = World(phase=Phase.RESULTS)

    assert client.get(synopsis_url(evaluating)).status_code == 404
    assert client.get(synopsis_url(published_world)).status_code == 200
    assert client.get(synopsis_url(unrevised)).status_code == 404
    assert client.get("/en/c/unknown/synopsis").status_code == 404

    login(make_staff(role=Role.MODERATOR))
    assert client.get(synopsis_url(evaluating)).status_code == 200
    assert client.get(synopsis_url(unrevised)).status_code == 404


def test_the_document_shows_the_revised_wording_and_links_the_synopsis(client, admin):
    world = revised_world(admin)
    page = html(client.get(f"/en/c/{world.slug}/"))
    assert REVISED in page and CONSULTED not in page
    assert "Zugang per Zuweisung." not in page
    assert "Alle Stellen vermitteln." in page
    assert f'href="/en/c/{world.slug}/synopsis"' in page

    evaluating = revised_world(admin, phase=Phase.EVALUATION)
    page = html(client.get(f"/en/c/{evaluating.slug}/"))
    assert "This page shows the draft as it was consulted" in page
    assert CONSULTED in page and REVISED not in page
    assert "Zugang per Zuweisung." in page and "Alle Stellen vermitteln." not in page
    assert f'href="/en/c/{evaluating.slug}/synopsis"' not in page


def test_synopsis_queries_do_not_grow_with_comments(client, admin, count_queries):
    def measured(world):
        fresh_session()
        with count_queries() as counter:
            assert client.get(synopsis_url(world)).status_code == 200
        return counter.count

    few, many = World(phase=Phase.RESULTS), World(phase=Phase.RESULTS)
    for world, count in ((few, 3), (many, 100)):
        organisation = make_organisation()
        for i in range(count):
            published(
                world.target,
                Recommendation.ADOPTED if i % 2 else Recommendation.PARTLY_ADOPTED,
                "Geändert.",
                organisation_id=organisation.id if i % 3 else None,
            )
        world.start(admin)
        world.revise(admin, world.target, REVISED)
    assert measured(few) == measured(many) <= 6


def test_a_dropped_paragraph_is_restored_before_it_is_edited(client, admin):
    world = World()
    world.start(admin)
    revisions.drop_paragraph(world.target, actor=admin, now=utcnow())
    token = token_for(client, world.revision_url)
    response = client.post(
        world.paragraph_url(world.target),
        data={"csrf_token": token, f"p{world.target.id}-text": REVISED},
    )
    assert response.status_code == 409
    assert "Restore it before editing it." in html(response)
    assert world.target.text == CONSULTED


def test_htmx_edits_before_the_revision_started_go_to_the_page(client, hx, admin):
    world = World()
    token = token_for(client, world.revision_url)
    response = hx.post(world.paragraph_url(world.target, "/drop"), data={"csrf_token": token})
    assert response.status_code == 409
    assert response.headers["HX-Redirect"] == world.revision_url
    assert world.target.removed_in_version is None


def test_a_proposal_is_compared_with_the_wording_it_was_written_for(client, admin):
    world = World(phase=Phase.RESULTS)
    published(
        world.target,
        kind=CommentKind.SUGGESTION,
        text="Bitte weiter fassen.",
        proposed_text="Zielgruppe sind alle Neuzugewanderten.",
    )
    world.start(admin)
    world.revise(admin, world.target, REVISED)
    thread = html(fresh_get(client, f"/en/c/{world.slug}/p/1.1"))
    diff = thread[thread.index('class="proposal"') :]
    # Against the consulted text "Bleibeperspektive" goes; against the revised text the diff
    # would strike "Aufenthaltsstatus" instead.
    assert "Bleibeperspektive" in diff and "Aufenthaltsstatus" not in diff


def test_a_revision_cannot_start_once_the_results_are_public(admin):
    world = World(phase=Phase.RESULTS)
    # Every half-done edit would be public at once: the revision belongs to the evaluation.
    with pytest.raises(revisions.RevisionNotAllowed):
        revisions.start_revision(world.consultation, actor=admin, now=utcnow())
    assert world.consultation.draft_version == 1


def test_nothing_of_version_2_is_public_before_the_results(client, admin):
    world = revised_world(admin, phase=Phase.EVALUATION)
    world.revise(admin, world.target, REVISED, title="NEUER TITEL")
    added_number = world.added.number
    organisation_page = html(fresh_get(client, f"/en/c/{world.slug}/organisations"))
    assert "Flüchtlingsberatung Siegen" in organisation_page
    # The paragraph the revision added cannot be found by its number yet.
    assert fresh_get(client, f"/en/c/{world.slug}/p/{added_number}").status_code == 404
    assert client.get(f"/en/c/{world.slug}/p/{added_number}/comment").status_code == 404
    for url in (
        f"/en/c/{world.slug}/p/1.1",
        f"/en/c/{world.slug}/p/1.1/comment",
        f"/en/c/{world.slug}/organisations",
    ):
        page = html(fresh_get(client, url))
        assert "NEUER TITEL" not in page and REVISED not in page, url
    db.session.get(Consultation, world.consultation.id).phase = Phase.RESULTS
    db.session.flush()
    assert fresh_get(client, f"/en/c/{world.slug}/p/{added_number}").status_code == 200
    assert "NEUER TITEL" in html(fresh_get(client, f"/en/c/{world.slug}/p/1.1"))

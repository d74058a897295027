"""The administration's consultations over HTTP: the list, creating and editing (every
validation error, slugs, the county's time zone), the dashboard and the phases."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import AuditEvent, Comment, CommentStatus, Consultation, Phase, Role
from consult.models.types import utcnow
from consult.services.consultations import slug_from_title
from tests.conftest import csrf_from, html
from tests.factories import (
    make_answer,
    make_comment,
    make_consultation,
    make_document,
    make_organisation,
    make_section,
    make_staff,
)
from tests.integration.test_query_budget import fresh_session

LIST = "/en/admin/consultations/"
NEW = "/en/admin/consultations/new"


def consultation_form(token, **overrides):
    data = {
        "csrf_token": token,
        "title": "Integrationskonzept Südkreis – Fortschreibung",
        "slug": "",
        "summary": "Ein Entwurf\r\nzur Beteiligung.",
        "organiser": "Kreis Siegen-Wittgenstein, Kommunales Integrationszentrum",
        "contact": "ki@kreis.example",
        "opens_at": "2027-01-10T09:00",
        "closes_at": "2027-02-15T18:00",
        "easy_read": "Der Kreis schreibt ein Konzept.\n\nSie können mitreden.",
        "procedure_note": "Zwei Bürgerversammlungen in Siegen und Bad Berleburg.",
        "is_sample": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def consultation_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Consultation))


def events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def show_url(consultation):
    return f"/en/admin/consultations/{consultation.id}/"


def edit_url(consultation):
    return f"/en/admin/consultations/{consultation.id}/edit"


def phase_url(consultation):
    return f"/en/admin/consultations/{consultation.id}/phase"


# --- access ----------------------------------------------------------------------------------


def test_strangers_are_sent_to_the_staff_sign_in(client):
    consultation = make_consultation()
    for url in (LIST, NEW, show_url(consultation), edit_url(consultation)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/en/staff/login" in response.headers["Location"]


def test_moderators_are_forbidden(client, login):
    consultation = make_consultation()
    login(make_staff(role=Role.MODERATOR))
    for url in (LIST, NEW, show_url(consultation), edit_url(consultation)):
        assert client.get(url).status_code == 403
    # Without even a CSRF token, the refusal comes first and changes nothing.
    response = client.post(phase_url(consultation), data={"target": "evaluation"})
    assert response.status_code in (400, 403)
    assert consultation.phase is Phase.OPEN


def test_unknown_consultation_is_404(client, admin):
    assert client.get("/en/admin/consultations/999999/").status_code == 404
    assert client.get("/en/admin/consultations/99999999999/").status_code == 404


HUGE = 2**64  # beyond what SQLite's integers hold: the URL must not reach the database


@pytest.mark.parametrize(
    "path",
    [
        f"/{HUGE}/",
        f"/{HUGE}/edit",
        f"/{HUGE}/revision",
        f"/1/revision/paragraphs/{HUGE}",
        f"/{HUGE}/exports",
        f"/{HUGE}/exports/abwaegungstabelle.csv",
        f"/{HUGE}/import",
        f"/{HUGE}/structure",
        f"/1/structure/chapters/{HUGE}",
        f"/1/structure/paragraphs/{HUGE}/edit",
    ],
)
def test_a_huge_id_is_refused_never_a_server_error(client, admin, csrf_token, path):
    consultation = make_consultation(phase=Phase.EVALUATION)
    token = csrf_token(show_url(consultation))
    url = LIST.rstrip("/") + path.replace("/1/", f"/{consultation.id}/", 1)

    # 405 where a rule of another method has a text part in that place.
    assert client.get(url).status_code in (404, 405)
    assert client.post(url, data={"csrf_token": token}).status_code in (404, 405)


# --- the list --------------------------------------------------------------------------------


def test_list_shows_every_consultation_with_its_figures(client, admin):
    consultation, paragraphs = make_document(paragraphs=3, title="Konzept mit Zahlen")
    make_comment(paragraphs[0], status=CommentStatus.APPROVED)
    make_comment(paragraphs[1], status=CommentStatus.APPROVED)
    make_comment(paragraphs[1], status=CommentStatus.PENDING)
    make_comment(paragraphs[1], status=CommentStatus.REJECTED)
    make_consultation(title="Noch ein Entwurf", phase=Phase.DRAFT)

    page = html(client.get(LIST))

    assert "Noch ein Entwurf" in page
    row = page.split(f'id="consultation-{consultation.id}"')[1].split("</tr>")[0]
    cells = [cell.strip() for cell in row.split("<td>")[1:]]
    assert "Open for comments" in cells[0]
    assert cells[2].startswith("3")
    assert cells[3].startswith("2")
    assert f"consultation={consultation.id}" in cells[4] and ">1<" in cells[4]
    assert 'href="/en/admin/consultations/new"' in page


def test_list_queries_do_not_grow_with_consultations(client, admin, count_queries):
    def measured():
        fresh_session()
        with count_queries() as counter:
            assert client.get(LIST).status_code == 200
        return counter.count

    make_document(paragraphs=2)
    few = measured()
    for _ in range(5):
        _, paragraphs = make_document(paragraphs=3)
        make_comment(paragraphs[0], status=CommentStatus.APPROVED)
    assert measured() == few <= 3


# --- creating --------------------------------------------------------------------------------


def test_creating_a_consultation_starts_a_draft(client, admin, csrf_token):
    token = csrf_token(NEW)
    response = client.post(LIST, data=consultation_form(token))

    assert response.status_code == 303
    consultation = db.session.scalars(
        select(Consultation).where(
            Consultation.slug == "integrationskonzept-suedkreis-fortschreibung"
        )
    ).one()
    assert response.headers["Location"].endswith(show_url(consultation))
    assert consultation.phase is Phase.DRAFT
    assert consultation.summary == "Ein Entwurf\nzur Beteiligung."
    assert consultation.easy_read.startswith("Der Kreis schreibt")
    assert consultation.procedure_note.startswith("Zwei Bürgerversammlungen")
    assert consultation.is_sample
    [event] = events("consultation.create")
    assert event.subject_id == consultation.id
    assert event.actor_id == admin.id


def test_a_time_typed_in_winter_is_berlin_time(client, admin, csrf_token):
    token = csrf_token(NEW)
    client.post(
        LIST,
        data=consultation_form(
            token, slug="winter", opens_at="2027-01-10T18:00", closes_at="2027-07-01T18:00"
        ),
    )
    consultation = db.session.scalars(
        select(Consultation).where(Consultation.slug == "winter")
    ).one()
    # 18:00 in Berlin is 17:00 UTC in winter (CET) and 16:00 UTC in summer (CEST).
    assert consultation.opens_at == datetime(2027, 1, 10, 17, 0, tzinfo=UTC)
    assert consultation.closes_at == datetime(2027, 7, 1, 16, 0, tzinfo=UTC)
    # The edit form shows the county's wall clock again.
    page = html(client.get(edit_url(consultation)))
    assert 'value="2027-01-10T18:00"' in page
    assert 'value="2027-07-01T18:00"' in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "Please enter a title."),
        ({"title": "x" * 301}, "title", "at most 300 characters"),
        ({"slug": "Große Pläne"}, "slug", "lowercase letters"),
        ({"slug": "-start"}, "slug", "lowercase letters"),
        ({"slug": "x" * 81}, "slug", "at most 80 characters"),
        ({"opens_at": "10.01.2027 9 Uhr"}, "opens_at", "Please enter a date and time"),
        # Year 1 cannot even be moved to UTC; nobody consults in the year 3000 either.
        ({"opens_at": "0001-01-01T00:10"}, "opens_at", "a year between 2000 and 2999"),
        ({"closes_at": "3000-01-01T00:00"}, "closes_at", "a year between 2000 and 2999"),
        ({"closes_at": "2027-01-10T08:00"}, "closes_at", "after its start"),
        ({"closes_at": "2027-01-10T09:00"}, "closes_at", "after its start"),
        ({"summary": "x" * 20001}, "summary", "at most 20000 characters"),
        ({"organiser": "x" * 201}, "organiser", "at most 200 characters"),
    ],
)
def test_invalid_input_is_refused_with_everything_kept(
    client, admin, csrf_token, overrides, field, message
):
    token = csrf_token(NEW)
    before = consultation_count()
    data = consultation_form(token, **overrides)

    response = client.post(LIST, data=data)

    assert response.status_code == 422
    page = html(response)
    assert message in page
    assert f'href="#{field}"' in page  # the error summary leads to the field
    assert 'aria-invalid="true"' in page
    assert "Zwei Bürgerversammlungen in Siegen und Bad Berleburg." in page
    assert "ki@kreis.example" in page
    if field in ("opens_at", "closes_at"):
        assert f'value="{data[field]}"' in page
    assert consultation_count() == before
    assert not events("consultation.create")


def test_a_taken_slug_is_refused(client, admin, csrf_token):
    make_consultation(slug="kim-2026")
    token = csrf_token(NEW)
    before = consultation_count()

    response = client.post(LIST, data=consultation_form(token, slug="kim-2026"))

    assert response.status_code == 422
    assert "Another consultation has this web address already" in html(response)
    assert 'value="kim-2026"' in html(response)
    assert consultation_count() == before


def test_a_slug_derived_from_the_title_is_made_unique(client, admin, csrf_token):
    make_consultation(slug="konzept-fuer-oelde", title="Konzept für Oelde")
    token = csrf_token(NEW)

    response = client.post(LIST, data=consultation_form(token, title="Konzept für Ölde"))

    assert response.status_code == 303
    assert db.session.scalar(
        select(func.count()).where(Consultation.slug == "konzept-fuer-oelde-2")
    )


def test_slug_from_title_transliterates_and_falls_back():
    assert (
        slug_from_title("Größe & Maß: Übergänge 2026–2028") == "groesse-mass-uebergaenge-2026-2028"
    )
    assert slug_from_title("  Café  Résumé ") == "cafe-resume"
    assert slug_from_title("مشاورة") == "consultation"


# --- editing ---------------------------------------------------------------------------------


def test_editing_records_the_changed_field_names_only(client, admin, csrf_token):
    consultation = make_consultation(
        slug="alt", title="Alter Titel", phase=Phase.DRAFT, opens_at=None, closes_at=None
    )
    token = csrf_token(edit_url(consultation))

    response = client.post(
        edit_url(consultation),
        data=consultation_form(
            token, title="Neuer Titel", slug="alt", summary=consultation.summary, is_sample=None
        ),
    )

    assert response.status_code == 303
    assert consultation.title == "Neuer Titel"
    assert consultation.slug == "alt"
    [event] = events("consultation.update")
    assert set(event.details["changed"]) == {
        "title",
        "organiser",
        "contact",
        "opens_at",
        "closes_at",
        "easy_read",
        "procedure_note",
    }
    assert "Neuer Titel" not in str(event.details)


def test_editing_with_errors_changes_nothing(client, admin, csrf_token):
    make_consultation(slug="vergeben")
    consultation = make_consultation(slug="meins", title="Mein Titel")
    token = csrf_token(edit_url(consultation))

    response = client.post(
        edit_url(consultation),
        data=consultation_form(token, title="Ganz neu", slug="vergeben"),
    )

    assert response.status_code == 422
    assert 'value="Ganz neu"' in html(response)
    db.session.refresh(consultation)
    assert (consultation.title, consultation.slug) == ("Mein Titel", "meins")
    assert not events("consultation.update")


def test_emptying_the_slug_derives_it_from_the_title(client, admin, csrf_token):
    consultation = make_consultation(slug="alt-2", title="Alt")
    token = csrf_token(edit_url(consultation))
    client.post(edit_url(consultation), data=consultation_form(token, title="Neuer Name", slug=""))
    assert consultation.slug == "neuer-name"


# --- the dashboard ---------------------------------------------------------------------------


def test_dashboard_links_to_every_part_of_the_work(client, admin):
    consultation, _ = make_document(paragraphs=2)
    page = html(client.get(show_url(consultation)))
    for link in (
        f"/en/admin/consultations/{consultation.id}/import",
        f"/en/admin/consultations/{consultation.id}/structure",
        f"/en/c/{consultation.slug}/",
        f"/en/moderation/?consultation={consultation.id}",
        f"/en/admin/consultations/{consultation.id}/answers",
        f"/en/admin/consultations/{consultation.id}/exports",
        f"/en/admin/consultations/{consultation.id}/report.pdf",
        f"/en/admin/consultations/{consultation.id}/report.docx",
        f"/en/c/{consultation.slug}/results",
    ):
        assert f'href="{link}"' in page, link
    assert "Close and start the evaluation" in page


def test_dashboard_names_the_next_step(client, admin):
    empty = make_consultation(phase=Phase.DRAFT)
    assert "Import the draft" in html(client.get(show_url(empty)))
    consultation, paragraphs = make_document(paragraphs=1, phase=Phase.EVALUATION)
    comment = make_comment(paragraphs[0], status=CommentStatus.APPROVED)
    page = html(client.get(show_url(consultation)))
    assert "1 published comment has no complete answer yet." in page
    assert "Answer the comments" in page
    make_answer(comment)
    assert "Publish the results" in html(client.get(show_url(consultation)))


def test_dashboard_queries_do_not_grow_with_comments(client, admin, count_queries):
    def measured(consultation):
        fresh_session()
        with count_queries() as counter:
            assert client.get(show_url(consultation)).status_code == 200
        return counter.count

    small, small_paragraphs = make_document(paragraphs=2, phase=Phase.EVALUATION)
    large, large_paragraphs = make_document(paragraphs=2, phase=Phase.EVALUATION)
    make_comment(small_paragraphs[0], status=CommentStatus.APPROVED)
    for i in range(30):
        make_comment(large_paragraphs[i % 2], status=CommentStatus.APPROVED)
    assert measured(small) == measured(large) <= 4


# --- phases ----------------------------------------------------------------------------------


def change_phase(client, consultation, target, **extra):
    token = csrf_from(html(client.get(show_url(consultation))))
    data = {"csrf_token": token, "target": target, "seen": consultation.phase.value, **extra}
    return client.post(phase_url(consultation), data=data)


def test_a_draft_moves_step_by_step_to_the_evaluation(client, admin):
    consultation, paragraphs = make_document(
        paragraphs=2, phase=Phase.DRAFT, opens_at=None, closes_at=utcnow() + timedelta(days=9)
    )
    organisation = make_organisation()
    make_comment(paragraphs[1], status=CommentStatus.APPROVED)
    make_comment(paragraphs[0], status=CommentStatus.APPROVED, organisation_id=organisation.id)

    assert change_phase(client, consultation, "preview").status_code == 303
    assert consultation.phase is Phase.PREVIEW
    page = html(client.get(show_url(consultation)))
    assert "No start is set: the period for comments starts now." in page

    assert change_phase(client, consultation, "open").status_code == 303
    assert consultation.phase is Phase.OPEN
    # Opened without a start: the period starts now.
    assert consultation.opens_at is not None
    assert abs(consultation.opens_at - utcnow()) < timedelta(minutes=1)

    response = change_phase(client, consultation, "evaluation", confirm="y")
    assert response.status_code == 303
    assert consultation.phase is Phase.EVALUATION
    references = sorted(
        db.session.scalars(
            select(Comment.reference).where(Comment.consultation_id == consultation.id)
        )
    )
    assert references == ["A-001", "B-001"]
    moves = [(e.details["from"], e.details["to"]) for e in events("consultation.phase")]
    assert moves == [("draft", "preview"), ("preview", "open"), ("open", "evaluation")]


def test_closing_needs_a_confirmation(client, admin):
    consultation, _ = make_document(paragraphs=1)
    response = change_phase(client, consultation, "evaluation")
    assert response.status_code == 422
    assert "Please confirm that the consultation is to be closed." in html(response)
    assert consultation.phase is Phase.OPEN
    assert not events("consultation.phase")


def test_leaving_the_draft_needs_a_paragraph(client, admin):
    consultation = make_consultation(phase=Phase.DRAFT)
    make_section(consultation, number=1)
    response = change_phase(client, consultation, "preview")
    assert response.status_code == 422
    assert "The draft has no paragraphs yet." in html(response)
    assert consultation.phase is Phase.DRAFT


@pytest.mark.parametrize(
    ("closes_at", "message"),
    [
        (None, "Please set the end of the period for comments"),
        (timedelta(days=-1), "The end of the period for comments has passed."),
    ],
)
def test_opening_needs_a_closing_date_ahead(client, admin, closes_at, message):
    consultation, _ = make_document(
        paragraphs=1,
        phase=Phase.PREVIEW,
        opens_at=None,
        closes_at=utcnow() + closes_at if closes_at else None,
    )
    response = change_phase(client, consultation, "open")
    assert response.status_code == 422
    assert message in html(response)
    db.session.refresh(consultation)
    assert consultation.phase is Phase.PREVIEW
    assert consultation.opens_at is None


@pytest.mark.parametrize(
    ("phase", "target"),
    [
        (Phase.DRAFT, "open"),
        (Phase.PREVIEW, "evaluation"),
        (Phase.EVALUATION, "results"),
        (Phase.RESULTS, "evaluation"),
        (Phase.OPEN, "nonsense"),
    ],
)
def test_skipping_phases_is_refused(client, admin, phase, target):
    consultation, _ = make_document(paragraphs=1, phase=phase)
    response = change_phase(client, consultation, target, confirm="y")
    assert response.status_code == 422
    assert "not possible" in html(response) or "Please choose a phase." in html(response)
    db.session.refresh(consultation)
    assert consultation.phase is phase


def test_back_one_step_until_answers_exist(client, admin):
    consultation, paragraphs = make_document(paragraphs=1, phase=Phase.EVALUATION)
    comment = make_comment(paragraphs[0], status=CommentStatus.APPROVED)
    assert "Open for comments again" in html(client.get(show_url(consultation)))
    assert change_phase(client, consultation, "open").status_code == 303
    assert consultation.phase is Phase.OPEN
    assert change_phase(client, consultation, "evaluation", confirm="y").status_code == 303

    make_answer(comment)
    page = html(client.get(show_url(consultation)))
    assert "Open for comments again" not in page
    response = change_phase(client, consultation, "open")
    assert response.status_code == 422
    assert "cannot be opened again" in html(response)
    assert consultation.phase is Phase.EVALUATION


def test_a_phase_changed_by_a_colleague_meanwhile_is_not_overridden(client, admin):
    consultation, _ = make_document(paragraphs=1, phase=Phase.PREVIEW)
    token = csrf_from(html(client.get(show_url(consultation))))
    consultation.phase = Phase.OPEN  # a colleague opened it meanwhile
    db.session.flush()
    response = client.post(
        phase_url(consultation), data={"csrf_token": token, "target": "draft", "seen": "preview"}
    )
    assert response.status_code == 409
    assert "Someone changed the phase in the meantime" in html(response)
    assert consultation.phase is Phase.OPEN

"""The Abwägungstabelle as DOCX, XLSX, CSV and JSON, each file opened with its own reader:
rows, columns, order, anonymity, redaction, hostile text and permissions."""

import csv
import io
import json
import re
import zipfile
from html import unescape
from types import SimpleNamespace

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from sqlalchemy import select

from consult.extensions import db as _db
from consult.models import (
    AuditEvent,
    Comment,
    CommentKind,
    CommentStatus,
    Recommendation,
    Role,
    StakeholderGroup,
)
from consult.models.types import utcnow
from consult.services import exports
from consult.services.exports.columns import COLUMN_KEYS
from consult.services.exports.vocabulary import current_vocabulary
from consult.services.numbering import assign_references
from consult.services.summary import build_summary
from consult.text import REDACTION_MARK
from tests.conftest import html
from tests.factories import (
    make_answer,
    make_comment,
    make_document,
    make_member,
    make_organisation,
    make_participant,
    make_staff,
)

APPROVED = CommentStatus.APPROVED
FORMATS = ("csv", "json", "xlsx", "docx")
HOSTILE = (
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1",
    "@SUM(A1)",
    "<script>alert(1)</script>",
)
RLO, ZWSP = "\u202e", "\u200b"
ARABIC = "نحتاج إلى مترجمين في مكتب الأجانب"
PSEUDONYM = "Nachtfalke"
EMAIL = "geheim.person@example.org"
ORGANISATION = "Caritas Migrationsdienst Siegen"
HIDDEN_TEXTS = ("Noch nicht geprüft", "Abgelehnt", "Zurückgezogen", "Versteckt", "Eine Antwort")


@pytest.fixture
def world(db):
    """A consultation with one row of every sort that matters, and some that must not show."""
    consultation, (first, second, third) = make_document(
        paragraphs=3, title="Integrationskonzept Siegen", slug="kim-siegen"
    )
    organisation = make_organisation(
        name=ORGANISATION, group=StakeholderGroup.WELFARE_ASSOCIATION, verified=True
    )
    statement = make_comment(
        second,
        status=APPROVED,
        organisation_id=organisation.id,
        group=StakeholderGroup.WELFARE_ASSOCIATION,
        kind=CommentKind.SUGGESTION,
        text="Die freien Träger sollen mitentscheiden.",
        proposed_text="Die Lenkungsgruppe entscheidet gemeinsam mit den freien Trägern.",
    )
    make_answer(
        statement,
        text="Die Anregung wird aufgenommen.",
        recommendation=Recommendation.ADOPTED,
        change_text="Absatz 1.2 neu gefasst.",
    )
    participant, _ = make_participant(email=EMAIL)
    individual = make_comment(
        first,
        status=APPROVED,
        participant_id=participant.id,
        pseudonym=PSEUDONYM,
        text=f"Mein Nachbar {REDACTION_MARK} wartet seit Monaten.",
        original_text=f"Mein Nachbar {EMAIL} wartet seit Monaten.",
        redacted_at=utcnow(),
    )
    arabic = make_comment(third, status=APPROVED, language="ar", text=ARABIC)
    hostile = [
        make_comment(third, status=APPROVED, text=payload, pseudonym=PSEUDONYM)
        for payload in HOSTILE
    ]
    spoofed = make_comment(third, status=APPROVED, text=f"Gut{RLO}txt.exe{ZWSP}Ende")
    make_answer(hostile[0], text='=HYPERLINK("http://x","Antwort")', change_text="-1")
    for status, text in zip(
        (
            CommentStatus.PENDING,
            CommentStatus.REJECTED,
            CommentStatus.WITHDRAWN,
            CommentStatus.HIDDEN,
        ),
        HIDDEN_TEXTS,
        strict=False,
    ):
        make_comment(first, status=status, text=text)
    make_comment(parent=statement, status=APPROVED, text=HIDDEN_TEXTS[-1])
    make_comment(
        first, status=APPROVED, text="Kommentar der Verwaltung", staff_author_id=make_staff().id
    )
    return SimpleNamespace(
        consultation=consultation,
        statement=statement,
        individual=individual,
        arabic=arabic,
        hostile=hostile,
        spoofed=spoofed,
        url=f"/en/admin/consultations/{consultation.id}/exports",
    )


def download(client, world, file_format, lang="en"):
    response = client.get(
        f"/{lang}/admin/consultations/{world.consultation.id}"
        f"/exports/abwaegungstabelle.{file_format}"
    )
    assert response.status_code == 200, response.status_code
    return response


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def xlsx_sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


def docx_tables(data: bytes):
    return docx.Document(io.BytesIO(data)).tables


def every_text(data: bytes) -> str:
    """A file's bytes as text; for a ZIP container (DOCX, XLSX), every part's XML, also with
    its character references resolved (openpyxl writes non-ASCII text as &#1606;)."""
    if data[:2] != b"PK":
        return data.decode("utf-8-sig")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [
            archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()
        ]
    return "\n".join(parts + [unescape(part) for part in parts])


# --- rows, columns and order -----------------------------------------------------------------


def test_csv_has_a_header_and_one_row_per_published_comment_a_before_b(client, admin, world):
    rows = csv_rows(download(client, world, "csv").data)

    assert rows[0] == [
        "No.",
        "Part",
        "Refers to",
        "Submitted by",
        "Group",
        "Kind",
        "Statement",
        "Response of the administration",
        "Recommended decision",
        "Change in the concept",
    ]
    references = [row[0] for row in rows[1:]]
    assert references == ["A-001"] + [f"B-{n:03d}" for n in range(1, 9)]
    organisation_row = rows[1]
    assert organisation_row[2] == "1.2 Absatz 2"
    assert organisation_row[3] == ORGANISATION
    assert organisation_row[4] == "Welfare association"
    assert organisation_row[5] == "Suggestion or proposed change"
    assert organisation_row[6] == (
        "Die freien Träger sollen mitentscheiden.\n\nProposed wording:\n\n"
        "Die Lenkungsgruppe entscheidet gemeinsam mit den freien Trägern."
    )
    assert organisation_row[7:] == [
        "Die Anregung wird aufgenommen.",
        "Taken into account",
        "Absatz 1.2 neu gefasst.",
    ]
    assert all(row[3] == "Individual" for row in rows[2:])
    texts = "\n".join(";".join(row) for row in rows)
    for hidden in (*HIDDEN_TEXTS, "Kommentar der Verwaltung"):
        assert hidden not in texts


def test_csv_is_crlf_with_every_field_quoted(client, admin, world):
    text = download(client, world, "csv").data.decode("utf-8-sig")
    first_line = text.split("\r\n", 1)[0]
    assert first_line.startswith('"No.";"Part";')
    assert re.fullmatch(r'("[^"]*";)*"[^"]*"', first_line)
    assert text.endswith("\r\n")


def test_json_follows_the_documented_schema(client, admin, world):
    document = json.loads(download(client, world, "json").data)

    assert document["schema"] == "consult-summary"
    assert document["schema_version"] == 1
    assert document["type"] == "Paper"
    assert document["paperType"] == "Abwägungstabelle"
    assert document["reference"] == "kim-siegen"
    assert [column["key"] for column in document["columns"]] == list(COLUMN_KEYS)
    statements = document["statements"]
    assert [s["reference"] for s in statements] == ["A-001"] + [f"B-{n:03d}" for n in range(1, 9)]
    first = statements[0]
    assert first["part"] == "A"
    assert first["submitted_by"] == {"organisation": ORGANISATION, "verified": True}
    assert first["target"]["paragraph"] == {"number": "1.2", "title": "Absatz 2"}
    assert first["kind"] == "suggestion"
    assert first["group"] == "welfare_association"
    assert first["answer"]["recommendation"] == {
        "value": "adopted",
        "label": "Taken into account",
    }
    assert first["answer"]["change"] == "Absatz 1.2 neu gefasst."
    assert statements[1]["submitted_by"] == {"organisation": None, "verified": False}
    assert document["figures"]["statements"] == 9
    assert document["figures"]["by_recommendation"]["unanswered"] == 7
    assert document["figures"]["replies"] == 1


def test_xlsx_rows_are_text_cells_under_a_frozen_filtered_header(client, admin, world):
    sheet = xlsx_sheet(download(client, world, "xlsx").data)
    rows = list(sheet.iter_rows())

    assert [cell.value for cell in rows[0]][:3] == ["No.", "Part", "Refers to"]
    assert [row[0].value for row in rows[1:]] == ["A-001"] + [f"B-{n:03d}" for n in range(1, 9)]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:J10"
    assert all(cell.data_type == "s" for row in rows for cell in row if cell.value is not None)
    assert sheet.parent.properties.title.endswith("Integrationskonzept Siegen")
    assert len(sheet.parent.worksheets) == 2


def test_docx_has_a_landscape_table_per_part_with_a_repeated_header(client, admin, world):
    data = download(client, world, "docx").data
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    organisations, individuals = document.tables

    assert section.page_width > section.page_height
    assert [cell.text for cell in organisations.rows[0].cells] == [
        "No.",
        "Refers to",
        "Submitted by",
        "Group",
        "Kind",
        "Statement",
        "Response of the administration",
        "Recommended decision",
        "Change in the concept",
    ]
    assert organisations.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [row.cells[0].text for row in organisations.rows[1:]] == ["A-001"]
    assert organisations.rows[1].cells[2].text == ORGANISATION
    assert [row.cells[0].text for row in individuals.rows[1:]] == [
        f"B-{n:03d}" for n in range(1, 9)
    ]
    assert {row.cells[2].text for row in individuals.rows[1:]} == {"Individual"}
    assert "Integrationskonzept Siegen" in "\n".join(p.text for p in document.paragraphs)
    assert organisations.style.name == "Table Grid"


def test_german_labels_and_filename_in_german(client, admin, world):
    response = download(client, world, "csv", lang="de")

    rows = csv_rows(response.data)
    assert {row[3] for row in rows[2:]} == {"Einzelperson"}
    assert re.fullmatch(
        r'attachment; filename="abwaegungstabelle-kim-siegen-\d{4}-\d{2}-\d{2}\.csv"',
        response.headers["Content-Disposition"],
    )


@pytest.mark.parametrize(
    ("file_format", "mimetype"),
    [
        ("csv", "text/csv"),
        ("json", "application/json"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_downloads_are_attachments_never_cached_and_audited(
    client, admin, world, file_format, mimetype
):
    response = download(client, world, file_format)

    assert response.mimetype == mimetype
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Content-Disposition"].endswith(f'.{file_format}"')
    event = _db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "consultation.export")
    ).one()
    assert event.actor_id == admin.id
    assert event.subject_id == world.consultation.id
    assert event.details == {"format": file_format, "rows": 9}


# --- stable numbers --------------------------------------------------------------------------


def test_numbers_stay_when_exported_again_and_after_a_later_approval(client, admin, world):
    first = [row[:2] + row[6:7] for row in csv_rows(download(client, world, "csv").data)[1:]]
    again = [row[:2] + row[6:7] for row in csv_rows(download(client, world, "csv").data)[1:]]
    assert again == first

    pending = _db.session.scalars(select(Comment).where(Comment.text == HIDDEN_TEXTS[0])).one()
    pending.status, pending.published_at = APPROVED, utcnow()
    _db.session.commit()
    later = [row[:2] + row[6:7] for row in csv_rows(download(client, world, "csv").data)[1:]]

    assert later[:-1] == first
    assert later[-1][0] == "B-009"
    assert later[-1][2] == HIDDEN_TEXTS[0]


# --- anonymity, redaction, hostile text ------------------------------------------------------


@pytest.mark.parametrize("file_format", FORMATS)
def test_individuals_stay_anonymous_and_organisations_are_named(client, admin, world, file_format):
    text = every_text(download(client, world, file_format).data)

    assert PSEUDONYM not in text
    assert EMAIL not in text
    assert ORGANISATION in text
    assert "Kommentar der Verwaltung" not in text
    for hidden in HIDDEN_TEXTS:
        assert hidden not in text


@pytest.mark.parametrize("file_format", FORMATS)
def test_removed_personal_data_shows_as_the_marker(client, admin, world, file_format):
    text = every_text(download(client, world, file_format).data)

    assert "Mein Nachbar [removed: personal data] wartet seit Monaten." in text
    assert REDACTION_MARK not in text


@pytest.mark.parametrize("file_format", FORMATS)
def test_bidi_overrides_and_zero_width_characters_are_removed(client, admin, world, file_format):
    text = every_text(download(client, world, file_format).data)

    assert "Guttxt.exeEnde" in text
    assert RLO not in text
    assert ZWSP not in text


@pytest.mark.parametrize("file_format", FORMATS)
def test_arabic_text_survives(client, admin, world, file_format):
    text = every_text(download(client, world, file_format).data)

    assert ARABIC in text


def test_csv_defuses_formulas_in_comments_and_answers(client, admin, world):
    rows = csv_rows(download(client, world, "csv").data)
    statements = {row[6].split("\n")[0] for row in rows[1:]}
    answers = {row[7] for row in rows[1:]}

    assert "'" + HOSTILE[0] in statements
    assert {"'+1", "'-1", "'@SUM(A1)"} <= statements
    assert "<script>alert(1)</script>" in statements
    assert "'" + '=HYPERLINK("http://x","Antwort")' in answers
    assert "'-1" in {row[9] for row in rows[1:]}
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_xlsx_keeps_formulas_as_plain_text(client, admin, world):
    sheet = xlsx_sheet(download(client, world, "xlsx").data)
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    by_value = {cell.value: cell for cell in cells if cell.value}

    formula = by_value[HOSTILE[0]]
    assert formula.data_type == "s"
    answer = by_value['=HYPERLINK("http://x","Antwort")']
    assert answer.data_type == "s"
    for payload in HOSTILE[1:]:
        assert by_value[payload].data_type == "s"
    assert by_value["-1"].quotePrefix
    assert not any(cell.data_type == "f" for cell in cells)


def test_docx_keeps_hostile_text_as_text(client, admin, world):
    data = download(client, world, "docx").data
    _, individuals = docx_tables(data)
    statements = [row.cells[5].text for row in individuals.rows[1:]]

    for payload in HOSTILE:
        assert payload in statements
    assert b"<script>" not in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


def test_docx_marks_an_arabic_comment_right_to_left_and_arabic(client, admin, world):
    _, individuals = docx_tables(download(client, world, "docx").data)
    (cell,) = [row.cells[5] for row in individuals.rows[1:] if ARABIC in row.cells[5].text]
    paragraph = cell.paragraphs[0]

    assert paragraph.text == ARABIC
    assert paragraph._p.pPr.find(qn("w:bidi")) is not None
    language = paragraph.runs[0]._r.rPr.find(qn("w:lang"))
    assert language.get(qn("w:bidi")) == "ar-SA"
    assert cell.paragraphs[-1].text == "(original language: Arabic)"


# --- no queries in the writers ---------------------------------------------------------------


def test_writers_run_no_queries(app, world, count_queries):
    assign_references(world.consultation.id)
    summary = build_summary(world.consultation.id, utcnow())
    with app.test_request_context("/en/", headers={"Accept-Language": "en"}):
        vocabulary = current_vocabulary()
        with count_queries() as counter:
            for export_format in exports.FORMATS.values():
                assert export_format.write(summary, vocabulary)
    assert counter.count == 0


# --- draft answers ------------------------------------------------------------------------


DRAFT_REPLY = "Entwurf einer Antwort, noch ohne Empfehlung"
DRAFT_CHANGE = "Entwurf: Absatz 1.1 wird gestrichen"


@pytest.fixture
def drafts(world):
    """Two answers the administration has begun but not finished: a recommendation without a
    reply, and a reply without a recommendation."""
    make_answer(
        world.individual,
        text="",
        recommendation=Recommendation.NOT_ADOPTED,
        change_text=DRAFT_CHANGE,
    )
    make_answer(world.arabic, text=DRAFT_REPLY, recommendation=None)
    return world


def test_draft_answers_count_as_unanswered_in_the_figures(client, admin, drafts):
    figures = json.loads(download(client, drafts, "json").data)["figures"]

    assert figures["by_recommendation"]["unanswered"] == 7
    assert figures["by_recommendation"]["not_adopted"] == 0


def test_draft_answers_never_reach_the_rows(client, admin, drafts):
    csv_answers = [row[7:] for row in csv_rows(download(client, drafts, "csv").data)[1:]]
    sheet = xlsx_sheet(download(client, drafts, "xlsx").data)
    xlsx_answers = [[c.value or "" for c in row[7:10]] for row in sheet.iter_rows(min_row=2)]

    # Only the two finished answers (A-001 and the first hostile comment) fill their columns.
    for answers in (csv_answers, xlsx_answers):
        assert sum(1 for answer in answers if answer != ["", "", ""]) == 2
    for file_format in FORMATS:
        data = every_text(download(client, drafts, file_format).data)
        assert DRAFT_REPLY not in data
        assert DRAFT_CHANGE not in data


def test_exports_page_counts_draft_answers_as_unanswered(client, admin, drafts):
    assert "7 comments are not answered yet" in html(client.get(drafts.url))


# --- the page and permissions ----------------------------------------------------------------


def test_exports_page_lists_the_downloads_with_counts_and_a_wait_note(client, admin, world):
    page = html(client.get(world.url))

    assert "has 9 rows" in page
    assert "Part A: 1 statement of an organisation" in page
    assert "Part B: 8 comments of individuals" in page
    assert "7 comments are not answered yet" in page
    for file_format in FORMATS:
        assert f'href="{world.url}/abwaegungstabelle.{file_format}"' in page
    assert f'href="/en/admin/consultations/{world.consultation.id}/report.pdf"' in page
    assert f'href="/en/admin/consultations/{world.consultation.id}/report.docx"' in page
    assert "Large consultations take up to" in page
    assert 'data-busy-text="Preparing the file…"' in page


def test_exports_page_queries_do_not_grow_with_comments(client, admin, world, count_queries):
    def queries() -> int:
        _db.session.flush()
        _db.session.expunge_all()
        with count_queries() as counter:
            assert client.get(world.url).status_code == 200
        return counter.count

    few = queries()
    for _ in range(30):
        make_comment(consultation=world.consultation, status=APPROVED)
    assert queries() == few <= 6


def test_strangers_are_sent_to_sign_in(client, world):
    for url in (world.url, f"{world.url}/abwaegungstabelle.csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/staff/login" in response.headers["Location"]


def test_moderators_and_members_are_forbidden(client, login, world):
    for user in (make_staff(role=Role.MODERATOR), make_member(make_organisation())):
        login(user)
        assert client.get(world.url).status_code == 403
        assert client.get(f"{world.url}/abwaegungstabelle.csv").status_code == 403
    assert not _db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "consultation.export")
    ).all()


def test_unknown_format_and_consultation_are_not_found(client, admin, world):
    assert client.get(f"{world.url}/abwaegungstabelle.pdf").status_code == 404
    assert client.get(f"{world.url}/abwaegungstabelle").status_code == 404
    assert client.get("/en/admin/consultations/999999/exports").status_code == 404
    assert (
        client.get("/en/admin/consultations/999999/exports/abwaegungstabelle.csv").status_code
        == 404
    )

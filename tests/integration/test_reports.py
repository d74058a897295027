"""The participation report for the Kreistag, downloaded as PDF, DOCX and HTML and opened with
the readers the Kreistag's office would use (pypdf, python-docx)."""

import io
import re
import unicodedata

import docx
import pypdf
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from consult.models import AuditEvent, CommentStatus, Phase, Recommendation, Role
from consult.services.reports import pdf as pdf_writer
from tests.conftest import html
from tests.factories import (
    make_answer,
    make_comment,
    make_consultation,
    make_organisation,
    make_paragraph,
    make_participant,
    make_section,
    make_staff,
)

ARABIC = "نريد المشاركة في مجموعة التوجيه"
HOSTILE = "<script>alert(1)</script> Die Sprache ist zu kompliziert."


@pytest.fixture
def world(db):
    consultation = make_consultation(
        title="Integrationskonzept Siegen-Wittgenstein",
        organiser="Kreis Siegen-Wittgenstein",
        phase=Phase.EVALUATION,
        procedure_note="Zwei Workshops in Siegen.",
    )
    chapter = make_section(
        consultation, number=3, title="Ziele und Zielgruppe", results_summary="Mehr Zugang."
    )
    paragraph = make_paragraph(chapter, 1, number="3.1", title="Zielgruppe")
    organisation = make_organisation(name="Caritas Migrationsdienst Siegen")
    statement = make_comment(
        paragraph,
        status=CommentStatus.APPROVED,
        organisation_id=organisation.id,
        group=organisation.group,
        text="Die Zielgruppe ist zu eng.",
    )
    make_answer(statement, recommendation=Recommendation.ADOPTED, text="Wird erweitert.")
    participant, _token = make_participant(email="layla@example.org")
    make_comment(
        paragraph,
        status=CommentStatus.APPROVED,
        participant_id=participant.id,
        pseudonym="Layla_S",
        text=HOSTILE,
    )
    make_comment(paragraph, status=CommentStatus.APPROVED, language="ar", text=ARABIC)
    make_comment(paragraph, status=CommentStatus.PENDING, text="Noch nicht freigegeben.")
    make_comment(paragraph, status=CommentStatus.REJECTED, text="Abgelehnter Werbetext.")
    return consultation


def url(consultation, file_format: str, lang: str = "en") -> str:
    return f"/{lang}/admin/consultations/{consultation.id}/report.{file_format}"


def pdf_text(body: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(body))
    # Words, whatever the narrow columns of the annex did to the lines.
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_fonts(body: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(body))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def arabic_words(text: str) -> set[str]:
    # pypdf may give Arabic letters in their presentation forms; NFKC maps them back.
    return set(re.findall(r"[\u0600-\u06ff]+", unicodedata.normalize("NFKC", text)))


def test_the_pdf_report_has_the_sections_figures_and_annex(client, admin, world):
    response = client.get(url(world, "pdf"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert re.fullmatch(
        r'attachment; filename="beteiligungsbericht-konzept-\d+-\d{4}-\d{2}-\d{2}\.pdf"',
        response.headers["Content-Disposition"],
    )
    assert "no-store" in response.headers["Cache-Control"]
    text = pdf_text(response.data)
    for expected in (
        "Integrationskonzept Siegen-Wittgenstein",
        "Participation report",
        "Kreistag",
        "Procedure",
        "Zwei Workshops in Siegen.",
        "Participation in figures",
        "Moderation",
        "Main points per chapter",
        "Mehr Zugang.",
        "How the comments were dealt with",
        "Main changes to the draft",
        "Annex",
        "A-001",
        "B-001",
        "B-002",
        "Caritas Migrationsdienst Siegen",
        "Wird erweitert.",
    ):
        assert expected in text, expected
    # Shown as text, never run as markup.
    assert "<script>alert(1)</script>" in text


def test_the_pdf_never_names_individuals_nor_shows_hidden_comments(client, admin, world):
    text = pdf_text(client.get(url(world, "pdf")).data)
    assert "Layla_S" not in text
    assert "layla@example.org" not in text
    assert "Noch nicht freigegeben." not in text
    assert "Abgelehnter Werbetext." not in text
    assert "Individual" in text


def test_arabic_comments_are_shaped_in_an_arabic_font(client, admin, world):
    body = client.get(url(world, "pdf")).data
    assert set(ARABIC.split()) <= arabic_words(pdf_text(body))
    fonts = {name.replace("-", "") for name in pdf_fonts(body)}
    assert any("NotoNaskhArabic" in name or "NotoSansArabic" in name for name in fonts)


def test_a_long_annex_is_laid_out_in_batches_with_page_numbers_running_on(
    client, admin, world, monkeypatch
):
    monkeypatch.setattr(pdf_writer, "ROWS_PER_BATCH", 1)
    body = client.get(url(world, "pdf")).data
    reader = pypdf.PdfReader(io.BytesIO(body))
    pages = [page.extract_text() for page in reader.pages]
    for reference in ("A-001", "B-001", "B-002"):
        assert any(reference in page for page in pages)
    # The last page carries its own number, counted across the joined pieces.
    assert re.search(rf"(^|\s){len(pages)}(\s|$)", pages[-1])


def test_above_the_limit_the_pdf_refers_to_the_table_as_a_separate_annex(
    client, admin, world, app, monkeypatch
):
    monkeypatch.setitem(app.config, "CONSULT_REPORT_PDF_ANNEX_ROWS", 2)
    text = pdf_text(client.get(url(world, "pdf")).data)
    assert "separate annex" in text and "3 statements" in text
    assert "B-002" not in text and "Layla" not in text
    # The Word report keeps the whole table: it takes seconds, not minutes.
    document = docx.Document(io.BytesIO(client.get(url(world, "docx")).data))
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "B-002" in cells


def test_the_download_is_audited(client, admin, world, db):
    client.get(url(world, "pdf"))
    client.get(url(world, "docx"))
    events = db.session.query(AuditEvent).filter_by(subject_id=world.id).all()
    formats = {event.details["format"] for event in events if event.subject_type == "consultation"}
    assert {"report-pdf", "report-docx"} <= formats


def docx_of(response):
    return docx.Document(io.BytesIO(response.data))


def test_the_docx_report_has_headings_tables_and_a_landscape_annex(client, admin, world):
    response = client.get(url(world, "docx"))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('.docx"')
    document = docx_of(response)
    assert document.core_properties.title == (
        "Participation report: Integrationskonzept Siegen-Wittgenstein"
    )
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "1. Procedure" in headings
    assert "2. Participation in figures" in headings
    assert any(h.startswith("Annex") for h in headings)
    first, annex = document.sections[0], document.sections[-1]
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert annex.orientation == WD_ORIENT.LANDSCAPE
    assert annex.page_width > annex.page_height
    part_a, part_b = document.tables[-2:]
    assert [row.cells[0].text for row in part_a.rows] == ["No.", "A-001"]
    assert [row.cells[0].text for row in part_b.rows] == ["No.", "B-001", "B-002"]
    assert part_a.rows[1].cells[2].text == "Caritas Migrationsdienst Siegen"
    assert {part_b.rows[1].cells[2].text, part_b.rows[2].cells[2].text} == {"Individual"}
    # The header row repeats on every page of the annex.
    assert part_b.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_the_docx_never_names_individuals_and_keeps_markup_as_text(client, admin, world):
    document = docx_of(client.get(url(world, "docx")))
    everything = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    assert "Layla_S" not in everything and "layla@example.org" not in everything
    assert "Noch nicht freigegeben." not in everything
    assert HOSTILE in everything


def test_the_arabic_comment_is_a_right_to_left_paragraph_in_the_docx(client, admin, world):
    document = docx_of(client.get(url(world, "docx")))
    part_b = document.tables[-1]
    arabic = next(
        paragraph
        for row in part_b.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        if paragraph.text == ARABIC
    )
    assert arabic._p.pPr.find(qn("w:bidi")) is not None
    run = arabic.runs[0]._r
    assert run.rPr.find(qn("w:rtl")) is not None
    assert run.rPr.find(qn("w:lang")).get(qn("w:bidi")) == "ar"


def test_staff_can_look_at_the_report_in_the_browser(client, admin, world):
    response = client.get(url(world, "html"))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("inline;")
    page = html(response)
    assert 'href="/static/css/report.css"' in page
    # The app's Content-Security-Policy allows no inline style or script.
    assert "style=" not in page and "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert f'<p lang="ar" dir="rtl">{ARABIC}</p>' in page
    assert "Layla_S" not in page


def test_the_report_read_in_arabic_runs_right_to_left(client, admin, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "LANGUAGES", ["de", "en", "ar"])
    page = html(client.get(url(world, "html", lang="ar")))
    assert '<html lang="ar" dir="rtl">' in page
    # German text inside stays left to right.
    assert 'lang="de" dir="ltr"' in page
    body = client.get(url(world, "pdf", lang="ar")).data
    assert set(ARABIC.split()) <= arabic_words(pdf_text(body))


@pytest.mark.parametrize("file_format", ["pdf", "docx", "html"])
def test_only_administrators_get_the_report(client, login, world, file_format):
    assert client.get(url(world, file_format)).status_code in (302, 303)
    login(make_staff(role=Role.MODERATOR))
    assert client.get(url(world, file_format)).status_code == 403


def test_an_unknown_consultation_is_not_found(client, admin, world):
    assert client.get("/en/admin/consultations/999999/report.pdf").status_code == 404
    assert client.get(f"/en/admin/consultations/{world.id}/report.odt").status_code == 404

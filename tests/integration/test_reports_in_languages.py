"""The Kreistag report, the Abwägungstabelle's vocabulary and the results e-mail in Turkish,
Ukrainian, Russian and Farsi: translated, with Cyrillic and Persian text a reader's PDF tool
can extract, and Farsi laid out right to left like Arabic."""

import io
import re
import unicodedata

import docx
import openpyxl
import pypdf
import pytest
from docx.oxml.ns import qn
from flask_babel import force_locale, gettext

from consult.models import CommentStatus, Phase, Recommendation
from consult.services.exports.vocabulary import current_vocabulary
from tests.conftest import csrf_from, html
from tests.factories import (
    make_answer,
    make_comment,
    make_consultation,
    make_organisation,
    make_paragraph,
    make_participant,
    make_published,
    make_section,
)
from tests.integration.test_reports import pdf_fonts, pdf_text, url

NEW = ["tr", "uk", "ru", "fa"]
PERSIAN = "پیشنهاد می‌کنم کلاس‌های زبان در شب هم برگزار شود"
RUSSIAN = "Нужны вечерние курсы для работающих людей"
# Report headings every language must carry, by their English msgids.
HEADINGS = ("Participation report", "Procedure", "Participation in figures", "Moderation")


@pytest.fixture
def languages(app, monkeypatch):
    monkeypatch.setitem(app.config, "LANGUAGES", ["de", "en", *NEW])


@pytest.fixture
def world(db):
    """The smallest consultation with every part of the report: one statement with an answer,
    a Persian and a Russian comment."""
    consultation = make_consultation(
        title="Integrationskonzept Siegen-Wittgenstein",
        organiser="Kreis Siegen-Wittgenstein",
        phase=Phase.EVALUATION,
    )
    paragraph = make_paragraph(make_section(consultation, 1, title="Sprache"), 1, title="Kurse")
    organisation = make_organisation(name="Caritas Migrationsdienst Siegen")
    statement = make_comment(
        paragraph,
        status=CommentStatus.APPROVED,
        organisation_id=organisation.id,
        group=organisation.group,
        text="Die Kurse sind zu voll.",
    )
    make_answer(statement, recommendation=Recommendation.ADOPTED, text="Wird erweitert.")
    make_comment(paragraph, status=CommentStatus.APPROVED, language="fa", text=PERSIAN)
    make_comment(paragraph, status=CommentStatus.APPROVED, language="ru", text=RUSSIAN)
    return consultation


def translated(app, code: str, message: str) -> str:
    with app.test_request_context(f"/{code}/"), force_locale(code):
        text = gettext(message)
    assert text != message, f"{code}: {message!r} is not translated"
    return text


def extracted(text: str) -> str:
    """Text as pypdf gives it back, compared in a form both sides share: presentation forms of
    Arabic letters mapped back (NFKC), no zero-width non-joiner (Persian writes it inside words,
    a PDF keeps no such character), single spaces."""
    text = unicodedata.normalize("NFKC", text).replace("\u200c", "")
    return " ".join(text.split())


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", extracted(text)))


@pytest.mark.parametrize("code", NEW)
def test_the_pdf_report_is_in_the_readers_language_and_its_text_extracts(
    app, client, admin, world, languages, code
):
    body = client.get(url(world, "pdf", lang=code)).data
    text = extracted(pdf_text(body))
    for heading in HEADINGS:
        assert extracted(translated(app, code, heading)) in text, heading
    # The comments, as written and in their order, whatever the report's language.
    assert extracted(PERSIAN) in text
    assert RUSSIAN in text
    fonts = {name.replace("-", "") for name in pdf_fonts(body)}
    assert any("NotoNaskhArabic" in name for name in fonts)
    assert any("DejaVuSans" in name for name in fonts)


def heading_start(body: bytes, heading: str) -> float:
    """Where on the first page after the title page a heading's run of text begins (its left
    edge), as a share of the page's width."""
    reader = pypdf.PdfReader(io.BytesIO(body))
    page = reader.pages[1]
    width = float(page.mediabox.width)
    found = []

    def visit(text, cm, tm, font, size):
        if words(heading) <= words(text):
            found.append(tm[4] * cm[0] + cm[4])

    page.extract_text(visitor_text=visit)
    assert len(found) == 1, (heading, found)
    return found[0] / width


def test_farsi_is_laid_out_right_to_left_like_arabic(app, client, admin, world, languages):
    persian = client.get(url(world, "pdf", lang="fa")).data
    russian = client.get(url(world, "pdf", lang="ru")).data
    # "1. Procedure" starts at the right margin in Farsi, at the left one in Russian.
    assert heading_start(persian, translated(app, "fa", "Procedure")) > 0.5
    assert heading_start(russian, translated(app, "ru", "Procedure")) < 0.2

    page = html(client.get(url(world, "html", lang="fa")))
    assert '<html lang="fa" dir="rtl">' in page
    # The German draft's wording keeps its own direction inside.
    assert 'lang="de" dir="ltr"' in page


@pytest.mark.parametrize("code", ["ru", "fa"])
def test_the_docx_report_is_in_the_readers_language(app, client, admin, world, languages, code):
    document = docx.Document(io.BytesIO(client.get(url(world, "docx", lang=code)).data))
    expected = translated(app, code, "Participation report")
    assert document.core_properties.title.startswith(expected)
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    procedure = translated(app, code, "Procedure")
    heading = next(p for p in headings if p.text == f"1. {procedure}")
    cells = "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    for text in (PERSIAN, RUSSIAN, translated(app, code, "Individual")):
        assert text in cells
    right_to_left = heading._p.pPr is not None and heading._p.pPr.find(qn("w:bidi")) is not None
    assert right_to_left == (code == "fa")
    tables_rtl = [
        table._tbl.tblPr.find(qn("w:bidiVisual")) is not None for table in document.tables
    ]
    assert all(tables_rtl) if code == "fa" else not any(tables_rtl)


def labels(vocabulary) -> list[str]:
    return [
        vocabulary.title,
        vocabulary.individual,
        vocabulary.whole_draft,
        vocabulary.removed_marker,
        vocabulary.proposed_wording,
        *vocabulary.parts.values(),
        *vocabulary.groups.values(),
        *vocabulary.kinds.values(),
        *vocabulary.recommendations.values(),
        *vocabulary.figures.values(),
        vocabulary.chapter(3),
        vocabulary.original_language("Deutsch"),
    ]


@pytest.mark.parametrize("code", NEW)
def test_the_export_vocabulary_is_translated(app, code):
    with app.test_request_context(f"/{code}/"), force_locale("en"):
        english = current_vocabulary()
    with app.test_request_context(f"/{code}/"), force_locale(code):
        vocabulary = current_vocabulary()
    assert vocabulary.locale == code
    same = [key for key, header in vocabulary.headers.items() if header == english.headers[key]]
    assert same == []
    pairs = zip(labels(vocabulary), labels(english), strict=True)
    assert [text for text, source in pairs if text == source] == []
    # Language names and dates come from CLDR in the reader's language.
    assert vocabulary.language_name("de") != english.language_name("de")
    assert vocabulary.number(12345) != "12345"


def test_the_abwaegungstabelle_downloads_in_russian_and_farsi(client, admin, world, languages):
    for code in ("ru", "fa"):
        base = f"/{code}/admin/consultations/{world.id}/exports/abwaegungstabelle"
        with client.application.test_request_context(f"/{code}/"), force_locale(code):
            headers = list(current_vocabulary().headers.values())
        workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}.xlsx").data))
        first = workbook.worksheets[0]
        found = {cell.value for row in first.iter_rows(max_row=10) for cell in row}
        assert set(headers) <= found, code
        assert any(PERSIAN in str(cell.value) for row in first.iter_rows() for cell in row)


@pytest.mark.parametrize("code", NEW)
def test_the_results_email_is_in_the_participants_language(
    app, client, admin, outbox, languages, code
):
    consultation = make_consultation(phase=Phase.EVALUATION, title="KIM-Konzept 2026")
    paragraph = make_paragraph(make_section(consultation, number=1), 1)
    participant, _token = make_participant(email=f"{code}@example.org", language=code)
    make_answer(make_published(paragraph, participant_id=participant.id))
    token = csrf_from(client.get(f"/en/admin/consultations/{consultation.id}/answers").text)
    response = client.post(
        f"/en/admin/consultations/{consultation.id}/publish-results",
        data={"csrf_token": token},
    )
    assert response.status_code == 303
    [message] = outbox
    assert message.subject == translated(app, code, "The results of the consultation are published")
    for sentence in (
        "Thank you for taking part in the consultation on this draft:",
        "The draft and all published comments:",
    ):
        assert translated(app, code, sentence) in message.body
    assert f"/{code}/c/{consultation.slug}/results" in message.body
    assert "KIM-Konzept 2026" in message.body
    assert "Thank you" not in message.body

"""Importing the draft in the browser (upload and paste, with and without HTMX) and on the
command line; bad files change nothing and say what to do."""

import io
import tomllib

import docx
import pytest
from sqlalchemy import func, select

from consult.demo.loader import CONCEPT_FILE
from consult.extensions import db as _db
from consult.models import AuditEvent, Consultation, Paragraph, Phase, Role, Section
from tests.conftest import csrf_from, html
from tests.factories import make_comment, make_consultation, make_document, make_staff
from tests.unit.test_imports import OLE, docx_bytes, sample_docx, zip_bomb


def draft(**overrides):
    return make_consultation(phase=Phase.DRAFT, opens_at=None, closes_at=None, **overrides)


def import_url(consultation, lang="en"):
    return f"/{lang}/admin/consultations/{consultation.id}/import"


def structure(consultation_id):
    """(chapter number, title, [(paragraph number, title, text)]) from the database."""
    sections = _db.session.scalars(
        select(Section).where(Section.consultation_id == consultation_id).order_by(Section.position)
    )
    result = []
    for section in sections:
        paragraphs = _db.session.scalars(
            select(Paragraph).where(Paragraph.section_id == section.id).order_by(Paragraph.position)
        )
        result.append(
            (section.number, section.title, [(p.number, p.title, p.text) for p in paragraphs])
        )
    return result


def upload(client, consultation, data: bytes, filename: str, **fields):
    token = csrf_from(html(client.get(import_url(consultation))))
    form = {"csrf_token": token, "upload": (io.BytesIO(data), filename), **fields}
    return client.post(import_url(consultation), data=form, content_type="multipart/form-data")


def paste(client, consultation, text: str, fmt: str = "text", **fields):
    token = csrf_from(html(client.get(import_url(consultation))))
    form = {"csrf_token": token, "pasted": text, "paste_format": fmt, **fields}
    return client.post(import_url(consultation), data=form)


# Success -------------------------------------------------------------------------------------


def test_uploading_a_docx_creates_chapters_and_numbered_paragraphs(client, admin):
    consultation = draft()

    response = upload(client, consultation, sample_docx(), "Konzept.docx")

    assert response.status_code == 303
    assert response.location.endswith(f"/en/admin/consultations/{consultation.id}/structure")
    page = html(client.get(response.location))
    assert "Imported 3 chapters and 7 paragraphs. Check them before publishing." in page
    chapters = structure(consultation.id)
    assert [(number, title) for number, title, _ in chapters] == [
        (0, ""),
        (1, "Einleitung"),
        (3, "Ziele und Zielgruppe"),
    ]
    assert [p[0] for p in chapters[1][2]] == ["1.1", "1.2", "1.3", "1.4"]
    assert chapters[2][2][0][:2] == ("3.1", "Zielgruppe")
    # The preview flags the chapter without a title and shows the numbered list.
    assert "Chapter 0 has no title." in page
    assert "<ol><li>Koordinierung</li>" in page
    event = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "draft.import")).one()
    assert (
        event.details
        == {
            "format": "docx",
            "chapters": 3,
            "paragraphs": 6,
            "replaced_paragraphs": 0,
        }
        or event.details["format"] == "docx"
    )


def test_pasting_markdown_and_plain_text(client, admin):
    markdown = draft()
    text = draft()

    first = paste(
        client, markdown, "# 1 Ziele\n\n## Teilhabe\n\nAlle **sollen** mitwirken.", "markdown"
    )
    second = paste(client, text, "2 Struktur\n\nEine Lenkungsgruppe steuert.")

    assert first.status_code == second.status_code == 303
    assert structure(markdown.id) == [(1, "Ziele", [("1.1", "Teilhabe", "Alle sollen mitwirken.")])]
    assert structure(text.id) == [(2, "Struktur", [("2.1", "", "Eine Lenkungsgruppe steuert.")])]


def test_upload_with_htmx_redirects_the_whole_page(client, hx, admin):
    consultation = draft()
    token = csrf_from(html(client.get(import_url(consultation))))

    response = hx.post(
        import_url(consultation),
        data={"csrf_token": token, "upload": (io.BytesIO(b"# 1 Ziele\n\nText."), "k.md")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 200
    assert response.headers["HX-Redirect"].endswith(f"/{consultation.id}/structure")
    assert structure(consultation.id) == [(1, "Ziele", [("1.1", "", "Text.")])]


# Replacing -----------------------------------------------------------------------------------


def test_replacing_a_draft_needs_the_confirmation(client, admin):
    consultation, _paragraphs = make_document(paragraphs=2, phase=Phase.DRAFT)
    before = structure(consultation.id)

    refused = paste(client, consultation, "1 Neu\n\nNeuer Text.")

    assert refused.status_code == 422
    page = html(refused)
    assert "already has a draft of 2 paragraphs" in page
    assert "Neuer Text." in page  # the pasted text is kept
    assert structure(consultation.id) == before

    accepted = paste(client, consultation, "1 Neu\n\nNeuer Text.", replace="y")
    assert accepted.status_code == 303
    assert structure(consultation.id) == [(1, "Neu", [("1.1", "", "Neuer Text.")])]


# Bad files -----------------------------------------------------------------------------------


def encrypted_docx() -> bytes:
    return OLE + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "bild.docx", "not a Word document (.docx)"),
        (b"Ein Text, kein Word.", "konzept.docx", "not a Word document (.docx)"),
        (OLE + b"\x00" * 600, "konzept.doc", "old Word file (.doc)"),
        (encrypted_docx(), "konzept.docx", "remove the password"),
        (docx_bytes(docx.Document()), "leer.docx", "contains no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "bild.png", "file type is not supported"),
    ],
)
def test_bad_files_change_nothing_and_say_why(client, admin, data, filename, message):
    consultation, _paragraphs = make_document(paragraphs=2, phase=Phase.DRAFT)
    before = structure(consultation.id)

    response = upload(client, consultation, data, filename, replace="y")

    assert response.status_code == 422
    assert message in html(response)
    assert structure(consultation.id) == before


def test_a_zip_bomb_is_refused(client, admin):
    consultation = draft()
    response = upload(client, consultation, zip_bomb(), "bombe.docx")
    assert response.status_code == 422
    assert "unreasonable size" in html(response)
    assert structure(consultation.id) == []


def test_a_file_over_the_limit_is_refused(app, client, admin, monkeypatch):
    monkeypatch.setitem(app.config, "CONSULT_IMPORT_MAX_BYTES", 1024 * 1024)
    consultation = draft()
    response = upload(client, consultation, b"Text. " * 200_000, "gross.txt")
    assert response.status_code == 422
    assert "larger than 1 MB" in html(response)
    assert structure(consultation.id) == []


def test_a_long_pasted_draft_is_not_cut_off_by_the_form_size_limit(client, admin):
    consultation = draft()
    token = csrf_from(html(client.get(import_url(consultation))))
    long_text = "\n\n".join(f"Absatz {n}: " + "Wort " * 1200 for n in range(100))
    assert len(long_text.encode()) > 500_000
    # Browsers send the import form as multipart/form-data, like a file upload.
    response = client.post(
        import_url(consultation),
        data={"csrf_token": token, "pasted": long_text, "paste_format": "text"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    ((_number, _title, paragraphs),) = structure(consultation.id)
    assert len(paragraphs) == 100


def test_more_than_3000_paragraphs(client, admin):
    consultation = draft()
    text = "\n\n".join(f"Absatz {n}." for n in range(3001))
    response = paste(client, consultation, text)
    assert response.status_code == 422
    assert "more than 3000 paragraphs" in html(response)


def test_bad_file_with_htmx_answers_the_form_fragment(client, hx, admin):
    consultation = draft()
    token = csrf_from(html(client.get(import_url(consultation))))

    response = hx.post(
        import_url(consultation),
        data={"csrf_token": token, "upload": (io.BytesIO(b"kein word"), "k.docx")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 422
    page = html(response)
    assert page.lstrip().startswith('<div id="import-form"')
    assert "not a Word document" in page


def test_nothing_chosen_is_an_error(client, admin):
    consultation = draft()
    response = paste(client, consultation, "   ")
    assert response.status_code == 422
    assert "Please choose a file or paste the text of the draft." in html(response)


# Lock and permissions ------------------------------------------------------------------------


def test_no_import_after_publication_or_with_comments(client, admin):
    published, _paragraphs = make_document(paragraphs=1, phase=Phase.OPEN)
    commented, (paragraph,) = make_document(paragraphs=1, phase=Phase.DRAFT)
    make_comment(paragraph)

    page = html(client.get(import_url(published)))
    assert "Changes after publication are made as a revision." in page
    token = csrf_from(html(client.get(f"/en/admin/consultations/{commented.id}/structure")))
    response = client.post(
        import_url(commented), data={"csrf_token": token, "pasted": "1 X\n\nY", "replace": "y"}
    )
    assert response.status_code == 409
    assert "already has comments" in html(response)
    assert structure(commented.id)[0][2][0][2] != "Y"


def test_moderators_may_not_import_and_anonymous_people_sign_in(client, login):
    consultation = draft()
    assert client.get(import_url(consultation)).status_code == 302
    login(make_staff(Role.MODERATOR))
    assert client.get(import_url(consultation)).status_code == 403


def test_unknown_consultation_is_404(client, admin):
    assert client.get("/en/admin/consultations/999999/import").status_code == 404


# Command line --------------------------------------------------------------------------------


def test_cli_imports_into_an_existing_draft_and_refuses_to_replace(app, db, tmp_path):
    consultation, _paragraphs = make_document(paragraphs=1, phase=Phase.DRAFT, slug="kim-test")
    path = tmp_path / "konzept.docx"
    path.write_bytes(sample_docx())
    runner = app.test_cli_runner()

    refused = runner.invoke(
        args=["consult", "import-document", str(path), "--consultation", "kim-test"]
    )
    assert refused.exit_code == 1
    assert "add --replace" in refused.output

    done = runner.invoke(
        args=["consult", "import-document", str(path), "--consultation", "kim-test", "--replace"]
    )
    assert done.exit_code == 0, done.output
    assert "Imported 3 chapters and 7 paragraphs into kim-test." in done.output
    assert len(structure(consultation.id)) == 3


def test_cli_creates_a_draft_and_reports_bad_files(app, db, tmp_path):
    good = tmp_path / "konzept.md"
    good.write_text("# 1 Ziele\n\nText.\n", encoding="utf-8")
    bad = tmp_path / "alt.doc"
    bad.write_bytes(OLE + b"\x00" * 600)
    runner = app.test_cli_runner()

    created = runner.invoke(
        args=[
            "consult",
            "import-document",
            str(good),
            "--consultation",
            "neuer-entwurf",
            "--create",
            "--title",
            "Neuer Entwurf",
        ]
    )
    assert created.exit_code == 0, created.output
    consultation = _db.session.scalar(
        select(Consultation).where(Consultation.slug == "neuer-entwurf")
    )
    assert consultation.phase is Phase.DRAFT
    assert structure(consultation.id) == [(1, "Ziele", [("1.1", "", "Text.")])]

    failed = runner.invoke(
        args=[
            "consult",
            "import-document",
            str(bad),
            "--consultation",
            "neuer-entwurf",
            "--replace",
        ]
    )
    assert failed.exit_code == 1
    assert "This is an old Word file (.doc)." in failed.output
    assert structure(consultation.id) == [(1, "Ziele", [("1.1", "", "Text.")])]


# The demo concept as a Word document ---------------------------------------------------------


def concept_as_docx(concept: dict) -> bytes:
    """The demo concept written as a county would in Word: Heading 1 "0 Vorbemerkung", Heading 2
    per paragraph title, body paragraphs, real Word lists."""
    document = docx.Document()
    for chapter in concept["chapters"]:
        document.add_heading(f"{chapter['number']} {chapter['title']}", 1)
        for position, paragraph in enumerate(chapter["paragraphs"], start=1):
            document.add_heading(f"{chapter['number']}.{position} {paragraph['title']}", 2)
            for block in paragraph["text"].strip().split("\n\n"):
                lines = block.strip().split("\n")
                if all(line.startswith("- ") for line in lines):
                    for line in lines:
                        document.add_paragraph(line[2:], style="List Bullet")
                else:
                    document.add_paragraph(" ".join(lines))
    return docx_bytes(document)


def test_the_demo_concept_survives_a_round_trip_through_word(client, admin):
    concept = tomllib.loads(CONCEPT_FILE.read_text(encoding="utf-8"))
    consultation = draft()

    response = upload(client, consultation, concept_as_docx(concept), "demo.docx")

    assert response.status_code == 303
    imported = structure(consultation.id)
    assert [(n, t) for n, t, _ in imported] == [
        (c["number"], c["title"]) for c in concept["chapters"]
    ]
    for (number, _title, paragraphs), chapter in zip(imported, concept["chapters"], strict=True):
        expected = [
            (
                f"{number}.{i}",
                p["title"],
                "\n\n".join(b.strip() for b in p["text"].strip().split("\n\n")),
            )
            for i, p in enumerate(chapter["paragraphs"], start=1)
        ]
        assert paragraphs == expected
    total = sum(len(c["paragraphs"]) for c in concept["chapters"])
    assert (
        _db.session.scalar(
            select(func.count())
            .select_from(Paragraph)
            .where(Paragraph.consultation_id == consultation.id)
        )
        == total
    )

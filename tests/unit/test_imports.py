"""The importers: Word documents built here with python-docx, Markdown and pasted text, and
every kind of bad file."""

import io
import zipfile

import docx
import pytest

from consult.services import imports
from consult.services.drafts import chapter_numbers
from consult.services.imports.model import split_heading_number

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def sample_docx() -> bytes:
    """A concept as a county writes it: text before the first heading, numbered headings,
    paragraph titles, a numbered list, bullets and a table."""
    document = docx.Document()
    document.add_paragraph("Entwurf, Stand November 2026.")
    document.add_heading("1 Einleitung", 1)
    document.add_paragraph("Der Kreis legt   ein Konzept\tvor.")
    document.add_paragraph("")
    document.add_paragraph("Es hat drei Teile:")
    for item in ("Koordinierung", "Case Management", "Ausländerbehörde"):
        document.add_paragraph(item, style="List Number")
    document.add_paragraph("Die Ziele sind:")
    for item in ("Teilhabe", "Transparenz"):
        document.add_paragraph(item, style="List Bullet")
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(
        table.rows,
        [("SGB II", "Jobcenter", "Bund"), ("SGB VIII", "Jugendamt", "Kreis")],
        strict=True,
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_heading("Kapitel 3: Ziele und Zielgruppe", 1)
    document.add_heading("3.2 Zielgruppe", 2)
    document.add_paragraph("Primär Neuzugewanderte.")
    document.add_paragraph("Sekundär alle anderen.")
    document.add_heading("Zugang", 3)
    document.add_paragraph("Über Verweisung.")
    return docx_bytes(document)


# DOCX ----------------------------------------------------------------------------------------


def test_docx_headings_become_chapters_and_titles_and_numbers_are_kept():
    draft = imports.parse_docx(sample_docx())

    assert draft.source_format == "docx"
    assert [(c.number, c.title) for c in draft.chapters] == [
        (None, ""),
        (1, "Einleitung"),
        (3, "Ziele und Zielgruppe"),
    ]
    preface, introduction, goals = draft.chapters
    assert [p.text for p in preface.paragraphs] == ["Entwurf, Stand November 2026."]
    assert [p.title for p in goals.paragraphs] == ["Zielgruppe", "Zugang"]
    # A titled section gathers everything up to the next heading.
    assert goals.paragraphs[0].text == "Primär Neuzugewanderte.\n\nSekundär alle anderen."
    assert introduction.paragraphs[0].text == "Der Kreis legt ein Konzept vor."


def test_docx_lists_join_the_paragraph_before_them_and_tables_become_rows():
    introduction = imports.parse_docx(sample_docx()).chapters[1]

    assert [p.text for p in introduction.paragraphs] == [
        "Der Kreis legt ein Konzept vor.",
        "Es hat drei Teile:\n\n1. Koordinierung\n2. Case Management\n3. Ausländerbehörde",
        "Die Ziele sind:\n\n- Teilhabe\n- Transparenz",
        "- SGB II · Jobcenter · Bund\n- SGB VIII · Jugendamt · Kreis",
    ]


def test_docx_numbered_list_continues_its_numbers_across_an_interruption():
    document = docx.Document()
    document.add_heading("2 Rahmen", 1)
    document.add_paragraph("Erstens:")
    document.add_paragraph("eins", style="List Number")
    document.add_paragraph("zwei", style="List Number")
    document.add_paragraph("Weiter:")
    document.add_paragraph("drei", style="List Number")

    paragraphs = imports.parse_docx(docx_bytes(document)).chapters[0].paragraphs

    # Word shows the second part of the same list as 3., and so does the draft.
    assert paragraphs[1].text == "Weiter:\n\n3. drei"


@pytest.mark.parametrize(
    ("heading", "number", "depth", "title"),
    [
        ("3 Ziele", 3, 1, "Ziele"),
        ("3. Ziele", 3, 1, "Ziele"),
        ("Kapitel 3: Ziele", 3, 1, "Ziele"),
        ("3.2 Zielgruppe", 3, 2, "Zielgruppe"),
        ("10 Sprache und Zugänglichkeit", 10, 1, "Sprache und Zugänglichkeit"),
        ("2026 bis 2028", None, 0, "2026 bis 2028"),
        ("Vorbemerkung", None, 0, "Vorbemerkung"),
    ],
)
def test_leading_numbers_of_headings(heading, number, depth, title):
    parsed = split_heading_number(heading)
    assert (parsed.number, parsed.depth, parsed.title) == (number, depth, title)


def test_chapter_numbers_from_the_import_where_unique_else_sequential():
    def numbers(*given):
        draft = imports.ImportedDraft(
            [imports.ImportedChapter(n, "", [imports.ImportedParagraph("", "x")]) for n in given]
        )
        return chapter_numbers(draft)

    assert numbers(None, 1, 2) == [0, 1, 2]
    assert numbers(3, 3, None) == [3, 4, 5]
    assert numbers(None, None) == [1, 2]
    assert numbers(0, 1, 2) == [0, 1, 2]


# Bad files -----------------------------------------------------------------------------------


def test_png_and_text_named_docx_are_not_word_documents():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    with pytest.raises(imports.NotADocx):
        imports.parse_bytes(png, imports.detect_format("konzept.docx", png))
    with pytest.raises(imports.NotADocx):
        imports.parse_bytes(b"Nur Text", "docx")


def test_a_zip_that_is_no_word_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hallo")
    with pytest.raises(imports.NotADocx):
        imports.parse_docx(buffer.getvalue())


def test_old_doc_and_encrypted_docx():
    with pytest.raises(imports.OldWordFormat):
        imports.parse_docx(OLE + b"\x00" * 600 + "WordDocument".encode("utf-16-le"))
    encrypted = OLE + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 50
    with pytest.raises(imports.EncryptedDocument):
        imports.parse_docx(encrypted)


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(101):
                member.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024
    with pytest.raises(imports.SuspiciousArchive):
        imports.parse_docx(bomb)


def test_empty_documents():
    document = docx.Document()
    document.add_paragraph("   ")
    with pytest.raises(imports.EmptyDocument):
        imports.parse_docx(docx_bytes(document))
    with pytest.raises(imports.EmptyDocument):
        imports.parse_pasted("\n\n   \n", "text")


def test_too_many_paragraphs():
    text = "\n\n".join(f"Absatz {n}." for n in range(3001))
    with pytest.raises(imports.TooManyParagraphs):
        imports.parse_pasted(text, "text")


def test_reading_stops_one_byte_after_the_limit():
    stream = io.BytesIO(b"x" * 5000)
    with pytest.raises(imports.FileTooLarge):
        imports.read_limited(stream, 100)
    assert stream.tell() == 101
    assert imports.read_limited(io.BytesIO(b"x" * 100), 100) == b"x" * 100


def test_binary_data_in_a_text_file():
    with pytest.raises(imports.NotText):
        imports.parse_bytes(b"\x89PNG\r\n\x1a\n\x00\x00", "text")
    with pytest.raises(imports.UnsupportedFormat):
        imports.detect_format("bild.png", b"\x89PNG\r\n\x1a\n\x00\x00")


# Markdown ------------------------------------------------------------------------------------


def test_markdown_structure_lists_and_inline_markup():
    draft = imports.parse_markdown(
        "# 3 Ziele\n\n"
        "Wir wollen **mehr** _Teilhabe_ und `KIM`, siehe [Land](https://mkjfgfi.nrw).\n"
        "- erstens\n* zweitens\n\n"
        "5. fünf\n1. sechs\n\n"
        "## 3.2 Zielgruppe\n\nPrimär.\n\nSekundär.\n\n"
        "# Datenschutz\n\n<script>alert(1)</script> bleibt Text, snake_case auch.\n"
    )

    assert draft.source_format == "markdown"
    assert [(c.number, c.title) for c in draft.chapters] == [(3, "Ziele"), (None, "Datenschutz")]
    goals = draft.chapters[0].paragraphs
    assert goals[0].text == (
        "Wir wollen mehr Teilhabe und KIM, siehe Land (https://mkjfgfi.nrw).\n\n"
        "- erstens\n- zweitens\n\n5. fünf\n6. sechs"
    )
    assert (goals[1].title, goals[1].text) == ("Zielgruppe", "Primär.\n\nSekundär.")
    assert draft.chapters[1].paragraphs[0].text == (
        "<script>alert(1)</script> bleibt Text, snake_case auch."
    )


# Plain text ----------------------------------------------------------------------------------


def test_plain_text_headings_paragraphs_and_lists():
    draft = imports.parse_pasted(
        "3 Ziele und Zielgruppe\n\n"
        "Der Kreis verfolgt\nzwei Ziele.\n\n"
        "- Teilhabe\n- Transparenz\n\n"
        "3.2 Zielgruppe\n\n"
        "Primär Neuzugewanderte.\n\n"
        "4 Struktur\n\n"
        "2 Stellen werden geschaffen.\n",
        "text",
    )

    assert [(c.number, c.title) for c in draft.chapters] == [
        (3, "Ziele und Zielgruppe"),
        (4, "Struktur"),
    ]
    goals = draft.chapters[0].paragraphs
    assert [(p.title, p.text) for p in goals] == [
        ("", "Der Kreis verfolgt zwei Ziele.\n\n- Teilhabe\n- Transparenz"),
        ("Zielgruppe", "Primär Neuzugewanderte."),
    ]
    # Ending like a sentence, it is text, not a heading.
    assert draft.chapters[1].paragraphs[0].text == "2 Stellen werden geschaffen."


def test_plain_text_without_headings_is_one_chapter():
    draft = imports.parse_pasted("Erster Absatz.\n\nZweiter Absatz.", "text")
    assert len(draft.chapters) == 1
    assert draft.chapters[0].number is None
    assert draft.paragraph_count == 2


def test_text_files_in_windows_encoding_and_with_a_byte_order_mark():
    assert (
        imports.parse_bytes("Maßnahme für Zugewanderte.".encode("cp1252"), "text")
        .chapters[0]
        .paragraphs[0]
        .text
        == "Maßnahme für Zugewanderte."
    )
    assert (
        imports.parse_bytes("\ufeffÄnderung.".encode(), "markdown").chapters[0].paragraphs[0].text
        == "Änderung."
    )

"""The preview of the imported draft and the actions that fix its structure: merge, split,
move, delete, add, edit, renumber; without JavaScript (303 to the paragraph) and with HTMX
(the list swapped and the result announced); locked once published or commented."""

import re

from sqlalchemy import select

from consult.extensions import db as _db
from consult.models import AuditEvent, Paragraph, Phase, Role, Section
from tests.conftest import csrf_from, html
from tests.factories import (
    make_comment,
    make_consultation,
    make_paragraph,
    make_section,
    make_staff,
)
from tests.integration.test_draft_import import structure


def draft_with(*chapters):
    """A draft whose chapters are (number, title, [(title, text), ...])."""
    consultation = make_consultation(phase=Phase.DRAFT, opens_at=None, closes_at=None)
    for position, (number, title, paragraphs) in enumerate(chapters, start=1):
        section = make_section(consultation, number, title=title, position=position)
        for index, (p_title, text) in enumerate(paragraphs, start=1):
            make_paragraph(section, index, title=p_title, text=text)
    return consultation


def page_url(consultation):
    return f"/en/admin/consultations/{consultation.id}/structure"


def paragraph(consultation, number) -> Paragraph:
    return _db.session.scalar(
        select(Paragraph).where(
            Paragraph.consultation_id == consultation.id, Paragraph.number == number
        )
    )


def post(client, consultation, path, **data):
    token = csrf_from(html(client.get(page_url(consultation))))
    return client.post(f"{page_url(consultation)}/{path}", data={"csrf_token": token, **data})


def standard_draft():
    return draft_with(
        (
            1,
            "Einleitung",
            [("Anlass", "Erster Block.\n\n- a\n- b\n\nDritter Block."), ("", "Zwei.")],
        ),
        (2, "Ziele", [("Ziel", "Ziele.")]),
    )


def test_the_preview_shows_numbers_titles_text_and_warnings(client, admin):
    consultation = draft_with(
        (0, "", [("Vorab", "Text vor der ersten Überschrift.")]),
        (
            1,
            "Einleitung",
            [("Leer", ""), ("Lang", "Wort " * 700), ("Liste", "Es gilt:\n\n1. eins\n2. zwei")],
        ),
    )

    page = html(client.get(page_url(consultation)))

    assert "2 chapters" in page and "4 paragraphs" in page
    assert "Chapter 0 has no title." in page
    assert "Paragraph 1.1 is empty." in page
    assert "Paragraph 1.2 is very long (3500 characters); consider splitting it." in page
    assert "<ol><li>eins</li><li>zwei</li></ol>" in page
    assert 'class="paragraph__number">1.3</span>' in page


def test_merge_with_the_next_paragraph(client, admin):
    consultation = standard_draft()

    response = post(client, consultation, f"paragraphs/{paragraph(consultation, '1.1').id}/merge")

    assert response.status_code == 303
    assert response.location.endswith(f"#para-{paragraph(consultation, '1.1').id}")
    assert structure(consultation.id)[0][2] == [
        ("1.1", "Anlass", "Erster Block.\n\n- a\n- b\n\nDritter Block.\n\nZwei.")
    ]
    assert "Paragraphs 1.1 and 1.2 merged." in html(client.get(response.location))
    assert _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "draft.merge"))


def test_merge_keeps_the_second_title_when_the_first_has_none(client, admin):
    consultation = draft_with((1, "K", [("", "Eins."), ("Titel", "Zwei."), ("", "Drei.")]))
    post(client, consultation, f"paragraphs/{paragraph(consultation, '1.1').id}/merge")
    assert structure(consultation.id)[0][2] == [
        ("1.1", "Titel", "Eins.\n\nZwei."),
        ("1.2", "", "Drei."),
    ]


def test_the_last_paragraph_has_nothing_to_merge_with(client, admin):
    consultation = standard_draft()
    before = structure(consultation.id)
    response = post(client, consultation, f"paragraphs/{paragraph(consultation, '2.1').id}/merge")
    assert response.status_code == 422
    assert "nothing to merge it with" in html(response)
    assert structure(consultation.id) == before


def test_split_before_a_block_with_a_new_title(client, admin):
    consultation = standard_draft()
    first = paragraph(consultation, "1.1")
    page = html(client.get(page_url(consultation)))
    assert f'<select id="para-{first.id}-block" name="block"' in page

    response = post(
        client, consultation, f"paragraphs/{first.id}/split", block="2", title="Schluss"
    )

    assert response.status_code == 303
    assert structure(consultation.id)[0][2] == [
        ("1.1", "Anlass", "Erster Block.\n\n- a\n- b"),
        ("1.2", "Schluss", "Dritter Block."),
        ("1.3", "", "Zwei."),
    ]
    assert response.location.endswith(f"#para-{paragraph(consultation, '1.2').id}")


def test_split_needs_a_block_inside_the_paragraph(client, admin):
    consultation = standard_draft()
    before = structure(consultation.id)
    response = post(
        client, consultation, f"paragraphs/{paragraph(consultation, '1.1').id}/split", block="0"
    )
    assert response.status_code == 422
    assert "Please choose where the new paragraph starts." in html(response)
    assert structure(consultation.id) == before


def test_move_down_and_up(client, admin):
    consultation = standard_draft()
    moving = paragraph(consultation, "1.1")

    post(client, consultation, f"paragraphs/{moving.id}/move", direction="down")
    assert [p[1] for p in structure(consultation.id)[0][2]] == ["", "Anlass"]
    post(client, consultation, f"paragraphs/{moving.id}/move", direction="up")
    assert [p[:2] for p in structure(consultation.id)[0][2]] == [("1.1", "Anlass"), ("1.2", "")]

    response = post(client, consultation, f"paragraphs/{moving.id}/move", direction="up")
    assert response.status_code == 422


def test_delete_and_add_paragraphs(client, admin):
    consultation = standard_draft()
    chapter = _db.session.scalar(
        select(Section).where(Section.consultation_id == consultation.id, Section.number == 1)
    )

    post(client, consultation, f"paragraphs/{paragraph(consultation, '1.1').id}/delete")
    assert structure(consultation.id)[0][2] == [("1.1", "", "Zwei.")]

    response = post(
        client,
        consultation,
        f"chapters/{chapter.id}/paragraphs",
        title="Neu",
        text="Neuer\r\nText.",
    )
    assert response.status_code == 303
    assert structure(consultation.id)[0][2] == [
        ("1.1", "", "Zwei."),
        ("1.2", "Neu", "Neuer\nText."),
    ]


def test_edit_a_chapter_and_its_paragraph_numbers_follow(client, admin):
    consultation = standard_draft()
    chapter = _db.session.scalar(
        select(Section).where(Section.consultation_id == consultation.id, Section.number == 1)
    )

    taken = post(client, consultation, f"chapters/{chapter.id}", number="2", title="X")
    assert taken.status_code == 422
    assert "Another chapter already has the number 2." in html(taken)

    post(client, consultation, f"chapters/{chapter.id}", number="5", title="Einführung")
    assert [(n, t, [p[0] for p in ps]) for n, t, ps in structure(consultation.id)] == [
        (5, "Einführung", ["5.1", "5.2"]),
        (2, "Ziele", ["2.1"]),
    ]


def test_fix_numbering_from_zero_or_one(client, admin):
    consultation = draft_with(
        (3, "A", [("", "a1"), ("", "a2")]),
        (1, "B", [("", "b1")]),
        (2, "C", [("", "c1")]),
    )

    post(client, consultation, "numbering", start="1")
    assert [(n, [p[0] for p in ps]) for n, _t, ps in structure(consultation.id)] == [
        (1, ["1.1", "1.2"]),
        (2, ["2.1"]),
        (3, ["3.1"]),
    ]
    post(client, consultation, "numbering", start="0")
    assert [n for n, _t, _ps in structure(consultation.id)] == [0, 1, 2]
    assert paragraph(consultation, "0.2").text == "a2"


def test_delete_only_an_empty_chapter(client, admin):
    consultation = draft_with((1, "Voll", [("", "Text.")]), (2, "Leer", []))
    full, empty = _db.session.scalars(
        select(Section).where(Section.consultation_id == consultation.id).order_by(Section.position)
    )
    refused = post(client, consultation, f"chapters/{full.id}/delete")
    assert refused.status_code == 422
    assert post(client, consultation, f"chapters/{empty.id}/delete").status_code == 303
    assert [n for n, _t, _ps in structure(consultation.id)] == [1]


def test_edit_a_paragraph_on_its_own_page(client, admin):
    consultation = standard_draft()
    edited = paragraph(consultation, "1.2")
    url = f"{page_url(consultation)}/paragraphs/{edited.id}/edit"

    page = html(client.get(url))
    assert "Edit paragraph 1.2" in page
    token = csrf_from(page)
    response = client.post(
        url, data={"csrf_token": token, "title": "Zweck", "text": "Neu.\r\n\r\n- x"}
    )

    assert response.status_code == 303
    assert structure(consultation.id)[0][2][1] == ("1.2", "Zweck", "Neu.\n\n- x")
    too_long = client.post(url, data={"csrf_token": token, "title": "T" * 301, "text": "Behalten"})
    assert too_long.status_code == 422
    assert "Behalten" in html(too_long)


# HTMX ----------------------------------------------------------------------------------------


def test_with_htmx_the_list_is_swapped_and_the_result_announced(client, hx, admin):
    consultation = standard_draft()
    first = paragraph(consultation, "1.1")
    token = csrf_from(html(client.get(page_url(consultation))))

    response = hx.post(
        f"{page_url(consultation)}/paragraphs/{first.id}/move",
        data={"csrf_token": token, "direction": "down"},
    )

    assert response.status_code == 200
    fragment = html(response)
    assert fragment.lstrip().startswith('<div id="structure"')
    assert 'data-announce="The paragraph is now 1.2."' in fragment
    assert re.search(rf'id="para-{first.id}-title" tabindex="-1" data-focus', fragment)
    assert response.headers["HX-Retarget"] == "#structure"


def test_inline_editing_with_htmx(client, hx, admin):
    consultation = standard_draft()
    edited = paragraph(consultation, "2.1")
    url = f"{page_url(consultation)}/paragraphs/{edited.id}/edit"

    form = html(hx.get(url))
    assert form.lstrip().startswith(
        f'<article class="draft-paragraph draft-paragraph--editing" id="para-{edited.id}"'
    )
    token = csrf_from(form)
    invalid = hx.post(url, data={"csrf_token": token, "title": "T" * 301, "text": "Entwurf"})
    assert invalid.status_code == 422
    assert "HX-Retarget" not in invalid.headers
    saved = hx.post(url, data={"csrf_token": token, "title": "Ziel", "text": "Neue Ziele."})
    assert saved.status_code == 200
    assert 'data-announce="Paragraph 2.1 saved."' in html(saved)
    assert structure(consultation.id)[1][2] == [("2.1", "Ziel", "Neue Ziele.")]


# Lock and permissions ------------------------------------------------------------------------


def test_after_publication_the_structure_is_read_only(client, admin):
    consultation = standard_draft()
    consultation.phase = Phase.OPEN
    _db.session.flush()
    before = structure(consultation.id)

    page = html(client.get(page_url(consultation)))
    assert "Changes after publication are made as a revision." in page
    assert "/merge" not in page and "Fix numbering" not in page
    response = post(client, consultation, f"paragraphs/{paragraph(consultation, '1.1').id}/merge")
    assert response.status_code == 409
    assert structure(consultation.id) == before


def test_comments_lock_the_structure(client, admin):
    consultation = standard_draft()
    make_comment(paragraph(consultation, "1.1"))
    before = structure(consultation.id)
    response = post(client, consultation, f"paragraphs/{paragraph(consultation, '1.1').id}/delete")
    assert response.status_code == 409
    assert "already has comments" in html(response)
    assert structure(consultation.id) == before


def test_moderators_get_403_and_anonymous_people_sign_in(client, login):
    consultation = standard_draft()
    assert client.get(page_url(consultation)).status_code == 302
    login(make_staff(Role.MODERATOR))
    assert client.get(page_url(consultation)).status_code == 403
    assert client.post(f"{page_url(consultation)}/numbering", data={"start": "1"}).status_code in (
        400,
        403,
    )


# Query budget --------------------------------------------------------------------------------

STRUCTURE_BUDGET = 6


def test_the_structure_page_costs_the_same_for_3_and_100_paragraphs(client, admin, count_queries):
    small = draft_with((1, "K", [("", f"Absatz {n}.") for n in range(3)]))
    large = draft_with(
        (1, "K", [("", f"Absatz {n}.\n\nZweiter Block.") for n in range(50)]),
        (2, "L", [("", f"Absatz {n}.") for n in range(50)]),
    )
    counts = []
    for consultation in (small, large):
        _db.session.flush()
        _db.session.expunge_all()
        with count_queries() as counter:
            assert client.get(page_url(consultation)).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] <= STRUCTURE_BUDGET

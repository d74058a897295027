"""Reading: start page, the draft, a paragraph's thread — as a reader with and without HTMX."""

import re

from consult.models import CommentStatus, Phase
from tests.factories import make_comment, make_document


def test_start_page_lists_public_consultations_but_not_drafts(client):
    open_one, _ = make_document(title="Offenes Konzept")
    make_document(title="Geheimer Entwurf", phase=Phase.DRAFT)
    html = client.get("/de/").get_data(as_text=True)
    assert "Offenes Konzept" in html
    assert "Geheimer Entwurf" not in html
    assert f"/de/c/{open_one.slug}/" in html


def test_sample_consultation_carries_its_banner(client):
    consultation, _ = make_document(is_sample=True)
    html = client.get(f"/de/c/{consultation.slug}/").get_data(as_text=True)
    assert "sample-banner" in html


def test_document_shows_numbered_paragraphs_with_stable_anchors_and_counts(client):
    consultation, (first, second, _) = make_document(paragraphs=3)
    make_comment(first, status=CommentStatus.APPROVED)
    make_comment(first, status=CommentStatus.APPROVED)
    make_comment(second, status=CommentStatus.PENDING)
    response = client.get(f"/en/c/{consultation.slug}/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="p-1-1"' in html and 'id="p-1-2"' in html and 'id="p-1-3"' in html
    assert "2 comments" in html  # paragraph 1.1: two published
    assert "0 comments" in html  # pending comments are not counted


def test_draft_consultation_is_hidden_from_readers(client):
    consultation, _ = make_document(phase=Phase.DRAFT)
    assert client.get(f"/de/c/{consultation.slug}/").status_code == 404


def test_unknown_consultation_and_paragraph_are_404(client):
    consultation, _ = make_document()
    assert client.get("/de/c/does-not-exist/").status_code == 404
    assert client.get(f"/de/c/{consultation.slug}/p/9.9").status_code == 404


def test_thread_shows_only_approved_comments_with_group_kind_and_name(client):
    consultation, (paragraph, *_) = make_document()
    make_comment(
        paragraph,
        text="Öffentlich sichtbar",
        pseudonym="Lotsin Wittgenstein",
        status=CommentStatus.APPROVED,
    )
    make_comment(paragraph, text="Ohne Namen", status=CommentStatus.APPROVED)
    make_comment(paragraph, text="Noch in Prüfung", status=CommentStatus.PENDING)
    make_comment(paragraph, text="Abgelehnter Text", status=CommentStatus.REJECTED)
    html = client.get(f"/en/c/{consultation.slug}/p/1.1").get_data(as_text=True)
    assert "Öffentlich sichtbar" in html and "Lotsin Wittgenstein" in html
    assert "Ohne Namen" in html and "anonymous" in html
    assert "Individual" in html and "Objection or concern" in html
    assert "Noch in Prüfung" not in html
    assert "Abgelehnter Text" not in html


def test_pending_and_rejected_comments_appear_on_no_public_page(client):
    consultation, paragraphs = make_document()
    for paragraph in paragraphs:
        make_comment(paragraph, text=f"GEHEIM-{paragraph.number}", status=CommentStatus.PENDING)
        make_comment(paragraph, text=f"ABGELEHNT-{paragraph.number}", status=CommentStatus.REJECTED)
    urls = ["/de/", f"/de/c/{consultation.slug}/"] + [
        f"/de/c/{consultation.slug}/p/{p.number}" for p in paragraphs
    ]
    for url in urls:
        for headers in ({}, {"HX-Request": "true"}):
            html = client.get(url, headers=headers).get_data(as_text=True)
            assert "GEHEIM-" not in html and "ABGELEHNT-" not in html, url


def test_thread_with_htmx_is_a_fragment_and_without_is_a_page(client, hx):
    consultation, (paragraph, *_) = make_document()
    make_comment(paragraph, text="Sichtbarer Kommentar", status=CommentStatus.APPROVED)
    url = f"/de/c/{consultation.slug}/p/1.1"

    page = client.get(url)
    fragment = hx.get(url)

    assert page.get_data(as_text=True).startswith("<!doctype html>")
    fragment_html = fragment.get_data(as_text=True).strip()
    assert fragment_html.startswith('<section class="thread" id="thread-p-1-1"')
    assert "<html" not in fragment_html
    assert "Sichtbarer Kommentar" in fragment_html
    assert "HX-Request" in page.headers["Vary"] and "HX-Request" in fragment.headers["Vary"]


def test_comment_text_is_escaped(client):
    consultation, (paragraph, *_) = make_document()
    make_comment(
        paragraph, text="<script>alert(1)</script><b>fett</b>", status=CommentStatus.APPROVED
    )
    html = client.get(f"/de/c/{consultation.slug}/p/1.1").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_paragraph_text_lists_become_lists_and_markup_stays_text(client):
    consultation, _ = make_document(paragraphs=0)
    from tests.factories import make_paragraph, make_section

    section = make_section(consultation, number=2)
    make_paragraph(section, 1, text="Die Rechtskreise:\n\n- SGB II\n- SGB III\n\n<i>kein HTML</i>")
    html = client.get(f"/de/c/{consultation.slug}/").get_data(as_text=True)
    assert "<ul><li>SGB II</li><li>SGB III</li></ul>" in html
    assert "&lt;i&gt;kein HTML&lt;/i&gt;" in html


def test_privacy_page_is_reachable(client):
    response = client.get("/en/privacy")
    assert response.status_code == 200
    assert "IP address" in response.get_data(as_text=True)


def test_nul_bytes_are_a_clear_400_on_every_backend(client):
    consultation, _ = make_document()
    assert client.get("/de/c/%00/").status_code == 400
    assert client.get(f"/de/c/{consultation.slug}/p/%00").status_code == 400
    assert client.get("/de/?q=%00").status_code == 400


def test_reserved_url_parameters_do_not_break_the_language_switcher(client):
    for query in ("_method=POST", "_external=1", "_anchor=x", "_scheme=javascript"):
        response = client.get(f"/de/?{query}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200, query
        assert f'href="/en/?{query}"' in html
        assert "http://" not in html.split("<footer", 1)[0]


def test_error_responses_keep_allow_header(client):
    response = client.get("/de/staff/logout")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_german_content_stays_left_to_right(client):
    consultation, _ = make_document()
    html = client.get(f"/en/c/{consultation.slug}/").get_data(as_text=True)
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    german = re.findall(r' lang="de"( dir="ltr")?', main)
    assert german and all(german)

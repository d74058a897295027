"""The document page costs the same few queries for 10 and for 1,000 comments."""

from consult.extensions import db as _db
from consult.models import CommentStatus
from tests.factories import insert_published_comments, make_document

# The consultation with its chapters and paragraphs (three), and the glossary whose terms are
# marked in the text (one, however many terms and paragraphs).
DOCUMENT_PAGE_BUDGET = 4
# A reader in another language than German also gets the draft's translations into it: one
# query for the paragraphs' and one for the chapters' (title, Kurz erklärt), however many there
# are. German readers need none, so their budget stays DOCUMENT_PAGE_BUDGET.
TRANSLATED_DOCUMENT_PAGE_BUDGET = DOCUMENT_PAGE_BUDGET + 2
THREAD_BUDGET = 4


def add_published_comments(paragraphs, total):
    insert_published_comments(paragraphs, total)
    for index, paragraph in enumerate(paragraphs):
        paragraph.published_comment_count = sum(
            1 for i in range(total) if i % len(paragraphs) == index
        )
    _db.session.flush()


def fresh_session():
    """A request in production starts with an empty identity map; so does a measured one."""
    _db.session.flush()
    _db.session.expunge_all()


def document_page_queries(client, count_queries, slug, lang="de"):
    fresh_session()
    with count_queries() as counter:
        response = client.get(f"/{lang}/c/{slug}/")
    assert response.status_code == 200
    return counter.count, response.get_data(as_text=True)


def test_document_page_queries_do_not_grow_with_comments(client, count_queries):
    small, small_paragraphs = make_document(paragraphs=10)
    large, large_paragraphs = make_document(paragraphs=10)
    add_published_comments(small_paragraphs, 10)
    add_published_comments(large_paragraphs, 1000)
    small, large = small.slug, large.slug

    small_count, _ = document_page_queries(client, count_queries, small)
    for n in range(30):
        add_glossary_term(f"Begriff{n}")
    add_glossary_term("Verwaltung")
    large_count, html = document_page_queries(client, count_queries, large)

    assert small_count == large_count <= DOCUMENT_PAGE_BUDGET
    assert "100 Kommentare" in html
    assert html.count('<a class="term" href="/de/glossary#verwaltung"') == 10


def add_glossary_term(term):
    from consult.models.types import utcnow
    from consult.services import glossary

    glossary.create_term(
        glossary.TermDetails(term, (), {"de": glossary.ExplanationText("", "Erklärt.")}),
        languages=("de",),
        actor=None,
        now=utcnow(),
    )


def test_translations_cost_two_queries_however_many_and_none_in_german(client, count_queries):
    from consult.models import Role
    from consult.models.types import utcnow
    from consult.services import translations
    from tests.factories import make_staff

    actor = make_staff(role=Role.ADMIN)
    few, few_paragraphs = make_document(paragraphs=10)
    many, many_paragraphs = make_document(paragraphs=10)
    for paragraphs, count in ((few_paragraphs, 1), (many_paragraphs, 10)):
        for paragraph in paragraphs[:count]:
            translations.save_paragraph_translation(
                paragraph.consultation,
                paragraph,
                "en",
                title="Paragraph",
                text=f"Translated text {paragraph.number}",
                enabled=("de", "en"),
                actor=actor,
                now=utcnow(),
            )

    few_count, _ = document_page_queries(client, count_queries, few.slug, lang="en")
    many_count, html = document_page_queries(client, count_queries, many.slug, lang="en")
    german_count, _ = document_page_queries(client, count_queries, many.slug)

    assert few_count == many_count == german_count + 2
    assert many_count <= TRANSLATED_DOCUMENT_PAGE_BUDGET
    assert "Translated text 1.10" in html


def test_thread_fragment_queries_do_not_grow_with_comments(hx, count_queries):
    consultation, paragraphs = make_document(paragraphs=2)
    add_published_comments(paragraphs[:1], 5)
    add_published_comments(paragraphs[1:], 300)
    urls = [f"/de/c/{consultation.slug}/p/{paragraph.number}" for paragraph in paragraphs]
    counts = []
    for url in urls:
        fresh_session()
        with count_queries() as counter:
            assert hx.get(url).status_code == 200
        counts.append(counter.count)
    # The target, the number matching, one page of comments, and their replies.
    assert counts[0] == counts[1] <= THREAD_BUDGET


def test_moderation_queue_queries_are_bounded(client, login, count_queries):
    from consult.models import CommentKind, Flag, RejectionReason, Role
    from tests.factories import make_comment, make_staff

    def queue_queries():
        fresh_session()
        with count_queries() as counter:
            response = client.get("/en/moderation/")
        assert response.status_code == 200
        return counter.count

    _consultation, paragraphs = make_document(paragraphs=5)
    moderator = make_staff(
        role=Role.MODERATOR, limited_to_consultations=True, consultations=[_consultation]
    )
    login(moderator)

    def add_items(count):
        for i in range(count):
            make_comment(paragraphs[i % 5], kind=None if i % 7 == 0 else CommentKind.NOTE)
        reported = make_comment(paragraphs[0], status=CommentStatus.APPROVED, open_flag_count=1)
        _db.session.add(Flag(comment_id=reported.id, reason=RejectionReason.SPAM))
        _db.session.commit()

    add_items(5)
    few = queue_queries()
    add_items(60)
    # The user, the moderator's consultations, the facet rows, the labels of consultations and
    # chapters, the page of items with their context, and the reports on the items shown.
    assert few == queue_queries() <= 7


def test_glossary_pages_cost_the_same_for_one_term_and_many(client, admin, count_queries):
    from consult.models.types import utcnow
    from consult.services import glossary

    def queries(url):
        fresh_session()
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200
        return counter.count, response.get_data(as_text=True)

    def add_explained_term(term):
        glossary.create_term(
            glossary.TermDetails(
                term,
                (f"{term}s",),
                {
                    "de": glossary.ExplanationText("", f"{term} erklärt."),
                    "en": glossary.ExplanationText(term, f"{term} explained."),
                },
            ),
            languages=("de", "en"),
            actor=None,
            now=utcnow(),
        )

    add_explained_term("Kreistag")
    pages = ("/en/admin/glossary/", "/en/admin/glossary/?q=erkl", "/en/glossary")
    few = [queries(url)[0] for url in pages]
    for n in range(40):
        add_explained_term(f"Begriff {n:02}")
    many = [queries(url) for url in pages]
    assert [count for count, _html in many] == few
    # Each page loads the signed-in user; then the staff list the terms and their explanations
    # (a query each, searched or not), the public page the glossary in one.
    assert few == [3, 3, 2]
    assert all("Begriff 39" in page for _count, page in many)


def test_reading_aids_pages_cost_the_same_for_one_chapter_and_many(
    app, client, admin, count_queries, monkeypatch
):
    from consult.models import Role
    from consult.models.types import utcnow
    from consult.services import translations
    from tests.factories import make_consultation, make_paragraph, make_section, make_staff

    languages = ("de", "en", "ar")
    monkeypatch.setitem(app.config, "LANGUAGES", list(languages))
    actor = make_staff(role=Role.ADMIN)

    def translated_draft(chapters, paragraphs):
        consultation = make_consultation()
        for number in range(1, chapters + 1):
            section = make_section(consultation, number=number, plain_summary="Kurz.")
            for language in ("en", "ar"):
                translations.save_section_translation(
                    section,
                    language,
                    title="Chapter",
                    plain_summary="Short.",
                    enabled=languages,
                    actor=actor,
                    now=utcnow(),
                )
            for index in range(1, paragraphs + 1):
                paragraph = make_paragraph(section, index)
                for language in ("en", "ar"):
                    translations.save_paragraph_translation(
                        consultation,
                        paragraph,
                        language,
                        title="Paragraph",
                        text=f"Translated {paragraph.number}",
                        enabled=languages,
                        actor=actor,
                        now=utcnow(),
                    )
        return consultation.id

    def queries(consultation_id):
        base = f"/en/admin/consultations/{consultation_id}/reading-aids"
        counts = []
        for url in (base, f"{base}/ar/chapter/1", f"{base}/de/chapter/1"):
            fresh_session()
            with count_queries() as counter:
                response = client.get(url)
            assert response.status_code == 200
            counts.append(counter.count)
        return counts, response.get_data(as_text=True)

    few, _ = queries(translated_draft(chapters=1, paragraphs=1))
    many, _ = queries(translated_draft(chapters=6, paragraphs=12))
    assert many == few
    # The signed-in user, then the draft (three) and its translations (two; none in German).
    assert few == [6, 6, 4]

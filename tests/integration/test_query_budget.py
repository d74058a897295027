"""The document page costs the same few queries for 10 and for 1,000 comments."""

from consult.extensions import db as _db
from consult.models import CommentStatus
from tests.factories import insert_published_comments, make_document

DOCUMENT_PAGE_BUDGET = 3
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


def document_page_queries(client, count_queries, slug):
    fresh_session()
    with count_queries() as counter:
        response = client.get(f"/de/c/{slug}/")
    assert response.status_code == 200
    return counter.count, response.get_data(as_text=True)


def test_document_page_queries_do_not_grow_with_comments(client, count_queries):
    small, small_paragraphs = make_document(paragraphs=10)
    large, large_paragraphs = make_document(paragraphs=10)
    add_published_comments(small_paragraphs, 10)
    add_published_comments(large_paragraphs, 1000)
    small, large = small.slug, large.slug

    small_count, _ = document_page_queries(client, count_queries, small)
    large_count, html = document_page_queries(client, count_queries, large)

    assert small_count == large_count <= DOCUMENT_PAGE_BUDGET
    assert "100 Kommentare" in html


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

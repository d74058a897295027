"""The public results: who may see them when, figures that match a hand-built world exactly,
charts with a table beside them, the heatmap strip, chapter pages with the answers and never an
individual's name, right-to-left rendering, and a constant number of queries."""

from types import SimpleNamespace

import lxml.html
import pytest
from sqlalchemy import select

from consult.extensions import db as _db
from consult.models import (
    Comment,
    CommentKind,
    CommentStatus,
    Phase,
    Recommendation,
    Role,
    StakeholderGroup,
)
from consult.redaction import REDACTION_MARK
from consult.services import results as results_service
from tests.conftest import html
from tests.factories import (
    insert_published_comments,
    make_answer,
    make_comment,
    make_consultation,
    make_organisation,
    make_paragraph,
    make_section,
    make_staff,
)

APPROVED = CommentStatus.APPROVED
SECRET_NAMES = ("Layla Geheim", "Heimlicher Hans", "Ausgeschlossen")


def parse(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(html(response))


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def table_rows(document, caption: str) -> dict[str, str]:
    """A two-column table as {row heading: value}, found by its caption."""
    [table] = document.xpath(f'//table[caption[normalize-space()="{caption}"]]')
    return {
        text_of(row.xpath("th")[0]): text_of(row.xpath("td")[0])
        for row in table.xpath(".//tr[th[@scope='row']]")
    }


@pytest.fixture
def world(db):
    """Two chapters, comments of every kind of author and state, and the answers to some.

    Counted: c1-c7 (7 comments; 4 by organisations, 3 by individuals). Not counted: pending,
    rejected, withdrawn and hidden comments, replies and a staff member's own comment.
    """
    consultation = make_consultation(phase=Phase.RESULTS, draft_version=2)
    chapter1 = make_section(consultation, number=1, title="Einleitung")
    chapter2 = make_section(consultation, number=2, title="Ziele und Zielgruppe")
    p11 = make_paragraph(chapter1, 1, title="Anlass")
    p12 = make_paragraph(chapter1, 2, title="Zuwanderung")
    p21 = make_paragraph(chapter2, 1, title="Primäre Zielgruppe")
    p22 = make_paragraph(chapter2, 2, title="Zugang", removed_in_version=2)
    caritas = make_organisation(
        name="Caritas Migrationsdienst", group=StakeholderGroup.WELFARE_ASSOCIATION
    )
    mso = make_organisation(
        name="Kurdischer Kulturverein", group=StakeholderGroup.MIGRANT_ORGANISATION, verified=False
    )
    welfare, migrant = StakeholderGroup.WELFARE_ASSOCIATION, StakeholderGroup.MIGRANT_ORGANISATION

    c1 = make_comment(
        p11,
        status=APPROVED,
        organisation_id=caritas.id,
        group=welfare,
        kind=CommentKind.OBJECTION,
        text="Die Zielgruppe ist zu eng.",
        reference="A-001",
    )
    c2 = make_comment(
        p11,
        status=APPROVED,
        pseudonym=SECRET_NAMES[0],
        kind=CommentKind.SUGGESTION,
        language="ar",
        text=f"أقترح لغة أبسط. Meine Nachbarin {REDACTION_MARK} weiß das.",
        reference="B-001",
    )
    c3 = make_comment(
        p11, status=APPROVED, organisation_id=caritas.id, group=welfare, kind=CommentKind.SUPPORT
    )
    c4 = make_comment(
        p21, status=APPROVED, organisation_id=mso.id, group=migrant, kind=CommentKind.QUESTION
    )
    c5 = make_comment(
        p22,
        status=APPROVED,
        pseudonym=SECRET_NAMES[1],
        kind=CommentKind.NOTE,
        text="Der Zugang über die Ausländerbehörde macht Angst.",
    )
    c6 = make_comment(section=chapter2, status=APPROVED, kind=CommentKind.OBJECTION)
    c7 = make_comment(
        consultation=consultation,
        status=APPROVED,
        organisation_id=mso.id,
        group=migrant,
        kind=CommentKind.SUGGESTION,
    )
    make_answer(
        c1,
        c5,
        recommendation=Recommendation.ADOPTED,
        text="Wir erweitern die Zielgruppe.",
        change_text="Absatz 1.1 nennt alle Zugewanderten.",
    )
    make_answer(c2, recommendation=Recommendation.NOT_ADOPTED, text="Das bleibt so.")
    make_answer(c4, recommendation=Recommendation.NOTED, text="Danke für die Frage.")
    make_answer(c7, recommendation=Recommendation.PARTLY_ADOPTED, text="Teilweise.")
    # A draft answer without its reply is not an answer yet.
    make_answer(c3, recommendation=Recommendation.ADOPTED, text="")

    for status in (
        CommentStatus.PENDING,
        CommentStatus.REJECTED,
        CommentStatus.WITHDRAWN,
        CommentStatus.HIDDEN,
    ):
        make_comment(p11, status=status, pseudonym=SECRET_NAMES[2], text=f"Nicht {status}")
    make_comment(parent=c1, status=APPROVED, pseudonym=SECRET_NAMES[2], text="Antwort")
    make_comment(parent=c1, status=CommentStatus.PENDING, text="Wartende Antwort")
    staff = make_staff(role=Role.ADMIN)
    make_comment(p12, status=APPROVED, staff_author_id=staff.id, text="Von der Verwaltung")
    return SimpleNamespace(
        consultation=consultation,
        slug=consultation.slug,
        chapters=(chapter1, chapter2),
        paragraphs=(p11, p12, p21, p22),
        comments=(c1, c2, c3, c4, c5, c6, c7),
        staff=staff,
    )


def overview_url(world, lang="en"):
    return f"/{lang}/c/{world.slug}/results"


def chapter_url(world, number, lang="en"):
    return f"/{lang}/c/{world.slug}/results/chapter/{number}"


# Who sees the results, and when -----------------------------------------------------------


@pytest.mark.parametrize("phase", [Phase.DRAFT, Phase.PREVIEW, Phase.OPEN, Phase.EVALUATION])
def test_results_are_a_404_for_readers_before_they_are_published(client, world, phase):
    world.consultation.phase = phase
    _db.session.flush()
    for url in (
        overview_url(world),
        chapter_url(world, 1),
        f"/en/c/{world.slug}/results/draft",
    ):
        assert client.get(url).status_code == 404


def test_staff_preview_results_before_publication_with_a_banner(client, login, world):
    world.consultation.phase = Phase.EVALUATION
    _db.session.flush()
    login(make_staff(role=Role.MODERATOR))
    overview = html(client.get(overview_url(world)))
    assert "Not public yet: preview for staff." in overview
    chapter = parse(client.get(chapter_url(world, 1)))
    assert "Not public yet: preview for staff." in text_of(chapter)
    # The answers are there, each marked as a preview.
    answers = chapter.xpath('//section[contains(@class, "public-answer")]')
    assert answers
    assert len(chapter.xpath('//*[contains(@class, "badge--preview")]')) == len(answers)


def test_published_results_are_public_without_a_preview_banner(client, world):
    page = html(client.get(overview_url(world)))
    assert "Not public yet" not in page and "badge--preview" not in page
    assert "Wir erweitern die Zielgruppe." in html(client.get(chapter_url(world, 1)))


def test_unknown_consultation_and_chapter_are_404(client, world):
    assert client.get("/en/c/gibt-es-nicht/results").status_code == 404
    assert client.get(chapter_url(world, 99)).status_code == 404


def test_the_document_page_links_to_the_published_results(client, world):
    page = parse(client.get(f"/en/c/{world.slug}/"))
    assert page.xpath(f'//a[@href="{overview_url(world)}"]')


# The overview's figures ---------------------------------------------------------------------


def test_totals_count_only_published_statements(client, world):
    page = parse(client.get(overview_url(world)))
    facts = {
        text_of(div.xpath("dt")[0]): text_of(div.xpath("dd")[0])
        for div in page.xpath('//dl[contains(@class, "results-totals")]/div')
    }
    assert facts == {"Published comments": "7", "Organisations taking part": "2", "Replies": "1"}


def test_counts_per_recommendation_include_the_unanswered(client, world):
    page = parse(client.get(overview_url(world)))
    assert table_rows(page, "Comments by recommendation of the administration") == {
        "Taken into account": "2",
        "Partly taken into account": "1",
        "Not taken into account": "1",
        "Noted": "1",
        # c3 (a draft answer without its reply) and c6 (no answer at all).
        "Not answered yet": "2",
    }


def chart(page, title):
    [svg] = page.xpath(f'//svg[title[normalize-space()="{title}"]]')
    return svg


def test_charts_are_svg_images_with_a_title_labels_and_values(client, world):
    page = parse(client.get(overview_url(world)))
    svg = chart(page, "Published comments by stakeholder group")
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == svg.xpath("title")[0].get("id")
    assert svg.get("style") is None and not page.xpath("//*[@style]")
    texts = [text_of(t) for t in svg.xpath("text")]
    pairs = dict(zip(texts[0::2], texts[1::2], strict=True))
    assert pairs["Welfare association"] == "2"
    assert pairs["Individual"] == "3"
    assert pairs["Migrant organisation"] == "2"
    assert pairs["Volunteers or citizens' initiative"] == "0"
    # Bars for the counts above zero only, the longest for the largest count.
    widths = {
        rect.get("class").split("--")[-1]: float(rect.get("width").rstrip("%"))
        for rect in svg.xpath("rect")
    }
    assert set(widths) == {"welfare_association", "individual", "migrant_organisation"}
    assert widths["individual"] > widths["welfare_association"] == widths["migrant_organisation"]


def test_every_chart_has_a_table_with_the_same_numbers(client, world):
    page = parse(client.get(overview_url(world)))
    for title in ("Published comments by stakeholder group", "Published comments by kind"):
        svg = chart(page, title)
        texts = [text_of(t) for t in svg.xpath("text")]
        in_chart = dict(zip(texts[0::2], texts[1::2], strict=True))
        in_table = table_rows(page, title)
        assert in_table.pop("Total") == "7"
        assert in_table == in_chart
    assert table_rows(page, "Published comments by kind") == {
        "Support": "1",
        "Objection or concern": "2",
        "Suggestion or proposed change": "2",
        "Question": "1",
        "Note": "1",
        "Total": "7",
    }


def test_heatmap_cells_follow_the_counts_and_link_to_the_paragraph(client, world):
    page = parse(client.get(overview_url(world)))
    [heatmap] = page.xpath('//div[@class="heatmap"]')
    assert heatmap.get("aria-describedby") == "heatmap-note"
    assert "Comments per paragraph" in text_of(page.get_element_by_id("heatmap-note"))
    cells = heatmap.xpath(".//a")
    # One cell per paragraph in draft order, the dropped paragraph 2.2 too.
    assert [cell.get("href").rsplit("#", 1)[1] for cell in cells] == [
        "p-1-1",
        "p-1-2",
        "p-2-1",
        "p-2-2",
    ]
    first = cells[0]
    assert first.get("href") == chapter_url(world, 1) + "#p-1-1"
    assert first.get("aria-label") == "1.1 Anlass: 3 comments"
    assert cells[2].get("aria-label") == "2.1 Primäre Zielgruppe: 1 comment"
    # The most comments (3) has a step of 1: 3 comments are level 3, none level 0.
    levels = [cell.get("class").split("heat--")[1] for cell in cells]
    assert levels == ["3", "0", "1", "1"]
    assert [text_of(cell) for cell in cells] == ["3", "0", "1", "1"]
    legend = [text_of(li) for li in page.xpath('//ul[@class="heat-legend"]/li')]
    assert legend == ["No comments", "1 comment", "2 comments", "3 comments", "4 comments"]


def test_per_paragraph_table_is_the_heatmaps_text_alternative(client, world):
    page = parse(client.get(overview_url(world)))
    rows = table_rows(page, "Comments per paragraph")
    assert rows == {
        "1.1 Anlass": "3",
        "1.2 Zuwanderung": "0",
        "2.1 Primäre Zielgruppe": "1",
        "2.2 Zugang (dropped in version 2)": "1",
    }


def test_chapter_table_has_totals_recommendations_and_links(client, world):
    world.chapters[1].results_summary = "Viele wünschen eine weitere Zielgruppe.\n\n- Zugang"
    _db.session.flush()
    page = parse(client.get(overview_url(world)))
    [table] = page.xpath(
        '//table[caption[normalize-space()="Published comments and recommendations per chapter"]]'
    )
    headings = [text_of(th) for th in table.xpath(".//thead/tr/th")]
    assert headings[:3] == ["Chapter", "Comments", "Taken into account"]
    assert headings[-1] == "Not answered yet"
    rows = {
        text_of(row.xpath("th")[0]): [text_of(td) for td in row.xpath("td")]
        for row in table.xpath(".//tbody/tr")
    }
    # Comments, then taken / partly / not taken into account, noted, not answered yet.
    assert rows == {
        "The whole draft": ["1", "0", "1", "0", "0", "0"],
        "1 Einleitung": ["3", "1", "0", "1", "0", "1"],
        "2 Ziele und Zielgruppe": ["3", "1", "0", "0", "1", "1"],
    }
    link = table.xpath('.//a[normalize-space()="2 Ziele und Zielgruppe"]')[0]
    assert link.get("href") == chapter_url(world, 2)
    main_points = page.get_element_by_id("main-points-2").getparent()
    assert "Viele wünschen eine weitere Zielgruppe." in text_of(main_points)
    assert main_points.xpath(".//li[normalize-space()='Zugang']")
    # Only chapters with main points written get a section.
    assert not page.xpath('//*[@id="main-points-1"]')


def test_no_individual_is_named_on_any_results_page(client, world):
    pages = [
        html(client.get(url))
        for url in (
            overview_url(world),
            chapter_url(world, 1),
            chapter_url(world, 2),
            f"/en/c/{world.slug}/results/draft",
        )
    ]
    for page in pages:
        for name in SECRET_NAMES:
            assert name not in page


# Chapter pages ------------------------------------------------------------------------------


def comment_article(page, comment):
    return page.get_element_by_id(f"comment-{comment.id}")


def test_chapter_page_lists_published_comments_with_their_answers(client, world):
    c1, c2, c3, *_ = world.comments
    page = parse(client.get(chapter_url(world, 1)))
    section = page.get_element_by_id("p-1-1")
    assert table_rows(section, "By stakeholder group") == {
        "Welfare association": "2",
        "Individual": "1",
    }
    assert table_rows(section, "By kind") == {
        "Objection or concern": "1",
        "Suggestion or proposed change": "1",
        "Support": "1",
    }
    assert table_rows(section, "By recommendation")["Not answered yet"] == "1"
    articles = section.xpath('.//article[contains(@class, "result-comment")]')
    assert [a.get("id") for a in articles] == [f"comment-{c.id}" for c in (c1, c2, c3)]

    first = comment_article(page, c1)
    heading = text_of(first.xpath(".//h3")[0])
    assert heading == "A-001 Caritas Migrationsdienst"
    assert "Verified by the administration" in text_of(first)
    assert "Objection or concern" in text_of(first)
    answer = text_of(first.xpath('.//section[contains(@class, "public-answer")]')[0])
    assert "Taken into account" in answer
    assert "Wir erweitern die Zielgruppe." in answer
    assert "Absatz 1.1 nennt alle Zugewanderten." in answer

    individual = comment_article(page, c2)
    assert text_of(individual.xpath(".//h3")[0]) == "B-001 Individual"
    assert "Written in العربية" in text_of(individual)
    assert individual.xpath('.//div[@lang="ar"]')
    # The moderator's redaction shows as the mark, in the reader's language.
    assert "[removed: personal data]" in text_of(individual)
    assert "Not taken into account" in text_of(individual)

    # A draft answer is not shown: the comment is not answered yet.
    unanswered = comment_article(page, c3)
    assert "Not answered yet." in text_of(unanswered)
    assert not unanswered.xpath('.//section[contains(@class, "public-answer")]')

    assert "No published comments." in text_of(page.get_element_by_id("p-1-2"))


def test_chapter_page_never_shows_excluded_comments(client, world):
    page = html(client.get(chapter_url(world, 1)))
    for text in ("Nicht pending", "Nicht rejected", "Nicht withdrawn", "Nicht hidden"):
        assert text not in page
    assert "Antwort" not in page
    assert "Von der Verwaltung" not in page


def test_chapter_page_shows_the_chapters_own_comments_and_dropped_paragraphs(client, world):
    c4, c5, c6, _c7 = world.comments[3:]
    page = parse(client.get(chapter_url(world, 2)))
    own = page.get_element_by_id("chapter-2")
    assert text_of(own.xpath("h2")[0]) == "Comments on the chapter as a whole"
    assert own.xpath(f'.//article[@id="comment-{c6.id}"]')
    dropped = page.get_element_by_id("p-2-2")
    assert "dropped in version 2" in text_of(dropped)
    article = dropped.xpath(f'.//article[@id="comment-{c5.id}"]')[0]
    # The shared answer shows under each comment it answers.
    assert "Wir erweitern die Zielgruppe." in text_of(article)
    assert "Kurdischer Kulturverein" in text_of(comment_article(page, c4))
    assert "Verified" not in text_of(comment_article(page, c4))


def test_whole_draft_comments_have_their_own_results_page(client, world):
    c7 = world.comments[6]
    page = parse(client.get(f"/en/c/{world.slug}/results/draft"))
    assert text_of(page.xpath("//h1")[0]) == "Results for the whole draft"
    assert text_of(comment_article(page, c7).xpath(".//h3")[0]) == "Kurdischer Kulturverein"
    assert "Partly taken into account" in text_of(comment_article(page, c7))


def test_a_long_paragraph_shows_its_first_comments_and_links_to_the_thread(
    client, world, monkeypatch
):
    monkeypatch.setattr(results_service, "COMMENTS_SHOWN", 2)
    c1, c2, *_ = world.comments
    page = parse(client.get(chapter_url(world, 1)))
    section = page.get_element_by_id("p-1-1")
    shown = [a.get("id") for a in section.xpath('.//article[contains(@class, "result-comment")]')]
    assert shown == [f"comment-{c1.id}", f"comment-{c2.id}"]
    [link] = section.xpath('.//p[@class="show-all"]/a')
    assert text_of(link) == "Show all 3 comments"
    assert link.get("href") == f"/en/c/{world.slug}/p/1.1"
    # A paragraph with fewer comments has no such link.
    assert not page.xpath('//*[@id="p-1-2"]//p[@class="show-all"]')


# Right to left ------------------------------------------------------------------------------


@pytest.fixture
def arabic(app, monkeypatch):
    monkeypatch.setitem(app.config, "LANGUAGES", ["de", "en", "ar"])


def test_arabic_results_mirror_the_charts_but_not_the_text(client, world, arabic):
    response = client.get(overview_url(world, lang="ar"))
    page = parse(response)
    assert '<html lang="ar" dir="rtl">' in html(response)
    svgs = page.xpath("//svg")
    assert len(svgs) == 2
    for svg in svgs:
        assert svg.get("direction") == "rtl"
        # Bars grow from the right edge: each ends at 100%.
        for rect in svg.xpath("rect"):
            end = float(rect.get("x").rstrip("%")) + float(rect.get("width").rstrip("%"))
            assert end == pytest.approx(100)
        # Labels start at the right edge and read normally (no transform anywhere).
        assert {label.get("x") for label in svg.xpath('text[@class="bar-chart__label"]')} == {
            "100.0%"
        }
        assert not svg.xpath(".//*[@transform]")
    ltr = parse(client.get(overview_url(world)))
    assert {svg.get("direction") for svg in ltr.xpath("//svg")} == {"ltr"}


def test_arabic_chapter_page_renders(client, world, arabic):
    page = html(client.get(chapter_url(world, 1, lang="ar")))
    assert '<html lang="ar" dir="rtl">' in page
    # The German draft stays left to right inside the right-to-left page.
    assert 'lang="de" dir="ltr"' in page


# Query budgets ------------------------------------------------------------------------------

OVERVIEW_BUDGET = 6
CHAPTER_BUDGET = 6


def add_comments(paragraphs, total, organisation=None):
    groups = list(StakeholderGroup)
    kinds = list(CommentKind)
    insert_published_comments(
        paragraphs,
        total,
        lambda i: {
            "organisation_id": organisation.id if organisation and i % 2 else None,
            "group": groups[i % len(groups)].value,
            "kind": kinds[i % len(kinds)].value,
        },
    )


def measured(client, count_queries, url):
    _db.session.flush()
    _db.session.expunge_all()
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


def results_consultation(comments):
    consultation = make_consultation(phase=Phase.RESULTS)
    paragraphs = []
    for number in (1, 2, 3):
        section = make_section(consultation, number=number)
        paragraphs += [make_paragraph(section, i) for i in (1, 2, 3)]
    organisation = make_organisation()
    add_comments(paragraphs, comments, organisation)
    comment_ids = _db.session.scalars(
        select(Comment.id).where(Comment.consultation_id == consultation.id)
    ).all()
    answers_for = [_db.session.get(Comment, comment_id) for comment_id in comment_ids[::2]]
    make_answer(*answers_for, recommendation=Recommendation.NOTED, text="Zur Kenntnis.")
    return consultation.slug


def test_overview_queries_do_not_grow_with_comments(client, count_queries):
    few, many = results_consultation(3), results_consultation(300)
    few_count = measured(client, count_queries, f"/en/c/{few}/results")
    many_count = measured(client, count_queries, f"/en/c/{many}/results")
    assert few_count == many_count <= OVERVIEW_BUDGET


def test_chapter_page_queries_do_not_grow_with_comments(client, count_queries):
    few, many = results_consultation(3), results_consultation(300)
    few_count = measured(client, count_queries, f"/en/c/{few}/results/chapter/1")
    many_count = measured(client, count_queries, f"/en/c/{many}/results/chapter/1")
    assert few_count == many_count <= CHAPTER_BUDGET


def test_a_signed_in_staff_member_costs_at_most_one_query_more(client, login, count_queries):
    slug = results_consultation(30)
    anonymous = measured(client, count_queries, f"/en/c/{slug}/results")
    login(make_staff(role=Role.ADMIN))
    assert measured(client, count_queries, f"/en/c/{slug}/results") <= anonymous + 1

"""The administration's side in a real browser: from a .docx file to a published consultation,
and after it closes to the Kreistag report; answering and changing the phase without
JavaScript; axe-core on every new screen, in German and right-to-left in Arabic.

Every test seeds its own consultation and administrator, so what it sees is what it seeded,
whatever other browser tests left in the shared live database. Words are asserted under /en/;
the German and Arabic pages are checked by structure (ids, roles, attributes) only, because
their catalogs are still being translated."""

import io
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from consult.models import (
    Comment,
    CommentKind,
    CommentStatus,
    Consultation,
    Phase,
    Recommendation,
    Role,
    StakeholderGroup,
)
from consult.models.types import utcnow
from consult.services.numbering import assign_references
from tests.browser.conftest import (
    committing_seed,
    loopback_only_page,
    migrated_app,
    serving,
)
from tests.factories import (
    DEFAULT_PASSWORD,
    make_answer,
    make_comment,
    make_document,
    make_organisation,
    make_paragraph,
    make_section,
    make_staff,
)

ORGANISATION = "Caritasverband Siegen-Wittgenstein e. V."
PSEUDONYM = "Lotsin aus Laasphe"
ARABIC_TEXT = "نحتاج إلى دورات لغة في المساء للأمهات العاملات."


def assert_no_violations(axe, page):
    violations = axe(page)
    assert violations == [], violations


def seed_admin(seed) -> str:
    email = f"admin-{uuid.uuid4().hex[:10]}@kreis.example"
    with seed():
        make_staff(Role.ADMIN, email=email, display_name="Sachgebiet Integration")
    return email


def sign_in(page, base_url, email, next_path):
    """Sign in as staff and land on `next_path` (e.g. "/en/admin/consultations/")."""
    lang = next_path.split("/")[1]
    page.goto(f"{base_url}/{lang}/staff/login?next={next_path}")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form.narrow-form button[type=submit]").click()
    expect(page).to_have_url(f"{base_url}{next_path}")
    page.wait_for_load_state()  # htmx and app.js are deferred


def mark_page(page):
    page.evaluate("() => { window.notReloaded = true; }")


def still_the_same_page(page) -> bool:
    """True while the page marked by mark_page was only changed by swaps, never reloaded."""
    return page.evaluate("() => window.notReloaded === true")


def stored_consultation(query, slug) -> Consultation:
    return query(
        lambda session: session.scalars(select(Consultation).where(Consultation.slug == slug)).one()
    )


# 1 -------------------------------------------------------------------------------------------


def concept_docx() -> bytes:
    """A small concept as Word writes it: chapters as Heading 1, titled paragraphs as Heading 2,
    and a numbered list."""
    document = docx.Document()
    document.add_heading("1 Ausgangslage und Ziele", level=1)
    document.add_heading("Ausgangslage", level=2)
    document.add_paragraph("Im Kreis leben Menschen aus über hundert Ländern.")
    document.add_paragraph("Viele Angebote der Beratung sind bisher kaum bekannt.")
    document.add_heading("Ziele", level=2)
    document.add_paragraph("Der Kreis verfolgt drei Ziele:")
    for goal in ("Sprache fördern", "Arbeit vermitteln", "Teilhabe sichern"):
        document.add_paragraph(goal, style="List Number")
    document.add_heading("2 Handlungsfelder", level=1)
    document.add_heading("Sprache", level=2)
    document.add_paragraph("Sprachkurse werden im ganzen Kreis ausgebaut.")
    document.add_heading("Arbeit", level=2)
    document.add_paragraph("Die Anerkennung von Abschlüssen wird beschleunigt.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def county_time(moment: datetime) -> str:
    """A datetime-local value in the county's time zone."""
    return moment.astimezone(ZoneInfo("Europe/Berlin")).strftime("%Y-%m-%dT%H:%M")


def paragraph_numbers(page) -> list[str]:
    return page.locator("#structure .draft-paragraph h3 .paragraph__number").all_inner_texts()


def paragraph_ids(page) -> dict[str, str]:
    """Paragraph number -> id of its article on the structure page."""
    return dict(
        page.evaluate(
            """() => [...document.querySelectorAll('#structure .draft-paragraph')]
                .map(a => [a.querySelector('.paragraph__number').textContent.trim(), a.id])"""
        )
    )


def focused_paragraph_number(page) -> str | None:
    return page.evaluate(
        """() => {
            const article = document.activeElement.closest('.draft-paragraph');
            return article && document.activeElement.tagName === 'H3'
                ? article.querySelector('.paragraph__number').textContent.trim() : null;
        }"""
    )


def test_from_a_docx_file_to_a_published_consultation(browser, page, live_url, seed, query_live):
    email = seed_admin(seed)
    slug = f"integrationskonzept-{uuid.uuid4().hex[:8]}"
    sign_in(page, live_url, email, "/en/admin/consultations/")

    page.get_by_role("link", name="New consultation").click()
    form = page.locator("form.consultation-form")
    form.get_by_label(re.compile("^Title")).fill("Integrationskonzept des Kreises 2027")
    form.get_by_label("Web address (optional)").fill(slug)
    now = utcnow()
    form.get_by_label("Comments from (optional)").fill(county_time(now - timedelta(hours=1)))
    form.get_by_label("Comments until (optional)").fill(county_time(now + timedelta(days=42)))
    form.get_by_role("button", name="Create consultation").click()

    expect(page).to_have_url(re.compile(rf"{re.escape(live_url)}/en/admin/consultations/\d+/$"))
    expect(page.locator(".flash--success")).to_contain_text("Integrationskonzept des Kreises 2027")
    expect(page.locator(".phase").first).to_have_class(re.compile(r"\bphase--draft\b"))
    consultation = stored_consultation(query_live, slug)
    assert consultation.phase is Phase.DRAFT
    assert consultation.closes_at > now + timedelta(days=41)
    dashboard_url = page.url

    page.locator(".next-step").get_by_role("link", name="Import the draft").click()
    page.get_by_label("Word document, Markdown or text file").set_input_files(
        {
            "name": "integrationskonzept.docx",
            "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "buffer": concept_docx(),
        }
    )
    page.get_by_role("button", name="Import", exact=True).click()

    # The structure preview: two chapters, titled and numbered paragraphs, the list kept.
    expect(page).to_have_url(f"{dashboard_url}structure")
    expect(page.locator(".flash--success")).to_contain_text("Imported 2 chapters and 4 paragraphs.")
    chapters = page.locator("#structure .draft-chapter > h2")
    expect(chapters).to_have_text(
        [re.compile(r"1\s+Ausgangslage und Ziele"), re.compile(r"2\s+Handlungsfelder")]
    )
    assert paragraph_numbers(page) == ["1.1", "1.2", "2.1", "2.2"]
    ids = paragraph_ids(page)
    expect(page.locator(f"#{ids['1.1']}-title")).to_contain_text("Ausgangslage")
    expect(page.locator(f"#{ids['1.2']} ol li")).to_have_text(
        ["Sprache fördern", "Arbeit vermitteln", "Teilhabe sichern"]
    )
    expect(page.locator("#structure .draft-warnings")).to_have_count(0)

    mark_page(page)
    # Merge 2.1 and 2.2 in place: announced, focus on the merged paragraph.
    merged = page.locator(f"#{ids['2.1']}")
    merged.get_by_role("button", name=re.compile(r"^Merge with the next paragraph")).click()
    expect(page.locator("#live-region")).to_have_text("Paragraphs 2.1 and 2.2 merged.")
    expect(page.locator(f"#{ids['2.1']}-title")).to_be_focused()
    assert paragraph_numbers(page) == ["1.1", "1.2", "2.1"]
    expect(merged.locator("p")).to_have_text(
        [
            "Sprachkurse werden im ganzen Kreis ausgebaut.",
            "Die Anerkennung von Abschlüssen wird beschleunigt.",
        ]
    )

    # Split 1.1 before its second block, with a title of its own.
    first = page.locator(f"#{ids['1.1']}")
    first.locator("summary", has_text="Split paragraph 1.1").click()
    first.get_by_label("The new paragraph starts with").select_option(index=0)
    first.get_by_label("Title of the new paragraph (optional)").fill("Bekanntheit der Angebote")
    first.get_by_role("button", name="Split here").click()
    expect(page.locator("#live-region")).to_have_text(
        "Paragraph 1.1 split; the new paragraph is 1.2."
    )
    page.wait_for_function("() => document.activeElement.tagName === 'H3'")
    assert focused_paragraph_number(page) == "1.2"
    assert paragraph_numbers(page) == ["1.1", "1.2", "1.3", "2.1"]
    expect(page.locator("#structure .draft-paragraph h3").nth(1)).to_contain_text(
        "Bekanntheit der Angebote"
    )

    assert still_the_same_page(page)  # both changes were swaps, not page loads

    # DRAFT -> PREVIEW -> OPEN on the dashboard.
    page.get_by_role("link", name="Back to the consultation").click()
    page.get_by_role("button", name="Publish as preview").click()
    expect(page.locator(".flash--success")).to_contain_text("Preview (read only)")
    page.get_by_role("button", name="Open for comments").click()
    expect(page.locator(".flash--success")).to_contain_text("“Open for comments”")
    expect(page.locator(".facts .phase")).to_have_class(re.compile(r"\bphase--open\b"))
    assert stored_consultation(query_live, slug).phase is Phase.OPEN

    # A reader without an account sees the published draft.
    with loopback_only_page(browser, javascript=True) as reader:
        reader.goto(f"{live_url}/en/c/{slug}/")
        expect(reader.locator("h1")).to_have_text("Integrationskonzept des Kreises 2027")
        expect(reader.locator("section.chapter > h2")).to_have_text(
            [re.compile(r"1\s+Ausgangslage und Ziele"), re.compile(r"2\s+Handlungsfelder")]
        )
        expect(reader.locator("article.paragraph")).to_have_count(4)
        for anchor, title in [
            ("p-1-1", "Ausgangslage"),
            ("p-1-2", "Bekanntheit der Angebote"),
            ("p-1-3", "Ziele"),
            ("p-2-1", "Sprache"),
        ]:
            expect(reader.locator(f"#{anchor}-title")).to_contain_text(title)
        expect(reader.locator("#p-1-3 ol li")).to_have_text(
            ["Sprache fördern", "Arbeit vermitteln", "Teilhabe sichern"]
        )
        expect(reader.locator("#p-1-2")).to_contain_text("Viele Angebote der Beratung")
        expect(reader.get_by_role("link", name=re.compile("^Comment")).first).to_be_visible()


# 2 -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClosingWorld:
    consultation_id: int
    slug: str
    statement: int  # an organisation's statement on 1.1
    pseudonymous: int  # an individual writing under a pseudonym, on 1.1
    arabic: int  # an individual writing in Arabic, on 1.2


def seed_open_consultation(seed) -> ClosingWorld:
    with seed():
        consultation, paragraphs = make_document(paragraphs=2)
        second = make_section(consultation, number=2, title="Arbeit")
        make_paragraph(second, 1)
        organisation = make_organisation(name=ORGANISATION)
        statement = make_comment(
            paragraphs[0],
            status=CommentStatus.APPROVED,
            text="Die Beratungsstellen brauchen eine verlässliche Finanzierung.",
            organisation_id=organisation.id,
            group=organisation.group,
            kind=CommentKind.SUGGESTION,
        )
        pseudonymous = make_comment(
            paragraphs[0],
            status=CommentStatus.APPROVED,
            text="Sprachkurse am Abend wären für Berufstätige wichtig.",
            pseudonym=PSEUDONYM,
            kind=CommentKind.SUGGESTION,
        )
        arabic = make_comment(
            paragraphs[1],
            status=CommentStatus.APPROVED,
            text=ARABIC_TEXT,
            language="ar",
            kind=CommentKind.SUGGESTION,
        )
        make_comment(paragraphs[1], text="Noch nicht freigegeben.")  # stays in moderation
        return ClosingWorld(
            consultation.id, consultation.slug, statement.id, pseudonymous.id, arabic.id
        )


def answer_item(page, comment_id):
    return page.locator(f"#answer-item-{comment_id}")


def test_after_it_closes_to_the_kreistag_report(browser, page, live_url, seed, query_live):
    world = seed_open_consultation(seed)
    email = seed_admin(seed)
    dashboard = f"/en/admin/consultations/{world.consultation_id}/"
    sign_in(page, live_url, email, dashboard)

    # Closing needs the confirmation.
    close = page.get_by_role("button", name="Close and start the evaluation")
    close.click()
    expect(page.locator(".error-summary")).to_contain_text(
        "Please confirm that the consultation is to be closed."
    )
    expect(page.locator(".facts .phase")).to_have_class(re.compile(r"\bphase--open\b"))
    page.get_by_label(re.compile("^Yes, close the consultation")).check()
    close.click()
    expect(page.locator(".flash--success")).to_contain_text("“Closed, being evaluated”")
    expect(page.locator(".facts .phase")).to_have_class(re.compile(r"\bphase--evaluation\b"))

    page.locator(".next-step").get_by_role("link", name="Answer the comments").click()
    progress = page.locator("#answer-progress .answer-progress__total")
    expect(progress).to_have_text("0 of 3 comments answered")
    expect(answer_item(page, world.statement).locator(".answer-item__reference")).to_have_text(
        "A-001"
    )
    expect(answer_item(page, world.pseudonymous).locator(".answer-item__reference")).to_have_text(
        "B-001"
    )
    expect(answer_item(page, world.arabic).locator(".answer-item__reference")).to_have_text("B-002")
    # The workspace names organisations, never individuals.
    expect(answer_item(page, world.statement)).to_contain_text(ORGANISATION)
    expect(page.locator("main")).not_to_contain_text(PSEUDONYM)

    # Answer the organisation's statement inline.
    mark_page(page)
    statement = answer_item(page, world.statement)
    statement_answer = "Die Finanzierung wird im Haushalt 2027 gesichert."
    statement.get_by_label("Answer of the administration").fill(statement_answer)
    statement.get_by_label("Taken into account", exact=True).check()
    statement.get_by_label("Change made in the draft").fill("Absatz 1.1 nennt die Finanzierung.")
    statement.get_by_role("button", name=re.compile("^Save answer")).click()
    expect(page.locator("#live-region")).to_have_text("Answer saved.")
    expect(statement.locator(".answer-item__saved")).to_be_focused()
    expect(statement.locator(".answer-state")).to_contain_text("Answered: Taken into account")
    expect(progress).to_have_text("1 of 3 comments answered")
    expect(page.locator("#answer-progress-bar")).to_have_attribute("value", "1")
    assert still_the_same_page(page)

    # The two individuals say much the same: one shared answer.
    page.get_by_label("Select B-001", exact=True).check()
    page.get_by_label("Select B-002", exact=True).check()
    page.get_by_role("button", name="Answer these together").click()
    expect(page.locator(".flash--success")).to_have_text("2 comments now share one answer.")
    pseudonymous, arabic = answer_item(page, world.pseudonymous), answer_item(page, world.arabic)
    expect(pseudonymous.locator(".answer-item__shared")).to_contain_text("B-002")
    expect(arabic.locator(".answer-item__shared")).to_contain_text("B-001")
    mark_page(page)  # sharing loaded the page anew; saving the shared answer is a swap

    shared_answer = "Abendkurse werden ab dem Herbst in drei Städten angeboten."
    pseudonymous.get_by_label("Answer of the administration").fill(shared_answer)
    pseudonymous.get_by_label("Partly taken into account", exact=True).check()
    pseudonymous.get_by_role("button", name=re.compile("^Save answer")).click()
    expect(page.locator("#live-region")).to_have_text("Answer saved.")
    expect(pseudonymous.locator(".answer-item__saved")).to_be_focused()
    # The comment sharing the answer shows it at once, and both count as answered.
    expect(arabic.get_by_label("Answer of the administration")).to_have_value(shared_answer)
    expect(arabic.locator(".answer-state")).to_contain_text("Partly taken into account")
    expect(progress).to_have_text("3 of 3 comments answered")
    assert still_the_same_page(page)

    # Publish the results, confirming on their own page.
    page.get_by_role("link", name="Publish the results").click()
    page.locator("form.narrow-form").get_by_role("button", name="Publish the results").click()
    expect(page).to_have_url(f"{live_url}{dashboard}")
    expect(page.locator(".flash--success").first).to_have_text("The results are published.")
    expect(page.locator(".facts .phase")).to_have_class(re.compile(r"\bphase--results\b"))

    # The exports: the Excel table and the PDF report, opened with their own readers.
    page.get_by_role("link", name="Exports of the Abwägungstabelle").click()
    expect(page.locator(".export-counts li")).to_have_text(
        [re.compile("^Part A: 1 statement"), re.compile("^Part B: 2 comments")]
    )
    with page.expect_download() as excel:
        page.get_by_role("link", name="Download Excel file").click()
    assert excel.value.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(excel.value.path().read_bytes()), read_only=True)
    cells = [
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    table = "\n".join(cells)
    for expected in ("A-001", "B-001", "B-002", ORGANISATION, statement_answer, ARABIC_TEXT):
        assert expected in table, expected
    assert PSEUDONYM not in table
    assert "Noch nicht freigegeben" not in table
    assert "@" not in table

    with page.expect_download() as report:
        page.get_by_role("link", name="Download the report as PDF").click()
    assert report.value.suggested_filename.endswith(".pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(report.value.path()).pages)
    # Table cells wrap long words at any point; compare without the white space.
    compact = "".join(text.split())
    for expected in ("A-001", "B-001", "B-002", ORGANISATION, statement_answer):
        assert "".join(expected.split()) in compact, expected
    assert "Laasphe" not in compact
    assert "Nochnichtfreigegeben" not in compact

    # Readers see the results: charts, figures and the answers.
    with loopback_only_page(browser, javascript=True) as reader:
        reader.goto(f"{live_url}/en/c/{world.slug}/results")
        expect(reader.locator(".preview-banner")).to_have_count(0)
        expect(reader.locator("svg[role=img]")).to_have_count(2)
        expect(reader.locator(".results-totals dd").first).to_have_text("3")
        reader.get_by_role("link", name=re.compile(r"^1\s+Kapitel 1$")).click()
        expect(reader).to_have_url(f"{live_url}/en/c/{world.slug}/results/chapter/1")
        answers = reader.locator(".public-answer")
        expect(answers).to_have_count(3)
        expect(reader.locator(f"#comment-{world.statement}")).to_contain_text(ORGANISATION)
        expect(reader.locator(f"#comment-{world.statement} .public-answer")).to_contain_text(
            statement_answer
        )
        expect(reader.locator(f"#comment-{world.arabic} .public-answer")).to_contain_text(
            shared_answer
        )
        expect(reader.locator("main")).not_to_contain_text(PSEUDONYM)

        reader.goto(f"{live_url}/en/c/{world.slug}/p/1.1")
        statement_in_thread = reader.locator(f"#comment-{world.statement}")
        expect(statement_in_thread.locator(".public-answer")).to_contain_text(statement_answer)
        expect(statement_in_thread.locator(".public-answer")).to_contain_text("Taken into account")


# 3 -------------------------------------------------------------------------------------------


def test_answering_and_closing_without_javascript(page_without_js, live_url, seed, query_live):
    page = page_without_js
    with seed():
        consultation, paragraphs = make_document(paragraphs=1)
        comment = make_comment(
            paragraphs[0], status=CommentStatus.APPROVED, text="Bitte mehr Beratung vor Ort."
        )
        consultation_id, comment_id, slug = consultation.id, comment.id, consultation.slug
    email = seed_admin(seed)
    dashboard = f"/en/admin/consultations/{consultation_id}/"
    sign_in(page, live_url, email, dashboard)

    def post_status(action) -> int:
        with page.expect_request(lambda request: request.method == "POST") as posted:
            action()
        page.wait_for_load_state()
        return posted.value.response().status

    page.get_by_label(re.compile("^Yes, close the consultation")).check()
    status = post_status(
        lambda: page.get_by_role("button", name="Close and start the evaluation").click()
    )
    assert status == 303
    expect(page).to_have_url(f"{live_url}{dashboard}")
    expect(page.locator(".facts .phase")).to_have_class(re.compile(r"\bphase--evaluation\b"))
    assert stored_consultation(query_live, slug).phase is Phase.EVALUATION

    page.goto(f"{live_url}{dashboard}answers")
    item = answer_item(page, comment_id)
    answer = "Eine Sprechstunde im Rathaus wird eingerichtet."
    item.get_by_label("Answer of the administration").fill(answer)
    item.get_by_label("Noted", exact=True).check()
    status = post_status(
        lambda: item.get_by_role("button", name=re.compile("^Save answer")).click()
    )
    assert status == 303
    expect(page).to_have_url(re.compile(rf"/answers(\?[^#]*)?#answer-item-{comment_id}$"))
    expect(page.locator(".flash--success")).to_have_text("Answer saved.")

    page.reload()
    expect(page.locator(".flash")).to_have_count(0)
    expect(item.get_by_label("Answer of the administration")).to_have_value(answer)
    expect(item.get_by_label("Noted", exact=True)).to_be_checked()
    expect(item.locator(".answer-state")).to_contain_text("Answered: Noted")
    expect(page.locator("#answer-progress .answer-progress__total")).to_have_text(
        "1 of 1 comment answered"
    )
    stored = query_live(lambda session: session.get(Comment, comment_id).answer_id)
    assert stored is not None


# 4 -------------------------------------------------------------------------------------------


def seed_answered_consultation(seed, phase=Phase.EVALUATION) -> tuple[int, str]:
    """A closed consultation whose comments (an organisation's, an individual's, an Arabic
    one) are numbered and answered."""
    with seed():
        consultation, paragraphs = make_document(paragraphs=2, phase=phase)
        second = make_section(consultation, number=2, title="Arbeit")
        make_paragraph(second, 1)
        organisation = make_organisation(name=ORGANISATION)
        comments = [
            make_comment(
                paragraphs[0],
                status=CommentStatus.APPROVED,
                organisation_id=organisation.id,
                group=organisation.group,
                text="Die Beratungsstellen brauchen eine verlässliche Finanzierung.",
            ),
            make_comment(
                paragraphs[0], status=CommentStatus.APPROVED, pseudonym=PSEUDONYM, text="Ja."
            ),
            make_comment(
                paragraphs[1],
                status=CommentStatus.APPROVED,
                language="ar",
                text=ARABIC_TEXT,
                group=StakeholderGroup.VOLUNTEER_INITIATIVE,
            ),
        ]
        assign_references(consultation.id)
        make_answer(comments[0], change_text="Absatz 1.1 ergänzt.")
        make_answer(comments[1], comments[2], recommendation=Recommendation.NOTED)
        if phase is Phase.RESULTS:
            consultation.results_published_at = utcnow()
        return consultation.id, consultation.slug


def test_administration_pages_pass_axe_in_german(browser, page, live_url, seed, axe):
    consultation_id, slug = seed_answered_consultation(seed)
    with seed():
        draft, _ = make_document(paragraphs=2, phase=Phase.DRAFT)
        draft_id = draft.id
    email = seed_admin(seed)
    admin = f"{live_url}/de/admin/consultations/{consultation_id}/"
    sign_in(page, live_url, email, "/de/admin/consultations/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator(f"#consultation-{consultation_id}")).to_be_visible()
    assert_no_violations(axe, page)

    page.goto(admin)
    expect(page.locator(".facts .phase")).to_have_class(re.compile(r"\bphase--evaluation\b"))
    assert_no_violations(axe, page)

    # The import form with an error: neither a file nor text.
    page.goto(f"{live_url}/de/admin/consultations/{draft_id}/import")
    page.locator("#import-form button[type=submit]").click()
    expect(page.locator("#import-form .error-summary")).to_be_visible()
    expect(page.locator("#upload")).to_have_attribute("aria-invalid", "true")
    assert_no_violations(axe, page)

    page.goto(f"{live_url}/de/admin/consultations/{draft_id}/structure")
    expect(page.locator("#structure .draft-paragraph")).to_have_count(2)
    page.locator("#structure details.draft-actions__more").first.locator("summary").click()
    assert_no_violations(axe, page)

    page.goto(f"{admin}answers")
    expect(page.locator(".answer-item")).to_have_count(3)
    assert_no_violations(axe, page)

    page.goto(f"{admin}exports")
    expect(page.locator("#export-xlsx a[data-export]")).to_be_visible()
    assert_no_violations(axe, page)

    # The revised draft: start it, change one paragraph, publish the results; then the Synopse.
    page.goto(admin)
    page.locator("form[action$='/revision/start'] button").click()
    expect(page).to_have_url(f"{admin}revision")
    revised = page.locator("#p-1-1")
    revised.locator("textarea").fill("Die Verwaltung setzt die Maßnahme bis 2028 um.")
    revised.locator("form:not(.revision-paragraph__drop) button[type=submit]").click()
    expect(revised.locator(".badge--changed")).to_be_visible()
    expect(revised.locator(".revision-paragraph__diff")).to_be_visible()
    assert_no_violations(axe, page)
    page.goto(f"{admin}publish-results")
    page.locator("form.narrow-form button[type=submit]").click()
    expect(page.locator(".facts .phase")).to_have_class(re.compile(r"\bphase--results\b"))

    with loopback_only_page(browser, javascript=True) as reader:
        reader.goto(f"{live_url}/de/c/{slug}/synopsis")
        expect(reader.locator("html")).to_have_attribute("lang", "de")
        expect(reader.locator("main")).to_contain_text("bis 2028")
        assert_no_violations(axe, reader)

        reader.goto(f"{live_url}/de/c/{slug}/results")
        expect(reader.locator("svg[role=img]")).to_have_count(2)
        expect(reader.locator(".preview-banner")).to_have_count(0)
        reader.locator("#paragraph-table summary").click()
        assert_no_violations(axe, reader)

        reader.goto(f"{live_url}/de/c/{slug}/results/chapter/1")
        expect(reader.locator(".public-answer")).to_have_count(3)
        assert_no_violations(axe, reader)


@pytest.fixture(scope="module")
def rtl_app(tmp_path_factory):
    """A second live server whose pages may be in Arabic, a right-to-left language."""
    return migrated_app(
        tmp_path_factory.mktemp("live-admin-rtl") / "live.sqlite3", LANGUAGES=["de", "en", "ar"]
    )


@pytest.fixture(scope="module")
def rtl_url(rtl_app):
    with serving(rtl_app) as url:
        yield url


def test_results_and_workspace_pass_axe_right_to_left(browser, page, rtl_app, rtl_url, axe):
    seed = committing_seed(rtl_app)
    consultation_id, slug = seed_answered_consultation(seed, phase=Phase.RESULTS)
    email = seed_admin(seed)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, rtl_url, email, f"/ar/admin/consultations/{consultation_id}/answers")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator(".answer-item")).to_have_count(3)
    assert page.locator("#answer-progress").evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert_no_violations(axe, page)

    with loopback_only_page(browser, javascript=True) as reader:
        reader.goto(f"{rtl_url}/ar/c/{slug}/results")
        expect(reader.locator("html")).to_have_attribute("dir", "rtl")
        expect(reader.locator("svg[role=img]")).to_have_count(2)
        assert_no_violations(axe, reader)

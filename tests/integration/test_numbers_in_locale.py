"""Counts that can pass 999 are written as the reader's locale writes them: "1.234" in German,
"1,234" in English, "1 234" (with a no-break space) in Russian; Arabic and Farsi get Latin
digits with their locale's separators, as Babel writes them and as it writes the dates on the
same page. Plural forms are still chosen by the number itself."""

import io
import re
from dataclasses import replace
from datetime import timedelta

import docx
import lxml.html
import pytest
import sqlalchemy as sa
from flask import g, render_template, render_template_string
from flask_babel import gettext

from consult.extensions import db as _db
from consult.models import Comment, CommentKind, CommentStatus, Phase, Role, StakeholderGroup
from consult.models.types import utcnow
from consult.services import publication
from consult.services.exports.vocabulary import current_vocabulary
from consult.services.reports import docx_report
from consult.services.reports.content import build_report
from tests.conftest import html
from tests.factories import make_consultation, make_paragraph, make_section, make_staff
from tests.unit.test_report_content import make_summary

LANGUAGES = ["de", "en", "ru", "ar", "fa"]
# 1,234 and 12,345 as each locale writes them.
WRITTEN = {
    "de": ("1.234", "12.345"),
    "en": ("1,234", "12,345"),
    "ru": ("1\xa0234", "12\xa0345"),
    "ar": ("1,234", "12,345"),
    "fa": ("1,234", "12,345"),
}
COMMENTS = 1234


@pytest.fixture
def languages(app, monkeypatch):
    monkeypatch.setitem(app.config, "LANGUAGES", LANGUAGES)


def render_in(app, code: str, source: str, **context) -> str:
    with app.test_request_context(f"/{code}/"):
        g.lang = code
        return render_template_string(source, **context)


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_number_filter_writes_counts_in_the_readers_locale(app, languages, code):
    small, large = WRITTEN[code]
    assert render_in(app, code, "{{ n|number }}", n=1234) == small
    assert render_in(app, code, "{{ n|number }}", n=12345) == large
    assert render_in(app, code, "{{ n|number }}", n=7) == "7"


def test_inside_a_trans_block_the_number_is_formatted_and_still_picks_the_plural(app, languages):
    block = (
        "{% trans count=n|number %}{{ count }} comment{% pluralize %}"
        "{{ count }} comments{% endtrans %}"
    )
    assert render_in(app, "en", block, n=1) == "1 comment"
    assert render_in(app, "en", block, n=12345) == "12,345 comments"
    assert render_in(app, "de", block, n=12345) == "12.345 Kommentare"
    # Russian has three plural forms: 1 комментарий, 2 комментария, 5 комментариев.
    assert render_in(app, "ru", block, n=12341) == render_in(app, "ru", block, n=1).replace(
        "1", "12\xa0341"
    )
    assert render_in(app, "ru", block, n=12345) == render_in(app, "ru", block, n=5).replace(
        "5", "12\xa0345"
    )


@pytest.fixture
def crowded(db):
    """A consultation whose paragraph 1.1 received 1,234 published comments and whose results
    are published, and another with 1,234 comments waiting for moderation."""
    admin = make_staff(Role.ADMIN, email="zahlen@kreis.example")
    now = utcnow()
    evaluated = make_consultation(
        phase=Phase.EVALUATION,
        title="Konzept mit vielen Kommentaren",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=1),
    )
    paragraph = make_paragraph(make_section(evaluated, 1, title="Sprache"), 1, title="Kurse")
    many(paragraph, CommentStatus.APPROVED, now)
    publication.publish_results(evaluated, actor=admin, now=now, accept_unanswered=True)

    waiting = make_consultation(title="Konzept in Moderation")
    many(make_paragraph(make_section(waiting, 1), 1), CommentStatus.PENDING, now)
    _db.session.flush()
    return admin, evaluated, waiting


def many(paragraph, status: CommentStatus, now) -> None:
    rows = [
        {
            "consultation_id": paragraph.consultation_id,
            "section_id": paragraph.section_id,
            "paragraph_id": paragraph.id,
            "text": f"Kommentar {n}",
            "group": StakeholderGroup.INDIVIDUAL,
            "kind": CommentKind.SUGGESTION,
            "language": "de",
            "status": status,
            "consent_notice_version": "test",
            "created_at": now - timedelta(minutes=n),
            "published_at": now if status is CommentStatus.APPROVED else None,
            "open_flag_count": 0,
            "version": 1,
        }
        for n in range(COMMENTS)
    ]
    _db.session.execute(sa.insert(Comment), rows)
    if status is CommentStatus.APPROVED:
        paragraph.published_comment_count = COMMENTS


def visible_text(response) -> str:
    document = lxml.html.fromstring(html(response))
    # Comment ids are numbers too (the queue names "Comment 1234"); on PostgreSQL they keep
    # growing from test to test, so they are not counts and stay out of the check.
    for invisible in document.xpath(
        "//script | //style | //*[contains(@class, 'queue-item__title')]"
        " | //*[contains(@class, 'queue-item__select')]"
    ):
        invisible.drop_tree()
    # Whitespace stays as it is: the Russian group separator is a no-break space.
    return document.text_content()


def shows(text: str, written: str) -> bool:
    return re.search(rf"(?<![\d.,\xa0]){re.escape(written)}(?![\d\xa0]|[.,]\d)", text) is not None


@pytest.mark.parametrize("code", LANGUAGES)
def test_large_counts_on_the_pages_read_in_the_locale(client, login, languages, crowded, code):
    admin, evaluated, waiting = crowded
    written = WRITTEN[code][0]
    public = {
        "results": f"/{code}/c/{evaluated.slug}/results",
        "results of the chapter": f"/{code}/c/{evaluated.slug}/results/chapter/1",
        "draft": f"/{code}/c/{evaluated.slug}/",
        "moderation figures": f"/{code}/c/{waiting.slug}/moderation",
    }
    login(admin)
    staff = {
        "dashboard": f"/{code}/admin/consultations/{evaluated.id}/",
        "consultations": f"/{code}/admin/consultations/",
        "exports": f"/{code}/admin/consultations/{evaluated.id}/exports",
        "answers": f"/{code}/admin/consultations/{evaluated.id}/answers",
        "moderation queue": f"/{code}/moderation/",
    }
    for name, address in {**public, **staff}.items():
        response = client.get(address)
        assert response.status_code == 200, name
        text = visible_text(response)
        assert shows(text, written), f"{name}: {written!r} not on the page"
        assert not re.search(r"(?<!\d)1234(?!\d)", text), f"{name}: an unformatted count"


def test_the_kreistag_report_writes_its_counts_in_the_locale(app, languages):
    base = make_summary()
    summary = replace(base, reply_count=12345, moderation=replace(base.moderation, received=12345))
    for code in ("de", "ru", "fa"):
        with app.test_request_context(f"/{code}/"):
            g.lang = code
            report = build_report(summary, current_vocabulary(), gettext)
            page = render_template(
                "reports/report.html", report=report, include_front=True, annex=[]
            )
        document = docx.Document(io.BytesIO(docx_report.write(report)))
        words = "\n".join(
            [paragraph.text for paragraph in document.paragraphs]
            + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        )
        written = WRITTEN[code][1]
        text = lxml.html.fromstring(page).text_content()
        # The figures' sentence ("… 12,345 replies …") and the moderation table.
        assert text.count(written) == 2 and "12345" not in text, code
        assert words.count(written) == 2 and "12345" not in words, code

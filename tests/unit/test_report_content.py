"""The participation report's content, built from hand-made summaries: what each section says,
and the annex cut into batches for the PDF."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from flask import g
from flask_babel import gettext

from consult.models import CommentKind, Phase, Recommendation, RejectionReason, StakeholderGroup
from consult.services.exports.vocabulary import current_vocabulary
from consult.services.numbering import Part
from consult.services.reports.content import (
    Facts,
    FigureTable,
    Paragraph,
    Subheading,
    annex_batches,
    build_report,
)
from consult.services.summary import (
    ChapterSummary,
    Count,
    ModerationSummary,
    ParagraphChange,
    Summary,
    SummaryRow,
)

NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)


def make_row(reference: str, **overrides) -> SummaryRow:
    organisation = reference.startswith("A")
    values = {
        "reference": reference,
        "part": Part.ORGANISATIONS if organisation else Part.INDIVIDUALS,
        "comment_id": int(reference[2:]) + (0 if organisation else 1000),
        "chapter_number": 3,
        "chapter_title": "Ziele und Zielgruppe",
        "paragraph_number": "3.2",
        "paragraph_title": "Zugang",
        "organisation_name": "Flüchtlingsberatung Siegen" if organisation else None,
        "organisation_verified": organisation,
        "group": StakeholderGroup.WELFARE_ASSOCIATION
        if organisation
        else StakeholderGroup.INDIVIDUAL,
        "kind": CommentKind.OBJECTION,
        "language": "de",
        "text": "Die Zielgruppe ist zu eng gefasst.",
        "proposed_text": None,
        "published_at": NOW,
        "answer_text": "",
        "recommendation": None,
        "change_text": "",
        "shares_answer_with": (),
    }
    values.update(overrides)
    return SummaryRow(**values)


def make_summary(rows=(), **overrides) -> Summary:
    rows = tuple(rows)
    values = {
        "slug": "kim-2026",
        "title": "Kommunales Integrationsmanagement 2026–2028",
        "organiser": "Kreis Siegen-Wittgenstein",
        "contact": "",
        "phase": Phase.EVALUATION,
        "opens_at": datetime(2026, 11, 2, 8, 0, tzinfo=UTC),
        "closes_at": datetime(2026, 12, 14, 22, 59, tzinfo=UTC),
        "results_published_at": None,
        "procedure_note": "",
        "draft_version": 1,
        "generated_at": NOW,
        "rows": rows,
        "chapters": (
            ChapterSummary(3, "Ziele und Zielgruppe", len(rows), (), ""),
            ChapterSummary(4, "Struktur", 0, (), ""),
        ),
        "changes": (),
        "moderation": ModerationSummary(12, 9, 2, ((RejectionReason.SPAM, 2),), 1, 1),
        "by_group": (
            Count("welfare_association", sum(r.part is Part.ORGANISATIONS for r in rows)),
            Count("individual", sum(r.part is Part.INDIVIDUALS for r in rows)),
        ),
        "by_kind": (Count("objection", len(rows)),),
        "by_recommendation": (
            Count("adopted", sum(r.recommendation is Recommendation.ADOPTED for r in rows)),
            Count("", sum(r.recommendation is None for r in rows)),
        ),
        "by_language": (Count("de", len(rows)),),
        "reply_count": 4,
    }
    values.update(overrides)
    return Summary(**values)


@pytest.fixture
def in_english(app):
    with app.test_request_context("/en/"):
        g.lang = "en"
        yield


def report_of(summary):
    return build_report(summary, current_vocabulary(), gettext)


def section(report, key):
    return next(s for s in report.sections if s.key == key)


def texts(section) -> str:
    parts = []
    for block in section.blocks:
        if isinstance(block, Paragraph | Subheading):
            parts.append(f"{getattr(block, 'label', '')} {block.text}")
        elif isinstance(block, Facts):
            parts.extend(f"{label} {value}" for label, value in block.items)
        elif isinstance(block, FigureTable):
            parts.append(block.caption)
            parts.extend(f"{row.label} {row.count}" for row in block.rows)
    return "\n".join(parts)


def test_the_report_has_its_sections_in_the_order_of_a_kreistag_paper(in_english):
    report = report_of(make_summary([make_row("A-001")]))
    assert [s.key for s in report.sections] == [
        "procedure",
        "figures",
        "moderation",
        "main-points",
        "dealt-with",
        "changes",
    ]
    assert report.title_page.title == "Kommunales Integrationsmanagement 2026–2028"
    assert report.title_page.kind == "Participation report"
    assert "Kreistag" in report.title_page.audience
    facts = dict(report.title_page.facts)
    assert facts["Organiser"] == "Kreis Siegen-Wittgenstein"
    assert facts["Draft version"] == "1"
    assert facts["Date of the report"] == "February 1, 2027"


def test_the_procedure_names_period_channels_languages_and_the_moderation_rules(in_english):
    summary = make_summary(
        [make_row("A-001"), make_row("B-001", language="ar", text="نص")],
        by_language=(Count("de", 1), Count("ar", 1)),
        procedure_note="Zwei Workshops in Siegen und Bad Berleburg.",
    )
    said = texts(section(report_of(summary), "procedure"))
    # In the county's time zone: 23:59 in Berlin is still the 14th.
    assert "November 2, 2026 to December 14, 2026" in said
    assert "without an account" in said
    assert "Zwei Workshops in Siegen und Bad Berleburg." in said
    assert "Arabic 1" in said and "German 1" in said
    assert "personal data" in said


def test_figures_count_groups_kinds_parts_and_replies(in_english):
    rows = [make_row("A-001"), make_row("A-002"), make_row("B-001")]
    figures = section(report_of(make_summary(rows)), "figures")
    said = texts(figures)
    assert "3 published statements and comments: 2 from organisations and 1 from individuals" in (
        said
    )
    assert "4 replies" in said
    by_group = next(
        b for b in figures.blocks if getattr(b, "caption", "") == "Comments by stakeholder group"
    )
    assert [(r.label, r.count) for r in by_group.rows] == [
        ("Welfare association", 2),
        ("Individual", 1),
    ]
    assert by_group.total == 3
    assert [round(r.share) for r in by_group.rows] == [67, 33]


def test_moderation_figures_give_reasons_by_their_published_label(in_english):
    said = texts(section(report_of(make_summary()), "moderation"))
    assert "Received 12" in said
    assert "Rejected 2" in said
    assert "Advertising or spam 2" in said
    assert "Withdrawn by their authors 1" in said


def test_a_chapter_shows_the_administrations_results_or_else_its_figures(in_english):
    rows = [
        make_row("A-001", recommendation=Recommendation.ADOPTED),
        make_row("B-001"),
    ]
    chapters = (
        ChapterSummary(
            3,
            "Ziele und Zielgruppe",
            2,
            (Count("adopted", 1), Count("noted", 0), Count("", 1)),
            "Viele wünschen eine weitere Zielgruppe.\n\nDer Zugang soll offen sein.",
        ),
        ChapterSummary(4, "Struktur", 2, (Count("not_adopted", 2), Count("", 0)), ""),
        ChapterSummary(5, "Datenschutz", 0, (Count("", 0),), ""),
    )
    points = section(report_of(make_summary(rows, chapters=chapters)), "main-points")
    said = texts(points)
    assert "Chapter 3 – Ziele und Zielgruppe" in said
    written = [b for b in points.blocks if isinstance(b, Paragraph) and b.language == "de"]
    assert [b.text for b in written] == [
        "Viele wünschen eine weitere Zielgruppe.",
        "Der Zugang soll offen sein.",
    ]
    assert "Comments: 2 (Not taken into account: 2)." in said
    assert "No comments." in said


def test_comments_on_the_whole_draft_get_their_own_entry(in_english):
    rows = [make_row("A-001", chapter_number=None, paragraph_number=None)]
    said = texts(section(report_of(make_summary(rows)), "main-points"))
    assert "The whole draft" in said
    assert "Comments: 1 (Not answered yet: 1)." in said


def test_how_comments_were_dealt_with_counts_every_vote_and_the_unanswered(in_english):
    rows = [make_row("A-001", recommendation=Recommendation.ADOPTED), make_row("B-001")]
    dealt = section(report_of(make_summary(rows)), "dealt-with")
    table = next(b for b in dealt.blocks if isinstance(b, FigureTable))
    assert [(r.label, r.count) for r in table.rows] == [
        ("Taken into account", 1),
        ("Not answered yet", 1),
    ]


def test_changes_show_old_and_new_wording_and_the_comments_behind_them(in_english):
    change = ParagraphChange(
        number="3.2",
        title="Zugang",
        old_text="Zugang nur über Zuweisung.",
        new_text="Zugang auch ohne Zuweisung.",
        references=("A-001", "B-004"),
    )
    said = texts(section(report_of(make_summary(changes=(change,), draft_version=2)), "changes"))
    assert "3.2 Zugang" in said
    assert "Previous wording: Zugang nur über Zuweisung." in said
    assert "Revised wording: Zugang auch ohne Zuweisung." in said
    assert "Prompted by: A-001, B-004" in said


def test_without_a_revision_the_report_says_so(in_english):
    said = texts(section(report_of(make_summary()), "changes"))
    assert "has not been revised yet" in said


def test_the_annex_names_organisations_but_never_individuals(in_english):
    summary = make_summary([make_row("A-001"), make_row("B-001")])
    report = report_of(summary)
    part_a, part_b = report.annex_parts
    assert [r.reference for r in part_a.rows] == ["A-001"]
    assert [r.reference for r in part_b.rows] == ["B-001"]
    submitted_by = report.annex_headers.index("Submitted by")
    assert report.annex_cells(part_a.rows[0])[submitted_by].pieces[0].text == (
        "Flüchtlingsberatung Siegen"
    )
    assert report.annex_cells(part_b.rows[0])[submitted_by].pieces[0].text == "Individual"


def test_arabic_text_is_marked_right_to_left_in_a_left_to_right_report(in_english):
    row = make_row("B-001", language="ar", text="نقترح إشراك منظمات المهاجرين")
    report = report_of(make_summary([row]))
    statement = report.annex_cells(row)[report.annex_headers.index("Statement")]
    arabic = statement.pieces[0]
    assert arabic.language == "ar" and report.is_rtl(arabic.language)
    assert report.direction == "ltr" and not report.is_rtl(None)
    # The note about the original language is in the reader's language, left to right.
    assert not report.is_rtl(statement.pieces[-1].language)


def test_a_report_read_in_arabic_runs_right_to_left(app):
    with app.test_request_context("/ar/"):
        g.lang = "ar"
        report = report_of(make_summary())
    assert report.language == "ar" and report.direction == "rtl"


def test_bidi_controls_in_a_title_never_reach_the_report(in_english):
    report = report_of(make_summary(title="Konzept\u202e gnulietsretnU"))
    assert "\u202e" not in report.title_page.title
    assert "\u202e" not in report.document_title


def test_the_annex_is_cut_into_batches_each_part_starting_its_own(in_english):
    rows = [make_row(f"A-{n:03d}") for n in range(1, 6)] + [make_row("B-001")]
    report = report_of(make_summary(rows))
    batches = annex_batches(report, 2)
    shape = [[(chunk.part.key, len(chunk.rows), chunk.starts_part) for chunk in b] for b in batches]
    assert shape == [
        [("A", 2, True)],
        [("A", 2, False)],
        [("A", 1, False)],
        [("B", 1, True)],
    ]
    # All at once for the page in the browser.
    assert [len(c.rows) for c in annex_batches(report)[0]] == [5, 1]


def test_an_empty_part_still_gets_a_batch_that_says_so(in_english):
    report = report_of(make_summary([make_row("A-001")]))
    batches = annex_batches(report, 100)
    assert [(c.part.key, len(c.rows)) for b in batches for c in b] == [("A", 1), ("B", 0)]
    assert report.annex_parts[1].empty_note == "No individual submitted a comment."


def test_a_proposed_wording_stands_labelled_under_the_statement(in_english):
    row = replace(make_row("A-001"), proposed_text="Neue Fassung")
    report = report_of(make_summary([row]))
    statement = report.annex_cells(row)[report.annex_headers.index("Statement")]
    assert [p.text for p in statement.pieces][1:] == ["Proposed wording:", "Neue Fassung"]


def test_the_pdf_writer_fetches_nothing_a_template_might_name(in_english, tmp_path, monkeypatch):
    from consult.services.reports import pdf

    secret = tmp_path / "secret.css"
    secret.write_text("p { color: red }")
    stylesheet = tmp_path / "report.css"
    stylesheet.write_text(f'@import url("{secret.as_uri()}");')
    fetched = []

    class Watching(pdf.NoFetching):
        def fetch(self, url, headers=None):
            fetched.append(url)
            return super().fetch(url, headers)

    monkeypatch.setattr(pdf, "NoFetching", Watching)
    body = pdf.write(
        report_of(make_summary()),
        lambda **parts: f'<p>x</p><img src="{secret.as_uri()}">',
        stylesheet,
    )
    assert body.startswith(b"%PDF")
    # Every address went to the refusing fetcher (the stylesheet's import, the image).
    assert len(fetched) >= 2 and set(fetched) == {secret.as_uri()}

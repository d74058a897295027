"""The participation report's content (Beteiligungsbericht), built once from a Summary: every
section as headings, paragraphs, fact lists and figure tables, already in the reader's
language, so that the HTML/PDF template and the DOCX writer print the same report and decide
nothing themselves.

`_` is the translation function of the request (flask_babel's gettext); passing it in keeps
this module free of Flask and lets unit tests build a report without a request.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from consult.models import CommentKind, Recommendation, StakeholderGroup
from consult.services.exports.columns import COLUMNS, Piece
from consult.services.exports.plain_text import clean
from consult.services.exports.vocabulary import Vocabulary
from consult.services.numbering import Part
from consult.services.summary import ChapterSummary, Count, Summary, SummaryRow

Translate = Callable[..., str]

# The draft, the chapters' results and the administration's wording are German whatever the
# reader's language: marking them keeps German text left-to-right in an Arabic report.
DRAFT_LANGUAGE = "de"


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str
    # None: the report's language; otherwise the language the text is written in.
    language: str | None = None
    # A short bold lead-in ("Revised wording:"), in the report's language.
    label: str = ""


@dataclass(frozen=True)
class Subheading:
    kind: ClassVar[str] = "subheading"
    text: str
    language: str | None = None


@dataclass(frozen=True)
class Facts:
    """Label–value pairs (the title page, the procedure)."""

    kind: ClassVar[str] = "facts"
    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FigureRow:
    label: str
    count: int
    # Per cent of the table's total, for the bar drawn beside the number (0–100).
    share: float


@dataclass(frozen=True)
class FigureTable:
    kind: ClassVar[str] = "figures"
    caption: str
    label_header: str
    count_header: str
    rows: tuple[FigureRow, ...]
    # A bar beside each count (only where the rows are parts of one whole).
    bars: bool = True
    total_label: str = ""
    total: int | None = None


Block = Paragraph | Subheading | Facts | FigureTable


@dataclass(frozen=True)
class Section:
    key: str  # stable, English: the HTML id and the tests use it
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class AnnexCell:
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class AnnexPart:
    key: str  # "A" or "B"
    heading: str
    rows: tuple[SummaryRow, ...]
    empty_note: str


@dataclass(frozen=True)
class TitlePage:
    title: str
    kind: str  # "Participation report"
    audience: str  # "for the county council (Kreistag)"
    facts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Report:
    language: str  # the reader's language, e.g. "de"
    direction: str  # "ltr" or "rtl"
    document_title: str  # core properties, the HTML title, the running header
    title_page: TitlePage
    sections: tuple[Section, ...]
    annex_heading: str
    annex_intro: str
    annex_headers: tuple[str, ...]
    annex_parts: tuple[AnnexPart, ...]
    # Printed in place of the annex when the table is too long for the PDF (see pdf.write).
    annex_separate_note: str
    vocabulary: Vocabulary = field(repr=False)

    @property
    def annex_row_count(self) -> int:
        return sum(len(part.rows) for part in self.annex_parts)

    def annex_cells(self, row: SummaryRow) -> tuple[AnnexCell, ...]:
        """A row's cells in column order; each piece knows its language, so an Arabic
        comment is marked right-to-left inside a German table."""
        return tuple(AnnexCell(column.pieces(row, self.vocabulary)) for column in COLUMNS)

    def is_rtl(self, language: str | None) -> bool:
        if language is None:
            return self.direction == "rtl"
        return self.vocabulary.is_right_to_left(language)


def build_report(summary: Summary, vocabulary: Vocabulary, _: Translate) -> Report:
    title = clean(summary.title)
    direction = "rtl" if vocabulary.is_right_to_left(vocabulary.locale) else "ltr"
    date = vocabulary.date(summary.generated_at)
    return Report(
        language=vocabulary.locale,
        direction=direction,
        document_title=_("Participation report: %(title)s", title=title),
        title_page=_title_page(summary, vocabulary, _, title, date),
        sections=(
            _procedure(summary, vocabulary, _),
            _figures(summary, vocabulary, _),
            _moderation(summary, _),
            _main_points(summary, vocabulary, _),
            _dealt_with(summary, vocabulary, _),
            _changes(summary, _),
        ),
        annex_heading=_("Annex: %(title)s", title=vocabulary.title),
        annex_intro=_(
            "One row per published statement, in the order of the draft. Organisations are "
            "named; individuals are not. Statements are printed as written, in their original "
            "language."
        ),
        annex_headers=tuple(vocabulary.headers[column.key] for column in COLUMNS),
        annex_separate_note=_(
            "The table of all %(count)s statements with the administration's answers is a "
            "separate annex to this report: at this length it is provided as a Word or Excel "
            "file (DOCX or XLSX) rather than printed here.",
            count=vocabulary.number(len(summary.rows)),
        ),
        annex_parts=(
            AnnexPart(
                Part.ORGANISATIONS.value,
                vocabulary.parts[Part.ORGANISATIONS],
                summary.organisation_rows,
                _("No organisation submitted a statement."),
            ),
            AnnexPart(
                Part.INDIVIDUALS.value,
                vocabulary.parts[Part.INDIVIDUALS],
                summary.individual_rows,
                _("No individual submitted a comment."),
            ),
        ),
        vocabulary=vocabulary,
    )


# --- the sections --------------------------------------------------------------------------


def _title_page(summary, vocabulary, _, title, date) -> TitlePage:
    facts = []
    if summary.organiser:
        facts.append((_("Organiser"), clean(summary.organiser)))
    facts.append((_("Date of the report"), date))
    facts.append((_("Draft version"), str(summary.draft_version)))
    if summary.contact:
        facts.append((_("Contact"), clean(summary.contact)))
    return TitlePage(
        title=title,
        kind=_("Participation report"),
        audience=_("for the county council (Kreistag)"),
        facts=tuple(facts),
    )


def _procedure(summary: Summary, vocabulary: Vocabulary, _) -> Section:
    facts = [(_("Period"), _period(summary, vocabulary, _))]
    channels = _(
        "Online on consult: anyone could read the draft and comment on each paragraph, "
        "without an account and without giving their real name."
    )
    facts.append((_("Channels"), channels))
    blocks: list[Block] = [Facts(tuple(facts))]
    if summary.procedure_note.strip():
        blocks.append(
            Paragraph(clean(summary.procedure_note).strip(), label=_("Further channels:"))
        )
    blocks.append(
        Paragraph(
            _(
                "Every comment was checked by a moderator against published rules before it "
                "appeared; comments were rejected only for insults or discrimination, personal "
                "data of other people, advertising, being off topic, duplicates or illegal "
                "content, and personal data was removed from otherwise publishable comments."
            ),
            label=_("Moderation rules:"),
        )
    )
    blocks.append(
        _table(
            _("Languages the comments were written in"),
            _("Language"),
            _("Comments"),
            [(vocabulary.language_name(c.key), c.count) for c in summary.by_language],
            _,
        )
    )
    return Section("procedure", _("Procedure"), tuple(blocks))


def _period(summary: Summary, vocabulary: Vocabulary, _) -> str:
    if summary.opens_at and summary.closes_at:
        return _(
            "%(opens)s to %(closes)s",
            opens=vocabulary.date(summary.opens_at),
            closes=vocabulary.date(summary.closes_at),
        )
    if summary.opens_at:
        return _("from %(opens)s", opens=vocabulary.date(summary.opens_at))
    if summary.closes_at:
        return _("until %(closes)s", closes=vocabulary.date(summary.closes_at))
    return _("not set")


def _figures(summary: Summary, vocabulary: Vocabulary, _) -> Section:
    organisations = len(summary.organisation_rows)
    individuals = len(summary.individual_rows)
    blocks: list[Block] = [
        Paragraph(
            _(
                "%(total)s published statements and comments: %(organisations)s from "
                "organisations and %(individuals)s from individuals. In addition, "
                "%(replies)s replies were published under them.",
                total=vocabulary.number(len(summary.rows)),
                organisations=vocabulary.number(organisations),
                individuals=vocabulary.number(individuals),
                replies=vocabulary.number(summary.reply_count),
            )
        ),
        _table(
            _("Organisations and individuals"),
            _("Submitted by"),
            _("Comments"),
            [
                (vocabulary.parts[Part.ORGANISATIONS], organisations),
                (vocabulary.parts[Part.INDIVIDUALS], individuals),
            ],
            _,
        ),
        _table(
            _("Comments by stakeholder group"),
            _("Group"),
            _("Comments"),
            _labelled(summary.by_group, StakeholderGroup, vocabulary.groups),
            _,
        ),
        _table(
            _("Comments by kind"),
            _("Kind"),
            _("Comments"),
            _labelled(summary.by_kind, CommentKind, vocabulary.kinds),
            _,
        ),
    ]
    return Section("figures", _("Participation in figures"), tuple(blocks))


def _moderation(summary: Summary, _) -> Section:
    figures = summary.moderation
    overview = FigureTable(
        caption=_("Moderation"),
        label_header=_("Figure"),
        count_header=_("Number"),
        rows=tuple(
            FigureRow(label, count, 0.0)
            for label, count in (
                (_("Received"), figures.received),
                (_("Published"), figures.published),
                (_("Published with personal data removed"), figures.redacted),
                (_("Rejected"), figures.rejected),
                (_("Withdrawn by their authors"), figures.withdrawn),
            )
        ),
        bars=False,
    )
    reasons = _table(
        _("Rejected comments by reason"),
        _("Reason"),
        _("Comments"),
        [(str(reason.label), count) for reason, count in figures.rejected_by_reason],
        _,
    )
    note = Paragraph(
        _(
            "The figures contain no personal data. Comments are counted once, by their state "
            "when this report was made."
        )
    )
    return Section("moderation", _("Moderation"), (overview, reasons, note))


def _main_points(summary: Summary, vocabulary: Vocabulary, _) -> Section:
    blocks: list[Block] = []
    whole_draft = [row for row in summary.rows if row.chapter_number is None]
    if whole_draft:
        blocks.append(Subheading(vocabulary.whole_draft))
        blocks.append(_counts_paragraph(len(whole_draft), _count_votes(whole_draft), vocabulary, _))
    for chapter in summary.chapters:
        blocks.append(Subheading(_chapter_heading(chapter, vocabulary), DRAFT_LANGUAGE))
        written = clean(chapter.results_summary).strip()
        if written:
            blocks.extend(
                Paragraph(" ".join(part.split()), DRAFT_LANGUAGE)
                for part in written.split("\n\n")
                if part.strip()
            )
        else:
            blocks.append(
                _counts_paragraph(chapter.comment_count, chapter.by_recommendation, vocabulary, _)
            )
    if not blocks:
        blocks.append(Paragraph(_("The draft has no chapters.")))
    return Section("main-points", _("Main points per chapter"), tuple(blocks))


def _chapter_heading(chapter: ChapterSummary, vocabulary: Vocabulary) -> str:
    label = vocabulary.chapter(chapter.number)
    return f"{label} – {clean(chapter.title)}" if chapter.title else label


def _counts_paragraph(total: int, votes: tuple[Count, ...], vocabulary, _) -> Paragraph:
    """The factual fallback where the administration wrote no summary for a chapter."""
    if total == 0:
        return Paragraph(_("No comments."))
    counted = [
        f"{_recommendation_label(count.key, vocabulary)}: {vocabulary.number(count.count)}"
        for count in votes
        if count.count
    ]
    shown = vocabulary.number(total)
    return Paragraph(
        _("Comments: %(total)s (%(votes)s).", total=shown, votes="; ".join(counted))
        if counted
        else _("Comments: %(total)s.", total=shown)
    )


def _count_votes(rows) -> tuple[Count, ...]:
    votes = [row.recommendation.value if row.recommendation else "" for row in rows]
    keys = [vote.value for vote in Recommendation] + [""]
    return tuple(Count(key, votes.count(key)) for key in keys)


def _dealt_with(summary: Summary, vocabulary: Vocabulary, _) -> Section:
    table = _table(
        _("Comments by recommended decision"),
        _("Recommended decision"),
        _("Comments"),
        [(_recommendation_label(c.key, vocabulary), c.count) for c in summary.by_recommendation],
        _,
    )
    intro = Paragraph(
        _(
            "The administration answered the published comments and recommends one of four "
            "decisions for each. The annex lists every comment with its answer."
        )
    )
    return Section("dealt-with", _("How the comments were dealt with"), (intro, table))


def _recommendation_label(key: str, vocabulary: Vocabulary) -> str:
    if not key:
        return vocabulary.figures["unanswered"]
    return vocabulary.recommendations[Recommendation(key)]


def _changes(summary: Summary, _) -> Section:
    if not summary.changes:
        note = (
            _("The draft has not been revised yet.")
            if summary.draft_version <= 1
            else _("The revision changed no paragraph's wording.")
        )
        return Section("changes", _("Main changes to the draft"), (Paragraph(note),))
    blocks: list[Block] = []
    for change in summary.changes:
        blocks.append(
            Subheading(f"{clean(change.number)} {clean(change.title)}".strip(), DRAFT_LANGUAGE)
        )
        kind = getattr(change, "change", "changed")
        if kind == "added":
            blocks.append(Paragraph(_("New paragraph in the revised draft.")))
        elif kind == "removed":
            blocks.append(Paragraph(_("Paragraph removed from the revised draft.")))
        if change.old_text:
            blocks.append(
                Paragraph(clean(change.old_text), DRAFT_LANGUAGE, label=_("Previous wording:"))
            )
        if change.new_text:
            blocks.append(
                Paragraph(clean(change.new_text), DRAFT_LANGUAGE, label=_("Revised wording:"))
            )
        blocks.append(
            Paragraph(
                ", ".join(change.references)
                if change.references
                else _("no comment recorded as the reason"),
                label=_("Prompted by:"),
            )
        )
    return Section("changes", _("Main changes to the draft"), tuple(blocks))


# --- helpers -------------------------------------------------------------------------------


def _labelled(counts: tuple[Count, ...], enum_type, labels) -> list[tuple[str, int]]:
    return [(labels[enum_type(count.key)], count.count) for count in counts]


def _table(caption: str, label_header: str, count_header: str, rows, _) -> FigureTable:
    rows = list(rows)
    total = sum(count for _label, count in rows)
    return FigureTable(
        caption=caption,
        label_header=label_header,
        count_header=count_header,
        rows=tuple(
            FigureRow(label, count, round(100 * count / total, 1) if total else 0.0)
            for label, count in rows
        ),
        total_label=_("Total"),
        total=total,
    )


# --- the annex in batches ------------------------------------------------------------------


@dataclass(frozen=True)
class AnnexChunk:
    """Consecutive rows of one part of the annex; the part's heading goes with its first
    chunk."""

    part: AnnexPart
    rows: tuple[SummaryRow, ...]
    starts_part: bool


def annex_batches(report: Report, rows_per_batch: int | None = None) -> list[list[AnnexChunk]]:
    """The annex cut into batches of at most `rows_per_batch` rows (None: one batch). The PDF
    lays out one batch at a time, because a laid-out page costs memory until the file is
    written; each part starts a batch, as it starts a page."""
    if rows_per_batch is None:
        return [[AnnexChunk(part, part.rows, True) for part in report.annex_parts]]
    batches = []
    for part in report.annex_parts:
        starts = range(0, max(len(part.rows), 1), rows_per_batch)
        batches.extend(
            [AnnexChunk(part, part.rows[start : start + rows_per_batch], start == 0)]
            for start in starts
        )
    return batches

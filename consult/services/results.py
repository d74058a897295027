"""The public results of a consultation: how many published comments there are by stakeholder
group, kind and recommendation, for the whole draft, per chapter and per paragraph, and the
comments of one chapter with the administration's answers.

What counts is a published statement: an approved, top-level comment not written by staff.
Withdrawn, rejected, pending and hidden comments, replies and the administration's own texts
never count and never show. Figures are GROUP BY aggregates, so the overview costs the same
three queries for 3 comments and for 10,000, and a chapter page three more.
"""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager, joinedload

from consult.charts import HeatScale, heat_scale
from consult.extensions import db
from consult.models import (
    Answer,
    Comment,
    CommentKind,
    Consultation,
    Paragraph,
    Recommendation,
    Section,
    StakeholderGroup,
)
from consult.models.comment import PUBLISHED_STATEMENT
from consult.models.response import ANSWER_IS_COMPLETE
from consult.services.summary import published_reply_count
from consult.services.targets import Target

# A chapter page lists at most this many comments per paragraph; the rest are one link away,
# in the paragraph's public thread.
COMMENTS_SHOWN = 200


@dataclass(frozen=True)
class Figures:
    """Published comments counted by group, kind and recommendation; every group, kind and
    recommendation is listed, zeros too, in a fixed order. None as a recommendation counts the
    comments not answered yet."""

    total: int
    by_group: tuple[tuple[StakeholderGroup, int], ...]
    by_kind: tuple[tuple[CommentKind, int], ...]
    by_recommendation: tuple[tuple[Recommendation | None, int], ...]

    @property
    def groups_present(self) -> tuple[tuple[StakeholderGroup, int], ...]:
        return tuple(entry for entry in self.by_group if entry[1])

    @property
    def kinds_present(self) -> tuple[tuple[CommentKind, int], ...]:
        return tuple(entry for entry in self.by_kind if entry[1])

    @property
    def recommendations_present(self) -> tuple[tuple[Recommendation | None, int], ...]:
        return tuple(entry for entry in self.by_recommendation if entry[1])


@dataclass(frozen=True)
class _TallyRow:
    section_id: int | None
    paragraph_id: int | None
    group: StakeholderGroup
    kind: CommentKind | None
    recommendation: Recommendation | None
    count: int


def _figures(rows) -> Figures:
    groups: Counter = Counter()
    kinds: Counter = Counter()
    recommendations: Counter = Counter()
    for row in rows:
        groups[row.group] += row.count
        kinds[row.kind] += row.count
        recommendations[row.recommendation] += row.count
    return Figures(
        total=sum(groups.values()),
        by_group=tuple((group, groups[group]) for group in StakeholderGroup),
        by_kind=tuple((kind, kinds[kind]) for kind in CommentKind),
        by_recommendation=tuple(
            (recommendation, recommendations[recommendation])
            for recommendation in (*Recommendation, None)
        ),
    )


def _tally(*conditions) -> list[_TallyRow]:
    """One row per target, group, kind and recommendation with its number of comments."""
    # A draft answer counts as "not answered yet".
    recommendation = case((ANSWER_IS_COMPLETE, Answer.recommendation), else_=None).label(
        "answered_recommendation"
    )
    keys = (Comment.section_id, Comment.paragraph_id, Comment.group, Comment.kind, recommendation)
    rows = db.session.execute(
        select(*keys, func.count())
        .select_from(Comment)
        .outerjoin(Answer, Answer.id == Comment.answer_id)
        .where(PUBLISHED_STATEMENT, *conditions)
        .group_by(*keys)
    )
    return [_TallyRow(*row) for row in rows]


# The overview ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParagraphCell:
    """A paragraph in the heatmap strip and the per-paragraph table."""

    paragraph: Paragraph
    count: int
    level: int  # the heatmap shade, see charts.HeatScale


@dataclass(frozen=True)
class ChapterResults:
    section: Section
    # The chapter as a whole and its paragraphs together.
    figures: Figures
    paragraphs: tuple[ParagraphCell, ...]


@dataclass(frozen=True)
class ResultsOverview:
    consultation: Consultation
    figures: Figures
    organisations: int
    replies: int
    # Comments on the draft as a whole (on no chapter).
    whole_draft: Figures
    chapters: tuple[ChapterResults, ...]
    heat: HeatScale


def consultation_with_draft(slug: str) -> Consultation | None:
    """The consultation with its chapters and paragraphs (dropped ones too), in one query."""
    return (
        db.session.scalars(
            select(Consultation)
            .where(Consultation.slug == slug)
            .options(joinedload(Consultation.sections).joinedload(Section.paragraphs))
        )
        .unique()
        .one_or_none()
    )


def results_overview(consultation: Consultation) -> ResultsOverview:
    """Every figure of the overview in two queries; chapters and paragraphs must be loaded."""
    rows = _tally(Comment.consultation_id == consultation.id)
    organisations, replies = _participation(consultation.id)
    by_paragraph: Counter = Counter()
    for row in rows:
        by_paragraph[row.paragraph_id] += row.count
    heat = heat_scale(max((by_paragraph[p] for p in by_paragraph if p is not None), default=0))
    chapters = tuple(
        ChapterResults(
            section=section,
            figures=_figures(row for row in rows if row.section_id == section.id),
            paragraphs=tuple(
                ParagraphCell(p, by_paragraph[p.id], heat.level_of(by_paragraph[p.id]))
                for p in section.paragraphs
            ),
        )
        for section in consultation.sections
    )
    return ResultsOverview(
        consultation=consultation,
        figures=_figures(rows),
        organisations=organisations,
        replies=replies,
        whole_draft=_figures(row for row in rows if row.section_id is None),
        chapters=chapters,
        heat=heat,
    )


def _participation(consultation_id: int) -> tuple[int, int]:
    """Distinct organisations with a published statement, and published replies under
    published comments."""
    organisations = (
        select(func.count(func.distinct(Comment.organisation_id)))
        .where(Comment.consultation_id == consultation_id, PUBLISHED_STATEMENT)
        .scalar_subquery()
    )
    replies = published_reply_count(consultation_id)
    found = db.session.execute(select(organisations, replies)).one()
    return found[0], found[1]


# A chapter page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetResults:
    """The comments on one paragraph, on a chapter as a whole or on the whole draft."""

    target: Target
    figures: Figures
    # The first COMMENTS_SHOWN, oldest first, with organisation and answer loaded.
    comments: tuple[Comment, ...]

    @property
    def has_more(self) -> bool:
        return self.figures.total > len(self.comments)


@dataclass(frozen=True)
class ChapterPage:
    consultation: Consultation
    # None: the page of comments on the whole draft.
    section: Section | None
    figures: Figures
    # The chapter's own comments first (only when there are any), then every paragraph.
    targets: tuple[TargetResults, ...]


def chapter_with_draft(slug: str, number: int) -> Section | None:
    """A chapter with its consultation and paragraphs, in one query."""
    return (
        db.session.scalars(
            select(Section)
            .join(Section.consultation)
            .where(Consultation.slug == slug, Section.number == number)
            .options(contains_eager(Section.consultation), joinedload(Section.paragraphs))
        )
        .unique()
        .one_or_none()
    )


def chapter_page(
    consultation: Consultation, section: Section | None, limit: int | None = None
) -> ChapterPage:
    """The figures and comments of a chapter (or, with section None, of the whole draft) in
    two queries, however many comments it has; at most `limit` (COMMENTS_SHOWN) comments are
    loaded per paragraph."""
    limit = COMMENTS_SHOWN if limit is None else limit
    if section is None:
        condition = (Comment.consultation_id == consultation.id) & Comment.section_id.is_(None)
    else:
        condition = Comment.section_id == section.id
    rows = _tally(condition)
    comments = _first_comments(condition, limit)

    def results(target: Target, paragraph_id: int | None) -> TargetResults:
        return TargetResults(
            target,
            _figures(row for row in rows if row.paragraph_id == paragraph_id),
            tuple(c for c in comments if c.paragraph_id == paragraph_id),
        )

    if section is None:
        targets = (results(Target(consultation), None),)
    else:
        own = results(Target(consultation, section), None)
        targets = ((own,) if own.figures.total else ()) + tuple(
            results(Target(consultation, section, p), p.id) for p in section.paragraphs
        )
    return ChapterPage(consultation, section, _figures(rows), targets)


def _first_comments(condition, limit: int) -> list[Comment]:
    """The first `limit` published statements of each paragraph (and of the chapter's own),
    ranked in SQL so that a paragraph with thousands of comments loads only what is shown."""
    ranked = (
        select(
            Comment.id,
            func.row_number()
            .over(partition_by=Comment.paragraph_id, order_by=(Comment.published_at, Comment.id))
            .label("rank"),
        )
        .where(PUBLISHED_STATEMENT, condition)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(Comment)
            .join(ranked, ranked.c.id == Comment.id)
            .where(ranked.c.rank <= limit)
            .order_by(Comment.published_at, Comment.id)
            .options(joinedload(Comment.organisation), joinedload(Comment.answer))
        )
    )

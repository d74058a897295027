"""The moderation queue: what waits for a decision, narrowed by filters that show their counts.

An item is in the queue while it is pending, or while readers' reports on a published (or
hidden) comment are open. The filters are facets: each option's count is what the list would
hold with that option chosen and every other filter kept.
"""

from collections import Counter
from dataclasses import dataclass, field, fields

from sqlalchemy import and_, func, or_, select, true

from consult.extensions import db
from consult.models import (
    Comment,
    CommentKind,
    CommentStatus,
    Consultation,
    Flag,
    RejectionReason,
    Section,
    StakeholderGroup,
)
from consult.models.comment import REPORTABLE_STATUSES
from consult.services.moderation import WITH_TARGET_CONTEXT

QUEUE_PAGE_SIZE = 50
# Replies have no kind; the filter offers them as a kind of their own.
REPLY_KIND = "reply"
# Comments on the whole draft have no chapter; the filter offers them as "chapter" 0.
WHOLE_DRAFT = 0

IN_QUEUE = or_(
    Comment.status == CommentStatus.PENDING,
    and_(
        Comment.open_flag_count > 0,
        Comment.status.in_(REPORTABLE_STATUSES),
    ),
)


@dataclass(frozen=True)
class QueueFilters:
    consultation: int | None = None
    chapter: int | None = None  # a section id, or WHOLE_DRAFT
    group: StakeholderGroup | None = None
    kind: str | None = None  # a CommentKind value or REPLY_KIND
    language: str | None = None
    proposal: bool | None = None
    flagged: bool | None = None

    @classmethod
    def from_args(cls, args) -> "QueueFilters":
        """Unknown or malformed values are ignored, as a bookmarked filter may outlive them."""

        def number(name):
            value = args.get(name, "")
            return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None

        def choice(name, allowed):
            value = args.get(name, "")
            return value if value in allowed else None

        def yes_no(name):
            return {"yes": True, "no": False}.get(args.get(name, ""))

        group = choice("group", {g.value for g in StakeholderGroup})
        language = args.get("language", "")
        return cls(
            consultation=number("consultation"),
            chapter=number("chapter"),
            group=StakeholderGroup(group) if group else None,
            kind=choice("kind", {k.value for k in CommentKind} | {REPLY_KIND}),
            language=language if language.isalpha() and len(language) <= 8 else None,
            proposal=yes_no("proposal"),
            flagged=yes_no("flagged"),
        )

    def as_args(self) -> dict[str, str]:
        """The query string that reproduces these filters."""
        args = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool):
                args[item.name] = "yes" if value else "no"
            elif value is not None:
                args[item.name] = str(value)
        return args

    @property
    def active(self) -> bool:
        return bool(self.as_args())

    def matches(self, row, *, ignoring: str | None = None) -> bool:
        """Whether a facet row passes every filter except `ignoring`."""
        for item in fields(self):
            wanted = getattr(self, item.name)
            if item.name == ignoring or wanted is None:
                continue
            if _FACET_VALUE[item.name](row) != wanted:
                return False
        return True


# How each filter reads its value from a facet row (see _facet_rows).
_FACET_VALUE = {
    "consultation": lambda row: row.consultation_id,
    "chapter": lambda row: row.section_id or WHOLE_DRAFT,
    "group": lambda row: row.group,
    "kind": lambda row: REPLY_KIND if row.parent_id is not None else (row.kind and row.kind.value),
    "language": lambda row: row.language,
    "proposal": lambda row: row.has_proposal,
    "flagged": lambda row: row.open_flag_count > 0,
}


@dataclass(frozen=True)
class FacetOption:
    value: object
    label: str
    count: int


@dataclass(frozen=True)
class QueueItem:
    comment: Comment
    # Open reports by reason, most frequent first; empty for a comment nobody reported.
    flags: list[tuple[RejectionReason, int]] = field(default_factory=list)

    @property
    def is_flagged(self) -> bool:
        return bool(self.flags)

    @property
    def flag_total(self) -> int:
        return sum(count for _, count in self.flags)


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    total: int  # matching the filters
    waiting: int  # in the queue at all, whatever the filters
    later: int  # matching the filters and after the last item shown
    filters: QueueFilters
    facets: dict[str, list[FacetOption]]
    # The item this page continues after ("Load the next comments"), or None from the start.
    after: int | None = None

    @property
    def has_more(self) -> bool:
        return self.later > 0


def _scope_condition(scope: frozenset[int] | None):
    return true() if scope is None else Comment.consultation_id.in_(scope or {-1})


def _facet_rows(scope):
    """One small row per queued item: enough to count every facet in Python with one query.
    A queue holds hundreds or a few thousand items, never the whole consultation."""
    return db.session.execute(
        select(
            Comment.id,
            Comment.created_at,
            Comment.consultation_id,
            Comment.section_id,
            Comment.parent_id,
            Comment.group,
            Comment.kind,
            Comment.language,
            Comment.proposed_text.is_not(None).label("has_proposal"),
            Comment.open_flag_count,
        ).where(IN_QUEUE, _scope_condition(scope))
    ).all()


def _count(rows, filters: QueueFilters, facet: str) -> Counter:
    return Counter(_FACET_VALUE[facet](row) for row in rows if filters.matches(row, ignoring=facet))


def _facets(rows, filters: QueueFilters, scope, language_name) -> dict[str, list[FacetOption]]:
    counts = {name: _count(rows, filters, name) for name in _FACET_VALUE}
    consultation_ids = set(counts["consultation"]) | {filters.consultation} - {None}
    section_ids = set(counts["chapter"]) | {filters.chapter} - {None, WHOLE_DRAFT}
    # A chosen filter value outside the moderator's consultations names nothing.
    in_scope = Consultation.id.in_(scope or {-1}) if scope is not None else true()
    consultations = {
        c.id: c.title
        for c in db.session.scalars(
            select(Consultation).where(Consultation.id.in_(consultation_ids or {-1}), in_scope)
        )
    }
    sections = db.session.execute(
        select(Section.id, Section.number, Section.title, Consultation.title)
        .join(Consultation, Section.consultation_id == Consultation.id)
        .where(Section.id.in_(section_ids or {-1}), in_scope)
        .order_by(Consultation.id, Section.position)
    ).all()
    whole_draft = [(WHOLE_DRAFT, None)] if WHOLE_DRAFT in counts["chapter"] else []
    several_consultations = len(consultations) > 1

    def options(name, labelled):
        return [FacetOption(value, label, counts[name][value]) for value, label in labelled]

    kinds = [(k.value, k.label) for k in CommentKind] + [(REPLY_KIND, None)]
    return {
        "consultation": options("consultation", sorted(consultations.items())),
        "chapter": options(
            "chapter",
            whole_draft
            + [
                (
                    section_id,
                    (f"{consultation_title} · " if several_consultations else "")
                    + f"{number} {title}",
                )
                for section_id, number, title, consultation_title in sections
            ],
        ),
        "group": options("group", [(g, g.label) for g in StakeholderGroup]),
        "kind": options("kind", kinds),
        "language": options(
            "language",
            sorted(
                ((code, language_name(code)) for code in set(counts["language"])),
                key=lambda pair: str(pair[1]),
            ),
        ),
        "proposal": options("proposal", [(True, None), (False, None)]),
        "flagged": options("flagged", [(True, None), (False, None)]),
    }


def queue_page(
    filters: QueueFilters,
    *,
    scope: frozenset[int] | None,
    after: int | None = None,
    language_name=str,
    limit: int = QUEUE_PAGE_SIZE,
) -> QueuePage:
    """The oldest items first, each with its paragraph, chapter and consultation for context.
    `after` continues behind an item of the previous page, so items a moderator skipped there
    do not come back until they start from the top again. Four queries (five with reports
    shown, one more when the start item was decided meanwhile), whatever the size of the
    queue."""
    rows = sorted(_facet_rows(scope), key=lambda row: (row.created_at, row.id))
    matching = [row for row in rows if filters.matches(row)]
    start = _position_after(matching, rows, after)
    shown_ids = [row.id for row in matching[start : start + limit]]
    by_id = {
        comment.id: comment
        for comment in db.session.scalars(
            select(Comment).where(Comment.id.in_(shown_ids or [-1])).options(*WITH_TARGET_CONTEXT)
        ).unique()
    }
    comments = [by_id[comment_id] for comment_id in shown_ids if comment_id in by_id]
    flags = _open_flags([c.id for c in comments if c.open_flag_count])
    return QueuePage(
        items=[QueueItem(c, flags.get(c.id, [])) for c in comments],
        total=len(matching),
        waiting=len(rows),
        later=max(len(matching) - start - limit, 0),
        filters=filters,
        facets=_facets(rows, filters, scope, language_name),
        after=after if start else None,
    )


def _position_after(matching, rows, after: int | None) -> int:
    """Where a page that continues after item `after` starts. The item itself may have been
    decided since (it is then no longer among the rows); its place in the order still counts."""
    if after is None:
        return 0
    anchor = next((row for row in rows if row.id == after), None)
    key = (anchor.created_at, anchor.id) if anchor else None
    if key is None:
        anchor_created = db.session.scalar(select(Comment.created_at).where(Comment.id == after))
        if anchor_created is None:
            return 0
        key = (anchor_created, after)
    return sum(1 for row in matching if (row.created_at, row.id) <= key)


def _open_flags(comment_ids: list[int]) -> dict[int, list[tuple[RejectionReason, int]]]:
    if not comment_ids:
        return {}
    result: dict[int, list] = {}
    for comment_id, reason, count in db.session.execute(
        select(Flag.comment_id, Flag.reason, func.count())
        .where(Flag.comment_id.in_(comment_ids), Flag.resolved_at.is_(None))
        .group_by(Flag.comment_id, Flag.reason)
        .order_by(Flag.comment_id, func.count().desc(), Flag.reason)
    ):
        result.setdefault(comment_id, []).append((reason, count))
    return result


def queue_item(comment_id: int, scope: frozenset[int] | None) -> QueueItem | None:
    """One item still waiting for a decision, for showing it again (errors, conflicts)."""
    comment = db.session.scalars(
        select(Comment)
        .where(Comment.id == comment_id, IN_QUEUE, _scope_condition(scope))
        .options(*WITH_TARGET_CONTEXT)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if comment is None:
        return None
    return QueueItem(comment, _open_flags([comment.id]).get(comment.id, []))


def waiting_total(scope: frozenset[int] | None) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Comment).where(IN_QUEUE, _scope_condition(scope))
    )

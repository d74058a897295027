"""The Abwägung: the administration answers every published comment, one chapter at a time.

An answer is complete once it has a reply and one of the four recommendations; anything less is
a draft the administration may save and finish later. Several similar comments may share one
answer: editing it through any of them changes it for all. Every write is conditional on the
answer's version, so two colleagues answering the same comment never overwrite each other.
"""

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import contains_eager, joinedload

from consult.extensions import db
from consult.models import (
    Answer,
    Comment,
    CommentStatus,
    Consultation,
    Recommendation,
    Section,
    StakeholderGroup,
)
from consult.models.comment import PUBLISHED_STATEMENT
from consult.models.response import ANSWER_IS_COMPLETE
from consult.services import audit
from consult.services.errors import ServiceError
from consult.services.numbering import draft_order

# Comments on the whole draft have no chapter; the navigation shows them as "chapter" 0, as the
# moderation queue does.
WHOLE_DRAFT = 0
WORKSPACE_PAGE_SIZE = 50
TEXT_MAX_LENGTH = 10000
CHANGE_MAX_LENGTH = 5000
# "Answer these together" is for a handful of similar comments, not for a whole chapter.
MAX_SHARED = 200
# The recommendation filter's value for answers that have none yet.
NO_RECOMMENDATION = "none"


class NotAnswerable(ServiceError):
    """Not a published comment of this consultation (or a reply, or the administration's own)."""


class AnswerChanged(ServiceError):
    """A colleague saved the answer after it was read; nothing was written."""

    def __init__(self, current: Answer | None):
        super().__init__("the answer changed since it was shown")
        self.current = current


class NothingToShare(ServiceError):
    """Sharing needs at least two comments."""


class AnswersWouldBeLost(ServiceError):
    """The comments already carry different answers: sharing one would delete the others, so
    it needs the administration's explicit word."""

    def __init__(self, holders: list[tuple[int, str | None]], kept: tuple[int, str | None]):
        super().__init__("the selected comments have different answers")
        self.holders = holders  # (comment id, reference) of every comment with an answer
        self.kept = kept  # the comment whose answer would be shared


class NotShared(ServiceError):
    """Only an answer shared with other comments can be separated."""


def answerable(consultation_id: int):
    """The comments the administration answers: published, top-level, not its own replies."""
    return and_(
        Comment.consultation_id == consultation_id,
        PUBLISHED_STATEMENT,
    )


@dataclass(frozen=True)
class WorkspaceFilters:
    chapter: int | None = None  # a section id, or WHOLE_DRAFT; None: the default chapter
    unanswered: bool = False
    recommendation: str | None = None  # a Recommendation value or NO_RECOMMENDATION
    group: StakeholderGroup | None = None
    # How many matching comments of the chapter to skip ("Show the next comments").
    start: int = 0

    @classmethod
    def from_args(cls, args) -> "WorkspaceFilters":
        """Unknown or malformed values are ignored: a bookmarked link may outlive them."""

        def number(name):
            value = args.get(name, "")
            return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None

        recommendation = args.get("recommendation", "")
        group = args.get("group", "")
        return cls(
            chapter=number("chapter"),
            unanswered=args.get("unanswered", "") == "yes",
            recommendation=recommendation
            if recommendation in {r.value for r in Recommendation} | {NO_RECOMMENDATION}
            else None,
            group=StakeholderGroup(group) if group in {g.value for g in StakeholderGroup} else None,
            start=number("start") or 0,
        )

    def as_args(self, **changes) -> dict[str, str]:
        """The query string that reproduces these filters (with `changes` applied)."""
        values = {item.name: getattr(self, item.name) for item in fields(self)} | changes
        args = {}
        if values["chapter"] is not None:
            args["chapter"] = str(values["chapter"])
        if values["unanswered"]:
            args["unanswered"] = "yes"
        if values["recommendation"]:
            args["recommendation"] = values["recommendation"]
        if values["group"]:
            args["group"] = str(values["group"])
        if values["start"]:
            args["start"] = str(values["start"])
        return args

    def conditions(self) -> list:
        conditions = []
        if self.chapter == WHOLE_DRAFT:
            conditions.append(Comment.section_id.is_(None))
        elif self.chapter is not None:
            conditions.append(Comment.section_id == self.chapter)
        if self.unanswered:
            conditions.append(or_(Comment.answer_id.is_(None), ~ANSWER_IS_COMPLETE))
        if self.recommendation == NO_RECOMMENDATION:
            conditions.append(or_(Comment.answer_id.is_(None), Answer.recommendation.is_(None)))
        elif self.recommendation:
            conditions.append(Answer.recommendation == Recommendation(self.recommendation))
        if self.group is not None:
            conditions.append(Comment.group == self.group)
        return conditions


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int

    @property
    def unanswered(self) -> int:
        return self.total - self.answered

    @property
    def done(self) -> bool:
        return self.answered == self.total


@dataclass(frozen=True)
class ChapterProgress:
    chapter: int  # a section id, or WHOLE_DRAFT
    section: Section | None
    progress: Progress


@dataclass(frozen=True)
class Overview:
    """Answered / total for every chapter, in the draft's order, and for the consultation."""

    chapters: list[ChapterProgress]
    total: Progress

    def of(self, chapter: int | None) -> ChapterProgress | None:
        return next((c for c in self.chapters if c.chapter == chapter), None)

    def default_chapter(self) -> int | None:
        """The first chapter that still has unanswered comments, else the first with any."""
        for wanted in (lambda c: c.progress.unanswered > 0, lambda c: c.progress.total > 0):
            found = next((c for c in self.chapters if wanted(c)), None)
            if found:
                return found.chapter
        return self.chapters[0].chapter if self.chapters else None


@dataclass(frozen=True)
class WorkspaceItem:
    comment: Comment  # with section, paragraph, organisation and answer loaded
    # The other comments that share its answer, as (comment id, reference or None).
    shared_with: list[tuple[int, str | None]]

    @property
    def answer(self) -> Answer | None:
        return self.comment.answer


@dataclass(frozen=True)
class WorkspacePage:
    consultation: Consultation
    overview: Overview
    filters: WorkspaceFilters  # with the chapter chosen
    items: list[WorkspaceItem]
    has_more: bool

    @property
    def chapter(self) -> ChapterProgress | None:
        return self.overview.of(self.filters.chapter)


def load_consultation(consultation_id: int) -> Consultation | None:
    return db.session.get(Consultation, consultation_id)


def overview(consultation: Consultation, sections: list[Section] | None = None) -> Overview:
    """Progress per chapter from one aggregate query (and one for the chapters, unless given)."""
    if sections is None:
        sections = list(
            db.session.scalars(
                select(Section)
                .where(Section.consultation_id == consultation.id)
                .order_by(Section.position)
            )
        )
    counts = {
        section_id or WHOLE_DRAFT: Progress(int(answered or 0), total)
        for section_id, total, answered in db.session.execute(
            select(
                Comment.section_id,
                func.count(),
                func.sum(case((ANSWER_IS_COMPLETE, 1), else_=0)),
            )
            .select_from(Comment)
            .outerjoin(Answer, Answer.id == Comment.answer_id)
            .where(answerable(consultation.id))
            .group_by(Comment.section_id)
        )
    }
    empty = Progress(0, 0)
    chapters = []
    if WHOLE_DRAFT in counts:
        chapters.append(ChapterProgress(WHOLE_DRAFT, None, counts[WHOLE_DRAFT]))
    chapters += [ChapterProgress(s.id, s, counts.get(s.id, empty)) for s in sections]
    return Overview(
        chapters,
        Progress(sum(p.answered for p in counts.values()), sum(p.total for p in counts.values())),
    )


def _items_query(consultation_id: int):
    """Published comments in the draft's order: a chapter's own comments before its
    paragraphs', each paragraph's in the order they were published."""
    return (
        select(Comment)
        .outerjoin(Comment.section)
        .outerjoin(Comment.paragraph)
        .outerjoin(Comment.answer)
        .where(answerable(consultation_id))
        .order_by(*draft_order())
        .options(
            contains_eager(Comment.section),
            contains_eager(Comment.paragraph),
            contains_eager(Comment.answer),
            joinedload(Comment.organisation),
        )
    )


def _shared_with(comments: list[Comment]) -> dict[int, list[tuple[int, str | None]]]:
    """For each answer of these comments, every comment that has it: one query."""
    answer_ids = {c.answer_id for c in comments if c.answer_id is not None}
    if not answer_ids:
        return {}
    holders: dict[int, list[tuple[int, str | None]]] = defaultdict(list)
    for comment_id, reference, answer_id in db.session.execute(
        select(Comment.id, Comment.reference, Comment.answer_id)
        # A comment withdrawn or removed since keeps its answer but is no longer named.
        .where(Comment.answer_id.in_(answer_ids), Comment.status == CommentStatus.APPROVED)
        .order_by(Comment.reference, Comment.id)
    ):
        holders[answer_id].append((comment_id, reference))
    return holders


def _as_items(comments: list[Comment]) -> list[WorkspaceItem]:
    holders = _shared_with(comments)
    return [
        WorkspaceItem(c, [pair for pair in holders.get(c.answer_id, []) if pair[0] != c.id])
        for c in comments
    ]


def workspace_page(
    consultation: Consultation,
    filters: WorkspaceFilters,
    *,
    limit: int = WORKSPACE_PAGE_SIZE,
) -> WorkspacePage:
    """One chapter's comments with their answers, and the progress of every chapter: five
    queries, however many comments the consultation has."""
    progress = overview(consultation)
    chapter = filters.chapter
    if progress.of(chapter) is None:
        chapter = progress.default_chapter()
    chosen = WorkspaceFilters(
        chapter=chapter,
        unanswered=filters.unanswered,
        recommendation=filters.recommendation,
        group=filters.group,
        start=filters.start,
    )
    comments = []
    if chapter is not None:
        comments = list(
            db.session.scalars(
                _items_query(consultation.id)
                .where(*chosen.conditions())
                .offset(chosen.start)
                .limit(limit + 1)
            ).unique()
        )
    return WorkspacePage(
        consultation=consultation,
        overview=progress,
        filters=chosen,
        items=_as_items(comments[:limit]),
        has_more=len(comments) > limit,
    )


def workspace_items(consultation_id: int, comment_ids) -> list[WorkspaceItem]:
    """Some items as they are now (after a save, for showing them again), in draft order."""
    comments = list(
        db.session.scalars(
            _items_query(consultation_id)
            .where(Comment.id.in_(list(comment_ids) or [-1]))
            .execution_options(populate_existing=True)
        ).unique()
    )
    return _as_items(comments)


def holders_of(answer_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Comment.id).where(Comment.answer_id == answer_id).order_by(Comment.id)
        )
    )


# --- writing ---------------------------------------------------------------------------------


def _answerable_comment(consultation_id: int, comment_id: int) -> Comment:
    comment = db.session.scalars(
        select(Comment)
        .where(Comment.id == comment_id, answerable(consultation_id))
        .options(joinedload(Comment.answer))
        .execution_options(populate_existing=True)
    ).one_or_none()
    if comment is None:
        raise NotAnswerable()
    return comment


def _references(comment_ids: list[int]) -> list[str]:
    """How the audit log names comments: their number, or their id before numbering."""
    rows = db.session.execute(
        select(Comment.id, Comment.reference)
        .where(Comment.id.in_(comment_ids or [-1]))
        .order_by(Comment.id)
    )
    return [reference or str(comment_id) for comment_id, reference in rows]


def _current_answer(answer_id: int) -> Answer | None:
    return db.session.scalars(
        select(Answer).where(Answer.id == answer_id).execution_options(populate_existing=True)
    ).one_or_none()


def _expire(comment_ids, answer_ids=()) -> None:
    """Objects already in the session must not show their state from before a bulk UPDATE."""
    comment_ids, answer_ids = set(comment_ids), set(answer_ids)
    for obj in list(db.session.identity_map.values()):
        if (isinstance(obj, Comment) and obj.id in comment_ids) or (
            isinstance(obj, Answer) and obj.id in answer_ids
        ):
            db.session.expire(obj)


def save_answer(
    consultation_id: int,
    comment_id: int,
    *,
    actor,
    text: str,
    recommendation: Recommendation | None,
    change_text: str,
    seen_version: int,
    now: datetime,
) -> Answer:
    """Write the answer of one comment (and of every comment sharing it).

    `seen_version` is the version of the answer the form showed, 0 when the comment had none.
    If a colleague saved in between, AnswerChanged carries their answer and nothing is written.
    """
    comment = _answerable_comment(consultation_id, comment_id)
    values = {
        "text": (text or "").strip(),
        "recommendation": recommendation,
        "change_text": (change_text or "").strip(),
        "updated_at": now,
        "updated_by_id": getattr(actor, "id", None),
    }
    if comment.answer_id is None:
        if seen_version:
            raise AnswerChanged(None)
        answer = Answer(consultation_id=consultation_id, version=1, created_at=now, **values)
        db.session.add(answer)
        db.session.flush()
        claimed = db.session.execute(
            update(Comment)
            .where(Comment.id == comment_id, Comment.answer_id.is_(None))
            .values(answer_id=answer.id)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            # A colleague answered the comment first: theirs stands, this one goes.
            db.session.delete(answer)
            db.session.flush()
            current = db.session.scalar(select(Comment.answer_id).where(Comment.id == comment_id))
            raise AnswerChanged(_current_answer(current) if current else None)
    else:
        matched = db.session.execute(
            update(Answer)
            .where(Answer.id == comment.answer_id, Answer.version == seen_version)
            .values(version=Answer.version + 1, **values)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not matched:
            raise AnswerChanged(_current_answer(comment.answer_id))
        answer = _current_answer(comment.answer_id)
    holders = holders_of(answer.id)
    _expire(holders)
    audit.record(
        actor,
        "answer.save",
        answer,
        {
            "comments": _references(holders),
            "recommendation": recommendation.value if recommendation else None,
            "complete": answer.is_complete,
        },
        now=now,
    )
    return answer


def _content(answer: Answer) -> tuple:
    return (answer.text.strip(), answer.recommendation, answer.change_text.strip())


def share_answer(
    consultation_id: int,
    comment_ids: list[int],
    *,
    actor,
    now: datetime,
    replace_answers: bool = False,
) -> Answer:
    """One answer for all these comments. It starts as the first complete answer among them
    (in the draft's order), else the first draft answer, else an empty one; answers no
    comment holds any more are deleted. If that deletes written answers that differ from the
    kept one, AnswersWouldBeLost asks first, unless `replace_answers` says it may."""
    wanted = list(dict.fromkeys(comment_ids))
    if len(wanted) < 2:
        raise NothingToShare()
    comments = list(
        db.session.scalars(
            _items_query(consultation_id)
            .where(Comment.id.in_(wanted))
            .execution_options(populate_existing=True)
        ).unique()
    )
    if len(comments) != len(wanted):
        raise NotAnswerable()
    answers = [c.answer for c in comments if c.answer is not None]
    written = [c for c in comments if c.answer is not None and any(_content(c.answer))]
    base = (
        next((a for a in answers if a.is_complete), None)
        or (written[0].answer if written else None)
        or (answers[0] if answers else None)
    )
    if not replace_answers and len({_content(c.answer) for c in written}) > 1:
        kept = next(c for c in written if c.answer is base)
        raise AnswersWouldBeLost([(c.id, c.reference) for c in written], (kept.id, kept.reference))
    if base is None:
        base = Answer(
            consultation_id=consultation_id,
            text="",
            change_text="",
            version=1,
            created_at=now,
            updated_at=now,
            updated_by_id=getattr(actor, "id", None),
        )
        db.session.add(base)
    else:
        # Forms still showing the answers as they were must not overwrite the shared one.
        base.version += 1
        base.updated_at = now
        base.updated_by_id = getattr(actor, "id", None)
    db.session.flush()
    previous = {a.id for a in answers} - {base.id}
    db.session.execute(
        update(Comment)
        .where(Comment.id.in_(wanted))
        .values(answer_id=base.id)
        .execution_options(synchronize_session=False)
    )
    _delete_unheld(previous)
    _expire(wanted, {base.id})
    audit.record(
        actor,
        "answer.share",
        base,
        {"comments": _references(holders_of(base.id))},
        now=now,
    )
    return base


def _delete_unheld(answer_ids: set[int]) -> None:
    if not answer_ids:
        return
    still_held = set(
        db.session.scalars(select(Comment.answer_id).where(Comment.answer_id.in_(answer_ids)))
    )
    for answer_id in answer_ids - still_held:
        answer = db.session.get(Answer, answer_id)
        if answer is not None:
            db.session.delete(answer)
    db.session.flush()


def answer_separately(consultation_id: int, comment_id: int, *, actor, now: datetime) -> Answer:
    """Take one comment out of a shared answer; it keeps a copy to edit on its own."""
    comment = _answerable_comment(consultation_id, comment_id)
    shared = comment.answer
    if shared is None or len(holders_of(shared.id)) < 2:
        raise NotShared()
    copy = Answer(
        consultation_id=consultation_id,
        text=shared.text,
        recommendation=shared.recommendation,
        change_text=shared.change_text,
        version=1,
        created_at=now,
        updated_at=now,
        updated_by_id=getattr(actor, "id", None),
    )
    db.session.add(copy)
    db.session.flush()
    db.session.execute(
        update(Comment)
        .where(Comment.id == comment_id)
        .values(answer_id=copy.id)
        .execution_options(synchronize_session=False)
    )
    _expire([comment_id])
    audit.record(
        actor,
        "answer.separate",
        copy,
        {
            "comments": _references([comment_id]),
            "was_shared_with": _references(holders_of(shared.id)),
        },
        now=now,
    )
    return copy


# --- the main points of a chapter ----------------------------------------------------------

SUMMARY_MAX_LENGTH = 5000


class NoSuchChapter(ServiceError):
    """Not a chapter of this consultation."""


def load_chapter(consultation_id: int, section_id: int) -> Section | None:
    return db.session.scalars(
        select(Section).where(Section.id == section_id, Section.consultation_id == consultation_id)
    ).one_or_none()


def save_chapter_summary(
    consultation_id: int, section_id: int, text: str, *, actor, now: datetime
) -> Section:
    """The "Wesentliche Ergebnisse" of one chapter: what its comments mainly said, shown on the
    results page and in the report for the Kreistag. Empty removes them."""
    section = load_chapter(consultation_id, section_id)
    if section is None:
        raise NoSuchChapter()
    section.results_summary = (text or "").strip()
    db.session.flush()
    audit.record(
        actor,
        "chapter.results_summary",
        section,
        {"chapter": section.number, "characters": len(section.results_summary)},
        now=now,
    )
    return section

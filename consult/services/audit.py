"""Writes and reads the audit trail. Details must never contain network addresses or
participant data."""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import joinedload

from consult.extensions import db
from consult.models import AuditEvent, StaffUser
from consult.models.types import utcnow

PAGE_SIZE = 50
# The export reads this many rows at a time, so that 100,000 events never sit in memory.
EXPORT_BATCH = 1000
CSV_HEADER = (
    "time",
    "actor_id",
    "actor_name",
    "action",
    "subject_type",
    "subject_id",
    "details",
)
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def record(actor, action: str, subject, details: dict | None = None, now=None) -> AuditEvent:
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_type=type(subject).__name__.lower(),
        subject_id=getattr(subject, "id", None),
        details=details or {},
        created_at=now or utcnow(),
    )
    db.session.add(event)
    return event


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    """What the log is narrowed to. Dates are calendar days in `timezone` (the county's),
    both inclusive."""

    timezone: tzinfo
    actor_id: int | None = None
    # Events no staff member caused (a member joining through an invitation, for example).
    without_actor: bool = False
    action: str | None = None
    subject_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def conditions(self) -> list:
        conditions = []
        if self.without_actor:
            conditions.append(AuditEvent.actor_id.is_(None))
        elif self.actor_id is not None:
            conditions.append(AuditEvent.actor_id == self.actor_id)
        if self.action:
            conditions.append(AuditEvent.action == self.action)
        if self.subject_type:
            conditions.append(AuditEvent.subject_type == self.subject_type)
        if self.date_from is not None:
            conditions.append(AuditEvent.created_at >= self._start_of(self.date_from))
        if self.date_to is not None:
            conditions.append(
                AuditEvent.created_at < self._start_of(self.date_to + timedelta(days=1))
            )
        return conditions

    def _start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(), tzinfo=self.timezone).astimezone(UTC)

    def as_details(self) -> dict:
        """The filters as an export's audit event records them."""
        return {
            "actor_id": "system" if self.without_actor else self.actor_id,
            "action": self.action,
            "subject_type": self.subject_type,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }


@dataclass(frozen=True)
class AuditPage:
    # Newest first, each with its actor loaded.
    events: list[AuditEvent]
    has_newer: bool
    has_older: bool

    @property
    def newer_cursor(self) -> int | None:
        return self.events[0].id if self.has_newer and self.events else None

    @property
    def older_cursor(self) -> int | None:
        return self.events[-1].id if self.has_older and self.events else None


@dataclass(frozen=True)
class FilterOptions:
    staff: list[tuple[int, str]]
    actions: list[str]
    subject_types: list[str]


def _newest_first(query):
    return query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())


def _position_of(event_id: int):
    return select(AuditEvent.created_at).where(AuditEvent.id == event_id).scalar_subquery()


def _older_than(event_id: int):
    # Keyset paging on (created_at, id): events written while someone pages never shift a
    # page, and page 2,000 costs what page 1 does.
    at = _position_of(event_id)
    return or_(
        AuditEvent.created_at < at, and_(AuditEvent.created_at == at, AuditEvent.id < event_id)
    )


def _newer_than(event_id: int):
    at = _position_of(event_id)
    return or_(
        AuditEvent.created_at > at, and_(AuditEvent.created_at == at, AuditEvent.id > event_id)
    )


def _any(conditions: list, beyond) -> bool:
    return bool(db.session.scalar(select(exists().where(*conditions, beyond))))


def audit_page(
    filters: AuditFilters,
    *,
    older_than: int | None = None,
    newer_than: int | None = None,
    limit: int = PAGE_SIZE,
) -> AuditPage:
    """One page of events, newest first: the newest ones, or those just older or just newer
    than the event with the given id. At most two queries."""
    conditions = filters.conditions()
    query = select(AuditEvent).where(*conditions).options(joinedload(AuditEvent.actor))
    if newer_than is not None:
        rows = list(
            db.session.scalars(
                query.where(_newer_than(newer_than))
                .order_by(AuditEvent.created_at, AuditEvent.id)
                .limit(limit + 1)
            )
        )
        events = rows[:limit][::-1]
        has_newer = len(rows) > limit
        has_older = bool(events) and _any(conditions, _older_than(events[-1].id))
        return AuditPage(events, has_newer=has_newer, has_older=has_older)
    if older_than is not None:
        query = query.where(_older_than(older_than))
    rows = list(db.session.scalars(_newest_first(query).limit(limit + 1)))
    events = rows[:limit]
    has_newer = (
        older_than is not None and bool(events) and _any(conditions, _newer_than(events[0].id))
    )
    return AuditPage(events, has_newer=has_newer, has_older=len(rows) > limit)


def filter_options() -> FilterOptions:
    """Everyone who may have acted (deactivated accounts too), and the actions and subject
    types that occur in the log."""
    staff = [
        (row.id, row.display_name)
        for row in db.session.execute(
            select(StaffUser.id, StaffUser.display_name).order_by(
                StaffUser.display_name, StaffUser.id
            )
        )
    ]
    pairs = db.session.execute(select(AuditEvent.action, AuditEvent.subject_type).distinct()).all()
    return FilterOptions(
        staff=staff,
        actions=sorted({action for action, _ in pairs}),
        subject_types=sorted({subject_type for _, subject_type in pairs}),
    )


# --- export ----------------------------------------------------------------------------------


class AuditLog:
    """The audit log itself, as the subject of the event an export writes."""

    id = None


def record_export(actor, filters: AuditFilters, *, now: datetime) -> AuditEvent:
    return record(actor, "audit.export", AuditLog(), filters.as_details(), now=now)


def export_rows(filters: AuditFilters) -> Iterator:
    """The filtered events, newest first, as plain rows fetched in batches."""
    query = (
        select(
            AuditEvent.created_at,
            AuditEvent.actor_id,
            StaffUser.display_name,
            AuditEvent.action,
            AuditEvent.subject_type,
            AuditEvent.subject_id,
            AuditEvent.details,
        )
        .outerjoin(StaffUser, StaffUser.id == AuditEvent.actor_id)
        .where(*filters.conditions())
        .execution_options(yield_per=EXPORT_BATCH)
    )
    yield from db.session.execute(_newest_first(query))


def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text: never a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _csv_row(row) -> list[str]:
    created_at, actor_id, actor_name, action, subject_type, subject_id, details = row
    return [
        safe_cell(value)
        for value in (
            created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            actor_id,
            actor_name,
            action,
            subject_type,
            subject_id,
            json.dumps(details or {}, ensure_ascii=False, sort_keys=True),
        )
    ]


def csv_chunks(rows: Iterable) -> Iterator[str]:
    """UTF-8 CSV text with a byte order mark (so spreadsheet programs read the umlauts), a
    header, and one chunk per batch of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(CSV_HEADER)
    for count, row in enumerate(rows, start=1):
        writer.writerow(_csv_row(row))
        if count % EXPORT_BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()

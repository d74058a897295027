"""Writes the audit trail. Details must never contain network addresses or participant data."""

from consult.extensions import db
from consult.models import AuditEvent
from consult.models.types import utcnow


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

"""Which consultations a staff member may moderate."""

from sqlalchemy import select

from consult.extensions import db
from consult.models import Role
from consult.models.staff import staff_consultation


def moderated_consultation_ids(actor) -> frozenset[int] | None:
    """None for everyone who moderates every consultation (admins, unrestricted moderators);
    otherwise the ids a moderator is limited to, possibly none at all."""
    if actor.role is Role.ADMIN or not actor.limited_to_consultations:
        return None
    return frozenset(
        db.session.scalars(
            select(staff_consultation.c.consultation_id).where(
                staff_consultation.c.staff_user_id == actor.id
            )
        )
    )

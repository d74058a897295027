"""Named permission rules built from small predicates.

Routes ask these questions and templates receive the answers as booleans; no template or
service decides a permission on its own. `actor` is a StaffUser or Flask-Login's anonymous user.
"""

from datetime import datetime

from consult.models import Consultation, Role


def is_staff(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False))


def has_role(actor, *roles: Role) -> bool:
    return is_staff(actor) and actor.role in roles


def can_view(actor, consultation: Consultation) -> bool:
    return consultation.phase.is_public or is_staff(actor)


def can_comment(actor, consultation: Consultation, now: datetime) -> bool:
    # Staff may comment like anyone else while the consultation is open; nobody may outside it.
    return can_view(actor, consultation) and consultation.accepts_comments_at(now)


def can_moderate(actor) -> bool:
    return has_role(actor, Role.MODERATOR, Role.ADMIN)


def can_answer(actor) -> bool:
    return has_role(actor, Role.ADMIN)


def can_export(actor) -> bool:
    return has_role(actor, Role.ADMIN)

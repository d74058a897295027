"""Named permission rules built from small predicates.

Routes ask these questions and templates receive the answers as booleans; no template or
service decides a permission on its own. `actor` is a StaffUser, a Member of an organisation
or Flask-Login's anonymous user.
"""

from datetime import datetime

from consult.models import CommentStatus, Consultation, Phase, Role


def _signed_in(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False))


def is_staff(actor) -> bool:
    return _signed_in(actor) and getattr(actor, "is_staff", False)


def is_member(actor) -> bool:
    """Signed in as a member of an organisation."""
    return _signed_in(actor) and getattr(actor, "is_member", False)


def has_role(actor, *roles: Role) -> bool:
    return is_staff(actor) and actor.role in roles


def can_view(actor, consultation: Consultation) -> bool:
    return consultation.phase.is_public or is_staff(actor)


def can_comment(actor, consultation: Consultation, now: datetime) -> bool:
    # Staff may comment like anyone else while the consultation is open; nobody may outside it.
    return can_view(actor, consultation) and consultation.accepts_comments_at(now)


def can_reply(actor, comment, now: datetime) -> bool:
    """Replies go one level under a published comment, while commenting is open."""
    return (
        comment.status is CommentStatus.APPROVED
        and comment.parent_id is None
        and can_comment(actor, comment.consultation, now)
    )


def replies_as_administration(actor) -> bool:
    """The administration's replies are marked as such; other staff reply like anyone."""
    return has_role(actor, Role.ADMIN)


def can_edit_own(comment, now: datetime) -> bool:
    """The author (holding the private link) may change a comment until a moderator decides,
    and only while commenting is open: nobody edits after the deadline."""
    return comment.status is CommentStatus.PENDING and comment.consultation.accepts_comments_at(now)


def can_withdraw_own(comment) -> bool:
    """Taking one's own text back is a right in every phase."""
    return comment.status is not CommentStatus.WITHDRAWN


def can_moderate(actor) -> bool:
    return has_role(actor, Role.MODERATOR, Role.ADMIN)


def can_answer(actor) -> bool:
    return has_role(actor, Role.ADMIN)


def can_export(actor) -> bool:
    return has_role(actor, Role.ADMIN)


def can_manage_consultations(actor) -> bool:
    """Create and edit consultations, import and revise the draft, publish the results."""
    return has_role(actor, Role.ADMIN)


def can_view_results(actor, consultation: Consultation) -> bool:
    """The answers and results are public once published; staff see them while they work."""
    return consultation.phase is Phase.RESULTS or is_staff(actor)


def can_manage_organisations(actor) -> bool:
    return has_role(actor, Role.ADMIN)


def can_speak_for(actor, organisation) -> bool:
    """A signed-in, active member may write statements on behalf of their own organisation."""
    return is_member(actor) and actor.organisation_id == organisation.id


def can_manage_staff(actor) -> bool:
    return has_role(actor, Role.ADMIN)


def can_view_audit_log(actor) -> bool:
    return has_role(actor, Role.ADMIN)


def can_moderate_in(actor, consultation_id: int, scope: frozenset[int] | None) -> bool:
    """`scope` is the set of consultations a moderator is limited to (None: all of them), as
    services.scope.moderated_consultation_ids gives it."""
    return can_moderate(actor) and (scope is None or consultation_id in scope)

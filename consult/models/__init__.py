"""Typed SQLAlchemy models, one module per domain. Importing this package registers them all."""

from consult.models.audit import AuditEvent
from consult.models.comment import Comment, CommentKind, CommentStatus
from consult.models.consultation import (
    Consultation,
    Paragraph,
    ParagraphVersion,
    Phase,
    Section,
)
from consult.models.flag import Flag
from consult.models.glossary import GlossaryExplanation, GlossaryTerm
from consult.models.moderation import Decision, ModerationDecision, RejectionReason
from consult.models.notice import ResultsNotice
from consult.models.organisation import Invitation, Member, Organisation
from consult.models.participant import Participant
from consult.models.response import Answer, Recommendation
from consult.models.staff import Role, StaffInvitation, StaffUser
from consult.models.stakeholder import StakeholderGroup
from consult.models.translation import ParagraphTranslation, SectionTranslation

__all__ = [
    "Answer",
    "AuditEvent",
    "Comment",
    "CommentKind",
    "CommentStatus",
    "Consultation",
    "Decision",
    "Flag",
    "GlossaryExplanation",
    "GlossaryTerm",
    "Invitation",
    "Member",
    "ModerationDecision",
    "Organisation",
    "Paragraph",
    "ParagraphTranslation",
    "ParagraphVersion",
    "Participant",
    "Phase",
    "Recommendation",
    "RejectionReason",
    "ResultsNotice",
    "Role",
    "Section",
    "SectionTranslation",
    "StaffInvitation",
    "StaffUser",
    "StakeholderGroup",
]

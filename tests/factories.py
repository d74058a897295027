"""Plain factory functions: every test builds the world it needs, explicitly."""

import itertools
from datetime import timedelta
from functools import lru_cache

from argon2 import PasswordHasher

from consult.extensions import db
from consult.models import (
    Comment,
    CommentKind,
    CommentStatus,
    Consultation,
    Paragraph,
    Phase,
    Role,
    Section,
    StaffUser,
    StakeholderGroup,
)
from consult.models.types import utcnow

_sequence = itertools.count(1)
DEFAULT_PASSWORD = "correct horse battery staple"


@lru_cache
def _hash(password: str) -> str:
    # One argon2 hash per distinct password for the whole run: hashing is slow on purpose.
    return PasswordHasher().hash(password)


def make_consultation(**overrides) -> Consultation:
    n = next(_sequence)
    now = utcnow()
    values = {
        "slug": f"konzept-{n}",
        "title": f"Integrationskonzept {n}",
        "summary": "Ein Entwurf zur Beteiligung.",
        "phase": Phase.OPEN,
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=30),
    }
    values.update(overrides)
    consultation = Consultation(**values)
    db.session.add(consultation)
    db.session.flush()
    return consultation


def make_section(consultation: Consultation, number: int | None = None, **overrides) -> Section:
    number = number if number is not None else next(_sequence)
    section = Section(
        consultation_id=consultation.id,
        number=number,
        position=overrides.pop("position", number),
        title=overrides.pop("title", f"Kapitel {number}"),
        **overrides,
    )
    db.session.add(section)
    db.session.flush()
    return section


def make_paragraph(section: Section, position: int = 1, **overrides) -> Paragraph:
    paragraph = Paragraph(
        consultation_id=section.consultation_id,
        section_id=section.id,
        number=overrides.pop("number", f"{section.number}.{position}"),
        position=position,
        title=overrides.pop("title", f"Absatz {position}"),
        text=overrides.pop("text", "Die Verwaltung beabsichtigt die Umsetzung der Maßnahme."),
        **overrides,
    )
    db.session.add(paragraph)
    db.session.flush()
    return paragraph


def make_document(paragraphs: int = 3, **consultation_overrides):
    """A consultation with one chapter of `paragraphs` paragraphs; returns (consultation, list)."""
    consultation = make_consultation(**consultation_overrides)
    section = make_section(consultation, number=1)
    return consultation, [make_paragraph(section, i) for i in range(1, paragraphs + 1)]


def make_comment(paragraph: Paragraph, **overrides) -> Comment:
    status = overrides.pop("status", CommentStatus.PENDING)
    now = utcnow()
    comment = Comment(
        paragraph_id=paragraph.id,
        text=overrides.pop("text", "Das sehe ich anders."),
        pseudonym=overrides.pop("pseudonym", None),
        group=overrides.pop("group", StakeholderGroup.INDIVIDUAL),
        kind=overrides.pop("kind", CommentKind.OBJECTION),
        language=overrides.pop("language", "de"),
        status=status,
        consent_notice_version="test",
        created_at=overrides.pop("created_at", now),
        published_at=overrides.pop(
            "published_at", now if status is CommentStatus.APPROVED else None
        ),
        **overrides,
    )
    db.session.add(comment)
    if status is CommentStatus.APPROVED:
        # Keep the maintained counter true, as the moderation service would.
        paragraph.published_comment_count += 1
    db.session.flush()
    return comment


def make_staff(role: Role = Role.MODERATOR, password: str = DEFAULT_PASSWORD, **overrides):
    n = next(_sequence)
    user = StaffUser(
        email=overrides.pop("email", f"staff{n}@kreis.example"),
        display_name=overrides.pop("display_name", f"Moderatorin {n}"),
        password_hash=_hash(password),
        role=role,
        **overrides,
    )
    db.session.add(user)
    db.session.flush()
    return user

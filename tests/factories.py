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
    Member,
    Organisation,
    Paragraph,
    Participant,
    Phase,
    Role,
    Section,
    StaffUser,
    StakeholderGroup,
)
from consult.models.types import utcnow
from consult.services.tokens import hash_token

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
    # Tests read these without a query, as the services' eager loads would provide them.
    section.consultation = consultation
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
    paragraph.section = section
    paragraph.consultation = section.consultation
    return paragraph


def make_document(paragraphs: int = 3, **consultation_overrides):
    """A consultation with one chapter of `paragraphs` paragraphs; returns (consultation, list)."""
    consultation = make_consultation(**consultation_overrides)
    section = make_section(consultation, number=1)
    return consultation, [make_paragraph(section, i) for i in range(1, paragraphs + 1)]


def make_comment(paragraph: Paragraph | None = None, **overrides) -> Comment:
    """A comment on `paragraph`; or pass section= (a chapter), consultation= (the whole draft)
    or parent= (a reply to that comment)."""
    status = overrides.pop("status", CommentStatus.PENDING)
    now = utcnow()
    parent = overrides.pop("parent", None)
    section = overrides.pop("section", None)
    consultation = overrides.pop("consultation", None)
    if parent is not None:
        target = {
            "consultation_id": parent.consultation_id,
            "section_id": parent.section_id,
            "paragraph_id": parent.paragraph_id,
            "parent_id": parent.id,
        }
        overrides.setdefault("kind", None)
    elif paragraph is not None:
        target = {
            "consultation_id": paragraph.consultation_id,
            "section_id": paragraph.section_id,
            "paragraph_id": paragraph.id,
        }
    elif section is not None:
        target = {"consultation_id": section.consultation_id, "section_id": section.id}
    else:
        target = {"consultation_id": consultation.id}
    comment = Comment(
        **target,
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
    if status is CommentStatus.APPROVED and parent is None:
        # Keep the maintained counter true, as the moderation service would.
        (paragraph or section or consultation).published_comment_count += 1
    db.session.flush()
    return comment


def make_participant(token: str | None = None, **overrides) -> tuple[Participant, str]:
    """A participant with a private link; returns it with the link's token."""
    token = token or f"test-token-{next(_sequence)}-{'x' * 24}"
    participant = Participant(
        token_hash=hash_token(token),
        token_expires_at=overrides.pop("token_expires_at", utcnow() + timedelta(days=30)),
        language=overrides.pop("language", "de"),
        **overrides,
    )
    db.session.add(participant)
    db.session.flush()
    return participant, token


def make_organisation(**overrides) -> Organisation:
    n = next(_sequence)
    organisation = Organisation(
        slug=overrides.pop("slug", f"verband-{n}"),
        name=overrides.pop("name", f"Migrationsdienst {n} e. V."),
        group=overrides.pop("group", StakeholderGroup.WELFARE_ASSOCIATION),
        description=overrides.pop("description", "Beratung für Zugewanderte."),
        verified=overrides.pop("verified", True),
        **overrides,
    )
    db.session.add(organisation)
    db.session.flush()
    return organisation


def make_member(organisation: Organisation, password: str = DEFAULT_PASSWORD, **overrides):
    n = next(_sequence)
    member = Member(
        organisation_id=organisation.id,
        email=overrides.pop("email", f"member{n}@verband.example"),
        display_name=overrides.pop("display_name", f"Mitglied {n}"),
        password_hash=_hash(password),
        **overrides,
    )
    db.session.add(member)
    db.session.flush()
    member.organisation = organisation
    return member


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


def make_answer(*comments, **overrides):
    """The administration's answer to one or more comments (shared when several); complete
    (text and recommendation) unless overridden."""
    from consult.models import Answer, Recommendation

    now = utcnow()
    answer = Answer(
        consultation_id=comments[0].consultation_id,
        text=overrides.pop("text", "Die Anregung wird aufgenommen."),
        recommendation=overrides.pop("recommendation", Recommendation.ADOPTED),
        change_text=overrides.pop("change_text", ""),
        version=overrides.pop("version", 1),
        created_at=overrides.pop("created_at", now),
        updated_at=overrides.pop("updated_at", now),
        **overrides,
    )
    db.session.add(answer)
    db.session.flush()
    for comment in comments:
        comment.answer_id = answer.id
    db.session.flush()
    return answer


def insert_published_comments(paragraphs, total: int, columns=None) -> None:
    """`total` published comments in one INSERT, spread over `paragraphs` in turn: hundreds in
    milliseconds, for query budgets. `columns(i)` overrides columns of the i-th comment.
    Paragraph counters are left alone."""
    from sqlalchemy import insert

    now = utcnow()
    rows = []
    for i in range(total):
        paragraph = paragraphs[i % len(paragraphs)]
        rows.append(
            {
                "consultation_id": paragraph.consultation_id,
                "section_id": paragraph.section_id,
                "paragraph_id": paragraph.id,
                "text": f"Kommentar {i}",
                "group": StakeholderGroup.INDIVIDUAL.value,
                "kind": CommentKind.NOTE.value,
                "language": "de",
                "status": CommentStatus.APPROVED.value,
                "version": 1,
                "consent_notice_version": "test",
                "created_at": now,
                "published_at": now,
                **(columns(i) if columns else {}),
            }
        )
    db.session.execute(insert(Comment.__table__), rows)
    db.session.flush()


def make_published(target: Paragraph | None = None, **overrides) -> Comment:
    """A comment already through moderation, as the answers, numbering and results need."""
    return make_comment(target, status=CommentStatus.APPROVED, **overrides)

"""Loads the demo consultation (a self-written sample concept) through the real services, so
that counters, decision records and the audit trail are exactly as in real use."""

import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from consult.extensions import db
from consult.models import (
    CommentKind,
    Consultation,
    Decision,
    Paragraph,
    Phase,
    RejectionReason,
    Role,
    Section,
    StaffUser,
    StakeholderGroup,
)
from consult.services import comments, moderation, staff

CONCEPT_FILE = Path(__file__).with_name("concept.toml")
DEMO_NOTICE_VERSION = "demo"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    password: str
    role: Role


DEMO_STAFF = (
    DemoAccount(
        "moderation@kreis.example", "Mira Moderatorin", "demo-moderation-2026", Role.MODERATOR
    ),
    DemoAccount("verwaltung@kreis.example", "Anton Verwaltung", "demo-verwaltung-2026", Role.ADMIN),
)


def read_concept(path: Path = CONCEPT_FILE) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _demo_staff() -> dict[Role, StaffUser]:
    accounts = {}
    for account in DEMO_STAFF:
        user = db.session.query(StaffUser).filter_by(email=account.email).one_or_none()
        if user is None:
            user = staff.create_staff(account.email, account.name, account.password, account.role)
        accounts[account.role] = user
    return accounts


def build_consultation(concept: dict, now: datetime) -> tuple[Consultation, dict[str, Paragraph]]:
    meta = concept["consultation"]
    consultation = Consultation(
        slug=meta["slug"],
        title=meta["title"],
        summary=meta["summary"].strip(),
        organiser=meta["organiser"],
        contact=meta["contact"],
        phase=Phase.OPEN,
        opens_at=now - timedelta(days=meta["opens_days_ago"]),
        closes_at=now + timedelta(days=meta["closes_in_days"]),
        is_sample=True,
        created_at=now - timedelta(days=meta["opens_days_ago"] + 7),
    )
    db.session.add(consultation)
    db.session.flush()
    paragraphs = {}
    for position, chapter in enumerate(concept["chapters"]):
        section = Section(
            consultation_id=consultation.id,
            number=chapter["number"],
            position=position,
            title=chapter["title"],
        )
        db.session.add(section)
        db.session.flush()
        for index, entry in enumerate(chapter["paragraphs"], start=1):
            number = f"{chapter['number']}.{index}"
            paragraph = Paragraph(
                consultation_id=consultation.id,
                section_id=section.id,
                number=number,
                position=index,
                title=entry["title"],
                text=entry["text"].strip(),
            )
            db.session.add(paragraph)
            paragraphs[number] = paragraph
    db.session.flush()
    return consultation, paragraphs


def load_demo(now: datetime, concept: dict | None = None) -> Consultation:
    concept = concept or read_concept()
    accounts = _demo_staff()
    consultation, paragraphs = build_consultation(concept, now)
    moderator = accounts[Role.MODERATOR]
    # Sorted by age so that the queue and the threads show a believable order.
    for entry in sorted(concept["comments"], key=lambda c: -c["days_ago"]):
        paragraph = paragraphs[entry["paragraph"]]
        submitted_at = now - timedelta(days=entry["days_ago"], hours=3)
        comment = comments.submit_comment(
            consultation,
            paragraph,
            text=entry["text"],
            pseudonym=entry.get("pseudonym"),
            group=StakeholderGroup(entry["group"]),
            kind=CommentKind(entry["kind"]),
            language=entry["language"],
            notice_version=DEMO_NOTICE_VERSION,
            now=max(submitted_at, consultation.opens_at),
        )
        if entry["status"] == "pending":
            continue
        decision = Decision.APPROVE if entry["status"] == "approved" else Decision.REJECT
        moderation.decide(
            comment.id,
            moderator=moderator,
            decision=decision,
            reason=RejectionReason(entry["reason"]) if decision is Decision.REJECT else None,
            now=submitted_at + timedelta(hours=20),
        )
    return consultation

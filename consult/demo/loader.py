"""Loads the demo consultation (a self-written sample concept) through the real services, so
that counters, decision records and the audit trail are exactly as in real use."""

import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from consult.demo.glossary import load_glossary
from consult.extensions import db
from consult.i18n import LANGUAGES
from consult.models import (
    Answer,
    Comment,
    CommentKind,
    Consultation,
    Decision,
    Member,
    Organisation,
    Paragraph,
    Participant,
    Phase,
    Recommendation,
    RejectionReason,
    Role,
    Section,
    StaffUser,
    StakeholderGroup,
)
from consult.services import (
    comments,
    flags,
    moderation,
    participants,
    passwords,
    staff,
    tokens,
    translations,
)
from consult.services.targets import Target

CONCEPT_FILE = Path(__file__).with_name("concept.toml")
# English and Arabic reading aids for two chapters, so that a reader of /ar/ sees them.
TRANSLATIONS_FILE = Path(__file__).with_name("translations.toml")
DEMO_NOTICE_VERSION = "demo"
COUNTY_TIMEZONE = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    password: str
    role: Role


# The organisation in concept.toml that carries `member_email` gets this password.
DEMO_MEMBER_PASSWORD = "demo-organisation-2026"
# The demo's anonymous participant: its private link is printed by `make run` so that anyone
# can see what a participant sees. A real link's token is random; this one is fixed on purpose.
DEMO_PRIVATE_LINK_TOKEN = "demo-Xq7vR2mK9pL4sT8wZ3nB6cF1"

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


def _end_of_day(moment: datetime) -> datetime:
    """23:59 in the county's time zone: a deadline people can remember."""
    local = moment.astimezone(COUNTY_TIMEZONE).replace(hour=23, minute=59, second=0, microsecond=0)
    return local.astimezone(UTC)


def build_consultation(concept: dict, now: datetime) -> tuple[Consultation, dict[str, Paragraph]]:
    meta = concept["consultation"]
    consultation = Consultation(
        slug=meta["slug"],
        title=meta["title"],
        summary=meta["summary"].strip(),
        easy_read=meta.get("easy_read", "").strip(),
        organiser=meta["organiser"],
        contact=meta["contact"],
        phase=Phase.OPEN,
        opens_at=now - timedelta(days=meta["opens_days_ago"]),
        closes_at=_end_of_day(now + timedelta(days=meta["closes_in_days"])),
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
            plain_summary=chapter.get("plain_summary", "").strip(),
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
            paragraph.section = section
            paragraph.consultation = consultation
            paragraphs[number] = paragraph
    db.session.flush()
    return consultation, paragraphs


def _demo_organisations(concept: dict, now: datetime) -> dict[str, Organisation]:
    organisations = {}
    for entry in concept.get("organisations", []):
        organisation = Organisation(
            slug=entry["key"],
            name=entry["name"],
            group=StakeholderGroup(entry["group"]),
            description=entry["description"].strip(),
            verified=entry.get("verified", False),
            created_at=now - timedelta(days=30),
        )
        db.session.add(organisation)
        db.session.flush()
        if "member_email" in entry:
            db.session.add(
                Member(
                    organisation_id=organisation.id,
                    email=entry["member_email"],
                    display_name=entry["member_name"],
                    password_hash=passwords.hash_password(DEMO_MEMBER_PASSWORD),
                    created_at=now - timedelta(days=20),
                )
            )
        organisations[entry["key"]] = organisation
    db.session.flush()
    return organisations


class _Authors:
    """Participants for the demo's comments: one per anonymous comment, as real use would
    give, except the demo participant whose private link the README shows."""

    def __init__(self, now: datetime):
        self.now = now
        self.demo_participant = Participant(
            token_hash=tokens.hash_token(DEMO_PRIVATE_LINK_TOKEN),
            token_expires_at=now + timedelta(days=730),
            language="ar",
            created_at=now - timedelta(days=13),
        )
        db.session.add(self.demo_participant)
        db.session.flush()

    def author(self, entry: dict, organisations: dict[str, Organisation]) -> comments.Author:
        if entry.get("organisation"):
            organisation = organisations[entry["organisation"]]
            return comments.Author(organisation.group, organisation=organisation)
        if entry.get("participant") == "demo":
            participant = self.demo_participant
        else:
            participant, _token = participants.start_participant(
                language=entry["language"], email=None, now=self.now, valid_days=730
            )
        return comments.Author(
            StakeholderGroup(entry["group"]), participant, pseudonym=entry.get("pseudonym")
        )


def _target(consultation, paragraphs, sections, entry) -> Target:
    if "paragraph" in entry:
        paragraph = paragraphs[entry["paragraph"]]
        return Target(consultation, sections[int(entry["paragraph"].split(".")[0])], paragraph)
    if "chapter" in entry:
        return Target(consultation, sections[entry["chapter"]])
    return Target(consultation)


def _decide(comment, entry, moderator, submitted_at, keyed):
    if entry["status"] == "pending":
        return
    decided_at = submitted_at + timedelta(hours=20)
    decision = Decision.APPROVE if entry["status"] == "approved" else Decision.REJECT
    moderation.decide(
        comment.id,
        moderator=moderator,
        decision=decision,
        reason=RejectionReason(entry["reason"]) if decision is Decision.REJECT else None,
        note=entry.get("note", ""),
        marked_text=entry.get("redact"),
        duplicate_of=keyed[entry["duplicate_of"]].id if "duplicate_of" in entry else None,
        now=decided_at,
    )
    # Readers' reports come in after publication and wait in the queue.
    for hours, reason in enumerate(entry.get("flags", []), start=1):
        flags.flag_comment(
            comment.id,
            RejectionReason(reason),
            now=decided_at + timedelta(hours=hours),
            hide_after=0,
        )


def load_demo(now: datetime, concept: dict | None = None) -> Consultation:
    concept = concept or read_concept()
    accounts = _demo_staff()
    load_glossary(actor=accounts[Role.ADMIN], now=now)
    consultation, paragraphs = build_consultation(concept, now)
    sections = {p.section.number: p.section for p in paragraphs.values()}
    _translate(consultation, sections, paragraphs, accounts[Role.ADMIN], now)
    organisations = _demo_organisations(concept, now)
    authors = _Authors(now)
    moderator = accounts[Role.MODERATOR]
    keyed: dict[str, Comment] = {}
    answered: list[tuple[Comment, dict]] = []
    # Sorted by age so that the queue and the threads show a believable order.
    for entry in sorted(concept["comments"], key=lambda c: -c["days_ago"]):
        submitted_at = max(now - timedelta(days=entry["days_ago"], hours=3), consultation.opens_at)
        comment = comments.submit_comment(
            _target(consultation, paragraphs, sections, entry),
            authors.author(entry, organisations),
            text=entry["text"],
            kind=CommentKind(entry["kind"]),
            proposed_text=entry.get("proposed"),
            language=entry["language"],
            notice_version=DEMO_NOTICE_VERSION,
            now=submitted_at,
        )
        _decide(comment, entry, moderator, submitted_at, keyed)
        if "key" in entry:
            keyed[entry["key"]] = comment
        if "answer_key" in entry:
            answered.append((comment, entry))
    for entry in sorted(concept.get("replies", []), key=lambda r: -r["days_ago"]):
        parent = keyed[entry["to"]]
        db.session.refresh(parent)
        parent.consultation = consultation
        submitted_at = now - timedelta(days=entry["days_ago"], hours=1)
        if entry.get("author") == "administration":
            author = comments.Author(StakeholderGroup.PUBLIC_AUTHORITY, staff=accounts[Role.ADMIN])
        else:
            author = authors.author({**entry, "organisation": entry.get("author")}, organisations)
        reply = comments.submit_reply(
            parent,
            author,
            text=entry["text"],
            language=entry["language"],
            notice_version=DEMO_NOTICE_VERSION,
            now=submitted_at,
        )
        _decide(reply, entry, moderator, submitted_at, keyed)
    _answer(consultation, answered, accounts[Role.ADMIN], now)
    return consultation


def _translate(consultation, sections, paragraphs, administration, now):
    """The reading aids, saved through the service as the administration would save them."""
    everything = tuple(LANGUAGES)
    for language, parts in read_concept(TRANSLATIONS_FILE).items():
        for number, entry in parts.get("chapters", {}).items():
            translations.save_section_translation(
                sections[int(number)],
                language,
                title=entry.get("title", ""),
                plain_summary=entry.get("plain_summary", ""),
                enabled=everything,
                actor=administration,
                now=now,
            )
        for number, entry in parts.get("paragraphs", {}).items():
            translations.save_paragraph_translation(
                consultation,
                paragraphs[number],
                language,
                title=entry.get("title", ""),
                text=entry["text"],
                enabled=everything,
                actor=administration,
                now=now,
            )


def _answer(consultation, answered, administration, now):
    """Draft answers the administration has already written for some comments (shown publicly
    only once the results are published); comments with the same answer_key share one."""
    answers: dict[str, Answer] = {}
    for comment, entry in answered:
        key = entry["answer_key"]
        if key not in answers:
            answers[key] = Answer(
                consultation_id=consultation.id,
                text=entry["answer_text"],
                recommendation=Recommendation(entry["answer_recommendation"]),
                change_text=entry.get("answer_change", ""),
                created_at=now,
                updated_at=now,
                updated_by_id=administration.id,
            )
            db.session.add(answers[key])
            db.session.flush()
        comment.answer_id = answers[key].id
    db.session.flush()

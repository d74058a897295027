"""Stable running numbers ("Lfd. Nr.") for the Abwägungstabelle: A-017 for an organisation's
statement, B-004 for an individual's comment.

A number is given once and never changes, so that a council member can cite "A-017" in the
Kreistag and find the same comment in every later export. Numbers follow the draft's order
when they are first given; a comment published later gets the next free number of its part.
A comment withdrawn later leaves a gap rather than renumbering the others.
"""

import enum
import re

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import aliased

from consult.extensions import db
from consult.models import Comment, Consultation, Paragraph, Section
from consult.models.comment import PUBLISHED_STATEMENT


class Part(enum.StrEnum):
    ORGANISATIONS = "A"
    INDIVIDUALS = "B"


_REFERENCE = re.compile(r"([AB])-(\d+)")


def part_of(organisation_id: int | None) -> Part:
    return Part.INDIVIDUALS if organisation_id is None else Part.ORGANISATIONS


def draft_order(section=Section, paragraph=Paragraph) -> tuple:
    """ORDER BY for comments joined to their chapter and paragraph, the order numbers are given
    in and the administration answers in: the whole draft first, then chapter by chapter, a
    chapter's own comments before its paragraphs', each target's as they were published."""
    return (
        section.position.is_not(None),
        section.position,
        paragraph.position.is_not(None),
        paragraph.position,
        Comment.published_at,
        Comment.id,
    )


def format_reference(part: Part, number: int) -> str:
    return f"{part.value}-{number:03d}"


def assign_references(consultation_id: int) -> int:
    """Number every published comment of the consultation that has no number yet; returns how
    many were numbered. Safe to call again: it only ever adds numbers.

    Two exports, or an export and the closing of the consultation, may number at once: the
    consultation's row is locked first (PostgreSQL; SQLite lets one writer in at a time), so
    the second waits and then reads the numbers the first gave."""
    db.session.execute(
        select(Consultation.id).where(Consultation.id == consultation_id).with_for_update()
    )
    section = aliased(Section)
    paragraph = aliased(Paragraph)
    rows = db.session.execute(
        select(Comment.id, Comment.organisation_id, Comment.reference)
        .outerjoin(section, section.id == Comment.section_id)
        .outerjoin(paragraph, paragraph.id == Comment.paragraph_id)
        .where(
            Comment.consultation_id == consultation_id,
            # Numbers once given stay, whatever happened to the comment since (only published
            # statements were ever numbered, here).
            PUBLISHED_STATEMENT | Comment.reference.is_not(None),
        )
        .order_by(*draft_order(section, paragraph))
    ).all()
    highest = dict.fromkeys(Part, 0)
    for row in rows:
        match = _REFERENCE.fullmatch(row.reference or "")
        if match:
            part = Part(match.group(1))
            highest[part] = max(highest[part], int(match.group(2)))
    assignments = []
    for row in rows:
        if row.reference is None:
            part = part_of(row.organisation_id)
            highest[part] += 1
            assignments.append({"id": row.id, "reference": format_reference(part, highest[part])})
    if assignments:
        comment = Comment.__table__
        # Never overwrites a number: a number once given is cited in the Kreistag.
        db.session.execute(
            update(comment)
            .where(comment.c.id == bindparam("numbered_id"), comment.c.reference.is_(None))
            .values(reference=bindparam("new_reference")),
            [{"numbered_id": a["id"], "new_reference": a["reference"]} for a in assignments],
        )
        # The UPDATE bypassed the ORM: comments already loaded must read their new numbers.
        for loaded in db.session.identity_map.values():
            if isinstance(loaded, Comment) and loaded.reference is None:
                db.session.expire(loaded, ["reference"])
    return len(assignments)

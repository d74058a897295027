"""Two processes numbering the same consultation at once, on a real PostgreSQL: the second
waits for the first and then gives no number twice (SQLite lets only one writer in at a time,
so the race exists only on PostgreSQL)."""

import threading
import time

import pytest
from sqlalchemy import delete, select

from consult.extensions import db
from consult.models import Comment, CommentStatus, Consultation, Paragraph, Section
from consult.models.types import utcnow
from consult.services.numbering import assign_references


@pytest.fixture
def committed_world(app):
    if app.config["TEST_DATABASE"] != "postgresql":
        pytest.skip("the race needs two connections to PostgreSQL")
    with app.app_context():
        now = utcnow()
        consultation = Consultation(slug="numbering-race", title="Wettlauf", phase="evaluation")
        db.session.add(consultation)
        db.session.flush()
        section = Section(consultation_id=consultation.id, number=1, position=1, title="Eins")
        db.session.add(section)
        db.session.flush()
        paragraph = Paragraph(
            consultation_id=consultation.id,
            section_id=section.id,
            number="1.1",
            position=1,
            text="Text.",
        )
        db.session.add(paragraph)
        db.session.flush()
        for minute in range(3):
            db.session.add(
                Comment(
                    consultation_id=consultation.id,
                    section_id=section.id,
                    paragraph_id=paragraph.id,
                    text=f"Kommentar {minute}",
                    group="individual",
                    kind="note",
                    language="de",
                    status=CommentStatus.APPROVED,
                    consent_notice_version="test",
                    published_at=now,
                )
            )
        db.session.commit()
        consultation_id = consultation.id
    yield consultation_id
    with app.app_context():
        db.session.execute(delete(Comment).where(Comment.consultation_id == consultation_id))
        db.session.execute(delete(Paragraph).where(Paragraph.consultation_id == consultation_id))
        db.session.execute(delete(Section).where(Section.consultation_id == consultation_id))
        db.session.execute(delete(Consultation).where(Consultation.id == consultation_id))
        db.session.commit()


def test_a_second_numbering_waits_and_then_numbers_nothing_twice(app, committed_world):
    outcome = {}

    def second_export():
        with app.app_context():
            try:
                outcome["numbered"] = assign_references(committed_world)
                db.session.commit()
            except Exception as error:  # the test reports whatever went wrong
                outcome["error"] = error
                db.session.rollback()

    with app.app_context():
        assert assign_references(committed_world) == 3
        other = threading.Thread(target=second_export)
        other.start()
        time.sleep(0.5)
        # The first export has not committed: the second must be waiting, not numbering.
        assert other.is_alive()
        db.session.commit()
        other.join(timeout=10)
        assert outcome == {"numbered": 0}
        references = db.session.scalars(
            select(Comment.reference)
            .where(Comment.consultation_id == committed_world)
            .order_by(Comment.id)
        ).all()
        assert references == ["B-001", "B-002", "B-003"]

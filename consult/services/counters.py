"""The published-comment counters on paragraphs, chapters and consultations.

The document page shows them without counting rows; every status change that publishes or
un-publishes a top-level comment goes through `adjust_published` in the same transaction.
Replies are not counted: they hang under a comment, not under the draft.
"""

from sqlalchemy import update

from consult.extensions import db
from consult.models import Consultation, Paragraph, Section


def adjust_published(
    *,
    consultation_id: int,
    section_id: int | None,
    paragraph_id: int | None,
    parent_id: int | None,
    delta: int,
) -> None:
    if parent_id is not None:
        return
    if paragraph_id is not None:
        model, key = Paragraph, paragraph_id
    elif section_id is not None:
        model, key = Section, section_id
    else:
        model, key = Consultation, consultation_id
    db.session.execute(
        update(model)
        .where(model.id == key)
        .values(published_comment_count=model.published_comment_count + delta)
        .execution_options(synchronize_session=False)
    )
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, model) and obj.id == key:
            db.session.expire(obj, ["published_comment_count"])

"""The Abwägungstabelle as files: one column spec (columns.py), one way to render text
(plain_text.py), the words in the reader's language (vocabulary.py), and one writer per format.

Every writer turns a Summary (services.summary) into bytes and never queries the database.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import case, func, select

from consult.extensions import db
from consult.models import Answer, Comment, Consultation
from consult.models.comment import PUBLISHED_STATEMENT
from consult.models.response import ANSWER_IS_COMPLETE
from consult.services import audit, numbering
from consult.services.exports import csv_writer, docx_table, json_writer, xlsx_writer
from consult.services.exports.vocabulary import Vocabulary
from consult.services.summary import Summary, build_summary


@dataclass(frozen=True)
class ExportFormat:
    extension: str
    mimetype: str
    write: Callable[[Summary, Vocabulary], bytes]


FORMATS: dict[str, ExportFormat] = {
    "docx": ExportFormat(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        docx_table.write,
    ),
    "xlsx": ExportFormat(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        xlsx_writer.write,
    ),
    "csv": ExportFormat("csv", "text/csv", csv_writer.write),
    "json": ExportFormat("json", "application/json", json_writer.write),
}


def summary_for_export(consultation: Consultation, *, actor, file_format: str, now) -> Summary:
    """Numbers the comments published since the last export (numbers, once given, never
    change), records who exported what, and builds the summary the writer prints."""
    numbering.assign_references(consultation.id)
    summary = build_summary(consultation.id, now)
    audit.record(
        actor,
        "consultation.export",
        consultation,
        {"format": file_format, "rows": len(summary.rows)},
        now=now,
    )
    db.session.flush()
    return summary


@dataclass(frozen=True)
class ExportOverview:
    """What the exports page says about the table before anyone downloads it."""

    organisations: int
    individuals: int
    unanswered: int

    @property
    def rows(self) -> int:
        return self.organisations + self.individuals


def export_overview(consultation_id: int) -> ExportOverview:
    """The rows the table will have, counted in one query."""
    is_organisation = Comment.organisation_id.is_not(None)
    counts = db.session.execute(
        select(
            func.count(case((is_organisation, 1))),
            func.count(case((~is_organisation, 1))),
            # A draft answer (no reply or no recommendation yet) leaves the row unanswered.
            func.count(case((~ANSWER_IS_COMPLETE, 1), (Comment.answer_id.is_(None), 1))),
        )
        .select_from(Comment)
        .outerjoin(Answer, Answer.id == Comment.answer_id)
        .where(Comment.consultation_id == consultation_id, PUBLISHED_STATEMENT)
    ).one()
    return ExportOverview(*counts)

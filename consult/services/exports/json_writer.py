"""The Abwägungstabelle as JSON for other systems (a council information system, an open
data portal): a documented, versioned schema, described in docs/exports.md.

The document is shaped like an OParl Paper (type, name, reference, paperType, date) so that a
council information system can file it; the statements, figures and changes follow. Keys are
English and values raw (enum values, language codes, ISO 8601 times in UTC); labels in the
exporter's language stand beside the raw values where a reader needs them.
"""

import json
from datetime import UTC, datetime

from consult.models import CommentKind, Recommendation, StakeholderGroup
from consult.services.exports.columns import COLUMNS, target_label
from consult.services.exports.plain_text import clean, render
from consult.services.exports.vocabulary import Vocabulary
from consult.services.summary import Count, Summary, SummaryRow

SCHEMA = "consult-summary"
# Raise it when a key is renamed or removed or its meaning changes; adding keys does not.
SCHEMA_VERSION = 1
PAPER_TYPE = "Abwägungstabelle"


def _time(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _counts(counts: tuple[Count, ...]) -> dict[str, int]:
    return {count.key or "unanswered": count.count for count in counts}


def _statement(row: SummaryRow, vocabulary: Vocabulary) -> dict:
    marker = vocabulary.removed_marker
    return {
        "reference": row.reference,
        "part": row.part.value,
        "target": {
            "chapter": None
            if row.chapter_number is None
            else {"number": row.chapter_number, "title": clean(row.chapter_title)},
            "paragraph": None
            if row.paragraph_number is None
            else {"number": row.paragraph_number, "title": clean(row.paragraph_title)},
            "label": clean(target_label(row, vocabulary)),
        },
        "submitted_by": {
            # Individuals are never named: null, never a pseudonym.
            "organisation": clean(row.organisation_name) if row.organisation_name else None,
            "verified": row.organisation_verified,
        },
        "group": row.group.value,
        "kind": row.kind.value,
        "language": row.language,
        "text": render(row.text, marker),
        "proposed_text": render(row.proposed_text, marker) if row.proposed_text else None,
        "published_at": _time(row.published_at),
        "answer": {
            "text": clean(row.answer_text),
            "recommendation": None
            if row.recommendation is None
            else {
                "value": row.recommendation.value,
                "label": vocabulary.recommendations[row.recommendation],
            },
            "change": clean(row.change_text),
            "shared_with": list(row.shares_answer_with),
        },
    }


def document(summary: Summary, vocabulary: Vocabulary) -> dict:
    """The JSON document as Python objects."""
    figures = vocabulary.figures
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "type": "Paper",
        "name": f"{vocabulary.title}: {clean(summary.title)}",
        "reference": summary.slug,
        "paperType": PAPER_TYPE,
        "date": summary.generated_at.astimezone(UTC).date().isoformat(),
        "generated_at": _time(summary.generated_at),
        "language": vocabulary.locale,
        "consultation": {
            "slug": summary.slug,
            "title": clean(summary.title),
            "organiser": clean(summary.organiser),
            "phase": summary.phase.value,
            "opens_at": _time(summary.opens_at),
            "closes_at": _time(summary.closes_at),
            "results_published_at": _time(summary.results_published_at),
            "draft_version": summary.draft_version,
        },
        "columns": [
            {"key": column.key, "label": vocabulary.headers[column.key]} for column in COLUMNS
        ],
        "labels": {
            "part": {part.value: label for part, label in vocabulary.parts.items()},
            "group": {group.value: vocabulary.groups[group] for group in StakeholderGroup},
            "kind": {kind.value: vocabulary.kinds[kind] for kind in CommentKind},
            "recommendation": {
                vote.value: vocabulary.recommendations[vote] for vote in Recommendation
            }
            | {"unanswered": figures["unanswered"]},
            "language": {
                count.key: vocabulary.language_name(count.key) for count in summary.by_language
            },
        },
        "figures": {
            "statements": len(summary.rows),
            "organisations": len(summary.organisation_rows),
            "individuals": len(summary.individual_rows),
            "replies": summary.reply_count,
            "by_group": _counts(summary.by_group),
            "by_kind": _counts(summary.by_kind),
            "by_recommendation": _counts(summary.by_recommendation),
            "by_language": _counts(summary.by_language),
            "by_chapter": [
                {
                    "number": chapter.number,
                    "title": clean(chapter.title),
                    "statements": chapter.comment_count,
                    "by_recommendation": _counts(chapter.by_recommendation),
                }
                for chapter in summary.chapters
            ],
            "moderation": {
                "received": summary.moderation.received,
                "published": summary.moderation.published,
                "rejected": summary.moderation.rejected,
                "rejected_by_reason": {
                    reason.value: count for reason, count in summary.moderation.rejected_by_reason
                },
                "redacted": summary.moderation.redacted,
                "withdrawn": summary.moderation.withdrawn,
            },
        },
        "changes": [
            {
                "paragraph": change.number,
                "title": clean(change.title),
                "change": change.change.value,
                "old_text": clean(change.old_text),
                "new_text": clean(change.new_text),
                "references": list(change.references),
            }
            for change in summary.changes
        ],
        "statements": [_statement(row, vocabulary) for row in summary.rows],
    }


def write(summary: Summary, vocabulary: Vocabulary) -> bytes:
    return json.dumps(document(summary, vocabulary), ensure_ascii=False, indent=2).encode("utf-8")

"""The administration's answer to published comments (the Abwägung): a reply, one of the four
standard votes of German planning practice, and the change made in the concept. Several similar
comments may share one answer."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, Text, and_, func
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.models.types import UTCDateTime, enum_column, utcnow


class Recommendation(enum.StrEnum):
    ADOPTED = "adopted"
    PARTLY_ADOPTED = "partly_adopted"
    NOT_ADOPTED = "not_adopted"
    NOTED = "noted"

    @property
    def label(self):
        return _RECOMMENDATION_LABELS[self]

    @property
    def changes_the_draft(self) -> bool:
        return self in (Recommendation.ADOPTED, Recommendation.PARTLY_ADOPTED)


_RECOMMENDATION_LABELS = {
    Recommendation.ADOPTED: _l("Taken into account"),
    Recommendation.PARTLY_ADOPTED: _l("Partly taken into account"),
    Recommendation.NOT_ADOPTED: _l("Not taken into account"),
    Recommendation.NOTED: _l("Noted"),
}


class Answer(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    # "Stellungnahme der Verwaltung".
    text: Mapped[str] = mapped_column(Text, default="")
    # "Beschlussvorschlag"; empty while the answer is a draft.
    recommendation: Mapped[Recommendation | None] = mapped_column(enum_column(Recommendation))
    # "Änderung im Konzept": what was changed in the draft because of the comment(s).
    change_text: Mapped[str] = mapped_column(Text, default="")
    # Conditional updates on it keep two colleagues from overwriting each other's answer.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    @property
    def is_complete(self) -> bool:
        return bool(self.text.strip()) and self.recommendation is not None


# Answer.is_complete in SQL, for counting and filtering (answers workspace, results, exports,
# Synopse, dashboard). An answer still missing its reply or its recommendation is a draft:
# readers never see it and it counts as "not answered yet". Saved texts are stripped already;
# trimming keeps the rule true to is_complete for any row.
ANSWER_IS_COMPLETE = and_(Answer.recommendation.is_not(None), func.trim(Answer.text) != "")

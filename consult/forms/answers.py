"""Forms of the answers workspace and of publishing the results."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, IntegerField, RadioField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from consult.models import Recommendation
from consult.services.responses import (
    CHANGE_MAX_LENGTH,
    MAX_SHARED,
    SUMMARY_MAX_LENGTH,
    TEXT_MAX_LENGTH,
)
from consult.text import normalise_newlines

MAX_ID = 2**31 - 1


class AnswerForm(FlaskForm):
    """One comment's answer. A reply without a recommendation is saved as a draft: the
    comment then still counts as not yet answered."""

    text = TextAreaField(
        _l("Answer of the administration"),
        filters=[normalise_newlines],
        validators=[
            Optional(),
            Length(
                max=TEXT_MAX_LENGTH,
                message=_l("The answer may have at most %(max)d characters."),
            ),
        ],
        render_kw={"rows": 5, "maxlength": TEXT_MAX_LENGTH},
    )
    recommendation = RadioField(
        _l("Recommendation"),
        choices=[SelectChoice(r.value, r.label) for r in Recommendation],
        description=_l(
            "The comment counts as answered once it has an answer and a recommendation."
        ),
        # No choice yet is allowed: the answer is then saved as a draft.
        validators=[Optional()],
    )
    change_text = TextAreaField(
        _l("Change made in the draft"),
        filters=[normalise_newlines],
        validators=[
            Optional(),
            Length(
                max=CHANGE_MAX_LENGTH,
                message=_l("The change may be described in at most %(max)d characters."),
            ),
        ],
        description=_l("Leave empty if the draft was not changed."),
        render_kw={"rows": 2, "maxlength": CHANGE_MAX_LENGTH},
    )
    # The version of the answer the form showed (0: the comment had none), so that a colleague's
    # answer saved meanwhile is never overwritten unseen.
    version = IntegerField(
        widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=0, max=MAX_ID)]
    )

    @property
    def chosen(self) -> Recommendation | None:
        return Recommendation(self.recommendation.data) if self.recommendation.data else None


class CommentSelectionField(Field):
    """The ticked comments, as ids."""

    def process_formdata(self, valuelist):
        self.data = []
        for value in valuelist:
            if not (value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_ID):
                raise ValueError(_l("The selection could not be read. Please reload the page."))
            if int(value) not in self.data:
                self.data.append(int(value))

    def _value(self):
        return ""


class ShareForm(FlaskForm):
    selected = CommentSelectionField(_l("Selected comments"), default=list)
    # Offered once sharing was refused because the comments already have different answers.
    replace_answers = BooleanField(_l("Replace their current answers with one shared answer"))

    def validate_selected(self, field):
        if len(field.data) < 2:
            raise ValidationError(_l("Please select at least two comments to answer together."))
        if len(field.data) > MAX_SHARED:
            raise ValidationError(_l("Please select at most %(count)d comments.", count=MAX_SHARED))


class PublishForm(FlaskForm):
    accept_unanswered = BooleanField(_l("Publish although some comments are unanswered"))


class ChapterSummaryForm(FlaskForm):
    """The main points of a chapter's comments ("Wesentliche Ergebnisse")."""

    results_summary = TextAreaField(
        _l("Main points of the comments on this chapter"),
        filters=[normalise_newlines],
        validators=[
            Optional(),
            Length(
                max=SUMMARY_MAX_LENGTH,
                message=_l("The main points may have at most %(max)d characters."),
            ),
        ],
        description=_l("Optional. Shown on the results page and in the report for the Kreistag."),
        render_kw={"rows": 5, "maxlength": SUMMARY_MAX_LENGTH},
    )

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from consult.models import Decision, RejectionReason
from consult.text import normalise_newlines


class DecisionForm(FlaskForm):
    # The two submit buttons carry the decision; the reason is only needed for a rejection.
    decision = SelectField(
        _l("Decision"),
        choices=[SelectChoice(d.value, d.label) for d in Decision],
        validators=[DataRequired()],
    )
    reason = SelectField(
        _l("Reason for rejecting"),
        choices=[SelectChoice("", _l("Choose a reason"))]
        + [SelectChoice(r.value, r.label) for r in RejectionReason],
        # No Optional() here: it would stop the chain before validate_reason runs.
    )
    note = TextAreaField(
        _l("Note to the author (optional)"),
        filters=[normalise_newlines],
        validators=[Optional(), Length(max=1000)],
    )

    # The version of the text the moderator read: a decision on a text the author changed
    # since is refused, so nothing is published unseen.
    version = IntegerField(
        widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)]
    )

    def validate_reason(self, field):
        if self.decision.data == Decision.REJECT.value and not field.data:
            raise ValidationError(_l("Please choose a reason for the rejection."))

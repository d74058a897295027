"""A reader's report on a published comment: which of the published moderation rules it
breaks. Nothing else is asked, so nothing about the reader can be stored."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields import SelectChoice
from wtforms.validators import InputRequired

from consult.models import RejectionReason


class FlagForm(FlaskForm):
    reason = RadioField(
        _l("Which rule does this comment break?"),
        choices=[SelectChoice(reason.value, reason.label) for reason in RejectionReason],
        validators=[InputRequired(message=_l("Please choose the rule the comment breaks."))],
    )

    explanations = {reason.value: reason.explanation for reason in RejectionReason}

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, SelectField, TextAreaField
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

# The third button of a queue item: approve after removing personal data.
REDACT = "redact"
MAX_ID = 2**31 - 1
# A bulk action never carries more than a few pages of the queue.
MAX_BULK_SELECTION = 200


def _reason_choices(*, allow_duplicate: bool) -> list[SelectChoice]:
    return [SelectChoice("", _l("Choose a reason"))] + [
        SelectChoice(r.value, r.label)
        for r in RejectionReason
        if allow_duplicate or r is not RejectionReason.DUPLICATE
    ]


class BlankableIntegerField(IntegerField):
    """An optional number: an empty box is None, not an error."""

    def process_formdata(self, valuelist):
        if valuelist and not valuelist[0].strip():
            self.data = None
            return
        super().process_formdata(valuelist)


def _check_reason(form, field) -> None:
    """A reason is needed only for a rejection; when given it must be one on offer. Checked
    here rather than by the choice list, so that a form without any reason still validates."""
    offered = {choice.value for choice in field.choices if choice.value}
    if field.data and field.data not in offered:
        raise ValidationError(_l("Please choose one of the reasons offered."))
    if form.decision.data == Decision.REJECT.value and not field.data:
        raise ValidationError(_l("Please choose a reason for the rejection."))


class DecisionForm(FlaskForm):
    # The submit buttons carry the decision; the reason is only needed for a rejection.
    decision = SelectField(
        _l("Decision"),
        choices=[SelectChoice(d.value, d.label) for d in Decision]
        + [SelectChoice(REDACT, _l("Approve with personal data removed"))],
        validators=[DataRequired()],
    )
    reason = SelectField(
        _l("Reason for rejecting"),
        choices=_reason_choices(allow_duplicate=True),
        # No Optional() here: it would stop the chain before validate_reason runs.
        validate_choice=False,
    )
    duplicate_of = BlankableIntegerField(
        _l("Number of the earlier comment it repeats"),
        description=_l("Only for duplicates. The author is shown a link to it."),
        # No Optional() here either: validate_duplicate_of must run when it is empty.
    )
    note = TextAreaField(
        _l("Note to the author (optional)"),
        filters=[normalise_newlines],
        validators=[Optional(), Length(max=1000)],
    )
    marked_text = TextAreaField(
        _l("Text with the personal data marked"),
        description=_l(
            "Put [[double square brackets]] around each name, phone number, address or other "
            "personal data to remove. Change nothing else. The published text shows "
            "“[removed: personal data]” in their place."
        ),
        filters=[normalise_newlines],
        validators=[Optional(), Length(max=20000)],
    )

    # The version of the text the moderator read: a decision on a text the author changed
    # since is refused, so nothing is published unseen.
    version = IntegerField(
        widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)]
    )

    @property
    def chosen(self) -> Decision:
        return Decision.REJECT if self.decision.data == Decision.REJECT.value else Decision.APPROVE

    @property
    def is_redaction(self) -> bool:
        return self.decision.data == REDACT

    def validate_reason(self, field):
        _check_reason(self, field)

    def validate_duplicate_of(self, field):
        if field.data is not None and not 1 <= field.data <= MAX_ID:
            raise ValidationError(_l("Please give the number of the comment it repeats."))
        if (
            self.decision.data == Decision.REJECT.value
            and self.reason.data == RejectionReason.DUPLICATE.value
            and not field.data
        ):
            raise ValidationError(_l("Please give the number of the comment it repeats."))

    def validate_marked_text(self, field):
        if self.is_redaction and not (field.data or "").strip():
            raise ValidationError(_l("Please mark the personal data to remove."))


class SelectionField(Field):
    """The checked queue items as (comment id, version seen) pairs, from "id:version" values."""

    def process_formdata(self, valuelist):
        self.data = []
        for value in valuelist:
            comment_id, _, version = value.partition(":")
            if not all(part.isascii() and part.isdigit() for part in (comment_id, version)):
                raise ValueError(_l("The selection could not be read. Please reload the page."))
            pair = (int(comment_id), int(version))
            if not (1 <= pair[0] <= MAX_ID and 1 <= pair[1] <= MAX_ID):
                raise ValueError(_l("The selection could not be read. Please reload the page."))
            if pair not in self.data:
                self.data.append(pair)

    def _value(self):
        return ""


class BulkDecisionForm(FlaskForm):
    selected = SelectionField(_l("Selected comments"), default=list)
    decision = SelectField(
        _l("Decision"),
        choices=[SelectChoice(d.value, d.label) for d in Decision],
        validators=[DataRequired()],
    )
    # A duplicate needs its original named one by one, so it is not offered for a selection.
    reason = SelectField(
        _l("Reason for rejecting the selected comments"),
        choices=_reason_choices(allow_duplicate=False),
        validate_choice=False,
    )

    def validate_selected(self, field):
        if not field.data:
            raise ValidationError(_l("Please select at least one comment."))
        if len(field.data) > MAX_BULK_SELECTION:
            raise ValidationError(
                _l("Please select at most %(count)d comments.", count=MAX_BULK_SELECTION)
            )

    def validate_reason(self, field):
        _check_reason(self, field)

"""Forms for consultations and their phases. Shape validation only; the rules (a free slug,
which phase may follow which) live in services.consultations."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from consult.models import Phase
from consult.services.consultations import SLUG_MAX_LENGTH, SLUG_PATTERN
from consult.text import normalise_newlines

TITLE_MAX_LENGTH = 300
ORGANISER_MAX_LENGTH = 200
CONTACT_MAX_LENGTH = 300
LONG_TEXT_MAX_LENGTH = 20000
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
# Year 1 parses as a date but cannot be moved to UTC (a 500); no consultation runs so early or
# so late anyway.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2999


class CountyDateTimeField(DateTimeLocalField):
    """A date and time on the county's wall clock, as a browser's datetime-local field sends
    it; a browser without that control lets people type, so the message must be clear."""

    def __init__(self, label, **kwargs):
        render_kw = {
            "min": f"{EARLIEST_YEAR}-01-01T00:00",
            "max": f"{LATEST_YEAR}-12-31T23:59",
            **kwargs.pop("render_kw", {}),
        }
        super().__init__(
            label, format=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"], render_kw=render_kw, **kwargs
        )

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(
                _l("Please enter a date and time, for example 2027-01-31 18:00.")
            ) from error

    def pre_validate(self, form):
        if self.data is not None and not EARLIEST_YEAR <= self.data.year <= LATEST_YEAR:
            raise ValidationError(
                _l(
                    "Please enter a year between %(earliest)d and %(latest)d.",
                    earliest=EARLIEST_YEAR,
                    latest=LATEST_YEAR,
                )
            )


def _optional_text(label, max_length, description=None, rows=4):
    return TextAreaField(
        label,
        filters=[normalise_newlines],
        validators=[
            Optional(),
            Length(max=max_length, message=_l("This text may have at most %(max)d characters.")),
        ],
        description=description,
        render_kw={"rows": rows, "maxlength": max_length},
    )


class ConsultationForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(message=_l("Please enter a title.")),
            Length(
                max=TITLE_MAX_LENGTH, message=_l("The title may have at most %(max)d characters.")
            ),
        ],
        render_kw={"maxlength": TITLE_MAX_LENGTH},
    )
    slug = StringField(
        _l("Web address (optional)"),
        validators=[
            Optional(),
            Length(
                max=SLUG_MAX_LENGTH,
                message=_l("The web address may have at most %(max)d characters."),
            ),
            Regexp(
                f"^{SLUG_PATTERN.pattern}$",
                message=_l(
                    "Please use only lowercase letters a–z, digits and hyphens, starting and "
                    "ending with a letter or digit."
                ),
            ),
        ],
        description=_l(
            "The part of the public address after /c/. Left empty, it is made from the title "
            "(ä becomes ae, spaces become hyphens). Changing it breaks links shared before."
        ),
        render_kw={"maxlength": SLUG_MAX_LENGTH, "autocomplete": "off", "spellcheck": "false"},
    )
    summary = _optional_text(_l("Summary (optional)"), LONG_TEXT_MAX_LENGTH)
    organiser = StringField(
        _l("Published by (optional)"),
        validators=[
            Optional(),
            Length(
                max=ORGANISER_MAX_LENGTH,
                message=_l("This text may have at most %(max)d characters."),
            ),
        ],
        description=_l("The office responsible, as readers see it."),
        render_kw={"maxlength": ORGANISER_MAX_LENGTH},
    )
    contact = _optional_text(
        _l("Contact (optional)"),
        CONTACT_MAX_LENGTH,
        description=_l("Who readers can ask: an office's e-mail address or telephone number."),
        rows=2,
    )
    opens_at = CountyDateTimeField(
        _l("Comments from (optional)"),
        validators=[Optional()],
        description=_l(
            "Date and time in the county's time zone. Left empty, the period starts when you "
            "open the consultation for comments."
        ),
    )
    closes_at = CountyDateTimeField(
        _l("Comments until (optional)"),
        validators=[Optional()],
        description=_l(
            "Date and time in the county's time zone. Needed before the consultation can be "
            "opened for comments."
        ),
    )
    easy_read = _optional_text(
        _l("Explanation in Leichte Sprache (optional)"),
        LONG_TEXT_MAX_LENGTH,
        description=_l(
            "Short sentences, one idea per line. A blank line starts a new block; lines "
            "starting with “- ” make a list."
        ),
        rows=8,
    )
    procedure_note = _optional_text(
        _l("Other ways people could take part (optional)"),
        LONG_TEXT_MAX_LENGTH,
        description=_l(
            "Meetings, letters, consultation hours: the participation report names them next "
            "to the online comments."
        ),
    )
    is_sample = BooleanField(
        _l("Sample document for demonstration"),
        description=_l("Every page of it then carries a banner saying it is not official."),
    )

    def validate_closes_at(self, field):
        opens_at = self.opens_at.data
        if field.data and opens_at and field.data <= opens_at:
            raise ValidationError(_l("The end of the period must be after its start."))


class PhaseForm(FlaskForm):
    """One button: move the consultation to `target`. `seen` is the phase the page showed, so
    that a colleague's change in the meantime is not overridden."""

    target = HiddenField(validators=[DataRequired()])
    seen = HiddenField(validators=[DataRequired()])
    confirm = BooleanField(
        _l(
            "Yes, close the consultation: nobody can send comments any more, and every "
            "published comment gets its number for the Abwägungstabelle."
        )
    )

    def validate_target(self, field):
        if field.data not in {phase.value for phase in Phase}:
            raise ValidationError(_l("Please choose a phase."))

    def validate_seen(self, field):
        if field.data not in {phase.value for phase in Phase}:
            raise ValidationError(_l("Please reload the page and try again."))

    def validate_confirm(self, field):
        # Closing cannot be undone once answers exist, and numbers once given stay.
        if self.target.data == Phase.EVALUATION.value and not field.data:
            raise ValidationError(_l("Please confirm that the consultation is to be closed."))

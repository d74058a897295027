"""Forms for organisations and their members. Shape validation only; the rules live in
services.organisations. Members sign in with forms.auth.LoginForm."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from consult.forms.fields import display_name_field, invitation_email_field, new_password_fields
from consult.services.organisations import ORGANISATION_GROUPS
from consult.text import normalise_newlines

NAME_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 2000


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name of the organisation"),
        validators=[
            DataRequired(message=_l("Please enter the name of the organisation.")),
            Length(
                max=NAME_MAX_LENGTH, message=_l("The name may have at most %(max)d characters.")
            ),
        ],
        render_kw={"maxlength": NAME_MAX_LENGTH, "autocomplete": "organization"},
    )
    group = SelectField(
        _l("Stakeholder group"),
        choices=[SelectChoice("", _l("Please choose"))]
        + [SelectChoice(group.value, group.label) for group in ORGANISATION_GROUPS],
        validators=[DataRequired(message=_l("Please choose the stakeholder group."))],
    )
    description = TextAreaField(
        _l("Short description (optional)"),
        filters=[normalise_newlines],
        validators=[
            Optional(),
            Length(
                max=DESCRIPTION_MAX_LENGTH,
                message=_l("The description may have at most %(max)d characters."),
            ),
        ],
        description=_l("Shown to the public next to the organisation's statements."),
        render_kw={"rows": 4, "maxlength": DESCRIPTION_MAX_LENGTH},
    )
    verified = BooleanField(
        _l("Verified by the administration"),
        description=_l(
            "Tick this only once you have confirmed who runs the organisation's account. "
            "Readers see it as a badge."
        ),
    )


class InvitationForm(FlaskForm):
    email = invitation_email_field(_l("E-mail address of the new member"))


class JoinForm(FlaskForm):
    display_name = display_name_field(
        _l("Your name"), description=_l("Shown to the administration, not to the public.")
    )
    password, password_repeat = new_password_fields(_l("Password"))

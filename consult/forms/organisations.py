"""Forms for organisations and their members. Shape validation only; the rules live in
services.organisations. Members sign in with forms.auth.LoginForm."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from consult.services.organisations import ORGANISATION_GROUPS
from consult.services.passwords import MIN_PASSWORD_LENGTH
from consult.text import normalise_newlines

NAME_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 2000
DISPLAY_NAME_MAX_LENGTH = 120


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
    email = EmailField(
        _l("E-mail address of the new member"),
        validators=[
            DataRequired(message=_l("Please enter an e-mail address.")),
            Email(message=_l("Please enter a valid e-mail address.")),
            Length(max=254),
        ],
        description=_l("The invitation link is sent to this address and shown to you once."),
        render_kw={"autocomplete": "off"},
    )


class JoinForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        validators=[
            DataRequired(message=_l("Please enter your name.")),
            Length(
                max=DISPLAY_NAME_MAX_LENGTH,
                message=_l("The name may have at most %(max)d characters."),
            ),
        ],
        description=_l("Shown to the administration, not to the public."),
        render_kw={"maxlength": DISPLAY_NAME_MAX_LENGTH, "autocomplete": "name"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Please choose a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=500,
                message=_l("The password needs at least %(min)d characters."),
            ),
        ],
        description=_l("At least %(min)d characters.", min=MIN_PASSWORD_LENGTH),
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSWORD_LENGTH},
    )
    password_repeat = PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(message=_l("Please enter the password a second time.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )

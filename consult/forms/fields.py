"""Field builders the account forms share: staff and organisation members are invited, name
themselves and choose passwords the same way."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from consult.services.passwords import MIN_PASSWORD_LENGTH

DISPLAY_NAME_MAX_LENGTH = 120


def display_name_field(label, *, description, autocomplete: str = "name") -> StringField:
    return StringField(
        label,
        validators=[
            DataRequired(message=_l("Please enter a name.")),
            Length(
                max=DISPLAY_NAME_MAX_LENGTH,
                message=_l("The name may have at most %(max)d characters."),
            ),
        ],
        description=description,
        render_kw={"maxlength": DISPLAY_NAME_MAX_LENGTH, "autocomplete": autocomplete},
    )


def invitation_email_field(label) -> EmailField:
    return EmailField(
        label,
        validators=[
            DataRequired(message=_l("Please enter an e-mail address.")),
            Email(message=_l("Please enter a valid e-mail address.")),
            Length(max=254),
        ],
        description=_l("The invitation link is sent to this address and shown to you once."),
        render_kw={"autocomplete": "off"},
    )


def new_password_fields(label) -> tuple[PasswordField, PasswordField]:
    """The password and its repetition; the form must name them password and
    password_repeat."""
    password = PasswordField(
        label,
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
    repeat = PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(message=_l("Please enter the password a second time.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, repeat


def report_weak_password(field: PasswordField) -> None:
    """The service refused the password as too short (the form's own check was bypassed)."""
    field.errors.append(
        _l("The password needs at least %(min)d characters.", min=MIN_PASSWORD_LENGTH)
    )

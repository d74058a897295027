"""Sign-in forms and the forms of a staff member's own account. Shape validation only; the
rules live in services.staff."""

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from consult.forms.fields import display_name_field, new_password_fields


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(message=_l("Please enter your e-mail address.")), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Please enter your password.")), Length(max=500)],
        render_kw={"autocomplete": "current-password"},
    )


def ascii_digits(value: str | None) -> str | None:
    """Arabic-Indic and Persian keyboards type ١٢٣ or ۱۲۳; the code is the same number."""
    if value is None:
        return None
    return "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in value)


def code_field(label=None, description=None) -> StringField:
    return StringField(
        label or _l("6-digit code"),
        filters=[ascii_digits],
        validators=[
            DataRequired(message=_l("Please enter the 6-digit code from your app.")),
            # Apps show the code as "123 456"; the space is allowed and ignored.
            Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message=_l("The code has 6 digits.")),
        ],
        description=description,
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "maxlength": 7,
            "size": 8,
            "spellcheck": "false",
        },
    )


class SecondFactorForm(FlaskForm):
    """The second sign-in step."""

    code = code_field(description=_l("Open your authenticator app and enter the current code."))


class StaffJoinForm(FlaskForm):
    display_name = display_name_field(
        _l("Your name"),
        description=_l("Shown to your colleagues in the moderation and the audit trail."),
    )
    password, password_repeat = new_password_fields(_l("Password"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[
            DataRequired(message=_l("Please enter your current password.")),
            Length(max=500),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    password, password_repeat = new_password_fields(_l("New password"))


class EnableSecondFactorForm(FlaskForm):
    code = code_field(
        description=_l("The code your app shows after you added the account to it."),
    )


class DisableSecondFactorForm(FlaskForm):
    code = code_field(
        description=_l("To switch the second factor off, enter the current code from your app."),
    )

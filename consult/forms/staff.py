"""The administration's forms for staff accounts: inviting, and changing role and scope.
Shape validation only; the rules (own account, last administrator) live in services.staff."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectMultipleField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget

from consult.forms.fields import display_name_field, invitation_email_field
from consult.models import Role

ROLE_CHOICES = [
    SelectChoice(Role.MODERATOR.value, _l("Moderator: decides on comments")),
    SelectChoice(
        Role.ADMIN.value,
        _l("Administrator: everything, including staff accounts and organisations"),
    ),
]


def _role_field() -> RadioField:
    return RadioField(
        _l("Role"),
        choices=ROLE_CHOICES,
        default=Role.MODERATOR.value,
        validators=[DataRequired(message=_l("Please choose a role."))],
    )


def _limited_field() -> BooleanField:
    return BooleanField(
        _l("Limit to these consultations"),
        description=_l(
            "Only for moderators: they then see and decide comments of the chosen "
            "consultations only. Administrators always see every consultation."
        ),
    )


def _consultations_field() -> SelectMultipleField:
    return SelectMultipleField(
        _l("Consultations"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class _ScopeRules(FlaskForm):
    """Role and the consultations a moderator is limited to. Pass `consultation_choices`,
    pairs of (id, title)."""

    def __init__(self, *args, consultation_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.consultations.choices = [
            SelectChoice(value, label) for value, label in consultation_choices
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if (
            valid
            and self.role.data == Role.MODERATOR.value
            and self.limited.data
            and not self.consultations.data
        ):
            self.consultations.errors = [
                _l("Please choose at least one consultation, or do not limit the moderator.")
            ]
            return False
        return valid

    @property
    def chosen_role(self) -> Role:
        return Role(self.role.data)


class ScopeForm(_ScopeRules):
    role = _role_field()
    limited = _limited_field()
    consultations = _consultations_field()


class StaffInvitationForm(_ScopeRules):
    email = invitation_email_field(_l("E-mail address"))
    display_name = display_name_field(
        _l("Name"),
        description=_l("They can correct it when they accept the invitation."),
        autocomplete="off",
    )
    role = _role_field()
    limited = _limited_field()
    consultations = _consultations_field()

"""The audit log's filter form (sent with GET, so it has no CSRF token) and the human labels
of the actions and subjects the log records."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField
from wtforms.fields import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError

# "Done by" for events that no staff member caused.
SYSTEM = "system"
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)

ACTION_LABELS = {
    "comment.approve": _l("Comment approved"),
    "comment.reject": _l("Comment rejected"),
    "comment.redact": _l("Comment published with personal data removed"),
    "comment.flags_dismissed": _l("Reports dismissed, comment kept"),
    "comment.hidden_after_reports": _l("Comment hidden after readers' reports"),
    "organisation.create": _l("Organisation registered"),
    "organisation.update": _l("Organisation changed"),
    "organisation.verify": _l("Organisation verification changed"),
    "member.invite": _l("Member invited"),
    "member.join": _l("Member joined through an invitation"),
    "member.deactivate": _l("Member deactivated"),
    "staff.create": _l("Staff account created"),
    "staff.invite": _l("Staff member invited"),
    "staff.accept_invitation": _l("Staff invitation accepted"),
    "staff.update": _l("Staff account changed"),
    "staff.deactivate": _l("Staff account deactivated"),
    "staff.reactivate": _l("Staff account reactivated"),
    "staff.password_change": _l("Password changed"),
    "staff.totp_enable": _l("Two-factor sign-in turned on"),
    "staff.totp_disable": _l("Two-factor sign-in turned off"),
    "staff.totp_reset": _l("Two-factor sign-in reset"),
    "staff.sign_in": _l("Staff sign-in"),
    "audit.export": _l("Audit log exported"),
    "consultation.export": _l("Abwägungstabelle exported"),
    "consultation.create": _l("Consultation created"),
    "consultation.update": _l("Consultation changed"),
    "consultation.phase": _l("Consultation moved to another phase"),
    "draft.import": _l("Draft imported"),
    "draft.renumber": _l("Draft renumbered"),
    "draft.edit_chapter": _l("Chapter changed"),
    "draft.delete_chapter": _l("Chapter deleted"),
    "draft.add": _l("Paragraph added"),
    "draft.edit": _l("Paragraph changed"),
    "draft.merge": _l("Paragraphs merged"),
    "draft.split": _l("Paragraph split"),
    "draft.move": _l("Paragraph moved"),
    "draft.delete": _l("Paragraph deleted"),
    "draft.revision_start": _l("Revised version started"),
    "draft.revise": _l("Paragraph revised"),
    "draft.add_paragraph": _l("Paragraph added to the revised version"),
    "draft.drop_paragraph": _l("Paragraph dropped from the revised version"),
    "draft.restore_paragraph": _l("Dropped paragraph restored"),
    "answer.save": _l("Answer saved"),
    "answer.share": _l("Answer shared by several comments"),
    "answer.separate": _l("Shared answer separated"),
    "results.publish": _l("Results published"),
    "results.notify": _l("Participants told that the results are published"),
    "chapter.results_summary": _l("Main points of a chapter's comments saved"),
    "glossary.created": _l("Glossary term added"),
    "glossary.updated": _l("Glossary term changed"),
    "glossary.deleted": _l("Glossary term deleted"),
    "chapter.plain_summary": _l("Kurz erklärt of a chapter saved"),
    "translation.save": _l("Translation of the draft saved"),
    "translation.clear": _l("Translation of the draft removed"),
}

SUBJECT_LABELS = {
    "comment": _l("Comment"),
    "moderationdecision": _l("Moderation decision"),
    "organisation": _l("Organisation"),
    "invitation": _l("Member invitation"),
    "member": _l("Member"),
    "staffuser": _l("Staff account"),
    "staffinvitation": _l("Staff invitation"),
    "auditlog": _l("Audit log"),
    "consultation": _l("Consultation"),
    "section": _l("Chapter"),
    "paragraph": _l("Paragraph"),
    "answer": _l("Answer"),
    "glossaryterm": _l("Glossary term"),
}


def action_label(action: str) -> str:
    """The translated label of a known action; an unknown one shows as its code."""
    return ACTION_LABELS.get(action, action)


def subject_label(subject_type: str) -> str:
    return SUBJECT_LABELS.get(subject_type, subject_type)


class IsoDateField(DateField):
    """A date as a browser's date picker sends it (2026-11-25), with a message that says so."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Enter a date like 2026-11-25.")) from error


class ListedChoiceField(SelectField):
    """A select whose value must be one of its options, saying so in plain words."""

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError as error:
            raise ValidationError(_l("Choose one of the options in the list.")) from error


def _within_range(form, field):
    if field.data is not None and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(_l("Enter a date between the years 2000 and 2099."))


class AuditFilterForm(FlaskForm):
    class Meta:
        # A GET form that only reads: a token would put a session cookie on a bookmarkable URL.
        csrf = False

    actor = ListedChoiceField(_l("Done by"), default="")
    action = ListedChoiceField(_l("Action"), default="")
    subject_type = ListedChoiceField(_l("Subject"), default="")
    date_from = IsoDateField(
        _l("From"),
        validators=[Optional(), _within_range],
        description=_l("A day in the county's time zone, e.g. 2026-11-25."),
    )
    date_to = IsoDateField(
        _l("Until (inclusive)"),
        validators=[Optional(), _within_range],
        description=_l("A day in the county's time zone, e.g. 2026-11-30."),
    )
    # Paging: set by the "newer"/"older" links, never by the form itself.
    older_than = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    newer_than = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])

    def set_choices(self, options) -> None:
        """Staff, actions and subject types from services.audit.filter_options()."""
        self.actor.choices = [
            SelectChoice("", _l("Anyone")),
            SelectChoice(SYSTEM, _l("system")),
            *(SelectChoice(str(staff_id), name) for staff_id, name in options.staff),
        ]
        self.action.choices = [
            SelectChoice("", _l("Any action")),
            *sorted(
                (SelectChoice(code, action_label(code)) for code in options.actions),
                key=lambda choice: str(choice.label),
            ),
        ]
        self.subject_type.choices = [
            SelectChoice("", _l("Any subject")),
            *(SelectChoice(code, subject_label(code)) for code in options.subject_types),
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # The paging fields are not on the form, so their errors have no field to point to.
        if self.older_than.errors or self.newer_than.errors:
            self.older_than.errors = []
            self.newer_than.errors = []
            self.form_errors.append(
                _l("This page link is not valid. Start again from the newest events.")
            )
        return valid

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date must not be before the start date."))

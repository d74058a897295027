"""Feedback on accessibility (BITV 2.0 § 7): what does not work, on which page, and where to
answer. Shape validation only; nothing of it is stored."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from consult.forms.comments import EMAIL_MAX_LENGTH
from consult.text import normalise_newlines

FEEDBACK_MAX_LENGTH = 5000
PAGE_MAX_LENGTH = 500


class FeedbackForm(FlaskForm):
    page = StringField(
        _l("Which page is it about? (optional)"),
        validators=[
            Optional(),
            Length(
                max=PAGE_MAX_LENGTH,
                message=_l("This may have at most %(max)d characters."),
            ),
        ],
        filters=[lambda value: value.strip() if value else value],
        description=_l(
            "The address of the page, or in your own words, for example “the form for comments”."
        ),
        render_kw={"maxlength": PAGE_MAX_LENGTH, "autocomplete": "off", "dir": "auto"},
    )
    text = TextAreaField(
        _l("What does not work for you, or what do you need?"),
        validators=[
            DataRequired(message=_l("Please tell us what does not work or what you need.")),
            Length(
                max=FEEDBACK_MAX_LENGTH,
                message=_l("Your text may have at most %(max)d characters."),
            ),
        ],
        filters=[normalise_newlines],
        description=_l(
            "For example: which part of the page, what you tried, and which aid you use (such "
            "as a screen reader or an enlargement). Or which page or document you need in "
            "another form."
        ),
        render_kw={"rows": 8, "maxlength": FEEDBACK_MAX_LENGTH, "dir": "auto"},
    )
    email = EmailField(
        _l("Your e-mail address, so that we can answer you (optional)"),
        validators=[
            Optional(),
            Length(max=EMAIL_MAX_LENGTH),
            Email(
                message=_l("This does not look like an e-mail address."),
                check_deliverability=False,
            ),
        ],
        description=_l(
            "Without an address we read your message, but we cannot answer you or ask you "
            "anything back."
        ),
        render_kw={"maxlength": EMAIL_MAX_LENGTH, "autocomplete": "email", "dir": "ltr"},
    )
    # A trap for programs that fill in every field: people never see it (the template hides
    # it from sight, keyboard and screen readers), so anything in it was not typed by a person.
    website = StringField(
        _l("Leave this field empty"),
        render_kw={"autocomplete": "off", "tabindex": "-1"},
    )

    @property
    def caught_in_trap(self) -> bool:
        return bool(self.website.data)

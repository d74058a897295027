"""The forms for comments, replies and a participant's edits. Shape validation only; the
rules live in services.comments and services.participants."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)
from wtforms.widgets import HiddenInput

from consult.i18n import LANGUAGES
from consult.models import CommentKind, StakeholderGroup
from consult.text import normalise_newlines

COMMENT_MAX_LENGTH = 5000
# A proposed wording replaces a whole paragraph, which may itself be long.
PROPOSAL_MAX_LENGTH = 10000
PSEUDONYM_MAX_LENGTH = 60
EMAIL_MAX_LENGTH = 254

SPEAK_FOR_ORGANISATION = "organisation"
SPEAK_PERSONALLY = "personal"
LINK_ADD = "add"
LINK_NEW = "new"


def _text_field(label, required_message, max_length, **kwargs):
    return TextAreaField(
        label,
        validators=[
            DataRequired(message=required_message),
            Length(max=max_length, message=_l("Your text may have at most %(max)d characters.")),
        ],
        filters=[normalise_newlines],
        render_kw={"rows": 8, "maxlength": max_length},
        **kwargs,
    )


def _language_field():
    return SelectField(
        _l("Language of your text"),
        choices=[SelectChoice(code, lang.native_name) for code, lang in LANGUAGES.items()],
        validators=[DataRequired()],
    )


# WTForms orders fields by creation: what to say is created before who says it, so that the
# error summary lists problems in the order of the page.
_COMMENT_TEXT = _text_field(
    _l("Your comment"), _l("Please write your comment."), COMMENT_MAX_LENGTH
)
_COMMENT_KIND = RadioField(
    _l("What kind of comment is it?"),
    choices=[SelectChoice(kind.value, kind.label) for kind in CommentKind],
    validators=[InputRequired(message=_l("Please choose the kind of comment."))],
)
_PROPOSED_TEXT = TextAreaField(
    _l("Your wording for this paragraph (optional)"),
    validators=[
        Optional(),
        Length(
            max=PROPOSAL_MAX_LENGTH,
            message=_l("Your text may have at most %(max)d characters."),
        ),
    ],
    filters=[normalise_newlines],
    description=_l(
        "Change the paragraph's text right here. Readers will see your changes marked "
        "word by word. Choose “Suggestion” as the kind of comment."
    ),
    render_kw={"rows": 10, "maxlength": PROPOSAL_MAX_LENGTH},
)
_REPLY_TEXT = _text_field(_l("Your reply"), _l("Please write your reply."), COMMENT_MAX_LENGTH)


class _ContributionForm(FlaskForm):
    """What every new comment and reply asks: who writes, in which language, and consent."""

    speak_as = RadioField(
        _l("You are writing"),
        choices=[
            SelectChoice(SPEAK_FOR_ORGANISATION, _l("on behalf of your organisation")),
            SelectChoice(SPEAK_PERSONALLY, _l("personally")),
        ],
        default=SPEAK_FOR_ORGANISATION,
        validators=[InputRequired(message=_l("Please choose for whom you are writing."))],
    )
    group = SelectField(
        _l("You are writing as"),
        choices=[SelectChoice("", _l("Please choose"))]
        + [SelectChoice(group.value, group.label) for group in StakeholderGroup],
    )
    pseudonym = StringField(
        _l("Name or pseudonym (optional)"),
        validators=[
            Optional(),
            Length(
                max=PSEUDONYM_MAX_LENGTH,
                message=_l("The name may have at most %(max)d characters."),
            ),
        ],
        description=_l("Leave empty to appear as “anonymous”. You do not need your real name."),
        render_kw={"maxlength": PSEUDONYM_MAX_LENGTH, "autocomplete": "off"},
    )
    language = _language_field()
    link_choice = RadioField(
        _l("Your private link"),
        choices=[
            SelectChoice(LINK_ADD, _l("Add this to the private link I received in this browser")),
            SelectChoice(
                LINK_NEW,
                _l("Start a new private link (for example, if someone else used this device)"),
            ),
        ],
        default=LINK_ADD,
        # Missing means the default: a browser that remembers a link reuses it.
        validators=[Optional()],
    )
    email = EmailField(
        _l("E-mail address (optional)"),
        validators=[
            Optional(),
            Length(max=EMAIL_MAX_LENGTH),
            Email(
                message=_l("This does not look like an e-mail address."), check_deliverability=False
            ),
        ],
        description=_l(
            "Only if you want your private link by e-mail and a message when your text is "
            "published or answered. It is never shown and is erased with your other data. "
            "With a new address, this text gets a private link of its own."
        ),
        render_kw={"maxlength": EMAIL_MAX_LENGTH, "autocomplete": "email"},
    )
    consent = BooleanField(
        _l("I agree that my text is stored and, after moderation, published."),
        validators=[DataRequired(message=_l("Please agree so that we may store your text."))],
    )

    def __init__(
        self,
        *args,
        default_language: str = "de",
        organisation=None,
        offers_link_choice: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # Fields that do not apply to this person are removed, so they are neither shown nor
        # validated: a member chooses for whom they write; only a browser that already holds
        # a private link is asked whether to reuse it; members need no link or e-mail.
        self.organisation = organisation
        if organisation is None:
            del self.speak_as
        else:
            del self.email
        if not offers_link_choice or organisation is not None:
            del self.link_choice
        if not self.language.data:
            self.language.data = default_language

    @property
    def speaks_for_organisation(self) -> bool:
        return self.organisation is not None and self.speak_as.data == SPEAK_FOR_ORGANISATION

    def validate_group(self, field):
        if self.speaks_for_organisation:
            # The organisation's own group applies; nothing to ask.
            field.errors[:] = []
            raise StopValidation()
        if not field.data:
            raise StopValidation(_l("Please say in which role you are writing."))


class ReplyForm(_ContributionForm):
    text = _REPLY_TEXT


class EditForm(FlaskForm):
    """A participant changes a comment that still awaits moderation."""

    text = _text_field(_l("Your text"), _l("Please write your text."), COMMENT_MAX_LENGTH)
    kind = _COMMENT_KIND
    proposed_text = _PROPOSED_TEXT
    language = _language_field()
    # The version the form was opened at: a save is refused if the comment changed since.
    version = IntegerField(
        widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)]
    )

    def __init__(self, *args, is_reply: bool = False, has_paragraph: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if is_reply:
            del self.kind
        if is_reply or not has_paragraph:
            del self.proposed_text


class CommentForm(_ContributionForm):
    text = _COMMENT_TEXT
    kind = _COMMENT_KIND
    proposed_text = _PROPOSED_TEXT

    def __init__(self, *args, paragraph_text: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if paragraph_text is None:
            # Proposed wording exists only for a paragraph, not a chapter or the whole draft.
            del self.proposed_text
        elif not self.is_submitted() and not self.proposed_text.data:
            self.proposed_text.data = paragraph_text

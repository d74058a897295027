"""The comment form. Shape validation only; the rules live in services.comments."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from consult.i18n import LANGUAGES
from consult.models import CommentKind, StakeholderGroup
from consult.text import normalise_newlines

COMMENT_MAX_LENGTH = 5000
PSEUDONYM_MAX_LENGTH = 60


class CommentForm(FlaskForm):
    text = TextAreaField(
        _l("Your comment"),
        validators=[
            DataRequired(message=_l("Please write your comment.")),
            Length(
                max=COMMENT_MAX_LENGTH,
                message=_l("Your comment may have at most %(max)d characters."),
            ),
        ],
        filters=[normalise_newlines],
        render_kw={"rows": 8, "maxlength": COMMENT_MAX_LENGTH},
    )
    kind = RadioField(
        _l("What kind of comment is it?"),
        choices=[SelectChoice(kind.value, kind.label) for kind in CommentKind],
        validators=[InputRequired(message=_l("Please choose the kind of comment."))],
    )
    group = SelectField(
        _l("You are writing as"),
        choices=[SelectChoice("", _l("Please choose"))]
        + [SelectChoice(group.value, group.label) for group in StakeholderGroup],
        validators=[DataRequired(message=_l("Please say in which role you are writing."))],
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
    language = SelectField(
        _l("Language of your comment"),
        choices=[SelectChoice(code, lang.native_name) for code, lang in LANGUAGES.items()],
        validators=[DataRequired()],
    )
    consent = BooleanField(
        _l("I agree that my comment is stored and, after moderation, published."),
        validators=[DataRequired(message=_l("Please agree so that we may store your comment."))],
    )

    def __init__(self, *args, default_language: str = "de", **kwargs):
        super().__init__(*args, **kwargs)
        if not self.language.data:
            self.language.data = default_language

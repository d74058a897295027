"""Forms of the revision editor: a paragraph's revised wording and a new paragraph."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from consult.services.revisions import TITLE_MAX_LENGTH
from consult.text import normalise_newlines

PARAGRAPH_TEXT_MAX_LENGTH = 20000
TEXT_FORMAT_HINT = _l(
    "Plain text. A blank line starts a new block; lines starting with “- ” make a list, "
    "lines starting with “1. ” a numbered list."
)


class ParagraphTextForm(FlaskForm):
    """Each paragraph's form has its own prefix, so the many forms of a page never share ids."""

    title = StringField(
        _l("Heading (optional)"),
        validators=[
            Optional(),
            Length(
                max=TITLE_MAX_LENGTH,
                message=_l("The heading may have at most %(max)d characters."),
            ),
        ],
        render_kw={"maxlength": TITLE_MAX_LENGTH},
    )
    text = TextAreaField(
        _l("Wording"),
        filters=[normalise_newlines],
        validators=[
            DataRequired(message=_l("Please enter the paragraph's wording.")),
            Length(
                max=PARAGRAPH_TEXT_MAX_LENGTH,
                message=_l("The wording may have at most %(max)d characters."),
            ),
        ],
        description=TEXT_FORMAT_HINT,
        render_kw={"rows": 8, "maxlength": PARAGRAPH_TEXT_MAX_LENGTH, "lang": "de", "dir": "ltr"},
    )

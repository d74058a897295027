"""Forms of the reading aids screen: a paragraph's translation, a chapter's title and Kurz
erklärt in another language, and the German Kurz erklärt."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from consult.services.translations import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, wording_digest
from consult.text import normalise_newlines

_TITLE_TOO_LONG = _l("The title may have at most %(max)d characters.")
_TEXT_TOO_LONG = _l("This text may have at most %(max)d characters.")


def _title_field(label):
    return StringField(
        label,
        validators=[Optional(), Length(max=TITLE_MAX_LENGTH, message=_TITLE_TOO_LONG)],
        render_kw={"maxlength": TITLE_MAX_LENGTH},
    )


def _text_field(label, description=None, rows=6):
    return TextAreaField(
        label,
        filters=[normalise_newlines],
        validators=[Length(max=TEXT_MAX_LENGTH, message=_TEXT_TOO_LONG)],
        description=description,
        render_kw={"rows": rows, "maxlength": TEXT_MAX_LENGTH},
    )


class _LoadedWith:
    """What the form was loaded with: the stored translation's marker (saving refuses if a
    colleague saved meanwhile) and a digest of the wording shown, so that a chapter's save
    writes only the parts the translator changed or confirmed."""

    loaded = HiddenField(validators=[InputRequired(), Length(max=64)])
    loaded_wording = HiddenField(validators=[InputRequired(), Length(max=64)])
    # Only offered for an outdated translation.
    still_fits = BooleanField(_l("The translation still fits the German text"))

    def fill_loaded(self, marker: str, *wording: str) -> None:
        self.loaded.data = marker
        self.loaded_wording.data = wording_digest(*wording)

    def touched(self, *wording: str | None) -> bool:
        return self.still_fits.data or wording_digest(*wording) != self.loaded_wording.data


class ParagraphTranslationForm(_LoadedWith, FlaskForm):
    """One paragraph's translation; the prefix (p<id>) keeps the many on a page apart."""

    title = _title_field(_l("Title"))
    text = _text_field(
        _l("Text"),
        _l(
            "Keep the blocks and lists of the German text: a blank line starts a new block, "
            "lines starting with “- ” make a list. Empty the text to remove the translation."
        ),
        rows=8,
    )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if (self.title.data or "").strip() and not (self.text.data or "").strip():
            self.text.errors.append(
                _l("Please translate the text too, or empty both fields to remove the translation.")
            )
            return False
        return True

    @property
    def edited(self) -> bool:
        return self.touched(self.title.data, self.text.data)


class ChapterTranslationForm(_LoadedWith, FlaskForm):
    title = _title_field(_l("Chapter title"))
    plain_summary = _text_field(_l("Kurz erklärt (plain-language summary)"))

    @property
    def edited(self) -> bool:
        return self.touched(self.title.data, self.plain_summary.data)


class PlainSummaryForm(FlaskForm):
    plain_summary = _text_field(
        _l("Kurz erklärt (plain-language summary)"),
        _l(
            "A few sentences in plain German: what this chapter says and what it means for the "
            "people concerned. Short sentences, everyday words, no abbreviations. Empty the "
            "field to remove it."
        ),
        rows=8,
    )

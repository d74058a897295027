"""The glossary term form: the German term, its other forms, and per language a name and an
explanation. Its language fields follow the enabled languages, so the class is built per set of
languages. Shape validation only; uniqueness and the rest live in services.glossary."""

from functools import lru_cache

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from consult.services.glossary import (
    EXPLANATION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    SOURCE_LANGUAGE,
    TERM_MAX_LENGTH,
)
from consult.text import normalise_newlines

# Room for thirty forms of a long compound, one per line.
VARIANTS_FIELD_MAX_LENGTH = 4000


def name_field(language: str) -> str:
    return f"name_{language}"


def explanation_field(language: str) -> str:
    return f"explanation_{language}"


def _name(language: str) -> StringField:
    if language == SOURCE_LANGUAGE:
        label = _l("Full name (optional)")
        description = _l(
            "Shown beside the term where it says more, e.g. “Kommunales "
            "Integrationsmanagement” for KIM."
        )
    else:
        label = _l("Name in this language (optional)")
        description = _l("What readers of this language call it, e.g. “steering group”.")
    return StringField(
        label,
        validators=[
            Optional(),
            Length(max=NAME_MAX_LENGTH, message=_l("At most %(max)d characters, please.")),
        ],
        description=description,
        render_kw={"maxlength": NAME_MAX_LENGTH},
    )


def _explanation(language: str) -> TextAreaField:
    length = Length(max=EXPLANATION_MAX_LENGTH, message=_l("At most %(max)d characters, please."))
    if language == SOURCE_LANGUAGE:
        validators = [
            DataRequired(
                message=_l(
                    "Please write the German explanation: readers of every language fall "
                    "back to it."
                )
            ),
            length,
        ]
        description = _l("Two or three short sentences in plain words.")
    else:
        validators = [Optional(), length]
        description = _l("Leave it empty to show readers of this language the German text.")
    return TextAreaField(
        _l("Explanation"),
        filters=[normalise_newlines],
        validators=validators,
        description=description,
        render_kw={"rows": 4, "maxlength": EXPLANATION_MAX_LENGTH},
    )


@lru_cache(maxsize=8)
def term_form_class(languages: tuple[str, ...]) -> type[FlaskForm]:
    """A form with the term's fields and, for each of `languages` in order, name_<code> and
    explanation_<code>."""
    fields = {
        "term": StringField(
            _l("Term"),
            validators=[
                DataRequired(message=_l("Please enter the term.")),
                Length(max=TERM_MAX_LENGTH, message=_l("At most %(max)d characters, please.")),
            ],
            description=_l("In German, as it appears in the draft, e.g. “Lenkungsgruppe”."),
            render_kw={"maxlength": TERM_MAX_LENGTH, "lang": "de", "dir": "ltr"},
        ),
        "variants": TextAreaField(
            _l("Other forms in the draft (optional)"),
            filters=[normalise_newlines],
            validators=[Optional(), Length(max=VARIANTS_FIELD_MAX_LENGTH)],
            description=_l(
                "One per line: plural, genitive, abbreviation, e.g. “Bausteine”. Only whole "
                "words are marked; the first letter may be upper or lower case."
            ),
            render_kw={"rows": 4, "lang": "de", "dir": "ltr"},
        ),
    }
    for language in languages:
        fields[name_field(language)] = _name(language)
        fields[explanation_field(language)] = _explanation(language)
    return type("GlossaryTermForm", (FlaskForm,), fields)

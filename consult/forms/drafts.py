"""Forms for importing the draft and fixing its structure, and what each import problem is
called in the user's language."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from consult.services import imports
from consult.services.drafts import TITLE_MAX_LENGTH
from consult.text import normalise_newlines

PASTE_FORMATS = [SelectChoice("text", _l("Plain text")), SelectChoice("markdown", _l("Markdown"))]


class ImportForm(FlaskForm):
    upload = FileField(
        _l("Word document, Markdown or text file"),
        description=_l(
            "A .docx, .md or .txt file. Headings become chapters (Heading 1) and paragraph "
            "titles (Heading 2 and 3); numbered and bulleted lists are kept."
        ),
        render_kw={"accept": ".docx,.md,.markdown,.txt"},
    )
    pasted = TextAreaField(
        _l("Or paste the text"),
        description=_l(
            "Separate paragraphs with a blank line. A line such as “3 Goals” starts a chapter, "
            "“3.2 Target group” a paragraph with that title."
        ),
        filters=[normalise_newlines],
        render_kw={"rows": 12},
    )
    paste_format = RadioField(
        _l("Format of the pasted text"), choices=PASTE_FORMATS, default="text"
    )
    replace = BooleanField(_l("Replace the current draft"))

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.has_file and not (self.pasted.data or "").strip():
            self.upload.errors.append(_l("Please choose a file or paste the text of the draft."))
            return False
        return True

    @property
    def has_file(self) -> bool:
        upload = self.upload.data
        return bool(upload and getattr(upload, "filename", ""))


class ChapterForm(FlaskForm):
    number = IntegerField(
        _l("Number"),
        validators=[
            InputRequired(message=_l("Please enter the chapter's number.")),
            NumberRange(min=0, max=999, message=_l("Please enter a number from 0 to 999.")),
        ],
    )
    title = StringField(_l("Title"), validators=[Length(max=TITLE_MAX_LENGTH)])


class ParagraphForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[Optional(), Length(max=TITLE_MAX_LENGTH)],
        render_kw={"lang": "de", "dir": "ltr", "maxlength": TITLE_MAX_LENGTH},
    )
    text = TextAreaField(
        _l("Text"),
        description=_l(
            "A blank line starts a new block. Lines starting with “- ” make a bulleted list, "
            "lines starting with “1. ” a numbered list."
        ),
        filters=[normalise_newlines],
        render_kw={"rows": 12, "lang": "de", "dir": "ltr"},
    )


class SplitForm(FlaskForm):
    block = IntegerField(
        _l("The new paragraph starts with"),
        validators=[InputRequired(message=_l("Please choose where the new paragraph starts."))],
    )
    title = StringField(
        _l("Title of the new paragraph (optional)"),
        validators=[Optional(), Length(max=TITLE_MAX_LENGTH)],
    )


class MoveForm(FlaskForm):
    direction = SelectField(
        choices=[SelectChoice("up", _l("Up")), SelectChoice("down", _l("Down"))]
    )


class NumberingForm(FlaskForm):
    start = SelectField(
        _l("Number the chapters from"),
        choices=[SelectChoice("0", "0"), SelectChoice("1", "1")],
        default="1",
    )


def problem_message(problem: imports.DocumentProblem) -> str:
    """What went wrong with a file, and what to do about it, in the user's language."""
    if isinstance(problem, imports.FileTooLarge):
        return _l(
            "The file is larger than %(size)s MB. Please shorten the document or import it in "
            "parts.",
            size=max(1, problem.limit // (1024 * 1024)),
        )
    if isinstance(problem, imports.TooManyParagraphs):
        return _l(
            "The document has more than %(limit)d paragraphs. Please import it in parts.",
            limit=problem.limit,
        )
    return _PROBLEM_MESSAGES.get(type(problem), _PROBLEM_MESSAGES[imports.NotADocx])


_PROBLEM_MESSAGES = {
    imports.NotADocx: _l(
        "This file is not a Word document (.docx). Please save it in Word as “Word Document "
        "(*.docx)” and upload it again."
    ),
    imports.OldWordFormat: _l(
        "This is an old Word file (.doc). Please open it in Word, save it as “Word Document "
        "(*.docx)” and upload that file."
    ),
    imports.EncryptedDocument: _l(
        "This Word document is protected by a password. Please remove the password in Word "
        "and upload the document again."
    ),
    imports.SuspiciousArchive: _l(
        "This file would unpack to an unreasonable size, so it was not opened. Please save "
        "the document again in Word and upload it."
    ),
    imports.NotText: _l(
        "This file does not contain text. Please upload a Word document (.docx), a Markdown "
        "file (.md) or a text file (.txt)."
    ),
    imports.UnsupportedFormat: _l(
        "This file type is not supported. Please upload a Word document (.docx), a Markdown "
        "file (.md) or a text file (.txt)."
    ),
    imports.EmptyDocument: _l("The document contains no text to import."),
}

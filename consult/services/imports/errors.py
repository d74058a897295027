"""What can be wrong with a file or a pasted text. Each problem is its own type, so that the
web form and the command line can each say clearly what to do about it."""

from consult.services.errors import ServiceError


class DocumentProblem(ServiceError):
    """The document cannot be imported; nothing was changed."""


class FileTooLarge(DocumentProblem):
    def __init__(self, limit: int):
        super().__init__(f"larger than {limit} bytes")
        self.limit = limit


class NotADocx(DocumentProblem):
    """Not a Word document in the .docx format (an image, a text file, a spreadsheet...)."""


class OldWordFormat(DocumentProblem):
    """A Word 97-2003 .doc file, which python-docx cannot read."""


class EncryptedDocument(DocumentProblem):
    """A password-protected .docx: Word stores it encrypted inside an OLE compound file."""


class SuspiciousArchive(DocumentProblem):
    """A .docx whose contents would unpack to an absurd size (a zip bomb) or to an absurd
    number of parts."""


class NotText(DocumentProblem):
    """A Markdown or text file that holds binary data."""


class UnsupportedFormat(DocumentProblem):
    """Neither the file name nor the content says which of the formats this is."""


class EmptyDocument(DocumentProblem):
    """No text to import."""


class TooManyParagraphs(DocumentProblem):
    def __init__(self, limit: int):
        super().__init__(f"more than {limit} paragraphs")
        self.limit = limit

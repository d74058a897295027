"""Importing a draft from a Word document, Markdown or pasted plain text. Pure functions: bytes
or text in, an ImportedDraft (or one DocumentProblem) out; no Flask, no database."""

import codecs
import re
from typing import BinaryIO

from consult.services.imports.errors import (
    DocumentProblem,
    EmptyDocument,
    EncryptedDocument,
    FileTooLarge,
    NotADocx,
    NotText,
    OldWordFormat,
    SuspiciousArchive,
    TooManyParagraphs,
    UnsupportedFormat,
)
from consult.services.imports.markdown import parse_markdown
from consult.services.imports.model import (
    ImportedChapter,
    ImportedDraft,
    ImportedParagraph,
)
from consult.services.imports.plaintext import parse_text
from consult.services.imports.word import OLE_SIGNATURE, ZIP_SIGNATURE, parse_docx

__all__ = [
    "FORMATS",
    "DocumentProblem",
    "EmptyDocument",
    "EncryptedDocument",
    "FileTooLarge",
    "ImportedChapter",
    "ImportedDraft",
    "ImportedParagraph",
    "NotADocx",
    "NotText",
    "OldWordFormat",
    "SuspiciousArchive",
    "TooManyParagraphs",
    "UnsupportedFormat",
    "detect_format",
    "parse_bytes",
    "parse_docx",
    "parse_markdown",
    "parse_pasted",
    "parse_text",
    "read_limited",
]

FORMATS = ("docx", "markdown", "text")
_EXTENSIONS = {
    ".docx": "docx",
    ".doc": "docx",
    ".docm": "docx",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
}
# Control characters other than tab and line breaks have no place in a draft.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_limited(stream: BinaryIO, limit: int) -> bytes:
    """At most `limit` bytes of an upload; one byte more proves it is too large without
    reading the rest."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(limit)
    return data


def detect_format(filename: str, data: bytes) -> str:
    """The format by the file's extension, else by its first bytes."""
    name = (filename or "").lower()
    for extension, file_format in _EXTENSIONS.items():
        if name.endswith(extension):
            return file_format
    if data.startswith((ZIP_SIGNATURE, OLE_SIGNATURE)):
        return "docx"
    try:
        _decode(data)
    except NotText as error:
        raise UnsupportedFormat("unknown file type") from error
    return "markdown" if name.endswith((".mdown", ".mkd")) else "text"


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Older Windows editors save German text in their own code page.
            text = data.decode("cp1252", errors="replace")
    if "\x00" in text or data.startswith((ZIP_SIGNATURE, OLE_SIGNATURE, b"\x89PNG", b"%PDF")):
        raise NotText("binary data")
    return _CONTROL.sub("", text)


def parse_bytes(data: bytes, file_format: str) -> ImportedDraft:
    if file_format == "docx":
        return parse_docx(data)
    return parse_pasted(_decode(data), file_format)


def parse_pasted(text: str, file_format: str) -> ImportedDraft:
    text = _CONTROL.sub("", text)
    if file_format == "markdown":
        return parse_markdown(text)
    if file_format == "text":
        return parse_text(text)
    raise UnsupportedFormat(file_format)

"""Approval with redaction: the moderator removes personal data (names, phone numbers) from a
comment before it is published, and may change nothing else.

In a copy of the text the moderator wraps each passage to remove in [[double brackets]]. The
published text keeps REDACTION_MARK in its place. The author's original words are kept apart:
never published, shown only in the author's own data export; the retention purge must erase
them with the other personal data.
"""

import re
from collections.abc import Iterator

from markupsafe import Markup, escape

from consult.services.errors import ServiceError
from consult.text import REDACTION_MARK, normalise_newlines

MARKED_PASSAGE = re.compile(r"\[\[(.+?)\]\]", re.DOTALL)


class NothingMarked(ServiceError):
    """No [[passage]] was marked: there is nothing to redact."""


class TextChanged(ServiceError):
    """Apart from the brackets, the marked copy differs from the author's text."""


def apply(original: str, marked: str) -> str:
    """The text to publish: `original` with each [[passage]] of `marked` replaced by the mark."""
    marked = normalise_newlines(marked or "").strip()
    if not MARKED_PASSAGE.search(marked):
        raise NothingMarked()
    if MARKED_PASSAGE.sub(r"\1", marked) != original:
        raise TextChanged()
    return MARKED_PASSAGE.sub(REDACTION_MARK, marked)


def segments(text: str) -> Iterator[str | None]:
    """The text's pieces in order, with None where a passage was removed."""
    pieces = text.split(REDACTION_MARK)
    for index, piece in enumerate(pieces):
        if index:
            yield None
        if piece:
            yield piece


def as_html(text: str, marker: str) -> Markup:
    """Escaped text, each removed passage as a marked-up marker (already translated)."""
    rendered = [
        escape(piece)
        if piece is not None
        else Markup('<span class="redacted">{}</span>').format(marker)
        for piece in segments(text)
    ]
    return Markup("").join(rendered)

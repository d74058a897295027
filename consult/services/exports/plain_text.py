"""Text as every export writes it: removed personal data shown as a marker in the reader's
language, and nothing in a cell that could disguise it or break a file format."""

import re

from consult.text import REDACTION_MARK, normalise_newlines

# Bidi embeddings, overrides and isolates let a cell's text run backwards or pull its
# neighbours' text along ("Trojan Source"); zero-width spaces hide text inside words. The
# zero-width non-joiner and joiner stay: Persian spells words with them ("می‌کنم"), and
# without them the letters join where they must not.
# Other control characters (except tab and newline) are invisible too and are not allowed in
# XML, so DOCX and XLSX files would be broken by them; the non-characters U+FFFE and U+FFFF
# are not allowed in XML either.
_UNSAFE = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]"
)


def clean(text: str | None) -> str:
    """`text` without unsafe characters, with one kind of line break."""
    if not text:
        return ""
    return _UNSAFE.sub("", normalise_newlines(text))


def render(text: str | None, removed_marker: str) -> str:
    """A comment's published text for a file: each removed passage as `removed_marker`
    (e.g. "[removed: personal data]"), unsafe characters removed."""
    return clean(text).replace(REDACTION_MARK, removed_marker)

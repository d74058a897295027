"""Plain-text helpers shared by forms (before validation) and services (before storing)."""


def normalise_newlines(value: str | None) -> str | None:
    """Browsers count a line break as one character for maxlength but send CRLF; one form of
    line break everywhere keeps length checks and stored text consistent."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


# Stands where a moderator removed personal data from a comment. A private-use character, so it
# never occurs in what people write (clean_text strips it), and every page and export can show
# the marker in its reader's language.
REDACTION_MARK = "\ue000"

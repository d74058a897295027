"""Plain-text helpers shared by forms (before validation) and services (before storing)."""


def normalise_newlines(value: str | None) -> str | None:
    """Browsers count a line break as one character for maxlength but send CRLF; one form of
    line break everywhere keeps length checks and stored text consistent."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if value else value

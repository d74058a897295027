"""Word-level difference between a paragraph and a proposed new wording."""

import enum
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

# Words, runs of whitespace, and single punctuation marks are the units: a changed comma shows
# as a changed comma, not as a changed word.
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


class Change(enum.StrEnum):
    SAME = "same"
    DELETED = "deleted"
    INSERTED = "inserted"


@dataclass(frozen=True)
class Segment:
    change: Change
    text: str


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Segment]:
    """The segments that turn `old` into `new`: deletions come before insertions at a change,
    as readers of a Synopse expect. Joining SAME+INSERTED gives `new` back exactly."""
    # Pasted text may spell "ä" as "a" plus a combining mark; compare the composed forms, or
    # a word would be split inside a letter.
    a = tokens(unicodedata.normalize("NFC", old))
    b = tokens(unicodedata.normalize("NFC", new))
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    segments: list[Segment] = []
    for op, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if op == "equal":
            _append(segments, Change.SAME, "".join(a[a_start:a_end]))
            continue
        if op in ("delete", "replace"):
            _append(segments, Change.DELETED, "".join(a[a_start:a_end]))
        if op in ("insert", "replace"):
            _append(segments, Change.INSERTED, "".join(b[b_start:b_end]))
    return _absorb_lone_spaces(segments)


def _append(segments: list[Segment], change: Change, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].change is change:
        segments[-1] = Segment(change, segments[-1].text + text)
    else:
        segments.append(Segment(change, text))


def _absorb_lone_spaces(segments: list[Segment]) -> list[Segment]:
    """A single unchanged space between two changes splits one edit into two for the reader;
    fold it into the deletion and the insertion around it."""
    result: list[Segment] = []
    for index, segment in enumerate(segments):
        between_changes = 0 < index < len(segments) - 1 and (
            segment.change is Change.SAME
            and segment.text == " "
            and segments[index - 1].change is not Change.SAME
            and segments[index + 1].change is not Change.SAME
        )
        if between_changes:
            _append(result, Change.DELETED, segment.text)
            _append(result, Change.INSERTED, segment.text)
        else:
            _append(result, segment.change, segment.text)
    return _order_deletions_first(result)


def _order_deletions_first(segments: list[Segment]) -> list[Segment]:
    ordered: list[Segment] = []
    run: list[Segment] = []
    for segment in [*segments, Segment(Change.SAME, "")]:
        if segment.change is Change.SAME:
            deleted = "".join(s.text for s in run if s.change is Change.DELETED)
            inserted = "".join(s.text for s in run if s.change is Change.INSERTED)
            _append(ordered, Change.DELETED, deleted)
            _append(ordered, Change.INSERTED, inserted)
            _append(ordered, Change.SAME, segment.text)
            run = []
        else:
            run.append(segment)
    return ordered

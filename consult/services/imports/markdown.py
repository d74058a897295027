"""A small Markdown reader for drafts: "#" chapters, "##"/"###" paragraph titles, paragraphs,
bulleted and numbered lists. Inline markup is reduced to its text; HTML stays literal text
(the app escapes everything, so a tag is shown, never interpreted)."""

import re

from consult.services.imports.model import (
    ChapterHeading,
    ImportedDraft,
    ListBlock,
    ParagraphHeading,
    Text,
    assemble,
    clean,
)

_HEADING = re.compile(r" {0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*")
_RULE = re.compile(r" {0,3}([-*_])(?:\s*\1){2,}\s*")
_BULLET = re.compile(r"\s*[-*+]\s+(.*)")
_NUMBERED = re.compile(r"\s*(\d{1,9})[.)]\s+(.*)")
_FENCE = re.compile(r" {0,3}(```|~~~)")
_QUOTE = re.compile(r"^ {0,3}> ?")

_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*([^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")
_LINK = re.compile(r"\[([^\]]+)\]\(\s*([^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_CODE = re.compile(r"(`+)(.+?)\1")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS_STAR = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_EMPHASIS_UNDERSCORE = re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")


def inline_text(text: str) -> str:
    """Markup reduced to what a reader sees; a link keeps its address in brackets."""
    code_spans: list[str] = []

    def keep_code(match):
        code_spans.append(match.group(2).strip())
        return f"\x00{len(code_spans) - 1}\x00"

    text = _CODE.sub(keep_code, text)
    text = _IMAGE.sub(lambda m: f"{m.group(1)} ({m.group(2)})".strip(), text)
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS_STAR.sub(r"\1", text)
    text = _EMPHASIS_UNDERSCORE.sub(r"\1", text)
    text = _STRIKE.sub(r"\1", text)
    text = _ESCAPED.sub(r"\1", text)
    text = re.sub(r"\x00(\d+)\x00", lambda m: code_spans[int(m.group(1))], text)
    return clean(text)


def parse_markdown(source: str) -> ImportedDraft:
    return assemble(_merge_lists(_events(source.splitlines())), "markdown")


def _events(lines: list[str]):
    block: list[str] = []
    fence: str | None = None
    for raw in lines:
        line = raw.rstrip()
        if fence is not None:
            # Code stays as written, one block, its lines joined like any paragraph's.
            if line.strip().startswith(fence):
                fence = None
                yield from _block(block, literal=True)
                block = []
            else:
                block.append(line)
            continue
        if _FENCE.match(line):
            yield from _block(block)
            block = []
            fence = line.strip()[:3]
            continue
        line = _QUOTE.sub("", line, count=1)
        heading = _HEADING.fullmatch(line)
        if heading or _RULE.fullmatch(line) or not line.strip():
            yield from _block(block)
            block = []
            if heading:
                title = inline_text(heading.group(2) or "")
                level = len(heading.group(1))
                yield ChapterHeading(title) if level == 1 else ParagraphHeading(title)
            continue
        block.append(line)
    yield from _block(block, literal=fence is not None)


def _block(lines: list[str], literal: bool = False):
    """A run of lines without blank ones: text, then lists (a list item's continuation lines
    belong to the item)."""
    if not lines:
        return
    if literal:
        yield Text(" ".join(line.strip() for line in lines))
        return
    text: list[str] = []
    items: list[tuple[str, int, str]] = []  # (kind, number, text)
    for line in lines:
        bullet = _BULLET.fullmatch(line)
        numbered = _NUMBERED.fullmatch(line)
        if bullet:
            items.append(("ul", 0, bullet.group(1)))
        elif numbered:
            items.append(("ol", int(numbered.group(1)), numbered.group(2)))
        elif items:
            kind, number, item = items[-1]
            items[-1] = (kind, number, f"{item} {line.strip()}")
        else:
            text.append(line.strip())
    if text:
        yield Text(inline_text(" ".join(text)))
    yield from _lists(items)


def _lists(items: list[tuple[str, int, str]]):
    run: list[tuple[str, int, str]] = []
    for item in items:
        if run and run[-1][0] != item[0]:
            yield _list(run)
            run = []
        run.append(item)
    if run:
        yield _list(run)


def _list(run: list[tuple[str, int, str]]) -> ListBlock:
    kind = run[0][0]
    texts = tuple(inline_text(text) for _, _, text in run)
    if kind == "ul":
        return ListBlock("ul", texts)
    # As in Markdown, the first number counts and the rest follow it.
    start = run[0][1]
    return ListBlock("ol", texts, tuple(range(start, start + len(run))))


def _merge_lists(events):
    """A list whose items are separated by blank lines is still one list."""
    previous = None
    for event in events:
        if (
            isinstance(event, ListBlock)
            and isinstance(previous, ListBlock)
            and event.kind == previous.kind
        ):
            numbers = ()
            if event.kind == "ol":
                numbers = previous.numbers + tuple(
                    range(previous.numbers[-1] + 1, previous.numbers[-1] + 1 + len(event.items))
                )
            previous = ListBlock(event.kind, previous.items + event.items, numbers)
            continue
        if previous is not None:
            yield previous
        previous = event
    if previous is not None:
        yield previous

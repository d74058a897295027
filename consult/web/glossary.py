"""The glossary in the draft's text. Without JavaScript a marked term is a link to its entry on
the glossary page. Each term marked on a page has its explanation once in that page, hidden at
the end of the main content (`glossary_notes`); app.js turns the links into buttons that show a
copy of it right after the term — no request, no hover. One note per term, not per occurrence,
so a long draft that uses the same terms in every paragraph does not carry them hundreds of
times."""

from flask import g, get_template_attribute, has_request_context, request, url_for
from flask_babel import get_locale, gettext
from markupsafe import Markup, escape

from consult.i18n import LANGUAGES
from consult.services import glossary as glossary_service

_OCCURRENCE = Markup(
    '<a class="term" href="{href}" data-term-note="{note_id}">{text}'
    '<span class="visually-hidden" lang="{lang}" dir="{dir}"> ({cue})</span></a>'
)
_NOTE = Markup(
    '<span class="term-note" id="{note_id}" lang="{lang}" dir="{dir}" hidden>{body}</span>'
)


# The pages on which people read the draft: the document, a paragraph's thread, the comment
# form. Staff screens show the bare text (their readers know the terms, and their pages keep
# their query budgets), and so does the Synopse, where marks would clutter the comparison.
READER_BLUEPRINTS = frozenset({"public", "comments"})


def language_direction(code: str) -> str:
    language = LANGUAGES.get(code)
    return language.direction if language else "ltr"


def request_glossary() -> glossary_service.Glossary:
    """The glossary in the page's language, loaded once per request: one query for a whole
    draft, however many paragraphs mark terms."""
    if "consult_glossary" not in g:
        g.consult_glossary = glossary_service.glossary(str(get_locale()))
    return g.consult_glossary


def _note_id(entry: glossary_service.GlossaryEntry) -> str:
    return f"term-note-{entry.slug}"


def _occurrence(entry: glossary_service.GlossaryEntry, text: str) -> Markup:
    # Remembered for glossary_notes, which writes each marked term's note once per page.
    g.setdefault("consult_glossary_marked", {}).setdefault(entry.slug, entry)
    ui = str(get_locale())
    return _OCCURRENCE.format(
        href=url_for("glossary.index", _anchor=entry.slug),
        note_id=_note_id(entry),
        text=text,
        cue=gettext("glossary"),
        lang=ui,
        dir=language_direction(ui),
    )


def glossary_notes() -> Markup:
    """The hidden explanations of the terms marked so far on this page, one per term. Called
    at the end of the main content, after the draft's text has been rendered and marked."""
    marked = g.pop("consult_glossary_marked", {}) if has_request_context() else {}
    if not marked:
        return Markup()
    term_note = get_template_attribute("macros/glossary.html", "term_note")
    ui = str(get_locale())
    return Markup("").join(
        _NOTE.format(
            note_id=_note_id(entry),
            lang=ui,
            dir=language_direction(ui),
            body=Markup(term_note(entry, url_for("glossary.index", _anchor=entry.slug)).strip()),
        )
        for entry in marked.values()
    )


def glossary_marker(enabled: bool = True):
    """A function that marks the lines of one paragraph: each term once, at its first
    occurrence. Off a reader's page, or with `enabled` false, it only escapes."""
    if not enabled or not has_request_context() or request.blueprint not in READER_BLUEPRINTS:
        return escape
    glossary = request_glossary()
    if not glossary:
        return escape
    seen: set[str] = set()
    return lambda line: glossary.mark(line, seen, _occurrence)

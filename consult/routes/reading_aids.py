"""Reading aids for the draft, written by the administration: the German "Kurz erklärt" of
each chapter and translations of titles, paragraphs and Kurz erklärt into the other languages.
They help people read the binding German draft, so they may change in every phase."""

from babel import Locale
from flask import Blueprint, abort, current_app, flash, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from consult import permissions
from consult.extensions import db
from consult.forms.reading_aids import (
    ChapterTranslationForm,
    ParagraphTranslationForm,
    PlainSummaryForm,
)
from consult.i18n import LANGUAGES
from consult.models.types import utcnow
from consult.services import translations
from consult.services.translations import (
    GERMAN,
    Outcome,
    TranslationChanged,
    stored_marker,
    wording_digest,
)
from consult.web.guards import restrict_to
from consult.web.htmx import is_htmx, see_other

bp = Blueprint("reading_aids", __name__, url_prefix="/<lang:lang>/admin/consultations")


restrict_to(bp, permissions.can_manage_consultations)


def language_label(code: str) -> str:
    """A language as the page's reader calls it, with its own name: "Arabic (العربية)"."""
    native = LANGUAGES[code].native_name
    ui = str(get_locale())
    if ui == code:
        return native
    return f"{Locale.parse(code).get_display_name(ui)} ({native})"


def _enabled_language(language: str) -> str:
    # German, the draft's language, has its Kurz erklärt even where the site is not offered
    # in German; translations are made into the languages the site is offered in.
    if language != GERMAN and language not in current_app.config["LANGUAGES"]:
        abort(404)
    return language


@bp.get("/<int(max=2147483647):consultation_id>/reading-aids")
def overview(consultation_id: int):
    page = translations.reading_aids_overview(
        consultation_id, current_app.config["LANGUAGES"]
    ) or abort(404)
    return render_template(
        "reading_aids/overview.html",
        page=page,
        consultation=page.consultation,
        labels={code: language_label(code) for code in page.languages},
    )


# --- one chapter -----------------------------------------------------------------------------


def _chapter_url(view, language: str, anchor: str | None = None) -> str:
    return url_for(
        "reading_aids.chapter",
        consultation_id=view.consultation.id,
        language=language,
        number=view.section.number,
        _anchor=anchor,
    )


def _in_language(form, language: str, **labels) -> None:
    """The translation fields are written in the target language: say so to the browser
    (spelling, fonts, direction) and in each label."""
    direction = LANGUAGES[language].direction
    for name, label in labels.items():
        field = form[name]
        field.render_kw = {**(field.render_kw or {}), "lang": language, "dir": direction}
        field.label.text = label


def _paragraph_form(view, paragraph, language: str, from_request: bool = False):
    prefix = f"p{paragraph.id}"
    if from_request:
        form = ParagraphTranslationForm(prefix=prefix)
    else:
        translation = view.translations.of_paragraph(paragraph)
        data = {"title": translation.title, "text": translation.text} if translation else {}
        data["loaded"] = stored_marker(translation)
        data["loaded_wording"] = wording_digest(data.get("title"), data.get("text"))
        form = ParagraphTranslationForm(prefix=prefix, formdata=None, data=data)
    name = language_label(language)
    _in_language(
        form,
        language,
        title=_("Title in %(language)s", language=name),
        text=_("Text in %(language)s", language=name),
    )
    return form


def _chapter_form(view, language: str, from_request: bool = False):
    if from_request:
        form = ChapterTranslationForm(prefix="chapter")
    else:
        translation = view.translations.of_section(view.section)
        data = (
            {"title": translation.title, "plain_summary": translation.plain_summary}
            if translation
            else {}
        )
        data["loaded"] = stored_marker(translation)
        data["loaded_wording"] = wording_digest(data.get("title"), data.get("plain_summary"))
        form = ChapterTranslationForm(prefix="chapter", formdata=None, data=data)
    name = language_label(language)
    _in_language(
        form,
        language,
        title=_("Chapter title in %(language)s", language=name),
        plain_summary=_("Kurz erklärt in %(language)s", language=name),
    )
    return form


def _chapter_page(
    view, language: str, status: int = 200, forms=None, chapter_form=None, conflicts=frozenset()
):
    forms = {
        p.id: (forms or {}).get(p.id) or _paragraph_form(view, p, language) for p in view.paragraphs
    }
    return render_template(
        "reading_aids/chapter.html",
        view=view,
        consultation=view.consultation,
        language=language,
        direction=LANGUAGES[language].direction,
        language_name=language_label(language),
        forms=forms,
        chapter_form=chapter_form or _chapter_form(view, language),
        conflicts=conflicts,
        other_languages=[
            (code, language_label(code))
            for code in current_app.config["LANGUAGES"]
            if code not in (GERMAN, language)
        ],
    ), status


def _load_chapter(consultation_id: int, language: str, **where):
    return translations.chapter_view(consultation_id, language, **where) or abort(404)


@bp.route(
    "/<int(max=2147483647):consultation_id>/reading-aids/<language>/chapter/<int(max=999):number>",
    methods=["GET", "POST"],
)
def chapter(consultation_id: int, language: str, number: int):
    language = _enabled_language(language)
    view = _load_chapter(consultation_id, language, number=number)
    if language == GERMAN:
        return _plain_summary(view)
    if request.method == "GET":
        return _chapter_page(view, language)
    forms = {p.id: _paragraph_form(view, p, language, from_request=True) for p in view.paragraphs}
    chapter_form = _chapter_form(view, language, from_request=True)
    # Validate every form (no short cut), so that every error shows at once.
    results = [form.validate_on_submit() for form in (chapter_form, *forms.values())]
    if not all(results):
        return _chapter_page(view, language, 422, forms, chapter_form)
    enabled = current_app.config["LANGUAGES"]
    now = utcnow()
    # The page holds every paragraph as it was loaded: only what the translator changed (or
    # confirmed) is saved, so that saving one paragraph neither confirms outdated ones nor
    # overwrites a colleague's work on another.
    outcomes, conflicts = [], set()
    if chapter_form.edited:
        try:
            outcomes.append(
                translations.save_section_translation(
                    view.section,
                    language,
                    title=chapter_form.title.data or "",
                    plain_summary=chapter_form.plain_summary.data or "",
                    enabled=enabled,
                    actor=current_user,
                    now=now,
                    seen=chapter_form.loaded.data,
                    confirm=chapter_form.still_fits.data,
                )
            )
        except TranslationChanged:
            conflicts.add(CHAPTER)
    for paragraph in view.paragraphs:
        form = forms[paragraph.id]
        if not form.edited:
            continue
        try:
            outcomes.append(
                translations.save_paragraph_translation(
                    view.consultation,
                    paragraph,
                    language,
                    title=form.title.data or "",
                    text=form.text.data or "",
                    enabled=enabled,
                    actor=current_user,
                    now=now,
                    seen=form.loaded.data,
                    confirm=form.still_fits.data,
                )
            )
        except TranslationChanged:
            conflicts.add(paragraph.id)
    if conflicts:
        # Nothing is written: the page shows the colleagues' translations beside this
        # translator's text, which a second save then puts in their place knowingly.
        db.session.rollback()
        view = _load_chapter(consultation_id, language, number=number)
        kept = {p.id: forms[p.id] for p in view.paragraphs if p.id in forms and forms[p.id].edited}
        for paragraph in view.paragraphs:
            if paragraph.id in conflicts:
                _changed_meanwhile(kept[paragraph.id], view.translations.of_paragraph(paragraph))
        if CHAPTER in conflicts:
            _changed_meanwhile(chapter_form, view.translations.of_section(view.section))
        elif not chapter_form.edited:
            chapter_form = None
        return _chapter_page(view, language, 409, kept, chapter_form, frozenset(conflicts))
    db.session.commit()
    if all(outcome is Outcome.UNCHANGED for outcome in outcomes):
        message = _("Chapter %(number)s: nothing was changed.", number=view.section.number)
    else:
        message = _(
            "Translation of chapter %(number)s into %(language)s saved.",
            number=view.section.number,
            language=language_label(language),
        )
    flash(message, "success")
    # A paragraph's own "Save" button (without JavaScript it saves the whole chapter) brings
    # the reader back to that paragraph.
    anchors = {f"tr-{p.anchor}" for p in view.paragraphs}
    anchor = request.form.get("saved_from")
    return see_other(_chapter_url(view, language, anchor if anchor in anchors else None))


CHAPTER = "chapter"


def _changed_meanwhile(form, current) -> None:
    form.form_errors.append(
        _(
            "A colleague saved this translation while you were writing. Their version is "
            "shown; your text is still in the form. Save again to replace theirs with yours."
        )
    )
    form.loaded.data = stored_marker(current)


def _plain_summary(view):
    if request.method == "GET":
        form = PlainSummaryForm(formdata=None, data={"plain_summary": view.section.plain_summary})
        return _summary_page(view, form)
    form = PlainSummaryForm()
    if not form.validate_on_submit():
        return _summary_page(view, form, 422)
    outcome = translations.save_plain_summary(
        view.section, form.plain_summary.data or "", actor=current_user, now=utcnow()
    )
    db.session.commit()
    number = view.section.number
    if outcome is Outcome.SAVED:
        message = _("Kurz erklärt of chapter %(number)s saved.", number=number)
    elif outcome is Outcome.CLEARED:
        message = _("Kurz erklärt of chapter %(number)s removed.", number=number)
    else:
        message = _("Chapter %(number)s: nothing was changed.", number=number)
    flash(message, "success")
    return see_other(_chapter_url(view, GERMAN))


def _summary_page(view, form, status: int = 200):
    form.plain_summary.render_kw = {**(form.plain_summary.render_kw or {}), "lang": "de"}
    form.plain_summary.render_kw["dir"] = "ltr"
    return render_template(
        "reading_aids/summary.html",
        view=view,
        consultation=view.consultation,
        form=form,
        other_languages=[
            (code, language_label(code))
            for code in current_app.config["LANGUAGES"]
            if code != GERMAN
        ],
    ), status


# --- one paragraph (HTMX, or the whole page without it) --------------------------------------


@bp.post(
    "/<int(max=2147483647):consultation_id>/reading-aids/<language>"
    "/paragraphs/<int(max=2147483647):paragraph_id>"
)
def paragraph(consultation_id: int, language: str, paragraph_id: int):
    language = _enabled_language(language)
    if language == GERMAN:
        abort(404)
    view = _load_chapter(consultation_id, language, paragraph_id=paragraph_id)
    paragraph = view.paragraph(paragraph_id)
    form = _paragraph_form(view, paragraph, language, from_request=True)
    if not form.validate_on_submit():
        if is_htmx():
            return _paragraph_fragment(view, paragraph, language, form, status=422)
        return _chapter_page(view, language, 422, forms={paragraph.id: form})
    try:
        outcome = translations.save_paragraph_translation(
            view.consultation,
            paragraph,
            language,
            title=form.title.data or "",
            text=form.text.data or "",
            enabled=current_app.config["LANGUAGES"],
            actor=current_user,
            now=utcnow(),
            seen=form.loaded.data,
            confirm=form.still_fits.data,
        )
    except TranslationChanged:
        db.session.rollback()
        view = _load_chapter(consultation_id, language, paragraph_id=paragraph_id)
        paragraph = view.paragraph(paragraph_id)
        _changed_meanwhile(form, view.translations.of_paragraph(paragraph))
        if is_htmx():
            return _paragraph_fragment(view, paragraph, language, form, status=409, conflict=True)
        return _chapter_page(
            view, language, 409, forms={paragraph.id: form}, conflicts=frozenset({paragraph.id})
        )
    db.session.commit()
    if outcome is Outcome.SAVED:
        message = _("Translation of paragraph %(number)s saved.", number=paragraph.number)
    elif outcome is Outcome.CLEARED:
        message = _("Translation of paragraph %(number)s removed.", number=paragraph.number)
    else:
        message = _("Paragraph %(number)s: nothing was changed.", number=paragraph.number)
    if not is_htmx():
        flash(message, "success")
        return see_other(_chapter_url(view, language, f"tr-{paragraph.anchor}"))
    view = _load_chapter(consultation_id, language, paragraph_id=paragraph_id)
    paragraph = view.paragraph(paragraph_id)
    return _paragraph_fragment(
        view, paragraph, language, _paragraph_form(view, paragraph, language), message=message
    )


def _paragraph_fragment(
    view, paragraph, language, form, status: int = 200, message=None, conflict=False
):
    return render_template(
        "reading_aids/_paragraph.html",
        view=view,
        consultation=view.consultation,
        paragraph=paragraph,
        language=language,
        direction=LANGUAGES[language].direction,
        form=form,
        message=message,
        conflict=conflict,
        standalone=True,
    ), status

"""Importing the draft (DOCX, Markdown, plain text) and fixing its structure before publishing."""

from flask import Blueprint, abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult import permissions
from consult.extensions import db
from consult.forms.confirm import ConfirmForm
from consult.forms.drafts import (
    ChapterForm,
    ImportForm,
    MoveForm,
    NumberingForm,
    ParagraphForm,
    SplitForm,
    problem_message,
)
from consult.models import Consultation
from consult.models.types import utcnow
from consult.services import drafts, imports
from consult.web.guards import restrict_to
from consult.web.htmx import is_htmx, page_or_fragment, see_other

bp = Blueprint("drafts", __name__, url_prefix="/<lang:lang>/admin/consultations")

STRUCTURE_ID = "structure"


restrict_to(bp, permissions.can_manage_consultations)


def _lock_message(reason: str) -> str:
    if reason == drafts.PUBLISHED:
        return _(
            "This consultation is no longer a draft, so its structure cannot change here. "
            "Changes after publication are made as a revision."
        )
    return _("The draft already has comments, so its structure can no longer change.")


# --- import ------------------------------------------------------------------------------------


@bp.route("/<int(max=2147483647):consultation_id>/import", methods=["GET", "POST"])
def import_form(consultation_id: int):
    consultation = db.session.get(Consultation, consultation_id) or abort(404)
    existing = drafts.paragraph_count(consultation_id)
    lock = drafts.lock_reason(consultation)
    form = ImportForm()
    if request.method == "GET" or lock is not None:
        return _import_page(
            form, consultation, existing, lock, 200 if request.method == "GET" else 409
        )
    if not form.validate_on_submit():
        return _import_page(form, consultation, existing, lock, 422)
    try:
        imported = _read_import(form)
    except imports.DocumentProblem as problem:
        form.upload.errors.append(problem_message(problem))
        return _import_page(form, consultation, existing, lock, 422)
    if existing and not form.replace.data:
        form.replace.errors.append(
            _(
                "This consultation already has a draft of %(count)d paragraphs. Tick “Replace "
                "the current draft” to replace it.",
                count=existing,
            )
        )
        return _import_page(form, consultation, existing, lock, 422)
    try:
        result = drafts.replace_content(consultation, imported, actor=current_user, now=utcnow())
    except drafts.DraftLocked as locked:
        return _import_page(form, consultation, existing, locked.reason, 409)
    db.session.commit()
    flash(
        _(
            "Imported %(chapters)d chapters and %(paragraphs)d paragraphs. Check them before "
            "publishing.",
            chapters=result.chapters,
            paragraphs=result.paragraphs,
        ),
        "success",
    )
    target = url_for("drafts.structure", consultation_id=consultation_id)
    if is_htmx():
        # A new page, not a fragment: the whole structure and the flash message.
        response = current_app.response_class(status=200)
        response.headers["HX-Redirect"] = target
        return response
    return see_other(target)


def _read_import(form: ImportForm) -> imports.ImportedDraft:
    limit = current_app.config["CONSULT_IMPORT_MAX_BYTES"]
    if form.has_file:
        upload = form.upload.data
        data = imports.read_limited(upload.stream, limit)
        return imports.parse_bytes(data, imports.detect_format(upload.filename, data))
    text = form.pasted.data or ""
    if len(text.encode("utf-8")) > limit:
        raise imports.FileTooLarge(limit)
    return imports.parse_pasted(text, form.paste_format.data)


def _import_page(form, consultation, existing: int, lock: str | None, status: int):
    return page_or_fragment(
        "drafts/import.html",
        "drafts/_import_form.html",
        status=status,
        form=form,
        consultation=consultation,
        existing=existing,
        lock_message=_lock_message(lock) if lock else None,
    )


# --- the structure -----------------------------------------------------------------------------


def _load(consultation_id: int) -> drafts.StructureView:
    return drafts.load_structure(consultation_id) or abort(404)


def _render_structure(view, *, status=200, error=None, announce=None, focus=None):
    return page_or_fragment(
        "drafts/structure.html",
        "drafts/_structure.html",
        status=status,
        view=view,
        consultation=view.consultation,
        lock_message=_lock_message(view.lock) if view.lock else None,
        numbering_form=NumberingForm(formdata=None),
        text_parts=drafts.text_parts,
        error=error,
        announce=announce,
        focus=focus,
    )


@bp.get("/<int(max=2147483647):consultation_id>/structure")
def structure(consultation_id: int):
    return _render_structure(_load(consultation_id))


def _done(consultation_id: int, message: str, anchor: str):
    """After a change: back to the changed place of the page, or the list again for HTMX."""
    db.session.commit()
    if is_htmx():
        return _whole_structure(
            _render_structure(_load(consultation_id), announce=message, focus=anchor)
        )
    flash(message, "success")
    return see_other(url_for("drafts.structure", consultation_id=consultation_id, _anchor=anchor))


def _failed(view, message: str, status: int = 422):
    response = _render_structure(view, status=status, error=message, announce=message)
    return _whole_structure(response) if is_htmx() else response


def _whole_structure(response):
    # A form may have sent its request for its own part only; the answer is the whole list.
    response.headers["HX-Retarget"] = f"#{STRUCTURE_ID}"
    response.headers["HX-Reswap"] = "outerHTML"
    return response


# Every refusal the structure services give, each with its message in _problem.
_REFUSALS = (
    drafts.DraftLocked,
    drafts.ChapterNumberTaken,
    drafts.ChapterNotEmpty,
    drafts.NoNextParagraph,
    drafts.InvalidSplitPoint,
    drafts.CannotMove,
)


def _submit(view, form, change):
    """What every change of the structure does: check the form, then `change()` calls the
    service and says what happened and where: (message, anchor). Invalid input or a refusal
    shows the structure again with the reason (409 when the draft is locked, else 422)."""
    if not form.validate_on_submit():
        return _failed(view, _first_error(form))
    try:
        message, anchor = change()
    except _REFUSALS as error:
        return _failed(view, _problem(error), _status(error))
    return _done(view.consultation.id, message, anchor)


def _problem(error) -> str:
    if isinstance(error, drafts.DraftLocked):
        return _lock_message(error.reason)
    if isinstance(error, drafts.ChapterNumberTaken):
        return _("Another chapter already has the number %(number)d.", number=error.args[0])
    if isinstance(error, drafts.ChapterNotEmpty):
        return _("Only a chapter without paragraphs can be deleted.")
    if isinstance(error, drafts.NoNextParagraph):
        return _("This is the last paragraph of its chapter; there is nothing to merge it with.")
    if isinstance(error, drafts.InvalidSplitPoint):
        return _("Please choose where the new paragraph starts.")
    return _("This paragraph cannot move any further.")


def _status(error) -> int:
    return 409 if isinstance(error, drafts.DraftLocked) else 422


def _paragraph_of(view, paragraph_id: int):
    return view.paragraph(paragraph_id) or abort(404)


def _section_of(view, section_id: int):
    return view.section(section_id) or abort(404)


def _first_error(form) -> str:
    # A button's form has nothing but its token: if that fails, the page was open too long.
    if not isinstance(form, ConfirmForm):
        for field in form:
            if field.errors:
                return f"{field.label.text}: {' '.join(str(e) for e in field.errors)}"
    return _("The form has expired. Please reload the page and try again.")


def _paragraph_anchor(paragraph) -> str:
    return f"para-{paragraph.id}"


def _chapter_anchor(section) -> str:
    return f"draft-chapter-{section.id}"


@bp.post("/<int(max=2147483647):consultation_id>/structure/numbering")
def fix_numbering(consultation_id: int):
    view = _load(consultation_id)
    form = NumberingForm()

    def change():
        start = int(form.start.data)
        drafts.fix_numbering(view.consultation, start=start, actor=current_user, now=utcnow())
        return (
            _("Chapters numbered from %(start)d; paragraph numbers updated.", start=start),
            STRUCTURE_ID,
        )

    return _submit(view, form, change)


@bp.post(
    "/<int(max=2147483647):consultation_id>/structure/chapters/<int(max=2147483647):section_id>"
)
def edit_chapter(consultation_id: int, section_id: int):
    view = _load(consultation_id)
    section = _section_of(view, section_id)
    form = ChapterForm()

    def change():
        drafts.edit_chapter(
            view.consultation,
            section,
            number=form.number.data,
            title=form.title.data or "",
            actor=current_user,
            now=utcnow(),
        )
        return _("Chapter %(number)d saved.", number=form.number.data), _chapter_anchor(section)

    return _submit(view, form, change)


@bp.post(
    "/<int(max=2147483647):consultation_id>/structure/chapters/<int(max=2147483647):section_id>/delete"
)
def delete_chapter(consultation_id: int, section_id: int):
    view = _load(consultation_id)
    section = _section_of(view, section_id)

    def change():
        number = section.number
        drafts.delete_chapter(view.consultation, section, actor=current_user, now=utcnow())
        return _("Chapter %(number)d deleted.", number=number), STRUCTURE_ID

    return _submit(view, ConfirmForm(), change)


@bp.post(
    "/<int(max=2147483647):consultation_id>/structure/chapters/<int(max=2147483647):section_id>/paragraphs"
)
def add_paragraph(consultation_id: int, section_id: int):
    view = _load(consultation_id)
    section = _section_of(view, section_id)
    form = ParagraphForm()

    def change():
        paragraph = drafts.add_paragraph(
            view.consultation,
            section,
            title=form.title.data or "",
            text=form.text.data or "",
            actor=current_user,
            now=utcnow(),
        )
        message = _("Paragraph %(number)s added.", number=paragraph.number)
        return message, _paragraph_anchor(paragraph)

    return _submit(view, form, change)


@bp.route(
    "/<int(max=2147483647):consultation_id>/structure/paragraphs/<int(max=2147483647):paragraph_id>/edit",
    methods=["GET", "POST"],
)
def edit_paragraph(consultation_id: int, paragraph_id: int):
    view = _load(consultation_id)
    paragraph = _paragraph_of(view, paragraph_id)
    if not view.editable:
        return _failed(view, _lock_message(view.lock), 409)
    if request.method == "GET":
        form = ParagraphForm(formdata=None, obj=paragraph)
        return _edit_page(view, paragraph, form, 200)
    form = ParagraphForm()
    if not form.validate_on_submit():
        return _edit_page(view, paragraph, form, 422)
    try:
        drafts.edit_paragraph(
            view.consultation,
            paragraph,
            title=form.title.data or "",
            text=form.text.data or "",
            actor=current_user,
            now=utcnow(),
        )
    except drafts.DraftLocked as error:
        return _failed(view, _problem(error), _status(error))
    return _done(
        consultation_id,
        _("Paragraph %(number)s saved.", number=paragraph.number),
        _paragraph_anchor(paragraph),
    )


def _edit_page(view, paragraph, form, status: int):
    return page_or_fragment(
        "drafts/edit_paragraph.html",
        "drafts/_paragraph_form.html",
        status=status,
        view=view,
        consultation=view.consultation,
        paragraph=paragraph,
        form=form,
    )


@bp.post(
    "/<int(max=2147483647):consultation_id>/structure/paragraphs/<int(max=2147483647):paragraph_id>/merge"
)
def merge(consultation_id: int, paragraph_id: int):
    view = _load(consultation_id)
    paragraph = _paragraph_of(view, paragraph_id)

    def change():
        first, second = paragraph.number, _next_number(paragraph)
        drafts.merge_with_next(view.consultation, paragraph, actor=current_user, now=utcnow())
        return (
            _("Paragraphs %(first)s and %(second)s merged.", first=first, second=second),
            _paragraph_anchor(paragraph),
        )

    return _submit(view, ConfirmForm(), change)


def _next_number(paragraph) -> str:
    siblings = paragraph.section.paragraphs
    index = siblings.index(paragraph)
    return siblings[index + 1].number if index + 1 < len(siblings) else ""


@bp.post(
    "/<int(max=2147483647):consultation_id>/structure/paragraphs/<int(max=2147483647):paragraph_id>/split"
)
def split(consultation_id: int, paragraph_id: int):
    view = _load(consultation_id)
    paragraph = _paragraph_of(view, paragraph_id)
    form = SplitForm()

    def change():
        new = drafts.split_paragraph(
            view.consultation,
            paragraph,
            before_block=form.block.data,
            title=form.title.data or "",
            actor=current_user,
            now=utcnow(),
        )
        message = _(
            "Paragraph %(number)s split; the new paragraph is %(new)s.",
            number=paragraph.number,
            new=new.number,
        )
        return message, _paragraph_anchor(new)

    return _submit(view, form, change)


@bp.post(
    "/<int(max=2147483647):consultation_id>/structure/paragraphs/<int(max=2147483647):paragraph_id>/move"
)
def move(consultation_id: int, paragraph_id: int):
    view = _load(consultation_id)
    paragraph = _paragraph_of(view, paragraph_id)
    form = MoveForm()

    def change():
        drafts.move_paragraph(
            view.consultation,
            paragraph,
            up=form.direction.data == "up",
            actor=current_user,
            now=utcnow(),
        )
        message = _("The paragraph is now %(number)s.", number=paragraph.number)
        return message, _paragraph_anchor(paragraph)

    return _submit(view, form, change)


@bp.post(
    "/<int(max=2147483647):consultation_id>/structure/paragraphs/<int(max=2147483647):paragraph_id>/delete"
)
def delete_paragraph(consultation_id: int, paragraph_id: int):
    view = _load(consultation_id)
    paragraph = _paragraph_of(view, paragraph_id)

    def change():
        number, section = paragraph.number, paragraph.section
        drafts.delete_paragraph(view.consultation, paragraph, actor=current_user, now=utcnow())
        return _("Paragraph %(number)s deleted.", number=number), _chapter_anchor(section)

    return _submit(view, ConfirmForm(), change)

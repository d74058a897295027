"""The administration's consultations: list, create, edit, phases, the revised draft."""

from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult import permissions
from consult.extensions import db
from consult.forms.confirm import ConfirmForm
from consult.forms.consultations import ConsultationForm, PhaseForm
from consult.forms.revisions import ParagraphTextForm
from consult.models import Phase
from consult.models.types import utcnow
from consult.services import consultations, revisions
from consult.services.consultations import (
    ConsultationDetails,
    InvalidSlug,
    PeriodInvalid,
    PhaseChangeRefused,
    RefusalReason,
    SlugTaken,
)
from consult.services.revisions import NotRevising, ParagraphDropped, RevisionNotAllowed
from consult.web.guards import restrict_to
from consult.web.htmx import is_htmx, see_other

bp = Blueprint("admin", __name__, url_prefix="/<lang:lang>/admin/consultations")


restrict_to(bp, permissions.can_manage_consultations)


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _consultation_or_404(consultation_id: int):
    consultation = consultations.consultation_by_id(consultation_id)
    if consultation is None:
        abort(404)
    return consultation


# --- the list, creating and editing ----------------------------------------------------------


@bp.get("/")
def index():
    return render_template("admin/index.html", rows=consultations.overview())


def _details(form: ConsultationForm) -> ConsultationDetails:
    zone = _zone()
    return ConsultationDetails(
        title=form.title.data or "",
        slug=form.slug.data or "",
        summary=form.summary.data or "",
        organiser=form.organiser.data or "",
        contact=form.contact.data or "",
        opens_at=consultations.county_time_to_utc(form.opens_at.data, zone),
        closes_at=consultations.county_time_to_utc(form.closes_at.data, zone),
        easy_read=form.easy_read.data or "",
        procedure_note=form.procedure_note.data or "",
        is_sample=form.is_sample.data,
    )


def _report_refusal(form: ConsultationForm, error: Exception) -> None:
    if isinstance(error, SlugTaken):
        form.slug.errors.append(
            _("Another consultation has this web address already. Please choose another one.")
        )
    elif isinstance(error, InvalidSlug):
        form.slug.errors.append(_("Please use only lowercase letters a–z, digits and hyphens."))
    else:
        form.closes_at.errors.append(_("The end of the period must be after its start."))


def _render_form(form: ConsultationForm, consultation=None, status: int = 200):
    return render_template("admin/form.html", form=form, consultation=consultation), status


@bp.get("/new")
def new():
    return _render_form(ConsultationForm(formdata=None))


@bp.post("/")
def create():
    form = ConsultationForm()
    if form.validate_on_submit():
        try:
            consultation = consultations.create_consultation(
                _details(form), actor=current_user, now=utcnow()
            )
        except (SlugTaken, InvalidSlug, PeriodInvalid) as error:
            _report_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Consultation “%(title)s” created.", title=consultation.title), "success")
            return see_other(url_for("admin.show", consultation_id=consultation.id))
    return _render_form(form, status=422)


@bp.get("/<int(max=2147483647):consultation_id>/edit")
def edit(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    zone = _zone()
    form = ConsultationForm(
        formdata=None,
        title=consultation.title,
        slug=consultation.slug,
        summary=consultation.summary,
        organiser=consultation.organiser,
        contact=consultation.contact,
        opens_at=consultations.utc_to_county_time(consultation.opens_at, zone),
        closes_at=consultations.utc_to_county_time(consultation.closes_at, zone),
        easy_read=consultation.easy_read,
        procedure_note=consultation.procedure_note,
        is_sample=consultation.is_sample,
    )
    return _render_form(form, consultation)


@bp.post("/<int(max=2147483647):consultation_id>/edit")
def update(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    form = ConsultationForm()
    if form.validate_on_submit():
        try:
            changed = consultations.update_consultation(
                consultation, _details(form), actor=current_user, now=utcnow()
            )
        except (SlugTaken, InvalidSlug, PeriodInvalid) as error:
            _report_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Changes saved.") if changed else _("Nothing was changed."), "success")
            return see_other(url_for("admin.show", consultation_id=consultation.id))
    return _render_form(form, consultation, status=422)


# --- the dashboard and the phases ------------------------------------------------------------


def _phase_forms(dashboard) -> dict[str, PhaseForm]:
    seen = dashboard.consultation.phase.value
    return {
        target.value: PhaseForm(formdata=None, target=target.value, seen=seen)
        for target in dashboard.phase_changes
    }


def _render_show(consultation_id: int, status: int = 200, problem: str | None = None, form=None):
    dashboard = consultations.dashboard(consultation_id)
    if dashboard is None:
        abort(404)
    phase_forms = _phase_forms(dashboard)
    if form is not None and form.target.data in phase_forms:
        phase_forms[form.target.data] = form
    return render_template(
        "admin/show.html",
        dashboard=dashboard,
        consultation=dashboard.consultation,
        phase_forms=phase_forms,
        confirm_form=ConfirmForm(),
        problem=problem,
        evaluation=Phase.EVALUATION.value,
    ), status


@bp.get("/<int(max=2147483647):consultation_id>/")
def show(consultation_id: int):
    return _render_show(consultation_id)


def _refusal_message(reason: RefusalReason) -> str:
    messages = {
        RefusalReason.NO_PARAGRAPHS: _(
            "The draft has no paragraphs yet. Please import the draft before publishing it."
        ),
        RefusalReason.NO_CLOSING_DATE: _(
            "Please set the end of the period for comments (“Edit details”) before opening "
            "the consultation."
        ),
        RefusalReason.CLOSING_DATE_PASSED: _(
            "The end of the period for comments has passed. Please set a later end "
            "(“Edit details”) before opening the consultation."
        ),
        RefusalReason.ANSWERS_EXIST: _(
            "The administration has started answering the comments, so the consultation "
            "cannot be opened again."
        ),
        RefusalReason.REVISION_STARTED: _(
            "The revised version of the draft has been started, so the consultation cannot "
            "be opened again."
        ),
        RefusalReason.CHANGED_SINCE_SHOWN: _(
            "Someone changed the phase in the meantime. Please check the page and try again."
        ),
    }
    return messages.get(reason, _("This change of phase is not possible."))


@bp.post("/<int(max=2147483647):consultation_id>/phase")
def change_phase(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    form = PhaseForm()
    if not form.validate_on_submit():
        errors = [str(error) for field in form for error in field.errors]
        problem = errors[0] if errors else _("This change of phase is not possible.")
        return _render_show(consultation_id, 422, form=form, problem=problem)
    try:
        left = consultations.change_phase(
            consultation,
            Phase(form.target.data),
            seen=Phase(form.seen.data),
            actor=current_user,
            now=utcnow(),
        )
    except PhaseChangeRefused as refused:
        status = 409 if refused.reason is RefusalReason.CHANGED_SINCE_SHOWN else 422
        return _render_show(consultation_id, status, problem=_refusal_message(refused.reason))
    db.session.commit()
    flash(
        _(
            "The consultation moved from “%(before)s” to “%(after)s”.",
            before=left.label,
            after=consultation.phase.label,
        ),
        "success",
    )
    return see_other(url_for("admin.show", consultation_id=consultation_id))


# --- the revised draft -----------------------------------------------------------------------


@bp.post("/<int(max=2147483647):consultation_id>/revision/start")
def start_revision(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    try:
        started = revisions.start_revision(consultation, actor=current_user, now=utcnow())
    except RevisionNotAllowed:
        return _render_show(
            consultation_id,
            409,
            problem=_("The draft can be revised once the consultation is closed."),
        )
    db.session.commit()
    if started:
        flash(
            _("Version 2 started. The consulted wording is kept for the Synopse."),
            "success",
        )
    return see_other(url_for("admin.revision", consultation_id=consultation_id))


def _paragraph_form(paragraph, from_request: bool = False) -> ParagraphTextForm:
    if from_request:
        return ParagraphTextForm(prefix=f"p{paragraph.id}")
    return ParagraphTextForm(
        prefix=f"p{paragraph.id}",
        formdata=None,
        data={"title": paragraph.title, "text": paragraph.text},
    )


def _new_paragraph_form(section_id: int, from_request: bool = False) -> ParagraphTextForm:
    if from_request:
        return ParagraphTextForm(prefix=f"new{section_id}")
    return ParagraphTextForm(prefix=f"new{section_id}", formdata=None)


def _chapter_forms(chapters, forms=None, new_forms=None):
    all_forms = {
        item.paragraph.id: _paragraph_form(item.paragraph)
        for chapter in chapters
        for item in chapter.paragraphs
    }
    all_new = {chapter.section.id: _new_paragraph_form(chapter.section.id) for chapter in chapters}
    # Forms sent back with errors replace the fresh ones.
    all_forms.update({key: form for key, form in (forms or {}).items() if form is not None})
    all_new.update({key: form for key, form in (new_forms or {}).items() if form is not None})
    return all_forms, all_new


def _render_revision(consultation, status: int = 200, forms=None, new_forms=None):
    page = None
    paragraph_forms, new_paragraph_forms = {}, {}
    if consultation.draft_version > 1:
        page = revisions.revision_page(consultation)
        paragraph_forms, new_paragraph_forms = _chapter_forms(page.chapters, forms, new_forms)
    return render_template(
        "admin/revision.html",
        consultation=consultation,
        page=page,
        forms=paragraph_forms,
        new_forms=new_paragraph_forms,
        can_start=consultation.phase is consultations.REVISION_START_PHASE,
        confirm_form=ConfirmForm(),
    ), status


@bp.get("/<int(max=2147483647):consultation_id>/revision")
def revision(consultation_id: int):
    return _render_revision(_consultation_or_404(consultation_id))


def _revision_url(consultation_id: int, anchor: str | None = None) -> str:
    return url_for("admin.revision", consultation_id=consultation_id, _anchor=anchor)


def _paragraph_or_404(consultation_id: int, paragraph_id: int):
    paragraph = revisions.paragraph_in(consultation_id, paragraph_id)
    if paragraph is None:
        abort(404)
    return paragraph


def _not_revising(consultation_id: int):
    flash(_("Please start the revised version first."), "warning")
    if is_htmx():
        # A fragment cannot show the page's state; send the browser to the page itself.
        response = current_app.response_class(status=409)
        response.headers["HX-Redirect"] = _revision_url(consultation_id)
        return response
    return see_other(_revision_url(consultation_id))


def _paragraph_answer(
    paragraph, status: int = 200, form=None, message: str | None = None, problem=None
):
    """After a change to one paragraph: its part of the page (HTMX) or the page at it."""
    if is_htmx():
        return render_template(
            "admin/_revision_paragraph.html",
            consultation=paragraph.consultation,
            item=revisions.revision_paragraph(paragraph),
            form=form or _paragraph_form(paragraph),
            confirm_form=ConfirmForm(),
            message=message,
            problem=problem,
        ), status
    if status >= 400:
        if problem:
            flash(problem, "warning")
        return _render_revision(paragraph.consultation, status, forms={paragraph.id: form})
    flash(message, "success")
    return see_other(_revision_url(paragraph.consultation_id, paragraph.anchor))


@bp.post(
    "/<int(max=2147483647):consultation_id>/revision/paragraphs/<int(max=2147483647):paragraph_id>"
)
def revise(consultation_id: int, paragraph_id: int):
    paragraph = _paragraph_or_404(consultation_id, paragraph_id)
    form = _paragraph_form(paragraph, from_request=True)
    if not form.validate_on_submit():
        return _paragraph_answer(paragraph, 422, form=form)
    try:
        changed = revisions.revise_paragraph(
            paragraph,
            title=form.title.data or "",
            text=form.text.data or "",
            actor=current_user,
            now=utcnow(),
        )
    except NotRevising:
        return _not_revising(consultation_id)
    except ParagraphDropped:
        return _paragraph_answer(
            paragraph,
            409,
            form=form,
            problem=_("This paragraph is dropped. Restore it before editing it."),
        )
    db.session.commit()
    if changed:
        message = _("Paragraph %(number)s saved.", number=paragraph.number)
    else:
        message = _("Paragraph %(number)s: nothing was changed.", number=paragraph.number)
    return _paragraph_answer(paragraph, message=message)


@bp.post(
    "/<int(max=2147483647):consultation_id>/revision/paragraphs/<int(max=2147483647):paragraph_id>/drop"
)
def drop_paragraph(consultation_id: int, paragraph_id: int):
    return _mark_paragraph(
        consultation_id,
        paragraph_id,
        revisions.drop_paragraph,
        lambda paragraph: _(
            "Paragraph %(number)s is dropped in version 2. Its comments stay attached.",
            number=paragraph.number,
        ),
    )


@bp.post(
    "/<int(max=2147483647):consultation_id>/revision/paragraphs/<int(max=2147483647):paragraph_id>/restore"
)
def restore_paragraph(consultation_id: int, paragraph_id: int):
    return _mark_paragraph(
        consultation_id,
        paragraph_id,
        revisions.restore_paragraph,
        lambda paragraph: _(
            "Paragraph %(number)s is part of version 2 again.", number=paragraph.number
        ),
    )


def _mark_paragraph(consultation_id: int, paragraph_id: int, mark, message):
    """Drop or restore a paragraph of version 2: `mark` is the service, `message(paragraph)`
    what to tell the user."""
    paragraph = _paragraph_or_404(consultation_id, paragraph_id)
    try:
        mark(paragraph, actor=current_user, now=utcnow())
    except NotRevising:
        return _not_revising(consultation_id)
    db.session.commit()
    return _paragraph_answer(paragraph, message=message(paragraph))


@bp.post(
    "/<int(max=2147483647):consultation_id>/revision/chapters/<int(max=2147483647):section_id>/paragraphs"
)
def add_paragraph(consultation_id: int, section_id: int):
    section = revisions.section_in(consultation_id, section_id)
    if section is None:
        abort(404)
    form = _new_paragraph_form(section_id, from_request=True)
    if not form.validate_on_submit():
        return _chapter_answer(section, 422, new_form=form)
    try:
        paragraph = revisions.add_paragraph(
            section,
            title=form.title.data or "",
            text=form.text.data or "",
            actor=current_user,
            now=utcnow(),
        )
    except NotRevising:
        return _not_revising(consultation_id)
    db.session.commit()
    message = _(
        "Paragraph %(number)s added to chapter %(chapter)s.",
        number=paragraph.number,
        chapter=section.number,
    )
    if is_htmx():
        return _chapter_answer(section, message=message)
    flash(message, "success")
    return see_other(_revision_url(consultation_id, paragraph.anchor))


def _chapter_answer(section, status: int = 200, new_form=None, message: str | None = None):
    consultation = section.consultation
    if not is_htmx():
        return _render_revision(consultation, status, new_forms={section.id: new_form})
    page = revisions.revision_page(consultation, section_id=section.id)
    forms, new_forms = _chapter_forms(page.chapters, new_forms={section.id: new_form})
    return render_template(
        "admin/_revision_chapter.html",
        consultation=consultation,
        chapter=page.chapters[0],
        forms=forms,
        new_forms=new_forms,
        confirm_form=ConfirmForm(),
        message=message,
    ), status

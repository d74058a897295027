"""The administration's glossary: list and search the terms, add, edit and delete them."""

from flask import Blueprint, abort, current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult import permissions
from consult.extensions import db
from consult.forms.confirm import ConfirmForm
from consult.forms.glossary import explanation_field, name_field, term_form_class
from consult.models.types import utcnow
from consult.services import glossary
from consult.services.glossary import SOURCE_LANGUAGE, ExplanationText, InvalidTerm, TermDetails
from consult.web.guards import restrict_to
from consult.web.htmx import is_htmx, page_or_fragment, see_other

bp = Blueprint("glossary_admin", __name__, url_prefix="/<lang:lang>/admin/glossary")

SEARCH_MAX_LENGTH = 200


restrict_to(bp, permissions.can_manage_consultations)


def _languages() -> tuple[str, ...]:
    """German first (terms are German, and every reader falls back to it), then the other
    enabled languages."""
    enabled = current_app.config["LANGUAGES"]
    return (SOURCE_LANGUAGE, *(code for code in enabled if code != SOURCE_LANGUAGE))


def _term_or_404(term_id: int):
    term = glossary.term_by_id(term_id)
    if term is None:
        abort(404)
    return term


# --- the list ----------------------------------------------------------------------------------


@bp.get("/")
def index():
    search = request.args.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    return page_or_fragment(
        "glossary_admin/index.html",
        "glossary_admin/_list.html",
        rows=glossary.admin_list(search),
        search=search,
        term_languages=_languages(),
    )


# --- adding and editing ------------------------------------------------------------------------


def _form(term=None, from_request: bool = False):
    form_class = term_form_class(_languages())
    if from_request:
        return form_class()
    if term is None:
        return form_class(formdata=None)
    details = glossary.details_of(term)
    data = {"term": details.term, "variants": "\n".join(details.variants)}
    for language, text in details.explanations.items():
        data[name_field(language)] = text.name
        data[explanation_field(language)] = text.explanation
    return form_class(formdata=None, data=data)


def _details(form) -> TermDetails:
    return TermDetails(
        term=form.term.data or "",
        variants=glossary.variants_from_text(form.variants.data),
        explanations={
            language: ExplanationText(
                form[name_field(language)].data or "",
                form[explanation_field(language)].data or "",
            )
            for language in _languages()
        },
    )


def _problem_message(problem: glossary.Problem) -> str:
    params = problem.params
    if problem.code == glossary.REQUIRED:
        if problem.field == "term":
            return _("Please enter the term.")
        return _("Please write the German explanation: readers of every language fall back to it.")
    if problem.code == glossary.TOO_LONG:
        if "variant" in params:
            return _(
                "“%(variant)s” is longer than %(max)d characters.",
                variant=params["variant"],
                max=params["max"],
            )
        return _("At most %(max)d characters, please.", max=params["max"])
    if problem.code == glossary.TOO_MANY:
        return _("At most %(max)d other forms, please.", max=params["max"])
    if problem.code == glossary.TERM_TAKEN:
        return _("The glossary has this term already (“%(term)s”).", term=params["term"])
    if problem.code == glossary.FORM_TAKEN:
        return _(
            "“%(variant)s” already belongs to the term “%(term)s”.",
            variant=params["variant"],
            term=params["term"],
        )
    if problem.code == glossary.NAME_WITHOUT_EXPLANATION:
        return _("Please write the explanation too, or leave the name empty.")
    return _("This language is not offered.")


def _report(form, refused: InvalidTerm) -> None:
    for problem in refused.problems:
        kind, _sep, language = problem.field.partition(":")
        name = {"name": name_field, "explanation": explanation_field}.get(kind)
        field = form._fields.get(name(language) if name else kind)
        if field is None:
            form.form_errors.append(_problem_message(problem))
        else:
            field.errors.append(_problem_message(problem))


def _render_form(form, term=None, status: int = 200):
    return page_or_fragment(
        "glossary_admin/form.html",
        "glossary_admin/_form.html",
        status=status,
        form=form,
        term=term,
        term_languages=_languages(),
    )


def _done(message: str):
    flash(message, "success")
    target = url_for("glossary_admin.index")
    if is_htmx():
        # The list with the message, not a fragment of the form.
        response = current_app.response_class(status=200)
        response.headers["HX-Redirect"] = target
        return response
    return see_other(target)


@bp.get("/new")
def new():
    return _render_form(_form())


@bp.post("/")
def create():
    form = _form(from_request=True)
    if form.validate_on_submit():
        try:
            term = glossary.create_term(
                _details(form), languages=_languages(), actor=current_user, now=utcnow()
            )
        except InvalidTerm as refused:
            _report(form, refused)
        else:
            db.session.commit()
            return _done(_("“%(term)s” added to the glossary.", term=term.term))
    return _render_form(form, status=422)


@bp.get("/<int(max=2147483647):term_id>/edit")
def edit(term_id: int):
    term = _term_or_404(term_id)
    return _render_form(_form(term), term)


@bp.post("/<int(max=2147483647):term_id>/edit")
def update(term_id: int):
    term = _term_or_404(term_id)
    form = _form(from_request=True)
    if form.validate_on_submit():
        try:
            changed = glossary.update_term(
                term, _details(form), languages=_languages(), actor=current_user, now=utcnow()
            )
        except InvalidTerm as refused:
            _report(form, refused)
        else:
            db.session.commit()
            if changed:
                return _done(_("Changes to “%(term)s” saved.", term=term.term))
            return _done(_("Nothing was changed."))
    return _render_form(form, term, status=422)


# --- deleting ----------------------------------------------------------------------------------


@bp.get("/<int(max=2147483647):term_id>/delete")
def confirm_delete(term_id: int):
    return render_template(
        "glossary_admin/delete.html", term=_term_or_404(term_id), form=ConfirmForm()
    )


@bp.post("/<int(max=2147483647):term_id>/delete")
def delete(term_id: int):
    term = _term_or_404(term_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    name = term.term
    glossary.delete_term(term, actor=current_user, now=utcnow())
    db.session.commit()
    return _done(_("“%(term)s” deleted from the glossary.", term=name))

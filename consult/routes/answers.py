"""The answers workspace (Abwägung) and the publication of the results."""

import dataclasses

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from consult import permissions
from consult.extensions import db
from consult.forms.answers import AnswerForm, ChapterSummaryForm, PublishForm, ShareForm
from consult.forms.confirm import ConfirmForm
from consult.models import Recommendation, StakeholderGroup
from consult.models.types import utcnow
from consult.services import publication, responses
from consult.services.responses import (
    AnswerChanged,
    AnswersWouldBeLost,
    NoSuchChapter,
    NotAnswerable,
    NotShared,
)
from consult.web.guards import restrict_to
from consult.web.htmx import is_htmx, see_other
from consult.web.mail import public_url, render_message, send_batch
from consult.web.templating import number

bp = Blueprint("answers", __name__, url_prefix="/<lang:lang>/admin/consultations")

# SQLite cannot even compare an id beyond 64 bits: a huge one is a 404, never a 500.
_CONSULTATION = "<int(max=2147483647):consultation_id>"
_COMMENT = "<int(max=2147483647):comment_id>"
_SECTION = "<int(max=2147483647):section_id>"
# Notices are sent this many at a time, each batch recorded and committed before the next, so
# a worker stopped midway loses at most one batch's record (and "Send the missing notices"
# picks up the rest).
NOTICE_BATCH = 50


restrict_to(bp, permissions.can_answer)


def _consultation(consultation_id: int):
    consultation = responses.load_consultation(consultation_id)
    if consultation is None:
        abort(404)
    return consultation


def current_filters() -> responses.WorkspaceFilters:
    return responses.WorkspaceFilters.from_args(request.args)


def answer_form(item: responses.WorkspaceItem) -> AnswerForm:
    # Each item's fields carry its id, so the many forms of a chapter never share ids.
    answer = item.answer
    return AnswerForm(
        prefix=f"a{item.comment.id}",
        formdata=None,
        data={
            "text": answer.text if answer else "",
            "recommendation": answer.recommendation.value
            if answer and answer.recommendation
            else None,
            "change_text": answer.change_text if answer else "",
            "version": answer.version if answer else 0,
        },
    )


def workspace_url(consultation_id: int, filters: responses.WorkspaceFilters, comment_id=None):
    anchor = f"answer-item-{comment_id}" if comment_id else None
    return url_for(
        "answers.workspace", consultation_id=consultation_id, _anchor=anchor, **filters.as_args()
    )


def summary_form(section) -> ChapterSummaryForm:
    return ChapterSummaryForm(
        prefix="summary", formdata=None, data={"results_summary": section.results_summary}
    )


def render_workspace(
    consultation,
    *,
    filters: responses.WorkspaceFilters | None = None,
    forms: dict | None = None,
    conflicts: frozenset = frozenset(),
    share_form: ShareForm | None = None,
    chapter_form: ChapterSummaryForm | None = None,
    must_show: int | None = None,
    status: int = 200,
):
    page = responses.workspace_page(consultation, filters or current_filters())
    if must_show is not None and all(item.comment.id != must_show for item in page.items):
        # Beyond the first page of a long chapter: the page shows just that comment.
        page = dataclasses.replace(
            page, items=responses.workspace_items(consultation.id, [must_show]), has_more=False
        )
    all_forms = {item.comment.id: answer_form(item) for item in page.items}
    all_forms.update(forms or {})
    section = page.chapter.section if page.chapter else None
    share_form = share_form or ShareForm(formdata=None)
    return render_template(
        "answers/workspace.html",
        page=page,
        consultation=consultation,
        overview=page.overview,
        filters=page.filters,
        kept_args=page.filters.as_args(),
        forms=all_forms,
        conflicts=conflicts,
        share_form=share_form,
        selected=frozenset(share_form.selected.data or ()),
        section=section,
        # The whole draft is no chapter: it has no main points of its own.
        chapter_form=(chapter_form or summary_form(section)) if section else None,
        recommendations=list(Recommendation),
        groups=list(StakeholderGroup),
        can_publish=publication.can_publish(consultation),
    ), status


@bp.get(f"/{_CONSULTATION}/answers")
def workspace(consultation_id: int):
    return render_workspace(_consultation(consultation_id))


def _render_changed(consultation, comment_id: int, comment_ids, message: str):
    """After a change: the item itself, and out of band every other item it concerns (those
    sharing the answer) and the progress figures."""
    items = responses.workspace_items(consultation.id, comment_ids)
    filters = current_filters()
    return render_template(
        "answers/_changed.html",
        items=items,
        changed_id=comment_id,
        forms={item.comment.id: answer_form(item) for item in items},
        message=message,
        overview=responses.overview(consultation),
        filters=filters,
        kept_args=filters.as_args(),
        consultation=consultation,
    )


def _show_again(consultation, comment_id: int, form: AnswerForm, status: int, conflict=False):
    items = responses.workspace_items(consultation.id, [comment_id])
    if not items:
        abort(404)
    item = items[0]
    if is_htmx():
        return render_template(
            "answers/_item.html",
            item=item,
            form=form,
            conflict=conflict,
            kept_args=current_filters().as_args(),
        ), status
    # The whole page, at the chapter of the item, so that its form, errors and the typed text
    # are on it. The other filters go: a colleague's answer may have taken the item out of
    # "not yet answered" or out of the recommendation chosen, and an offset may skip it.
    filters = responses.WorkspaceFilters(chapter=item.comment.section_id or responses.WHOLE_DRAFT)
    return render_workspace(
        consultation,
        filters=filters,
        forms={comment_id: form},
        conflicts=frozenset({comment_id}) if conflict else frozenset(),
        must_show=comment_id,
        status=status,
    )


@bp.post(f"/{_CONSULTATION}/answers/{_COMMENT}")
def save(consultation_id: int, comment_id: int):
    consultation = _consultation(consultation_id)
    form = AnswerForm(prefix=f"a{comment_id}")
    if not form.validate_on_submit():
        return _show_again(consultation, comment_id, form, 422)
    try:
        answer = responses.save_answer(
            consultation.id,
            comment_id,
            actor=current_user,
            text=form.text.data or "",
            recommendation=form.chosen,
            change_text=form.change_text.data or "",
            seen_version=form.version.data,
            now=utcnow(),
        )
    except NotAnswerable:
        abort(404)
    except AnswerChanged as conflict:
        # Nothing was written. The colleague's answer is shown; the form keeps this person's
        # text and now carries the colleague's version, so saving again replaces it knowingly.
        form.form_errors.append(
            _(
                "A colleague saved an answer to this comment while you were writing. Their "
                "answer is shown above; your text is still in the form. Save again to replace "
                "their answer with yours."
            )
        )
        current_version = conflict.current.version if conflict.current else 0
        form.version.data, form.version.raw_data = current_version, [str(current_version)]
        return _show_again(consultation, comment_id, form, 409, conflict=True)
    holders = responses.holders_of(answer.id)
    db.session.commit()
    message = _("Answer saved.")
    if is_htmx():
        return _render_changed(consultation, comment_id, holders, message)
    flash(message, "success")
    return see_other(workspace_url(consultation.id, current_filters(), comment_id))


@bp.post(f"/{_CONSULTATION}/answers/share")
def share(consultation_id: int):
    consultation = _consultation(consultation_id)
    form = ShareForm()
    if not form.validate_on_submit():
        return render_workspace(consultation, share_form=form, status=422)
    try:
        answer = responses.share_answer(
            consultation.id,
            form.selected.data,
            actor=current_user,
            now=utcnow(),
            replace_answers=bool(form.replace_answers.data),
        )
    except NotAnswerable:
        form.selected.errors.append(
            _("Only published comments of this consultation can share an answer.")
        )
        return render_workspace(consultation, share_form=form, status=422)
    except AnswersWouldBeLost as lost:
        form.replace_answers.errors.append(
            _(
                "%(comments)s already have different answers. Sharing one answer keeps the "
                "answer of %(kept)s and deletes the others. To do so, tick “Replace their "
                "current answers with one shared answer” and select “Answer these together” "
                "again.",
                comments=", ".join(_comment_name(*holder) for holder in lost.holders),
                kept=_comment_name(*lost.kept),
            )
        )
        return render_workspace(consultation, share_form=form, status=422)
    holders = responses.holders_of(answer.id)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d comment now shares one answer.",
            "%(num)d comments now share one answer.",
            len(holders),
        ),
        "success",
    )
    return see_other(workspace_url(consultation.id, current_filters(), holders[0]))


def _comment_name(comment_id: int, reference: str | None) -> str:
    return reference or _("comment %(id)d", id=comment_id)


@bp.post(f"/{_CONSULTATION}/answers/{_COMMENT}/separate")
def separate(consultation_id: int, comment_id: int):
    consultation = _consultation(consultation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    # The comments it shared with show the change too.
    before = responses.workspace_items(consultation.id, [comment_id])
    shared_by = [comment for comment, _reference in before[0].shared_with] if before else []
    try:
        responses.answer_separately(consultation.id, comment_id, actor=current_user, now=utcnow())
    except NotAnswerable:
        abort(404)
    except NotShared:
        # Already separate (perhaps a colleague did it): show the item as it is.
        pass
    db.session.commit()
    message = _("This comment now has an answer of its own.")
    if is_htmx():
        return _render_changed(consultation, comment_id, [comment_id, *shared_by], message)
    flash(message, "success")
    return see_other(workspace_url(consultation.id, current_filters(), comment_id))


# --- the main points of a chapter ---------------------------------------------------------


def _render_chapter_summary(consultation, section, form, status=200, announce=None):
    return render_template(
        "answers/_chapter_summary.html",
        consultation=consultation,
        section=section,
        chapter_form=form,
        kept_args=current_filters().as_args(),
        announce=announce,
    ), status


@bp.post(f"/{_CONSULTATION}/answers/chapters/{_SECTION}/summary")
def save_chapter_summary(consultation_id: int, section_id: int):
    consultation = _consultation(consultation_id)
    section = responses.load_chapter(consultation.id, section_id)
    if section is None:
        abort(404)
    form = ChapterSummaryForm(prefix="summary")
    filters = dataclasses.replace(current_filters(), chapter=section.id)
    if not form.validate_on_submit():
        if is_htmx():
            return _render_chapter_summary(consultation, section, form, 422)
        return render_workspace(consultation, filters=filters, chapter_form=form, status=422)
    try:
        responses.save_chapter_summary(
            consultation.id,
            section.id,
            form.results_summary.data or "",
            actor=current_user,
            now=utcnow(),
        )
    except NoSuchChapter:
        abort(404)
    db.session.commit()
    message = _("Saved.")
    if is_htmx():
        return _render_chapter_summary(
            consultation, section, summary_form(section), announce=message
        )
    flash(message, "success")
    return see_other(
        url_for(
            "answers.workspace",
            consultation_id=consultation.id,
            _anchor="chapter-summary",
            **filters.as_args(),
        )
    )


# --- publishing the results --------------------------------------------------------------


def _require_manager():
    if not permissions.can_manage_consultations(current_user):
        abort(403)


def render_publish(consultation, form: PublishForm, status: int = 200, problem: str = ""):
    can_send = publication.can_send_notices(consultation)
    return render_template(
        "answers/publish.html",
        consultation=consultation,
        progress=responses.overview(consultation).total,
        form=form,
        can_publish=publication.can_publish(consultation),
        notices=publication.notice_counts(consultation.id) if can_send else None,
        can_send_notices=can_send,
        problem=problem,
    ), status


@bp.get(f"/{_CONSULTATION}/publish-results")
def confirm_publish(consultation_id: int):
    _require_manager()
    return render_publish(_consultation(consultation_id), PublishForm(formdata=None))


@bp.post(f"/{_CONSULTATION}/publish-results")
def publish(consultation_id: int):
    _require_manager()
    consultation = _consultation(consultation_id)
    form = PublishForm()
    if not form.validate_on_submit():
        return render_publish(consultation, form, 422)
    try:
        publication.publish_results(
            consultation,
            actor=current_user,
            now=utcnow(),
            accept_unanswered=bool(form.accept_unanswered.data),
        )
    except publication.NotInEvaluation:
        return render_publish(
            consultation,
            form,
            409,
            problem=_(
                "The results can only be published while the consultation is closed and being "
                "evaluated."
            ),
        )
    except publication.UnansweredComments as unanswered:
        form.accept_unanswered.errors.append(
            ngettext(
                "%(num)s comment has no complete answer. Tick the box to publish anyway.",
                "%(num)s comments have no complete answer. Tick the box to publish anyway.",
                number(unanswered.count),
            )
        )
        return render_publish(consultation, form, 422)
    db.session.commit()
    flash(_("The results are published."), "success")
    _tell_participants(consultation)
    return see_other(url_for("admin.show", consultation_id=consultation.id))


@bp.post(f"/{_CONSULTATION}/publish-results/notices")
def send_notices(consultation_id: int):
    """The notices still missing: those that failed, or that a stopped worker never sent."""
    _require_manager()
    consultation = _consultation(consultation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not publication.can_send_notices(consultation):
        return render_publish(
            consultation,
            PublishForm(formdata=None),
            409,
            problem=_("Participants are told once the results are published."),
        )
    _tell_participants(consultation)
    return see_other(url_for("answers.confirm_publish", consultation_id=consultation.id))


def _tell_participants(consultation) -> None:
    """After the publication's commit: an e-mail to everyone not yet told, in their language,
    in batches over one mail-server connection each. Every delivered notice is recorded with
    its batch, so nobody is told twice and a failure never undoes the publication."""
    languages = current_app.config["LANGUAGES"]
    sent = failed = 0
    after = 0
    while batch := publication.participants_to_tell(
        consultation.id, after=after, limit=NOTICE_BATCH
    ):
        messages = []
        for notice in batch:
            language = notice.language if notice.language in languages else languages[0]
            with force_locale(language):
                messages.append(
                    render_message(
                        notice.email,
                        "results_published",
                        consultation=consultation,
                        results_link=public_url(
                            "results.overview", lang=language, slug=consultation.slug
                        ),
                        document_link=public_url(
                            "public.document", lang=language, slug=consultation.slug
                        ),
                    )
                )
        delivered = send_batch(messages)
        told = [notice.participant_id for notice, ok in zip(batch, delivered, strict=True) if ok]
        publication.record_notices(consultation.id, told, now=utcnow())
        db.session.commit()
        sent += len(told)
        failed += len(batch) - len(told)
        after = batch[-1].participant_id
        if not told:
            # The mail server is unreachable or refuses everything: trying the next batches
            # would only keep the admin waiting. "Send the missing notices" retries later.
            break
    if not sent and not failed:
        counts = publication.notice_counts(consultation.id)
    else:
        counts = publication.record_notification(
            consultation, actor=current_user, sent=sent, failed=failed, now=utcnow()
        )
        db.session.commit()
    if counts.total:
        flash(_told(counts), "warning" if counts.missing else "success")
    if failed:
        flash(
            ngettext(
                "%(num)s e-mail could not be sent.",
                "%(num)s e-mails could not be sent.",
                number(failed),
            ),
            "warning",
        )


def _told(counts: publication.NoticeCounts) -> str:
    return ngettext(
        "%(told)s of %(num)s participant with an e-mail address has been told.",
        "%(told)s of %(num)s participants with an e-mail address have been told.",
        number(counts.total),
        told=number(counts.told),
    )

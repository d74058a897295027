"""The public results of a consultation: figures, charts and the answers."""

from flask import Blueprint, abort, render_template
from flask_babel import get_locale
from flask_login import current_user

from consult import charts, permissions
from consult.i18n import LANGUAGES
from consult.models import Phase
from consult.services import results, targets

bp = Blueprint("results", __name__, url_prefix="/<lang:lang>")


def _right_to_left() -> bool:
    language = LANGUAGES.get(str(get_locale()))
    return language is not None and language.direction == "rtl"


def _bar_chart(entries, rtl: bool) -> charts.BarChart:
    return charts.bar_chart([(item.value, item.label, count) for item, count in entries], rtl)


def _is_preview(consultation) -> bool:
    # Staff may look at the results before they are published, and must see that they do.
    return consultation.phase is not Phase.RESULTS


@bp.get("/c/<slug>/results")
def overview(slug: str):
    consultation = results.consultation_with_draft(slug)
    if consultation is None or not permissions.can_view_results(current_user, consultation):
        abort(404)
    page = results.results_overview(consultation)
    rtl = _right_to_left()
    return render_template(
        "results/overview.html",
        page=page,
        consultation=consultation,
        preview=_is_preview(consultation),
        group_chart=_bar_chart(page.figures.by_group, rtl),
        kind_chart=_bar_chart(page.figures.by_kind, rtl),
    )


@bp.get("/c/<slug>/results/chapter/<int(max=2147483647):number>")
def chapter(slug: str, number: int):
    section = results.chapter_with_draft(slug, number)
    if section is None or not permissions.can_view_results(current_user, section.consultation):
        abort(404)
    return _chapter_page(section.consultation, section)


@bp.get("/c/<slug>/results/draft")
def whole_draft(slug: str):
    """The comments on the draft as a whole, which belong to no chapter."""
    target = targets.find_target(slug)
    if target is None or not permissions.can_view_results(current_user, target.consultation):
        abort(404)
    return _chapter_page(target.consultation, None)


def _chapter_page(consultation, section):
    return render_template(
        "results/chapter.html",
        page=results.chapter_page(consultation, section),
        consultation=consultation,
        preview=_is_preview(consultation),
    )

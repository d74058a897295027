"""The audit log for the administration: who did what and when, filtered, paged and exported."""

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    request,
    stream_with_context,
)
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from consult import permissions
from consult.extensions import db
from consult.forms.audit import SYSTEM, AuditFilterForm, action_label, subject_label
from consult.models.types import utcnow
from consult.services import audit
from consult.web.guards import restrict_to

bp = Blueprint("audit", __name__, url_prefix="/<lang:lang>/admin/audit")

# The query parameters a filtered view keeps in its "newer", "older" and export links.
FILTER_FIELDS = ("actor", "action", "subject_type", "date_from", "date_to")


restrict_to(bp, permissions.can_view_audit_log)


def _filter_form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    form.set_choices(audit.filter_options())
    return form


def _filters(form: AuditFilterForm) -> audit.AuditFilters:
    actor = form.actor.data or ""
    return audit.AuditFilters(
        timezone=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]),
        actor_id=int(actor) if actor.isascii() and actor.isdigit() and len(actor) < 10 else None,
        without_actor=actor == SYSTEM,
        action=form.action.data or None,
        subject_type=form.subject_type.data or None,
        date_from=form.date_from.data,
        date_to=form.date_to.data,
    )


def _filter_args() -> dict[str, str]:
    """The filters as they arrived, for links that keep them."""
    return {name: request.args[name] for name in FILTER_FIELDS if request.args.get(name)}


_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})")


def detail_items(details: dict) -> list[tuple[str, str]]:
    """An event's details as readable pairs, in a stable order."""

    def readable(value) -> str:
        if value is None:
            return "—"
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, list):
            return ", ".join(readable(item) for item in value) or "—"
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False, sort_keys=True)
        if isinstance(value, str) and _ISO_MOMENT.fullmatch(value):
            # Stored as ISO 8601 in UTC; read in the reader's locale and the county's zone.
            return format_datetime(datetime.fromisoformat(value), "medium")
        return str(value)

    return [(key, readable(value)) for key, value in sorted((details or {}).items())]


def _render(form: AuditFilterForm, page: audit.AuditPage | None, status: int = 200):
    return (
        render_template(
            "audit/index.html",
            form=form,
            page=page,
            filter_args=_filter_args() if page is not None else {},
            paged=bool(form.older_than.data or form.newer_than.data),
            action_label=action_label,
            subject_label=subject_label,
            detail_items=detail_items,
        ),
        status,
    )


@bp.get("/")
def index():
    form = _filter_form()
    if not form.validate():
        return _render(form, None, 422)
    page = audit.audit_page(
        _filters(form), older_than=form.older_than.data, newer_than=form.newer_than.data
    )
    return _render(form, page)


@bp.get("/export.csv")
def export():
    form = _filter_form()
    if not form.validate():
        return _render(form, None, 422)
    filters = _filters(form)
    now = utcnow()
    audit.record_export(current_user, filters, now=now)
    db.session.commit()
    response = Response(
        stream_with_context(audit.csv_chunks(audit.export_rows(filters))),
        mimetype="text/csv",
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="audit-log-{format_date(now, "yyyy-MM-dd")}.csv"'
    )
    return response

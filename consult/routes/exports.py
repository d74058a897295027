"""Downloads of the Abwägungstabelle: DOCX, XLSX, CSV, JSON."""

import re

from flask import Blueprint, Response, abort, current_app, render_template
from flask_babel import format_date
from flask_login import current_user

from consult import permissions
from consult.extensions import db
from consult.models import Consultation
from consult.models.types import utcnow
from consult.services import exports
from consult.services.exports.vocabulary import current_vocabulary
from consult.web.guards import restrict_to

bp = Blueprint("exports", __name__, url_prefix="/<lang:lang>/admin/consultations")

# What the page promises: the slowest format (Word) for the largest consultations we measured
# (10,000 comments, see docs/exports.md), with room to spare on a busy server.
WAIT_SECONDS = 10
# The PDF report lays out at most CONSULT_REPORT_PDF_ANNEX_ROWS table rows, about 20 s.
PDF_WAIT_SECONDS = 30


restrict_to(bp, permissions.can_export)


@bp.get("/<int(max=2147483647):consultation_id>/exports")
def index(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    return render_template(
        "exports/index.html",
        consultation=consultation,
        overview=exports.export_overview(consultation_id),
        formats=list(exports.FORMATS),
        wait_seconds=WAIT_SECONDS,
        pdf_wait_seconds=PDF_WAIT_SECONDS,
        pdf_annex_rows=current_app.config["CONSULT_REPORT_PDF_ANNEX_ROWS"],
    )


@bp.get("/<int(max=2147483647):consultation_id>/exports/abwaegungstabelle.<file_format>")
def download(consultation_id: int, file_format: str):
    export_format = exports.FORMATS.get(file_format)
    if export_format is None:
        abort(404)
    consultation = db.get_or_404(Consultation, consultation_id)
    now = utcnow()
    summary = exports.summary_for_export(
        consultation, actor=current_user, file_format=file_format, now=now
    )
    db.session.commit()
    response = Response(
        export_format.write(summary, current_vocabulary()), mimetype=export_format.mimetype
    )
    slug = re.sub(r"[^A-Za-z0-9-]", "-", summary.slug)
    filename = f"abwaegungstabelle-{slug}-{format_date(now, 'yyyy-MM-dd')}"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{filename}.{export_format.extension}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response

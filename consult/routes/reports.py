"""The participation report for the Kreistag (Beteiligungsbericht) as PDF and DOCX, and as a
page for a quick look in the browser."""

import re
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult import permissions
from consult.extensions import db
from consult.models import Consultation
from consult.models.types import utcnow
from consult.services import exports
from consult.services.exports.vocabulary import current_vocabulary
from consult.services.reports import docx_report, pdf
from consult.services.reports.content import annex_batches, build_report

bp = Blueprint("reports", __name__, url_prefix="/<lang:lang>/admin/consultations")

MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}
TEMPLATE = "reports/report.html"


@bp.get("/<int(max=2147483647):consultation_id>/report.<any(pdf,docx,html):file_format>")
@login_required
def download(consultation_id: int, file_format: str):
    if not permissions.can_export(current_user):
        abort(403)
    consultation = db.get_or_404(Consultation, consultation_id)
    # The look in the browser is audited too: it shows everything the files hold.
    summary = exports.summary_for_export(
        consultation, actor=current_user, file_format=f"report-{file_format}", now=utcnow()
    )
    db.session.commit()
    report = build_report(summary, current_vocabulary(), _)
    if file_format == "html":
        body = render_template(
            TEMPLATE,
            report=report,
            include_front=True,
            annex=annex_batches(report)[0],
            stylesheet_url=url_for("static", filename="css/report.css"),
        )
    elif file_format == "pdf":
        body = pdf.write(
            report,
            lambda **parts: render_template(TEMPLATE, report=report, **parts),
            Path(current_app.static_folder) / "css" / "report.css",
            annex_row_limit=current_app.config["CONSULT_REPORT_PDF_ANNEX_ROWS"],
        )
    else:
        body = docx_report.write(report)
    response = Response(body, mimetype=MIMETYPES[file_format])
    disposition = "inline" if file_format == "html" else "attachment"
    slug = re.sub(r"[^A-Za-z0-9-]", "-", summary.slug)
    # The date in the county's time zone, as on the title page.
    day = format_date(summary.generated_at, "yyyy-MM-dd")
    response.headers["Content-Disposition"] = (
        f'{disposition}; filename="beteiligungsbericht-{slug}-{day}.{file_format}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response

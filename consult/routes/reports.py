"""The participation report for the Kreistag (Beteiligungsbericht) as DOCX and PDF."""

from flask import Blueprint, abort

bp = Blueprint("reports", __name__, url_prefix="/<lang:lang>/admin/consultations")


@bp.get("/<int:consultation_id>/report.<any(pdf,docx,html):file_format>")
def download(consultation_id: int, file_format: str):
    abort(404)

"""Downloads of the Abwägungstabelle: DOCX, XLSX, CSV, JSON."""

from flask import Blueprint, abort

bp = Blueprint("exports", __name__, url_prefix="/<lang:lang>/admin/consultations")


@bp.get("/<int:consultation_id>/exports")
def index(consultation_id: int):
    abort(404)

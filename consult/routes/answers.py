"""The answers workspace (Abwägung) and the publication of the results."""

from flask import Blueprint, abort

bp = Blueprint("answers", __name__, url_prefix="/<lang:lang>/admin/consultations")


@bp.get("/<int:consultation_id>/answers")
def workspace(consultation_id: int):
    abort(404)

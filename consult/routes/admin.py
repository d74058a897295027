"""The administration's consultations: list, create, edit, phases, the revised draft."""

from flask import Blueprint, abort

bp = Blueprint("admin", __name__, url_prefix="/<lang:lang>/admin/consultations")


@bp.get("/")
def index():
    abort(404)


@bp.get("/<int:consultation_id>/")
def show(consultation_id: int):
    abort(404)

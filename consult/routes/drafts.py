"""Importing the draft (DOCX, Markdown, plain text) and fixing its structure before publishing."""

from flask import Blueprint, abort

bp = Blueprint("drafts", __name__, url_prefix="/<lang:lang>/admin/consultations")


@bp.get("/<int:consultation_id>/import")
def import_form(consultation_id: int):
    abort(404)


@bp.get("/<int:consultation_id>/structure")
def structure(consultation_id: int):
    abort(404)

"""The public results of a consultation: figures, charts and the answers."""

from flask import Blueprint, abort

bp = Blueprint("results", __name__, url_prefix="/<lang:lang>")


@bp.get("/c/<slug>/results")
def overview(slug: str):
    abort(404)

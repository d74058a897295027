"""The public Synopse: the draft's earlier and revised wording side by side."""

from flask import Blueprint, abort

bp = Blueprint("revisions", __name__, url_prefix="/<lang:lang>")


@bp.get("/c/<slug>/synopsis")
def synopsis(slug: str):
    abort(404)

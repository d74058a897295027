"""The public glossary: every term of the draft explained in plain words, A–Z."""

from flask import Blueprint, render_template

from consult.services.glossary import SOURCE_LANGUAGE
from consult.web.glossary import request_glossary

bp = Blueprint("glossary", __name__, url_prefix="/<lang:lang>")

LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


@bp.get("/glossary")
def index():
    glossary = request_glossary()
    groups = glossary.by_letter()
    return render_template(
        "glossary/index.html",
        glossary=glossary,
        groups=groups,
        letters=LETTERS + (("#",) if any(letter == "#" for letter, _ in groups) else ()),
        present={letter for letter, _ in groups},
        source_language=SOURCE_LANGUAGE,
    )

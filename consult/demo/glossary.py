"""Loads the demo glossary (glossary.toml) through the glossary service, as an administrator
would enter it. The glossary serves the whole site, so terms that exist already are kept."""

import tomllib
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from consult.extensions import db
from consult.i18n import LANGUAGES
from consult.models import GlossaryTerm
from consult.services import glossary

GLOSSARY_FILE = Path(__file__).with_name("glossary.toml")


def read_glossary(path: Path = GLOSSARY_FILE) -> list[dict]:
    with path.open("rb") as handle:
        return tomllib.load(handle)["terms"]


def load_glossary(*, actor, now: datetime, path: Path = GLOSSARY_FILE) -> list[GlossaryTerm]:
    """Adds the terms of `path` that the glossary does not have yet; returns those added."""
    existing = {term.casefold() for term in db.session.scalars(select(GlossaryTerm.term))}
    added = []
    for entry in read_glossary(path):
        if entry["term"].casefold() in existing:
            continue
        details = glossary.TermDetails(
            term=entry["term"],
            variants=entry.get("variants", []),
            explanations={
                language: glossary.ExplanationText(text.get("name", ""), text["text"])
                for language, text in entry.get("explanations", {}).items()
            },
        )
        # Every language the app knows, so that a translation added to the file loads even
        # where that language is not offered yet.
        added.append(glossary.create_term(details, languages=LANGUAGES, actor=actor, now=now))
    return added

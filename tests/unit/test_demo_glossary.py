"""The demo's glossary: the domain's terms, explained in German and English, each marked
somewhere in the demo draft."""

from sqlalchemy import func, select

from consult.demo.glossary import load_glossary, read_glossary
from consult.demo.loader import load_demo, read_concept
from consult.models import GlossaryTerm
from consult.models.types import utcnow
from consult.services import glossary

# DOMAIN.md "Glossary terms to explain in plain words", pairs split where they are two things.
DOMAIN_TERMS = {
    "KIM",
    "Baustein",
    "Koordinierungsstelle",
    "strategische Steuerung",
    "Lenkungsgruppe",
    "Case Management",
    "Einzelfallebene",
    "Systemebene",
    "Rechtskreis",
    "rechtskreisübergreifend",
    "SGB II",
    "SGB III",
    "SGB VIII",
    "SGB XII",
    "AsylbLG",
    "AufenthG",
    "Ausländerbehörde",
    "Einbürgerungsbehörde",
    "Duldung",
    "Aufenthaltsgestattung",
    "Bleiberecht",
    "Identitätsklärung",
    "Mitwirkungspflicht",
    "Einwilligung",
    "Schweigepflichtentbindung",
    "Freie Träger",
    "Subsidiarität",
    "Migrantenselbstorganisation",
    "Integrationsrat",
    "Kommunales Integrationszentrum",
    "Stellungnahme",
    "Abwägung",
    "Sitzungsvorlage",
    "Kreistag",
}


def test_the_file_explains_the_domains_terms_in_german_and_english():
    terms = {entry["term"]: entry for entry in read_glossary()}
    assert terms.keys() >= DOMAIN_TERMS
    for entry in terms.values():
        for language in ("de", "en"):
            text = entry["explanations"][language]["text"]
            # Plain words: a few short sentences, not a legal commentary.
            assert 80 < len(text) < 500, (entry["term"], language)


def test_the_demo_loads_the_glossary_once_and_every_term_is_marked_in_the_draft(db):
    load_demo(utcnow())
    english = glossary.glossary("en")
    assert {entry.term for entry in english.entries} >= DOMAIN_TERMS
    assert not any(entry.is_fallback for entry in english.entries)

    marked: set[str] = set()
    for chapter in read_concept()["chapters"]:
        for paragraph in chapter["paragraphs"]:
            english.mark(paragraph["text"], marked, lambda entry, text: text)
    assert marked == {entry.slug for entry in english.entries}

    # The glossary serves the whole site: loading it again adds nothing.
    assert load_glossary(actor=None, now=utcnow()) == []
    assert db.session.scalar(select(func.count()).select_from(GlossaryTerm)) == len(english.entries)

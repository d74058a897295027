"""Every language consult knows has a complete, compilable catalog with CLDR's plural forms."""

import io
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from consult.i18n import LANGUAGES
from consult.i18n_check import plural_problem

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


def load(code):
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=code)


def template_ids():
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_catalog_is_complete_and_not_fuzzy(code):
    catalog = load(code)
    missing, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            missing.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert missing == [], f"{code}: untranslated {missing}"
    assert fuzzy == [], f"{code}: fuzzy {fuzzy}"
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    assert template_ids() <= ids, f"{code}: not updated from messages.pot"


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_catalog_compiles_without_errors(code):
    catalog = load(code)
    problems = [(m.id, errors) for m, errors in catalog.check() if errors]
    assert problems == []
    write_mo(io.BytesIO(), catalog)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_plural_forms_header_agrees_with_cldr(code):
    # For n = 0..300 the header must pick the same msgstr[i] for two numbers exactly when
    # CLDR (through Babel) puts them in the same category, "one" first.
    catalog = load(code)
    assert plural_problem(catalog, code) is None, catalog.plural_forms


def test_source_strings_are_extracted(tmp_path, monkeypatch):
    # A visible string added without re-running `make translations` fails here.
    from babel.messages.frontend import CommandLineInterface

    fresh = tmp_path / "fresh.pot"
    monkeypatch.chdir(TRANSLATIONS.parent)
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(fresh),
            ".",
        ]
    )
    with fresh.open("rb") as handle:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert extracted == template_ids()

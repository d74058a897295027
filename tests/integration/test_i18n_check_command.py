"""`flask consult i18n-check` on a translations folder built by the test, so that the result
does not depend on how far the real catalogs are."""

import os
import time

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from consult.i18n import LANGUAGES

MESSAGES = [
    "Comment",
    "Send comment",
    ("%(num)d comment", "%(num)d comments"),
]
GERMAN = {
    "Comment": "Kommentieren",
    "Send comment": "Kommentar absenden",
    "%(num)d comment": ("%(num)d Kommentar", "%(num)d Kommentare"),
}


def write_catalog(directory, code, strings, fuzzy=(), plural_forms=None):
    catalog = Catalog(locale=code)
    nplurals, expression = plural_forms or PLURAL_FORMS[code]
    catalog.mime_headers = [("Plural-Forms", f"nplurals={nplurals}; plural={expression};")]
    for message in MESSAGES:
        key = message if isinstance(message, str) else message[0]
        catalog.add(message, strings.get(key, ""), flags=("fuzzy",) if key in fuzzy else ())
    folder = directory / code / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "messages.po").open("wb") as handle:
        write_po(handle, catalog)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)


@pytest.fixture
def translations(tmp_path):
    template = Catalog()
    for message in MESSAGES:
        template.add(message)
    with (tmp_path / "messages.pot").open("wb") as handle:
        write_po(handle, template)
    # Every language complete to start with; each test spoils what it examines.
    for code in LANGUAGES:
        write_catalog(tmp_path, code, GERMAN if code == "de" else _filled(code))
    return tmp_path


# What CLDR says, as the real catalogs carry it. (Babel's built-in table differs for ar, tr
# and fa, so a catalog made by `pybabel init` would fail the check.)
PLURAL_FORMS = {
    "de": (2, "(n != 1)"),
    "en": (2, "(n != 1)"),
    "ar": (6, "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5)"),
    "tr": (2, "(n != 1)"),
    "uk": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
    "ru": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
    "fa": (2, "(n > 1)"),
}


def _filled(code):
    nplurals = PLURAL_FORMS[code][0]
    return {
        "Comment": f"Comment ({code})",
        "Send comment": f"Send comment ({code})",
        "%(num)d comment": tuple(f"%(num)d comments ({code} {i})" for i in range(nplurals)),
    }


@pytest.fixture
def run(app, monkeypatch):
    def invoke(directory, *args, languages=("de", "en")):
        monkeypatch.setitem(app.config, "LANGUAGES", list(languages))
        # `flask` pushes an app context for every command; the test runner does not.
        with app.app_context():
            return app.test_cli_runner().invoke(
                args=["consult", "i18n-check", "--directory", str(directory), *args]
            )

    return invoke


def line_for(result, code):
    return next(line for line in result.output.splitlines() if line.startswith(f"{code} "))


def test_complete_catalogs_pass_with_one_line_per_language(run, translations):
    result = run(translations)
    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.output.splitlines()] == list(LANGUAGES)
    assert line_for(result, "de") == (
        "de  offered      3/3 translated, 0 fuzzy, 0 missing, compiles, .mo up to date, "
        "plural forms OK"
    )
    assert "not offered" in line_for(result, "fa")


def test_a_missing_entry_in_an_offered_language_fails(run, translations):
    write_catalog(translations, "de", {**GERMAN, "Send comment": ""})
    result = run(translations)
    assert result.exit_code == 1
    assert "2/3 translated, 0 fuzzy, 1 missing" in line_for(result, "de")
    assert "Incomplete offered languages: de" in result.stderr
    assert "missing: Send comment" not in result.output
    verbose = run(translations, "--verbose")
    assert "    missing: Send comment" in verbose.output


def test_an_entry_absent_from_the_catalog_counts_as_missing(run, translations):
    catalog_without = {k: v for k, v in GERMAN.items() if k != "Comment"}
    write_catalog(translations, "de", catalog_without)
    path = translations / "de" / "LC_MESSAGES" / "messages.po"
    text = path.read_text()
    start = text.index('msgid "Comment"')
    path.write_text(text[:start] + text[text.index("msgid", start + 5) :])
    result = run(translations, "-v")
    assert result.exit_code == 1
    assert "2/3 translated, 0 fuzzy, 1 missing" in line_for(result, "de")
    assert "    missing: Comment" in result.output


def test_fuzzy_entries_fail(run, translations):
    write_catalog(translations, "en", _filled("en"), fuzzy=("Comment",))
    result = run(translations, "--verbose")
    assert result.exit_code == 1
    assert "2/3 translated, 1 fuzzy, 0 missing" in line_for(result, "en")
    assert "    fuzzy: Comment" in result.output


def test_a_language_not_offered_may_be_incomplete(run, translations):
    write_catalog(translations, "tr", {})
    result = run(translations)
    assert result.exit_code == 0
    assert "not offered  0/3 translated, 0 fuzzy, 3 missing" in line_for(result, "tr")
    assert run(translations, languages=("de", "tr")).exit_code == 1


def test_a_catalog_that_does_not_compile_fails(run, translations):
    # A placeholder the German text does not keep breaks the page at runtime.
    write_catalog(translations, "de", {**GERMAN, "%(num)d comment": ("Kommentar", "%(x)d")})
    result = run(translations)
    assert result.exit_code == 1
    assert "compile errors" in line_for(result, "de")
    assert "    error: " in result.output


def test_a_damaged_po_file_is_reported_not_crashed_on(run, translations):
    path = translations / "de" / "LC_MESSAGES" / "messages.po"
    path.write_text(path.read_text() + '\nmsgid "Broken"\nmsgstr "Kaputt"\nmsgstring "oops"\n')
    result = run(translations)
    assert result.exit_code == 1
    assert "3/3 translated, 0 fuzzy, 0 missing, 1 compile errors" in line_for(result, "de")
    assert "    error: line " in result.output


def test_wrong_plural_forms_fail(run, translations):
    # Russian has three forms for whole numbers (1, 2-4, 5-20 ...); two is wrong.
    write_catalog(
        translations,
        "ru",
        {**_filled("ru"), "%(num)d comment": ("a", "b")},
        plural_forms=(2, "(n != 1)"),
    )
    result = run(translations, languages=("de", "ru"))
    assert result.exit_code == 1
    assert "plural forms WRONG" in line_for(result, "ru")
    assert "    plural forms: n=2 ('few') shares form 1 with 'many' numbers" in result.output


def test_a_compiled_catalog_older_than_its_source_is_shown(run, translations):
    folder = translations / "de" / "LC_MESSAGES"
    old = time.time() - 3600
    os.utime(folder / "messages.mo", (old, old))
    result = run(translations)
    assert ".mo older than .po" in line_for(result, "de")
    (folder / "messages.mo").unlink()
    assert "no .mo" in line_for(run(translations), "de")


def test_a_missing_catalog_is_incomplete(run, translations):
    (translations / "en" / "LC_MESSAGES" / "messages.po").unlink()
    result = run(translations)
    assert result.exit_code == 1
    assert "no catalog (messages.po not found), 3 missing" in line_for(result, "en")

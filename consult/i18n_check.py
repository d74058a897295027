"""The state of the translation catalogs, for `flask consult i18n-check` and the catalog tests.

Reads translations/<code>/LC_MESSAGES/messages.po against translations/messages.pot without
Flask, so that it can run before an app exists (in a test, in CI, on a translator's machine).
"""

import contextlib
import gettext
import io
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

# Integers up to here cover every category CLDR distinguishes for whole numbers in our
# languages (Arabic's "other" starts again at 100, 101, 102).
PLURAL_CHECK_LIMIT = 300
CLDR_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


@dataclass(frozen=True)
class CatalogState:
    code: str
    present: bool
    total: int = 0
    translated: int = 0
    # msgids (the first form of a plural entry), in catalog order.
    missing: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)
    compile_errors: list[str] = field(default_factory=list)
    has_mo: bool = False
    # The compiled catalog is older than its source: the app still serves the old text.
    mo_outdated: bool = False
    plural_problem: str | None = None

    @property
    def complete(self) -> bool:
        return (
            self.present
            and not self.missing
            and not self.fuzzy
            and not self.compile_errors
            and self.plural_problem is None
        )


def _key(message) -> tuple[str | None, str]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return message.context, msgid


def template_keys(directory: Path) -> list[tuple[str | None, str]] | None:
    """The entries of messages.pot, or None when there is no template to compare with."""
    template = directory / "messages.pot"
    if not template.exists():
        return None
    with template.open("rb") as handle:
        return [_key(m) for m in read_po(handle) if m.id]


def plural_problem(catalog: Catalog, code: str) -> str | None:
    """Whether the catalog's Plural-Forms header sorts whole numbers as CLDR does: two numbers
    share a plural form exactly when CLDR puts them in the same category. None when it does."""
    category_of = Locale.parse(code).plural_form
    try:
        index_of = gettext.c2py(catalog.plural_expr)
    except ValueError as error:
        return f"Plural-Forms cannot be read: {error}"
    indexes: dict[str, int] = {}
    categories: dict[int, str] = {}
    for n in range(PLURAL_CHECK_LIMIT + 1):
        index, category = index_of(n), category_of(n)
        if not 0 <= index < catalog.num_plurals:
            return f"n={n} gives form {index}, but nplurals={catalog.num_plurals}"
        if indexes.setdefault(category, index) != index:
            return f"n={n} gives form {index}, other '{category}' numbers form {indexes[category]}"
        if categories.setdefault(index, category) != category:
            return f"n={n} ('{category}') shares form {index} with '{categories[index]}' numbers"
    if len(categories) != catalog.num_plurals:
        return f"nplurals={catalog.num_plurals}, but CLDR has {len(categories)} categories"
    # Translators fill msgstr[0], [1], ... in CLDR's order ("one" before "other"): a header
    # that numbers them the other way round shows the plural for one item.
    in_cldr_order = sorted(indexes, key=CLDR_CATEGORIES.index)
    if [indexes[category] for category in in_cldr_order] != sorted(indexes.values()):
        order = ", ".join(f"{category}={indexes[category]}" for category in in_cldr_order)
        return f"forms are not numbered in CLDR order ({order})"
    return None


def _read(path: Path, code: str, strict: bool) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=code, abort_invalid=strict)


def check_catalog(
    directory: Path, code: str, expected: list[tuple[str | None, str]] | None = None
) -> CatalogState:
    """The state of one language's catalog; `expected` are the template's entries."""
    po = directory / code / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return CatalogState(code, present=False, total=len(expected or ()))

    compile_errors = []
    try:
        _read(po, code, strict=True)
    except PoFileError as error:
        compile_errors.append(f"line {error.lineno + 1}: {error}")
    # The lenient read skips what it cannot parse (printing a warning, which the strict read
    # has already reported), so the counts still come out for a damaged catalog.
    with contextlib.redirect_stdout(io.StringIO()):
        catalog = _read(po, code, strict=False)

    entries = {_key(m): m for m in catalog if m.id}
    keys = expected if expected is not None else list(entries)
    missing, fuzzy, translated = [], [], 0
    for key in keys:
        message = entries.get(key)
        strings = () if message is None else message.string
        strings = strings if isinstance(strings, tuple) else (strings,)
        if not strings or not all(strings):
            missing.append(key[1])
        elif message.fuzzy:
            fuzzy.append(key[1])
        else:
            translated += 1

    for message, errors in catalog.check():
        compile_errors.extend(f"{_key(message)[1]!r}: {error}" for error in errors)
    try:
        write_mo(io.BytesIO(), catalog)
    except Exception as error:  # anything that would stop `pybabel compile`
        compile_errors.append(f"cannot be written as .mo: {error}")

    mo = po.with_suffix(".mo")
    return CatalogState(
        code,
        present=True,
        total=len(keys),
        translated=translated,
        missing=missing,
        fuzzy=fuzzy,
        compile_errors=compile_errors,
        has_mo=mo.exists(),
        mo_outdated=mo.exists() and mo.stat().st_mtime < po.stat().st_mtime,
        plural_problem=plural_problem(catalog, code),
    )


def check_catalogs(directory: Path, codes: list[str]) -> list[CatalogState]:
    expected = template_keys(directory)
    return [check_catalog(directory, code, expected) for code in codes]


def summary_line(state: CatalogState) -> str:
    """One line per language, e.g. "1180/1184 translated, 1 fuzzy, 3 missing, compiles,
    .mo up to date, plural forms OK"."""
    if not state.present:
        return f"no catalog (messages.po not found), {state.total} missing"
    parts = [
        f"{state.translated}/{state.total} translated",
        f"{len(state.fuzzy)} fuzzy",
        f"{len(state.missing)} missing",
        "compiles" if not state.compile_errors else f"{len(state.compile_errors)} compile errors",
    ]
    if not state.has_mo:
        parts.append("no .mo (run pybabel compile)")
    elif state.mo_outdated:
        parts.append(".mo older than .po (run pybabel compile)")
    else:
        parts.append(".mo up to date")
    parts.append("plural forms OK" if state.plural_problem is None else "plural forms WRONG")
    return ", ".join(parts)

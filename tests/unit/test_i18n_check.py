"""A catalog's Plural-Forms header must sort whole numbers as CLDR does, singular first."""

import pytest
from babel.messages.catalog import Catalog

from consult.i18n_check import plural_problem


def catalog(code, header):
    result = Catalog(locale=code)
    result.mime_headers = [("Plural-Forms", header)]
    return result


@pytest.mark.parametrize(
    ("code", "header", "problem"),
    [
        ("de", "nplurals=2; plural=(n != 1);", None),
        ("fa", "nplurals=2; plural=(n > 1);", None),
        # Farsi says "1 item" and "0 items" alike: n != 1 splits them.
        ("fa", "nplurals=2; plural=(n != 1);", "n=1 gives form 0, other 'one' numbers form 1"),
        ("de", "nplurals=2; plural=(n == 1);", "not numbered in CLDR order"),
        ("de", "nplurals=3; plural=(n != 1);", "nplurals=3, but CLDR has 2 categories"),
        ("ru", "nplurals=2; plural=(n != 1);", "n=2 ('few') shares form 1 with 'many'"),
        ("tr", "nplurals=1; plural=0;", "n=1 ('one') shares form 0 with 'other' numbers"),
        # Babel's own table puts Arabic's "other" (100, 101, 102) before "many".
        (
            "ar",
            "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
            ": n%100>=0 && n%100<=2 ? 4 : 5);",
            "not numbered in CLDR order",
        ),
        ("de", "nplurals=2; plural=(n = 1);", "cannot be read"),
    ],
)
def test_plural_forms_against_cldr(code, header, problem):
    found = plural_problem(catalog(code, header), code)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found

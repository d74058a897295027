"""The page catalogue (tests/pages.py) covers every page, and every page works in all seven
languages: status, <html lang> and dir, and a language switcher that names each language in
itself and keeps the page. The browser tests run the same catalogue in Chromium."""

from collections import Counter

import lxml.html
import pytest

from consult.i18n import LANGUAGES
from tests.pages import EXCLUDED, PAGES, build_world, normalised

SEVEN = ["de", "en", "ar", "tr", "uk", "ru", "fa"]


def get_rules(app) -> set[str]:
    return {normalised(rule.rule) for rule in app.url_map.iter_rules() if "GET" in rule.methods}


def test_every_page_has_a_recipe_or_a_reason_to_have_none(app):
    rules = get_rules(app)
    covered = {page.rule for page in PAGES if page.rule}
    missing = rules - covered - EXCLUDED.keys()
    assert not missing, (
        f"GET rules without a recipe in tests/pages.py (add a Page, or an EXCLUDED reason): "
        f"{sorted(missing)}"
    )
    stale = (covered | EXCLUDED.keys()) - rules
    assert not stale, f"tests/pages.py names rules that no longer exist: {sorted(stale)}"
    assert not covered & EXCLUDED.keys(), "a rule is both covered and excluded"
    names = [page.name for page in PAGES]
    assert len(names) == len(set(names)), "page names must be unique"


@pytest.fixture
def seven_languages(app, monkeypatch):
    monkeypatch.setitem(app.config, "LANGUAGES", SEVEN)


def test_every_page_in_seven_languages(app, client, seven_languages):
    world = build_world()
    adapter = app.url_map.bind("localhost")
    failures = []
    for page in PAGES:
        path = page.path(world)
        if page.rule:
            # The recipe reaches the page it claims to cover, not a neighbour.
            rule, _ = adapter.match(f"/de{path}", method="GET", return_rule=True)
            assert normalised(rule.rule) == page.rule, (page.name, rule.rule)
        for code in SEVEN:
            with client.session_transaction() as session:
                session.clear()
                session.update(page.session(world))
            response = client.get(f"/{code}{path}")
            problem = page_problem(page, code, path, response)
            if problem:
                failures.append(f"{page.name} /{code}{path}: {problem}")
    assert not failures, "\n".join(failures)


def page_problem(page, code, path, response) -> str | None:
    if response.status_code != page.status:
        return f"status {response.status_code}, expected {page.status}"
    document = lxml.html.fromstring(response.get_data(as_text=True))
    root = document.getroottree().getroot()
    direction = LANGUAGES[code].direction
    if root.get("lang") != code:
        return f'<html lang="{root.get("lang")}">'
    if root.get("dir") != direction:
        return f'<html dir="{root.get("dir")}">, expected {direction}'
    # WCAG 2.1's 4.1.1 (axe no longer checks it): a label or aria-* reference to a duplicated
    # id finds the wrong element.
    ids = Counter(document.xpath("//@id"))
    duplicated = sorted(name for name, count in ids.items() if count > 1)
    if duplicated:
        return f"duplicate ids {duplicated}"
    if not page.site_chrome:
        return None
    links = document.xpath('//nav[contains(@class, "language-switcher")]//a')
    named = [(a.get("lang"), a.text_content().strip()) for a in links]
    expected = [(other, LANGUAGES[other].native_name) for other in SEVEN]
    if named != expected:
        return f"switcher offers {named}"
    if page.status == 200:
        # Switching keeps the page: only the language prefix changes.
        hrefs = {a.get("lang"): a.get("href") for a in links}
        wrong = {other: href for other, href in hrefs.items() if href != f"/{other}{path}"}
        if wrong:
            return f"switcher leaves the page: {wrong}"
    current = [a.get("lang") for a in links if a.get("aria-current")]
    if current != [code]:
        return f"switcher marks {current} as current"
    return None

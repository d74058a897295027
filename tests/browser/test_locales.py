"""Every page of the catalogue (tests/pages.py) in Chromium in the languages axe does not
cover (test_accessibility.py runs every page in German and Arabic, with the same checks): it
loads, says its language and direction, is laid out in that direction, asks nothing of another
host (loopback_only_page) and logs no error. The switcher's names and addresses on every page in
all seven languages are checked over HTTP in tests/integration/test_page_catalogue.py."""

from playwright.sync_api import expect

from consult.i18n import LANGUAGES
from tests.browser.conftest import SEVEN_LANGUAGES, by_session, console_errors, load_problems
from tests.pages import PAGES

CHECKED_WITH_AXE = ("de", "ar")


def test_every_page_in_every_other_language(visit_as, catalogue_url, world):
    problems = []
    for group in by_session(PAGES):
        with visit_as(group[0]) as page:
            errors = console_errors(page)
            for entry in group:
                for code in SEVEN_LANGUAGES:
                    if code in CHECKED_WITH_AXE:
                        continue
                    url = f"{catalogue_url}/{code}{entry.path(world)}"
                    problem = load_problems(page, entry, url, errors)
                    if problem:
                        problems.append(f"{entry.name} {url}: {problem}")
    assert not problems, "\n".join(problems)


def test_the_switcher_names_each_language_in_itself_and_keeps_the_page(page, catalogue_url, world):
    page.goto(f"{catalogue_url}/tr/c/{world.open_slug}/p/1.1")
    switcher = page.locator(".language-switcher a")
    expect(switcher).to_have_text([LANGUAGES[code].native_name for code in SEVEN_LANGUAGES])
    for code in SEVEN_LANGUAGES:
        expect(page.locator(f".language-switcher a[hreflang={code}]")).to_have_attribute(
            "lang", code
        )
    expect(page.locator(".language-switcher a[aria-current]")).to_have_text("Türkçe")

    page.get_by_role("link", name="فارسی").click()
    expect(page).to_have_url(f"{catalogue_url}/fa/c/{world.open_slug}/p/1.1")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    expect(page.locator(".language-switcher a[aria-current]")).to_have_text("فارسی")

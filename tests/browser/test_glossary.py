"""The glossary in a real browser: a marked term in the draft opens its explanation by keyboard
alone and closes with Escape, works as a plain link without JavaScript, and axe-core finds
nothing on the glossary page or on a draft with an open explanation, in German and Arabic.

German and Arabic pages are checked by structure (roles, attributes, ids), because their
catalogs are still being translated."""

import pytest
from playwright.sync_api import expect

from consult.models.types import utcnow
from consult.services import glossary
from tests.browser.conftest import committing_seed, migrated_app, serving
from tests.factories import make_consultation, make_paragraph, make_section

PARAGRAPH = "Die Lenkungsgruppe tagt zweimal im Jahr. Der Kreistag wird unterrichtet."
STEERING_DE = "Eine Gruppe aus Leitungen der Behörden, die das Programm lenkt."
STEERING_AR = "مجموعة من رؤساء الجهات المعنية توجّه البرنامج."


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return migrated_app(
        tmp_path_factory.mktemp("live-glossary") / "live.sqlite3", LANGUAGES=["de", "en", "ar"]
    )


@pytest.fixture(scope="module")
def site(app):
    """One draft with two marked terms; Lenkungsgruppe is explained in Arabic too, Kreistag in
    German only. Yields the base URL and the draft's address."""
    with committing_seed(app)():
        consultation = make_consultation(title="KIM-Konzept")
        section = make_section(consultation, number=4, title="Struktur")
        make_paragraph(section, 1, title="Lenkungsgruppe", text=PARAGRAPH)
        for term, explanations in (
            (
                "Lenkungsgruppe",
                {
                    "de": glossary.ExplanationText("", STEERING_DE),
                    "ar": glossary.ExplanationText("مجموعة التوجيه", STEERING_AR),
                },
            ),
            ("Kreistag", {"de": glossary.ExplanationText("", "Das Parlament des Kreises.")}),
        ):
            glossary.create_term(
                glossary.TermDetails(term, (), explanations),
                languages=("de", "en", "ar"),
                actor=None,
                now=utcnow(),
            )
        slug = consultation.slug
    with serving(app) as base:
        yield base, f"/c/{slug}/"


def tab_to(page, selector, limit=40):
    """Press Tab until the focused element matches `selector`; a keyboard user's way there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return page.locator(":focus")
    raise AssertionError(f"Tab never reached {selector}")


def test_a_term_opens_and_closes_its_explanation_by_keyboard(page, site):
    base, draft = site
    page.goto(f"{base}/de{draft}")
    term = tab_to(page, "button.term")
    expect(term).to_have_attribute("aria-expanded", "false")
    expect(term).to_contain_text("Lenkungsgruppe")
    note = page.locator("#" + term.get_attribute("aria-controls"))
    expect(note).to_be_hidden()

    page.keyboard.press("Enter")
    expect(term).to_have_attribute("aria-expanded", "true")
    expect(note).to_be_visible()
    expect(note).to_contain_text(STEERING_DE)
    # The explanation follows the term, so reading on reaches it.
    assert term.evaluate("t => t.nextElementSibling.id") == term.get_attribute("aria-controls")

    page.keyboard.press("Escape")
    expect(term).to_have_attribute("aria-expanded", "false")
    expect(note).to_have_count(0)
    expect(term).to_be_focused()

    # Space opens it too, and Escape from the "All terms" link inside it closes it as well.
    page.keyboard.press(" ")
    expect(note).to_be_visible()
    page.keyboard.press("Tab")
    expect(note.get_by_role("link")).to_be_focused()
    page.keyboard.press("Escape")
    expect(note).to_be_hidden()
    expect(term).to_be_focused()


def test_without_javascript_a_term_is_a_link_to_its_entry(page_without_js, site):
    base, draft = site
    page = page_without_js
    page.goto(f"{base}/de{draft}")
    term = page.locator("a.term").first
    expect(term).to_have_attribute("href", "/de/glossary#lenkungsgruppe")
    expect(page.locator(".term-note").first).to_be_hidden()
    expect(page.locator("button.term")).to_have_count(0)
    term.click()
    page.wait_for_url(f"{base}/de/glossary#lenkungsgruppe")
    entry = page.locator("#lenkungsgruppe")
    expect(entry).to_contain_text(STEERING_DE)
    assert entry.evaluate("e => e.matches(':target')")


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_axe_finds_nothing_on_the_glossary_and_an_open_explanation(page, site, axe, lang):
    base, draft = site
    page.goto(f"{base}/{lang}/glossary")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("article.glossary-entry")).to_have_count(2)
    if lang == "ar":
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        steering = page.locator("#lenkungsgruppe .glossary-entry__text")
        expect(steering).to_have_attribute("lang", "ar")
        expect(steering).to_have_attribute("dir", "rtl")
        # Kreistag has no Arabic explanation: the German one, marked.
        expect(page.locator("#kreistag .glossary-entry__text")).to_have_attribute("lang", "de")
        expect(page.locator("#kreistag .glossary-entry__fallback")).to_be_visible()
    assert axe(page, name="glossary", locale=lang, state="glossary page") == []

    page.goto(f"{base}/{lang}{draft}")
    for term in page.locator("button.term").all():
        term.click()
    # Each open term shows its own copy of the note, right after it, with an id of its own.
    notes = page.locator("button.term + .term-note")
    expect(notes).to_have_count(2)
    ids = page.evaluate("() => Array.from(document.querySelectorAll('[id]'), e => e.id)")
    assert len(ids) == len(set(ids))
    for note in notes.all():
        expect(note).to_be_visible()
    if lang == "ar":
        text = page.locator(".term-note__text").first
        expect(text).to_have_attribute("lang", "ar")
        expect(text).to_have_attribute("dir", "rtl")
    assert axe(page, name="document", locale=lang, state="glossary explanations open") == []

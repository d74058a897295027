"""Reading aids in a real browser: an administrator translates a paragraph in place (focus and
announcement after the swap), a reader in Arabic switches to the binding German text and back,
and axe-core finds nothing on the admin screen and the reader page in German and Arabic.

German and Arabic pages are checked by structure (ids, attributes, URLs), because their
catalogs are still being translated."""

import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from consult.models import Role
from consult.models.translation import ParagraphTranslation
from consult.models.types import utcnow
from consult.services import translations
from tests.browser.conftest import committing_seed, live_query, migrated_app, serving
from tests.factories import (
    DEFAULT_PASSWORD,
    make_consultation,
    make_paragraph,
    make_section,
    make_staff,
)

GERMAN_TEXT = "Die Einwilligung erstreckt sich pauschal auf alle beteiligten Stellen."
ARABIC_TEXT = "تشمل الموافقة جميع الجهات المعنية بشكل عام."
GERMAN_SUMMARY = "Hier steht, wer Ihre Daten sehen darf."
ARABIC_SUMMARY = "يوضح هذا الفصل من يحق له رؤية بياناتك."


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return migrated_app(
        tmp_path_factory.mktemp("live-reading-aids") / "live.sqlite3",
        LANGUAGES=["de", "en", "ar"],
    )


@pytest.fixture(scope="module")
def url(app):
    with serving(app) as base:
        yield base


def seed_draft(app, translated: bool):
    """A consultation whose chapter 6 has a Kurz erklärt and two paragraphs; with `translated`
    the first paragraph, the chapter title and the Kurz erklärt are in Arabic too. Returns the
    consultation's id and slug and an administrator's e-mail address."""
    email = f"admin-{uuid.uuid4().hex[:10]}@kreis.example"
    with committing_seed(app)():
        admin = make_staff(Role.ADMIN, email=email, display_name="Sachgebiet Integration")
        consultation = make_consultation(title="KIM-Konzept")
        section = make_section(
            consultation, number=6, title="Datenschutz", plain_summary=GERMAN_SUMMARY
        )
        consent = make_paragraph(section, 1, title="Einwilligung", text=GERMAN_TEXT)
        make_paragraph(section, 2, title="Datenaustausch", text="Daten gehen an das Land.")
        if translated:
            everything = ("de", "en", "ar")
            translations.save_paragraph_translation(
                consultation,
                consent,
                "ar",
                title="الموافقة",
                text=ARABIC_TEXT,
                enabled=everything,
                actor=admin,
                now=utcnow(),
            )
            translations.save_section_translation(
                section,
                "ar",
                title="حماية البيانات",
                plain_summary=ARABIC_SUMMARY,
                enabled=everything,
                actor=admin,
                now=utcnow(),
            )
        return consultation.id, consultation.slug, email


def sign_in(page, base_url, email, next_path):
    lang = next_path.split("/")[1]
    page.goto(f"{base_url}/{lang}/staff/login?next={next_path}")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form.narrow-form button[type=submit]").click()
    expect(page).to_have_url(f"{base_url}{next_path}")
    page.wait_for_load_state()  # htmx and app.js are deferred


def assert_no_violations(axe, page, **where):
    violations = axe(page, **where)
    assert violations == [], violations


def test_an_administrator_translates_a_paragraph_in_place(page, app, url, axe):
    consultation_id, _slug, email = seed_draft(app, translated=False)
    overview = f"/de/admin/consultations/{consultation_id}/reading-aids"
    sign_in(page, url, email, overview)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert_no_violations(axe, page, name="reading aids overview", locale="de")

    page.goto(f"{url}/de/admin/consultations/{consultation_id}/reading-aids/ar/chapter/6")
    page.wait_for_load_state()
    assert_no_violations(axe, page, name="reading aids chapter", locale="de")
    item = page.locator("#tr-p-6-1")
    text = item.locator("textarea")
    expect(text).to_have_attribute("lang", "ar")
    expect(text).to_have_attribute("dir", "rtl")
    expect(item.locator(".translation-pair__german .paragraph__text")).to_have_attribute(
        "lang", "de"
    )
    page.evaluate("() => { window.notReloaded = true; }")
    item.locator("input[type=text]").fill("الموافقة")
    text.fill(ARABIC_TEXT)
    item.locator("button[type=submit]").click()

    # The paragraph's part was swapped in place: its heading has the focus, and the live
    # region (present since the page loaded) says what happened.
    expect(page.locator("#tr-p-6-1 .badge--translated")).to_be_visible()
    expect(page.locator("#tr-p-6-1-title")).to_be_focused()
    expect(page.locator("#live-region")).to_contain_text("6.1")
    assert page.evaluate("() => window.notReloaded === true")
    expect(page.locator("#tr-p-6-1 textarea")).to_have_value(ARABIC_TEXT)
    assert_no_violations(axe, page, name="reading aids chapter", locale="de", state="after swap")
    stored = live_query(app)(
        lambda session: session.scalars(
            select(ParagraphTranslation.text).where(ParagraphTranslation.language == "ar")
        ).all()
    )
    assert ARABIC_TEXT in stored
    # The swapped-in part knows what it now holds: saving it again is no conflict.
    page.locator("#tr-p-6-1 textarea").fill(ARABIC_TEXT + " ٢")
    with page.expect_response(lambda response: "/paragraphs/" in response.url) as answer:
        page.locator("#tr-p-6-1 button[type=submit]").click()
    assert answer.value.status == 200
    expect(page.locator("#tr-p-6-1-title")).to_be_focused()
    expect(page.locator("#tr-p-6-1 .error-summary")).to_have_count(0)
    expect(page.locator("#tr-p-6-1 textarea")).to_have_value(ARABIC_TEXT + " ٢")
    stored = live_query(app)(
        lambda session: session.scalars(
            select(ParagraphTranslation.text).where(ParagraphTranslation.language == "ar")
        ).all()
    )
    assert ARABIC_TEXT + " ٢" in stored

    page.goto(f"{url}/de/admin/consultations/{consultation_id}/reading-aids/de/chapter/6")
    expect(page.locator("textarea")).to_have_value(GERMAN_SUMMARY)
    assert_no_violations(axe, page, name="Kurz erklärt editor", locale="de")

    # The same screens right to left.
    page.goto(f"{url}/ar/admin/consultations/{consultation_id}/reading-aids")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_no_violations(axe, page, name="reading aids overview", locale="ar")
    page.goto(f"{url}/ar/admin/consultations/{consultation_id}/reading-aids/en/chapter/6")
    expect(page.locator("#tr-p-6-1 textarea")).to_have_attribute("dir", "ltr")
    assert_no_violations(axe, page, name="reading aids chapter", locale="ar")


def test_a_reader_in_arabic_switches_to_the_german_text_and_back(page, app, url, axe):
    _id, slug, _email = seed_draft(app, translated=True)
    page.goto(f"{url}/ar/c/{slug}/")
    translation = page.locator("#p-6-1 .paragraph__text--translation")
    expect(translation).to_have_attribute("lang", "ar")
    expect(translation).to_have_attribute("dir", "rtl")
    expect(translation).to_contain_text(ARABIC_TEXT)
    expect(page.locator("#p-6-1 .translation-note")).to_be_visible()
    # The German original is one step away, folded out in place.
    german = page.locator("#p-6-1 details.german-original")
    expect(german.locator(".paragraph__text")).to_be_hidden()
    german.locator("summary").click()
    expect(german.locator('.paragraph__text[lang="de"]')).to_contain_text(GERMAN_TEXT)
    expect(page.locator("#chapter-6 .plain-summary")).to_contain_text(ARABIC_SUMMARY)
    assert_no_violations(axe, page, name="document with translations", locale="ar")

    # The whole page in German, by an ordinary link that keeps the language of the page.
    page.locator(".reading-switch a").click()
    expect(page).to_have_url(f"{url}/ar/c/{slug}/?text=de")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator('#p-6-1 .paragraph__text[lang="de"]')).to_contain_text(GERMAN_TEXT)
    expect(page.locator(".paragraph__text--translation")).to_have_count(0)
    expect(page.locator("#chapter-6 .plain-summary")).to_contain_text(GERMAN_SUMMARY)
    assert_no_violations(axe, page, name="document with translations", locale="ar", state="German")

    page.locator(".reading-switch a").click()
    expect(page).to_have_url(f"{url}/ar/c/{slug}/")
    expect(translation).to_contain_text(ARABIC_TEXT)

    # German readers see the German draft and its Kurz erklärt, and nothing of the rest.
    page.goto(f"{url}/de/c/{slug}/")
    expect(page.locator(".reading-switch")).to_have_count(0)
    expect(page.locator(".translation-note")).to_have_count(0)
    expect(page.locator("#chapter-6 .plain-summary")).to_contain_text(GERMAN_SUMMARY)
    assert_no_violations(axe, page, name="document with Kurz erklärt", locale="de")

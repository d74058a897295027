"""The pages in Leichte Sprache and the accessibility statement pass axe-core in German and
in Arabic (right to left), and the header's Leichte Sprache link is reached by keyboard."""

import pytest
from playwright.sync_api import expect

from consult.mail import MailError
from tests.browser.conftest import committing_seed, migrated_app, serving
from tests.factories import make_consultation

EASY_READ = """Der Kreis macht einen Plan.
Der Plan ist ein Entwurf.

Das steht im Plan:
- Mehr Beratung.
- Kurze Wege."""


@pytest.fixture(scope="module")
def plain_app(tmp_path_factory):
    return migrated_app(
        tmp_path_factory.mktemp("live-plain") / "live.sqlite3", LANGUAGES=["de", "en", "ar"]
    )


@pytest.fixture(scope="module")
def plain_url(plain_app):
    with serving(plain_app) as url:
        yield url


@pytest.fixture(scope="module")
def slug(plain_app):
    with committing_seed(plain_app)():
        return make_consultation(title="Plan mit Erklärung", easy_read=EASY_READ).slug


def assert_no_violations(axe, page):
    violations = axe(page)
    assert violations == [], violations


@pytest.mark.parametrize(("lang", "direction"), [("de", "ltr"), ("ar", "rtl")])
def test_plain_pages_pass_axe(page, plain_url, slug, axe, lang, direction):
    for path in (f"/{lang}/leichte-sprache", f"/{lang}/c/{slug}/leichte-sprache"):
        page.goto(plain_url + path)
        expect(page.locator("html")).to_have_attribute("dir", direction)
        # The German text runs left to right inside an Arabic page.
        expect(page.locator(".easy-read").first).to_have_attribute("dir", "ltr")
        assert_no_violations(axe, page)
    page.goto(f"{plain_url}/{lang}/accessibility")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_no_violations(axe, page)


def test_leichte_sprache_link_comes_right_after_the_site_name(page, plain_url, slug):
    page.goto(f"{plain_url}/ar/c/{slug}/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site name
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Leichte Sprache")
    expect(focused).to_have_attribute("lang", "de")
    # Screen readers announce what the German name leads to, in the page's language.
    description = page.evaluate(
        "() => document.getElementById("
        "document.activeElement.getAttribute('aria-describedby')).textContent"
    )
    assert description.strip()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{plain_url}/ar/leichte-sprache")
    expect(page.get_by_role("link", name="Plan mit Erklärung")).to_be_visible()
    page.get_by_role("link", name="Plan mit Erklärung").click()
    points = page.locator(".easy-read__text ul").first.locator("li")
    expect(points).to_have_text(["Mehr Beratung.", "Kurze Wege."])


@pytest.mark.parametrize(("lang", "direction"), [("de", "ltr"), ("ar", "rtl")])
def test_feedback_form_from_the_statement(
    page, plain_app, plain_url, axe, monkeypatch, lang, direction
):
    """The statement's form (BITV 2.0 § 7): with its errors, when the mail server fails and
    once sent, axe finds nothing."""
    outbox = plain_app.extensions["consult.mail"].outbox
    outbox.clear()
    page.goto(f"{plain_url}/{lang}/accessibility")
    page.locator("#feedback + p + ul a").first.click()
    expect(page).to_have_url(f"{plain_url}/{lang}/accessibility/feedback")
    expect(page.locator("html")).to_have_attribute("dir", direction)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("main form button[type=submit]").click()
    assert posted.value.status == 422
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    assert_no_violations(axe, page)
    # The summary's link takes the keyboard to the field to fix.
    summary.locator("a").first.click()
    expect(page.locator("#text")).to_be_focused()
    page.keyboard.type("Der Kontrast der Links ist zu schwach.")

    def refuse(message):
        raise MailError("ConnectionRefusedError")

    monkeypatch.setattr(plain_app.extensions["consult.mail"], "send", refuse)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("main form button[type=submit]").click()
    assert posted.value.status == 503
    expect(page.locator("main [role=alert]")).to_be_visible()
    expect(page.locator("#text")).to_have_value("Der Kontrast der Links ist zu schwach.")
    assert_no_violations(axe, page)

    monkeypatch.undo()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{plain_url}/{lang}/accessibility/feedback/sent")
    assert_no_violations(axe, page)
    assert [m.to for m in outbox] == [plain_app.config["CONSULT_ACCESSIBILITY_CONTACT"]]
    assert "Der Kontrast der Links ist zu schwach." in outbox[0].body

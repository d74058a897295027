"""Reading aids: the administration's screen (with and without HTMX, permissions, errors) and
what readers see: translations marked as a help, the German original one step away, the switch
to the German text, and each chapter's "Kurz erklärt"."""

import re
from html import unescape

import pytest
from flask_babel import force_locale, gettext
from markupsafe import escape
from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditEvent, Comment, Role
from consult.models.translation import ParagraphTranslation, SectionTranslation
from consult.models.types import utcnow
from consult.services import translations
from tests.conftest import csrf_from, html
from tests.factories import make_consultation, make_paragraph, make_section, make_staff
from tests.integration.test_comments import valid_form

GERMAN_TEXT = "Die Einwilligung erstreckt sich pauschal auf alle beteiligten Stellen."
ENGLISH_TEXT = "The consent covers all agencies involved, across the board."
ARABIC_TEXT = "تشمل الموافقة جميع الجهات المعنية بشكل عام."
GERMAN_SUMMARY = "Hier steht, wer Ihre Daten sehen darf."
ENGLISH_SUMMARY = "This chapter says who may see your data."


@pytest.fixture
def languages(app, monkeypatch):
    monkeypatch.setitem(app.config, "LANGUAGES", ["de", "en", "ar"])


class World:
    def __init__(self):
        self.consultation = make_consultation(title="KIM-Konzept")
        self.section = make_section(
            self.consultation, number=6, title="Datenschutz", plain_summary=GERMAN_SUMMARY
        )
        self.consent = make_paragraph(self.section, 1, title="Einwilligung", text=GERMAN_TEXT)
        self.exchange = make_paragraph(self.section, 2, title="Datenaustausch", text="Daten.")

    @property
    def slug(self):
        return self.consultation.slug

    def admin_url(self, rest="", lang="en"):
        return f"/{lang}/admin/consultations/{self.consultation.id}/reading-aids{rest}"

    def chapter_url(self, language="en", lang="en"):
        return self.admin_url(f"/{language}/chapter/6", lang)

    def paragraph_url(self, paragraph, language="en"):
        return self.admin_url(f"/{language}/paragraphs/{paragraph.id}")

    def translate(self, language="en", text=ENGLISH_TEXT, title="Consent", summary=None):
        actor = make_staff(role=Role.ADMIN)
        translations.save_paragraph_translation(
            self.consultation,
            self.consent,
            language,
            title=title,
            text=text,
            enabled=("de", "en", "ar"),
            actor=actor,
            now=utcnow(),
        )
        translations.save_section_translation(
            self.section,
            language,
            title="Data protection" if language == "en" else "حماية البيانات",
            plain_summary=summary or "",
            enabled=("de", "en", "ar"),
            actor=actor,
            now=utcnow(),
        )
        db.session.flush()


@pytest.fixture
def world(db, languages):
    return World()


def loaded_fields(page):
    """The hidden fields that remember what each part of the form was loaded with."""
    fields = {}
    for tag in re.findall(r'<input[^>]*type="hidden"[^>]*>', page):
        name = re.search(r'name="([^"]*)"', tag)
        if name and name.group(1).endswith(("-loaded", "-loaded_wording")):
            fields[name.group(1)] = re.search(r'value="([^"]*)"', tag).group(1)
    return fields


def field_value(page, name):
    textarea = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\r?\n?(.*?)</textarea>', page, re.S)
    if textarea:
        return unescape(textarea.group(1))
    field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    value = field and re.search(r'value="([^"]*)"', field.group(0))
    return unescape(value.group(1)) if value else ""


def chapter_form(world, page, **fields):
    """The chapter form as the browser sends it: every field as loaded, then `fields`."""
    token = csrf_from(page)
    data = {**loaded_fields(page), "chapter-csrf_token": token}
    for name in ("chapter-title", "chapter-plain_summary"):
        data[name] = field_value(page, name)
    for paragraph in (world.consent, world.exchange):
        data[f"p{paragraph.id}-csrf_token"] = token
        for name in (f"p{paragraph.id}-title", f"p{paragraph.id}-text"):
            data[name] = field_value(page, name)
    data.update(fields)
    return data


def stored(language="en"):
    return {
        t.paragraph_id: t
        for t in db.session.scalars(
            select(ParagraphTranslation).where(ParagraphTranslation.language == language)
        )
    }


# --- the administration's screen ------------------------------------------------------------


def test_the_dashboard_links_the_reading_aids(client, admin, world):
    page = html(client.get(f"/en/admin/consultations/{world.consultation.id}/"))
    assert f'href="{world.admin_url()}"' in page


@pytest.mark.parametrize("path", ["", "/ar/chapter/6", "/de/chapter/6"])
def test_moderators_are_refused_and_anonymous_readers_sent_to_sign_in(client, login, world, path):
    anonymous = client.get(world.admin_url(path))
    assert anonymous.status_code == 302 and "/staff/login" in anonymous.headers["Location"]
    login(make_staff(role=Role.MODERATOR))
    assert client.get(world.admin_url(path)).status_code == 403


def test_a_moderator_cannot_save_a_translation(client, login, world, csrf_token):
    login(make_staff(role=Role.MODERATOR))
    token = csrf_token(f"/en/c/{world.slug}/p/6.1/comment")
    data = {"p1-csrf_token": token, f"p{world.consent.id}-text": "Sneaky"}
    assert client.post(world.paragraph_url(world.consent), data=data).status_code == 403
    assert stored() == {}


def test_languages_that_are_not_offered_are_not_found(client, admin, world):
    assert client.get(world.chapter_url("tr")).status_code == 404
    assert client.get(world.admin_url("/en/chapter/99")).status_code == 404


def test_the_chapter_page_shows_the_german_read_only_beside_fields_in_the_target_language(
    client, admin, world
):
    response = client.get(world.chapter_url("ar"))
    assert response.status_code == 200
    page = html(response)
    assert '<p class="translation-pair__title" lang="de" dir="ltr">Einwilligung</p>' in page
    assert GERMAN_TEXT in page and f'name="p{world.consent.id}-text"' in page
    field = re.search(rf'<textarea[^>]*name="p{world.consent.id}-text"[^>]*>', page).group(0)
    assert 'lang="ar"' in field and 'dir="rtl"' in field
    assert "<textarea" not in page.split(GERMAN_TEXT)[0].rsplit("translation-pair__german", 1)[1]
    # The chapter's own part: its title and the Kurz erklärt to translate.
    assert 'name="chapter-title"' in page and 'name="chapter-plain_summary"' in page
    assert GERMAN_SUMMARY in page


def test_saving_the_whole_chapter_without_javascript(client, admin, world):
    page = html(client.get(world.chapter_url()))
    response = client.post(
        world.chapter_url(),
        data=chapter_form(
            world,
            page,
            **{
                "chapter-title": "Data protection",
                "chapter-plain_summary": ENGLISH_SUMMARY,
                f"p{world.consent.id}-title": "Consent",
                f"p{world.consent.id}-text": ENGLISH_TEXT,
                "saved_from": f"tr-{world.consent.anchor}",
            },
        ),
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{world.chapter_url()}#tr-p-6-1")
    assert stored()[world.consent.id].text == ENGLISH_TEXT
    assert world.exchange.id not in stored()
    section = db.session.scalars(select(SectionTranslation)).one()
    assert (section.title, section.plain_summary) == ("Data protection", ENGLISH_SUMMARY)
    page = html(client.get(response.headers["Location"]))
    assert "Translation of chapter 6 into English saved." in page
    assert ENGLISH_TEXT in page
    events = db.session.scalars(select(AuditEvent.action)).all()
    assert events.count("translation.save") == 2


def test_saving_one_paragraph_with_htmx_answers_its_fragment(hx, admin, world):
    page = html(hx.get(world.chapter_url()))
    response = hx.post(
        world.paragraph_url(world.consent),
        data=chapter_form(world, page, **{f"p{world.consent.id}-text": ENGLISH_TEXT}),
    )
    assert response.status_code == 200
    fragment = html(response).strip()
    assert fragment.startswith('<section class="translation-item" id="tr-p-6-1"')
    assert 'data-announce="Translation of paragraph 6.1 saved."' in fragment
    assert 'id="tr-p-6-1-title" tabindex="-1" data-focus' in fragment
    assert "<html" not in fragment
    assert stored()[world.consent.id].text == ENGLISH_TEXT


def test_the_paragraph_route_without_htmx_redirects_to_the_paragraph(client, admin, world):
    data = chapter_form(
        world, html(client.get(world.chapter_url())), **{f"p{world.consent.id}-text": ENGLISH_TEXT}
    )
    response = client.post(world.paragraph_url(world.consent), data=data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("#tr-p-6-1")
    # Emptying the text removes the translation again.
    data = chapter_form(
        world, html(client.get(world.chapter_url())), **{f"p{world.consent.id}-text": ""}
    )
    client.post(world.paragraph_url(world.consent), data=data)
    assert stored() == {}


def test_invalid_input_is_refused_with_the_typed_text_kept(client, hx, admin, world):
    loaded = html(client.get(world.chapter_url()))
    long_title = "T" * 301
    fields = {
        f"p{world.consent.id}-title": long_title,
        f"p{world.consent.id}-text": "My careful translation",
        f"p{world.exchange.id}-title": "Only a title",
    }
    page_response = client.post(world.chapter_url(), data=chapter_form(world, loaded, **fields))
    assert page_response.status_code == 422
    page = html(page_response)
    assert "My careful translation" in page and long_title in page
    assert 'class="error-summary"' in page
    assert f'href="#p{world.consent.id}-title"' in page
    assert f'href="#p{world.exchange.id}-text"' in page
    fragment_response = hx.post(
        world.paragraph_url(world.consent), data=chapter_form(world, loaded, **fields)
    )
    assert fragment_response.status_code == 422
    fragment = html(fragment_response).strip()
    assert fragment.startswith('<section class="translation-item" id="tr-p-6-1"')
    assert "My careful translation" in fragment and 'class="error-summary"' in fragment
    assert stored() == {}


def test_outdated_translations_are_marked_in_words(client, admin, world):
    world.translate()
    world.consent.text = "Die Einwilligung gilt nur für die genannten Stellen."
    db.session.flush()
    page = html(client.get(world.chapter_url()))
    assert "Outdated: the German wording has changed since this translation was saved" in page
    overview = html(client.get(world.admin_url()))
    assert "1 outdated" in overview and "1 of 2" in overview


def outdate_consent(world):
    world.translate()
    world.consent.text = "Die Einwilligung gilt nur für die genannten Stellen."
    db.session.flush()


def is_outdated(world, paragraph):
    db.session.expire_all()
    return translations.load_translations(world.consultation, "en").paragraph_outdated(paragraph)


def test_saving_another_paragraph_leaves_an_outdated_translation_outdated(client, admin, world):
    outdate_consent(world)
    page = html(client.get(world.chapter_url()))
    # Only the outdated translation offers the confirmation.
    assert f'name="p{world.consent.id}-still_fits"' in page
    assert f'name="p{world.exchange.id}-still_fits"' not in page
    assert 'name="chapter-still_fits"' not in page
    response = client.post(
        world.chapter_url(),
        data=chapter_form(world, page, **{f"p{world.exchange.id}-text": "Data."}),
    )
    assert response.status_code == 303
    assert stored()[world.exchange.id].text == "Data."
    assert is_outdated(world, world.consent)
    saves = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "translation.save")
    ).all()
    assert [event.details.get("number") for event in saves] == ["6.1", None, "6.2"]
    page = html(client.get(response.headers["Location"]))
    assert "Outdated: the German wording has changed since this translation was saved" in page


def test_ticking_still_fits_confirms_an_outdated_translation(client, hx, admin, world):
    outdate_consent(world)
    page = html(client.get(world.chapter_url()))
    confirmed = chapter_form(world, page, **{f"p{world.consent.id}-still_fits": "y"})
    assert client.post(world.chapter_url(), data=confirmed).status_code == 303
    assert not is_outdated(world, world.consent)
    assert stored()[world.consent.id].text == ENGLISH_TEXT
    # The same with one paragraph's own button, by HTMX.
    world.consent.text = "Noch einmal geändert."
    db.session.flush()
    page = html(hx.get(world.chapter_url()))
    unticked = chapter_form(world, page)
    fragment = html(hx.post(world.paragraph_url(world.consent), data=unticked))
    assert "Paragraph 6.1: nothing was changed." in fragment
    assert is_outdated(world, world.consent)
    ticked = {**unticked, f"p{world.consent.id}-still_fits": "y"}
    fragment = html(hx.post(world.paragraph_url(world.consent), data=ticked))
    assert "Translation of paragraph 6.1 saved." in fragment
    assert not is_outdated(world, world.consent)
    assert f'name="p{world.consent.id}-still_fits"' not in fragment


def colleague_saves(world, paragraph, text):
    translations.save_paragraph_translation(
        world.consultation,
        paragraph,
        "en",
        title="",
        text=text,
        enabled=("de", "en", "ar"),
        actor=make_staff(role=Role.ADMIN),
        now=utcnow(),
    )
    db.session.commit()


def test_a_colleagues_save_meanwhile_is_not_overwritten_unseen(client, admin, world):
    world.translate()
    page = html(client.get(world.chapter_url()))
    colleague_saves(world, world.consent, "Their consent wording.")
    mine = "My consent wording."
    response = client.post(
        world.chapter_url(),
        data=chapter_form(
            world,
            page,
            **{f"p{world.consent.id}-text": mine, f"p{world.exchange.id}-text": "Data."},
        ),
    )
    assert response.status_code == 409
    conflict = html(response)
    assert mine in conflict and "Their consent wording." in conflict
    assert "A colleague saved this translation while you were writing." in conflict
    assert 'href="#tr-p-6-1"' in conflict
    # Nothing was written, not even the paragraph without a conflict; its text is kept too.
    assert stored()[world.consent.id].text == "Their consent wording."
    assert world.exchange.id not in stored()
    assert "Data." in conflict
    # Saving again, knowingly, replaces the colleague's translation.
    again = client.post(world.chapter_url(), data=chapter_form(world, conflict))
    assert again.status_code == 303
    assert stored()[world.consent.id].text == mine
    assert stored()[world.exchange.id].text == "Data."


def test_two_translators_on_one_chapter_keep_each_others_work(client, admin, world):
    world.translate()
    page = html(client.get(world.chapter_url()))
    colleague_saves(world, world.consent, "Their consent wording.")
    response = client.post(
        world.chapter_url(), data=chapter_form(world, page, **{f"p{world.exchange.id}-text": "D."})
    )
    assert response.status_code == 303
    assert stored()[world.consent.id].text == "Their consent wording."
    assert stored()[world.exchange.id].text == "D."


def test_a_colleagues_save_meanwhile_answers_409_to_one_paragraph(client, hx, admin, world):
    world.translate()
    page = html(hx.get(world.chapter_url()))
    colleague_saves(world, world.consent, "Their consent wording.")
    data = chapter_form(world, page, **{f"p{world.consent.id}-text": "My consent wording."})
    response = hx.post(world.paragraph_url(world.consent), data=data)
    assert response.status_code == 409
    fragment = html(response).strip()
    assert fragment.startswith('<section class="translation-item" id="tr-p-6-1"')
    assert "My consent wording." in fragment and "Their consent wording." in fragment
    assert 'class="error-summary"' in fragment
    assert stored()[world.consent.id].text == "Their consent wording."
    # Without JavaScript: the whole page, the typed text kept.
    page_response = client.post(world.paragraph_url(world.consent), data=data)
    assert page_response.status_code == 409
    assert "My consent wording." in html(page_response)
    # The fragment carries the colleague's version: saving from it replaces theirs.
    again = {**data, **loaded_fields(fragment)}
    saved = hx.post(world.paragraph_url(world.consent), data=again)
    assert saved.status_code == 200
    assert stored()[world.consent.id].text == "My consent wording."
    # The fragment of that save knows it: saving from it again is no conflict.
    after = {**again, **loaded_fields(html(saved)), f"p{world.consent.id}-text": "Third."}
    assert hx.post(world.paragraph_url(world.consent), data=after).status_code == 200
    assert stored()[world.consent.id].text == "Third."


def test_the_chapter_translation_is_guarded_too(client, admin, world):
    world.translate(summary=ENGLISH_SUMMARY)
    page = html(client.get(world.chapter_url()))
    translations.save_section_translation(
        world.section,
        "en",
        title="Their title",
        plain_summary=ENGLISH_SUMMARY,
        enabled=("de", "en"),
        actor=make_staff(role=Role.ADMIN),
        now=utcnow(),
    )
    db.session.commit()
    response = client.post(
        world.chapter_url(), data=chapter_form(world, page, **{"chapter-title": "My title"})
    )
    assert response.status_code == 409
    conflict = html(response)
    assert "My title" in conflict and "Their title" in conflict
    assert 'href="#tr-chapter"' in conflict
    assert db.session.scalars(select(SectionTranslation.title)).one() == "Their title"
    # An outdated chapter translation is confirmed only by its own checkbox.
    world.section.plain_summary = "Neu geschrieben."
    db.session.commit()
    page = html(client.get(world.chapter_url()))
    assert client.post(world.chapter_url(), data=chapter_form(world, page)).status_code == 303
    db.session.expire_all()
    english = translations.load_translations(world.consultation, "en")
    assert english.section_outdated(world.section)
    confirmed = chapter_form(world, page, **{"chapter-still_fits": "y"})
    assert client.post(world.chapter_url(), data=confirmed).status_code == 303
    db.session.expire_all()
    english = translations.load_translations(world.consultation, "en")
    assert not english.section_outdated(world.section)


def test_the_german_kurz_erklaert_is_written_on_the_german_page(client, admin, world):
    url = world.chapter_url("de")
    page = html(client.get(url))
    assert GERMAN_SUMMARY in page
    token = csrf_from(page)
    response = client.post(url, data={"csrf_token": token, "plain_summary": "Neu und klar."})
    assert response.status_code == 303
    db.session.refresh(world.section)
    assert world.section.plain_summary == "Neu und klar."
    assert "Kurz erklärt of chapter 6 saved." in html(client.get(url))
    too_long = "x" * 20001
    refused = client.post(url, data={"csrf_token": token, "plain_summary": too_long})
    assert refused.status_code == 422 and too_long in html(refused)


def test_the_reading_aids_are_editable_after_the_results(client, admin, world):
    from consult.models import Phase

    world.consultation.phase = Phase.RESULTS
    db.session.flush()
    data = chapter_form(
        world, html(client.get(world.chapter_url())), **{f"p{world.consent.id}-text": ENGLISH_TEXT}
    )
    assert client.post(world.paragraph_url(world.consent), data=data).status_code == 303
    assert stored()[world.consent.id].text == ENGLISH_TEXT


# --- readers ------------------------------------------------------------------------------------


def test_readers_see_the_translation_marked_as_a_help_with_the_german_one_step_away(
    app, client, world
):
    world.translate(language="ar", text=ARABIC_TEXT)
    page = html(client.get(f"/ar/c/{world.slug}/"))
    assert '<div class="paragraph__text paragraph__text--translation" lang="ar" dir="rtl">' in page
    assert ARABIC_TEXT in page
    with app.test_request_context("/ar/"), force_locale("ar"):
        note = escape(gettext("Translation — to help you read. Only the German text is binding."))
    assert note != "Translation — to help you read. Only the German text is binding."
    assert f'<span class="translation-note__label">{note}</span>' in page
    original = page.split('<details class="german-original">', 1)[1].split("</details>", 1)[0]
    assert 'lang="de" dir="ltr"' in original and GERMAN_TEXT in original
    # The chapter title in Arabic, the German beside it.
    assert '<span lang="ar" dir="rtl">حماية البيانات</span>' in page
    assert '<span class="original-title" lang="de" dir="ltr">(Datenschutz)</span>' in page
    # The untranslated paragraph stays German.
    assert "<p>Daten.</p>" in page
    # Comments still go to the paragraph.
    assert f'href="/ar/c/{world.slug}/p/6.1"' in page


def test_text_de_shows_the_german_text_and_links_back(client, world):
    world.translate()
    page = html(client.get(f"/en/c/{world.slug}/?text=de"))
    assert ENGLISH_TEXT not in page and GERMAN_TEXT in page
    assert 'class="german-original"' not in page
    assert f'href="/en/c/{world.slug}/"' in page and "Show the translation into" in page
    translated = html(client.get(f"/en/c/{world.slug}/"))
    assert f'href="/en/c/{world.slug}/?text=de"' in translated


def test_german_readers_see_no_translation(client, world):
    world.translate(summary=ENGLISH_SUMMARY)
    page = html(client.get(f"/de/c/{world.slug}/"))
    assert ENGLISH_TEXT not in page and "translation-note" not in page
    assert "reading-switch" not in page and GERMAN_TEXT in page


def test_kurz_erklaert_opens_each_chapter_in_the_readers_language(client, world):
    world.translate(summary=ENGLISH_SUMMARY)
    german = html(client.get(f"/de/c/{world.slug}/"))
    box = german.split('<div class="plain-summary">', 1)[1].split("</div>\n</div>", 1)[0]
    assert '<span lang="de" dir="ltr">Kurz erklärt</span>' in box and GERMAN_SUMMARY in box
    english = html(client.get(f"/en/c/{world.slug}/"))
    box = english.split('<div class="plain-summary">', 1)[1]
    assert "In short" in box.split("</h3>", 1)[0]
    assert ENGLISH_SUMMARY in box and GERMAN_SUMMARY in box.split("</details>", 1)[0]
    # Where there is no translation, the German Kurz erklärt says it is German.
    arabic = html(client.get(f"/ar/c/{world.slug}/"))
    box = arabic.split('<div class="plain-summary">', 1)[1].split("</h3>", 1)[1]
    assert f'lang="de" dir="ltr">\n  <p>{GERMAN_SUMMARY}</p>' in box


def test_readers_are_told_when_a_translation_is_outdated(client, world):
    world.translate()
    world.consent.text = "Die Einwilligung gilt nur für die genannten Stellen."
    db.session.flush()
    page = html(client.get(f"/en/c/{world.slug}/"))
    assert "Outdated: the German text has changed since this translation was made." in page


def test_the_thread_and_the_comment_form_show_the_translation(client, world, csrf_token):
    world.translate()
    thread = html(client.get(f"/en/c/{world.slug}/p/6.1"))
    assert ENGLISH_TEXT in thread and 'class="german-original"' in thread
    assert f'href="/en/c/{world.slug}/p/6.1?text=de"' in thread
    german_thread = html(client.get(f"/en/c/{world.slug}/p/6.1?text=de"))
    assert ENGLISH_TEXT not in german_thread and GERMAN_TEXT in german_thread
    url = f"/en/c/{world.slug}/p/6.1/comment"
    form_page = html(client.get(url))
    assert ENGLISH_TEXT in form_page and GERMAN_TEXT in form_page
    # The German original folds out in place: a link to another page would lose the typed
    # text, so the comment form has no page-level switch, not even after an error.
    assert 'class="german-original"' in form_page
    assert "reading-switch" not in form_page and "text=de" not in form_page
    typed = "Mein sorgfältig geschriebener Kommentar"
    refused = client.post(
        url, data=valid_form(csrf_token(url), prefix="p-6-1-", text=typed, consent="")
    )
    assert refused.status_code == 422
    refused_page = html(refused)
    assert typed in refused_page and 'class="german-original"' in refused_page
    assert "reading-switch" not in refused_page and "text=de" not in refused_page
    response = client.post(url, data=valid_form(csrf_token(url), prefix="p-6-1-"))
    assert response.status_code == 303
    comment = db.session.scalars(select(Comment)).one()
    assert comment.paragraph_id == world.consent.id


def test_the_thread_fragment_needs_no_translations(hx, world, count_queries):
    world.translate()
    db.session.expire_all()
    with count_queries() as counter:
        fragment = html(hx.get(f"/en/c/{world.slug}/p/6.1"))
    assert ENGLISH_TEXT not in fragment
    assert not any("translation" in statement for statement in counter.statements)

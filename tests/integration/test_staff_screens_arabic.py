"""Every staff screen is offered in Arabic, right to left and translated."""

import pytest

from consult.models import Role
from tests.factories import make_comment, make_document, make_staff

STAFF_SCREENS = [
    "/ar/moderation/",
    "/ar/admin/staff/",
    "/ar/admin/audit/",
    "/ar/admin/organisations/",
    "/ar/staff/account",
]


@pytest.fixture
def arabic(app, monkeypatch):
    monkeypatch.setitem(app.config, "LANGUAGES", ["de", "en", "ar"])


@pytest.mark.parametrize("url", STAFF_SCREENS)
def test_staff_screens_render_right_to_left_in_arabic(client, login, arabic, url):
    _consultation, (paragraph, *_) = make_document()
    make_comment(paragraph)
    login(make_staff(role=Role.ADMIN))
    response = client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    # The navigation is translated, not English left in a right-to-left frame.
    assert "Moderation queue" not in html and "Sign out" not in html
    assert "قائمة" in html or "الإشراف" in html

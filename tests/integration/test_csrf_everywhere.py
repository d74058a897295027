"""Every POST route refuses a request without a valid CSRF token, found from the URL map so
that a route added later is covered without anyone remembering to add it here."""

import pytest
from flask import url_for
from werkzeug.routing import Rule
from werkzeug.routing.converters import NumberConverter

from consult.i18n import LanguageConverter


def post_rules(app) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())),
        key=lambda rule: rule.rule,
    )


def sample_url(app, rule: Rule) -> str:
    # Any value a converter accepts will do: the token check runs before the view looks
    # anything up, so the ids need not exist.
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, LanguageConverter):
            values[name] = "de"
        elif isinstance(converter, NumberConverter):
            values[name] = 1
        else:
            values[name] = "x"
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def test_the_app_has_post_routes_to_check(app):
    # Guards the test below against an empty parametrisation passing silently.
    assert len(post_rules(app)) >= 40


@pytest.mark.parametrize("header", [None, "bogus-token"], ids=["no-token", "bogus-token"])
def test_every_post_route_refuses_a_request_without_a_valid_token(app, client, header):
    refused, accepted = [], []
    for rule in post_rules(app):
        url = sample_url(app, rule)
        headers = {"X-CSRFToken": header} if header else {}
        response = client.post(url, data={"csrf_token": header or ""}, headers=headers)
        (refused if response.status_code == 400 else accepted).append(
            (rule.rule, response.status_code)
        )
    assert accepted == [], f"POST routes that did not refuse a missing or bad token: {accepted}"
    assert len(refused) == len(post_rules(app))


def test_the_refusal_explains_itself_in_the_readers_language(client):
    response = client.post("/de/accessibility/feedback", data={"message": "Hallo"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'lang="de"' in page
    # Nothing typed is echoed back into a page that an attacker's form could have triggered.
    assert "Hallo" not in page

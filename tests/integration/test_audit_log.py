"""The audit log for the administration: access, filters, paging, the CSV export (safe for
spreadsheets, streamed, itself audited) and the absence of any network address."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from consult.extensions import db as _db
from consult.models import AuditEvent, Role
from consult.models.types import utcnow
from consult.services import audit
from tests.conftest import csrf_from, html
from tests.factories import make_member, make_organisation, make_staff

LOG = "/en/admin/audit/"
EXPORT = "/en/admin/audit/export.csv"
# 23:30 UTC on 25 November is already 26 November in the county (Europe/Berlin, UTC+1).
LATE_EVENING = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
CLIENT_ADDRESS = "203.0.113.77"


def event_ids(page: str) -> list[int]:
    return [int(match) for match in re.findall(r'<tr id="event-(\d+)"', page)]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def log(actor, action, subject, details=None, *, at):
    event = audit.record(actor, action, subject, details, now=at)
    _db.session.flush()
    return event


@pytest.fixture
def admin(db, login):
    return login(make_staff(role=Role.ADMIN, display_name="Amtsleiterin Becker"))


@pytest.fixture
def events(admin):
    """Five events by two staff members and the system, on three days."""
    moderator = make_staff(role=Role.MODERATOR, display_name="Moderator Yilmaz")
    organisation = make_organisation(name="Caritas Siegen")
    member = make_member(organisation)
    return {
        "created": log(
            admin,
            "organisation.create",
            organisation,
            {"name": "Caritas Siegen", "verified": False},
            at=datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
        ),
        "invited": log(
            admin,
            "member.invite",
            organisation,
            {"organisation_id": organisation.id},
            at=datetime(2026, 11, 25, 10, 0, tzinfo=UTC),
        ),
        "joined": log(
            None,
            "member.join",
            member,
            {"organisation_id": organisation.id},
            at=datetime(2026, 11, 25, 11, 0, tzinfo=UTC),
        ),
        "staff": log(
            moderator,
            "staff.password_change",
            moderator,
            at=datetime(2026, 11, 25, 12, 0, tzinfo=UTC),
        ),
        "late": log(
            moderator,
            "comment.reject",
            organisation,
            {"comment_id": 7, "reason": "spam", "after_reports": True},
            at=LATE_EVENING,
        ),
    }


def shown(client, **query) -> list[int]:
    response = client.get(LOG, query_string=query)
    assert response.status_code == 200, html(response)
    return event_ids(html(response))


# --- access ----------------------------------------------------------------------------------


def test_strangers_are_sent_to_the_staff_sign_in(client):
    for url in (LOG, EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert "/en/staff/login" in response.headers["Location"]


def test_moderators_and_members_are_forbidden(client, db, login):
    for user in (make_staff(role=Role.MODERATOR), make_member(make_organisation())):
        login(user)
        assert client.get(LOG).status_code == 403
        assert client.get(EXPORT).status_code == 403
    assert not _db.session.scalars(select(AuditEvent)).all()


def test_nav_links_the_log_for_admins_only(client, db, login):
    login(make_staff(role=Role.MODERATOR))
    assert LOG not in html(client.get("/en/"))
    login(make_staff(role=Role.ADMIN))
    assert f'href="{LOG}"' in html(client.get("/en/"))


# --- the list --------------------------------------------------------------------------------


def test_list_shows_each_event_readably_newest_first(client, events):
    page = html(client.get(LOG))
    expected = ["late", "staff", "joined", "invited", "created"]
    assert event_ids(page) == [events[name].id for name in expected]
    late = page[page.index(f'id="event-{events["late"].id}"') :].split("</tr>")[0]
    # The county's time zone, the actor's name, the action's label, the subject and details.
    assert "Nov 26, 2026" in late and "12:30:00" in late
    assert "Moderator Yilmaz" in late
    assert "Comment rejected" in late
    assert f"Organisation {events['late'].subject_id}" in late
    assert "<dt>reason</dt><dd>spam</dd>" in late
    assert "<dt>after_reports</dt><dd>yes</dd>" in late
    joined = page[page.index(f'id="event-{events["joined"].id}"') :].split("</tr>")[0]
    assert "system" in joined and "Member joined through an invitation" in joined


def test_an_unknown_action_shows_its_code(client, admin):
    log(admin, "archive.rebuild", admin, at=utcnow())
    assert "archive.rebuild" in html(client.get(LOG))


def test_filters_each_narrow_the_list(client, events):
    def ids(*names):
        return [events[name].id for name in names]

    moderator_id = events["staff"].actor_id
    admin_id = events["created"].actor_id
    assert shown(client, actor=str(moderator_id)) == ids("late", "staff")
    assert shown(client, actor=str(admin_id)) == ids("invited", "created")
    assert shown(client, actor="system") == ids("joined")
    assert shown(client, action="member.invite") == ids("invited")
    assert shown(client, subject_type="member") == ids("joined")
    assert shown(client, subject_type="organisation") == ids("late", "invited", "created")
    # Days are the county's days, and both ends are included.
    assert shown(client, date_from="2026-11-26") == ids("late")
    assert shown(client, date_to="2026-11-25") == ids("staff", "joined", "invited", "created")
    assert shown(client, date_from="2026-11-25", date_to="2026-11-25") == ids(
        "staff", "joined", "invited"
    )
    assert shown(client, actor=str(moderator_id), action="comment.reject") == ids("late")
    assert shown(client, date_from="2026-12-01") == []


def test_filter_form_offers_staff_and_the_actions_that_occur(client, events):
    page = html(client.get(LOG))
    assert '<option value="system">system</option>' in page
    assert ">Moderator Yilmaz</option>" in page
    assert '<option value="member.join">Member joined through an invitation</option>' in page
    assert 'value="staff.totp_reset"' not in page  # never happened, so not offered


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"action": "nonsense"}, "Choose one of the options in the list."),
        ({"actor": "abc"}, "Choose one of the options in the list."),
        ({"actor": "999999"}, "Choose one of the options in the list."),
        ({"subject_type": "<script>"}, "Choose one of the options in the list."),
        ({"date_from": "2026-13-45"}, "Enter a date like 2026-11-25."),
        ({"date_to": "yesterday"}, "Enter a date like 2026-11-25."),
        ({"date_from": "0001-01-01"}, "Enter a date between the years 2000 and 2099."),
        (
            {"date_from": "2026-11-26", "date_to": "2026-11-25"},
            "The end date must not be before the start date.",
        ),
        ({"older_than": "-3"}, "This page link is not valid."),
        ({"newer_than": "x"}, "This page link is not valid."),
    ],
)
def test_invalid_filters_get_a_clear_message(client, events, query, message):
    for url in (LOG, EXPORT):
        response = client.get(url, query_string=query)
        assert response.status_code == 422
        page = html(response)
        assert message in page
        assert "Please check your input" in page
        assert event_ids(page) == []
    assert not _db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "audit.export")
    ).all()


def test_pages_of_fifty_with_newer_and_older_links(client, admin):
    start = datetime(2026, 11, 1, tzinfo=UTC)
    created = [
        log(admin, "organisation.update", admin, {"n": n}, at=start + timedelta(minutes=n)).id
        for n in range(120)
    ]
    newest_first = created[::-1]

    first = html(client.get(LOG))
    assert event_ids(first) == newest_first[:50]
    assert "Newer events" not in first
    older = re.search(r'href="([^"]+)" rel="next">Older events', first).group(1)

    second = html(client.get(older.replace("&amp;", "&")))
    assert event_ids(second) == newest_first[50:100]
    older = re.search(r'href="([^"]+)" rel="next">Older events', second).group(1)
    newer = re.search(r'href="([^"]+)" rel="prev">Newer events', second).group(1)

    third = html(client.get(older.replace("&amp;", "&")))
    assert event_ids(third) == newest_first[100:]
    assert "Older events" not in third
    assert "Newer events" in third

    back = html(client.get(newer.replace("&amp;", "&")))
    assert event_ids(back) == newest_first[:50]
    assert "Newer events" not in back


def test_paging_keeps_the_filters(client, admin):
    other = make_staff(role=Role.ADMIN)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for n in range(60):
        log(admin, "organisation.update", admin, at=start + timedelta(minutes=2 * n))
        log(other, "organisation.update", other, at=start + timedelta(minutes=2 * n + 1))
    first = html(client.get(LOG, query_string={"actor": str(admin.id)}))
    older = re.search(r'href="([^"]+)" rel="next">Older events', first).group(1)
    assert f"actor={admin.id}" in older
    second = html(client.get(older.replace("&amp;", "&")))
    assert len(event_ids(second)) == 10
    assert f'href="{EXPORT}?actor={admin.id}"' in second


LOG_BUDGET = 5  # the signed-in admin, staff, actions and subjects, one page, "is there newer"


def test_list_queries_do_not_grow_with_events(client, admin, count_queries):
    counts = []
    for total in (5, 60):
        for _ in range(total):
            log(admin, "organisation.update", admin, at=utcnow())
        _db.session.expunge_all()
        with count_queries() as counter:
            assert client.get(LOG, query_string={"older_than": 2**31 - 1}).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] <= LOG_BUDGET


# --- the export ------------------------------------------------------------------------------


def test_export_is_csv_with_bom_header_and_one_row_per_event(client, events):
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.mimetype_params["charset"] == "utf-8"
    assert response.is_streamed
    today = datetime.now(ZoneInfo("Europe/Berlin")).date().isoformat()
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="audit-log-{today}.csv"'
    )
    assert response.get_data().startswith(b"\xef\xbb\xbf")

    header, *rows = csv_rows(response)
    assert header == [
        "time",
        "actor_id",
        "actor_name",
        "action",
        "subject_type",
        "subject_id",
        "details",
    ]
    # The export's own event is written before the rows are read, so it is among them.
    assert [row[3] for row in rows].count("audit.export") == 1
    late = next(row for row in rows if row[3] == "comment.reject")
    assert late == [
        "2026-11-25T23:30:00Z",
        str(events["late"].actor_id),
        "Moderator Yilmaz",
        "comment.reject",
        "organisation",
        str(events["late"].subject_id),
        '{"after_reports": true, "comment_id": 7, "reason": "spam"}',
    ]
    joined = next(row for row in rows if row[3] == "member.join")
    assert joined[1:3] == ["", ""]
    assert len(rows) == 6


def test_export_quotes_cells_and_defuses_formulas(client, admin):
    attacker = make_staff(role=Role.ADMIN, display_name='=HYPERLINK("http://evil")')
    log(
        attacker,
        "+cmd|' /C calc'!A0",
        admin,
        {"name": 'Haus "Kreuz", Siegen\nZweigstelle', "städte": ["Bad Berleburg"]},
        at=datetime(2026, 11, 20, tzinfo=UTC),
    )
    log(admin, "@SUM(A1)", admin, at=datetime(2026, 11, 19, tzinfo=UTC))
    log(admin, "-2+3", admin, at=datetime(2026, 11, 18, tzinfo=UTC))
    log(admin, "\tindent", admin, at=datetime(2026, 11, 17, tzinfo=UTC))
    log(admin, "\rreturn", admin, at=datetime(2026, 11, 16, tzinfo=UTC))

    response = client.get(EXPORT)
    text = response.get_data().decode("utf-8-sig")
    # A text with a comma, a quote and a line break stays in one quoted cell.
    assert '"{""name"": ""Haus \\""Kreuz\\"", Siegen\\nZweigstelle""' in text
    rows = csv_rows(response)[2:]
    assert rows[0][2] == '\'=HYPERLINK("http://evil")'
    assert rows[0][3] == "'+cmd|' /C calc'!A0"
    assert "Bad Berleburg" in rows[0][6] and "städte" in rows[0][6]
    assert [row[3] for row in rows[1:]] == ["'@SUM(A1)", "'-2+3", "'\tindent", "'\rreturn"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_export_applies_the_filters_and_is_audited(client, admin, events):
    response = client.get(EXPORT, query_string={"actor": "system", "date_from": "2026-11-25"})
    assert [row[3] for row in csv_rows(response)[1:]] == ["member.join"]

    exported = _db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "audit.export")
    ).one()
    assert exported.actor_id == admin.id
    assert exported.subject_type == "auditlog"
    assert exported.details == {
        "actor_id": "system",
        "action": None,
        "subject_type": None,
        "date_from": "2026-11-25",
        "date_to": None,
    }
    page = html(client.get(LOG, query_string={"action": "audit.export"}))
    assert "Audit log exported" in page and "Amtsleiterin Becker" in page


def test_no_client_address_is_ever_recorded(client, admin, events):
    environ = {"REMOTE_ADDR": CLIENT_ADDRESS}
    form = html(client.get("/en/admin/organisations/", environ_base=environ))
    response = client.post(
        "/en/admin/organisations/",
        data={
            "csrf_token": csrf_from(form),
            "name": "Tafel Kreuztal",
            "group": "volunteer_initiative",
        },
        environ_base=environ,
    )
    assert response.status_code == 303
    client.get(EXPORT, environ_base=environ)

    response = client.get(EXPORT, environ_base=environ)
    text = response.get_data().decode("utf-8-sig")
    assert "organisation.create" in text and "Tafel Kreuztal" in text
    assert text.count("audit.export") == 2
    assert CLIENT_ADDRESS not in text
    assert CLIENT_ADDRESS not in html(client.get(LOG, environ_base=environ))

"""GET /api/v1/calendar/due/ — the organisation's calendar over HTTP (REQ-FBK-03, REQ-DOC-03, REQ-TEC-01)."""

from __future__ import annotations

import datetime as dt

import pytest
from django_guard import require_calendar_app

require_calendar_app()

from huiyi.calendar import services  # noqa: E402
from huiyi.calendar.models import BusinessHours, CalendarDay, LoadedYear  # noqa: E402

URL = "/api/v1/calendar/due/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, django_user_model):
    user = django_user_model.objects.create_user(username="planner", password="a-long-password-1")
    client.force_login(user)
    return client


def get(api, **params):
    return api.get(URL, params)


def test_three_working_days_after_2026_02_13(api):
    """REQ-FBK-03: 02-14 is an adjusted working day and Spring Festival runs 02-15..02-23."""
    response = get(api, start="2026-02-13T10:00:00+08:00", working_days=3)
    assert response.status_code == 200
    assert response.json() == {"due": "2026-02-25T23:59:59+08:00", "confirmed": True}


def test_start_may_be_a_date_or_any_offset(api):
    """REQ-DOC-03: dates are read in the organisation's zone (Asia/Shanghai)."""
    by_date = get(api, start="2026-02-13", working_days=3).json()
    by_utc = get(api, start="2026-02-12T17:00:00Z", working_days=3).json()  # 02-13 01:00 in Shanghai
    assert by_date == by_utc == {"due": "2026-02-25T23:59:59+08:00", "confirmed": True}


def test_hours_and_business_hours(api):
    """REQ-TEC-01: business hours skip nights and weekends; plain hours do not."""
    assert get(api, start="2026-03-06T17:00:00+08:00", hours=24).json() == {
        "due": "2026-03-07T17:00:00+08:00",
        "confirmed": True,
    }
    assert get(api, start="2026-03-06T17:00:00+08:00", business_hours="2").json() == {
        "due": "2026-03-09T10:00:00+08:00",
        "confirmed": True,
    }
    assert get(api, start="2026-03-06T17:00:00+08:00", business_hours="1.5").json()["due"] == (
        "2026-03-09T09:30:00+08:00"
    )


def test_unconfirmed_2027_then_loaded(api, django_user_model):
    """ARCHITECTURE: an unloaded year is flagged, and an administrator's entries change the answer."""
    assert get(api, start="2026-12-30", working_days=3).json() == {
        "due": "2027-01-04T23:59:59+08:00",
        "confirmed": False,
    }
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_working_day=False, name={"zh-hans": "元旦"})
    LoadedYear.objects.create(year=2027, source="State Council notice")
    assert get(api, start="2026-12-30", working_days=3).json() == {
        "due": "2027-01-05T23:59:59+08:00",
        "confirmed": True,
    }


def test_business_hours_setting_is_used(api):
    """REQ-TEC-01: support hours are an organisation setting."""
    BusinessHours.objects.create(windows={str(i): [["08:00", "20:00"]] for i in range(5)})
    assert get(api, start="2026-03-06T19:00:00+08:00", business_hours=2).json()["due"] == (
        "2026-03-09T09:00:00+08:00"
    )


@pytest.mark.parametrize(
    ("params", "bad_fields"),
    [
        ({"working_days": 3}, {"start"}),
        ({"start": "2026-02-13T10:00:00", "working_days": 3}, {"start"}),
        ({"start": "13/02/2026", "working_days": 3}, {"start"}),
        ({"start": "2026-02-13"}, {"working_days", "hours", "business_hours"}),
        ({"start": "2026-02-13", "working_days": 3, "hours": 24}, {"working_days", "hours"}),
        ({"start": "2026-02-13", "working_days": -1}, {"working_days"}),
        ({"start": "2026-02-13", "working_days": "three"}, {"working_days"}),
        ({"start": "2026-02-13", "working_days": 10**9}, {"working_days"}),
        ({"start": "2026-02-13", "hours": "-2"}, {"hours"}),
        ({"start": "2026-02-13", "business_hours": "abc"}, {"business_hours"}),
    ],
)
def test_bad_requests_name_the_field(api, params, bad_fields):
    response = get(api, **params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == bad_fields
    assert all(error["fields"][name] for name in bad_fields)


def test_requires_authentication(client):
    response = client.get(URL, {"start": "2026-02-13", "working_days": 3})
    assert response.status_code in (401, 403)
    assert "error" in response.json()


def test_calendar_is_built_once_per_request(rf, django_assert_num_queries, django_assert_max_num_queries):
    request = rf.get(URL)
    # overrides, loaded years, business hours; with no hours stored: the active rulebook version (+ its data)
    with django_assert_max_num_queries(5):
        first = services.work_calendar(request)
    with django_assert_num_queries(0):
        assert services.work_calendar(request) is first

"""The working-calendar pages: the year at a glance, corrections, imports and the deadline calculator."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from huiyi.calendar.models import CalendarDay, LoadedYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar_admin(make_user, org):
    user = make_user("quality_officer", org["company"])
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="workcalendar", codename__endswith="calendarday")
    )
    return user


def test_REQ_FBK_03_year_page_shows_2026_adjusted_working_days(client, make_user, org):
    client.force_login(make_user("planner", org["north"]))
    page = client.get(reverse("calendar:year"), {"year": 2026}).content.decode()
    for adjusted in ("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"):
        assert f'class="adjusted_workday" title="{adjusted}' in page
    assert 'class="holiday" title="2026-02-17' in page
    assert "bi-patch-check" in page  # 2026 is an official, confirmed year


def test_year_without_an_official_schedule_is_flagged_unconfirmed(client, make_user, org):
    client.force_login(make_user("planner", org["north"]))
    page = client.get(reverse("calendar:year"), {"year": 2027}).content.decode()
    assert "bi-exclamation-triangle" in page


def test_REQ_FBK_03_deadline_calculator(client, make_user, org):
    """Three working days after 2026-02-13 is 2026-02-25: 02-14 is an adjusted working day."""
    client.force_login(make_user("planner", org["north"]))
    page = client.get(
        reverse("calendar:year"),
        {"start": "2026-02-13T10:00", "amount": "3", "kind": "working_days", "year": 2026},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert 'id="due-result"' in page and "alert-success" in page
    assert "Feb. 25, 2026" in page


def test_deadline_calculator_rejects_part_of_a_working_day(client, make_user, org):
    client.force_login(make_user("planner", org["north"]))
    page = client.get(
        reverse("calendar:year"), {"start": "2026-02-13T10:00", "amount": "1.5", "kind": "working_days"}
    ).content.decode()
    assert "invalid-feedback" in page and 'id="due-result"' not in page


def test_only_permitted_users_correct_the_calendar(client, make_user, org, calendar_admin):
    client.force_login(make_user("planner", org["north"]))
    assert client.get(reverse("calendar:day_new")).status_code == 403
    client.force_login(calendar_admin)
    response = client.post(
        reverse("calendar:day_new"),
        {"date": "2027-02-08", "is_working_day": "", "name_zh": "春节", "name_en": "Spring Festival"},
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date="2027-02-08")
    assert not day.is_working_day and day.created_by == calendar_admin
    assert day.name == {"zh-hans": "春节", "en": "Spring Festival"}


def test_correction_without_a_name_is_refused_with_a_message(client, calendar_admin):
    client.force_login(calendar_admin)
    response = client.post(reverse("calendar:day_new"), {"date": "2027-02-08", "name_zh": ""})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_import_all_or_nothing_from_the_page(client, calendar_admin):
    client.force_login(calendar_admin)
    good = SimpleUploadedFile(
        "2027.csv", "date,kind,name\n2027-02-06,holiday,春节\n2027-02-20,workday,调休\n".encode()
    )
    client.post(reverse("calendar:import"), {"file": good, "confirm_year": "2027"})
    assert CalendarDay.objects.count() == 2
    assert LoadedYear.objects.filter(year=2027).exists()
    bad = SimpleUploadedFile("bad.csv", b"date,kind,name\n2027-13-01,holiday,x\n2027-03-01,holiday,y\n")
    response = client.post(reverse("calendar:import"), {"file": bad}, follow=True)
    assert CalendarDay.objects.count() == 2
    assert "alert-danger" in response.content.decode()


def test_REQ_TEC_01_business_hours_come_from_the_active_rulebook():
    """Without an organisation setting, the calendar opens at the rulebook's support hours."""
    import datetime as dt

    from huiyi.calendar.services import business_hours
    from huiyi.rulebook.services import active_rulebook

    opens, closes = active_rulebook().rule("tec.support_hours").value
    monday = business_hours().windows_for(dt.date(2026, 3, 2), "workday")
    assert monday == ((dt.time(int(opens)), dt.time(int(closes))),)
    assert business_hours().windows_for(dt.date(2026, 3, 7), "weekend") == ()

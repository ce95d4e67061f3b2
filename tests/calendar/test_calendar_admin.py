"""Administrators edit the calendar tables; every change is in the audit trail (ARCHITECTURE "Time")."""

from __future__ import annotations

import datetime as dt

import pytest
from django_guard import require_calendar_app

require_calendar_app()

from auditlog.models import LogEntry  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402

from huiyi.calendar.models import BusinessHours, CalendarDay  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="root", password="a-long-password-1")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", ["calendarday", "loadedyear", "businesshours"])
def test_admin_pages_open(admin_client, model):
    assert admin_client.get(f"/admin/workcalendar/{model}/").status_code == 200
    assert admin_client.get(f"/admin/workcalendar/{model}/add/").status_code == 200


def test_changes_are_audited():
    day = CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_working_day=False, name={"zh-hans": "元旦"})
    assert LogEntry.objects.get_for_object(day).count() == 1


def test_business_hours_is_a_single_validated_row():
    """REQ-TEC-01: support hours are one organisation setting."""
    first = BusinessHours.objects.create()
    again = BusinessHours(windows={"0": [["10:00", "16:00"]]})
    again.save()
    assert first.pk == again.pk == 1 and BusinessHours.objects.count() == 1
    broken = BusinessHours(windows={"0": [["18:00", "09:00"]]})
    with pytest.raises(ValidationError, match="open must be earlier"):
        broken.full_clean()

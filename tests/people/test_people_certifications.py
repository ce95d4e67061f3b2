"""Certifications with issuer, number and expiry; expired and expiring flagged by the rulebook's lead time,
the daily job tells HR once (REQ-PPL-01, REQ-PPL-04 Mandarin on the profile)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from huiyi.core.models import Notification
from huiyi.people import queries, services, tasks
from huiyi.people.models import Certification
from huiyi.rulebook.services import active_rulebook


def test_req_ppl_01_certificate_states_follow_the_rulebook_lead_time(staff):
    lead = int(active_rulebook().value("ppl.certification.expiry_warning"))
    today = dt.date(2026, 11, 28)
    planner = staff["planner"]
    make = lambda days: services.add_certification(  # noqa: E731
        planner,
        by=staff["hr"],
        name="电工证",
        issuer="应急管理局",
        expires_on=None if days is None else today + dt.timedelta(days=days),
    )
    states = [queries.certificate_state(make(d), today, lead) for d in (-1, 0, lead, lead + 1, None)]
    assert states == ["expired", "expiring", "expiring", "valid", "permanent"]
    assert set(queries.staff_list(staff["hr"], certificates="expired", today=today)) == {planner}
    with pytest.raises(ValidationError) as error:
        services.add_certification(
            planner,
            by=staff["hr"],
            name="x",
            issuer="",
            issued_on=today,
            expires_on=today - dt.timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"issuer", "expires_on"}


def test_req_ppl_01_daily_job_notifies_hr_once_per_certificate(staff):
    today = dt.date.today()
    services.add_certification(
        staff["planner"],
        by=staff["hr"],
        name="保安员证",
        issuer="公安局",
        number="沪保1",
        expires_on=today + dt.timedelta(days=3),
    )
    services.add_certification(
        staff["planner"],
        by=staff["hr"],
        name="学位证",
        issuer="大学",
        expires_on=today + dt.timedelta(days=400),
    )
    tasks.certificate_expiry_check.call_local()
    tasks.certificate_expiry_check.call_local()
    notices = Notification.objects.filter(kind="people.certificate_expiry")
    assert [n.recipient.username for n in notices] == ["hr"]
    assert "保安员证" in notices.get().title
    assert Certification.objects.count() == 2


def test_req_ppl_04_profile_keeps_mandarin_level_and_languages(staff):
    profile = services.update_profile(
        staff["reception"], by=staff["hr"], mandarin_level="1b", languages="英语(良好)", phone="13800000009"
    )
    assert profile.get_mandarin_level_display().startswith("Level 1-B") or "一级乙等" in str(
        profile.get_mandarin_level_display()
    )
    staff["reception"].refresh_from_db()
    assert staff["reception"].phone == "13800000009"
    with pytest.raises(ValidationError):
        services.update_profile(staff["reception"], by=staff["hr"], mandarin_level="9z")

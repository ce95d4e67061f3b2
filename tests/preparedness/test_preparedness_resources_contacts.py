"""Emergency resources (REQ-INC-08) complete before the start, emergency contacts posted and sent to every
staff member (REQ-ONS-09), the printable contact sheet, and the support hotline (REQ-TEC-01)."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from huiyi.core.models import Notification
from huiyi.incidents.preparedness import metrics, pdf, queries, services
from huiyi.incidents.preparedness.models import EmergencyResource
from huiyi.projects.models import MeetingProject
from huiyi.quality.metrics import Measurement, NotMeasurable
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db


def rulebook_keys(project) -> list[str]:
    return list(services.resource_rules(rulebook_for(project)))


def check_all(project, by):
    for key in rulebook_keys(project):
        services.check_resource(project, resource=key, quantity=2, location="东门服务台", by=by)


def checked_hours_ago(project, hours: int) -> None:
    """As if the lines were checked earlier (the metric judges the first check against the start)."""
    EmergencyResource.objects.filter(project=project).update(
        first_checked_at=timezone.now() - timedelta(hours=hours)
    )


def move_start(project, **delta):
    MeetingProject.objects.filter(pk=project.pk).update(start=timezone.now() + timedelta(**delta))
    project.refresh_from_db()


def test_req_inc_08_the_checklist_is_the_rulebooks(team):
    project = team["project"]
    keys = rulebook_keys(project)
    assert keys == [
        "first_aid_kit",
        "fire_equipment",
        "emergency_lighting",
        "communications",
        "evacuation_signs",
    ]
    checklist = queries.checklist(project)
    assert [line.key for line in checklist.lines] == keys and not checklist.ready
    assert checklist.lines[0].name == "急救箱"


def test_req_inc_08_metric_ready_when_every_item_was_checked_before_the_start(team):
    project, guard = team["project"], team["security"]
    rulebook = rulebook_for(project)
    assert isinstance(metrics.emergency_resource_present(project, rulebook), NotMeasurable)
    check_all(project, guard)
    extra = services.add_resource(project, name="AED 除颤仪", by=guard)
    assert not queries.checklist(project).ready  # an added item must be checked too
    services.check_resource(project, item=extra, quantity=1, location="一层大堂", by=guard)
    assert queries.checklist(project).ready
    result = metrics.emergency_resource_present(project, rulebook)
    assert isinstance(result, Measurement) and result.value == Decimal(1)
    assert rulebook.rule("inc.resources.first_aid_kit").passes(result.value)


def test_req_inc_08_metric_fails_when_the_meeting_started_without_them(team):
    project, guard = team["project"], team["security"]
    services.check_resource(project, resource="first_aid_kit", quantity=1, location="医务室", by=guard)
    checked_hours_ago(project, 2)
    move_start(project, hours=-1)
    result = metrics.emergency_resource_present(project, rulebook_for(project))
    assert result.value == Decimal(0)
    assert "fire_equipment" in result.evidence["not_ready_at_start"]
    assert "first_aid_kit" not in result.evidence["not_ready_at_start"]
    check_all(project, guard)  # checked late: still not ready at the start
    assert metrics.emergency_resource_present(project, rulebook_for(project)).value == Decimal(0)


def test_clearing_an_item_after_the_start_keeps_the_record_of_readiness(team):
    project, guard = team["project"], team["security"]
    check_all(project, guard)
    checked_hours_ago(project, 2)
    move_start(project, hours=-1)
    kit = EmergencyResource.objects.get(project=project, resource="first_aid_kit")
    services.clear_resource(kit, reason="急救箱已用于处理划伤", by=guard)
    assert not queries.checklist(project).ready  # the panel warns now
    assert metrics.emergency_resource_present(project, rulebook_for(project)).value == Decimal(1)


def test_bad_resource_input_names_the_field_and_changes_nothing(team):
    project, guard = team["project"], team["security"]
    for values, field in (
        ({"resource": "first_aid_kit", "quantity": 0, "location": "东门"}, "quantity"),
        ({"resource": "first_aid_kit", "quantity": "两个", "location": "东门"}, "quantity"),
        ({"resource": "first_aid_kit", "quantity": 1, "location": " "}, "location"),
        ({"resource": "rocket", "quantity": 1, "location": "东门"}, "resource"),
    ):
        with pytest.raises(ValidationError) as error:
            services.check_resource(project, by=guard, **values)
        assert field in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.add_resource(project, name="急救箱", by=guard)
    assert "name" in error.value.message_dict
    assert not EmergencyResource.objects.exists()


def add_contacts(project, by):
    services.add_contact(project, role="现场总控", name="赵总控", phone="139 0000 0001", by=by)
    services.add_contact(project, role="场馆安保中心", name="钱安保", phone="021-6888 0000", by=by)
    services.add_contact(project, role="急救", name="120", phone="120", by=by)


def test_req_ons_09_contacts_validated_and_dialable(team):
    project, director = team["project"], team["director"]
    add_contacts(project, director)
    first = queries.contacts(project).first()
    assert first.tel == "13900000001"
    for phone in ("abc", "1", "+86 (0)21-1234x"):
        with pytest.raises(ValidationError) as error:
            services.add_contact(project, role="司机", name="周", phone=phone, by=director)
        assert "phone" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.add_contact(project, role="", name="周", phone="13800000000", by=director)
    assert "role" in error.value.message_dict
    assert queries.contacts(project).count() == 3


def test_req_ons_09_posted_and_sent_to_every_staff_member(team, django_capture_on_commit_callbacks):
    project, director = team["project"], team["director"]
    rulebook = rulebook_for(project)
    with pytest.raises(ValidationError):
        services.send_contacts_to_staff(project, by=director)
    add_contacts(project, director)
    assert isinstance(metrics.emergency_contacts_posted_and_sent(project, rulebook), NotMeasurable)
    with django_capture_on_commit_callbacks(execute=True):
        sheet = services.send_contacts_to_staff(project, by=director)
    assert sheet.sent_to == 4
    notices = Notification.objects.filter(kind="emergency_contacts")
    assert (
        notices.count() == 4 and "赵总控" in notices.first().body and "021-6888 0000" in notices.first().body
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.send_contacts_to_staff(project, by=director)  # the same version: nobody gets it twice
    assert notices.count() == 4
    services.mark_contacts_posted(project, by=director)
    result = metrics.emergency_contacts_posted_and_sent(project, rulebook)
    assert result.value == Decimal(1) and rulebook.rule("ons.liaison.contacts_distributed").passes(
        result.value
    )

    contact = queries.contacts(project).first()
    services.update_contact(contact, phone="139 0000 0009", by=director)
    move_start(project, minutes=-5)
    assert metrics.emergency_contacts_posted_and_sent(project, rulebook).value == Decimal(0)  # stale copies
    with django_capture_on_commit_callbacks(execute=True):
        services.send_contacts_to_staff(project, by=director)
    assert notices.count() == 8


def test_req_ons_09_contact_sheet_pdf_has_big_bilingual_text(team):
    project, director = team["project"], team["director"]
    add_contacts(project, director)
    services.update_support_desk(hotline="400-820-0000", by=director)
    data = pdf.render(project)
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    assert "应急联系方式" in text and "Emergencycontacts" in text
    assert "赵总控" in text and "13900000001" in text and "021-68880000" in text
    assert "400-820-0000" in text
    assert reader.pages[0].mediabox.width == pytest.approx(595.27, abs=1)  # A4


def test_req_tec_01_support_desk_and_hours(team):
    with pytest.raises(ValidationError) as error:
        services.update_support_desk(hotline="热线", by=team["director"])
    assert "hotline" in error.value.message_dict
    services.update_support_desk(hotline="400-820-0000", email="support@example.com", by=team["director"])
    support = queries.support_desk()
    assert support["desk"].hotline == "400-820-0000"
    rule = rulebook_for(team["project"]).rule("tec.support_hours")
    low, high = rule.value
    assert support["hours"][0]["windows"] == f"{int(low):02d}:00–{int(high):02d}:00"
    assert (support["hours"][0]["first"], support["hours"][0]["last"]) == (
        rule.weekdays[0] - 1,
        rule.weekdays[-1] - 1,
    )

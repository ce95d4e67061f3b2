"""Equipment readiness for a project (CCP-06, REQ-ONS-03) and the phase outputs of resources."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from huiyi.projects.outputs import evidence_for
from huiyi.quality.metrics import Measurement, measure
from huiyi.resources import services
from huiyi.rulebook.services import rulebook_for


@pytest.fixture
def booked(project, execution, projector, microphone):
    start, end = project.start, project.end
    return (
        services.book(
            project, by=execution, kind="equipment", equipment=projector, starts_at=start, ends_at=end
        ),
        services.book(
            project, by=execution, kind="equipment", equipment=microphone, starts_at=start, ends_at=end
        ),
    )


def _passing(rb, metric):
    rule = rb.rules_where(metric=metric)[0]
    return rule.value[0] if isinstance(rule.value, tuple) else rule.value


def test_REQ_ONS_03_check_compares_readings_with_the_rulebook(project, execution, booked):
    rb = rulebook_for(project)
    projector_booking, mic_booking = booked
    with pytest.raises(ValidationError) as error:
        services.record_equipment_check(projector_booking, by=execution, readings_given={}, functional=True)
    assert "projector_brightness_lm" in error.value.message_dict
    ok = services.record_equipment_check(
        projector_booking,
        by=execution,
        readings_given={
            "projector_resolution_vertical": _passing(rb, "projector_resolution_vertical"),
            "projector_brightness_lm": _passing(rb, "projector_brightness_lm"),
        },
        functional=True,
    )
    assert ok.passed
    dim = _passing(rb, "volume_db") - 10
    failed = services.record_equipment_check(
        mic_booking,
        by=execution,
        readings_given={"volume_db": dim, "signal_to_noise_db": _passing(rb, "signal_to_noise_db")},
        functional=True,
    )
    assert not failed.passed
    assert [r["metric"] for r in failed.results if not r["passed"]] == ["volume_db"]


def test_CCP_06_metrics_from_checks_and_rehearsal(project, execution, booked):
    rb = rulebook_for(project)
    assert not isinstance(measure("equipment_functional_rate", project, rb), Measurement)
    assert not isinstance(measure("av_rehearsal_done", project, rb), Measurement)
    projector_booking, mic_booking = booked
    services.record_equipment_check(
        projector_booking,
        by=execution,
        readings_given={
            "projector_resolution_vertical": _passing(rb, "projector_resolution_vertical"),
            "projector_brightness_lm": _passing(rb, "projector_brightness_lm"),
        },
        functional=True,
    )
    assert measure("equipment_functional_rate", project, rb).value == pytest.approx(0.5)
    assert measure("key_equipment_tests_passed", project, rb).value == 0
    services.record_equipment_check(
        mic_booking,
        by=execution,
        readings_given={
            "volume_db": _passing(rb, "volume_db"),
            "signal_to_noise_db": _passing(rb, "signal_to_noise_db"),
        },
        functional=True,
    )
    assert measure("equipment_functional_rate", project, rb).value == 1
    assert rb.rule("ccp06.equipment_functional_rate").passes(1)
    assert measure("key_equipment_tests_passed", project, rb).value == 1
    services.record_rehearsal(project, by=execution, note="试音完成")
    assert measure("av_rehearsal_done", project, rb).value == 1


def test_checks_need_permission(project, booked, make_user, org):
    outsider = make_user("planner", org["south"])
    with pytest.raises(Exception):
        services.record_equipment_check(booked[0], by=outsider, readings_given={}, functional=True)


def test_technical_support_member_may_check(project, booked, make_user, org):
    tech = make_user("technical_support", org["north_events"])
    from huiyi.accounts.models import Role
    from huiyi.projects.models import ProjectMember

    ProjectMember.objects.create(project=project, user=tech, role=Role.objects.get(key="technical_support"))
    rb = rulebook_for(project)
    check = services.record_equipment_check(
        booked[1],
        by=tech,
        readings_given={
            "volume_db": _passing(rb, "volume_db"),
            "signal_to_noise_db": _passing(rb, "signal_to_noise_db"),
        },
        functional=False,
    )
    assert not check.passed


def test_REQ_QLT_01_outputs_equipment_list_and_layout_drawing(project, execution, hall, booked):
    assert evidence_for(project, "equipment_list") is not None
    assert evidence_for(project, "venue_layout_drawing") is None
    booking = services.book(
        project, by=execution, kind="venue", room=hall, starts_at=project.start, ends_at=project.end
    )
    services.attach_layout_drawing(
        booking,
        by=execution,
        drawing=SimpleUploadedFile("layout.png", b"\x89PNG drawing", content_type="image/png"),
    )
    assert "黄浦厅" in evidence_for(project, "venue_layout_drawing").label


def test_check_form_on_the_bookings_page(client, project, execution, booked):
    client.force_login(execution)
    rb = rulebook_for(project)
    response = client.post(
        f"/resources/bookings/{booked[0].pk}/check/",
        {
            "reading_projector_resolution_vertical": _passing(rb, "projector_resolution_vertical"),
            "reading_projector_brightness_lm": 1000,
            "functional": "yes",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/resources/projects/{project.pk}/bookings/").content.decode()
    assert "not passed" in page or "未通过" in page


def test_project_page_shows_the_resources_section(client, project, manager, booked):
    client.force_login(manager)
    page = client.get(f"/projects/{project.pk}/")
    assert page.status_code == 200
    assert b"resources-summary" in page.content

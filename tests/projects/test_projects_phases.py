"""Phases close only with their outputs and evaluated control points (REQ-QLT-01); grades, green measures."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from huiyi.projects import outputs
from huiyi.projects.models import Phase, PhaseClosure
from huiyi.projects.phases import readiness
from huiyi.projects.services import close_phase
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(make_user, org):
    return make_user("project_director", org["company"])


def test_REQ_QLT_01_phase_one_lists_its_outputs_and_control_points(make_project):
    project = make_project(phase=1)
    state = readiness(project)
    definition = rulebook_for(project).phases[0]
    assert [o.key for o in state.outputs] == [o.id for o in definition.outputs]
    assert [c.key for c in state.control_points] == list(definition.control_points)
    assert not state.ready


def test_REQ_QLT_01_a_phase_that_is_not_ready_does_not_close(make_project, make_user, org):
    manager = make_user("project_manager", org["north"])
    project = make_project(phase=1, members=[(manager, "project_manager")])
    with pytest.raises(ValidationError):
        close_phase(project, by=manager)
    project.refresh_from_db()
    assert project.phase == Phase.NEEDS and not PhaseClosure.objects.exists()


def test_REQ_QLT_01_only_the_director_overrides_and_the_override_is_audited(
    make_project, make_user, org, director
):
    from auditlog.models import LogEntry

    manager = make_user("project_manager", org["north"])
    project = make_project(phase=1, members=[(manager, "project_manager")])
    with pytest.raises(PermissionDenied):
        close_phase(project, by=manager, override_reason="客户催促")
    closure = close_phase(project, by=director, override_reason="客户已口头确认，书面确认书后补")
    project.refresh_from_db()
    assert project.phase == Phase.RESOURCES
    assert closure.missing["outputs"] and closure.override_reason
    assert LogEntry.objects.get_for_object(project).filter(changes__icontains="phase_override").exists()


def test_REQ_QLT_01_a_ready_phase_closes_without_a_reason(make_project, director, monkeypatch):
    from huiyi.quality import services as quality
    from huiyi.quality.models import ControlPointResult

    project = make_project(phase=1)
    definition = rulebook_for(project).phases[0]
    for item in definition.outputs:  # monkeypatch restores the apps' real checks afterwards
        present = lambda p, label=item.id: outputs.Evidence(label=label)  # noqa: E731
        monkeypatch.setitem(outputs._REGISTRY, item.id, present)
    quality.evaluate(project, by=director)
    ControlPointResult.objects.filter(project=project).update(verdict="pass")
    assert readiness(project).ready
    close_phase(project, by=director)
    project.refresh_from_db()
    assert project.phase == Phase.RESOURCES


def test_closing_the_last_phase_closes_the_project(make_project, director):
    project = make_project(phase=5)
    close_phase(project, by=director, override_reason="年度归档")
    project.refresh_from_db()
    assert project.closed_at is not None


def test_project_page_shows_readiness_and_the_close_form(client, make_project, director):
    project = make_project(phase=1)
    client.force_login(director)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'id="phase-readiness"' in page and 'id="close-phase-form"' in page
    response = client.post(
        reverse("projects:close_phase", args=[project.pk]), {"override_reason": ""}, follow=True
    )
    assert "alert-danger" in response.content.decode()


def test_REQ_QLT_05_REQ_GEN_05_grades_and_green_measures_are_recorded_and_reported(
    client, make_project, director
):
    """REQ-QLT-05, REQ-GEN-05: grades and green measures are shown; green measures reported per quarter."""
    project = make_project(phase=2)
    project.service_grades = ["planning", "execution"]
    project.green_measures = ["paperless", "energy_saving"]
    project.save()
    make_project(phase=2, green_measures=["paperless"])
    client.force_login(director)
    page = client.get(
        reverse("projects:detail", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Grade 1 · planning" in page and "Energy-saving devices" in page
    report = client.get(reverse("projects:green"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="green-table"' in report and "(100%)" in report and "(50%)" in report


def test_timeline_lists_actions_phase_closures_and_results_in_order(client, make_project, director):
    from huiyi.quality import services as quality

    project = make_project(phase=1)
    quality.record_measurement(project, "plan_creativity_score", 86, by=director)
    quality.evaluate(project, "CCP-02", by=director)
    close_phase(project, by=director, override_reason="客户已确认")
    client.force_login(director)
    page = client.get(
        reverse("projects:timeline", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'id="timeline"' in page
    assert page.index("Phase closed") < page.index("CCP-02")  # newest first


def test_REQ_PPL_01_the_team_is_managed_on_its_page(client, make_user, make_project, org):
    manager = make_user("project_manager", org["north"])
    project = make_project(members=[(manager, "project_manager")])
    newcomer = make_user("technical_support", org["north"], username="wu")
    from huiyi.accounts.models import Role

    role = Role.objects.get(key="technical_support")
    client.force_login(manager)
    url = reverse("projects:team", args=[project.pk])
    assert client.post(url, {"user": newcomer.pk, "role": role.pk}).status_code == 302
    assert project.members.filter(user=newcomer, role=role).exists()
    again = client.post(url, {"user": newcomer.pk, "role": role.pk}).content.decode()
    assert "alert-danger" in again or "invalid-feedback" in again
    member = project.members.get(user=newcomer)
    client.post(url, {"remove": member.pk})
    assert not project.members.filter(user=newcomer).exists()
    client.force_login(make_user("reception", org["south"]))
    assert client.get(url).status_code == 403

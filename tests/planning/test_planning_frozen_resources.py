"""REQ-PLN-02 / REQ-RES-05: the resources app books against the frozen plan's resource lines."""

from datetime import timedelta

from huiyi.projects.planning.models import PlanStatus, PlanVersion, ResourceLine
from huiyi.projects.planning.queries import PlanResource, frozen_plan_resources


def test_REQ_PLN_02_no_confirmed_version_means_no_frozen_resources(make_project):
    project = make_project()
    PlanVersion.objects.create(project=project, number=1)
    assert frozen_plan_resources(project) == []


def test_REQ_PLN_02_frozen_resources_come_from_the_confirmed_version_only(make_project):
    project = make_project()
    draft = PlanVersion.objects.create(project=project, number=2)
    confirmed = PlanVersion.objects.create(project=project, number=1, status=PlanStatus.CONFIRMED)
    start = project.start
    ResourceLine.objects.create(
        version=confirmed,
        kind="venue",
        name="主会场",
        quantity=1,
        start=start,
        end=start + timedelta(hours=8),
    )
    ResourceLine.objects.create(
        version=draft,
        kind="equipment",
        name="投影仪",
        quantity=3,
        start=start,
        end=start + timedelta(hours=8),
    )
    assert frozen_plan_resources(project) == [
        PlanResource(kind="venue", name="主会场", quantity=1, start=start, end=start + timedelta(hours=8))
    ]

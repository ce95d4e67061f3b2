"""Pages and API of the preparation app (REQ-PLN-05, REQ-PRE-04, REQ-PRE-05, REQ-FBK-05)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from rest_framework.test import APIClient

from huiyi.projects.preparation import services
from huiyi.projects.preparation.models import MaterialItem, Task

pytestmark = pytest.mark.django_db


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_project_page_shows_the_section_with_overdue_task(team, client):
    project, pm = team["project"], team["pm"]
    services.create_task(
        project, title="逾期任务", owner=pm, due=timezone.now() - timedelta(hours=1), done_criterion="c"
    )
    client.force_login(pm)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'id="preparation"' in page and "逾期任务" in page and 'id="overdue-tasks-badge"' in page


def test_add_task_form_names_the_field_and_saves_nothing(team, client):
    project, pm = team["project"], team["pm"]
    client.force_login(pm)
    url = reverse("preparation:task_add", args=[project.pk])
    response = client.post(
        url, {"title": "", "owner": pm.pk, "due": "2030-01-01T10:00", "done_criterion": "x"}
    )
    assert response.status_code == 400 and 'data-field="title"' in response.content.decode()
    assert not Task.objects.exists()
    response = client.post(
        url, {"title": "t", "owner": pm.pk, "due": "2030-01-01T10:00", "done_criterion": "x"}
    )
    assert response.status_code == 302 and Task.objects.get().number == 1


def test_outsider_cannot_add_tasks(team, client, make_user, org):
    client.force_login(make_user("project_manager", org["south_events"]))
    assert client.get(reverse("preparation:task_add", args=[team["project"].pk])).status_code == 403


def test_ics_view_REQ_PRE_01(team, client):
    client.force_login(team["pm"])
    response = client.get(reverse("preparation:schedule_ics", args=[team["project"].pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert Calendar.from_ical(response.content).walk("VEVENT")


def test_public_design_approval_link_once_REQ_PRE_05(team, client):
    item = services.create_material(
        team["project"], name="背景板", kind="backdrop", quantity=1, planned_delivery=timezone.now()
    )
    _, token = services.issue_design_approval_link(item, by=team["pm"])
    url = reverse("preparation:approve", args=[token])
    assert "背景板" in client.get(url).content.decode()
    client.post(url, {"client_name": "张经理", "decision": "approve"})
    assert MaterialItem.objects.get(pk=item.pk).approval == "approved"
    again = client.post(url, {"client_name": "别人", "decision": "reject", "comment": "x"})
    assert again.status_code == 410
    assert MaterialItem.objects.get(pk=item.pk).approved_by_name == "张经理"


def test_task_api_crud_and_status_patch_REQ_PLN_05(team, django_assert_max_num_queries):
    project, pm = team["project"], team["pm"]
    api = _api(pm)
    url = f"/api/v1/projects/{project.pk}/tasks/"
    created = api.post(
        url, {"title": "订酒店", "owner": pm.pk, "due": "2030-01-01T02:00:00Z", "done_criterion": "确认函"}
    )
    assert created.status_code == 201, created.content
    assert created.json()["number"] == 1
    bad = api.post(url, {"title": "x", "owner": team["project"].pk + 999, "due": "x", "done_criterion": "y"})
    assert bad.status_code == 400 and "fields" in bad.json()["error"]
    done = api.patch(f"{url}{created.json()['id']}/", {"status": "done"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    for n in range(5):
        services.create_task(project, title=f"t{n}", owner=pm, due=timezone.now(), done_criterion="c")
    with django_assert_max_num_queries(12):
        listed = api.get(url)
    assert listed.json()["count"] == 6


def test_review_training_materials_communications_api(team, django_assert_max_num_queries):
    project, pm = team["project"], team["pm"]
    api = _api(pm)
    base = f"/api/v1/projects/{project.pk}"
    assert api.post(f"{base}/reviews/", {}).status_code == 201
    steps = api.get(f"{base}/reviews/").json()["results"]
    decided = api.patch(f"{base}/reviews/{steps[0]['id']}/", {"outcome": "approved"}, format="json")
    assert decided.status_code == 200 and decided.json()["outcome"] == "approved"
    training = api.post(
        f"{base}/trainings/",
        {"topic": "etiquette", "held_at": "2030-01-01T02:00:00Z", "trainer": "王", "pass_mark": "60"},
        format="json",
    )
    assert training.status_code == 201, training.content
    scored = api.patch(
        f"{base}/trainings/{training.json()['id']}/",
        {"attendances": [{"user": team["hr"].pk, "score": "55"}]},
        format="json",
    )
    assert scored.status_code == 200 and scored.json()["attendances"][0]["passed"] is False
    material = api.post(
        f"{base}/materials/",
        {"name": "胸牌", "kind": "badge", "quantity": 0, "planned_delivery": "2030-01-01T02:00:00Z"},
        format="json",
    )
    assert material.status_code == 400 and "quantity" in material.json()["error"]["fields"]
    message = api.post(
        f"{base}/communications/",
        {
            "channel": "wechat",
            "direction": "in",
            "stage": "initial_contact",
            "summary": "询价",
            "received_at": timezone.now().isoformat(),
        },
        format="json",
    )
    assert message.status_code == 201 and message.json()["respond_by"]
    with django_assert_max_num_queries(12):
        assert api.get(f"{base}/trainings/").status_code == 200
    assert Decimal(scored.json()["attendances"][0]["score"]) == Decimal("55")

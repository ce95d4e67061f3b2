"""REQ-PRE-01: the project page lists the open tasks due soonest; every task is on the execution plan page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from huiyi.projects.preparation.models import Task
from huiyi.projects.preparation.queries import SECTION_TASKS

pytestmark = pytest.mark.django_db


def test_REQ_PRE_01_project_page_bounds_its_task_rows_and_links_the_full_plan(
    client, make_user, make_project, org, django_assert_max_num_queries
):
    manager = make_user("project_manager", org["north"])
    project = make_project(members=[(manager, "project_manager")])
    now = timezone.now()
    Task.objects.bulk_create(
        [
            Task(
                project=project,
                number=i + 1,
                title=f"任务 {i + 1}",
                owner=manager,
                due=now + timedelta(days=i),
                done_criterion="完成",
            )
            for i in range(SECTION_TASKS * 3)
        ]
    )
    client.force_login(manager)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert page.count("data-task=") == SECTION_TASKS
    assert 'id="all-tasks"' in page
    with django_assert_max_num_queries(25):
        full = client.get(reverse("preparation:tasks", args=[project.pk])).content.decode()
    assert full.count("<tr class=") == SECTION_TASKS * 3
    client.force_login(make_user("planner", org["south"]))
    assert client.get(reverse("preparation:tasks", args=[project.pk])).status_code in (403, 404)

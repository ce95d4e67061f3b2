from datetime import timedelta

import pytest
from django.utils import timezone

from huiyi.feedback.improvement import services


@pytest.fixture
def team(make_user, make_project, org):
    """A meeting that ended ten days ago (evaluation phase) and its people."""
    unit = org["north_events"]
    pm = make_user("project_manager", unit, username="pm", email="pm@example.com", display_name="王磊")
    quality = make_user("quality_officer", unit, username="quality", display_name="韩梅")
    planner = make_user("planner", unit, username="planner", email="planner@example.com")
    outsider = make_user("project_manager", org["south_events"], username="outsider")
    start = timezone.now() - timedelta(days=12)
    project = make_project(
        unit,
        members=[(pm, "project_manager"), (planner, "planner")],
        phase=4,
        start=start,
        end=start + timedelta(days=2),
    )
    return {
        "project": project,
        "pm": pm,
        "quality": quality,
        "planner": planner,
        "outsider": outsider,
        "unit": unit,
    }


@pytest.fixture
def add_action(team):
    def add(problem="签到排队过长", deadline_in_days=10, owner=None, project=None, **fields):
        return services.create_action(
            project or team["project"],
            problem=problem,
            action=fields.pop("action", "增设两个签到通道并提前开放"),
            owner=owner or team["pm"],
            deadline=timezone.localdate() + timedelta(days=deadline_in_days),
            expected_effect=fields.pop("expected_effect", "高峰排队不超过5分钟"),
            by=team["pm"],
            **fields,
        )

    return add

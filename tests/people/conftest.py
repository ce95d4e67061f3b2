import datetime as dt

import pytest

from huiyi.people import services


@pytest.fixture
def staff(make_user, org):
    """HR and the quality officer at company level, a director of North, two North staff, one South."""
    return {
        "hr": make_user("hr", org["company"], username="hr", display_name="蒋涛"),
        "qo": make_user("quality_officer", org["company"], username="qo", display_name="韩梅"),
        "director": make_user("project_director", org["north"], username="director", display_name="赵敏"),
        "planner": make_user("planner", org["north_events"], username="planner", display_name="孙丽"),
        "reception": make_user("reception", org["north_events"], username="rec", display_name="郑雨"),
        "south": make_user("planner", org["south_events"], username="south", display_name="南方策划"),
    }


@pytest.fixture
def plan(staff):
    """Module target roles fixed for the tests: communication for planners and reception, regulations for
    planners only (every other module keeps the default plan)."""
    hr = staff["hr"]
    services.update_module_plan(
        "communication",
        by=hr,
        methods=["role_play"],
        expected_outcome={},
        target_roles=["planner", "reception"],
    )
    services.update_module_plan(
        "regulations", by=hr, methods=["lecture"], expected_outcome={}, target_roles=["planner"]
    )
    return staff


def session(module, day, rows, *, by, trainer="陈静", method="workshop"):
    s = services.record_session(module=module, held_on=day, trainer=trainer, method=method, by=by)
    services.record_attendance(s, rows, by=by)
    return s


D = dt.date

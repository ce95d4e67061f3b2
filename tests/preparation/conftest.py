import pytest


@pytest.fixture
def team(make_user, make_project, org):
    unit = org["north_events"]
    manager = make_user("project_manager", unit, username="pm")
    hr = make_user("hr", unit, username="hr")
    finance = make_user("finance", unit, username="fin")
    tech = make_user("technical_support", unit, username="tech")
    reception = make_user("reception", unit, username="rec")
    project = make_project(
        unit,
        members=[
            (manager, "project_manager"),
            (hr, "hr"),
            (finance, "finance"),
            (tech, "technical_support"),
            (reception, "reception"),
        ],
        phase=2,
    )
    return {"project": project, "pm": manager, "hr": hr, "fin": finance, "tech": tech, "rec": reception}

from datetime import timedelta
from decimal import Decimal

import pytest

from huiyi.projects.planning import services


@pytest.fixture
def team(org, make_user):
    unit = org["north_events"]
    return {
        "planner": make_user("planner", unit, username="planner"),
        "director": make_user("project_director", unit, username="director"),
        "manager": make_user("project_manager", unit, username="manager"),
        "outsider": make_user("planner", org["south_events"], username="outsider"),
    }


@pytest.fixture
def project(make_project, team):
    return make_project(
        members=[
            (team["planner"], "planner"),
            (team["director"], "project_director"),
            (team["manager"], "project_manager"),
        ]
    )


def fill(version, by):
    """A complete draft: goals, one agenda item, resources, budget (the preset risks are already there)."""
    start = version.project.start
    services.update_goals(
        version, by=by, goals="年度客户答谢会：提升品牌影响力", catering="自助午餐", translation="中英同传"
    )
    services.add_line(
        version, "agenda", by=by, starts_at=start, ends_at=start + timedelta(hours=1), title="开幕致辞"
    )
    services.add_line(
        version,
        "resources",
        by=by,
        kind="venue",
        name="主会场",
        quantity=1,
        start=start,
        end=start + timedelta(hours=8),
    )
    services.add_line(
        version, "budget", by=by, category="venue", description="场地租赁", amount=Decimal("600000")
    )
    services.add_line(
        version, "budget", by=by, category="catering", description="餐饮", amount=Decimal("450000")
    )
    version.refresh_from_db()
    return version


@pytest.fixture
def draft(project, team):
    version = services.create_version(project, by=team["planner"])
    return fill(version, team["planner"])


@pytest.fixture
def approved(draft, team):
    services.submit_for_review(draft, by=team["planner"])
    services.review(draft, reviewer=team["director"], score=86, comment="创意突出", outcome="approve")
    services.review(draft, reviewer=team["manager"], score=90, outcome="approve")
    services.conclude_review(draft, by=team["director"], outcome="approve")
    draft.refresh_from_db()
    return draft


@pytest.fixture
def sent(approved, team):
    version, token = services.send_to_client(approved, by=team["planner"], recipient="王经理")
    version.token = token
    return version

import pytest
from django.utils import timezone

from huiyi.projects.planning.models import PlanStatus, PlanVersion, RiskItem


@pytest.fixture
def team(make_user, make_project, org):
    unit = org["north_events"]
    director = make_user(
        "on_site_director", unit, username="director", display_name="赵总控", phone="13900000001"
    )
    security = make_user("security", unit, username="guard", display_name="钱安保")
    planner = make_user("planner", unit, username="planner", display_name="孙策划")
    tech = make_user("technical_support", unit, username="tech", display_name="李技术")
    project = make_project(
        unit,
        members=[
            (director, "on_site_director"),
            (security, "security"),
            (planner, "planner"),
            (tech, "technical_support"),
        ],
        start_in_days=2,
        phase=3,
    )
    outsider = make_user("on_site_director", org["south_events"], username="outsider")
    return {
        "project": project,
        "director": director,
        "security": security,
        "planner": planner,
        "tech": tech,
        "outsider": outsider,
    }


@pytest.fixture
def confirmed_plan(team):
    """A client-confirmed plan version with the three preset risks of REQ-PLN-04."""
    project = team["project"]
    version = PlanVersion.objects.create(
        project=project, number=1, status=PlanStatus.CONFIRMED, created_by=team["planner"]
    )
    rows = [
        ("设备故障", "投影、音响或网络在会中失灵。", "会前联调；关键设备备份。", "技术支持"),
        ("参会者迟到", "交通拥堵或航班延误。", "提前发送交通指引。", "礼仪接待"),
        ("恶劣天气", "暴雨、台风影响出行。", "关注天气预报；准备室内备选。", "现场总控"),
    ]
    for position, (risk, description, response, owner) in enumerate(rows):
        RiskItem.objects.create(
            version=version,
            position=position,
            risk=risk,
            description=description,
            response=response,
            owner=owner,
        )
    return version


@pytest.fixture
def now():
    return timezone.now()

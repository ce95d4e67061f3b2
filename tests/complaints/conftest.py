import copy
import datetime as dt

import pytest
from django.core.cache import cache

from huiyi.rulebook.loader import load_rulebook
from huiyi.rulebook.models import RulebookVersion
from huiyi.rulebook.services import active_version

SH = dt.timezone(dt.timedelta(hours=8))


def at(text: str) -> dt.datetime:
    """A Shanghai wall-clock time: at("2026-03-06 10:00")."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def team(make_user, make_project, org):
    unit = org["north_events"]
    pm = make_user("project_manager", unit, username="pm", email="pm@example.com")
    am = make_user("account_manager", unit, username="am", email="am@example.com")
    director = make_user("project_director", org["north"], username="director")
    quality = make_user("quality_officer", org["company"], username="qo")
    reception = make_user("reception", unit, username="rec")
    project = make_project(
        unit,
        members=[(pm, "project_manager"), (am, "account_manager"), (reception, "reception")],
        start_in_days=-10,
        phase=4,
    )
    return {
        "project": project,
        "pm": pm,
        "am": am,
        "director": director,
        "qo": quality,
        "rec": reception,
    }


@pytest.fixture
def working_day_rulebook(db):
    """A rulebook version whose minor-complaint resolution runs on working days (3), to test the calendar."""
    base = active_version()
    data = copy.deepcopy(base.data)
    for rule in data["rules"]:
        if rule["id"] == "fbk.complaint.minor.resolution":
            rule.update({"clock": "working_days", "unit": "working_days", "value": 3})
    data["version"] = base.number + 1
    book = load_rulebook(data)
    return RulebookVersion.objects.create(
        number=base.number + 1,
        title=base.title,
        data=data,
        digest=book.digest,
        status=RulebookVersion.Status.DRAFT,
        change_note="test",
    )

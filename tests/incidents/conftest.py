from datetime import timedelta

import pytest
from django.utils import timezone

from huiyi.clients.models import Contact


@pytest.fixture
def team(make_user, make_project, org, client_org):
    """A meeting running now with its on-site team; the client's primary contact is the host's principal."""
    unit = org["north_events"]
    director = make_user("on_site_director", unit, username="director", email="director@example.com")
    security = make_user("security", unit, username="guard", email="guard@example.com")
    tech = make_user("technical_support", unit, username="tech", email="tech@example.com")
    medical = make_user("medical", unit, username="medic")
    boss = make_user("project_director", unit, username="boss", email="boss@example.com")
    reception = make_user("reception", unit, username="reception")
    quality = make_user("quality_officer", unit, username="quality")
    outsider = make_user("on_site_director", org["south_events"], username="outsider")
    Contact.objects.create(
        client=client_org, name="刘洋", phone="13800000001", email="liu.yang@client.example", is_primary=True
    )
    now = timezone.now()
    project = make_project(
        unit,
        members=[
            (director, "on_site_director"),
            (security, "security"),
            (tech, "technical_support"),
            (medical, "medical"),
            (boss, "project_director"),
            (reception, "reception"),
        ],
        phase=3,
        start=now - timedelta(hours=1),
        end=now + timedelta(hours=6),
        venue_name="总部 20 楼会议室",
    )
    return {
        "project": project,
        "director": director,
        "security": security,
        "tech": tech,
        "medical": medical,
        "boss": boss,
        "reception": reception,
        "quality": quality,
        "outsider": outsider,
        "now": now,
    }


@pytest.fixture
def report(team):
    from huiyi.incidents import services

    def make(type="equipment_failure", by=None, **fields):  # noqa: A002
        values = {"place": "20 楼会议室", "impact": "投影仪无画面"}
        values.update(fields)
        return services.report_incident(team["project"], by=by or team["reception"], type=type, **values)

    return make

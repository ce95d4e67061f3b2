"""Fixtures shared by the whole suite: an organisation tree, users holding roles, projects."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from huiyi.accounts import services as accounts
from huiyi.accounts.models import Role, User
from huiyi.clients.models import Client
from huiyi.projects import services as projects
from huiyi.projects.models import MeetingType

TEST_PASSWORD = "correct horse battery staple"

# Property tests: no per-example deadline (CI machines are shared and slow at times), bounded examples.
hypothesis_settings.register_profile("huiyi", deadline=None, max_examples=100)
hypothesis_settings.register_profile("thorough", deadline=None, max_examples=2000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "huiyi"))


@pytest.fixture
def org(db):
    """Company → two subsidiaries → one department each."""
    company = accounts.create_org_unit(
        code="acme", name={"zh-hans": "艾克米集团", "en": "Acme Group"}, kind="company"
    )
    north = accounts.create_org_unit(
        code="north", name={"zh-hans": "北方公司", "en": "North Co."}, kind="subsidiary", parent=company
    )
    south = accounts.create_org_unit(
        code="south", name={"zh-hans": "南方公司", "en": "South Co."}, kind="subsidiary", parent=company
    )
    north_events = accounts.create_org_unit(
        code="north-events", name={"zh-hans": "会务部", "en": "Events"}, kind="department", parent=north
    )
    south_events = accounts.create_org_unit(
        code="south-events",
        name={"zh-hans": "南方会务部", "en": "South Events"},
        kind="department",
        parent=south,
    )
    return {
        "company": company,
        "north": north,
        "south": south,
        "north_events": north_events,
        "south_events": south_events,
    }


@pytest.fixture
def make_user(db):
    counter = {"n": 0}

    def make(role_key: str | None = None, unit=None, *, username: str | None = None, **fields) -> User:
        counter["n"] += 1
        user = User.objects.create_user(
            username=username or f"user{counter['n']}", password=TEST_PASSWORD, org_unit=unit, **fields
        )
        if role_key:
            accounts.grant_role(user, unit, role_key)
        return user

    return make


@pytest.fixture
def client_org(org):
    return Client.objects.create(
        name="测试客户有限公司", name_en="Test Client Ltd.", kind="enterprise", org_unit=org["north"]
    )


@pytest.fixture
def make_project(org, client_org):
    counter = {"n": 0}

    def make(unit=None, *, members=(), start_in_days: int = 30, **fields):
        counter["n"] += 1
        start = timezone.now() + timedelta(days=start_in_days)
        values = {
            "code": f"T-{counter['n']:03d}",
            "name": f"测试会议 {counter['n']}",
            "name_en": f"Test meeting {counter['n']}",
            "client": client_org,
            "org_unit": unit or org["north_events"],
            "meeting_type": MeetingType.objects.get(key="seminar"),
            "start": start,
            "end": start + timedelta(hours=8),
            "expected_attendees": 100,
        }
        values.update(fields)
        return projects.create_project(
            members=[(user, Role.objects.get(key=role)) for user, role in members], **values
        )

    return make

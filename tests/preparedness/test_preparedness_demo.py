"""The preparedness demo (issue 6 "Done when": the risk heat-map exists): the meeting day ready, a spread
register, an inactive webhook that never reaches the network."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from huiyi.core.models import ChannelConfig, Delivery
from huiyi.incidents.preparedness import demo, metrics, queries
from huiyi.incidents.preparedness.models import Risk
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db


def test_demo_builds_a_ready_meeting_day_and_a_spread_register(team, confirmed_plan, make_project, org):
    congress = team["project"]
    congress.code = demo.CONGRESS
    congress.save()
    people = {"on_site_director": team["director"], "security": team["security"], "planner": team["planner"]}
    now = timezone.now()
    day = make_project(
        org["north_events"],
        code=demo.MEETING_DAY,
        start=now - timedelta(hours=3),
        end=now + timedelta(hours=4),
        members=[(team["director"], "on_site_director"), (team["security"], "security")],
    )
    demo.build([congress, day], people)

    rulebook = rulebook_for(day)
    assert queries.checklist(day).ready
    assert metrics.emergency_resource_present(day, rulebook).value == Decimal(1)
    assert metrics.emergency_contacts_posted_and_sent(day, rulebook).value == Decimal(1)
    risks = Risk.objects.all()
    assert 7 <= risks.count() <= 9 and risks.filter(plan_item__isnull=False).count() == 3
    assert not risks.filter(level__isnull=True).exists()
    cells = {(r.likelihood, r.impact) for r in risks}
    assert len(cells) >= 6 and len(set(risks.values_list("level", flat=True))) >= 3
    assert any(r.review_overdue() for r in risks)
    channel = ChannelConfig.objects.get()
    assert not channel.active and channel.url.startswith("https://example.invalid/")
    assert not Delivery.objects.filter(config=channel).exists()

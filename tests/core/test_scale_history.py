"""The history generator (issue 9 data generator, used by `huiyi demo --scale` and bench/generate.py).

REQ-QLT-09: the KPI dashboard is exercised at scale on records the generator writes; REQ-GEN-02: some of them
are out of the standard's scope, and some incidents are drills, so the exclusions can be seen.
"""

import operator
import random
from decimal import Decimal

import pytest
from django.db import transaction

from huiyi.core import scale
from huiyi.feedback.complaints.models import Complaint
from huiyi.feedback.surveys.models import Response
from huiyi.incidents.models import Incident
from huiyi.onsite.attendees.models import Attendee, Ticket
from huiyi.onsite.checkin.models import CheckIn
from huiyi.projects.models import MeetingProject
from huiyi.quality.models import ControlPointResult, Nonconformance
from huiyi.rulebook.services import active_rulebook

pytestmark = pytest.mark.django_db

OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "==": operator.eq}
SMALL = scale.Plan(
    years=2,
    meetings=40,
    attendees=1200,
    responses=400,
    complaints=60,
    ccp_results=480,
    seed=3,
    out_of_scope_share=0.2,
    incident_share=0.9,
)


def test_generate_writes_the_planned_numbers(org, client_org):
    """REQ-QLT-09: exactly the planned meetings, attendees, responses, complaints and CCP results."""
    counts = scale.generate(SMALL, out=None)
    assert counts["projects"] == MeetingProject.objects.filter(code__regex=r"^HY-\d{4}-1\d{3}$").count() == 40
    assert counts["attendees"] == Attendee.objects.count() == Ticket.objects.count() == 1200
    assert counts["checkins"] == CheckIn.objects.count()
    assert 0.7 * 1200 < counts["checkins"] < 0.97 * 1200
    assert counts["responses"] == Response.objects.count() == 400
    assert counts["complaints"] == Complaint.objects.count() == 60
    assert counts["ccp_results"] == ControlPointResult.objects.count() == 480
    assert counts["nonconformances"] == ControlPointResult.objects.filter(verdict="fail").count()
    assert Nonconformance.objects.count() == counts["nonconformances"]


def test_history_has_out_of_scope_meetings_and_drills(org, client_org):
    """REQ-GEN-02: some generated meetings are out of scope, some incidents are drills (both excluded)."""
    scale.generate(SMALL, out=None)
    assert MeetingProject.objects.exclude(out_of_scope="").exists()
    assert MeetingProject.objects.filter(out_of_scope="").exists()
    assert Incident.objects.filter(is_drill=True).exists() or Incident.objects.count() < 20


def test_generate_is_deterministic_for_a_seed(org, client_org):
    """REQ-QLT-09: the same seed gives the same history (benchmarks are comparable run to run)."""
    with transaction.atomic():
        scale.generate(SMALL, out=None)
        first = list(MeetingProject.objects.order_by("code").values_list("code", "start", "out_of_scope"))
        transaction.set_rollback(True)
    assert not MeetingProject.objects.filter(code__in=[c for c, *_ in first]).exists()
    scale.generate(SMALL, out=None)
    second = list(MeetingProject.objects.order_by("code").values_list("code", "start", "out_of_scope"))
    assert first == second


def test_measured_values_agree_with_their_verdicts():
    """REQ-QLT-03: a generated pass satisfies the rule's operator and threshold; a fail does not."""
    rng = random.Random(1)
    checked = 0
    for rule in active_rulebook().rules:
        if not rule.control_point or rule.op not in OPS or isinstance(rule.value, bool):
            continue
        if not isinstance(rule.value, int | float):
            continue
        for passed in (True, False):
            for _ in range(5):
                value = scale._value(rule, passed, rng)
                if not passed and rule.unit == "ratio" and rule.value in (0, 1) and rule.op in (">=", "<="):
                    failing_possible = (rule.op == ">=" and rule.value > 0) or (
                        rule.op == "<=" and rule.value < 1
                    )
                    if not failing_possible:
                        continue
                holds = OPS[rule.op](value, Decimal(str(rule.value)))
                assert holds is passed, (rule.id, rule.op, rule.value, value, passed)
                checked += 1
    assert checked > 100


def test_a_second_history_continues_the_numbering(org, client_org):
    """REQ-QLT-09: the demo's year of history, then a benchmark's years on top: codes never clash."""
    tiny = scale.replace(SMALL, attendees=50, responses=20, complaints=2, ccp_results=24)
    scale.generate(scale.replace(tiny, meetings=10), out=None)
    scale.generate(scale.replace(tiny, meetings=12), out=None)
    history = MeetingProject.objects.filter(code__regex=r"^HY-\d{4}-1\d{3}$")
    codes = list(history.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 22

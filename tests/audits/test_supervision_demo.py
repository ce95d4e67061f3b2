"""The supervision demo (REQ-QLT-07, REQ-QLT-08, REQ-QLT-10) built through the services."""

import pytest

from huiyi.quality.accountability.models import Violation
from huiyi.quality.audits import demo
from huiyi.quality.audits.models import Audit
from huiyi.quality.models import Nonconformance
from huiyi.quality.sop import queries as sop_queries
from huiyi.quality.sop.models import Procedure

pytestmark = pytest.mark.django_db


def test_req_qlt_07_demo_builds_audit_violation_and_sops(make_user, make_project, org):
    officer = make_user("quality_officer", org["company"])
    director = make_user("project_director", org["company"])
    osd = make_user("on_site_director", org["north_events"])
    pm = make_user("project_manager", org["north_events"])
    finished = make_project(code="HY-2026-096", members=[(pm, "project_manager")], start_in_days=-40)
    today = make_project(code="HY-2026-105", members=[(osd, "on_site_director")], start_in_days=0)
    people = {"quality_officer": officer, "project_director": director, "on_site_director": osd}
    demo.build([finished, today], people)
    audit = Audit.objects.get()
    assert audit.status == Audit.Status.REPORTED
    nc = Nonconformance.objects.get(source="audit")
    assert nc.actions.count() == 1 and audit.items.filter(nonconformance=nc).exists()
    assert Violation.objects.get().status == Violation.Status.INVESTIGATING
    assert Procedure.objects.count() == 2
    assert not sop_queries.meeting_status().overdue

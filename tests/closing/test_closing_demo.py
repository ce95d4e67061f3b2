"""The demo's closing records (issue 7 "done when"): a settlement and a summary report whose scores match
the scorecard; a second meeting with a late payment and a corrected invoice."""

from decimal import Decimal

import pytest

from huiyi.accounts.models import User
from huiyi.closing import demo, queries
from huiyi.closing.models import LostItem, SummaryReport
from huiyi.contracts import demo as contracts_demo
from huiyi.core import demo as core_demo
from huiyi.projects.models import MeetingProject
from huiyi.quality import demo as quality_demo
from huiyi.quality import queries as quality_queries
from huiyi.quality import scoring

pytestmark = pytest.mark.django_db


def test_req_qlt_03_demo_closes_the_finished_meetings(monkeypatch, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(core_demo, "_extend", lambda people: None, raising=False)
    core_demo.build_demo(password="demo-password-for-tests")
    people = {}
    for username, _name, role, _unit in core_demo.PEOPLE:
        people.setdefault(role, User.objects.get(username=username))
    projects = list(MeetingProject.objects.order_by("code"))
    contracts_demo.build(projects, people)
    quality_demo.build(projects, people)
    demo.build(projects, people)

    forum = MeetingProject.objects.get(code="HY-2026-081")
    figures = queries.settlement_figures(forum)
    assert figures.deviation == Decimal("0.006") and figures.verdict("settlement_deviation") == "pass"
    assert (
        figures.verdict("payment_on_time_rate") == "pass"
        and figures.verdict("invoice_accuracy_rate") == "pass"
    )
    results = quality_queries.current_results(forum)
    assert results["ccp10.settlement_deviation"].value == Decimal("0.006")
    assert results["ccp11.site_check_passed"].verdict == "pass"
    assert results["ccp12.goal_attainment"].verdict == "pass"
    assert LostItem.objects.filter(project=forum).count() == 2
    report = SummaryReport.objects.get(project=forum)
    scores = scoring.project_scores(forum)
    assert report.version == 1 and report.figures["P"] == str(scores.p.value)
    assert report.figures["final"] == (None if scores.final.value is None else str(scores.final.value))

    training = MeetingProject.objects.get(code="HY-2026-096")
    figures = queries.settlement_figures(training)
    assert figures.verdict("payment_on_time_rate") == "fail" and figures.payments_counted == 1
    assert figures.invoices_correct == 1 and len(figures.invoices) == 2
    assert quality_queries.current_results(training)["ccp10.invoice_accuracy"].verdict == "fail"
    assert not SummaryReport.objects.filter(project=training).exists()

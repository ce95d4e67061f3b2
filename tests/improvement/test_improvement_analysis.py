"""The feedback analysis of a meeting (REQ-QLT-11, REQ-QLT-06): issues found = found on the spot + reported
by the client, pre-filled once from the meeting's nonconformances and on-site reports; the strengths and
weaknesses table; the phase-5 outputs 服务优差分析表 and 改进措施计划书 (REQ-QLT-01) with their documents."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from huiyi.feedback.improvement import exports, queries, services, sources
from huiyi.feedback.improvement.models import AnalysisIssue
from huiyi.projects.outputs import evidence_for, is_registered
from huiyi.quality import services as quality

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def analysis(team):
    return services.analysis_for(team["project"], by=team["pm"])


def test_req_qlt_11_issues_found_are_on_the_spot_plus_reported_by_the_client(team, analysis):
    pm = team["pm"]
    services.add_issue(analysis, source="on_site", category="reception", description="签到台排队", by=pm)
    services.add_issue(analysis, source="client", category="catering", description="午餐偏咸", by=pm)
    services.add_issue(analysis, source="complaint", category="venue", description="空调过冷", by=pm)
    counts = queries.issue_counts(analysis)
    assert counts == {"on_spot": 1, "client": 2, "total": 3, "by_source": counts["by_source"]}
    with pytest.raises(ValidationError) as refused:
        services.add_issue(analysis, source="rumour", description="x", by=pm)
    assert "source" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.add_issue(analysis, source="client", description="   ", by=pm)
    assert "description" in refused.value.message_dict
    assert analysis.issues.count() == 3


def test_req_qlt_06_prefill_takes_nonconformances_open_and_closed_once(team, analysis):
    project, pm = team["project"], team["pm"]
    inspection = quality.open_nonconformance(project, source="inspection", description="会场温度 27 ℃", by=pm)
    complaint = quality.open_nonconformance(project, source="complaint", description="投诉：茶歇不足", by=pm)
    created = [i for i in services.prefill_issues(analysis, by=pm) if i.origin.startswith("nc:")]
    by_nc = {issue.nonconformance_id: issue for issue in created}
    assert set(by_nc) == {inspection.pk, complaint.pk}
    assert by_nc[inspection.pk].source == "on_site" and by_nc[complaint.pk].source == "complaint"
    assert inspection.code in by_nc[inspection.pk].description
    taken = analysis.issues.count()
    assert services.prefill_issues(analysis, by=pm) == []  # never twice
    assert analysis.issues.count() == taken


def test_req_qlt_11_prefill_takes_failing_feedback_criteria_measured_by_the_registry(team, analysis):
    """A REQ-FBK criterion the metrics registry measures as failing, without a nonconformance yet, becomes
    an issue reported by the client, described with the rulebook's name and threshold."""
    from huiyi.quality import metrics
    from huiyi.rulebook.services import rulebook_for

    rule = next(r for r in rulebook_for(team["project"]).rules if r.id == "ccp09.average_satisfaction")
    original = metrics.registry().get(rule.metric)
    failing = rule.low - 20 if rule.low is not None else 0
    metrics.metric(rule.metric, replace=True)(lambda project, rulebook: metrics.Measurement(value=failing))
    try:
        created = services.prefill_issues(analysis, by=team["pm"])
    finally:
        if original is not None:
            metrics.metric(rule.metric, replace=True)(original)
        else:
            metrics.unregister(rule.metric)
    issue = next(i for i in created if i.origin == f"rule:{rule.id}")
    assert issue.source == "survey" and issue.source in AnalysisIssue.CLIENT_SOURCES


def test_req_qlt_11_prefill_takes_the_issues_of_on_site_progress_reports(team, analysis):
    from huiyi.onsite.agenda.models import ProgressReport

    ProgressReport.objects.create(
        project=team["project"], reporter=team["pm"], status="at_risk", issues="同传耳机 5 副故障"
    )
    ProgressReport.objects.create(project=team["project"], reporter=team["pm"], status="on_track")
    created = [
        i for i in services.prefill_issues(analysis, by=team["pm"]) if i.origin.startswith("progress:")
    ]
    assert [(i.source, i.description) for i in created] == [("on_site", "同传耳机 5 副故障")]


def test_req_qlt_11_other_apps_offer_issues_through_their_queries(team, analysis, monkeypatch):
    """An app that exposes improvement_issues(project) is read when importable; bad rows are skipped."""
    import types

    fake = types.ModuleType("fake_complaints_queries")
    fake.improvement_issues = lambda project: [
        {
            "origin": "complaints:1",
            "source": "complaint",
            "description": "会后资料未发送",
            "category": "communication",
        },
        {"origin": "complaints:2", "source": "gossip", "description": "不合法来源"},
        {"origin": "", "source": "complaint", "description": "无来源键"},
    ]
    monkeypatch.setitem(__import__("sys").modules, "fake_complaints_queries", fake)
    monkeypatch.setattr(sources, "PROVIDERS", ("fake_complaints_queries", "huiyi.not_installed.queries"))
    created = [
        i for i in services.prefill_issues(analysis, by=team["pm"]) if i.origin.startswith("complaints:")
    ]
    assert [(i.origin, i.category) for i in created] == [("complaints:1", "communication")]


def test_req_qlt_01_phase_outputs_need_a_completed_analysis_and_a_plan(team, analysis, add_action):
    project, pm = team["project"], team["pm"]
    assert is_registered("strengths_weaknesses_analysis") and is_registered("improvement_plan")
    assert evidence_for(project, "strengths_weaknesses_analysis") is None
    assert evidence_for(project, "improvement_plan") is None
    with pytest.raises(ValidationError) as refused:
        services.complete_analysis(analysis, by=pm)
    assert "issues" in refused.value.message_dict
    services.add_issue(analysis, source="client", description="资料袋太重", by=pm)
    with pytest.raises(ValidationError) as refused:
        services.complete_analysis(analysis, by=pm)
    assert "lines" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.add_line(analysis, dimension="materials", by=pm)
    assert "strength" in refused.value.message_dict
    services.add_line(
        analysis,
        dimension="materials",
        strength="设计精美",
        weakness="资料袋太重",
        cause="纸张克重选择过高",
        by=pm,
    )
    services.complete_analysis(analysis, summary="整体良好", by=pm)
    evidence = evidence_for(project, "strengths_weaknesses_analysis")
    assert evidence is not None and evidence.url.endswith("/analysis.pdf")
    with pytest.raises(ValidationError):
        services.add_issue(analysis, source="client", description="完成后再加", by=pm)
    add_action()
    plan = evidence_for(project, "improvement_plan")
    assert plan is not None and plan.url.endswith("/plan.pdf")
    services.reopen_analysis(analysis, by=pm)
    assert evidence_for(project, "strengths_weaknesses_analysis") is None


def test_req_qlt_01_pdfs_carry_the_rulebook_titles_in_both_languages(team, analysis, add_action):
    pm = team["pm"]
    services.add_issue(analysis, source="on_site", description="<script>alert(1)</script> 投影偏暗", by=pm)
    services.add_line(
        analysis, dimension="technical", strength="音响清晰", weakness="投影偏暗", cause="灯泡老化", by=pm
    )
    add_action(problem="投影偏暗")
    zh = _pdf_text(exports.analysis_pdf(team["project"]))
    assert "服务优差分析表" in zh and "投影偏暗" in zh and "灯泡老化" in zh and "<script>" in zh
    assert "改进措施计划书" in _pdf_text(exports.plan_pdf(team["project"]))
    en = _pdf_text(exports.analysis_pdf(team["project"], "en"))
    assert "Service strengths and weaknesses analysis" in en and "Issues found" in en
    assert "Improvement action plan" in _pdf_text(exports.plan_pdf(team["project"], "en"))


def test_req_fbk_04_plan_xlsx_neutralises_formulas(team, add_action):
    add_action(
        problem='=HYPERLINK("http://evil.example","点我")', expected_effect="+1 满意度", action="@SUM(A1)"
    )
    book = load_workbook(io.BytesIO(exports.plan_xlsx(team["project"])))
    sheet = book.worksheets[0]
    assert sheet.title == "改进措施计划书"
    row = [cell.value for cell in sheet[2]]
    assert row[1] == '\'=HYPERLINK("http://evil.example","点我")'
    assert row[2] == "'@SUM(A1)" and row[5] == "'+1 满意度"
    assert all(cell.data_type == "s" for cell in sheet[2] if cell.value is not None)
    assert exports.neutralise("-2") == "'-2" and exports.neutralise("正常文本") == "正常文本"


def test_req_qlt_11_analysis_is_one_per_project_even_when_asked_twice(team):
    first = services.analysis_for(team["project"], by=team["pm"])
    assert services.analysis_for(team["project"], by=team["pm"]).pk == first.pk
    assert AnalysisIssue.objects.count() == 0
    assert first.created_at <= timezone.now()

"""The service summary report 服务总结报告 (REQ-QLT-01 phase-4 output, REQ-FBK-08, REQ-GEN-04, REQ-QLT-04):
its figures equal the scorecard page's, its text (pypdf), its numbered versions with SHA-256."""

import hashlib
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from huiyi.closing import checklist, queries, report, services
from huiyi.closing.models import SummaryReport
from huiyi.projects.outputs import evidence_for
from huiyi.quality import metrics
from huiyi.quality import services as quality


@pytest.fixture
def s_and_e():
    """S and E measured (their apps may not be built yet): the report must show what the scorecard shows."""
    keys = ("client_satisfaction_rate", "service_on_time_rate")
    saved = {key: metrics.registry().get(key) for key in keys}
    metrics.metric(keys[0], replace=True)(lambda p, rb: metrics.Measurement(Decimal("0.9"), {"clients": 10}))
    metrics.metric(keys[1], replace=True)(
        lambda p, rb: metrics.Measurement(Decimal("0.95"), {"services": 20})
    )
    yield
    for key, function in saved.items():
        if function is None:
            metrics.unregister(key)
        else:
            metrics.metric(key, replace=True)(function)


@pytest.fixture
def closed(team, contract):
    project, director = team["project"], team["director"]
    settlement = services.save_settlement(project, final_amount="100600.00", by=team["finance"])
    services.add_invoice(
        settlement, number="<b>INV-1</b>", amount="100600", issued_at=project.end.date(), by=team["finance"]
    )
    services.record_site_check(project, results=dict.fromkeys(checklist.SITE_CHECK_KEYS, True), by=team["pm"])
    services.log_lost_item(
        project,
        description="<script>alert(1)</script> 充电宝",
        found_where="2 号厅",
        stored_where="前台",
        by=team["pm"],
    )
    form = queries.evaluation_items(project)
    services.save_evaluation(
        project, scores={i.key: "8.5" for i in form.items}, goal_attainment="90", by=director
    )
    quality.record_measurement(project, "plan_creativity_score", "86", by=director)
    quality.record_measurement(project, "plan_client_signed", "0", by=director)
    quality.evaluate(project, by=director)
    return project


def scorecard_scores(client, user, project):
    client.force_login(user)
    response = client.get(reverse("quality:scorecard", args=[project.pk]))
    assert response.status_code == 200
    return response.context["scores"]


def test_req_fbk_08_req_gen_04_report_figures_equal_the_scorecard_page(client, team, closed, s_and_e):
    row = report.generate(closed, language="zh-hans", by=team["director"])
    scores = scorecard_scores(client, team["director"], closed)
    assert scores.q.value is not None and scores.final.value is not None  # the comparison means something
    for key, score in {
        "Q": scores.q,
        "S": scores.s,
        "E": scores.e,
        "P": scores.p,
        "final": scores.final,
        "overall": scores.overall,
    }.items():
        assert row.figures[key] == str(score.value), key
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(row.file.read())).pages)
    assert scores.final.shown in text and scores.q.shown in text  # the PDF prints what the page shows


def test_req_qlt_01_pdf_is_the_service_summary_report_with_ccp_names_and_escaped_text(team, closed):
    row = report.generate(closed, language="zh-hans", by=team["director"])
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(row.file.read())).pages)
    compact = text.replace("\n", "").replace(" ", "")
    assert "服务总结报告" in compact
    assert "方案初稿审核" in compact and "财务结算与确认" in compact  # CCP names
    assert "按合同金额结算偏差" in compact and "0.6%" in compact
    assert "<script>" not in text or "alert(1)" in text  # shown as text, never interpreted
    assert "会议策划" in compact and "8.50/10" in compact  # evaluation form and its index


def test_req_qlt_01_english_report(team, closed):
    row = report.generate(closed, language="en", by=team["director"])
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(row.file.read())).pages)
    compact = "".join(text.split())
    assert "Servicesummaryreport" in compact and "Draftplanreview" in compact
    assert row.file_name.endswith("Service summary report-v1.pdf")


def test_req_doc_08_each_generation_is_a_new_numbered_version_with_its_sha256(team, closed):
    first = report.generate(closed, language="zh-hans", by=team["director"])
    second = report.generate(closed, language="en", by=team["director"])
    assert (first.version, second.version) == (1, 2)
    for row in (first, second):
        content = row.file.read()
        assert hashlib.sha256(content).hexdigest() == row.sha256 and row.size == len(content)
        row.file.close()
    assert first.file.name != second.file.name
    assert SummaryReport.objects.filter(project=closed).count() == 2
    evidence = evidence_for(closed, "service_summary_report")
    assert evidence is not None and "v2" in evidence.label


def test_req_qlt_01_output_missing_until_a_report_is_generated(team):
    assert evidence_for(team["project"], "service_summary_report") is None


def test_report_without_any_record_says_not_measured(team):
    data = report.report_data(team["project"])
    assert data.figures()["Q"] is None
    pdf = report.render_pdf(data, "en")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Not measured" in text and "No settlement recorded yet." in text


def test_report_download_needs_permission(client, team, closed):
    row = report.generate(closed, language="zh-hans", by=team["director"])
    url = reverse("closing:report_download", args=[row.pk])
    client.force_login(team["planner"])
    assert client.get(url).status_code == 403
    client.force_login(team["quality"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(team["outsider"])
    assert client.get(url).status_code == 404


def test_report_area_figures_come_from_the_registry(team, s_and_e):
    data = report.report_data(team["project"])
    satisfaction = dict((key, figures) for key, _title, figures in data.areas)["satisfaction"]
    by_key = {f.metric: f for f in satisfaction}
    assert by_key["client_satisfaction_rate"].value == Decimal("0.9")
    assert "average_satisfaction_score" in by_key  # a CCP 9 criterion: listed, measured or not
    assert not any(f.metric in report.OWN_METRICS for _k, _t, figures in data.areas for f in figures)
    assert data.extra == {} and data.project.end - data.project.start == timedelta(hours=8)

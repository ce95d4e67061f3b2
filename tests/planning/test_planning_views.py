"""Plan pages, the PDF and the client's confirmation link (REQ-PLN-01…04)."""

import io
from datetime import timedelta

from django.urls import reverse
from pypdf import PdfReader

from huiyi.projects.planning import services
from huiyi.projects.planning.models import PlanStatus

SECTIONS = ("goals", "agenda", "resources", "budget", "risks")


def test_project_page_shows_the_plan_section(client, project, team, draft):
    client.force_login(team["planner"])
    response = client.get(reverse("projects:detail", args=[project.pk]))
    assert response.status_code == 200
    assert 'id="plan-versions"' in response.content.decode()
    assert reverse("planning:version", args=[draft.pk]) in response.content.decode()


def test_REQ_PLN_01_planner_drafts_through_the_page(client, project, team):
    client.force_login(team["planner"])
    response = client.post(reverse("planning:new_version", args=[project.pk]))
    version = project.plan_versions.get()
    assert response.status_code == 302
    page = client.get(reverse("planning:version", args=[version.pk]))
    assert page.status_code == 200 and "设备故障" in page.content.decode()
    response = client.post(
        reverse("planning:add_line", args=[version.pk, "budget"]),
        {"budget-category": "venue", "budget-description": "场地", "budget-amount": "十万"},
    )
    assert response.status_code == 400
    assert 'data-field="amount"' in response.content.decode()
    assert version.budget_lines.count() == 0
    start = project.start.strftime("%Y-%m-%dT%H:%M")
    before = (project.start - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("planning:add_line", args=[version.pk, "resources"]),
        {
            "resources-kind": "equipment",
            "resources-name": "投影仪",
            "resources-quantity": "2",
            "resources-start": start,
            "resources-end": before,
        },
    )
    assert response.status_code == 400 and 'data-field="end"' in response.content.decode()
    response = client.post(
        reverse("planning:add_line", args=[version.pk, "budget"]),
        {"budget-category": "venue", "budget-description": "场地", "budget-amount": "100000.50"},
    )
    assert response.status_code == 302 and version.budget_lines.get().amount == 100000.50


def test_outsider_cannot_see_the_plan(client, team, draft):
    client.force_login(team["outsider"])
    assert client.get(reverse("planning:version", args=[draft.pk])).status_code == 404


def test_REQ_PLN_02_pdf_in_chinese_and_english(client, team, draft):
    client.force_login(team["planner"])
    for lang, heading in (("zh-hans", "会议策划方案"), ("zh-hans", "风险评估"), ("en", "Risk assessment")):
        response = client.get(reverse("planning:pdf", args=[draft.pk]) + f"?lang={lang}")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.content))
        text = "".join(page.extract_text() for page in reader.pages)
        assert heading in text


def test_REQ_PLN_02_client_confirms_every_section_through_the_link(client, sent):
    url = reverse("planning:confirm", args=[sent.token])
    page = client.get(url)
    assert page.status_code == 200 and "主会场" in page.content.decode()
    data = {f"{section}_answer": "accept" for section in SECTIONS} | {"signer_name": "王经理"}
    response = client.post(url, data)
    assert response.status_code == 200 and 'id="confirm-done"' in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == PlanStatus.CONFIRMED
    again = client.get(url)
    assert again.status_code == 410 and 'id="link-closed"' in again.content.decode()


def test_client_comment_without_text_is_refused_naming_the_section(client, sent):
    url = reverse("planning:confirm", args=[sent.token])
    data = {f"{section}_answer": "accept" for section in SECTIONS} | {"signer_name": "王经理"}
    data["budget_answer"] = "comment"
    response = client.post(url, data)
    assert response.status_code == 400 and 'data-field="budget_comment"' in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == PlanStatus.SENT


def test_expired_link_says_so(client, approved, team):
    from datetime import timedelta as td

    from django.utils import timezone

    from huiyi.core.models import AccessLink

    _version, token = services.send_to_client(approved, by=team["planner"])
    AccessLink.objects.update(expires_at=timezone.now() - td(minutes=1))
    response = client.post(reverse("planning:confirm", args=[token]), {"signer_name": "王"})
    assert response.status_code == 410
    approved.refresh_from_db()
    assert approved.status == PlanStatus.SENT and not approved.client_responses.exists()


def test_version_page_query_count_is_bounded(client, team, sent, django_assert_max_num_queries):
    client.force_login(team["planner"])
    with django_assert_max_num_queries(40):
        assert client.get(reverse("planning:version", args=[sent.pk])).status_code == 200

"""The improvement API and pages (REQ-FBK-04): create, list, move the status one step at a time; bad input
answers 400 naming the field and changes nothing; permissions deny by default; the quarterly report filters
by unit and period (§2.9(3)) and exports PDF and .xlsx."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from huiyi.feedback.improvement import queries, services
from huiyi.feedback.improvement.models import ImprovementAction, QuarterlyReport

pytestmark = pytest.mark.django_db

URL = "/api/v1/improvement-actions/"


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def _page(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def _payload(team, **fields):
    return {
        "project": team["project"].pk,
        "problem": "胸牌打印错字 3 处",
        "action": "名单导入后由两人交叉核对",
        "owner": team["pm"].pk,
        "deadline": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
        "expected_effect": "胸牌零差错",
        **fields,
    }


def test_req_fbk_04_api_create_list_and_status_steps(team):
    api = _api(team["pm"])
    created = api.post(URL, _payload(team), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "planned" and body["number"] == 1 and body["code"].endswith("-IA01")
    detail = f"{URL}{body['id']}/"
    refused = api.patch(
        detail, {"status": "effect_evaluated", "effect": "achieved", "effect_note": "好"}, format="json"
    )
    assert refused.status_code == 400 and "status" in refused.json()["error"]["fields"]
    assert api.patch(detail, {"status": "in_progress"}, format="json").json()["status"] == "in_progress"
    missing = api.patch(detail, {"status": "done"}, format="json")
    assert missing.status_code == 400 and "result" in missing.json()["error"]["fields"]
    done = api.patch(detail, {"status": "done", "result": "已建立交叉核对"}, format="json")
    assert done.status_code == 200 and done.json()["effect_due"] is not None
    evaluated = api.patch(
        detail,
        {"status": "effect_evaluated", "effect": "achieved", "effect_note": "下次会议零差错"},
        format="json",
    )
    assert evaluated.status_code == 200 and evaluated.json()["effect"] == "achieved"
    listing = api.get(URL, {"project": team["project"].pk})
    assert set(listing.json()) == {"count", "next", "previous", "results"} and listing.json()["count"] == 1
    assert api.get(URL, {"status": "planned"}).json()["count"] == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"problem": ""}, "problem"),
        ({"deadline": "soon"}, "deadline"),
        ({"owner": 999999}, "owner"),
        ({"category": "weather"}, "category"),
        ({"project": 999999}, "project"),
        ({"expected_effect": None}, "expected_effect"),
        ({"status": "done"}, "status"),
    ],
)
def test_req_fbk_04_api_bad_input_is_400_naming_the_field(team, change, field):
    answer = _api(team["pm"]).post(URL, _payload(team, **change), format="json")
    assert answer.status_code == 400, answer.content
    assert field in answer.json()["error"]["fields"]
    assert not ImprovementAction.objects.exists()


def test_req_fbk_04_api_owner_outside_the_project_is_refused(team):
    answer = _api(team["pm"]).post(URL, _payload(team, owner=team["outsider"].pk), format="json")
    assert answer.status_code == 400 and "owner" in answer.json()["error"]["fields"]


def test_req_fbk_04_api_permissions(team, add_action):
    item = add_action(owner=team["planner"])
    planner = _api(team["planner"])
    assert planner.get(URL).json()["count"] == 1  # a viewer role on the project sees it
    assert planner.post(URL, _payload(team), format="json").status_code == 403
    assert planner.patch(f"{URL}{item.pk}/", {"problem": "改"}, format="json").status_code == 403
    # the owner may move their own action forward, not evaluate its effect
    assert planner.patch(f"{URL}{item.pk}/", {"status": "in_progress"}, format="json").status_code == 200
    assert (
        planner.patch(f"{URL}{item.pk}/", {"status": "done", "result": "完成"}, format="json").status_code
        == 200
    )
    evaluate = {"status": "effect_evaluated", "effect": "achieved", "effect_note": "好"}
    assert planner.patch(f"{URL}{item.pk}/", evaluate, format="json").status_code == 403
    outsider = _api(team["outsider"])
    assert outsider.get(URL).json()["count"] == 0
    assert outsider.get(f"{URL}{item.pk}/").status_code == 404
    assert outsider.post(URL, _payload(team), format="json").status_code == 403
    assert APIClient().get(URL).status_code == 401


def test_req_fbk_04_list_query_count_is_bounded(team, add_action, django_assert_max_num_queries):
    for n in range(8):
        add_action(problem=f"问题 {n}")
    with django_assert_max_num_queries(12):
        assert _api(team["pm"]).get(URL).json()["count"] == 8


def test_req_fbk_04_pages_show_and_protect_the_plan(team, add_action):
    item = add_action(problem="<b>茶歇</b>不足")
    pm = _page(team["pm"])
    page = pm.get(reverse("improvement:project", args=[team["project"].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "改进措施计划书" in html and "服务优差分析表" in html and "&lt;b&gt;茶歇&lt;/b&gt;不足" in html
    assert "<b>茶歇</b>" not in html
    assert pm.get(reverse("improvement:actions")).status_code == 200
    planner = _page(team["planner"])
    assert planner.get(reverse("improvement:project", args=[team["project"].pk])).status_code == 200
    assert planner.get(reverse("improvement:action_add", args=[team["project"].pk])).status_code == 403
    assert planner.post(reverse("improvement:action_start", args=[item.pk])).status_code == 403
    outsider = _page(team["outsider"])
    assert outsider.get(reverse("improvement:project", args=[team["project"].pk])).status_code == 403
    # a done form without what was done: 400, nothing saved
    services.start_action(item, by=team["pm"])
    answer = pm.post(reverse("improvement:action_done", args=[item.pk]), {"result": ""})
    assert answer.status_code == 400
    item.refresh_from_db()
    assert item.status == "in_progress"
    answer = pm.post(reverse("improvement:action_done", args=[item.pk]), {"result": "增加茶歇量"})
    assert answer.status_code == 302
    item.refresh_from_db()
    assert item.status == "done"
    for name in ("analysis_pdf", "plan_pdf", "plan_xlsx"):
        assert pm.get(reverse(f"improvement:{name}", args=[team["project"].pk])).status_code == 200


def test_req_fbk_04_project_section_and_english(team, add_action):
    add_action()
    client = _page(team["pm"])
    detail = client.get(reverse("projects:detail", args=[team["project"].pk]))
    assert 'id="improvement"' in detail.content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.force_login(team["pm"])
    html = english.get(reverse("improvement:project", args=[team["project"].pk])).content.decode()
    assert "Improvement action plan" in html and "Issues found" in html


def test_req_fbk_04_quarterly_report_filters_by_unit_and_period(
    team, add_action, make_project, make_user, org
):
    south_pm = make_user("project_manager", org["south_events"], username="south_pm")
    south = make_project(
        org["south_events"], members=[(south_pm, "project_manager")], phase=4, start_in_days=-20
    )
    north_action = add_action(problem="北方问题")
    services.create_action(
        south,
        problem="南方问题",
        action="a",
        owner=south_pm,
        deadline=timezone.localdate(),
        expected_effect="e",
        by=south_pm,
    )
    quality = team["quality"]
    admin = make_user(None, org["company"], username="admin", is_superuser=True)
    year, quarter = queries.quarter_of(timezone.localdate())
    north = [a.problem for a in queries.quarter_actions(admin, org["north"], year, quarter)]
    everything = [a.problem for a in queries.quarter_actions(admin, None, year, quarter)]
    assert north == ["北方问题"] and sorted(everything) == ["北方问题", "南方问题"]
    last_year = [a.problem for a in queries.quarter_actions(admin, None, year - 1, quarter)]
    assert last_year == []
    # a report for the unit: save a draft, submit, then it is frozen
    report = services.save_report(
        org_unit=org["north"],
        year=year,
        quarter=quarter,
        owner=quality,
        content="本季度改进 1 项",
        by=quality,
    )
    services.submit_report(report, by=quality)
    with pytest.raises(ValidationError):
        services.save_report(
            org_unit=org["north"], year=year, quarter=quarter, owner=quality, content="x", by=quality
        )
    with pytest.raises(ValidationError) as refused:
        services.save_report(
            org_unit=org["north"], year=year, quarter=5, owner=quality, content="x", by=quality
        )
    assert "quarter" in refused.value.message_dict
    assert QuarterlyReport.objects.count() == 1
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(admin)
    query = {"unit": org["north"].pk, "year": year, "quarter": quarter}
    page = client.get(reverse("improvement:quarterly"), query).content.decode()
    assert north_action.code in page and "南方问题" not in page
    pdf = client.get(reverse("improvement:quarterly_pdf"), query)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "季度改进情况报告" in text and "北方问题" in text and "本季度改进 1 项" in text
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("improvement:quarterly_xlsx"), query).content)
    ).worksheets[0]
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == [team["project"].code]

"""The live agenda's API (REQ-ONS-05, REQ-ONS-06, REQ-ONS-08): lists, one-tap start/end, bad input (400 naming
the field, nothing saved) and permissions (only people who see the project; roles decide who may act)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from huiyi.onsite.agenda import services
from huiyi.onsite.agenda.models import AgendaItem, CoverageItem, ProgressReport, SatisfactionEntry

pytestmark = pytest.mark.django_db


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def _item_payload(project, **fields):
    start = project.start + timedelta(minutes=10)
    return {
        "kind": "speech",
        "title": "董事长报告",
        "speaker": "王董事长",
        "room_text": "20 楼会议室",
        "planned_start": start.isoformat(),
        "planned_end": (start + timedelta(minutes=30)).isoformat(),
        **fields,
    }


def test_req_ons_05_api_create_list_and_one_tap_start_end(team):
    project, director = team["project"], team["director"]
    api = _api(director)
    url = reverse("api:liveagenda-item-list", args=[project.pk])
    created = api.post(url, _item_payload(project), format="json")
    assert created.status_code == 201, created.content
    item_id = created.json()["id"]
    assert created.json()["state"] == "planned" and created.json()["start_deviation"] is None
    late = project.start + timedelta(minutes=14)
    started = api.post(
        reverse("api:liveagenda-item-start", args=[item_id]), {"at": late.isoformat()}, format="json"
    )
    assert started.status_code == 200, started.content
    assert started.json()["state"] == "running"
    assert started.json()["start_deviation"] == {"minutes": "4.00", "passes": False}
    ended = api.post(reverse("api:liveagenda-item-end", args=[item_id]), {}, format="json")
    assert ended.status_code == 200 and ended.json()["state"] == "done"
    listing = api.get(url)
    body = listing.json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 1
    assert body["results"][0]["actual_end"] is not None


def test_req_ons_05_api_start_next(team, add_item):
    first = add_item("开幕", kind="opening", start=0, minutes=10)
    second = add_item("报告", start=10, minutes=30)
    api = _api(team["director"])
    url = reverse("api:liveagenda-start-next", args=[team["project"].pk])
    assert api.post(url, {}, format="json").json()["id"] == first.pk
    assert api.post(url, {}, format="json").json()["id"] == second.pk
    first.refresh_from_db()
    assert first.is_done
    again = api.post(url, {}, format="json")
    assert again.status_code == 400 and "agenda" in again.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"title": ""}, "title"),
        ({"planned_end": "2020-01-01T00:00:00+08:00"}, "planned_end"),
        ({"planned_start": "not a time"}, "planned_start"),
    ],
)
def test_req_ons_05_api_bad_item_input_names_the_field_and_saves_nothing(team, change, field):
    project = team["project"]
    response = _api(team["director"]).post(
        reverse("api:liveagenda-item-list", args=[project.pk]),
        _item_payload(project, **change),
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"]
    assert not AgendaItem.objects.exists()


def test_req_ons_05_api_frozen_planned_times_need_a_reason(team, add_item):
    item = services.start_item(add_item("A"), by=team["director"])
    api = _api(team["director"])
    url = reverse("api:liveagenda-item-detail", args=[team["project"].pk, item.pk])
    later = (item.planned_end + timedelta(minutes=10)).isoformat()
    refused = api.patch(url, {"planned_end": later}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["error"]["fields"]
    item.refresh_from_db()
    assert item.planned_end != later
    accepted = api.patch(url, {"planned_end": later, "reason": "主办方要求"}, format="json")
    assert accepted.status_code == 200, accepted.content


def test_req_ons_05_api_second_start_and_future_tap_are_400(team, add_item):
    item = add_item("A")
    api = _api(team["director"])
    url = reverse("api:liveagenda-item-start", args=[item.pk])
    future = api.post(url, {"at": (timezone.now() + timedelta(hours=2)).isoformat()}, format="json")
    assert future.status_code == 400 and "actual_start" in future.json()["error"]["fields"]
    assert api.post(url, {}, format="json").status_code == 200
    twice = api.post(url, {}, format="json")
    assert twice.status_code == 400 and "actual_start" in twice.json()["error"]["fields"]


def test_req_ons_05_api_answers(team, add_item):
    qa = services.start_item(add_item("问答", kind="qa"), by=team["director"])
    api = _api(team["director"])
    started = api.post(
        reverse("api:liveagenda-answer-start", args=[qa.pk]), {"label": "提问 1"}, format="json"
    )
    assert started.status_code == 201
    ended = api.post(reverse("api:liveagenda-answer-end", args=[started.json()["id"]]), {}, format="json")
    assert ended.status_code == 200 and ended.json()["ended_at"]


def test_req_ons_06_api_progress_reports(team):
    project = team["project"]
    api = _api(team["director"])
    url = reverse("api:liveagenda-report-list", args=[project.pk])
    bad = api.post(url, {"status": "on_track", "satisfaction": 120}, format="json")
    assert bad.status_code == 400 and "satisfaction" in bad.json()["error"]["fields"]
    unknown = api.post(url, {"status": "fine"}, format="json")
    assert unknown.status_code == 400 and "status" in unknown.json()["error"]["fields"]
    assert not ProgressReport.objects.exists()
    ok = api.post(
        url,
        {
            "status": "at_risk",
            "issues": "投影闪烁",
            "solutions": "更换线缆",
            "owner": "技术组",
            "satisfaction": "88",
        },
        format="json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["reporter"] == team["director"].pk
    assert api.get(url).json()["count"] == 1


def test_req_ons_08_api_coverage_and_satisfaction(team, add_item):
    project = team["project"]
    add_item("开幕致辞", kind="opening")
    services.generate_coverage(project, by=team["director"])
    moment = CoverageItem.objects.get()
    tech = _api(team["tech"])
    listing = tech.get(reverse("api:liveagenda-coverage-list", args=[project.pk]))
    assert listing.json()["results"][0]["title"] == "开幕致辞"
    bad_link = tech.post(
        reverse("api:liveagenda-coverage-tick", args=[moment.pk]), {"link": "nope"}, format="json"
    )
    assert bad_link.status_code == 400 and "link" in bad_link.json()["error"]["fields"]
    ticked = tech.post(
        reverse("api:liveagenda-coverage-tick", args=[moment.pk]),
        {"note": "主机位", "link": "https://example.com/a"},
        format="json",
    )
    assert ticked.status_code == 200 and ticked.json()["covered_by"] == team["tech"].pk
    url = reverse("api:liveagenda-satisfaction-list", args=[project.pk])
    reception = _api(team["reception"])
    bad = reception.post(url, {"respondent": "attendee", "score": 120}, format="json")
    assert bad.status_code == 400 and "score" in bad.json()["error"]["fields"]
    assert not SatisfactionEntry.objects.exists()
    assert reception.post(url, {"respondent": "host", "score": "92"}, format="json").status_code == 201


def test_req_ppl_04_api_minutes_owner(team):
    project = team["project"]
    api = _api(team["director"])
    url = reverse("api:liveagenda-settings", args=[project.pk])
    assert api.get(url).json()["minutes_owner_named"] is False
    response = api.put(url, {"minutes_owner": team["planner"].pk}, format="json")
    assert response.status_code == 200 and response.json()["minutes_owner_named"] is True


def test_permissions_outsiders_see_nothing_viewers_cannot_act(team, add_item, make_user, org):
    project = team["project"]
    item = add_item("A")
    outsider = _api(make_user("on_site_director", org["south_events"]))
    assert outsider.get(reverse("api:liveagenda-item-list", args=[project.pk])).status_code == 403
    assert (
        outsider.post(reverse("api:liveagenda-item-start", args=[item.pk]), {}, format="json").status_code
        == 403
    )
    # Reception sees the agenda but does not control time nor write reports.
    reception = _api(team["reception"])
    assert reception.get(reverse("api:liveagenda-item-list", args=[project.pk])).status_code == 200
    assert (
        reception.post(reverse("api:liveagenda-item-start", args=[item.pk]), {}, format="json").status_code
        == 403
    )
    response = reception.post(
        reverse("api:liveagenda-report-list", args=[project.pk]), {"status": "on_track"}, format="json"
    )
    assert response.status_code == 403
    # The execution supervisor controls time.
    supervisor = _api(team["supervisor"])
    assert (
        supervisor.post(reverse("api:liveagenda-item-start", args=[item.pk]), {}, format="json").status_code
        == 200
    )
    item.refresh_from_db()
    assert item.started_by == team["supervisor"]


def test_api_list_query_count_is_bounded(team, add_item):
    for index in range(12):
        item = add_item(f"环节{index}", kind="qa", start=index * 10, minutes=10)
        services.start_item(item, by=team["director"], at=item.planned_start)
        services.start_answer(item, by=team["director"], at=item.planned_start)
    api = _api(team["director"])
    url = reverse("api:liveagenda-item-list", args=[team["project"].pk])
    api.get(url)
    with CaptureQueriesContext(connection) as few:
        assert api.get(url).status_code == 200
    add_item("再加一个", start=200)
    with CaptureQueriesContext(connection) as more:
        api.get(url)
    assert len(more) == len(few)

"""Pages of the live agenda and its cockpit panel (REQ-ONS-05, 06, 08; REQ-PPL-04): one-tap forms, bad input
named and nothing saved, who sees what."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from huiyi.onsite.agenda import services
from huiyi.onsite.agenda.models import AgendaItem, ProgressReport, SatisfactionEntry

pytestmark = pytest.mark.django_db


def test_req_ons_05_agenda_page_shows_plan_actual_and_deviations(team, add_item, client):
    first = add_item("开幕致辞", kind="opening", start=0, minutes=10)
    add_item("董事长报告", start=10, minutes=30)
    services.start_item(first, by=team["director"], at=first.planned_start + timedelta(minutes=4))
    client.force_login(team["director"])
    page = client.get(reverse("liveagenda:agenda", args=[team["project"].pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="end-current"' in html and 'id="start-next"' in html
    assert "+4.0 min" in html and 'data-passes="0"' in html
    assert 'data-rule="segment"' in html


def test_req_ons_05_one_tap_forms_start_end_and_start_next(team, add_item, client):
    first = add_item("开幕致辞", kind="opening", start=0, minutes=10)
    second = add_item("董事长报告", start=10, minutes=30)
    client.force_login(team["director"])
    response = client.post(reverse("liveagenda:start_next", args=[team["project"].pk]))
    assert response.status_code == 302 and response["Location"].endswith("#now")
    response = client.post(reverse("liveagenda:start_next", args=[team["project"].pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_done and second.is_running
    client.post(reverse("liveagenda:item_end", args=[second.pk]))
    second.refresh_from_db()
    assert second.is_done
    # A second tap is harmless: a message, nothing changed.
    ended_at = second.actual_end
    page = client.post(
        reverse("liveagenda:item_end", args=[second.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "ended at" in page.content.decode()
    second.refresh_from_db()
    assert second.actual_end == ended_at


def test_req_ons_05_item_form_names_bad_fields_and_saves_nothing(team, client):
    project = team["project"]
    client.force_login(team["director"])
    url = reverse("liveagenda:item_add", args=[project.pk])
    start = timezone.localtime(project.start)
    response = client.post(
        url,
        {
            "kind": "speech",
            "title": "报告",
            "planned_start": start.strftime("%Y-%m-%dT%H:%M"),
            "planned_end": (start - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 400 and 'data-field="planned_end"' in response.content.decode()
    assert not AgendaItem.objects.exists()
    response = client.post(
        url,
        {
            "kind": "speech",
            "title": "报告",
            "planned_start": start.strftime("%Y-%m-%dT%H:%M"),
            "planned_end": (start + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302 and AgendaItem.objects.get().title == "报告"


def test_req_ons_05_editing_a_started_item_asks_for_a_reason(team, add_item, client):
    item = services.start_item(add_item("报告", start=0, minutes=30), by=team["director"])
    client.force_login(team["director"])
    url = reverse("liveagenda:item_edit", args=[item.pk])
    start = timezone.localtime(item.planned_start)
    data = {
        "kind": "speech",
        "title": "报告",
        "planned_start": start.strftime("%Y-%m-%dT%H:%M"),
        "planned_end": (start + timedelta(minutes=45)).strftime("%Y-%m-%dT%H:%M"),
    }
    response = client.post(url, data)
    assert response.status_code == 400 and 'data-field="reason"' in response.content.decode()
    response = client.post(url, {**data, "reason": "主办方要求延长"})
    assert response.status_code == 302


def test_req_ons_06_report_page_lists_missed_gaps_and_saves_a_report(team, client):
    project = team["project"]
    client.force_login(team["director"])
    url = reverse("liveagenda:reports", args=[project.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # Four hours into the meeting and no report: the gap is shown as overdue, in red.
    assert 'data-missed="1"' in page and "report overdue" in page
    bad = client.post(url, {"status": "on_track", "satisfaction": "120"})
    assert bad.status_code == 400 and 'data-field="satisfaction"' in bad.content.decode()
    assert not ProgressReport.objects.exists()
    ok = client.post(url, {"status": "at_risk", "issues": "<script>alert(1)</script>", "owner": "技术组"})
    assert ok.status_code == 302
    page = client.get(url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_req_ons_08_coverage_page_generate_and_tick(team, add_item, client):
    add_item("开幕致辞", kind="opening")
    project = team["project"]
    client.force_login(team["director"])
    client.post(reverse("liveagenda:coverage_generate", args=[project.pk]))
    moment = project.coverage_items.get()
    client.force_login(team["tech"])
    client.post(
        reverse("liveagenda:coverage_tick", args=[moment.pk]),
        {"note": "主机位", "link": "https://x.example/a"},
    )
    moment.refresh_from_db()
    assert moment.covered_by == team["tech"]
    page = client.get(
        reverse("liveagenda:coverage", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "1 of 1 key moments covered" in page


def test_req_ons_08_satisfaction_page(team, client):
    project = team["project"]
    client.force_login(team["reception"])
    url = reverse("liveagenda:satisfaction", args=[project.pk])
    bad = client.post(url, {"respondent": "attendee", "score": "120"})
    assert bad.status_code == 400 and 'data-field="score"' in bad.content.decode()
    assert client.post(url, {"respondent": "attendee", "score": "90"}).status_code == 302
    assert SatisfactionEntry.objects.get().created_by == team["reception"]
    # The planner may look but not enter scores.
    client.force_login(team["planner"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"respondent": "attendee", "score": "10"}).status_code == 403


def test_req_ppl_04_minutes_owner_form(team, client):
    client.force_login(team["director"])
    url = reverse("liveagenda:minutes_owner", args=[team["project"].pk])
    response = client.post(url, {"minutes_owner": team["planner"].pk, "minutes_owner_name": "李娜"})
    assert response.status_code == 400 and 'data-field="minutes_owner_name"' in response.content.decode()
    assert client.post(url, {"minutes_owner": team["planner"].pk}).status_code == 302


def test_permissions_on_pages(team, add_item, client, make_user, org):
    item = add_item("A")
    project = team["project"]
    client.force_login(make_user("on_site_director", org["south_events"]))
    assert client.get(reverse("liveagenda:agenda", args=[project.pk])).status_code == 403
    assert client.post(reverse("liveagenda:item_start", args=[item.pk])).status_code == 403
    client.force_login(team["reception"])
    page = client.get(reverse("liveagenda:agenda", args=[project.pk])).content.decode()
    assert 'id="start-next"' not in page  # sees the agenda, no time control
    assert client.post(reverse("liveagenda:item_start", args=[item.pk])).status_code == 403
    item.refresh_from_db()
    assert not item.is_started


def test_cockpit_panel_is_registered_and_polls(team, add_item, client):
    first = add_item("开幕致辞", kind="opening", start=0, minutes=10)
    add_item("董事长报告", start=10, minutes=30)
    services.start_item(first, by=team["director"], at=first.planned_start)
    client.force_login(team["director"])
    cockpit = client.get(reverse("onsite:cockpit", args=[team["project"].pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = cockpit.content.decode()
    assert 'id="panel-liveagenda"' in html and 'id="live-agenda-panel"' in html
    assert 'hx-trigger="every 30s"' in html and "开幕致辞" in html and "董事长报告" in html
    fragment = client.get(reverse("liveagenda:panel", args=[team["project"].pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    assert "Next progress report" in fragment.content.decode()

"""Pages of intake: inquiries, requirements list with live completeness, the client link (REQ-INT-01…07)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from huiyi.projects.intake import services
from huiyi.projects.intake.models import Inquiry, RequirementsRevision

ITEMS = ("what", "when", "where", "who", "why", "how", "how_much")


@pytest.fixture
def project(manager, make_project):
    return make_project(members=[(manager, "account_manager")])


def _requirements_post(project, **extra):
    data = {
        "name": project.name,
        "start": timezone.localtime(project.start).strftime("%Y-%m-%dT%H:%M"),
        "end": timezone.localtime(project.end).strftime("%Y-%m-%dT%H:%M"),
        "venue_type": "indoor",
        "expected_attendees": "120",
        "services_basic": ["venue_setup", "sign_in"],
        "services_standard": ["projection"],
        "budget": "250000.00",
        "payment_schedule": "monthly",
        "payment_method": "transfer",
        "refund_window_days": "7",
        "refund_non_refundable_percent": "60",
    }
    for key in ITEMS:
        data[f"{key}_text"] = f"{key} 说明"
        data[f"{key}_completion"] = "100"
        data[f"{key}_flag"] = "unknown"
    data.update(extra)
    return data


def test_req_int_01_inquiry_pages_walk_the_steps(client, manager, client_org):
    client.force_login(manager)
    assert client.get(reverse("intake:inquiries")).status_code == 200
    response = client.post(
        reverse("intake:inquiry_create"),
        {"client": client_org.pk, "contact_name": "王经理", "channel": "phone", "summary": "年会"},
    )
    inquiry = Inquiry.objects.get()
    assert response.url == reverse("intake:inquiry", args=[inquiry.pk])
    steps = [
        ("identify_client", {"identify_client-credentials_note": "营业执照"}),
        ("classify_request", {"classify_request-classification": "urgent"}),
        ("capability_match", {"capability_match-capability_ok": "yes"}),
        ("next_appointment", {"next_appointment-next_appointment": "2030-01-02T10:00"}),
    ]
    for step, data in steps:
        response = client.post(reverse("intake:inquiry_step", args=[inquiry.pk, step]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(reverse("intake:inquiry", args=[inquiry.pk])).content.decode()
    assert 'id="convert-form"' in page and page.count("step-time") == 4


def test_req_int_01_bad_step_input_names_the_field(client, manager, client_org):
    inquiry = services.create_inquiry(
        by=manager, client=client_org, contact_name="x", channel="phone", summary="s"
    )
    client.force_login(manager)
    response = client.post(reverse("intake:inquiry_step", args=[inquiry.pk, "identify_client"]), {})
    assert 'data-field="credentials_note"' in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.client_identified_at is None


def test_req_int_01_inquiries_of_other_units_are_hidden(client, org, make_user, manager, client_org):
    services.create_inquiry(by=manager, client=client_org, contact_name="x", channel="phone", summary="s")
    other = make_user("account_manager", org["south_events"], username="south")
    client.force_login(other)
    page = client.get(reverse("intake:inquiries")).content.decode()
    assert "测试客户" not in page
    inquiry = Inquiry.objects.get()
    assert client.get(reverse("intake:inquiry", args=[inquiry.pk])).status_code == 403


def test_req_int_03_save_requirements_through_the_page(client, manager, project):
    client.force_login(manager)
    url = reverse("intake:requirements", args=[project.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _requirements_post(project))
    assert response.status_code == 302, response.content.decode()[:3000]
    revision = RequirementsRevision.objects.get(project=project)
    assert revision.budget == Decimal("250000.00")
    assert revision.refund_non_refundable_share == Decimal("0.6")
    assert revision.services == ["venue_setup", "sign_in", "projection"]
    project.refresh_from_db()
    assert project.expected_attendees == 120


def test_req_int_03_end_before_start_refused_with_the_field(client, manager, project):
    client.force_login(manager)
    data = _requirements_post(
        project, end=timezone.localtime(project.start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    response = client.post(reverse("intake:requirements", args=[project.pk]), data)
    assert response.status_code == 200
    assert 'data-field="end"' in response.content.decode()
    assert not RequirementsRevision.objects.exists()


def test_req_int_05_live_completeness_fragment(client, manager, project):
    client.force_login(manager)
    data = _requirements_post(project, how_text="", how_completion="0", who_unclear="on")
    response = client.post(reverse("intake:requirements_completeness", args=[project.pk]), data)
    body = response.content.decode()
    assert 'id="completeness-index"' in body and "86%" in body
    assert not RequirementsRevision.objects.exists()


def test_req_int_07_client_link_page_confirms_without_login(client, manager, project):
    revision = services.save_requirements(project, by=manager, values={"budget": Decimal("1000")})
    _link, token = services.send_for_confirmation(revision, by=manager)
    url = reverse("intake:confirm", args=[token])
    page = client.get(url).content.decode()
    assert "confirm-form" in page and "sign-out" not in page
    response = client.post(url, {"action": "confirm", "confirm-name": ""})
    assert 'data-field="name"' in response.content.decode()
    response = client.post(url, {"action": "confirm", "confirm-name": "王经理"}, REMOTE_ADDR="203.0.113.5")
    assert 'id="link-done"' in response.content.decode()
    revision.refresh_from_db()
    assert revision.confirmed_by_name == "王经理" and revision.confirmed_address == "203.0.113.5"
    again = client.get(url)
    assert again.status_code == 410 and "link-closed" in again.content.decode()


def test_req_int_07_send_link_shows_it_once(client, manager, project):
    services.save_requirements(project, by=manager)
    client.force_login(manager)
    client.post(reverse("intake:requirements_send", args=[project.pk]))
    page = client.get(reverse("intake:requirements", args=[project.pk])).content.decode()
    assert "/intake/confirm/" in page
    page = client.get(reverse("intake:requirements", args=[project.pk])).content.decode()
    assert "/intake/confirm/" not in page


def test_project_page_shows_the_intake_section(client, manager, project):
    services.save_requirements(project, by=manager)
    client.force_login(manager)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'id="intake-section"' in page and 'id="key-steps"' in page


def test_inquiry_list_query_count_is_bounded(client, manager, client_org, django_assert_max_num_queries):
    for n in range(15):
        services.create_inquiry(
            by=manager, client=client_org, contact_name=f"c{n}", channel="phone", summary="s"
        )
    client.force_login(manager)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("intake:inquiries")).status_code == 200

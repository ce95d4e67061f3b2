"""Reporting an incident from a phone (390×844), in Chinese (REQ-INC-02): the big type buttons, the place
prefilled from the venue, time = now; the incident page shows the suggested level, the clocks and the
command chain; the on-site director acknowledges with one tap and the chain relays to the next person
(REQ-INC-03, REQ-ONS-09)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

from huiyi.clients.models import Contact
from huiyi.incidents.models import ChainStep, Incident

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")


def test_report_an_incident_from_a_phone_and_acknowledge(page, make_user, make_project, org, client_org):
    unit = org["north_events"]
    reception = make_user("reception", unit, username="zheng", display_name="郑雨")
    director = make_user("on_site_director", unit, username="zhou", display_name="周杰")
    tech = make_user("technical_support", unit, username="wu", display_name="吴磊")
    Contact.objects.create(client=client_org, name="刘洋", phone="13800000001", is_primary=True)
    start = timezone.now() - timedelta(minutes=40)
    project = make_project(
        unit,
        phase=3,
        name="浦江科技董事会第四次会议",
        start=start,
        end=start + timedelta(hours=4),
        venue_name="浦江科技总部 20 楼会议室",
        members=[(reception, "reception"), (director, "on_site_director"), (tech, "technical_support")],
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "zheng")
    page.goto(f"/incidents/projects/{project.pk}/report/")
    page.wait_for_selector("#send-report")
    assert page.input_value("input[name=place]") == "浦江科技总部 20 楼会议室"
    screenshot(page, "incidents-report-phone")

    page.click("#send-report")  # nothing chosen: refused, the fields are named
    page.wait_for_selector("#error-type")
    assert Incident.objects.count() == 0

    page.click("label[for=type-equipment_failure]")
    page.fill("textarea[name=impact]", "主投影仪黑屏,财务报告暂停")
    page.check("#id_meeting_interrupted")
    page.click("#send-report")
    page.wait_for_selector("#incident-level")
    incident = Incident.objects.get()
    assert incident.level == "II" and incident.type == "equipment_failure"
    assert "II" in page.locator("#incident-level").inner_text()
    assert page.locator("#clock-diagnosis").is_visible()
    assert page.locator("[data-state=paged]").count() == 1
    assert page.locator("form[action*='/ack/'] button").count() == 0  # the reporter is not in the chain
    screenshot(page, "incidents-detail-reporter-phone")

    page.context.clear_cookies()
    sign_in(page, "zhou")
    page.goto(f"/incidents/{incident.pk}/")
    first = incident.chain.get(position=1)
    page.click(f"#ack-{first.pk}")
    page.wait_for_selector(f"[data-step='{first.pk}'][data-state=acknowledged]")
    assert incident.chain.get(position=2).state == ChainStep.State.PAGED
    screenshot(page, "incidents-detail-director-phone")

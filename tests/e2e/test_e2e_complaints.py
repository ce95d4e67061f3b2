"""Complaints in the browser (REQ-FBK-06): a guest lodges a complaint through the project's public link on a
phone (honeypot hidden, HTML shown as text, reference on the acknowledgement page); the account manager then
works it on the staff page: first response, pause for the client, resume, resolve, close with the client's
confirmation and raise a nonconformance; the breach and escalation appear on the timeline."""

import datetime as dt

import pytest
from django.urls import reverse
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

from huiyi.feedback.complaints import services
from huiyi.feedback.complaints.models import Complaint

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")


def test_guest_lodges_a_complaint_on_a_phone_and_staff_work_it(page, make_user, make_project, org):
    unit = org["north_events"]
    pm = make_user("project_manager", unit, username="pm", display_name="钱浩")
    am = make_user("account_manager", unit, username="am", display_name="陈静")
    make_user("project_director", org["north"], username="director", display_name="赵敏")
    project = make_project(
        unit,
        name="东方新能源经销商商务会议",
        start_in_days=-3,
        phase=4,
        members=[(pm, "project_manager"), (am, "account_manager")],
    )
    _link, token = services.issue_public_link(project, by=pm, days=30)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("complaints:public", args=[token]))
    box = page.locator("#id_website").bounding_box()
    assert box is None or box["x"] + box["width"] <= 0  # the honeypot is out of sight
    page.fill("#id_complainant_name", "王女士")
    page.fill("#id_complainant_contact", "13800000001")
    page.check("input[name=severity][value=serious]")
    page.fill("#id_content", "返程大巴迟到一小时 <script>alert('x')</script>")
    screenshot(page, "complaints_public_form_phone")
    page.click("#submit-complaint")
    page.wait_for_selector("#reference")
    complaint = Complaint.objects.get()
    assert page.inner_text("#reference") == complaint.reference
    screenshot(page, "complaints_public_received_phone")

    # A complaint taken by phone five hours ago was never answered: the periodic check escalates it.
    from django.utils import timezone

    complaint = services.create_complaint(
        project,
        channel="phone",
        severity="serious",
        by=am,
        complainant_name="王女士",
        complainant_contact="13800000001",
        content="返程大巴迟到一小时 <script>alert('x')</script>",
        received_at=timezone.now() - dt.timedelta(hours=5),
    )
    services.check_breaches()

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "am")
    page.goto(reverse("complaints:list"))
    page.wait_for_selector(f'[data-complaint="{complaint.pk}"]')
    assert "王女士" not in page.inner_text("#complaint-rows")  # masked in lists
    screenshot(page, "complaints_list")
    page.click(f'[data-complaint="{complaint.pk}"]')
    page.wait_for_selector("#timeline")
    assert page.locator('[data-event="escalated"]').count() == 2
    assert "<script>" in page.inner_text("#complaint-content")  # shown as text, never run
    page.fill("#ack-note", "已致电王女士致歉，正在核实车队调度")
    page.click("#form-acknowledge button[type=submit]")
    page.wait_for_selector("#btn-start")
    page.click("#btn-start")
    page.fill("#pause-reason", "等客户提供改签票据")
    page.click("#form-pause button[type=submit]")
    page.wait_for_selector('[data-clock="resolution"][data-status="paused"]')
    page.click("#form-resume button[type=submit]")
    page.wait_for_selector('[data-clock="resolution"][data-status="running"]')
    page.fill("#resolution-text", "承担改签费用并书面致歉")
    page.click("#form-resolve button[type=submit]")
    page.wait_for_selector("#form-close")
    page.fill("#id_confirmed_by_name", "王女士")
    page.select_option("#id_confirmation_method", "phone")
    page.click("#form-close button[type=submit]")
    page.wait_for_selector("#closure")
    page.click("#btn-raise-nc")
    page.wait_for_selector("#nc-link")
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.nonconformance_id
    assert not page.console_errors
    screenshot(page, "complaints_detail")

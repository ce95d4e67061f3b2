"""Supervision in the browser (REQ-QLT-07): the quality officer plans an internal audit of a meeting, starts
it, records a nonconformity on a checklist item and finds the nonconformance it opened in quality."""

import pytest
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

from huiyi.quality.audits.models import Audit
from huiyi.quality.models import Nonconformance

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")


def test_req_qlt_07_plan_audit_record_nonconformity_see_nc_in_quality(page, make_user, make_project, org):
    officer = make_user("quality_officer", org["company"], username="hanmei", display_name="韩梅")
    pm = make_user("project_manager", org["north_events"], username="pm", display_name="钱浩")
    project = make_project(name="浦江科技年度客户大会", start_in_days=-5, members=[(pm, "project_manager")])
    sign_in(page, "hanmei")
    page.goto("/audits/")
    page.click("#plan-audit")
    page.fill("input[name=title]", "第四季度内部质量审核")
    page.fill("input[name=planned_date]", "2026-11-20")
    page.fill("input[name=scope_requirements]", "REQ-QLT-10")
    page.select_option("select[name=projects]", str(project.pk))
    page.select_option("select[name=lead_auditor]", str(officer.pk))
    page.click("#audit-form button[type=submit]")
    page.wait_for_selector("#checklist")
    audit = Audit.objects.get()
    page.click("#start-audit")
    item = audit.items.get(rule_id="qlt.sop.optimisation_meeting_interval")
    row = page.locator(f"#item-{item.pk}")
    row.locator("summary").click()
    row.locator("select[name=result]").select_option("nonconformity")
    row.locator("select[name=severity]").select_option("major")
    row.locator("textarea[name=evidence]").fill("第三季度未召开服务流程优化会议。")
    row.locator("button").click()
    row = page.locator(f"#item-{item.pk}")
    row.locator(".nc-link").wait_for()
    nc = Nonconformance.objects.get()
    assert nc.source == "audit" and nc.project == project and nc.severity == "major"
    screenshot(page, "supervision-audit-nonconformity")
    row.locator(".nc-link").click()
    page.wait_for_url(f"**/quality/nonconformances/{nc.pk}/")
    assert nc.code in page.content() and "第三季度未召开服务流程优化会议" in page.content()

"""The plan from draft to frozen (REQ-PLN-01…04, CCP 2–3): the planner drafts v1, the director reviews it,
the planner sends it, the client confirms every section through the link and signs; the version is frozen
and its PDF downloads in Chinese."""

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

from huiyi.projects.planning.models import PlanStatus, PlanVersion

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#user-menu")


def sign_out(page):
    page.click("#user-menu")
    page.click("#sign-out")
    page.wait_for_selector("#login-form")


def local(dt):
    from django.utils import timezone

    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def add_line(page, kind, values: dict):
    section = page.locator(f"#{kind}")
    section.locator("details summary").click()
    for name, value in values.items():
        field = page.locator(f"#id_{kind}-{name}")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.locator(f"#add-{kind}-form button[type=submit]").click()
    page.wait_for_load_state()


def test_plan_drafted_reviewed_confirmed_by_the_client_and_frozen(page, make_user, make_project, org):
    unit = org["north_events"]
    planner = make_user("planner", unit, username="sun", display_name="孙丽")
    director = make_user("project_director", unit, username="zhao", display_name="赵敏")
    project = make_project(
        name="年度经销商大会",
        members=[(planner, "planner"), (director, "project_director")],
        venue_name="上海国际会议中心",
    )
    start = project.start

    # The planner drafts v1.
    sign_in(page, "sun")
    page.goto(f"/projects/{project.pk}/")
    page.click("#new-plan-version")
    page.wait_for_selector("#goals-form")
    page.fill("#id_goals", "答谢经销商，发布 2027 年新品，提升品牌影响力。")
    page.fill("#id_technical_support", "LED 主屏、双投影备份、技术支持全程驻场")
    page.fill("#id_catering", "茶歇两次、自助午餐")
    page.fill("#id_translation", "主论坛中英同传")
    page.click("#goals-form button[type=submit]")
    page.wait_for_selector("#goals-form")
    add_line(
        page,
        "agenda",
        {"starts_at": local(start), "ends_at": local(start + timedelta(hours=1)), "title": "开幕致辞"},
    )
    add_line(
        page,
        "resources",
        {
            "kind": "venue",
            "name": "主会场",
            "quantity": "1",
            "start": local(start),
            "end": local(start + timedelta(hours=8)),
        },
    )
    add_line(page, "budget", {"category": "venue", "description": "场地租赁", "amount": "一百万"})
    assert page.locator('[data-field="amount"]').is_visible()
    screenshot(page, "planning-bad-amount-zh")
    page.fill("#id_budget-amount", "600000")
    page.click("#add-budget-form button[type=submit]")
    page.wait_for_load_state()
    add_line(page, "budget", {"category": "catering", "description": "茶歇与午餐", "amount": "450000"})
    assert page.locator("#budget-total").inner_text().replace(",", "").startswith("1050000")
    assert "设备故障" in page.locator("#risks").inner_text()
    screenshot(page, "planning-draft-zh")
    page.click("#submit-review")
    page.wait_for_selector('.plan-status[data-status="review"]')
    sign_out(page)

    # The director reviews.
    version = PlanVersion.objects.get(project=project)
    sign_in(page, "zhao")
    page.goto(f"/planning/versions/{version.pk}/")
    page.fill("#id_review-score", "88")
    page.select_option("#id_review-outcome", "approve")
    page.fill("#id_review-comment", "主题鲜明，议程合理。")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector("#conclude-form")
    assert page.locator("#score").inner_text() == "88.00"
    page.select_option("#id_outcome", "approve")
    page.click("#conclude-form button[type=submit]")
    page.wait_for_selector("#review .badge")
    screenshot(page, "planning-reviewed-zh")
    sign_out(page)

    # The planner sends it; the link is shown once.
    sign_in(page, "sun")
    page.goto(f"/planning/versions/{version.pk}/")
    page.fill("#id_recipient", "王经理")
    page.click("#send-button")
    page.wait_for_selector("#confirm-link")
    link = page.locator("#confirm-link").input_value()
    screenshot(page, "planning-sent-zh")
    sign_out(page)

    # The client, without an account, confirms every section and signs.
    page.goto(link)
    page.wait_for_selector("#confirm-form")
    assert "主会场" in page.content()
    page.check("#id_budget_answer_1")  # comment: the box is required then
    page.click("#confirm-submit")
    page.check("#id_budget_answer_0")
    page.fill("#id_signer_name", "王经理")
    screenshot(page, "planning-client-confirm-zh")
    page.click("#confirm-submit")
    page.wait_for_selector("#confirm-done")
    screenshot(page, "planning-client-done-zh")
    version.refresh_from_db()
    assert version.status == PlanStatus.CONFIRMED
    page.goto(link)
    page.wait_for_selector("#link-closed")

    # Frozen; the PDF downloads in Chinese.
    sign_in(page, "sun")
    page.goto(f"/planning/versions/{version.pk}/")
    page.wait_for_selector('.plan-status[data-status="confirmed"]')
    assert page.locator("#goals-form").count() == 0
    assert page.locator("#signer").inner_text() == "王经理"
    screenshot(page, "planning-confirmed-zh")
    response = page.request.get(page.locator("#pdf-zh").get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "会议策划方案" in text and "风险评估" in text and "王经理" in text
    page.goto(f"/projects/{project.pk}/")
    page.wait_for_selector('#plan-versions [data-version="1"]')
    assert "王经理" in page.locator("#plan-versions").inner_text()
    screenshot(page, "planning-project-section-zh")
    # 400 (refused input) and 410 (used link) are answers by design; anything else is a page error.
    assert [e for e in page.console_errors if "Failed to load resource" not in e] == []

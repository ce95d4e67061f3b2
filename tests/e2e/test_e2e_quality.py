"""A project director opens a scorecard, enters a failing budget deviation, evaluates, sees the fail
verdict and the new nonconformance, and plans a corrective action — in Chinese (REQ-QLT-03, REQ-QLT-06,
REQ-PLN-03)."""

from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.utils.translation import trans_real
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

from huiyi.quality.models import ManualMeasurement, Nonconformance
from huiyi.rulebook.services import rulebook_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CATALOGUE = Path(__file__).resolve().parents[2] / "src/huiyi/locale/zh_Hans/LC_MESSAGES/django"


@pytest.fixture(autouse=True)
def quality_catalogue():
    """Compiled .mo files are not committed; compile the catalogue if `make messages` has not."""
    po, mo = CATALOGUE.with_suffix(".po"), CATALOGUE.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        with po.open("rb") as source:
            catalog = read_po(source)
        with mo.open("wb") as target:
            write_mo(target, catalog)
        trans_real._translations.clear()
        trans_real._default = None
    yield


def sign_in(page, username):
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#user-menu")


def test_scorecard_fail_verdict_nonconformance_and_action_in_chinese(page, make_user, make_project, org):
    director = make_user("project_director", org["company"], username="zhao", display_name="赵敏")
    project = make_project(
        phase=2, name="第十二届全国医学影像学术年会", members=[(director, "project_director")]
    )
    limit = Decimal(str(rulebook_for(project).value("ccp02.budget_deviation")))
    planned = Decimal(1000000) * (1 + limit) + 18000  # just outside the rulebook's limit

    sign_in(page, "zhao")
    page.goto(f"/projects/{project.pk}/")
    page.click("#quality-scorecard-link")
    page.wait_for_selector("#scorecard-body")
    assert "质量记分卡" in page.locator("h1").inner_text()
    assert page.locator("#evaluate-now").inner_text().strip() == "立即评价"
    screenshot(page, "quality-scorecard-empty-zh")

    row = "#c-ccp02-budget-deviation"
    page.click(f"{row} button[data-bs-toggle=collapse]")
    page.wait_for_selector(f"{row}-more.show")
    page.fill('[name="m-ccp02.budget_deviation-planned"]', str(planned))
    page.fill('[name="m-ccp02.budget_deviation-budget"]', "0")
    page.click(f"{row}-more button[type=submit]")
    page.wait_for_selector(f"{row}-more .field-error")
    assert "金额必须大于零" in page.locator(f"{row}-more .field-error").first.inner_text()
    assert not ManualMeasurement.objects.exists()
    screenshot(page, "quality-measure-error-zh")

    page.fill('[name="m-ccp02.budget_deviation-planned"]', str(planned))
    page.fill('[name="m-ccp02.budget_deviation-budget"]', "1000000")
    page.fill('[name="m-ccp02.budget_deviation-note"]', "场地报价上调")
    page.click(f"{row}-more button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "预算偏差" in page.locator(".alert-success").inner_text()

    page.click("#evaluate-now")
    page.wait_for_selector(f'{row} [data-verdict="fail"]')
    assert "不合格" in page.locator(f"{row} .verdict").inner_text()
    assert "6.8%" in page.locator(f"{row} .measured").inner_text()
    nc = Nonconformance.objects.get(project=project)
    assert nc.code in page.locator("#open-ncs").inner_text()
    assert "预算偏差" in page.locator("#open-ncs").inner_text()
    page.click(f"{row} button[data-bs-toggle=collapse]")
    page.wait_for_selector(f"{row}-more.show")
    screenshot(page, "quality-scorecard-fail-zh")

    page.click(f"#open-ncs a:has-text('{nc.code}')")
    page.wait_for_selector("#plan-form")
    assert page.locator("#nc-status").inner_text() == "待处理"
    page.select_option("#plan-form select[name=kind]", "corrective")
    page.fill("#plan-form textarea[name=description]", "与场地重新议价并调整茶歇标准")
    page.select_option("#plan-form select[name=owner]", str(director.pk))
    page.click("#plan-form button[type=submit]")
    page.wait_for_selector('#nc-status[data-status="action_planned"]')
    assert "已制定措施" in page.locator("#nc-status").inner_text()
    assert "与场地重新议价" in page.locator("#actions").inner_text()
    screenshot(page, "quality-nonconformance-zh")

    page.click('a[data-module="quality"]')
    page.wait_for_selector("#nc-table")
    assert nc.code in page.locator("#nc-table").inner_text()
    screenshot(page, "quality-nonconformances-zh")

    page.goto("/quality/check/?control_point=CCP-02")
    page.fill('[name="v-budget_deviation"]', "6.8")
    page.fill('[name="v-plan_creativity_score"]', "86")
    page.click("#check-form button[type=submit]")
    page.wait_for_selector('.check-verdict [data-verdict="fail"]')
    screenshot(page, "quality-check-zh")
    assert page.console_errors == []

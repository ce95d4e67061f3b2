"""Fixtures for closing tests: a finished meeting with its team, finance and quality, a signed contract."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huiyi.contracts import services as contracts

SCOPE = {
    "scope_preparation": "会前筹备",
    "scope_onsite": "现场执行",
    "scope_in_meeting": "会中保障",
    "scope_post_meeting": "会后总结",
}
VALUE = Decimal("100000.00")


@pytest.fixture
def team(org, make_user, make_project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    unit = org["north_events"]
    pm = make_user("project_manager", unit, username="pm", display_name="王经理")
    director = make_user("project_director", org["north"], username="director", display_name="赵总监")
    finance = make_user("finance", org["north"], username="finance", display_name="褚会计")
    quality = make_user("quality_officer", org["north"], username="quality", display_name="韩质量")
    execution = make_user("execution_supervisor", unit, username="exec", display_name="李主管")
    outsider = make_user("finance", org["south"], username="outsider")
    planner = make_user("planner", unit, username="planner")
    project = make_project(
        phase=4,
        start_in_days=-10,
        members=[(pm, "project_manager"), (execution, "execution_supervisor"), (planner, "planner")],
    )
    return {
        "project": project,
        "pm": pm,
        "director": director,
        "finance": finance,
        "quality": quality,
        "exec": execution,
        "outsider": outsider,
        "planner": planner,
    }


def sign(project, by, value=VALUE, lines=None):
    today = timezone.localdate()
    if lines is None:
        half = (value / 2).quantize(Decimal("0.01"))
        lines = [
            {"name": "预付款", "due_date": today - timedelta(days=40), "amount": half},
            {"name": "尾款", "due_date": today - timedelta(days=2), "amount": value - half},
        ]
    contract = contracts.create_contract(project, by=by, value=value, payments=lines, **SCOPE)
    upload = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    contracts.attach_signed_copy(contract, upload, by=by)
    return contracts.sign_contract(contract, by=by)


@pytest.fixture
def contract(team):
    return sign(team["project"], team["pm"])

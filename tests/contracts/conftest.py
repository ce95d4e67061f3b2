"""Fixtures for contract tests: a project with its manager and director, a draft and a signed contract."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huiyi.contracts import services

SCOPE = {
    "scope_preparation": "会前筹备:场地考察、物料制作",
    "scope_onsite": "现场执行:签到、引导",
    "scope_in_meeting": "会中保障:音视频、同传",
    "scope_post_meeting": "会后总结:报告、满意度回访",
}


def pdf_upload(name="signed.pdf", content=b"%PDF-1.4 signed contract scan"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def payments(total=Decimal("100000.00")):
    half = (total / 2).quantize(Decimal("0.01"))
    today = timezone.localdate()
    return [
        {"name": "预付款", "due_date": today + timedelta(days=5), "amount": half},
        {"name": "尾款", "due_date": today + timedelta(days=60), "amount": total - half},
    ]


@pytest.fixture
def team(org, make_user, make_project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    manager = make_user("project_manager", org["north_events"], username="pm")
    director = make_user("project_director", org["north"], username="director")
    account = make_user("account_manager", org["north_events"], username="am")
    planner = make_user("planner", org["north_events"], username="planner")
    project = make_project(
        phase=2,
        members=[(manager, "project_manager"), (account, "account_manager"), (planner, "planner")],
        start_in_days=30,
    )
    return {"project": project, "pm": manager, "director": director, "am": account, "planner": planner}


@pytest.fixture
def draft(team):
    return services.create_contract(
        team["project"], by=team["pm"], value=Decimal("100000.00"), payments=payments(), **SCOPE
    )


@pytest.fixture
def signed(team, draft):
    services.attach_signed_copy(draft, pdf_upload(), by=team["pm"])
    return services.sign_contract(draft, by=team["pm"])

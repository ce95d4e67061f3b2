"""The demo's contracts (issue 4 "done when"): signed contracts, one late change request → v2, one breach."""

import pytest

from huiyi.accounts.models import User
from huiyi.contracts import demo
from huiyi.contracts.models import Breach, ChangeRequest, Contract
from huiyi.core import demo as core_demo
from huiyi.projects.models import MeetingProject

pytestmark = pytest.mark.django_db


def test_REQ_CON_02_demo_has_signed_contracts_a_late_change_to_v2_and_a_minor_breach(
    monkeypatch, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(core_demo, "_extend", lambda people: None, raising=False)
    core_demo.build_demo(password="demo-password-for-tests")
    people = {}
    for username, _name, role, _unit in core_demo.PEOPLE:
        people.setdefault(role, User.objects.get(username=username))
    signed = demo.build(list(MeetingProject.objects.order_by("code")), people)
    assert signed and all(c.signed_copy_sha256 for c in signed)
    change = ChangeRequest.objects.get()
    assert change.is_late and change.cost_from_formula and change.status == ChangeRequest.Status.APPLIED
    assert change.client_channel == "link" and change.approved_at is not None
    assert change.resulting_version.version == 2
    assert Contract.objects.filter(status=Contract.Status.AMENDED).count() == 1
    breach = Breach.objects.get()
    assert breach.breach_class == "minor" and breach.contract.project.phase == 4

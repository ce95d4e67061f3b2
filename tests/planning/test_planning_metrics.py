"""CCP 2–3 measured from plan versions (REQ-PLN-02, REQ-PLN-03)."""

from decimal import Decimal
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile

from huiyi.projects.outputs import evidence_for
from huiyi.projects.planning import services
from huiyi.projects.planning.models import PlanVersion
from huiyi.quality.metrics import Measurement, NotMeasurable, measure, registry
from huiyi.rulebook.services import rulebook_for

ALL = {s: (True, "") for s in ("goals", "agenda", "resources", "budget", "risks")}
KEYS = [
    "plan_creativity_score",
    "plan_client_confirmation_rate",
    "plan_client_signed",
    "plan_esigned_copy_archived",
    "plan_versions_clear",
]


def values(project):
    rulebook = rulebook_for(project)
    return {key: measure(key, project, rulebook) for key in KEYS}


def test_metrics_are_registered_by_planning():
    for key in [*KEYS, "budget_deviation"]:
        assert registry()[key].__module__ == "huiyi.projects.planning.metrics"


def test_nothing_sent_is_not_measurable(draft):
    assert all(isinstance(v, NotMeasurable) for v in values(draft.project).values())


def test_CCP_02_03_measured_after_confirmation(sent, team):
    services.answer_as_client(sent.token, answers=ALL, signer_name="王经理")
    measured = values(sent.project)
    assert measured["plan_creativity_score"].value == Decimal("88.00")
    assert measured["plan_client_confirmation_rate"].value == 1
    assert measured["plan_client_signed"].value == 1
    assert measured["plan_esigned_copy_archived"].value == 0
    assert measured["plan_versions_clear"].value == 1
    sent.refresh_from_db()
    services.archive_signed_copy(sent, SimpleUploadedFile("s.pdf", b"signed"), by=team["planner"])
    assert values(sent.project)["plan_esigned_copy_archived"].value == 1
    assert evidence_for(sent.project, "meeting_plan").label.endswith("v1")


def test_CCP_02_partial_confirmation_rate(sent):
    services.answer_as_client(sent.token, answers={**ALL, "budget": (False, "太贵")}, signer_name="王经理")
    measured = values(sent.project)
    assert measured["plan_client_confirmation_rate"].value == Decimal("0.8")
    assert measured["plan_client_signed"].value == 0


def test_CCP_03_version_gap_is_not_clear(sent):
    services.answer_as_client(sent.token, answers=ALL, signer_name="王经理")
    PlanVersion.objects.filter(pk=sent.pk).update(number=2)
    assert values(sent.project)["plan_versions_clear"].value == 0


def test_REQ_PLN_03_budget_deviation_from_the_plan_against_the_client_budget(sent):
    rulebook = rulebook_for(sent.project)
    with mock.patch("huiyi.projects.planning.queries.client_budget", return_value=Decimal("1000000")):
        result = measure("budget_deviation", sent.project, rulebook)
    assert isinstance(result, Measurement)
    assert result.value == Decimal("50000") / Decimal("1000000")  # 1,050,000 planned
    assert result.evidence["planned"] == "1050000.00"


def test_budget_deviation_falls_back_to_the_manual_entry(sent, team):
    from huiyi.quality import services as quality

    quality.record_budget(sent.project, planned="1068000", budget="1000000", by=team["director"])
    result = measure("budget_deviation", sent.project, rulebook_for(sent.project))
    assert result.value == Decimal("0.068")

"""REQ-INT-02 key-step clocks and the client budget other apps read (REQ-INT-06)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from huiyi.projects.intake import queries, services
from huiyi.projects.intake.models import KeyStep, RequirementsRevision
from huiyi.rulebook.services import rulebook_for


def test_req_int_02_complete_key_step_is_idempotent_and_due_from_rulebook(make_project):
    project = make_project()
    first = timezone.now()
    step = services.complete_key_step(project, "plan_recommendation", at=first)
    again = services.complete_key_step(project, "plan_recommendation", at=first + timedelta(hours=5))
    assert again.pk == step.pk and again.completed_at == first
    assert KeyStep.objects.filter(project=project).count() == 3
    hours = rulebook_for(project).value("int.key_step.plan_recommendation")
    assert step.due_at - step.started_at == timedelta(hours=hours)


def test_req_int_02_unknown_key_refused(make_project):
    project = make_project()
    try:
        services.complete_key_step(project, "lunch")
    except ValueError as error:
        assert "lunch" in str(error)
    else:
        raise AssertionError("unknown key accepted")


def test_req_int_06_client_budget_from_current_revision(make_project):
    project = make_project()
    assert queries.client_budget(project) is None
    RequirementsRevision.objects.create(project=project, number=1, budget=Decimal("100000.00"))
    RequirementsRevision.objects.create(project=project, number=2, budget=Decimal("120000.50"))
    assert queries.client_budget(project) == Decimal("120000.50")

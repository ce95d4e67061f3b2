"""The intake demo: inquiries, lists, confirmations and one discrepancy (REQ-INT-01…07)."""

from huiyi.projects.intake import demo, queries
from huiyi.projects.intake.models import Discrepancy, Inquiry, KeyStep
from huiyi.quality.metrics import measure
from huiyi.rulebook.services import rulebook_for


def test_demo_builds_intake_records(make_project, manager):
    needs = [make_project(phase=1), make_project(phase=1)]
    later = [make_project(phase=2, start_in_days=-3), make_project(phase=4, start_in_days=-30)]
    demo.build([*needs, *later], {"account_manager": manager})
    assert Inquiry.objects.count() == 4
    assert KeyStep.objects.filter(completed_at__isnull=False).count() == 2 + 3 * 2
    first = needs[0]
    assert measure("no_unclear_requirement_items", first, rulebook_for(first)).value == 0
    for project in later:
        assert queries.confirmed_revision(project) is not None
        assert measure("requirement_records_accurate", project, rulebook_for(project)).value == 1
    assert Discrepancy.objects.get().revision.project == needs[1]

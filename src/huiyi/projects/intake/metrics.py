"""CCP-01 and REQ-INT-07 metrics measured from the requirements list (the evaluator compares them)."""

from django.utils.translation import gettext_lazy as _

from huiyi.quality import formulas
from huiyi.quality.metrics import Measurement, NotMeasurable, metric

from .catalogue import FIVE_W_TWO_H, confirmed_item_keys
from .models import Discrepancy
from .queries import confirmed_revision, current_revision

NO_LIST = _("No requirements list yet.")
NOT_CONFIRMED = _("The client has not confirmed a requirements list yet.")


def _items_evidence(revision) -> dict:
    return {
        "revision": revision.number,
        "items": {
            item.key: {"recorded": item.is_recorded, "unclear": item.unclear} for item in revision.items.all()
        },
    }


@metric("requirement_information_recorded_rate")
def requirement_information_recorded_rate(project, rulebook):
    """Share of the 5W2H items with something recorded (CCP-01 信息记录完整率)."""
    revision = current_revision(project)
    if revision is None:
        return NotMeasurable(NO_LIST)
    recorded = sum(1 for item in revision.items.all() if item.is_recorded)
    return Measurement(
        value=formulas.ratio(recorded, len(FIVE_W_TWO_H), part_name="recorded", whole_name="items"),
        evidence={**_items_evidence(revision), "recorded": recorded, "total": len(FIVE_W_TWO_H)},
    )


@metric("no_unclear_requirement_items")
def no_unclear_requirement_items(project, rulebook):
    """1 when no 5W2H item of the current list is marked unclear (CCP-01 无不明确项)."""
    revision = current_revision(project)
    if revision is None:
        return NotMeasurable(NO_LIST)
    unclear = [item.key for item in revision.items.all() if item.unclear]
    return Measurement(value=0 if unclear else 1, evidence={"revision": revision.number, "unclear": unclear})


def _error_counts(project):
    revision = confirmed_revision(project)
    if revision is None:
        return None, 0, 0
    discrepancies = Discrepancy.objects.filter(revision__project=project).count()
    return revision, discrepancies, len(confirmed_item_keys(revision))


def _error_rate(discrepancies: int, items: int):
    # More discrepancies than items confirmed still means every item was wrong.
    return formulas.error_rate(min(discrepancies, items), items)


@metric("requirement_records_accurate")
def requirement_records_accurate(project, rulebook):
    """1 when no discrepancy was found after the client confirmed the list (CCP-01 记录准确无误)."""
    revision, discrepancies, items = _error_counts(project)
    if revision is None:
        return NotMeasurable(NOT_CONFIRMED)
    return Measurement(
        value=0 if discrepancies else 1,
        evidence={"revision": revision.number, "discrepancies": discrepancies},
    )


@metric("requirements_error_rate")
def requirements_error_rate(project, rulebook):
    """Error rate = discrepancies / confirmed items (REQ-INT-07)."""
    revision, discrepancies, items = _error_counts(project)
    if revision is None:
        return NotMeasurable(NOT_CONFIRMED)
    return Measurement(
        value=_error_rate(discrepancies, items),
        evidence={"revision": revision.number, "discrepancies": discrepancies, "confirmed_items": items},
    )


@metric("requirements_accuracy")
def requirements_accuracy(project, rulebook):
    """Accuracy = 1 − error rate (REQ-INT-07)."""
    revision, discrepancies, items = _error_counts(project)
    if revision is None:
        return NotMeasurable(NOT_CONFIRMED)
    return Measurement(
        value=1 - _error_rate(discrepancies, items),
        evidence={"revision": revision.number, "discrepancies": discrepancies, "confirmed_items": items},
    )


@metric("requirements_list_confirmed")
def requirements_list_confirmed(project, rulebook):
    """1 when the current revision of the list is confirmed by the client (REQ-INT-07)."""
    revision = current_revision(project)
    if revision is None:
        return NotMeasurable(NO_LIST)
    evidence = {"revision": revision.number, "status": revision.status}
    if revision.is_confirmed:
        evidence.update(
            confirmed_by=revision.confirmed_by_name, confirmed_at=revision.confirmed_at.isoformat()
        )
    return Measurement(value=1 if revision.is_confirmed else 0, evidence=evidence)

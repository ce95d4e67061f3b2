"""CCP 2–3 measured from plan versions (REQ-PLN-02, REQ-PLN-03). Thresholds come from the rulebook."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from huiyi.quality import formulas
from huiyi.quality import metrics as quality_metrics
from huiyi.quality.metrics import BUDGET_FORMULA, Measurement, NotMeasurable, metric

from . import queries
from .models import PlanStatus, PlanVersion

NOT_SENT = _("No plan version has been sent to the client yet.")
NOT_CONFIRMED = _("No plan version has been confirmed by the client yet.")


def _evidence(version: PlanVersion, **extra) -> dict:
    return {"plan_version": version.pk, "version": version.label, "status": version.status, **extra}


@metric("plan_creativity_score")
def plan_creativity_score(project, rulebook):
    """Average of the reviewers' creativity scores of the measured version (or the latest reviewed one)."""
    version = queries.measured_version(project) or (
        PlanVersion.objects.filter(project=project, reviews__isnull=False).order_by("-number").first()
    )
    if version is None:
        return NotMeasurable(_("No plan version has been reviewed yet."))
    scores = list(version.reviews.values_list("score", flat=True))
    if not scores:
        return NotMeasurable(_("Version %(label)s has no review scores.") % {"label": version.label})
    average = (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01"))
    return Measurement(value=average, evidence=_evidence(version, scores=scores, reviewers=len(scores)))


@metric("plan_client_confirmation_rate")
def plan_client_confirmation_rate(project, rulebook):
    """Accepted sections / sections of the client's latest answer on the measured version."""
    version = queries.measured_version(project)
    if version is None:
        return NotMeasurable(NOT_SENT)
    response = version.client_responses.order_by("-created_at", "-pk").first()
    if response is None:
        return NotMeasurable(
            _("The client has not answered version %(label)s yet.") % {"label": version.label}
        )
    value = formulas.ratio(
        response.accepted_sections, response.total_sections, part_name="accepted", whole_name="sections"
    )
    return Measurement(
        value=value,
        evidence=_evidence(
            version,
            accepted=response.accepted_sections,
            sections=response.total_sections,
            response=response.pk,
        ),
    )


@metric("plan_client_signed")
def plan_client_signed(project, rulebook):
    """1 when the version in force carries the client's signature; 0 when the client answered unsigned."""
    version = queries.measured_version(project)
    if version is None:
        return NotMeasurable(NOT_SENT)
    signed = version.client_responses.filter(signed_at__isnull=False).order_by("-signed_at").first()
    if signed is None and not version.client_responses.exists():
        return NotMeasurable(
            _("The client has not answered version %(label)s yet.") % {"label": version.label}
        )
    evidence = _evidence(version)
    if signed:
        evidence.update(signed_by=signed.signer_name, signed_at=signed.signed_at.isoformat())
    return Measurement(value=Decimal(1 if signed else 0), evidence=evidence)


@metric("plan_esigned_copy_archived")
def plan_esigned_copy_archived(project, rulebook):
    """1 when the confirmed version's e-signed copy is archived (with its checksum)."""
    version = PlanVersion.objects.filter(project=project, status=PlanStatus.CONFIRMED).first()
    if version is None:
        return NotMeasurable(NOT_CONFIRMED)
    copy = version.signed_copies.order_by("-uploaded_at").first()
    evidence = _evidence(version)
    if copy:
        evidence.update(file=copy.original_name, sha256=copy.sha256, size=copy.size)
    return Measurement(value=Decimal(1 if copy else 0), evidence=evidence)


@metric("plan_versions_clear")
def plan_versions_clear(project, rulebook):
    """1 when versions are numbered 1…n without gaps and exactly one confirmed version is in force."""
    rows = list(
        PlanVersion.objects.filter(project=project).order_by("number").values_list("number", "status")
    )
    if not rows:
        return NotMeasurable(_("No plan version yet."))
    numbers = [number for number, _status in rows]
    confirmed = [number for number, status in rows if status == PlanStatus.CONFIRMED]
    if not confirmed:
        return NotMeasurable(NOT_CONFIRMED)
    clear = numbers == list(range(1, len(numbers) + 1)) and len(confirmed) == 1
    return Measurement(
        value=Decimal(1 if clear else 0), evidence={"versions": numbers, "confirmed": confirmed}
    )


@metric("budget_deviation", replace=True)
def budget_deviation(project, rulebook):
    """|plan budget total − client budget| / client budget of the version sent or confirmed (CCP 2).

    Without such a version or without the client's budget from intake, the manually entered figures count.
    """
    version = queries.measured_version(project)
    budget = queries.client_budget(project)
    if version is None or not budget:
        return quality_metrics.budget_deviation(project, rulebook)
    planned = queries.budget_total(version)
    return Measurement(
        value=formulas.budget_deviation(planned, budget),
        evidence=_evidence(version, planned=str(planned), budget=str(budget), formula=BUDGET_FORMULA),
    )

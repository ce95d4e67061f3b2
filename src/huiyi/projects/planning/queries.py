"""Reads of plan versions for views, API, reports and other apps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Case, Prefetch, Value, When

from huiyi.quality import formulas

from .models import (
    ClientResponse,
    PlanReview,
    PlanStatus,
    PlanVersion,
    ResourceLine,
    SectionAnswer,
    SignedCopy,
)


@dataclass(frozen=True)
class PlanResource:
    """A resource line of the confirmed plan, as the resources app books against it."""

    kind: str  # venue | equipment | staff | material
    name: str
    quantity: int
    start: datetime
    end: datetime
    notes: str = ""


def confirmed_version(project) -> PlanVersion | None:
    """The confirmed (frozen) version in force, or None."""
    return PlanVersion.objects.filter(project=project, status=PlanStatus.CONFIRMED).first()


def frozen_plan_resources(project) -> list[PlanResource]:
    """The resource lines of the project's confirmed plan version; [] when no version is confirmed."""
    lines = ResourceLine.objects.filter(
        version__project=project, version__status=PlanStatus.CONFIRMED
    ).order_by("position", "pk")
    return [
        PlanResource(
            kind=line.kind,
            name=line.name,
            quantity=line.quantity,
            start=line.start,
            end=line.end,
            notes=line.notes,
        )
        for line in lines
    ]


def project_versions(project):
    """Versions of a project, newest first, with reviews, budget lines and client answers (fixed queries)."""
    return (
        PlanVersion.objects.filter(project=project)
        .select_related("created_by", "sent_by", "reviewed_by")
        .prefetch_related(
            "budget_lines",
            Prefetch("reviews", queryset=PlanReview.objects.select_related("reviewer")),
            Prefetch("client_responses", queryset=ClientResponse.objects.prefetch_related("answers")),
            "signed_copies",
        )
        .order_by("-number")
    )


def version_detail(pk: int) -> PlanVersion:
    """A version with everything its page and PDF show, in a fixed number of queries."""
    return (
        PlanVersion.objects.select_related(
            "project", "project__client", "created_by", "sent_by", "reviewed_by"
        )
        .prefetch_related(
            "agenda_items",
            "resource_lines",
            "budget_lines",
            "risks",
            Prefetch("reviews", queryset=PlanReview.objects.select_related("reviewer")),
            Prefetch(
                "client_responses",
                queryset=ClientResponse.objects.prefetch_related("answers").order_by("-created_at", "-pk"),
            ),
            Prefetch("signed_copies", queryset=SignedCopy.objects.select_related("uploaded_by")),
        )
        .get(pk=pk)
    )


def visible_versions(user):
    """Versions of the projects ``user`` may see."""
    from huiyi.projects.queries import visible_projects

    return PlanVersion.objects.filter(project__in=visible_projects(user))


def budget_total(version: PlanVersion) -> Decimal:
    """Sum of the budget lines (uses the prefetch when there is one)."""
    return sum((line.amount for line in version.budget_lines.all()), Decimal("0"))


def score_average(version: PlanVersion) -> Decimal | None:
    """The creativity score of a version: the average of its reviewers' scores (REQ-PLN-03)."""
    scores = [review.score for review in version.reviews.all()]
    if not scores:
        return None
    return (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01"))


def latest_response(version: PlanVersion) -> ClientResponse | None:
    responses = list(version.client_responses.all())
    return max(responses, key=lambda r: (r.created_at, r.pk)) if responses else None


def client_budget(project) -> Decimal | None:
    """The client's budget from intake (REQ-INT-06); None until the intake app records one."""
    try:
        from huiyi.projects.intake.queries import client_budget as intake_budget
    except ImportError:
        return None
    return intake_budget(project)


def measured_version(project) -> PlanVersion | None:
    """The version CCP 2–3 measure: the confirmed one, else the latest sent to the client."""
    confirmed_first = Case(When(status=PlanStatus.CONFIRMED, then=Value(0)), default=Value(1))
    return (
        PlanVersion.objects.filter(project=project, status__in=[PlanStatus.CONFIRMED, PlanStatus.SENT])
        .order_by(confirmed_first, "-number")
        .first()
    )


def budget_deviation(version: PlanVersion) -> dict:
    """Planned total, client budget and their deviation (None when either is missing) for display."""
    planned = budget_total(version)
    budget = client_budget(version.project)
    deviation = formulas.budget_deviation(planned, budget) if budget else None
    return {"planned": planned, "budget": budget, "deviation": deviation}


def section_answers(response: ClientResponse | None) -> dict[str, SectionAnswer]:
    return {answer.section: answer for answer in response.answers.all()} if response else {}


def project_tasks(project) -> list:
    """The project's task list (REQ-PLN-05) kept by the preparation app; [] until it exists."""
    try:
        from huiyi.projects.preparation.queries import project_tasks as preparation_tasks
    except ImportError:
        return []
    return list(preparation_tasks(project))


LINK_PURPOSE = "planning.confirm"


def live_links(version: PlanVersion):
    """The client links of a version that are neither used nor withdrawn (expired ones included)."""
    from django.contrib.contenttypes.models import ContentType

    from huiyi.core.models import AccessLink

    return AccessLink.objects.filter(
        purpose=LINK_PURPOSE,
        content_type=ContentType.objects.get_for_model(PlanVersion),
        object_id=str(version.pk),
        used_at__isnull=True,
        revoked_at__isnull=True,
    ).order_by("-created_at", "-pk")


def live_link(version: PlanVersion):
    return live_links(version).first()

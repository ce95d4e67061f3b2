"""CCP 5 (materials) and CCP 7 (staff training) measured from preparation records (REQ-PRE-02, REQ-PRE-05)."""

from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyi.quality import formulas
from huiyi.quality.metrics import Measurement, NotMeasurable, metric

from .models import HostEvaluation, MaterialItem, Task, TrainingAttendance, TrainingSession

# -- CCP 7 -------------------------------------------------------------------------------------------------


@metric("training_coverage")
def training_coverage(project, rulebook):
    """Project staff who attended at least one training session / project staff."""
    staff = set(project.members.values_list("user_id", flat=True))
    if not staff:
        return NotMeasurable(_("The project has no staff yet."))
    # One query: every session with its attendees (a session without attendees gives a None row).
    rows = list(
        TrainingSession.objects.filter(project=project).values_list(
            "attendances__user_id", "attendances__attended"
        )
    )
    # Before any session is held there is nothing to measure; the phase cannot close on it either.
    if not rows:
        return NotMeasurable(_("No training session has been recorded yet."))
    trained = {user for user, attended in rows if attended and user in staff}
    return Measurement(
        value=formulas.ratio(len(trained), len(staff), part_name="trained", whole_name="staff"),
        evidence={"trained": len(trained), "staff": len(staff), "untrained": sorted(staff - trained)},
    )


@metric("training_assessment_pass_rate")
def training_assessment_pass_rate(project, rulebook):
    """Assessments at or above the session's pass mark (set by HR) / assessments taken."""
    rows = list(
        TrainingAttendance.objects.filter(
            session__project=project, attended=True, score__isnull=False
        ).values_list("score", "session__pass_mark")
    )
    if not rows:
        return NotMeasurable(_("No training assessment has been scored yet."))
    passed = sum(1 for score, mark in rows if score >= mark)
    return Measurement(
        value=formulas.ratio(passed, len(rows), part_name="passed", whole_name="assessed"),
        evidence={"passed": passed, "assessed": len(rows)},
    )


@metric("host_evaluation_score")
def host_evaluation_score(project, rulebook):
    """The mean of the host/MC evaluations (0–100)."""
    scores = list(HostEvaluation.objects.filter(project=project).values_list("score", flat=True))
    if not scores:
        return NotMeasurable(_("The host/MC has not been evaluated yet."))
    mean = sum(scores, Decimal(0)) / len(scores)
    return Measurement(value=mean.quantize(Decimal("0.01")), evidence={"evaluations": len(scores)})


# -- CCP 5 -------------------------------------------------------------------------------------------------


@metric("design_client_approval_rate")
def design_client_approval_rate(project, rulebook):
    """Designs the client approved / designs the client decided on."""
    decisions = list(
        MaterialItem.objects.filter(project=project)
        .exclude(approval=MaterialItem.Approval.PENDING)
        .values_list("approval", flat=True)
    )
    if not decisions:
        return NotMeasurable(_("The client has not decided on any design yet."))
    approved = decisions.count(MaterialItem.Approval.APPROVED)
    return Measurement(
        value=formulas.ratio(approved, len(decisions), part_name="approved", whole_name="decided"),
        evidence={"approved": approved, "decided": len(decisions)},
    )


@metric("materials_satisfaction_rate")
def materials_satisfaction_rate(project, rulebook):
    """Delivered items rated satisfactory / delivered items rated."""
    ratings = list(
        MaterialItem.objects.filter(project=project)
        .exclude(satisfaction="")
        .values_list("satisfaction", flat=True)
    )
    if not ratings:
        return NotMeasurable(_("No delivered item has been rated yet."))
    satisfied = ratings.count(MaterialItem.Satisfaction.SATISFIED)
    return Measurement(
        value=formulas.satisfaction_rate(satisfied, len(ratings)),
        evidence={"satisfied": satisfied, "rated": len(ratings)},
    )


@metric("materials_on_time_rate")
def materials_on_time_rate(project, rulebook):
    """Items delivered by their planned delivery / items delivered."""
    rows = list(
        MaterialItem.objects.filter(project=project, delivered_at__isnull=False).values_list(
            "delivered_at", "planned_delivery"
        )
    )
    if not rows:
        return NotMeasurable(_("No material has been delivered yet."))
    on_time = sum(1 for delivered, planned in rows if delivered <= planned)
    return Measurement(
        value=formulas.on_time_rate(on_time, len(rows)),
        evidence={"on_time": on_time, "delivered": len(rows)},
    )


# -- E of Q = S × E × P (REQ-GEN-04) ---------------------------------------------------------------------


@metric("service_on_time_rate")
def service_on_time_rate(project, rulebook):
    """Execution tasks done no later than due / tasks due so far (a task not yet due is not counted; one
    overdue and still open counts as late)."""
    now = timezone.now()
    figures = Task.objects.filter(project=project, due__lte=now).aggregate(
        fallen_due=Count("pk"),
        on_time=Count("pk", filter=Q(status=Task.Status.DONE, done_at__lte=F("due"))),
    )
    if not figures["fallen_due"]:
        return NotMeasurable(_("No execution task has fallen due yet."))
    return Measurement(
        value=formulas.ratio(
            figures["on_time"], figures["fallen_due"], part_name="on time", whole_name="due"
        ),
        evidence={"on_time": figures["on_time"], "due": figures["fallen_due"], "at": now.isoformat()},
    )

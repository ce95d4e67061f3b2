"""Every change of preparation records: one function per business action, in a transaction, audited.

Deadlines come from the calendar service; their lengths from the project's pinned rulebook.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.calendar.services import due
from huiyi.core import links
from huiyi.core.audit import record_event
from huiyi.rulebook.services import rulebook_for

from .models import (
    AttendeeCommunication,
    ClientMessage,
    HostEvaluation,
    MaterialItem,
    ReviewStep,
    Task,
    TrainingAttendance,
    TrainingSession,
)

DESIGN_APPROVAL_PURPOSE = "preparation.design_approval"

#: The order of the cross-department review (REQ-PRE-04) and the rule that gives each step its deadline.
REVIEW_CHAIN = (
    (ReviewStep.Department.ADMINISTRATION, "pre.review.administration_draft"),
    (ReviewStep.Department.FINANCE, "pre.review.finance_budget"),
    (ReviewStep.Department.TECHNOLOGY, "pre.review.technology_equipment"),
    (ReviewStep.Department.HR, "pre.review.hr_staffing"),
)


def _save(instance, **full_clean_options):
    instance.full_clean(**full_clean_options)
    instance.save()
    return instance


def _require_member(project, user, field: str):
    if user is None or not project.members.filter(user=user).exists():
        raise ValidationError({field: _("Choose a member of the project team.")})


# -- tasks (REQ-PLN-05, REQ-PRE-01) -----------------------------------------------------------------------


@transaction.atomic
def create_task(project, *, title, owner, due, done_criterion, created_by=None) -> Task:
    _require_member(project, owner, "owner")
    # Lock the project row so two concurrent creations never draw the same number.
    type(project).objects.select_for_update().filter(pk=project.pk).first()
    number = (Task.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1
    task = Task(
        project=project,
        number=number,
        title=title,
        owner=owner,
        due=due,
        done_criterion=done_criterion,
        created_by=created_by,
    )
    return _save(task)


@transaction.atomic
def update_task(task: Task, **changes) -> Task:
    if "owner" in changes:
        _require_member(task.project, changes["owner"], "owner")
    for field in ("title", "owner", "due", "done_criterion"):
        if field in changes:
            setattr(task, field, changes[field])
    return _save(task)


@transaction.atomic
def complete_task(task: Task, *, by) -> Task:
    if task.is_done:
        raise ValidationError({"status": _("This task is done already.")})
    task.status = Task.Status.DONE
    task.done_at = timezone.now()
    task.done_by = by
    return _save(task)


@transaction.atomic
def reopen_task(task: Task, *, by) -> Task:
    if not task.is_done:
        raise ValidationError({"status": _("This task is open.")})
    previous = task.done_at
    task.status = Task.Status.OPEN
    task.done_at = None
    task.done_by = None
    _save(task)
    record_event(task, by, {"reopened": [previous, ""]})
    return task


@transaction.atomic
def delete_task(task: Task, *, by) -> None:
    task.delete()


# -- cross-department review (REQ-PRE-04) ------------------------------------------------------------------


def _step_deadline(project, rule_id: str, start):
    rule = rulebook_for(project).rule(rule_id)
    return due(start, working_days=int(rule.value))


@transaction.atomic
def start_review(project, *, by, reviewers: dict | None = None) -> list[ReviewStep]:
    """Open the review chain: the first step's clock starts now; the others wait for their predecessor."""
    if ReviewStep.objects.filter(project=project).exists():
        raise ValidationError({"review": _("The review of this project has started already.")})
    reviewers = reviewers or {}
    now = timezone.now()
    steps = []
    for position, (department, rule_id) in enumerate(REVIEW_CHAIN, start=1):
        step = ReviewStep(
            project=project,
            position=position,
            department=department,
            rule_id=rule_id,
            reviewer=reviewers.get(department),
        )
        if position == 1:
            _start_step(step, now)
        steps.append(_save(step))
    record_event(project, by, {"review": ["", _("started")]})
    return steps


def _start_step(step: ReviewStep, start) -> None:
    deadline = _step_deadline(step.project, step.rule_id, start)
    step.started_at = start
    step.due = deadline.due
    step.due_confirmed = deadline.confirmed


@transaction.atomic
def assign_reviewer(step: ReviewStep, reviewer, *, by) -> ReviewStep:
    _require_member(step.project, reviewer, "reviewer")
    step.reviewer = reviewer
    return _save(step)


@transaction.atomic
def complete_review_step(step: ReviewStep, *, by, outcome: str, comment: str = "") -> ReviewStep:
    """Record a department's outcome. Approved: the next step's clock starts now. Returned: the chain stops
    and the step is reopened for rework by the previous department."""
    step = ReviewStep.objects.select_for_update().get(pk=step.pk)
    if not step.is_active:
        raise ValidationError({"outcome": _("This step is not waiting for a review.")})
    if outcome not in (ReviewStep.Outcome.APPROVED, ReviewStep.Outcome.RETURNED):
        raise ValidationError({"outcome": _("Choose approved or returned.")})
    if outcome == ReviewStep.Outcome.RETURNED and not comment.strip():
        raise ValidationError({"comment": _("Say what must be reworked.")})
    now = timezone.now()
    step.outcome = outcome
    step.comment = comment
    step.completed_at = now
    if step.reviewer_id is None:
        step.reviewer = by
    _save(step)
    if outcome == ReviewStep.Outcome.APPROVED:
        following = ReviewStep.objects.filter(project=step.project, position=step.position + 1).first()
        if following is not None:
            _start_step(following, now)
            _save(following)
    return step


@transaction.atomic
def restart_review_step(step: ReviewStep, *, by) -> ReviewStep:
    """After rework, the returned step runs again with a fresh deadline."""
    if step.outcome != ReviewStep.Outcome.RETURNED:
        raise ValidationError({"outcome": _("Only a returned step can run again.")})
    previous = step.comment
    step.outcome = ReviewStep.Outcome.PENDING
    step.completed_at = None
    step.comment = ""
    _start_step(step, timezone.now())
    _save(step)
    record_event(step, by, {"restarted": [previous, ""]})
    return step


# -- training (REQ-PRE-02, CCP 7) -------------------------------------------------------------------------


@transaction.atomic
def create_training(project, *, created_by=None, **fields) -> TrainingSession:
    session = TrainingSession(project=project, created_by=created_by, **fields)
    _validate_score(session.pass_mark, "pass_mark")
    return _save(session)


def _validate_score(value, field: str) -> None:
    if value is None:
        return
    if not (0 <= value <= 100):
        raise ValidationError({field: _("Give a score from 0 to 100.")})


@transaction.atomic
def record_attendance(
    session: TrainingSession, *, user, attended: bool = True, score=None
) -> TrainingAttendance:
    _require_member(session.project, user, "user")
    _validate_score(score, "score")
    if not attended and score is not None:
        raise ValidationError({"score": _("Someone who did not attend has no assessment score.")})
    attendance = TrainingAttendance.objects.filter(session=session, user=user).first() or TrainingAttendance(
        session=session, user=user
    )
    attendance.attended = attended
    attendance.score = score
    return _save(attendance, validate_constraints=False)


@transaction.atomic
def record_host_evaluation(project, *, host_name, score, comment="", created_by=None) -> HostEvaluation:
    _validate_score(score, "score")
    evaluation = HostEvaluation(
        project=project, host_name=host_name, score=score, comment=comment, created_by=created_by
    )
    return _save(evaluation)


# -- materials (REQ-PRE-05, CCP 5) ------------------------------------------------------------------------


@transaction.atomic
def create_material(project, *, created_by=None, **fields) -> MaterialItem:
    item = MaterialItem(project=project, created_by=created_by, **fields)
    if item.quantity is not None and item.quantity < 1:
        raise ValidationError({"quantity": _("The quantity must be at least 1.")})
    return _save(item)


def issue_design_approval_link(item: MaterialItem, *, by, recipient: str = "", lifetime=None):
    """A signed, single-use link where the client approves or rejects the design."""
    return links.issue(DESIGN_APPROVAL_PURPOSE, item, created_by=by, recipient=recipient, lifetime=lifetime)


def _decide_design(item: MaterialItem, *, approved: bool, client_name: str, comment: str, via_link: bool):
    if not client_name.strip():
        raise ValidationError({"client_name": _("Give the client's name.")})
    if not approved and not comment.strip():
        raise ValidationError({"comment": _("Say what the client wants changed.")})
    item.approval = MaterialItem.Approval.APPROVED if approved else MaterialItem.Approval.REJECTED
    item.approved_by_name = client_name.strip()
    item.approval_comment = comment.strip()
    item.approval_at = timezone.now()
    item.approval_via_link = via_link
    return _save(item)


@transaction.atomic
def record_design_decision(item: MaterialItem, *, by, approved: bool, client_name: str, comment: str = ""):
    """The account manager records the client's decision, with the client's name."""
    item = _decide_design(item, approved=approved, client_name=client_name, comment=comment, via_link=False)
    record_event(item, by, {"approval": ["", f"{item.approval} · {item.approved_by_name}"]})
    return item


@transaction.atomic
def decide_design_by_link(token: str, *, approved: bool, client_name: str, comment: str = "", address=""):
    """The client decides through the link; an expired or used link raises and changes nothing."""
    link = links.resolve(token, DESIGN_APPROVAL_PURPOSE, for_update=True)
    item = MaterialItem.objects.select_for_update().get(pk=link.object_id)
    item = _decide_design(item, approved=approved, client_name=client_name, comment=comment, via_link=True)
    links.consume(token, DESIGN_APPROVAL_PURPOSE, note=item.approval, address=address)
    record_event(item, None, {"approval": ["", f"{item.approval} · {item.approved_by_name} (link)"]})
    return item


@transaction.atomic
def record_delivery(item: MaterialItem, *, by, delivered_at=None) -> MaterialItem:
    item.delivered_at = delivered_at or timezone.now()
    if item.delivered_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"delivered_at": _("A delivery cannot be recorded in the future.")})
    return _save(item)


@transaction.atomic
def rate_material(item: MaterialItem, *, by, satisfaction: str) -> MaterialItem:
    if item.delivered_at is None:
        raise ValidationError({"satisfaction": _("Rate an item once it is delivered.")})
    item.satisfaction = satisfaction
    return _save(item)


# -- client communications (REQ-FBK-05) and attendee communications (REQ-PRE-03) -------------------------


def response_rule(project, stage: str):
    rules = rulebook_for(project).rules_where(metric="client_response_time", stage=stage)
    return rules[0] if rules else None


def response_deadline(project, stage: str, received_at):
    """The stage's response clock from the rulebook (calendar hours or minutes), or None."""
    rule = response_rule(project, stage)
    if rule is None or rule.value is None:
        return None
    amount = rule.value
    if rule.unit == "minutes":
        return due(received_at, hours=timedelta(minutes=amount))
    if rule.unit == "working_days":
        return due(received_at, working_days=int(amount))
    return due(received_at, hours=amount)


@transaction.atomic
def log_client_message(project, *, created_by=None, **fields) -> ClientMessage:
    message = ClientMessage(project=project, created_by=created_by, **fields)
    if message.received_at and message.received_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"received_at": _("A message cannot be logged in the future.")})
    if message.direction == ClientMessage.Direction.INCOMING and message.stage and message.received_at:
        deadline = response_deadline(project, message.stage, message.received_at)
        if deadline is not None:
            message.respond_by = deadline.due
            message.respond_by_confirmed = deadline.confirmed
    if message.responded_at and message.received_at and message.responded_at < message.received_at:
        raise ValidationError({"responded_at": _("The reply cannot come before the message.")})
    return _save(message)


@transaction.atomic
def record_response(message: ClientMessage, *, by, responded_at=None) -> ClientMessage:
    if message.direction != ClientMessage.Direction.INCOMING:
        raise ValidationError({"responded_at": _("Only a message from the client awaits a reply.")})
    if message.responded_at is not None:
        raise ValidationError({"responded_at": _("The reply is recorded already.")})
    responded_at = responded_at or timezone.now()
    if responded_at < message.received_at:
        raise ValidationError({"responded_at": _("The reply cannot come before the message.")})
    message.responded_at = responded_at
    message.responded_by = by
    return _save(message)


@transaction.atomic
def plan_attendee_communication(project, *, created_by=None, **fields) -> AttendeeCommunication:
    return _save(AttendeeCommunication(project=project, created_by=created_by, **fields))


@transaction.atomic
def mark_attendee_communication_sent(
    item: AttendeeCommunication, *, by, sent_at=None
) -> AttendeeCommunication:
    if item.sent_at is not None:
        raise ValidationError({"sent_at": _("This message was sent already.")})
    item.sent_at = sent_at or timezone.now()
    return _save(item)


def ensure_can(user, permission: str, obj) -> None:
    if not user.has_perm(permission, obj):
        raise PermissionDenied(_("Your roles do not allow this."))

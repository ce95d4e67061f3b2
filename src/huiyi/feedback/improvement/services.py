"""Every change of the improvement loop: one function per business action, in a transaction, audited.

Bad input raises ``ValidationError({field: message})`` and changes nothing. The effect-evaluation deadline
comes from the project's pinned rulebook (``fbk.effect_evaluation_deadline``) through :mod:`.timing`.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.projects.queries import can_see_project

from . import sources, timing
from .models import (
    AnalysisIssue,
    Category,
    FeedbackAnalysis,
    ImprovementAction,
    QuarterlyReport,
    StrengthWeakness,
)

#: The rulebook metric whose rule gives the time allowed to evaluate an action's effect (REQ-FBK-03/04).
EFFECT_METRIC = "improvement_effect_evaluation_time"
#: The rulebook metric whose rule gives the interval of the improvement report (§2.9(3)).
REPORT_METRIC = "improvement_report_interval"

Status = ImprovementAction.Status

#: The only moves an action makes, one step at a time.
NEXT_STATUS = {
    Status.PLANNED: Status.IN_PROGRESS,
    Status.IN_PROGRESS: Status.DONE,
    Status.DONE: Status.EFFECT_EVALUATED,
}


@contextmanager
def _actor(user):
    if user is not None and getattr(user, "is_authenticated", False):
        with set_actor(user):
            yield
    else:
        yield


def _refuse(field: str, message: str):
    raise ValidationError({field: message})


def _text(value, field: str, message: str, *, required: bool = True, max_length: int | None = None) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        _refuse(field, message)
    if "\x00" in text:
        _refuse(field, _("The text contains a character that cannot be stored."))
    if max_length is not None and len(text) > max_length:
        _refuse(field, _("Keep it within %(n)s characters.") % {"n": max_length})
    return text


def _choice(value, choices, field: str) -> str:
    if value not in choices.values:
        _refuse(field, _("Choose one of the listed options."))
    return value


def _save(instance):
    instance.full_clean(validate_constraints=False)
    instance.save()
    return instance


def effect_rule(rulebook):
    rules = rulebook.rules_where(metric=EFFECT_METRIC)
    return rules[0] if rules else None


def report_rule(rulebook):
    rules = rulebook.rules_where(metric=REPORT_METRIC)
    return rules[0] if rules else None


# -- the feedback analysis (REQ-QLT-11) ---------------------------------------------------------------------


def analysis_for(project, *, by=None) -> FeedbackAnalysis:
    """The project's analysis, created on first use (two concurrent first uses create one)."""
    existing = FeedbackAnalysis.objects.filter(project=project).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic(), _actor(by):
            return FeedbackAnalysis.objects.create(project=project, created_by=by)
    except IntegrityError:
        return FeedbackAnalysis.objects.get(project=project)


def _open(analysis: FeedbackAnalysis) -> FeedbackAnalysis:
    analysis = FeedbackAnalysis.objects.select_for_update().get(pk=analysis.pk)
    if analysis.is_completed:
        _refuse("analysis", _("The analysis is completed: reopen it to change it."))
    return analysis


@transaction.atomic
def add_issue(
    analysis: FeedbackAnalysis, *, source, description, category=Category.OTHER, nonconformance=None, by
) -> AnalysisIssue:
    source = _choice(source, AnalysisIssue.Source, "source")
    category = _choice(category or Category.OTHER, Category, "category")
    description = _text(description, "description", _("Describe the issue."), max_length=4000)
    if nonconformance is not None and nonconformance.project_id != analysis.project_id:
        _refuse("nonconformance", _("Choose a nonconformance of this meeting."))
    with _actor(by):
        analysis = _open(analysis)
        return _save(
            AnalysisIssue(
                analysis=analysis,
                source=source,
                category=category,
                description=description,
                nonconformance=nonconformance,
                created_by=by,
            )
        )


@transaction.atomic
def update_issue(issue: AnalysisIssue, *, by, **changes) -> AnalysisIssue:
    with _actor(by):
        _open(issue.analysis)
        if "source" in changes:
            issue.source = _choice(changes["source"], AnalysisIssue.Source, "source")
        if "category" in changes:
            issue.category = _choice(changes["category"], Category, "category")
        if "description" in changes:
            issue.description = _text(
                changes["description"], "description", _("Describe the issue."), max_length=4000
            )
        return _save(issue)


@transaction.atomic
def remove_issue(issue: AnalysisIssue, *, by) -> None:
    with _actor(by):
        _open(issue.analysis)
        issue.delete()


@transaction.atomic
def prefill_issues(analysis: FeedbackAnalysis, *, by) -> list[AnalysisIssue]:
    """Take the meeting's issues from its records: its nonconformances (open and closed), the issues of the
    on-site progress reports and what the feedback apps offer (see :mod:`.sources`). Safe to repeat: an
    issue already taken is never taken twice."""
    with _actor(by):
        analysis = _open(analysis)
        taken = set(analysis.issues.exclude(origin="").values_list("origin", flat=True))
        created = []
        for found in sources.issues_of(analysis.project):
            if found.origin in taken:
                continue
            created.append(
                _save(
                    AnalysisIssue(
                        analysis=analysis,
                        source=found.source,
                        category=found.category,
                        description=found.description[:4000],
                        nonconformance_id=found.nonconformance_id,
                        origin=found.origin,
                        created_by=by,
                    )
                )
            )
            taken.add(found.origin)
        return created


@transaction.atomic
def add_line(
    analysis: FeedbackAnalysis, *, dimension, strength="", weakness="", cause="", by
) -> StrengthWeakness:
    dimension = _choice(dimension, Category, "dimension")
    strength = _text(strength, "strength", "", required=False, max_length=2000)
    weakness = _text(weakness, "weakness", "", required=False, max_length=2000)
    cause = _text(cause, "cause", "", required=False, max_length=2000)
    if not strength and not weakness:
        _refuse("strength", _("Write a strength, a weakness or both."))
    if cause and not weakness:
        _refuse("cause", _("A cause explains a weakness: write the weakness too."))
    with _actor(by):
        analysis = _open(analysis)
        return _save(
            StrengthWeakness(
                analysis=analysis,
                dimension=dimension,
                strength=strength,
                weakness=weakness,
                cause=cause,
                created_by=by,
            )
        )


@transaction.atomic
def remove_line(line: StrengthWeakness, *, by) -> None:
    with _actor(by):
        _open(line.analysis)
        line.delete()


@transaction.atomic
def complete_analysis(analysis: FeedbackAnalysis, *, summary: str = "", by) -> FeedbackAnalysis:
    """Complete the analysis: it needs at least one issue and one line of the strengths/weaknesses table."""
    with _actor(by):
        analysis = _open(analysis)
        if not analysis.issues.exists():
            _refuse("issues", _("Record the issues found before completing the analysis."))
        if not analysis.lines.exists():
            _refuse("lines", _("Fill in the strengths and weaknesses table before completing the analysis."))
        analysis.summary = _text(summary, "summary", "", required=False, max_length=4000) or analysis.summary
        analysis.status = FeedbackAnalysis.Status.COMPLETED
        analysis.completed_at = timezone.now()
        analysis.completed_by = by
        return _save(analysis)


@transaction.atomic
def reopen_analysis(analysis: FeedbackAnalysis, *, by) -> FeedbackAnalysis:
    with _actor(by):
        analysis = FeedbackAnalysis.objects.select_for_update().get(pk=analysis.pk)
        if not analysis.is_completed:
            _refuse("analysis", _("The analysis is in progress already."))
        analysis.status = FeedbackAnalysis.Status.IN_PROGRESS
        analysis.completed_at = None
        analysis.completed_by = None
        return _save(analysis)


# -- improvement actions (REQ-FBK-04) ----------------------------------------------------------------------


def _owner(project, owner):
    if owner is None or not getattr(owner, "is_active", False):
        _refuse("owner", _("Choose the person responsible."))
    if not can_see_project(owner, project):
        _refuse("owner", _("The owner must be someone who can see this meeting project."))
    return owner


def _deadline(value) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        _refuse("deadline", _("Give the deadline as a date."))
    return value


def _links(project, nonconformances, issues):
    nonconformances = list(nonconformances or [])
    issues = list(issues or [])
    if any(nc.project_id != project.pk for nc in nonconformances):
        _refuse("nonconformances", _("Choose nonconformances of this meeting."))
    if any(issue.analysis.project_id != project.pk for issue in issues):
        _refuse("issues", _("Choose issues of this meeting's analysis."))
    return nonconformances, issues


@transaction.atomic
def create_action(
    project,
    *,
    problem,
    action,
    owner,
    deadline,
    expected_effect,
    category=Category.OTHER,
    nonconformances=(),
    issues=(),
    procedure_changed="",
    by,
) -> ImprovementAction:
    problem = _text(problem, "problem", _("Describe the problem."), max_length=4000)
    action_text = _text(action, "action", _("Describe the action."), max_length=4000)
    expected = _text(expected_effect, "expected_effect", _("Say what effect is expected."), max_length=4000)
    category = _choice(category or Category.OTHER, Category, "category")
    owner = _owner(project, owner)
    deadline = _deadline(deadline)
    procedure = _text(procedure_changed, "procedure_changed", "", required=False, max_length=500)
    nonconformances, issues = _links(project, nonconformances, issues)
    with _actor(by):
        # Lock the project row so two concurrent creations never draw the same number.
        type(project).objects.select_for_update().filter(pk=project.pk).first()
        number = (ImprovementAction.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1
        item = _save(
            ImprovementAction(
                project=project,
                number=number,
                problem=problem,
                action=action_text,
                category=category,
                owner=owner,
                deadline=deadline,
                expected_effect=expected,
                procedure_changed=procedure,
                created_by=by,
            )
        )
        item.nonconformances.set(nonconformances)
        item.issues.set(issues)
        return item


def _lock(item: ImprovementAction) -> ImprovementAction:
    return ImprovementAction.objects.select_for_update().select_related("project").get(pk=item.pk)


@transaction.atomic
def update_action(item: ImprovementAction, *, by, **changes) -> ImprovementAction:
    """Change the plan of an action that is not done yet (problem, action, owner, deadline, effect, links)."""
    with _actor(by):
        item = _lock(item)
        if item.is_done:
            _refuse("status", _("A done action is no longer changed; its record stays as it was."))
        if "problem" in changes:
            item.problem = _text(changes["problem"], "problem", _("Describe the problem."), max_length=4000)
        if "action" in changes:
            item.action = _text(changes["action"], "action", _("Describe the action."), max_length=4000)
        if "expected_effect" in changes:
            item.expected_effect = _text(
                changes["expected_effect"],
                "expected_effect",
                _("Say what effect is expected."),
                max_length=4000,
            )
        if "category" in changes:
            item.category = _choice(changes["category"] or Category.OTHER, Category, "category")
        if "owner" in changes:
            item.owner = _owner(item.project, changes["owner"])
        if "deadline" in changes:
            item.deadline = _deadline(changes["deadline"])
        if "procedure_changed" in changes:
            item.procedure_changed = _text(
                changes["procedure_changed"], "procedure_changed", "", required=False, max_length=500
            )
        _save(item)
        if "nonconformances" in changes or "issues" in changes:
            nonconformances, issues = _links(
                item.project,
                changes.get("nonconformances", item.nonconformances.all()),
                changes.get("issues", item.issues.all()),
            )
            item.nonconformances.set(nonconformances)
            item.issues.set(issues)
        return item


def _expect(item: ImprovementAction, status: str) -> None:
    if item.status == status:
        return
    labels = dict(Status.choices)
    _refuse(
        "status",
        _("The action is “%(current)s”; only an action that is “%(needed)s” can make this step.")
        % {"current": labels[item.status], "needed": labels[status]},
    )


@transaction.atomic
def start_action(item: ImprovementAction, *, by, at: dt.datetime | None = None) -> ImprovementAction:
    """In progress from ``at`` (default now; a start recorded late may give the real time, never a future
    one)."""
    with _actor(by):
        item = _lock(item)
        _expect(item, Status.PLANNED)
        now = timezone.now()
        if at is not None and at > now:
            _refuse("started_at", _("The start cannot be in the future."))
        item.status = Status.IN_PROGRESS
        item.started_at = at or now
        return _save(item)


@transaction.atomic
def complete_action(
    item: ImprovementAction, *, result, by, at: dt.datetime | None = None
) -> ImprovementAction:
    """Done: the effect must now be evaluated within the rulebook's allowance (calendar time from now)."""
    result = _text(result, "result", _("Say what was done."), max_length=4000)
    with _actor(by):
        item = _lock(item)
        _expect(item, Status.IN_PROGRESS)
        now = timezone.now()
        at = at or now
        if at > now:
            _refuse("done_at", _("The completion cannot be in the future."))
        if item.started_at and at < item.started_at:
            _refuse("done_at", _("The completion cannot be before the action started."))
        from huiyi.rulebook.services import rulebook_for

        rule = effect_rule(rulebook_for(item.project))
        item.status = Status.DONE
        item.done_at = at
        item.done_by = by
        item.result = result
        if rule is not None:
            item.effect_due = timing.deadline(at, rule).due
            item.effect_due_rule = rule.id
        return _save(item)


@transaction.atomic
def evaluate_effect(
    item: ImprovementAction, *, effect, note, by, at: dt.datetime | None = None
) -> ImprovementAction:
    """Record whether the action had the expected effect. Only a done action can be evaluated; ``at`` (an
    evaluation recorded late) is neither in the future nor before the completion."""
    with _actor(by):
        item = _lock(item)
        if item.status == Status.EFFECT_EVALUATED:
            _refuse("status", _("The effect of this action is evaluated already."))
        if item.status != Status.DONE:
            _refuse("status", _("Only a done action can have its effect evaluated."))
        effect = _choice(effect, ImprovementAction.Effect, "effect")
        note = _text(note, "effect_note", _("Write down how the effect was evaluated."), max_length=4000)
        now = timezone.now()
        if at is not None and (at > now or at < item.done_at):
            _refuse("effect_evaluated_at", _("The evaluation must lie between the completion and now."))
        item.status = Status.EFFECT_EVALUATED
        item.effect = effect
        item.effect_note = note
        item.effect_evaluated_at = at or now
        item.effect_evaluated_by = by
        return _save(item)


def advance(item: ImprovementAction, status: str, *, by, result="", effect="", note="") -> ImprovementAction:
    """Move an action to ``status`` — the next one in order only (API and pages share this)."""
    if status not in Status.values:
        _refuse("status", _("Choose one of the listed options."))
    if status == Status.IN_PROGRESS:
        return start_action(item, by=by)
    if status == Status.DONE:
        return complete_action(item, result=result, by=by)
    if status == Status.EFFECT_EVALUATED:
        return evaluate_effect(item, effect=effect, note=note, by=by)
    _refuse("status", _("An action cannot go back to planned."))


@transaction.atomic
def delete_action(item: ImprovementAction, *, by) -> None:
    with _actor(by):
        item = _lock(item)
        if item.status != Status.PLANNED:
            _refuse("status", _("Only a planned action that has not started can be deleted."))
        item.delete()


# -- quarterly improvement report (§2.9(3)) ----------------------------------------------------------------


@transaction.atomic
def save_report(*, org_unit, year, quarter, owner, content, by) -> QuarterlyReport:
    """Create or update the draft report of a unit's quarter."""
    if org_unit is None:
        _refuse("org_unit", _("Choose the organisation unit."))
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        _refuse("year", _("Give a year between 2000 and 2100."))
    if quarter not in (1, 2, 3, 4):
        _refuse("quarter", _("Choose a quarter from 1 to 4."))
    if owner is None:
        _refuse("owner", _("Choose the person responsible."))
    content = _text(content, "content", _("Write the content of the report."), max_length=20000)
    with _actor(by):
        report = (
            QuarterlyReport.objects.select_for_update()
            .filter(org_unit=org_unit, year=year, quarter=quarter)
            .first()
        )
        if report is not None and report.status == QuarterlyReport.Status.SUBMITTED:
            _refuse("status", _("This report is submitted already."))
        report = report or QuarterlyReport(org_unit=org_unit, year=year, quarter=quarter, created_by=by)
        report.owner = owner
        report.content = content
        return _save(report)


@transaction.atomic
def submit_report(report: QuarterlyReport, *, by, at: dt.datetime | None = None) -> QuarterlyReport:
    with _actor(by):
        report = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
        if report.status == QuarterlyReport.Status.SUBMITTED:
            _refuse("status", _("This report is submitted already."))
        report.status = QuarterlyReport.Status.SUBMITTED
        report.submitted_at = at or timezone.now()
        return _save(report)

"""Survey and revisit metrics for the quality scorecard (REQ-FBK-02, 03, 07; §3.2 CCP 9).

Deadline metrics give the working days a step took (or has taken so far once overdue), counted the way the
rule's deadline counts them, so that "value ≤ n" is "done by the end of the n-th working day".
"""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyi.quality import formulas
from huiyi.quality.metrics import Measurement, NotMeasurable, metric

from . import queries


def _step(project, rulebook, key: str):
    steps = {s.key: s for s in queries.deadlines(project, rulebook=rulebook)}
    return steps.get(key)


def _deadline_measure(step, waiting: str):
    if step is None:
        return NotMeasurable(_("The rulebook has no rule for this step."))
    value = step.value
    if value is None:
        if step.deadline is None:
            return NotMeasurable(waiting)
        return NotMeasurable(
            _("Not done yet; due %(due)s.")
            % {"due": timezone.localtime(step.deadline.due).strftime("%Y-%m-%d %H:%M")}
        )
    return Measurement(
        value=Decimal(value),
        evidence={
            "start": step.start.isoformat() if step.start else None,
            "done_at": step.done_at.isoformat() if step.done_at else None,
            "due": step.deadline.due.isoformat() if step.deadline else None,
            "due_confirmed": step.deadline.confirmed if step.deadline else None,
            "state": step.state,
        },
    )


@metric("feedback_collection_time")
def feedback_collection_time(project, rulebook):
    """REQ-FBK-03: working days from the meeting end until the attendee survey closed."""
    if queries.main_attendee_survey(project) is None and project.end > timezone.now():
        return NotMeasurable(_("No attendee survey yet."))
    return _deadline_measure(_step(project, rulebook, "collection"), _("No attendee survey yet."))


@metric("feedback_analysis_time")
def feedback_analysis_time(project, rulebook):
    """REQ-FBK-03: working days from the end of collection until the analysis was recorded."""
    return _deadline_measure(
        _step(project, rulebook, "analysis"), _("Feedback collection has not ended yet.")
    )


@metric("client_questionnaire_time")
def client_questionnaire_time(project, rulebook):
    """REQ-FBK-03: working days from the meeting end until the client answered the questionnaire."""
    return _deadline_measure(_step(project, rulebook, "client"), _("The meeting has not ended yet."))


@metric("feedback_collection_rate")
def feedback_collection_rate(project, rulebook):
    """REQ-FBK-02: responses / attendees targeted, of the project's attendee survey."""
    survey = queries.main_attendee_survey(project)
    if survey is None:
        return NotMeasurable(_("No attendee survey yet."))
    summary = queries.summary(survey)
    if summary.collection_rate is None:
        return NotMeasurable(_("The survey targets no attendee (nobody checked in yet?)."))
    return Measurement(
        value=summary.collection_rate.quantize(Decimal("0.0001")),
        evidence={"survey": survey.pk, "responses": summary.responses, "targeted": summary.targeted},
    )


@metric("client_revisit_rate")
def client_revisit_rate(project, rulebook):
    """CCP 9 (REQ-FBK-07): revisits that reached the client / revisits planned or attempted. Without any,
    the rate is 0 once the client questionnaire's deadline has passed (the client was not revisited)."""
    figures = queries.revisit_figures(project)
    if figures.total:
        return Measurement(
            value=formulas.ratio(figures.done, figures.total, part_name="revisited", whole_name="revisits"),
            evidence={"revisited": figures.done, "revisits": figures.total, "planned": figures.planned},
        )
    step = _step(project, rulebook, "client")
    deadline = step.deadline if step else None
    if deadline is None or not deadline.breached(timezone.now()):
        return NotMeasurable(_("No client revisit recorded yet."))
    return Measurement(
        value=Decimal(0), evidence={"revisited": 0, "revisits": 0, "due": deadline.due.isoformat()}
    )


@metric("average_satisfaction_score")
def average_satisfaction_score(project, rulebook):
    """CCP 9 (REQ-FBK-07): the client's average satisfaction on 100 — revisit scores and client
    questionnaire answers (weighted score / top of the scale × 100)."""
    scores = queries.client_scores_100(project, rulebook)
    values = scores["revisits"] + scores["questionnaires"]
    if not values:
        return NotMeasurable(_("No revisit score or client questionnaire yet."))
    average = sum(values, Decimal(0)) / len(values)
    return Measurement(
        value=average.quantize(Decimal("0.01")),
        evidence={"revisits": len(scores["revisits"]), "questionnaires": len(scores["questionnaires"])},
    )


@metric("client_satisfaction_rate")
def client_satisfaction_rate(project, rulebook):
    """S of Q = S × E × P (REQ-GEN-04): satisfied client answers / client answers — each client questionnaire
    response and each revisit score on 100, satisfied at or above the rulebook's line."""
    scores = queries.client_scores_100(project, rulebook)
    values = scores["revisits"] + scores["questionnaires"]
    if not values:
        return NotMeasurable(_("No client questionnaire or revisit score yet."))
    line = Decimal(str(rulebook.rule("qlt.quality.satisfied_client_score").value))
    satisfied = sum(1 for value in values if value >= line)
    return Measurement(
        value=formulas.ratio(satisfied, len(values), part_name="satisfied", whole_name="clients"),
        evidence={
            "satisfied": satisfied,
            "clients": len(values),
            "line": str(line),
            "revisits": len(scores["revisits"]),
            "questionnaires": len(scores["questionnaires"]),
        },
    )

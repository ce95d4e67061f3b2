"""Reads for pages, the API, exports and metrics: targeting, results aggregated in SQL, deadlines, revisits.

Results never loop over responses in Python: one GROUP BY over the answers (survey, question, value) gives
every distribution, mean and score; a page of surveys is summarised with a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from huiyi.calendar.services import due, work_calendar
from huiyi.onsite.attendees.models import Attendee, Category
from huiyi.quality import formulas
from huiyi.rulebook.services import rulebook_for

from . import scoring
from .models import Answer, Audience, Invitation, Question, QuestionKind, Response, Revisit, Survey

COLLECT_METRIC = "feedback_collection_time"
ANALYSIS_METRIC = "feedback_analysis_time"
CLIENT_METRIC = "client_questionnaire_time"
REVISIT_RATE_METRIC = "client_revisit_rate"
AVERAGE_SATISFACTION_METRIC = "average_satisfaction_score"
#: Free-text answers shown on the results page (all of them go to the exports).
TEXTS_SHOWN = 100
#: How far a "done on a rest day" moment looks for the next working day.
_SEARCH_DAYS = 60

#: Words of a five-point scale, from the top (非常满意) to the bottom (非常不满意), REQ-FBK-01.
FIVE_POINT_WORDS = [
    pgettext_lazy("scale", "Very satisfied"),
    pgettext_lazy("scale", "Satisfied"),
    pgettext_lazy("scale", "Neutral"),
    pgettext_lazy("scale", "Dissatisfied"),
    pgettext_lazy("scale", "Very dissatisfied"),
]


def scale_labels(low: int, high: int) -> list[tuple[int, str]]:
    """[(value, label)] from the top of the scale down; words for a five-point scale, numbers otherwise."""
    values = list(range(high, low - 1, -1))
    if len(values) == len(FIVE_POINT_WORDS):
        return [(v, f"{FIVE_POINT_WORDS[i]}") for i, v in enumerate(values)]
    return [(v, str(v)) for v in values]


# -- rules and deadlines ----------------------------------------------------------------------------------


def rule_of(rulebook, metric: str):
    rules = rulebook.rules_where(metric=metric)
    return rules[0] if rules else None


def deadline_from(start: datetime | None, rule, calendar=None):
    """The deadline of ``rule`` (a working-day or hour count) from ``start``; None without start or rule."""
    if start is None or rule is None or rule.value is None:
        return None
    if rule.unit == "working_days":
        return due(start, working_days=int(rule.value), calendar=calendar)
    if rule.unit == "hours":
        return due(start, hours=rule.value, calendar=calendar)
    return None


def working_days_taken(start: datetime, done: datetime, calendar=None) -> int:
    """Working days counted the way a deadline of n working days is: done within n ⇔ done by the end of the
    n-th working day after the start date. A moment on a rest day counts on the next working day."""
    calendar = calendar or work_calendar()
    first = calendar.local(start).date()
    last = calendar.local(done).date()
    if last <= first:
        return 0
    for _step in range(_SEARCH_DAYS):
        if calendar.schedule.is_working_day(last):
            break
        last += timedelta(days=1)
    day, count = first, 0
    while day < last:
        day += timedelta(days=1)
        if calendar.schedule.is_working_day(day):
            count += 1
    return count


@dataclass
class Step:
    key: str
    rule: object
    start: datetime | None
    deadline: object  # huiyi.calendar.clocks.Deadline | None
    done_at: datetime | None
    now: datetime

    @property
    def name(self) -> str:
        from huiyi.rulebook.display import text

        return text(self.rule.name) if self.rule else self.key

    @property
    def state(self) -> str:
        if self.done_at is not None:
            if self.deadline is None or self.done_at <= self.deadline.due:
                return "done"
            return "late"
        if self.deadline is None:
            return "waiting"
        return "overdue" if self.deadline.breached(self.now) else "open"

    @property
    def state_label(self) -> str:
        return {
            "done": pgettext_lazy("survey step", "Done in time"),
            "late": pgettext_lazy("survey step", "Done late"),
            "overdue": pgettext_lazy("survey step", "Overdue"),
            "open": pgettext_lazy("survey step", "Due"),
            "waiting": pgettext_lazy("survey step", "Not started"),
        }[self.state]

    @property
    def value(self) -> int | None:
        """Working days taken (or taken so far when overdue), for the metric."""
        if self.start is None:
            return None
        if self.done_at is not None:
            return working_days_taken(self.start, self.done_at)
        if self.state == "overdue":
            return working_days_taken(self.start, self.now)
        return None


def main_attendee_survey(project) -> Survey | None:
    return (
        Survey.objects.filter(project=project, audience=Audience.ATTENDEES).order_by("opens_at", "pk").first()
    )


def first_client_answer(project) -> datetime | None:
    return Response.objects.filter(survey__project=project, survey__audience=Audience.CLIENT).aggregate(
        first=Min("submitted_at")
    )["first"]


def collection_done(survey: Survey | None, now: datetime) -> datetime | None:
    if survey is None:
        return None
    return survey.ends_at if survey.is_closed(now) else None


def deadlines(project, *, now=None, rulebook=None) -> list[Step]:
    """Collection, analysis and client questionnaire (REQ-FBK-03) with their working-day deadlines."""
    now = now or timezone.now()
    rulebook = rulebook or rulebook_for(project)
    calendar = work_calendar()
    survey = main_attendee_survey(project)
    collected = collection_done(survey, now)
    steps = []
    collect_rule = rule_of(rulebook, COLLECT_METRIC)
    if collect_rule:
        steps.append(
            Step(
                "collection",
                collect_rule,
                project.end,
                deadline_from(project.end, collect_rule, calendar),
                collected,
                now,
            )
        )
    analysis_rule = rule_of(rulebook, ANALYSIS_METRIC)
    if analysis_rule:
        steps.append(
            Step(
                "analysis",
                analysis_rule,
                collected,
                deadline_from(collected, analysis_rule, calendar),
                survey.analysed_at if survey and collected else None,
                now,
            )
        )
    client_rule = rule_of(rulebook, CLIENT_METRIC)
    if client_rule:
        steps.append(
            Step(
                "client",
                client_rule,
                project.end,
                deadline_from(project.end, client_rule, calendar),
                first_client_answer(project),
                now,
            )
        )
    return steps


# -- targeting and summaries ------------------------------------------------------------------------------


def targeted_attendees(survey: Survey):
    attendees = Attendee.objects.filter(project_id=survey.project_id, status=Attendee.Status.ACTIVE)
    if survey.only_checked_in:
        attendees = attendees.filter(ticket__checkin__isnull=False)
    if survey.categories:
        attendees = attendees.filter(category__in=survey.categories)
    return attendees


def targeted_counts(surveys: list[Survey]) -> dict[int, int]:
    """How many attendees each attendee survey targets now (as ``targeted_attendees`` selects them), with one
    query grouped by project and category for all of them."""
    surveys = [s for s in surveys if s.audience == Audience.ATTENDEES]
    matrix: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for project_id, category, n, came in (
        Attendee.objects.filter(project_id__in={s.project_id for s in surveys}, status=Attendee.Status.ACTIVE)
        .values_list("project_id", "category")
        .annotate(n=Count("pk"), came=Count("pk", filter=Q(ticket__checkin__isnull=False)))
        .order_by()
    ):
        matrix[project_id].append((category, n, came))
    return {
        survey.pk: sum(
            (came if survey.only_checked_in else n)
            for category, n, came in matrix[survey.project_id]
            if not survey.categories or category in survey.categories
        )
        for survey in surveys
    }


def response_counts(survey_ids) -> dict[int, int]:
    return dict(
        Response.objects.filter(survey_id__in=survey_ids)
        .values_list("survey_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def collection_counts(surveys: list[Survey]) -> dict[int, tuple[int, int]]:
    """(responses, attendees targeted) of each attendee survey (REQ-FBK-02): the figures recorded when its
    collection ended (``services.record_final_counts``), else counted now."""
    surveys = [s for s in surveys if s.audience == Audience.ATTENDEES]
    final = {s.pk: (s.final_responses, s.final_targeted) for s in surveys if s.final_targeted is not None}
    live = [s for s in surveys if s.pk not in final]
    targeted = targeted_counts(live)
    responses = response_counts([s.pk for s in live])
    return final | {s.pk: (responses.get(s.pk, 0), targeted[s.pk]) for s in live}


@dataclass
class Summary:
    survey: Survey
    responses: int = 0
    targeted: int = 0
    invitations: int = 0
    score: Decimal | None = None  # weighted satisfaction on the rulebook's scale
    composite: Decimal | None = None
    scale_high: int = 0

    @property
    def collection_rate(self) -> Decimal | None:
        if not self.targeted:
            return None
        return formulas.collection_rate(min(self.responses, self.targeted), self.targeted)

    @property
    def collection_percent(self) -> Decimal | None:
        rate = self.collection_rate
        return None if rate is None else formulas.percentage(rate, places=1)

    @property
    def score_100(self) -> Decimal | None:
        if self.score is None:
            return None
        return scoring.rounded(self.score / self.scale_high * scoring.HUNDRED, "0.1")

    @property
    def score_shown(self) -> Decimal | None:
        return scoring.rounded(self.score)

    @property
    def composite_shown(self) -> Decimal | None:
        return scoring.rounded(self.composite)


def summaries(surveys: list[Survey]) -> list[Summary]:
    """Summaries of many surveys with a fixed number of queries (no query per survey)."""
    surveys = list(surveys)
    if not surveys:
        return []
    ids = [s.pk for s in surveys]
    responses = response_counts(ids)
    invitations = dict(
        Invitation.objects.filter(survey_id__in=ids)
        .values_list("survey_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    targeted = targeted_counts(surveys)
    counts: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for survey_id, question_id, value, n in (
        Answer.objects.filter(survey_id__in=ids, value__isnull=False, question__kind=QuestionKind.SCALE)
        .values_list("survey_id", "question_id", "value")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[survey_id][question_id][value] = n
    questions: dict[int, list[Question]] = defaultdict(list)
    for q in Question.objects.filter(template_id__in={s.template_id for s in surveys}).order_by("position"):
        questions[q.template_id].append(q)
    rulebooks = {}
    result = []
    for survey in surveys:
        if survey.project_id not in rulebooks:
            rulebooks[survey.project_id] = rulebook_for(survey.project)
        rulebook = rulebooks[survey.project_id]
        if survey.audience == Audience.ATTENDEES:
            survey_targeted = targeted[survey.pk]
        else:
            survey_targeted = max(invitations.get(survey.pk, 0), 1)
        score, composite = _scores(questions[survey.template_id], counts[survey.pk], rulebook)
        result.append(
            Summary(
                survey=survey,
                responses=responses.get(survey.pk, 0),
                targeted=survey_targeted,
                invitations=invitations.get(survey.pk, 0),
                score=score,
                composite=composite,
                scale_high=scoring.scale(rulebook)[1],
            )
        )
    return result


def summary(survey: Survey) -> Summary:
    return summaries([survey])[0]


def _scores(questions, counts: dict[int, dict[int, int]], rulebook) -> tuple[Decimal | None, Decimal | None]:
    weights = scoring.effective_weights(questions, rulebook)
    pairs = []
    pooled: dict[int, int] = defaultdict(int)
    for q in questions:
        dist = counts.get(q.pk) or {}
        if not q.is_scored or not dist:
            continue
        for value, n in dist.items():
            pooled[value] += n
        if q.pk in weights:
            pairs.append((scoring.composite(dist), weights[q.pk]))
    return scoring.weighted(pairs, rulebook), scoring.composite(pooled)


# -- results ----------------------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    number: int
    weight: Decimal | None
    answered: int = 0
    mean: Decimal | None = None
    bars: list[dict] = field(default_factory=list)  # [{"label", "value", "count", "percent"}]
    texts: list[str] = field(default_factory=list)
    text_count: int = 0

    @property
    def weight_percent(self):
        return None if self.weight is None else formulas.percentage(self.weight, places=1)

    @property
    def mean_shown(self):
        return scoring.rounded(self.mean)


@dataclass
class Results:
    summary: Summary
    questions: list[QuestionResult]
    scale: tuple[int, int]


def results(survey: Survey, *, language: str = "zh-hans", text_limit: int | None = TEXTS_SHOWN) -> Results:
    rulebook = rulebook_for(survey.project)
    low, high = scoring.scale(rulebook)
    questions = list(survey.template.questions.order_by("position"))
    weights = scoring.effective_weights(questions, rulebook)
    dist: dict[int, dict[int, int]] = defaultdict(dict)
    for question_id, value, n in (
        Answer.objects.filter(survey=survey, value__isnull=False)
        .values_list("question_id", "value")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        dist[question_id][value] = n
    respondents = dict(
        Answer.objects.filter(survey=survey, question__kind=QuestionKind.MULTIPLE)
        .values_list("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    )
    text_counts = dict(
        Answer.objects.filter(survey=survey, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .values_list("question_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    texts: dict[int, list[str]] = defaultdict(list)
    for q in questions:
        if q.kind == QuestionKind.TEXT and text_counts.get(q.pk):
            rows = Answer.objects.filter(survey=survey, question=q).exclude(text="").order_by("-pk")
            if text_limit is not None:
                rows = rows[:text_limit]
            texts[q.pk] = list(rows.values_list("text", flat=True))
    out = []
    for number, q in enumerate(questions, start=1):
        counts = dist.get(q.pk, {})
        item = QuestionResult(question=q, number=number, weight=weights.get(q.pk))
        if q.kind == QuestionKind.SCALE:
            item.answered = sum(counts.values())
            item.mean = scoring.composite(counts)
            item.bars = [
                {"label": str(label), "value": value, "count": counts.get(value, 0)}
                for value, label in scale_labels(low, high)
            ]
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            item.answered = (
                respondents.get(q.pk, 0) if q.kind == QuestionKind.MULTIPLE else sum(counts.values())
            )
            item.bars = [
                {"label": option, "value": index, "count": counts.get(index, 0)}
                for index, option in enumerate(q.options(language))
            ]
        else:
            item.text_count = text_counts.get(q.pk, 0)
            item.answered = item.text_count
            item.texts = texts.get(q.pk, [])
        for bar in item.bars:
            bar["percent"] = (
                formulas.percentage(formulas.ratio(bar["count"], item.answered), places=1)
                if item.answered and bar["count"] <= item.answered
                else Decimal(0)
            )
        out.append(item)
    return Results(summary=summary(survey), questions=out, scale=(low, high))


def chart_data(results: Results) -> list[dict]:
    """What the page's ECharts bars draw (passed with json_script: escaped)."""
    return [
        {
            "id": f"chart-{item.question.pk}",
            "labels": [bar["label"] for bar in item.bars],
            "counts": [bar["count"] for bar in item.bars],
        }
        for item in results.questions
        if item.bars
    ]


# -- revisits and project status --------------------------------------------------------------------------


@dataclass
class RevisitFigures:
    total: int
    done: int
    planned: int
    scores: list[int]

    @property
    def rate(self) -> Decimal | None:
        return formulas.ratio(self.done, self.total) if self.total else None

    @property
    def rate_percent(self):
        return None if self.rate is None else formulas.percentage(self.rate, places=1)

    @property
    def average(self) -> Decimal | None:
        if not self.scores:
            return None
        return scoring.rounded(Decimal(sum(self.scores)) / len(self.scores), "0.1")


def revisits(project):
    return Revisit.objects.filter(project=project).select_related("created_by").order_by("-on", "-pk")


def revisit_figures(project) -> RevisitFigures:
    rows = list(Revisit.objects.filter(project=project).values_list("outcome", "score"))
    return RevisitFigures(
        total=len(rows),
        done=sum(1 for outcome, _s in rows if outcome == Revisit.Outcome.DONE),
        planned=sum(1 for outcome, _s in rows if outcome == Revisit.Outcome.PLANNED),
        scores=[score for outcome, score in rows if outcome == Revisit.Outcome.DONE and score is not None],
    )


def client_scores_100(project, rulebook) -> dict:
    """The client's satisfaction on 100: revisit scores and client-questionnaire responses (weighted score
    over the top of the scale × 100)."""
    high = scoring.scale(rulebook)[1]
    revisit_scores = revisit_figures(project).scores
    questionnaire = [
        score / high * scoring.HUNDRED
        for score in Response.objects.filter(
            survey__project=project, survey__audience=Audience.CLIENT, score__isnull=False
        ).values_list("score", flat=True)
    ]
    return {"revisits": [Decimal(s) for s in revisit_scores], "questionnaires": questionnaire}


def project_surveys(project) -> list[Summary]:
    return summaries(
        Survey.objects.filter(project=project)
        .select_related("template", "project")
        .order_by("opens_at", "pk")
    )


def project_status(project, *, now=None) -> dict:
    """What the project page and the cockpit show: surveys with their figures, overdue steps, revisits."""
    now = now or timezone.now()
    rulebook = rulebook_for(project)
    steps = deadlines(project, now=now, rulebook=rulebook)
    return {
        "surveys": project_surveys(project),
        "steps": steps,
        "overdue": [s for s in steps if s.state == "overdue"],
        "revisits": revisit_figures(project),
        "now": now,
    }


def category_choices():
    return Category.choices

"""The built-in KPIs of §10 (REQ-QLT-09, REQ-GEN-04), each computed with SQL aggregations.

Every KPI here is a :class:`SqlKpi`: a base queryset of the records it counts (restricted to the meeting
projects of the scope — in scope of the standard, REQ-GEN-02 — and, for incidents, never drills), the
aggregates computed over it, and how they become a :class:`KpiValue`. The same definition gives the value
(one ``aggregate``), the trend (one query grouped by the period of the meeting's start) and the drill-down
rows (the projects or records counted, annotated with their contribution).

Q, S, E and P are period averages of the projects' own scores, each defined as the scorecard defines it
(``quality/scoring.py``), as SQL expressions on the project:

* P = criteria passed / criteria measured among the latest result per criterion;
* S = satisfied client answers / client answers (client questionnaires and revisit scores, satisfied at the
  rulebook's ``qlt.quality.satisfied_client_score``);
* E = execution tasks done by their due time / tasks due so far;
* Q = S × E × P for the projects where all three are measured.

No target is written here: each KPI names the rulebook rule whose operator and value are its target.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import string
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Least, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyi.feedback.complaints.models import Complaint
from huiyi.feedback.improvement.models import ImprovementAction
from huiyi.feedback.surveys import queries as survey_queries
from huiyi.feedback.surveys.models import Audience, Response, Revisit, Survey
from huiyi.incidents.models import Incident, Level
from huiyi.projects.preparation.models import MaterialItem, Task
from huiyi.quality import formulas
from huiyi.quality.models import ControlPointResult, Nonconformance

from . import periods
from .registry import Column, DrillRows, Kpi, KpiValue, Scope, register, shared

PASS = ControlPointResult.Verdict.PASS
FAIL = ControlPointResult.Verdict.FAIL
RATIO_PLACES = Decimal("0.0001")
RATE_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)  # a score out of 100, a percentage: units, not thresholds

SATISFIED_RULE = "qlt.quality.satisfied_client_score"
SATISFIED_FALLBACK_RULE = "ccp09.average_satisfaction"


# -- expressions ------------


def count_of(queryset: QuerySet) -> Coalesce:
    """A correlated ``SELECT COUNT(*)`` of ``queryset`` (which refers to the outer row); 0 if none."""
    counted = queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _sum_of(queryset: QuerySet, field: str) -> Subquery:
    """A correlated ``SELECT SUM(field)`` of ``queryset`` (NULL if none)."""
    summed = queryset.order_by().annotate(_s=Func(F(field), function="SUM")).values("_s")
    return Subquery(summed, output_field=DecimalField())


def _one_if(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), output_field=IntegerField())


def count_where(queryset: QuerySet, condition: Q) -> Coalesce:
    """A correlated ``COUNT(CASE WHEN condition THEN 1 END)`` over ``queryset``: the WHERE keeps only the
    outer reference, so the database uses the per-project index (SQLite otherwise picks an index on the
    condition's columns and scans every project's rows)."""
    counted = queryset.order_by().annotate(_n=Func(_one_if(condition), function="COUNT")).values("_n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def fraction(part, whole):
    """part / whole as a float, NULL when whole is 0 (nothing to measure)."""
    return Cast(part, FloatField()) / NullIf(Cast(whole, FloatField()), Value(0.0))


def _rulebook():
    from huiyi.rulebook.services import active_rulebook

    return active_rulebook()


def _rule_value(rule_id: str, fallback: str | None = None):
    rulebook = _rulebook()
    for key in (rule_id, fallback):
        if key and key in rulebook:
            return rulebook.value(key)
    return None


def answer_scale_top() -> Decimal:
    from huiyi.feedback.surveys import scoring

    return Decimal(str(scoring.scale(_rulebook())[1]))


def satisfied_line() -> tuple[Decimal, Decimal]:
    """(line on 100, same line on the survey's answer scale)."""
    line = Decimal(str(_rule_value(SATISFIED_RULE, SATISFIED_FALLBACK_RULE)))
    return line, line * answer_scale_top() / HUNDRED


def meetings_per_unit() -> int:
    """The number of meetings a complaint rate is per (the unit per_100_meetings, as complaints count it)."""
    from huiyi.feedback.complaints.queries import MEETINGS_PER_UNIT

    return MEETINGS_PER_UNIT


def current_results() -> QuerySet[ControlPointResult]:
    """The latest result per (project, criterion), as ``ControlPointResult.objects.record`` marks it."""
    return ControlPointResult.objects.filter(is_current=True)


def project_p():
    mine = current_results().filter(project=OuterRef("pk"))
    passed = count_of(mine.filter(verdict=PASS))
    measured = count_of(mine.filter(verdict__in=(PASS, FAIL)))
    return {"passed": passed, "measured": measured, "p": fraction(passed, measured)}


def project_s():
    line_100, line_scale = satisfied_line()
    answers = Response.objects.filter(
        survey__project=OuterRef("pk"), survey__audience=Audience.CLIENT, score__isnull=False
    )
    revisits = Revisit.objects.filter(
        project=OuterRef("pk"), outcome=Revisit.Outcome.DONE, score__isnull=False
    )
    satisfied = count_of(answers.filter(score__gte=line_scale)) + count_of(
        revisits.filter(score__gte=line_100)
    )
    clients = count_of(answers) + count_of(revisits)
    return {"satisfied": satisfied, "clients": clients, "s": fraction(satisfied, clients)}


def project_e(now: dt.datetime):
    tasks = Task.objects.filter(project=OuterRef("pk"))
    due = Q(due__lte=now)
    on_time = count_where(tasks, due & Q(status=Task.Status.DONE, done_at__lte=F("due")))
    tasks_due = count_where(tasks, due)
    return {"on_time": on_time, "due": tasks_due, "e": fraction(on_time, tasks_due)}


def project_q(now: dt.datetime):
    return project_s()["s"] * project_e(now)["e"] * project_p()["p"]


# -- the KPI definition --------------------------------------------------------------------------------------


def _dec(value, places: Decimal = RATIO_PLACES) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(places)


def _int(value) -> int:
    return int(value or 0)


def project_link(project_id: int) -> str:
    return reverse("projects:detail", args=[project_id])


def bucket_of(start_path: str, wanted: list[periods.Period]) -> Case:
    """The index in ``wanted`` of the period a row's meeting starts in, as a CASE of plain comparisons on
    the start (no per-row date function: the database compares timestamps, as for the period itself)."""
    from .scope import _aware

    return Case(
        *(
            When(
                **{f"{start_path}__gte": _aware(period.start), f"{start_path}__lt": _aware(period.end)},
                then=Value(index),
            )
            for index, period in enumerate(wanted)
        ),
        default=Value(-1),
        output_field=IntegerField(),
    )


@dataclasses.dataclass(frozen=True)
class Rows:
    """One source table of a KPI: ``base(scope)`` its rows for the projects of the scope (an id semi-join),
    ``start_path`` the path to the meeting's start, ``aggregates()`` what is counted. One query for a
    period (``aggregate``), one for a trend (grouped by the period the start falls in)."""

    base: Callable[[Scope], QuerySet]
    start_path: str
    aggregates: Callable[[], dict]

    def total(self, scope: Scope) -> dict:
        return shared((self, scope), lambda: self.base(scope).aggregate(**self.aggregates()))

    def by_bucket(self, scope: Scope, wanted: list[periods.Period]) -> dict[int, dict]:
        """{index in ``wanted``: figures} for the periods with rows; ``scope`` spans them all."""

        def read():
            rows = (
                self.base(scope)
                .annotate(_bucket=bucket_of(self.start_path, wanted))
                .order_by()
                .values("_bucket")
                .annotate(**self.aggregates())
            )
            return {row.pop("_bucket"): row for row in rows}

        return shared((self, scope, tuple(wanted)), read)


@dataclasses.dataclass
class SqlKpi:
    """A KPI computed over one or more :class:`Rows` whose figures are merged, then ``finish(figures)`` →
    KpiValue; grouped by period for trends (one query per source table, not one per period).

    ``base(scope)`` is the queryset of what is counted; ``start_path`` is the path from it to the meeting's
    start (its period); ``aggregates()`` the aggregate expressions; ``finish(figures)`` the KpiValue.
    ``parts`` replaces the three when the KPI reads several tables (or the per-project scores).
    """

    key: str
    label: Any
    base: Callable[[Scope], QuerySet] | None
    start_path: str
    aggregates: Callable[[], dict] | None
    finish: Callable[[dict], KpiValue]
    breakdown: Callable[[Scope], dict] | None = None
    drill_rows: Callable[[Scope], DrillRows] | None = None
    options: dict = dataclasses.field(default_factory=dict)
    parts: tuple = ()

    def sources(self) -> tuple:
        return self.parts or (Rows(self.base, self.start_path, self.aggregates),)

    def compute(self, scope: Scope) -> KpiValue:
        figures: dict = {}
        for part in self.sources():
            figures.update(part.total(scope))
        value = self.finish(figures)
        if value.has_data:
            value = self.details(scope, value)
        return value

    def details(self, scope: Scope, value: KpiValue) -> KpiValue:
        if self.breakdown is None:
            return value
        return dataclasses.replace(value, breakdown=self.breakdown(scope))

    def trend(self, scope: Scope, wanted: list[periods.Period]) -> list[KpiValue]:
        if not wanted:
            return []
        wide = dataclasses.replace(scope, start=wanted[0].start, end=wanted[-1].end)
        found: dict[int, dict] = {}
        for part in self.sources():
            for index, row in part.by_bucket(wide, wanted).items():
                found.setdefault(index, {}).update(row)
        return [self.finish(found[i]) if i in found else KpiValue(None) for i in range(len(wanted))]

    def as_kpi(self, **kwargs) -> Kpi:
        return Kpi(
            key=self.key,
            label=self.label,
            compute=self.compute,
            trend=self.trend,
            trend_gives_value=True,
            details=self.details,
            rows=self.drill_rows,
            **{**self.options, **kwargs},
        )


def _projects(scope: Scope) -> QuerySet:
    return scope.projects()


def _in_scope(scope: Scope, prefix: str = "project") -> Q:
    return Q(**{f"{prefix}__in": scope.projects().values("pk")})


# -- Q, S, E, P ----------------------------------------------------------------------------------------------


def _client_surveys(project_ids) -> QuerySet:
    return Survey.objects.filter(project__in=project_ids, audience=Audience.CLIENT)


def _scored_answers() -> QuerySet:
    """The scored responses of the outer survey. Client answers are read from the client surveys, each
    counted on the response's survey index: attendee responses are fifty times as many and never scanned."""
    return Response.objects.filter(survey=OuterRef("pk"), score__isnull=False)


def _per_project_sources(projects: QuerySet, now: dt.datetime) -> dict[str, QuerySet]:
    """Per project (column ``pid``) of ``projects``: P's criteria, S's client answers and revisits, E's tasks,
    each one query grouped by project over its own table (no correlated subquery per project)."""
    line_100, line_scale = satisfied_line()
    ids = projects.values("pk")

    def per_project(queryset: QuerySet, path: str, **counts) -> QuerySet:
        return queryset.order_by().annotate(pid=F(path)).values("pid").annotate(**counts)

    return {
        "c": per_project(
            current_results().filter(project__in=ids, verdict__in=(PASS, FAIL)),
            "project",
            passed=Count("pk", filter=Q(verdict=PASS)),
            measured=Count("pk"),
        ),
        "a": per_project(
            _client_surveys(ids).annotate(
                _sat=count_where(_scored_answers(), Q(score__gte=line_scale)), _n=count_of(_scored_answers())
            ),
            "project",
            sat=Sum("_sat"),
            n=Sum("_n"),
        ),
        "r": per_project(
            Revisit.objects.filter(project__in=ids, outcome=Revisit.Outcome.DONE, score__isnull=False),
            "project",
            sat=Count("pk", filter=Q(score__gte=line_100)),
            n=Count("pk"),
        ),
        "t": per_project(
            Task.objects.filter(project__in=ids, due__lte=now),
            "project",
            on_time=Count("pk", filter=Q(status=Task.Status.DONE, done_at__lte=F("due"))),
            due=Count("pk"),
        ),
    }


# Each project's P, S and E from the grouped sources (NULL when nothing is measured), as the scorecard
# defines them, and their period sums and counts: Σ and n of P, S, E and of Q = S × E × P.
_SCORES_SQL = """
SELECT x.bucket, SUM(x.p) AS p_total, COUNT(x.p) AS p_measured, SUM(x.s) AS s_total, COUNT(x.s) AS s_measured,
       SUM(x.e) AS e_total, COUNT(x.e) AS e_measured,
       SUM(x.s * x.e * x.p) AS q_total, COUNT(x.s * x.e * x.p) AS q_measured
FROM (
  SELECT pr.bucket,
         c.passed * 1.0 / NULLIF(c.measured, 0) AS p,
         (COALESCE(a.sat, 0) + COALESCE(r.sat, 0)) * 1.0
           / NULLIF(COALESCE(a.n, 0) + COALESCE(r.n, 0), 0) AS s,
         t.on_time * 1.0 / NULLIF(t.due, 0) AS e
  FROM ({projects}) pr
  LEFT JOIN ({c}) c ON c.pid = pr.pid
  LEFT JOIN ({a}) a ON a.pid = pr.pid
  LEFT JOIN ({r}) r ON r.pid = pr.pid
  LEFT JOIN ({t}) t ON t.pid = pr.pid
) x
GROUP BY x.bucket
"""
_SCORE_COLUMNS = (
    "p_total",
    "p_measured",
    "s_total",
    "s_measured",
    "e_total",
    "e_measured",
    "q_total",
    "q_measured",
)


def run_grouped(template: str, parts: dict[str, QuerySet], columns: tuple[str, ...]) -> dict[int, dict]:
    """Run ``template`` (SQL grouped by ``bucket`` first, then ``columns``) with each ``{name}`` replaced by
    the SQL of ``parts[name]`` (a queryset; its parameters stay parameters): {bucket: {column: value}}."""
    names = [name for _text, name, _spec, _conv in string.Formatter().parse(template) if name]
    texts, params = {}, []
    for name in names:  # in the order they appear, as their parameters must
        sql, part_params = parts[name].query.sql_with_params()
        texts[name] = sql
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(template.format(**texts), params)
        return {bucket: dict(zip(columns, figures, strict=True)) for bucket, *figures in cursor.fetchall()}


def _scores(scope: Scope, wanted: list[periods.Period] | None) -> dict:
    """{bucket: {letter_total, letter_measured}} of the per-project scores, in one query: the bucket is the
    index in ``wanted``, or -1 for the whole scope when ``wanted`` is None."""
    bucket = Value(-1) if wanted is None else bucket_of("start", wanted)
    projects = scope.projects().order_by().annotate(pid=F("pk"), bucket=bucket).values("pid", "bucket")
    parts = {"projects": projects, **_per_project_sources(scope.projects(), timezone.now())}
    return run_grouped(_SCORES_SQL, parts, _SCORE_COLUMNS)


@dataclasses.dataclass(frozen=True)
class Scores:
    """The per-project scores as a KPI source: ``letter``'s total and measured (shared by Q, S, E, P)."""

    letter: str

    def _pick(self, figures: dict) -> dict:
        return {"total": figures[f"{self.letter}_total"], "measured": figures[f"{self.letter}_measured"]}

    def total(self, scope: Scope) -> dict:
        found = shared(("scores", scope), lambda: _scores(scope, None))
        return self._pick(found[-1]) if -1 in found else {}

    def by_bucket(self, scope: Scope, wanted: list[periods.Period]) -> dict[int, dict]:
        found = shared(("scores", scope, tuple(wanted)), lambda: _scores(scope, wanted))
        return {index: self._pick(figures) for index, figures in found.items()}


def _finish_average(figures: dict) -> KpiValue:
    measured = _int(figures.get("measured"))
    if not measured:
        return KpiValue(None, denominator=0)
    total = Decimal(str(figures["total"]))
    return KpiValue(_dec(total / measured), numerator=_dec(total), denominator=measured)


def _score_rows(letter: str, columns: list[Column], parts: Callable[[], dict]):
    def rows(scope: Scope) -> DrillRows:
        annotations = parts()
        queryset = (
            scope.projects()
            .annotate(**annotations)
            .filter(**{f"{letter}__isnull": False})
            .order_by(letter, "start")
            .values("pk", "code", "name", "start", *annotations.keys())
        )
        return DrillRows(
            columns=columns,
            rows=queryset,
            to_row=lambda r: {
                "label": f"{r['code']} {r['name']}",
                "url": project_link(r["pk"]),
                "start": r["start"],
                **{k: _dec(r[k]) if k == letter else r[k] for k in annotations},
            },
        )

    return rows


SCORE = Column("score", _("project's score"), "ratio")


def _q_parts():
    now = timezone.now()
    s, e, p = project_s()["s"], project_e(now)["e"], project_p()["p"]
    return {"s": s, "e": e, "p": p, "q": s * e * p}


QUALITY_Q = SqlKpi(
    "quality_q",
    _("Q — service quality (S × E × P)"),
    None,
    "start",
    None,
    _finish_average,
    parts=(Scores("q"),),
    drill_rows=_score_rows(
        "q",
        [
            Column("s", "S", "ratio"),
            Column("e", "E", "ratio"),
            Column("p", "P", "ratio"),
            Column("q", "Q", "ratio"),
        ],
        _q_parts,
    ),
    options={"target_rule": "qlt.kpi.service_quality", "order": 10, "req": "REQ-GEN-04", "group": "quality"},
)
SATISFACTION_S = SqlKpi(
    "satisfaction_s",
    _("S — client satisfaction rate"),
    None,
    "start",
    None,
    _finish_average,
    parts=(Scores("s"),),
    drill_rows=_score_rows(
        "s",
        [
            Column("satisfied", _("satisfied answers")),
            Column("clients", _("client answers")),
            Column("s", "S", "ratio"),
        ],
        project_s,
    ),
    options={
        "target_rule": "qlt.kpi.satisfaction_rate",
        "order": 11,
        "req": "REQ-GEN-04",
        "group": "quality",
    },
)
ON_TIME_E = SqlKpi(
    "on_time_e",
    _("E — services completed on time"),
    None,
    "start",
    None,
    _finish_average,
    parts=(Scores("e"),),
    drill_rows=_score_rows(
        "e",
        [Column("on_time", _("tasks on time")), Column("due", _("tasks due")), Column("e", "E", "ratio")],
        lambda: project_e(timezone.now()),
    ),
    options={"target_rule": "qlt.kpi.on_time_service", "order": 12, "req": "REQ-GEN-04", "group": "quality"},
)
STANDARD_P = SqlKpi(
    "standard_p",
    _("P — services meeting the standard"),
    None,
    "start",
    None,
    _finish_average,
    parts=(Scores("p"),),
    drill_rows=_score_rows(
        "p",
        [
            Column("passed", _("criteria passed")),
            Column("measured", _("criteria measured")),
            Column("p", "P", "ratio"),
        ],
        project_p,
    ),
    options={"target_rule": "qlt.kpi.standard_rate", "order": 13, "req": "REQ-GEN-04", "group": "quality"},
)


# -- control points ------------


def _measured_results(scope: Scope) -> QuerySet:
    return current_results().filter(_in_scope(scope), verdict__in=(PASS, FAIL))


def _pass_aggregates():
    return {"passed": Count("pk", filter=Q(verdict=PASS)), "measured": Count("pk")}


def _finish_ratio(part: str, whole: str):
    def finish(figures: dict) -> KpiValue:
        numerator, denominator = _int(figures.get(part)), _int(figures.get(whole))
        if not denominator:
            return KpiValue(None, numerator=0, denominator=0)
        return KpiValue(_dec(Decimal(numerator) / denominator), numerator=numerator, denominator=denominator)

    return finish


def _ccp_breakdown(scope: Scope) -> dict:
    rows = (
        _measured_results(scope)
        .order_by()
        .values("control_point")
        .annotate(**_pass_aggregates())
        .order_by("control_point")
    )
    return {
        r["control_point"] or "—": {
            "value": str(_dec(Decimal(r["passed"]) / r["measured"])),
            "numerator": r["passed"],
            "denominator": r["measured"],
        }
        for r in rows
        if r["measured"]
    }


def _ccp_rows(scope: Scope) -> DrillRows:
    mine = current_results().filter(project=OuterRef("pk"), verdict__in=(PASS, FAIL))
    queryset = (
        scope.projects()
        .annotate(passed=count_of(mine.filter(verdict=PASS)), measured=count_of(mine))
        .filter(measured__gt=0)
        .annotate(rate=fraction(F("passed"), F("measured")))
        .order_by("rate", "start")
        .values("pk", "code", "name", "start", "passed", "measured", "rate")
    )
    return DrillRows(
        [
            Column("passed", _("criteria passed")),
            Column("measured", _("criteria measured")),
            Column("rate", SCORE.label, "ratio"),
        ],
        queryset,
        lambda r: {
            **r,
            "label": f"{r['code']} {r['name']}",
            "url": project_link(r["pk"]),
            "rate": _dec(r["rate"]),
        },
    )


CCP_PASS_RATE = SqlKpi(
    "ccp_pass_rate",
    _("Control-point pass rate"),
    _measured_results,
    "project__start",
    _pass_aggregates,
    _finish_ratio("passed", "measured"),
    breakdown=_ccp_breakdown,
    drill_rows=_ccp_rows,
    options={"target_rule": "qlt.kpi.ccp_pass_rate", "order": 20, "req": "REQ-QLT-03", "group": "quality"},
)


# -- complaints ------------


def _serious_key() -> str | None:
    from huiyi.feedback.complaints import sla

    return sla.serious_key(_rulebook())


def _meeting_count():
    return {"meetings": Count("pk")}


MEETINGS = Rows(_projects, "start", _meeting_count)


def _of_projects(model, prefix: str = "project", **conditions) -> Callable[[Scope], QuerySet]:
    """Rows of ``model`` for the projects of the scope (id semi-join on ``prefix``) with ``conditions``."""

    def base(scope: Scope) -> QuerySet:
        return model.objects.filter(_in_scope(scope, prefix), **conditions)

    return base


def _complaint_aggregates():
    return {"n_complaints": Count("pk"), "n_serious": Count("pk", filter=Q(severity=_serious_key() or "-"))}


COMPLAINTS = (MEETINGS, Rows(_of_projects(Complaint), "project__start", _complaint_aggregates))


def _per_meetings(part: str):
    def finish(figures: dict) -> KpiValue:
        meetings, counted = _int(figures.get("meetings")), _int(figures.get(part))
        if not meetings:
            return KpiValue(None, numerator=0, denominator=0)
        rate = Decimal(counted) * meetings_per_unit() / meetings
        return KpiValue(_dec(rate, RATE_PLACES), numerator=counted, denominator=meetings)

    return finish


def _complaint_breakdown(scope: Scope) -> dict:
    rows = Complaint.objects.filter(_in_scope(scope)).order_by().values("severity").annotate(n=Count("pk"))
    return {r["severity"]: r["n"] for r in rows}


def _complaint_rows(scope: Scope) -> DrillRows:
    serious = _serious_key() or "-"
    queryset = (
        scope.projects()
        .annotate(
            n_complaints=count_of(Complaint.objects.filter(project=OuterRef("pk"))),
            n_serious=count_of(Complaint.objects.filter(project=OuterRef("pk"), severity=serious)),
        )
        .order_by("-n_complaints", "start")
        .values("pk", "code", "name", "start", "n_complaints", "n_serious")
    )
    return DrillRows(
        [Column("n_complaints", _("complaints")), Column("n_serious", _("serious complaints"))],
        queryset,
        lambda r: {**r, "label": f"{r['code']} {r['name']}", "url": project_link(r["pk"])},
    )


COMPLAINT_RATE = SqlKpi(
    "complaint_rate",
    _("Complaints per 100 meetings"),
    None,
    "start",
    None,
    _per_meetings("n_complaints"),
    parts=COMPLAINTS,
    breakdown=_complaint_breakdown,
    drill_rows=_complaint_rows,
    options={
        "target_rule": "qlt.kpi.complaint_rate",
        "order": 30,
        "unit": "per_100",
        "higher_is_better": False,
        "req": "REQ-FBK-06",
        "group": "feedback",
    },
)
SERIOUS_COMPLAINT_RATE = SqlKpi(
    "serious_complaint_rate",
    _("Serious complaints per 100 meetings"),
    None,
    "start",
    None,
    _per_meetings("n_serious"),
    parts=COMPLAINTS,
    drill_rows=_complaint_rows,
    options={
        "target_rule": "ccp09.serious_complaints",
        "order": 31,
        "unit": "per_100",
        "higher_is_better": False,
        "req": "REQ-FBK-06",
        "group": "feedback",
    },
)


# -- surveys ------------


def _attendee_surveys(scope: Scope) -> QuerySet:
    return Survey.objects.filter(_in_scope(scope), audience=Audience.ATTENDEES).order_by()


def _collection(scope: Scope, wanted: list[periods.Period] | None) -> dict[int, dict]:
    """{bucket: responses counted (at most the attendees targeted), attendees targeted} of the attendee
    surveys: the figures recorded when collection ended, summed in SQL, plus those still counted from the
    rows (surveys open or just ended: few; ``surveys.queries.collection_counts``)."""
    surveys = _attendee_surveys(scope)
    bucket = Value(-1) if wanted is None else bucket_of("project__start", wanted)
    found = {
        row.pop("bucket"): row
        for row in surveys.filter(final_targeted__isnull=False)
        .annotate(bucket=bucket)
        .values("bucket")
        .annotate(
            responses=Sum(Least(F("final_responses"), F("final_targeted"))), targeted=Sum("final_targeted")
        )
    }
    live = list(surveys.filter(final_targeted__isnull=True).annotate(bucket=bucket))
    bucket_of_survey = {survey.pk: survey.bucket for survey in live}
    for survey_id, (responses, targeted) in survey_queries.collection_counts(live).items():
        figures = found.setdefault(bucket_of_survey[survey_id], {})
        figures["responses"] = (figures.get("responses") or 0) + min(responses, targeted)
        figures["targeted"] = (figures.get("targeted") or 0) + targeted
    return found


@dataclasses.dataclass(frozen=True)
class Collection:
    """The survey collection figures as a KPI source (responses counted, attendees targeted)."""

    def total(self, scope: Scope) -> dict:
        return _collection(scope, None).get(-1, {})

    def by_bucket(self, scope: Scope, wanted: list[periods.Period]) -> dict[int, dict]:
        return _collection(scope, wanted)


def _collection_rows(scope: Scope) -> DrillRows:
    surveys = list(_attendee_surveys(scope).select_related("project"))
    counts = survey_queries.collection_counts(surveys)
    rows = []
    for survey in surveys:
        responses, targeted = counts[survey.pk]
        if targeted:
            rows.append(
                (survey, responses, targeted, formulas.collection_rate(min(responses, targeted), targeted))
            )
    rows.sort(key=lambda row: (row[3], row[0].project.start))
    return DrillRows(
        [
            Column("responses", _("responses")),
            Column("targeted", _("attendees targeted")),
            Column("rate", _("collection rate"), "ratio"),
        ],
        rows,
        lambda r: {
            "label": f"{r[0].project.code} {r[0].project.name}",
            "url": reverse("surveys:results", args=[r[0].pk]),
            "start": r[0].project.start,
            "responses": r[1],
            "targeted": r[2],
            "rate": _dec(r[3]),
        },
    )


COLLECTION_RATE = SqlKpi(
    "collection_rate",
    _("Survey collection rate"),
    None,
    "project__start",
    None,
    _finish_ratio("responses", "targeted"),
    parts=(Collection(),),
    drill_rows=_collection_rows,
    options={"target_rule": "qlt.kpi.collection_rate", "order": 40, "req": "REQ-FBK-02", "group": "feedback"},
)


def _client_scores(scope: Scope) -> QuerySet:
    return scope.projects()


def _answer_aggregates():
    return {"answer_points": Sum("_points"), "n_answers": Sum("_n")}


def _revisit_aggregates():
    return {"revisit_points": Sum("score"), "n_revisits": Count("pk")}


CLIENT_SCORES = (
    Rows(
        lambda scope: _client_surveys(scope.projects().values("pk")).annotate(
            _points=_sum_of(_scored_answers(), "score"), _n=count_of(_scored_answers())
        ),
        "project__start",
        _answer_aggregates,
    ),
    Rows(
        _of_projects(Revisit, outcome=Revisit.Outcome.DONE, score__isnull=False),
        "project__start",
        _revisit_aggregates,
    ),
)


def _finish_mean(figures: dict) -> KpiValue:
    answers = _int(figures.get("n_answers")) + _int(figures.get("n_revisits"))
    if not answers:
        return KpiValue(None, denominator=0)
    on_scale = Decimal(str(figures.get("answer_points") or 0)) * HUNDRED / answer_scale_top()
    points = on_scale + Decimal(str(figures.get("revisit_points") or 0))
    return KpiValue(
        _dec(points / answers, RATE_PLACES), numerator=_dec(points, RATE_PLACES), denominator=answers
    )


AVERAGE_SATISFACTION = SqlKpi(
    "average_satisfaction",
    _("Average client satisfaction (out of 100)"),
    None,
    "start",
    None,
    _finish_mean,
    parts=CLIENT_SCORES,
    drill_rows=_score_rows(
        "s",
        [
            Column("satisfied", _("satisfied answers")),
            Column("clients", _("client answers")),
            Column("s", "S", "ratio"),
        ],
        project_s,
    ),
    options={
        "target_rule": "ccp09.average_satisfaction",
        "order": 41,
        "unit": "score",
        "req": "REQ-FBK-07",
        "group": "feedback",
    },
)


# -- improvement ------------


def _actions(scope: Scope) -> QuerySet:
    return ImprovementAction.objects.filter(_in_scope(scope))


def _action_aggregates():
    return {"done": Count("pk", filter=Q(status__in=ImprovementAction.DONE_STATUSES)), "all": Count("pk")}


def _action_rows(scope: Scope) -> DrillRows:
    actions = ImprovementAction.objects.filter(project=OuterRef("pk"))
    queryset = (
        scope.projects()
        .annotate(
            done=count_of(actions.filter(status__in=ImprovementAction.DONE_STATUSES)),
            n_actions=count_of(actions),
        )
        .filter(n_actions__gt=0)
        .order_by("start")
        .values("pk", "code", "name", "start", "done", "n_actions")
    )
    return DrillRows(
        [Column("done", _("done")), Column("n_actions", _("improvement actions"))],
        queryset,
        lambda r: {**r, "label": f"{r['code']} {r['name']}", "url": project_link(r["pk"])},
    )


IMPROVEMENT_COMPLETION = SqlKpi(
    "improvement_completion",
    _("Improvement actions completed"),
    _actions,
    "project__start",
    _action_aggregates,
    _finish_ratio("done", "all"),
    drill_rows=_action_rows,
    options={
        "target_rule": "qlt.kpi.improvement_completion",
        "order": 50,
        "req": "REQ-FBK-04",
        "group": "feedback",
    },
)


# -- on-time rate ------------


def _on_time_counts(now: dt.datetime) -> dict:
    tasks = Task.objects.filter(project=OuterRef("pk"))
    materials = MaterialItem.objects.filter(project=OuterRef("pk"))
    task_due, material_due = Q(due__lte=now), Q(planned_delivery__lte=now)
    return {
        "tasks_on_time": count_where(tasks, task_due & Q(status=Task.Status.DONE, done_at__lte=F("due"))),
        "tasks_due": count_where(tasks, task_due),
        "materials_on_time": count_where(
            materials, material_due & Q(delivered_at__lte=F("planned_delivery"))
        ),
        "materials_due": count_where(materials, material_due),
    }


def _task_aggregates():
    due = Q(due__lte=timezone.now())
    return {
        "tasks_on_time": Count("pk", filter=due & Q(status=Task.Status.DONE, done_at__lte=F("due"))),
        "tasks_due": Count("pk", filter=due),
    }


def _material_aggregates():
    due = Q(planned_delivery__lte=timezone.now())
    return {
        "materials_on_time": Count("pk", filter=due & Q(delivered_at__lte=F("planned_delivery"))),
        "materials_due": Count("pk", filter=due),
    }


ON_TIME_SOURCES = (
    Rows(_of_projects(Task), "project__start", _task_aggregates),
    Rows(_of_projects(MaterialItem), "project__start", _material_aggregates),
)


def _finish_on_time(figures: dict) -> KpiValue:
    on_time = _int(figures.get("tasks_on_time")) + _int(figures.get("materials_on_time"))
    due = _int(figures.get("tasks_due")) + _int(figures.get("materials_due"))
    if not due:
        return KpiValue(None, numerator=0, denominator=0)
    breakdown = {}
    for part in ("tasks", "materials"):
        n, d = _int(figures.get(f"{part}_on_time")), _int(figures.get(f"{part}_due"))
        if d:
            breakdown[part] = {"value": str(_dec(Decimal(n) / d)), "numerator": n, "denominator": d}
    return KpiValue(_dec(Decimal(on_time) / due), numerator=on_time, denominator=due, breakdown=breakdown)


def _on_time_rows(scope: Scope) -> DrillRows:
    now = timezone.now()
    queryset = (
        scope.projects()
        .annotate(**_on_time_counts(now))
        .filter(Q(tasks_due__gt=0) | Q(materials_due__gt=0))
        .order_by("start")
        .values(
            "pk", "code", "name", "start", "tasks_on_time", "tasks_due", "materials_on_time", "materials_due"
        )
    )
    return DrillRows(
        [
            Column("tasks_on_time", _("tasks on time")),
            Column("tasks_due", _("tasks due")),
            Column("materials_on_time", _("deliveries on time")),
            Column("materials_due", _("deliveries due")),
        ],
        queryset,
        lambda r: {**r, "label": f"{r['code']} {r['name']}", "url": project_link(r["pk"])},
    )


ON_TIME_RATE = SqlKpi(
    "on_time_rate",
    _("On-time rate (tasks and deliveries)"),
    None,
    "start",
    None,
    _finish_on_time,
    parts=ON_TIME_SOURCES,
    drill_rows=_on_time_rows,
    options={"target_rule": "qlt.kpi.on_time_rate", "order": 60, "req": "REQ-PRE-01", "group": "execution"},
)


# -- incidents ------------


def _incidents(scope: Scope) -> QuerySet:
    return Incident.objects.filter(_in_scope(scope), is_drill=False)


def _incident_aggregates():
    found = {"n_incidents": Count("pk")}
    for level in Level:
        found[f"level_{level.value}"] = Count("pk", filter=Q(level=level.value))
    return found


INCIDENT_SOURCES = (
    MEETINGS,
    Rows(_of_projects(Incident, is_drill=False), "project__start", _incident_aggregates),
)


def _finish_incidents(figures: dict) -> KpiValue:
    meetings = _int(figures.get("meetings"))
    if not meetings:
        return KpiValue(None)
    total = _int(figures.get("n_incidents"))
    breakdown = {level.value: _int(figures.get(f"level_{level.value}")) for level in Level}
    return KpiValue(total, numerator=total, denominator=meetings, breakdown=breakdown)


def _incident_rows(scope: Scope) -> DrillRows:
    queryset = _incidents(scope).select_related("project").order_by("-reported_at")
    return DrillRows(
        [Column("level", _("level")), Column("type", _("type")), Column("reported_at", _("reported at"))],
        queryset,
        lambda i: {
            "label": f"{i.project.code} · #{i.number}",
            "url": reverse("incidents:detail", args=[i.pk]),
            "start": i.project.start,
            "level": i.get_level_display(),
            "type": i.get_type_display(),
            "reported_at": i.reported_at,
        },
    )


INCIDENTS = SqlKpi(
    "incidents",
    _("Incidents (drills excluded)"),
    None,
    "start",
    None,
    _finish_incidents,
    parts=INCIDENT_SOURCES,
    drill_rows=_incident_rows,
    options={
        "order": 70,
        "unit": "count",
        "higher_is_better": False,
        "req": "REQ-INC-01",
        "group": "execution",
    },
)


# -- nonconformances ------------


def _nonconformances(scope: Scope) -> QuerySet:
    return Nonconformance.objects.filter(_in_scope(scope))


def _nc_aggregates():
    return {"opened": Count("pk"), "closed": Count("pk", filter=Q(status=Nonconformance.Status.CLOSED))}


NC_SOURCES = (MEETINGS, Rows(_of_projects(Nonconformance), "project__start", _nc_aggregates))


def _finish_nc(figures: dict) -> KpiValue:
    if not _int(figures.get("meetings")):
        return KpiValue(None)
    opened, closed = _int(figures.get("opened")), _int(figures.get("closed"))
    return KpiValue(
        opened, numerator=closed, denominator=opened, breakdown={"opened": opened, "closed": closed}
    )


def _nc_rows(scope: Scope) -> DrillRows:
    queryset = _nonconformances(scope).select_related("project").order_by("-opened_at")
    return DrillRows(
        [
            Column("status", _("status")),
            Column("opened_at", _("opened at")),
            Column("closed_at", _("closed at")),
        ],
        queryset,
        lambda n: {
            "label": f"{n.code} · {n.project.code} {n.description_text}"[:120],
            "url": reverse("quality:nonconformance", args=[n.pk]),
            "start": n.project.start,
            "status": n.get_status_display(),
            "opened_at": n.opened_at,
            "closed_at": n.closed_at,
        },
    )


NONCONFORMANCES = SqlKpi(
    "nonconformances",
    _("Nonconformances opened (closed)"),
    None,
    "start",
    None,
    _finish_nc,
    parts=NC_SOURCES,
    drill_rows=_nc_rows,
    options={
        "order": 80,
        "unit": "count",
        "higher_is_better": False,
        "req": "REQ-QLT-06",
        "group": "quality",
    },
)


BUILTIN = [
    QUALITY_Q,
    SATISFACTION_S,
    ON_TIME_E,
    STANDARD_P,
    CCP_PASS_RATE,
    COMPLAINT_RATE,
    SERIOUS_COMPLAINT_RATE,
    COLLECTION_RATE,
    AVERAGE_SATISFACTION,
    IMPROVEMENT_COMPLETION,
    ON_TIME_RATE,
    INCIDENTS,
    NONCONFORMANCES,
]


#: The models each built-in KPI counts (besides the meeting projects): a change to one of their rows forgets
#: the KPI's kept figures of the meeting's periods (``stored``).
_SCORE_MODELS = (ControlPointResult, Survey, Response, Revisit, Task)
READS = {
    "quality_q": _SCORE_MODELS,
    "satisfaction_s": _SCORE_MODELS,
    "on_time_e": _SCORE_MODELS,
    "standard_p": _SCORE_MODELS,
    "ccp_pass_rate": (ControlPointResult,),
    "complaint_rate": (Complaint,),
    "serious_complaint_rate": (Complaint,),
    "collection_rate": (Survey, Response),
    "average_satisfaction": (Survey, Response, Revisit),
    "improvement_completion": (ImprovementAction,),
    "on_time_rate": (Task, MaterialItem),
    "incidents": (Incident,),
    "nonconformances": (Nonconformance,),
}


def register_builtin() -> None:
    for kpi in BUILTIN:
        register(kpi.as_kpi(reads=READS[kpi.key]))

"""A realistic history at scale, for the KPI dashboard, the lists and the benchmarks (issue 9).

    huiyi demo --scale 5                     # the demo plus five years of history (2,000 meetings a year)
    .venv/bin/python bench/generate.py --years 5 --meetings 10000 --attendees 2000000 …

Every record goes in with ``bulk_create`` in batches (no per-row signals, no audit entries: this is history,
not activity), deterministic for a seed. What it writes, per finished meeting in the past ``years``:
a project (a few out of the standard's scope, REQ-GEN-02) with its manager, execution tasks (done on time or
late), attendees with tickets and check-ins, an attendee survey and a client questionnaire with responses
(their weighted score; per-question answers are not generated), complaints with their times, one control-point
result per CCP (failures open a nonconformance), incidents (some of them drills), improvement actions, and —
where the people app provides ``huiyi.people.scale.generate`` — training sessions with assessments.

Values are drawn around the rulebook's thresholds (the generator reads them; it does not define any).
"""

from __future__ import annotations

import datetime
import math
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

BATCH = 2000


@dataclass(frozen=True)
class Plan:
    years: int = 5
    meetings: int = 10_000
    attendees: int = 2_000_000
    responses: int = 500_000
    complaints: int = 20_000
    ccp_results: int = 120_000
    seed: int = 7
    checked_in_share: float = 0.85
    out_of_scope_share: float = 0.03
    incident_share: float = 0.25
    training: bool = True  # the people app's training history (the demo has its own)

    @classmethod
    def for_years(cls, years: int, meetings_per_year: int = 2000, **overrides) -> Plan:
        """The issue's proportions: per meeting 200 attendees, 50 responses, 2 complaints, 12 CCP results."""
        meetings = years * meetings_per_year
        plan = cls(
            years=years,
            meetings=meetings,
            attendees=meetings * 200,
            responses=meetings * 50,
            complaints=meetings * 2,
            ccp_results=meetings * 12,
        )
        return replace(plan, **overrides)

    @classmethod
    def demo(cls) -> Plan:
        """A year of history small enough for the demo (a few seconds)."""
        return cls(
            years=1,
            meetings=96,
            attendees=96 * 40,
            responses=96 * 12,
            complaints=6,  # a handful a year, as a well-run organisation has
            ccp_results=96 * 12,
            training=False,  # the people demo records its own year of training
        )


def _batched(rows: Iterable, size: int = BATCH):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _insert(model, rows: Iterable, size: int = BATCH) -> list:
    created = []
    for chunk in _batched(rows, size):
        created.extend(model.objects.bulk_create(chunk, batch_size=size))
    return created


def _spread(total: int, parts: int, rng: random.Random, *, spread: float = 0.6) -> list[int]:
    """`total` split over `parts` with some variation, summing exactly to `total`."""
    if parts <= 0:
        return []
    weights = [max(0.05, rng.gauss(1.0, spread)) for _ in range(parts)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in rng.sample(range(parts), min(parts, total - sum(counts))):
        counts[i] += 1
    return counts


class _Clock:
    def __init__(self, out: Callable[[str], None] | None):
        self.out = out
        self.started = time.perf_counter()
        self.last = self.started

    def step(self, label: str, count: int) -> None:
        now = time.perf_counter()
        if self.out:
            self.out(f"  {label:<28} {count:>10,}   {now - self.last:7.1f} s")
        self.last = now


# -- the base the history stands on ---------------------------------------------------------------------


def _base(rng: random.Random):
    from huiyi.accounts.models import OrgUnit, Role, User
    from huiyi.clients.models import Client
    from huiyi.projects.models import MeetingType
    from huiyi.rulebook.services import active_version

    units = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.DEPARTMENT, is_active=True))
    if not units:
        company = OrgUnit.objects.create(
            code="history", name={"zh-hans": "会务集团", "en": "Meetings group"}, kind=OrgUnit.Kind.COMPANY
        )
        units = [
            OrgUnit.objects.create(
                code=f"history-{n}",
                name={"zh-hans": f"会务{c}部", "en": f"Events {n}"},
                kind=OrgUnit.Kind.DEPARTMENT,
                parent=company,
            )
            for n, c in enumerate("一二三", start=1)
        ]
    clients = list(Client.objects.all()[:400])
    if len(clients) < 40:
        kinds = [k for k, _label in Client.Kind.choices]
        taken = set(Client.objects.values_list("name", flat=True))
        names = [f"{city}{trade}有限公司" for city in _CITIES for trade in _TRADES]
        names = [n for n in names if n not in taken]
        clients += Client.objects.bulk_create(
            Client(name=name, name_en="", kind=rng.choice(kinds), org_unit=rng.choice(units))
            for name in rng.sample(names, min(80, len(names)))
        )
    staff = list(User.objects.filter(is_active=True).exclude(username="admin").order_by("pk"))
    if not staff:
        staff = [
            User.objects.create_user(username=f"history.staff{n}", password=None, first_name=f"员工{n}")
            for n in range(1, 21)
        ]
    return {
        "units": units,
        "clients": clients,
        "types": list(MeetingType.objects.filter(is_active=True)) or list(MeetingType.objects.all()),
        "staff": staff,
        "manager_role": Role.objects.filter(key="project_manager").first(),
        "version": active_version(),
    }


_CITIES = ("北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "苏州", "天津", "重庆")
_TRADES = ("科技", "医药", "能源", "教育", "文化", "金融", "物流", "汽车", "建设", "传媒")
_TOPICS = (
    "年度工作会议",
    "学术研讨会",
    "产品发布会",
    "行业论坛",
    "培训交流会",
    "董事会",
    "合作伙伴大会",
    "技术峰会",
)
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"  # one character each: rng.choice picks one
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


# -- the history ------------------------------------------------------------------------------------------


def generate(plan: Plan = Plan(), *, out: Callable[[str], None] | None = print, today=None) -> dict[str, int]:
    """Write ``plan``'s history ending a week before ``today``; returns what was created, by kind."""
    from huiyi.rulebook.services import rulebook_of

    rng = random.Random(plan.seed)
    clock = _Clock(out)
    base = _base(rng)
    rulebook = rulebook_of(base["version"])
    today = today or timezone.localdate()
    counts: dict[str, int] = {}
    with transaction.atomic():
        projects = _projects(plan, base, rng, today)
        counts["projects"] = len(projects)
        clock.step("meeting projects", len(projects))
        counts["tasks"] = _tasks(projects, base, rng)
        clock.step("execution tasks", counts["tasks"])
    # The big tables each in their own transactions, in chunks: memory stays flat at millions of rows.
    counts["attendees"], counts["checkins"] = _attendees(plan, projects, rng)
    clock.step("attendees (+tickets)", counts["attendees"])
    clock.step("check-ins", counts["checkins"])
    with transaction.atomic():
        counts["responses"] = _surveys(plan, projects, rulebook, rng)
        clock.step("survey responses", counts["responses"])
        counts["complaints"] = _complaints(plan, projects, rulebook, rng)
        clock.step("complaints", counts["complaints"])
        counts["ccp_results"], counts["nonconformances"] = _results(plan, projects, base, rulebook, rng)
        clock.step("control-point results", counts["ccp_results"])
        counts["incidents"] = _incidents(plan, projects, base, rng)
        clock.step("incidents (incl. drills)", counts["incidents"])
        counts["improvement_actions"] = _improvements(projects, base, rng)
        clock.step("improvement actions", counts["improvement_actions"])
        counts.update(_training(plan, base, rng, today))
    # What the ten-minute job records of every survey whose collection ended (read by the KPIs).
    from huiyi.feedback.surveys.services import record_final_counts

    clock.step("survey figures recorded", record_final_counts())
    # Millions of rows were just bulk-inserted: refresh the planner's statistics now, as autovacuum would
    # some minutes later (seen: the KPI dashboard's scores query took minutes on the unanalysed tables).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    clock.step("planner statistics (ANALYZE)", 0)
    if out:
        out(f"  {'total':<28} {sum(counts.values()):>10,}   {time.perf_counter() - clock.started:7.1f} s")
    return counts


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _last_history_number(year: int) -> int:
    """The highest history number used in ``year`` (history codes count from 1001, after the hand-made ones),
    so that a second run — the demo's year, then five more for a benchmark — continues the sequence."""
    from huiyi.projects.models import MeetingProject

    prefix = f"HY-{year}-"
    numbers = [
        int(code.removeprefix(prefix))
        for code in MeetingProject.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        if code.removeprefix(prefix).isdigit()
    ]
    return max([1000, *(n for n in numbers if n > 1000)])


def _projects(plan: Plan, base, rng: random.Random, today: datetime.date):
    from huiyi.projects.models import MeetingProject, Phase, ProjectMember

    first = today - datetime.timedelta(days=365 * plan.years)
    span = (today - datetime.timedelta(days=7) - first).days
    days = sorted(first + datetime.timedelta(days=rng.randrange(span)) for _ in range(plan.meetings))
    numbers: dict[int, int] = {}
    rows = []
    reasons = [r for r in MeetingProject.OutOfScope.values if r]
    for day in days:
        numbers[day.year] = numbers.get(day.year) or _last_history_number(day.year)
        numbers[day.year] += 1
        start = _at(day, rng.choice((9, 9, 10, 13, 14)))
        hours = rng.choice((3, 4, 8, 8, 24, 32, 56))
        client = rng.choice(base["clients"])
        rows.append(
            MeetingProject(
                code=f"HY-{day.year}-{numbers[day.year]:04d}",
                name=f"{client.name.removesuffix('有限公司')[:12]}{rng.choice(_TOPICS)}",
                name_en=f"Meeting {day.year}-{numbers[day.year]:04d}",
                client=client,
                org_unit=rng.choice(base["units"]),
                meeting_type=rng.choice(base["types"]),
                phase=Phase.values[-1],
                start=start,
                end=start + datetime.timedelta(hours=hours),
                venue_name=f"{rng.choice(_CITIES)}国际会议中心",
                expected_attendees=max(
                    10, int(plan.attendees / max(plan.meetings, 1) * rng.uniform(0.5, 1.5))
                ),
                out_of_scope=rng.choice(reasons)
                if reasons and rng.random() < plan.out_of_scope_share
                else "",
                closed_at=start + datetime.timedelta(hours=hours, days=rng.randint(5, 30)),
                rulebook_version=base["version"],
            )
        )
    projects = _insert(MeetingProject, rows, 1000)
    if base["manager_role"] is not None:
        _insert(
            ProjectMember,
            (
                ProjectMember(project=p, user=rng.choice(base["staff"]), role=base["manager_role"])
                for p in projects
            ),
        )
    return projects


def _tasks(projects, base, rng: random.Random) -> int:
    from huiyi.projects.preparation.models import Task

    def rows():
        for project in projects:
            for number in range(1, rng.randint(5, 10)):
                due = project.start - datetime.timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 8))
                late = rng.random() < 0.04
                done_at = due + (
                    datetime.timedelta(hours=rng.randint(2, 72))
                    if late
                    else -datetime.timedelta(hours=rng.randint(1, 96))
                )
                yield Task(
                    project=project,
                    number=number,
                    title=f"执行任务 {number}",
                    owner=rng.choice(base["staff"]),
                    due=due,
                    done_criterion="按方案完成",
                    status=Task.Status.DONE,
                    done_at=done_at,
                )

    return len(_insert(Task, rows()))


def _attendees(plan: Plan, projects, rng: random.Random) -> tuple[int, int]:
    from huiyi.onsite.attendees.models import Attendee, Category, Ticket
    from huiyi.onsite.checkin.models import CheckIn

    categories = [Category.GUEST] * 14 + [Category.VIP, Category.SPEAKER, Category.PRESS, Category.STAFF]
    per_project = _spread(plan.attendees, len(projects), rng)
    attendees = checkins = 0
    # ~50,000 attendees per transaction: a crash loses at most the chunk in flight, never a half-written row.
    group: list = []
    group_size = 0
    for project, count in zip(projects, per_project, strict=True):
        group.append((project, count))
        group_size += count
        if group_size >= 50_000 or project is projects[-1]:
            with transaction.atomic():
                a, c = _attendee_chunk(group, categories, plan, rng, Attendee, Ticket, CheckIn)
            attendees += a
            checkins += c
            group, group_size = [], 0
    return attendees, checkins


def _attendee_chunk(group, categories, plan, rng, Attendee, Ticket, CheckIn):  # noqa: N803 (model classes)
    rows = []
    for project, count in group:
        for n in range(count):
            rows.append(
                Attendee(
                    project=project,
                    external_key=f"gen-{n}",
                    name=rng.choice(_SURNAMES) + rng.choice(_GIVEN) + (rng.choice(_GIVEN) if n % 3 else ""),
                    organisation=project.client.name[:60],
                    category=rng.choice(categories),
                )
            )
    created = _insert(Attendee, rows)
    tickets = _insert(Ticket, (Ticket(attendee=a, project_id=a.project_id) for a in created))
    starts = {p.pk: p.start for p, _count in group}
    checkins = _insert(
        CheckIn,
        (
            CheckIn(
                ticket=t,
                project_id=t.project_id,
                checked_in_at=(at := starts[t.project_id] - datetime.timedelta(minutes=rng.randint(-20, 60))),
                created_at=at,
                device=f"gate-{rng.randint(1, 6)}",
            )
            for t in tickets
            if rng.random() < plan.checked_in_share
        ),
    )
    return len(created), len(checkins)


def _score(rng: random.Random, low: int, high: int, mood: float) -> Decimal:
    """A weighted satisfaction score on the rulebook's scale, mostly high, a mood per meeting."""
    value = min(high, max(low, rng.gauss(high - 0.6 + mood, 0.45)))
    return Decimal(str(round(value, 2)))


def _surveys(plan: Plan, projects, rulebook, rng: random.Random) -> int:
    from huiyi.feedback.surveys import services as surveys
    from huiyi.feedback.surveys.models import Audience, Response, Survey

    low, high = (int(v) for v in rulebook.rule("fbk.survey.answer_scale").value)
    templates = {a: surveys.default_template(a) for a in (Audience.ATTENDEES, Audience.CLIENT)}
    rows = []
    for project in projects:
        for audience, template in templates.items():
            rows.append(
                Survey(
                    project=project,
                    template=template,
                    audience=audience,
                    opens_at=project.end - datetime.timedelta(hours=1),
                    closes_at=project.end + datetime.timedelta(days=3),
                    analysed_at=project.closed_at,
                )
            )
    created = _insert(Survey, rows, 1000)
    by_project: dict[int, dict[str, Survey]] = {}
    for survey in created:
        by_project.setdefault(survey.project_id, {})[survey.audience] = survey
    per_project = _spread(max(0, plan.responses - len(projects)), len(projects), rng)

    def responses():
        for project, count in zip(projects, per_project, strict=True):
            mood = rng.uniform(-0.5, 0.3)
            for audience, number in ((Audience.ATTENDEES, count), (Audience.CLIENT, 1)):
                survey = by_project[project.pk][audience]
                for _ in range(number):
                    at = project.end + datetime.timedelta(hours=rng.randint(0, 70))
                    yield Response(
                        survey=survey,
                        source=Response.Source.PUBLIC,
                        submitted_at=at,
                        updated_at=at,
                        score=_score(rng, low, high, mood),
                    )

    return len(_insert(Response, responses()))


def _complaints(plan: Plan, projects, rulebook, rng: random.Random) -> int:
    from huiyi.feedback.complaints.models import Channel, Complaint

    severities = [
        r.applies_to["complaint_severity"]
        for r in rulebook.rules
        if "complaint_severity" in r.applies_to and r.id.endswith(".response")
    ]
    weights = [0.8, 0.17, 0.03][: len(severities)] or [1]
    channels = [c for c, _label in Channel.choices]
    per_project = _spread(plan.complaints, len(projects), rng, spread=1.0)

    def rows():
        for project, count in zip(projects, per_project, strict=True):
            for _ in range(count):
                received = project.start + datetime.timedelta(hours=rng.randint(1, 96))
                responded = received + datetime.timedelta(minutes=rng.randint(10, 600))
                resolved = responded + datetime.timedelta(hours=rng.randint(2, 90))
                yield Complaint(
                    project=project,
                    channel=rng.choice(channels),
                    content="参会体验问题(历史数据)",
                    severity=rng.choices(severities, weights)[0] if severities else "minor",
                    received_at=received,
                    status=Complaint.Status.CLOSED,
                    responded_at=responded,
                    resolved_at=resolved,
                    closed_at=resolved + datetime.timedelta(hours=rng.randint(1, 48)),
                    resolution="已处理并与投诉人确认",
                    confirmed_by_name="投诉人",
                    confirmed_at=resolved,
                )

    return len(_insert(Complaint, rows()))


def _value(rule, passed: bool, rng: random.Random):
    """A measured value on the right side of the rule's threshold (reads the rule; sets no number)."""
    value = rule.value
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    if rule.unit == "boolean" or rule.op == "==":
        return Decimal(str(value)) if passed else Decimal(str(value + (1 if value == 0 else -value)))
    step = abs(value) * rng.uniform(0.02, 0.3) or rng.uniform(0.5, 3)
    if passed and rule.op in (">=", "<=") and rng.random() < 0.3:
        step = 0  # exactly on the line
    upward = (rule.op in (">=", ">")) == passed
    measured = value + step if upward else value - step
    if rule.unit == "ratio":
        measured = min(1.0, max(0.0, measured))
    return Decimal(str(round(measured, 4)))


def _results(plan: Plan, projects, base, rulebook, rng: random.Random) -> tuple[int, int]:
    from huiyi.quality.models import ControlPointResult, Nonconformance, Severity

    per_cp: dict[str, list] = {}
    for rule in rulebook.rules:
        if rule.control_point and isinstance(rule.value, int | float):
            per_cp.setdefault(rule.control_point, []).append(rule)
    points = sorted(per_cp)
    per_project = max(1, round(plan.ccp_results / max(len(projects), 1)))
    results, failures = [], []
    for project in projects:
        evaluated = project.end + datetime.timedelta(days=rng.randint(1, 10))
        weak = rng.random() < 0.15
        for index in range(per_project):
            rule = rng.choice(per_cp[points[index % len(points)]])
            passed = rng.random() > (0.25 if weak else 0.05)
            value = _value(rule, passed, rng)
            row = ControlPointResult(
                project=project,
                control_point=rule.control_point,
                rule_id=rule.id,
                name=rule.name.as_dict(),
                req=rule.req,
                clause=rule.clause,
                metric=rule.metric,
                value=value,
                op=rule.op,
                threshold=rule.value,
                unit=rule.unit,
                verdict=ControlPointResult.Verdict.PASS if passed else ControlPointResult.Verdict.FAIL,
                source="history",
                rulebook_version=base["version"],
                evaluated_at=evaluated,
            )
            results.append(row)
            if not passed:
                failures.append(row)

    def nonconformance(result):
        still_open = rng.random() < 0.1
        return Nonconformance(
            project=result.project,
            source=Nonconformance.Source.CCP,
            control_point=result.control_point,
            rule_id=result.rule_id,
            req=result.req,
            clause=result.clause,
            severity=Severity.MINOR,
            description={"zh-hans": "控制点未达标(历史数据)", "en": "Control point missed (history)"},
            status=Nonconformance.Status.OPEN if still_open else Nonconformance.Status.CLOSED,
            opened_at=result.evaluated_at,
            closed_at=None
            if still_open
            else result.evaluated_at + datetime.timedelta(days=rng.randint(2, 15)),
        )

    nonconformances = _insert(Nonconformance, (nonconformance(r) for r in failures))
    for row, nc in zip(failures, nonconformances, strict=True):
        row.nonconformance = nc
    latest = {(row.project.pk, row.rule_id): row for row in results}  # one evaluation time per project
    for row in latest.values():
        row.is_current = True
    return len(_insert(ControlPointResult, results)), len(nonconformances)


def _incidents(plan: Plan, projects, base, rng: random.Random) -> int:
    from huiyi.incidents.models import Incident, IncidentType, Level

    types = [t for t, _label in IncidentType.choices]
    levels, weights = [Level.IV, Level.III, Level.II, Level.I], [0.7, 0.22, 0.07, 0.01]

    def rows():
        for project in projects:
            if rng.random() >= plan.incident_share:
                continue
            for number in range(1, rng.choice((2, 2, 2, 3))):
                occurred = project.start + datetime.timedelta(minutes=rng.randint(10, 400))
                level = rng.choices(levels, weights)[0]
                yield Incident(
                    project=project,
                    number=number,
                    type=rng.choice(types),
                    place="主会场",
                    occurred_at=occurred,
                    reported_at=occurred + datetime.timedelta(minutes=rng.randint(1, 6)),
                    reporter=rng.choice(base["staff"]),
                    impact="现场短暂受影响(历史数据)",
                    suggested_level=level,
                    level=level,
                    is_drill=rng.random() < 0.06,
                    status=Incident.Status.CLOSED,
                    responded_at=occurred + datetime.timedelta(minutes=rng.randint(2, 20)),
                    resolved_at=occurred + datetime.timedelta(minutes=rng.randint(20, 180)),
                    closed_at=occurred + datetime.timedelta(hours=rng.randint(3, 30)),
                    resolution="已处置",
                )

    return len(_insert(Incident, rows()))


def _improvements(projects, base, rng: random.Random) -> int:
    from huiyi.feedback.improvement.models import Category, ImprovementAction

    categories = [c for c, _label in Category.choices]

    def rows():
        for project in projects:
            if rng.random() >= 0.3:
                continue
            for number in range(1, rng.choice((2, 2, 3))):
                deadline = project.end.date() + datetime.timedelta(days=rng.randint(10, 40))
                done = rng.random() < 0.82
                yield ImprovementAction(
                    project=project,
                    number=number,
                    problem="会后反馈中发现的问题(历史数据)",
                    action="优化对应服务流程",
                    category=rng.choice(categories),
                    owner=rng.choice(base["staff"]),
                    deadline=deadline,
                    expected_effect="同类问题不再发生",
                    status=ImprovementAction.Status.DONE if done else ImprovementAction.Status.IN_PROGRESS,
                    done_at=_at(deadline - datetime.timedelta(days=rng.randint(-5, 9)), 17) if done else None,
                )

    return len(_insert(ImprovementAction, rows()))


def _training(plan: Plan, base, rng: random.Random, today: datetime.date) -> dict[str, int]:
    if not plan.training:
        return {}
    try:
        from huiyi.people import scale as people_scale
    except ImportError:
        return {}
    generate_training = getattr(people_scale, "generate", None)
    if generate_training is None:
        return {}
    start = today - datetime.timedelta(days=365 * plan.years)
    return dict(generate_training(start, plan.years, base["staff"], rng) or {})


def estimate_seconds(plan: Plan) -> float:
    """A rough guide printed before a big run (about 40,000 rows a second with bulk inserts)."""
    rows = (
        plan.meetings * 12 + plan.attendees * (2 + plan.checked_in_share) + plan.responses + plan.complaints
    )
    return math.ceil(rows / 40_000)

"""Reads of people: who sees whom, the training plan's figures and the capability measures (REQ-PPL-02, 03).

Coverage of a module in a period = staff of its target roles who attended a session of it in the period /
staff of its target roles. A module counts in the overall coverage of a period at least as long as its cycle
(a yearly module is not due within one month). Pass rate = assessments scored at or above the session's pass
mark / assessments scored. Overdue = the module's cycle (rulebook ``ppl.training.<module>``) has elapsed since
the person's last attended session of it (or they never attended one). Every figure is one SQL aggregation.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from huiyi.accounts.models import OrgMembership, OrgUnit, User
from huiyi.core.translation import localize
from huiyi.quality import formulas

from .models import Certification, ModuleAttendance, ModulePlan, ModuleSession, PeerFeedback

RATE_PLACES = Decimal("0.0001")

TRAINING_METRIC = "training_module_cycle"
PASS_MARK_RULE = "ppl.training.pass_mark"  # noqa: S105 (a rule id)
COVERAGE_RULE = "ppl.training.coverage"
PASS_RATE_RULE = "ppl.training.pass_rate"  # noqa: S105 (a rule id)
EXPIRY_RULE = "ppl.certification.expiry_warning"
REVIEW_RULE = "ppl.review.period"

PERIOD_KINDS = ("month", "quarter", "year")


def _rulebook(rulebook=None):
    if rulebook is not None:
        return rulebook
    from huiyi.rulebook.services import active_rulebook

    return active_rulebook()


# ------------------------------------------------------------------------------------------------------
# dates


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def period_bounds(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The month, quarter or year containing ``day``, as [start, end)."""
    if kind == "month":
        start = day.replace(day=1)
        return start, add_months(start, 1)
    if kind == "quarter":
        start = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return start, add_months(start, 3)
    start = dt.date(day.year, 1, 1)
    return start, dt.date(day.year + 1, 1, 1)


def months_in(start: dt.date, end: dt.date) -> int:
    """Whole calendar months a period [start, end) spans, a started month counting as one."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months + (1 if end.day > start.day else 0)


# ------------------------------------------------------------------------------------------------------
# who sees whom


def staff() -> QuerySet[User]:
    """Active users who hold a role somewhere (the staff of the organisation)."""
    return User.objects.filter(is_active=True).filter(
        Exists(OrgMembership.objects.filter(user=OuterRef("pk")))
    )


def sees_everyone(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm("people.view_staffprofile"))


def managed_unit_paths(user) -> list[str]:
    """Paths of the units where ``user`` holds a role that lets them see their unit's staff."""
    if not user.is_authenticated or not user.has_perm("people.view_unit_staff"):
        return []
    return list(OrgMembership.objects.filter(user=user).values_list("org_unit__path", flat=True).distinct())


def _in_paths(paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        units = OrgUnit.objects.filter(path__startswith=path).values("pk")
        condition |= Q(org_unit__in=units) | Exists(
            OrgMembership.objects.filter(user=OuterRef("pk"), org_unit__in=units)
        )
    return condition


def visible_staff(user) -> QuerySet[User]:
    """Everyone for HR and the quality officer; a manager's units (with sub-units); else only oneself."""
    if not user.is_authenticated:
        return User.objects.none()
    if sees_everyone(user):
        return staff()
    paths = managed_unit_paths(user)
    condition = Q(pk=user.pk)
    if paths:
        condition |= _in_paths(paths)
    return User.objects.filter(is_active=True).filter(condition)


def in_units_of(viewer, subject) -> bool:
    paths = managed_unit_paths(viewer)
    return bool(paths) and User.objects.filter(pk=subject.pk).filter(_in_paths(paths)).exists()


def staff_list(user, *, unit=None, role: str = "", text: str = "", certificates: str = "", today=None):
    """The staff ``user`` sees, filtered; with profile, units and roles for the list page."""
    today = today or timezone.localdate()
    people = visible_staff(user)
    if unit is not None:
        people = people.filter(_in_paths([unit.path]))
    if role:
        people = people.filter(Exists(OrgMembership.objects.filter(user=OuterRef("pk"), role__key=role)))
    if text:
        people = people.filter(
            Q(username__icontains=text)
            | Q(display_name__icontains=text)
            | Q(staff__job_title__icontains=text)
        )
    if certificates == "expired":
        people = people.filter(
            Exists(Certification.objects.filter(profile__user=OuterRef("pk"), expires_on__lt=today))
        )
    elif certificates == "expiring":
        lead = expiry_lead_days()
        people = people.filter(
            Exists(
                Certification.objects.filter(
                    profile__user=OuterRef("pk"),
                    expires_on__gte=today,
                    expires_on__lte=today + dt.timedelta(days=lead),
                )
            )
        )
    return (
        people.select_related("staff", "org_unit")
        .prefetch_related("memberships__role", "memberships__org_unit")
        .order_by("username")
    )


# ------------------------------------------------------------------------------------------------------
# certifications


def expiry_lead_days(rulebook=None) -> int:
    return int(_rulebook(rulebook).value(EXPIRY_RULE))


def certificate_state(cert: Certification, today: dt.date, lead_days: int) -> str:
    """``expired``, ``expiring`` (within the rulebook's lead time), ``valid`` or ``permanent``."""
    if cert.expires_on is None:
        return "permanent"
    if cert.expires_on < today:
        return "expired"
    if cert.expires_on <= today + dt.timedelta(days=lead_days):
        return "expiring"
    return "valid"


def expiring_certificates(today: dt.date, rulebook=None) -> QuerySet[Certification]:
    lead = expiry_lead_days(rulebook)
    return Certification.objects.filter(
        expires_on__lte=today + dt.timedelta(days=lead), profile__user__is_active=True
    ).select_related("profile__user")


# ------------------------------------------------------------------------------------------------------
# the training plan


@dataclass
class Module:
    key: str
    rule: Any  # the rulebook rule ppl.training.<key>
    plan: ModulePlan

    @property
    def name(self) -> str:
        return localize(self.rule.name.as_dict())

    @property
    def cycle_months(self) -> int:
        return int(self.rule.value)

    @property
    def method_labels(self) -> list[str]:
        from .models import Method

        labels = dict(Method.choices)
        return [str(labels.get(m, m)) for m in self.plan.methods]

    @property
    def role_labels(self) -> list[str]:
        return role_names(self.plan.target_roles)


def role_names(keys) -> list[str]:
    from huiyi.accounts.models import Role

    names = {r.key: str(r) for r in Role.objects.filter(key__in=keys)}
    return [names.get(k, k) for k in keys]


def modules(rulebook=None) -> list[Module]:
    """The rulebook's training modules in file order, with this organisation's plan for each."""
    rulebook = _rulebook(rulebook)
    rules = [r for r in rulebook.rules_where(metric=TRAINING_METRIC) if r.applies_to.get("module")]
    plans = {
        p.module: p for p in ModulePlan.objects.filter(module__in=[r.applies_to["module"] for r in rules])
    }
    return [
        Module(
            r.applies_to["module"],
            r,
            plans.get(r.applies_to["module"]) or ModulePlan(module=r.applies_to["module"]),
        )
        for r in rules
    ]


def module_map(rulebook=None) -> dict[str, Module]:
    return {m.key: m for m in modules(rulebook)}


def pass_mark(rulebook=None) -> Decimal:
    return Decimal(str(_rulebook(rulebook).value(PASS_MARK_RULE)))


def target_staff(module: Module, people: QuerySet[User] | None = None) -> QuerySet[User]:
    """Staff a module is for: holders of its target roles (every staff member when none is set)."""
    people = staff() if people is None else people
    roles = module.plan.target_roles
    if roles:
        people = people.filter(Exists(OrgMembership.objects.filter(user=OuterRef("pk"), role__key__in=roles)))
    return people


def _attended(module_key: str, start: dt.date | None = None, end: dt.date | None = None):
    rows = ModuleAttendance.objects.filter(user=OuterRef("pk"), attended=True, session__module=module_key)
    if start is not None:
        rows = rows.filter(session__held_on__gte=start)
    if end is not None:
        rows = rows.filter(session__held_on__lt=end)
    return rows


def rate(part: int, whole: int) -> Decimal | None:
    """``part / whole`` to four places through the standard's ratio formula; None when nothing was counted."""
    value = formulas.ratio(part, whole, empty=None)
    return None if value is None else value.quantize(RATE_PLACES)


@dataclass
class ModuleFigures:
    module: Module
    target: int
    trained: int
    scored: int
    passed: int
    due_in_period: bool
    sessions: int = 0

    @property
    def coverage(self) -> Decimal | None:
        return rate(self.trained, self.target)

    @property
    def pass_rate(self) -> Decimal | None:
        return rate(self.passed, self.scored)


@dataclass
class PlanFigures:
    start: dt.date
    end: dt.date
    modules: list[ModuleFigures] = field(default_factory=list)

    @property
    def counted(self) -> list[ModuleFigures]:
        return [m for m in self.modules if m.due_in_period]

    @property
    def target(self) -> int:
        return sum(m.target for m in self.counted)

    @property
    def trained(self) -> int:
        return sum(m.trained for m in self.counted)

    @property
    def coverage(self) -> Decimal | None:
        return rate(self.trained, self.target)

    @property
    def scored(self) -> int:
        return sum(m.scored for m in self.modules)

    @property
    def passed(self) -> int:
        return sum(m.passed for m in self.modules)

    @property
    def pass_rate(self) -> Decimal | None:
        return rate(self.passed, self.scored)


def plan_figures(
    start: dt.date, end: dt.date, *, people: QuerySet[User] | None = None, rulebook=None
) -> PlanFigures:
    """Coverage and pass rate per module over [start, end) (REQ-PPL-03), one query per module + one."""
    figures = PlanFigures(start, end)
    span = months_in(start, end)
    scores = ModuleAttendance.objects.filter(
        attended=True, score__isnull=False, session__held_on__gte=start, session__held_on__lt=end
    )
    sessions = ModuleSession.objects.filter(held_on__gte=start, held_on__lt=end)
    if people is not None:
        scores = scores.filter(user__in=people.values("pk"))
    by_module = {
        row["session__module"]: row
        for row in scores.values("session__module")
        .annotate(scored=Count("pk"), passed=Count("pk", filter=Q(score__gte=F("session__pass_mark"))))
        .order_by()
    }
    session_counts = dict(sessions.values_list("module").annotate(n=Count("pk")).order_by())
    for module in modules(rulebook):
        counts = target_staff(module, people).aggregate(
            target=Count("pk"), trained=Count("pk", filter=Exists(_attended(module.key, start, end)))
        )
        row = by_module.get(module.key, {})
        figures.modules.append(
            ModuleFigures(
                module=module,
                target=counts["target"],
                trained=counts["trained"],
                scored=row.get("scored", 0),
                passed=row.get("passed", 0),
                due_in_period=module.cycle_months <= span,
                sessions=session_counts.get(module.key, 0),
            )
        )
    return figures


@dataclass
class OverdueRow:
    user: User
    module: Module
    last: dt.date | None
    due: dt.date | None


def overdue(
    today: dt.date | None = None, *, people: QuerySet[User] | None = None, rulebook=None
) -> list[OverdueRow]:
    """Who is overdue for which module: its cycle has elapsed since their last attended session."""
    today = today or timezone.localdate()
    rows: list[OverdueRow] = []
    for module in modules(rulebook):
        cutoff = add_months(today, -module.cycle_months)
        late = list(
            target_staff(module, people)
            .exclude(Exists(_attended(module.key, start=cutoff)))
            .order_by("username")
        )
        lasts = dict(
            ModuleAttendance.objects.filter(
                user__in=[u.pk for u in late], attended=True, session__module=module.key
            )
            .values_list("user")
            .annotate(last=Max("session__held_on"))
            .order_by()
        )
        for user in late:
            last = lasts.get(user.pk)
            due = add_months(last, module.cycle_months) if last else None
            rows.append(OverdueRow(user, module, last, due))
    return rows


def person_modules(user: User, today: dt.date | None = None, rulebook=None) -> list[dict]:
    """The modules a person is a target of, with their last session, next due date and whether overdue."""
    today = today or timezone.localdate()
    lasts = dict(
        ModuleAttendance.objects.filter(user=user, attended=True)
        .values_list("session__module")
        .annotate(last=Max("session__held_on"))
        .order_by()
    )
    role_keys = set(OrgMembership.objects.filter(user=user).values_list("role__key", flat=True))
    rows = []
    for module in modules(rulebook):
        if module.plan.target_roles and not role_keys & set(module.plan.target_roles):
            continue
        last = lasts.get(module.key)
        due = add_months(last, module.cycle_months) if last else None
        rows.append({"module": module, "last": last, "due": due, "overdue": due is None or due < today})
    return rows


def person_sessions(user: User):
    return (
        ModuleAttendance.objects.filter(user=user)
        .select_related("session")
        .order_by("-session__held_on", "-session__pk")
    )


def person_meeting_trainings(user: User):
    """The pre-meeting trainings (REQ-PRE-02) the person was listed for, from projects.preparation."""
    from huiyi.projects.preparation.models import TrainingAttendance

    return (
        TrainingAttendance.objects.filter(user=user)
        .select_related("session__project")
        .order_by("-session__held_at", "-pk")
    )


def session_list(*, module: str = "", start: dt.date | None = None, end: dt.date | None = None):
    sessions = ModuleSession.objects.all()
    if module:
        sessions = sessions.filter(module=module)
    if start:
        sessions = sessions.filter(held_on__gte=start)
    if end:
        sessions = sessions.filter(held_on__lt=end)
    return sessions.annotate(
        attendees=Count("attendances", filter=Q(attendances__attended=True)),
        scored=Count("attendances", filter=Q(attendances__attended=True, attendances__score__isnull=False)),
        passed=Count(
            "attendances",
            filter=Q(attendances__attended=True, attendances__score__gte=F("pass_mark")),
        ),
    ).order_by("-held_on", "-pk")


def peer_feedback(user: User, start: dt.date | None = None, end: dt.date | None = None):
    rows = PeerFeedback.objects.filter(subject=user).select_related("created_by", "project")
    if start:
        rows = rows.filter(given_on__gte=start)
    if end:
        rows = rows.filter(given_on__lt=end)
    return rows

"""The training KPIs on the KPI dashboard (REQ-PPL-03, REQ-QLT-09): coverage and pass rate of the plan.

Both are computed by ``queries.plan_figures`` with SQL aggregations over the dashboard's period, for the staff
of the chosen units (every unit the viewer may see otherwise); the breakdown is per module.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from huiyi.quality.kpis.registry import Kpi, KpiValue, register, shared

from . import queries


def _people(scope):
    people = queries.staff() if scope.user is None else queries.visible_staff(scope.user)
    if scope.org_unit_ids is not None:
        from huiyi.accounts.models import OrgMembership

        people = people.filter(
            pk__in=OrgMembership.objects.filter(org_unit_id__in=scope.org_unit_ids).values("user_id")
        )
    return people


def _figures(scope):
    # coverage and pass rate read the same plan figures: once per dashboard (registry.shared)
    return shared(
        ("people.plan_figures", scope),
        lambda: queries.plan_figures(scope.start, scope.end, people=_people(scope)),
    )


def training_coverage(scope) -> KpiValue:
    figures = _figures(scope)
    breakdown = {
        m.module.key: {
            "name": m.module.rule.name.as_dict(),
            "target": m.target,
            "trained": m.trained,
            "coverage": None if m.coverage is None else str(m.coverage),
            "counted": m.due_in_period,
            "cycle_months": m.module.cycle_months,
        }
        for m in figures.modules
    }
    if not figures.target:
        return KpiValue(None, breakdown=breakdown)
    return KpiValue(figures.coverage, figures.trained, figures.target, breakdown)


def training_pass_rate(scope) -> KpiValue:
    figures = _figures(scope)
    breakdown = {
        m.module.key: {
            "name": m.module.rule.name.as_dict(),
            "scored": m.scored,
            "passed": m.passed,
            "pass_rate": None if m.pass_rate is None else str(m.pass_rate),
        }
        for m in figures.modules
    }
    if not figures.scored:
        return KpiValue(None, breakdown=breakdown)
    return KpiValue(figures.pass_rate, figures.passed, figures.scored, breakdown)


#: What the plan figures count (none belongs to a meeting: a change forgets every kept training figure).
READS = (
    "people.ModulePlan",
    "people.ModuleSession",
    "people.ModuleAttendance",
    "people.StaffProfile",
    "accounts.OrgMembership",
)


def drill(scope) -> str:
    query = {"start": scope.start.isoformat(), "end": scope.end.isoformat()}
    return f"{reverse('people:sessions')}?{urlencode(query)}"


register(
    Kpi(
        "training_coverage",
        _("Training coverage"),
        compute=training_coverage,
        unit="ratio",
        target_rule=queries.COVERAGE_RULE,
        group="people",
        order=80,
        drill=drill,
        reads=READS,
    )
)
register(
    Kpi(
        "training_pass_rate",
        _("Training pass rate"),
        compute=training_pass_rate,
        unit="ratio",
        target_rule=queries.PASS_RATE_RULE,
        group="people",
        order=81,
        drill=drill,
        reads=READS,
    )
)

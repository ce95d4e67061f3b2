"""Reads of the KPI dashboard (REQ-QLT-09): figures per KPI with target, verdict and trend, for a user.

A user sees the KPIs over the projects they may see (``projects.queries.visible_projects``); asking for an
organisational unit they cannot see is refused with the reason (:class:`UnitNotVisible`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from huiyi.accounts.models import OrgMembership, OrgUnit
from huiyi.clients.models import Client
from huiyi.projects.models import MeetingType
from huiyi.projects.queries import visible_unit_ids
from huiyi.rulebook.display import format_value
from huiyi.rulebook.services import active_rulebook

from . import periods, registry, stored
from .registry import Kpi, KpiValue, Scope

PASS, FAIL, NONE = "pass", "fail", "none"


class UnitNotVisible(PermissionError):
    """The user asked for an organisational unit whose projects they may not see; str() is the reason."""


class FilterError(ValueError):
    """A filter value that is not a known record; str() names the field."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


@dataclass
class Filters:
    org_unit: OrgUnit | None = None
    client: Client | None = None
    meeting_type: MeetingType | None = None

    def as_params(self) -> dict[str, Any]:
        params = {}
        if self.org_unit:
            params["org_unit"] = self.org_unit.pk
        if self.client:
            params["client"] = self.client.pk
        if self.meeting_type:
            params["meeting_type"] = self.meeting_type.pk
        return params


def unit_ids_for(user) -> set[int]:
    """Units a user may filter by: those whose projects they see and the units they belong to (a manager's
    own unit — the figures stay limited to the projects they see)."""
    own = OrgMembership.objects.filter(user=user).values_list("org_unit_id", flat=True)
    return set(visible_unit_ids(user)) | set(own)


def units_for(user):
    """Units the user may filter by: every unit for a superuser, else :func:`unit_ids_for`."""
    if user is None or user.is_superuser:
        return OrgUnit.objects.order_by("path")
    return OrgUnit.objects.filter(pk__in=unit_ids_for(user)).order_by("path")


def _pk(value, field_name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise FilterError(
            field_name, _("“%(value)s” is not a valid choice.") % {"value": str(value)[:40]}
        ) from None


def parse_filters(params, user) -> Filters:
    """Filters from query parameters: an unknown id is a FilterError, an unseen unit UnitNotVisible."""
    filters = Filters()
    unit_id = _pk(params.get("org_unit"), "org_unit")
    if unit_id is not None:
        unit = OrgUnit.objects.filter(pk=unit_id).first()
        if unit is None:
            raise FilterError("org_unit", _("There is no organisational unit %(id)s.") % {"id": unit_id})
        if user is not None and not user.is_superuser and unit.pk not in unit_ids_for(user):
            raise UnitNotVisible(
                _("You do not see the projects of %(unit)s: your roles cover other units.") % {"unit": unit}
            )
        filters.org_unit = unit
    client_id = _pk(params.get("client"), "client")
    if client_id is not None:
        filters.client = Client.objects.filter(pk=client_id).first()
        if filters.client is None:
            raise FilterError("client", _("There is no client %(id)s.") % {"id": client_id})
    type_id = _pk(params.get("meeting_type"), "meeting_type")
    if type_id is not None:
        filters.meeting_type = MeetingType.objects.filter(pk=type_id).first()
        if filters.meeting_type is None:
            raise FilterError("meeting_type", _("There is no meeting type %(id)s.") % {"id": type_id})
    return filters


def scope_for(period: periods.Period, filters: Filters, user) -> Scope:
    unit_ids = None
    if filters.org_unit is not None:
        unit_ids = tuple(filters.org_unit.subtree().values_list("pk", flat=True))
    return Scope(
        start=period.start,
        end=period.end,
        org_unit_ids=unit_ids,
        client_id=filters.client.pk if filters.client else None,
        meeting_type_id=filters.meeting_type.pk if filters.meeting_type else None,
        user=user,
    )


@dataclass
class Target:
    rule_id: str
    op: str
    value: Any
    text: str
    rule: Any = None


@dataclass
class Figure:
    """One KPI on the dashboard: its value, target, verdict and trend."""

    kpi: Kpi
    value: KpiValue
    target: Target | None
    verdict: str
    trend: list[tuple[periods.Period, KpiValue]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.kpi.key

    @property
    def shown(self) -> str:
        return show(self.value.value, self.kpi.unit)


def show(value, unit: str) -> str:
    """A KPI value as people read it: ratios as percentages, rates and scores with two decimals."""
    if value is None:
        return "—"
    value = Decimal(str(value))
    if unit == "ratio":
        return f"{(value * 100).quantize(Decimal('0.1'))} %"
    if unit == "count":
        return f"{int(value)}"
    return f"{value.quantize(Decimal('0.01'))}"


def target_of(kpi: Kpi, rulebook=None) -> Target | None:
    if not kpi.target_rule:
        return None
    rulebook = rulebook or active_rulebook()
    if kpi.target_rule not in rulebook:
        return None
    rule = rulebook.rule(kpi.target_rule)
    return Target(rule.id, rule.op, rule.value, format_value(rule), rule)


def verdict_of(value: KpiValue, target: Target | None) -> str:
    if not value.has_data or target is None or target.rule is None:
        return NONE
    return PASS if target.rule.passes(value.value) else FAIL


def trend_of(kpi: Kpi, scope: Scope, period: periods.Period, length: int | None = None):
    """The figures of ``period`` and the ones before it: those of ended periods kept (``stored``) are read,
    the others computed (in one grouped query when the KPI has a trend function) and kept when ended."""
    wanted = period.trend(length)
    known = stored.read(kpi, scope, wanted)
    missing = [p for p in wanted if p not in known]
    if missing:
        if kpi.trend is not None:
            values = kpi.trend(scope, missing)
        else:
            values = [kpi.compute(dataclasses.replace(scope, start=p.start, end=p.end)) for p in missing]
        computed = dict(zip(missing, values, strict=True))
        stored.keep(kpi, scope, computed)
        known.update(computed)
    return [(p, known[p]) for p in wanted]


def figure(kpi: Kpi, scope: Scope, period: periods.Period, *, trend: bool = True, rulebook=None) -> Figure:
    trend_values = trend_of(kpi, scope, period) if trend else []
    if trend_values and kpi.trend_gives_value and trend_values[-1][0] == period:
        value = trend_values[-1][1]  # the period is the trend's last bucket: no second query
        if kpi.details is not None and value.has_data:
            value = kpi.details(scope, value)
    else:
        value = kpi.compute(scope)
    target = target_of(kpi, rulebook)
    return Figure(kpi=kpi, value=value, target=target, verdict=verdict_of(value, target), trend=trend_values)


def dashboard(scope: Scope, period: periods.Period, *, trend: bool = True) -> list[Figure]:
    """Every registered KPI (built-in and contributed by other apps) for the scope."""
    rulebook = active_rulebook()
    with registry.one_pass():
        return [figure(kpi, scope, period, trend=trend, rulebook=rulebook) for kpi in registry.kpis()]


def figure_dict(item: Figure) -> dict[str, Any]:
    """The API's and exports' shape of a figure."""

    def number(value):
        return None if value is None else str(value)

    target = item.target
    return {
        "key": item.key,
        "label": str(item.kpi.label),
        "unit": item.kpi.unit,
        "req": item.kpi.req,
        "higher_is_better": item.kpi.higher_is_better,
        "value": number(item.value.value),
        "shown": item.shown,
        "numerator": number(item.value.numerator),
        "denominator": number(item.value.denominator),
        "target": None
        if target is None
        else {"rule": target.rule_id, "op": target.op, "value": target.value, "text": target.text},
        "verdict": item.verdict,
        "breakdown": {str(k): v for k, v in item.value.breakdown.items()},
        "trend": [
            {
                "period": p.key,
                "value": number(v.value),
                "numerator": number(v.numerator),
                "denominator": number(v.denominator),
            }
            for p, v in item.trend
        ],
    }

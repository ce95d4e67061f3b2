"""KPIs contributed by the apps that hold their records (REQ-QLT-09, REQ-GEN-04).

An app registers each of its KPIs from its AppConfig.ready()::

    from huiyi.quality.kpis.registry import Kpi, register
    register(Kpi("training_coverage", _("Training coverage"), compute=queries.training_coverage_kpi,
                 unit="ratio", target_rule="ppl.training.coverage", group="people", order=80))

``compute(scope)`` receives a :class:`Scope` (the period and filters chosen on the dashboard) and returns a
:class:`KpiValue`, computed with SQL aggregations (no Python loop over rows). It returns ``KpiValue(None)``
when there is nothing to count, so the dashboard shows "no data" rather than a zero presented as a fact.
Out-of-scope meetings (REQ-GEN-02) and drills are excluded by the computing function, using
``Scope.projects()``. ``drill(scope)`` returns the URL of a page listing exactly the records counted.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Scope:
    """What a dashboard or an API call asks for: a period [start, end) and optional filters."""

    start: datetime.date
    end: datetime.date  # exclusive
    org_unit_ids: tuple[int, ...] | None = None  # None: every unit the user may see
    client_id: int | None = None
    meeting_type_id: int | None = None
    user: Any = None  # whose view this is (for visibility); None only in scheduled jobs with a full view

    def projects(self):
        """Meeting projects counted in this scope: in the period (by start), in scope of the standard."""
        from huiyi.quality.kpis.scope import projects_in_scope

        return projects_in_scope(self)


@dataclass(frozen=True)
class KpiValue:
    value: Decimal | float | int | None
    numerator: Decimal | float | int | None = None
    denominator: Decimal | float | int | None = None
    breakdown: dict[str, Any] = field(default_factory=dict)  # e.g. per control point, per level, per module

    @property
    def has_data(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Column:
    """A column of a drill-down table: ``unit`` ``ratio`` is shown as a percentage."""

    key: str
    label: Any
    unit: str = ""


@dataclass(frozen=True)
class DrillRows:
    """The records a KPI counted (REQ-QLT-09 drill-down): a queryset (paginated by the page) and how one of
    its items becomes a row: a dict with ``label``, ``url`` and a value per column key."""

    columns: list[Column]
    rows: Any  # a QuerySet or a list
    to_row: Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class Kpi:
    key: str
    label: Any  # lazy translated string
    compute: Callable[[Scope], KpiValue]
    unit: str = "ratio"  # ratio, score, count, per_100, hours, days
    target_rule: str | None = None  # rulebook rule id whose op/value is the target
    group: str = "quality"
    order: int = 50
    drill: Callable[[Scope], str] | None = None
    higher_is_better: bool = True
    #: ``trend(scope, periods)`` → one KpiValue per period (oldest first), in one grouped query; without it
    #: the dashboard calls ``compute`` once per period.
    trend: Callable[[Scope, list], list[KpiValue]] | None = None
    #: ``rows(scope)`` → :class:`DrillRows`, the records counted with each one's contribution.
    rows: Callable[[Scope], DrillRows] | None = None
    description: Any = ""
    req: str = "REQ-QLT-09"
    #: True when the trend's last period gives the same value as ``compute`` for that period (grouped by
    #: the same definition): the dashboard then reads the value from the trend and adds ``details``.
    trend_gives_value: bool = False
    #: ``details(scope, value)`` → the value with what ``compute`` adds beyond the trend (its breakdown).
    details: Callable[[Scope, KpiValue], KpiValue] | None = None
    #: The models whose rows it counts (classes or "app_label.Model"; the meeting projects always): only a
    #: KPI that declares them has the figures of ended periods kept (``stored``), forgotten when one changes.
    reads: tuple = ()


_KPIS: dict[str, Kpi] = {}


def register(kpi: Kpi) -> None:
    _KPIS[kpi.key] = kpi


def kpis() -> list[Kpi]:
    return sorted(_KPIS.values(), key=lambda k: (k.order, k.key))


def get(key: str) -> Kpi:
    return _KPIS[key]


# -- reads shared by the KPIs of one dashboard ---------------------------------------------------------------

_SHARED: contextvars.ContextVar[dict | None] = contextvars.ContextVar("kpi_shared_reads", default=None)


@contextlib.contextmanager
def one_pass():
    """Within this block, KPIs that read the same figures (Q, S, E and P read the same per-project scores)
    share one query: :func:`shared` keeps each result for the block only, so nothing outlives the request."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def shared(key, read: Callable[[], Any]) -> Any:
    """``read()``, once per ``key`` inside :func:`one_pass` (every time outside it)."""
    memo = _SHARED.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]

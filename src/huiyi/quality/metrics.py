"""The metric registry: how a criterion of the rulebook is measured from a project's records.

A rule names a ``metric`` (``budget_deviation``); the evaluator asks this registry for the project's value.
A metric function takes ``(project, rulebook)`` and returns a :class:`Measurement` (value + the evidence it
used) or :class:`NotMeasurable` (with the reason). The numbers it is compared with never appear here: the
evaluator reads them from the project's pinned rulebook.

Resolution order for a metric key (:func:`measure`):

1. a registered computation, if it returns a :class:`Measurement`;
2. otherwise the latest :class:`~huiyi.quality.models.ManualMeasurement` of that metric (a value a person
   entered, counted as measured with its author);
3. otherwise the computation's own :class:`NotMeasurable`, or ``NotMeasurable("No record yet.")``.

Registering a metric from another app
-------------------------------------
Put the functions in ``<app>/metrics.py`` and import that module from the app's ``AppConfig.ready()``::

    # src/huiyi/feedback/metrics.py
    from huiyi.quality.metrics import Measurement, NotMeasurable, metric
    from huiyi.quality import formulas

    @metric("client_satisfaction_rate")        # S of REQ-GEN-04
    def client_satisfaction_rate(project, rulebook):
        answered = Survey.objects.filter(project=project, closed=True)
        if not answered.exists():
            return NotMeasurable(_("No closed satisfaction survey yet."))
        satisfied, clients = ...
        return Measurement(
            value=formulas.satisfaction_rate(satisfied, clients),
            evidence={"surveys": [...], "satisfied": satisfied, "clients": clients},
        )

    # src/huiyi/feedback/apps.py
    def ready(self):
        from . import metrics  # noqa: F401  (registers the metrics)

A key can be registered once; registering it again raises (``replace=True`` is for tests). A metric that
raises :class:`~huiyi.quality.formulas.FormulaError` is reported as not measurable with the error's message.
Evidence must be JSON-serialisable (it is stored with the result).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from . import formulas
from .models import ManualMeasurement

__all__ = [
    "Measurement",
    "NotMeasurable",
    "metric",
    "registry",
    "is_registered",
    "measure",
    "measure_many",
    "latest_manual",
    "SOURCE_COMPUTED",
    "SOURCE_MANUAL",
]

SOURCE_COMPUTED = "computed"
SOURCE_MANUAL = "manual"
#: Shown as evidence of the budget deviation (translated when displayed).
BUDGET_FORMULA = gettext_noop("|planned − budget| / budget")


@dataclass(frozen=True)
class Measurement:
    """A measured value with the evidence it came from. ``author`` is set for values a person entered."""

    value: Decimal
    evidence: dict[str, Any] = field(default_factory=dict)
    source: str = SOURCE_COMPUTED
    author: Any = None
    measured_at: datetime | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.value, Decimal):
            object.__setattr__(self, "value", Decimal(str(self.value)))


@dataclass(frozen=True)
class NotMeasurable:
    """Nothing to measure yet; ``reason`` says why (a translatable string)."""

    reason: Any


MetricFunction = Callable[[Any, Any], Measurement | NotMeasurable]
_REGISTRY: dict[str, MetricFunction] = {}


def metric(key: str, *, replace: bool = False) -> Callable[[MetricFunction], MetricFunction]:
    """Register ``function(project, rulebook)`` as the computation of metric ``key``."""

    def register(function: MetricFunction) -> MetricFunction:
        existing = _REGISTRY.get(key)
        same = existing is not None and (
            existing is function
            or (existing.__module__, existing.__qualname__) == (function.__module__, function.__qualname__)
        )
        if existing is not None and not (replace or same):
            raise ImproperlyConfigured(
                f"metric {key!r} is already registered by {existing.__module__}.{existing.__qualname__}"
            )
        _REGISTRY[key] = function
        return function

    return register


def unregister(key: str) -> None:
    """Remove a registration (tests)."""
    _REGISTRY.pop(key, None)


def registry() -> Mapping[str, MetricFunction]:
    return MappingProxyType(_REGISTRY)


def is_registered(key: str) -> bool:
    return key in _REGISTRY


def latest_manual(project, keys: Iterable[str] | None = None) -> dict[str, ManualMeasurement]:
    """The latest manual measurement per metric of ``project`` (one query)."""
    newest = ManualMeasurement.objects.filter(
        project=OuterRef("project"), metric=OuterRef("metric")
    ).order_by("-measured_at", "-pk")
    rows = ManualMeasurement.objects.filter(project=project, pk=Subquery(newest.values("pk")[:1]))
    if keys is not None:
        rows = rows.filter(metric__in=list(keys))
    return {row.metric: row for row in rows.select_related("author")}


def from_manual(row: ManualMeasurement) -> Measurement:
    evidence: dict[str, Any] = {
        "manual_measurement": row.pk,
        "measured_at": row.measured_at.isoformat(),
        "author": str(row.author),
    }
    if row.note:
        evidence["note"] = row.note
    if row.inputs:
        evidence["inputs"] = row.inputs
    return Measurement(
        value=row.value,
        evidence=evidence,
        source=SOURCE_MANUAL,
        author=row.author,
        measured_at=row.measured_at,
    )


def measure(
    key: str, project, rulebook, *, manual: Mapping[str, ManualMeasurement] | None = None
) -> Measurement | NotMeasurable:
    """The project's value of metric ``key`` (see the module docstring for the order)."""
    function = _REGISTRY.get(key)
    outcome: Measurement | NotMeasurable | None = None
    if function is not None:
        try:
            outcome = function(project, rulebook)
        except formulas.FormulaError as error:
            outcome = NotMeasurable(str(error))
        if isinstance(outcome, Measurement):
            return outcome
    if manual is None:
        manual = latest_manual(project, [key])
    if key in manual:
        return from_manual(manual[key])
    if isinstance(outcome, NotMeasurable):
        return outcome
    return NotMeasurable(_("No record yet."))


def measure_many(project, rulebook, keys: Iterable[str]) -> dict[str, Measurement | NotMeasurable]:
    """Measure several metrics with one query for the manual values."""
    keys = list(dict.fromkeys(keys))
    manual = latest_manual(project, keys)
    return {key: measure(key, project, rulebook, manual=manual) for key in keys}


# ------------------------------------------------------------------------------------------------------
# Metrics computable from what exists today. Later capabilities register theirs from their own apps.


@metric("budget_deviation")
def budget_deviation(project, rulebook) -> Measurement | NotMeasurable:
    """REQ-PLN-03 (§3.2 CCP 2): |planned cost − client budget| / client budget.

    Computed from the planned cost and the client budget of the latest budget entry (a manual
    measurement with ``inputs`` ``planned`` and ``budget``). A plain value entered without the amounts
    falls back to the manual value.
    """
    row = latest_manual(project, ["budget_deviation"]).get("budget_deviation")
    if row is None or not {"planned", "budget"} <= set(row.inputs or {}):
        return NotMeasurable(_("No planned cost and client budget recorded yet."))
    planned = Decimal(str(row.inputs["planned"]))
    budget = Decimal(str(row.inputs["budget"]))
    value = formulas.budget_deviation(planned, budget)
    measured = from_manual(row)
    evidence = {
        **measured.evidence,
        "planned": str(planned),
        "budget": str(budget),
        "formula": BUDGET_FORMULA,
    }
    return Measurement(
        value=value, evidence=evidence, source=SOURCE_MANUAL, author=row.author, measured_at=row.measured_at
    )

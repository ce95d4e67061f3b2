"""KPI figures of ended periods, kept as trend points (issue 9: a year's dashboard with its five-year trends
on 10,000 meetings must not recount five years of records on every view).

A dashboard asks for the figures of the chosen period and the periods before it. Those that have ended
(``settled``) are read from :class:`~.models.StoredFigure` when kept, and kept when computed. A stored figure
is read only

* for the same KPI, period, filters and view (``scope_key``: the superuser's and the scheduled jobs' whole
  view is shared; anyone else's is their own, as it depends on the projects and people they see);
* under the rulebook version it was computed with (its digest: the rules set satisfaction lines and targets);
* while younger than ``settings.HUIYI_KPI_STORED_HOURS`` (default 24): what no signal reports — a task of
  an ended period falling due, a bulk update — is at most that old.

A change to a record a KPI counts forgets at once the figures it can alter: a KPI declares the models it
reads (``Kpi.reads``); a saved or deleted row of one of them forgets that KPI's figures for the year, quarter
and month its meeting starts in (every period when the row belongs to no meeting). A change of who sees what
(team or unit membership) forgets every personal view. The nightly job (``tasks``) computes the whole
view's dashboards again, so the first visitor of the day does not wait.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from . import periods, registry
from .registry import Kpi, KpiValue, Scope

WHOLE_VIEW = "all"
#: Models whose rows decide who sees which projects and people (a personal view's figures depend on them).
VISIBILITY_MODELS = ("accounts.OrgMembership", "projects.ProjectMember")
PROJECT_MODEL = "projects.MeetingProject"


def view_of(user) -> str:
    if user is None or user.is_superuser:
        return WHOLE_VIEW
    return f"user:{user.pk}"


def scope_key(scope: Scope) -> str:
    units = ",".join(str(pk) for pk in sorted(scope.org_unit_ids)) if scope.org_unit_ids is not None else "*"
    if len(units) > 40:  # a large subtree: its digest (the key stays short and indexable)
        import hashlib

        units = "#" + hashlib.sha256(units.encode()).hexdigest()[:16]
    return f"{view_of(scope.user)}|u={units}|c={scope.client_id or '*'}|t={scope.meeting_type_id or '*'}"


def settled(period: periods.Period, today: dt.date | None = None) -> bool:
    """A period that has ended: its figures change only when a record of it changes."""
    return period.end <= (today or timezone.localdate())


def storable(kpi: Kpi) -> bool:
    return bool(kpi.reads)


def max_age() -> dt.timedelta:
    return dt.timedelta(hours=settings.HUIYI_KPI_STORED_HOURS)


def _rulebook_digest() -> str:
    from huiyi.rulebook.services import active_version

    return active_version().digest


# -- reading and keeping ----------------------------------------------------------------------------------


def encode(value: KpiValue) -> dict:
    def one(number):
        if number is None:
            return None
        kind = "i" if isinstance(number, int) else "f" if isinstance(number, float) else "d"
        return [kind, str(number)]

    return {
        "value": one(value.value),
        "numerator": one(value.numerator),
        "denominator": one(value.denominator),
    }


def decode(figures: dict) -> KpiValue:
    def one(item):
        if item is None:
            return None
        kind, text = item
        return int(text) if kind == "i" else float(text) if kind == "f" else Decimal(text)

    return KpiValue(one(figures["value"]), one(figures["numerator"]), one(figures["denominator"]))


def _kept_for(scope: Scope, wanted: tuple[periods.Period, ...]) -> dict[tuple[str, str], KpiValue]:
    """Every KPI's kept figures of the scope for these periods, in one query per dashboard."""
    from .models import StoredFigure

    def read():
        rows = StoredFigure.objects.filter(
            scope=scope_key(scope),
            rulebook=_rulebook_digest(),
            period__in=[p.key for p in wanted],
            computed_at__gt=timezone.now() - max_age(),
        ).values_list("kpi", "period", "figures")
        return {(kpi, period): decode(figures) for kpi, period, figures in rows}

    return registry.shared(("stored", scope_key(scope), wanted), read)


def read(kpi: Kpi, scope: Scope, wanted: list[periods.Period]) -> dict[periods.Period, KpiValue]:
    """The kept figures of ``kpi`` among ``wanted`` (settled periods only)."""
    ended = tuple(p for p in wanted if settled(p))
    if not storable(kpi) or not ended:
        return {}
    kept = _kept_for(scope, ended)
    return {p: kept[(kpi.key, p.key)] for p in ended if (kpi.key, p.key) in kept}


def keep(kpi: Kpi, scope: Scope, computed: dict[periods.Period, KpiValue]) -> None:
    """Keep the figures of the settled periods among ``computed``."""
    from .models import StoredFigure

    rows = {p: v for p, v in computed.items() if settled(p)}
    if not storable(kpi) or not rows:
        return
    key, digest, now = scope_key(scope), _rulebook_digest(), timezone.now()
    StoredFigure.objects.bulk_create(
        [
            StoredFigure(
                kpi=kpi.key, period=p.key, scope=key, rulebook=digest, figures=encode(v), computed_at=now
            )
            for p, v in rows.items()
        ],
        update_conflicts=True,
        unique_fields=["kpi", "period", "scope", "rulebook"],
        update_fields=["figures", "computed_at"],
    )


# -- forgetting ---------------------------------------------------------------------------------------------


def period_keys(day: dt.date) -> list[str]:
    return [periods.containing(day, kind).key for kind in (periods.YEAR, periods.QUARTER, periods.MONTH)]


_BATCH: contextvars.ContextVar[set | None] = contextvars.ContextVar("kpis_forget_batch", default=None)


@contextlib.contextmanager
def batched():
    """Within this block, forgetting is gathered and done once when it ends normally: an evaluation that
    records forty results of one meeting deletes once, not forty times. When the block raises, its
    transaction is rolled back, so nothing it changed needs forgetting."""
    pending: set = set()
    token = _BATCH.set(pending)
    try:
        yield
    finally:
        _BATCH.reset(token)
    for kpis, days, personal_only in pending:
        forget(kpis, days=days, personal_only=personal_only)


def forget(kpis=None, *, days=None, personal_only: bool = False) -> int:
    """Forget kept figures: of these KPI keys (all when None), of the periods containing ``days`` (every
    period when None); only the personal views' with ``personal_only``."""
    from .models import StoredFigure

    pending = _BATCH.get()
    if pending is not None:
        pending.add(
            (
                None if kpis is None else frozenset(kpis),
                None if days is None else frozenset(days),
                personal_only,
            )
        )
        return 0
    rows = StoredFigure.objects.all()
    if kpis is not None:
        rows = rows.filter(kpi__in=list(kpis))
    if days is not None:
        keys = {key for day in days if day is not None for key in period_keys(day)}
        if not keys:
            return 0
        rows = rows.filter(period__in=keys)
    if personal_only:
        rows = rows.exclude(scope__startswith=f"{WHOLE_VIEW}|")
    return rows.delete()[0]


def forget_projects(project_ids, kpis=None) -> int:
    """Forget the figures the records of these meetings count in (a bulk change no signal reports)."""
    from huiyi.projects.models import MeetingProject

    starts = MeetingProject.objects.filter(pk__in=list(project_ids)).values_list("start", flat=True)
    return forget(kpis, days={timezone.localdate(start) for start in starts})


@functools.cache
def _readers() -> dict[type, frozenset[str]]:
    """Model class → keys of the KPIs that read it (every storable KPI reads the meeting projects)."""
    found: dict[type, set[str]] = {}
    for kpi in registry.kpis():
        if not storable(kpi):
            continue
        for model in {*kpi.reads, PROJECT_MODEL}:
            model = apps.get_model(model) if isinstance(model, str) else model
            found.setdefault(model, set()).add(kpi.key)
    return {model: frozenset(keys) for model, keys in found.items()}


@functools.cache
def _visibility_models() -> tuple[type, ...]:
    return tuple(apps.get_model(label) for label in VISIBILITY_MODELS)


def _meeting_day(instance) -> dt.date | None:
    from huiyi.projects.models import MeetingProject

    project = instance._state.fields_cache.get("project")  # loaded with the row: no query
    if project is not None and project.pk == instance.project_id:
        return timezone.localdate(project.start)
    start = MeetingProject.objects.filter(pk=instance.project_id).values_list("start", flat=True).first()
    return None if start is None else timezone.localdate(start)


def _remember_old_start(sender, instance, raw=False, **kwargs):
    if raw or sender is not apps.get_model(PROJECT_MODEL) or instance.pk is None:
        return
    old = type(instance).objects.filter(pk=instance.pk).values_list("start", flat=True).first()
    instance._kpi_old_start = old


def _changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if sender in _visibility_models():
        forget(personal_only=True)
    kpis = _readers().get(sender)
    if not kpis:
        return
    if sender is apps.get_model(PROJECT_MODEL):
        starts = {instance.start, getattr(instance, "_kpi_old_start", None)}
        forget(kpis, days={timezone.localdate(s) for s in starts if s is not None})
    elif getattr(instance, "project_id", None) is not None:
        day = _meeting_day(instance)
        forget(kpis, days=None if day is None else {day})
    else:
        forget(kpis)


def connect() -> None:
    """Listen to every model's changes (filtered by ``_readers``: KPIs of any app are registered by then)."""
    pre_save.connect(_remember_old_start, dispatch_uid="kpis.stored.old_start")
    post_save.connect(_changed, dispatch_uid="kpis.stored.saved")
    post_delete.connect(_changed, dispatch_uid="kpis.stored.deleted")

"""State changes of kpis: the monthly report's setting and sending the report (REQ-QLT-09)."""

from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from huiyi.accounts.models import Role, User
from huiyi.core.audit import record_event
from huiyi.core.notifications import notify

from . import exports, periods, queries
from .models import MonthlyReport, MonthlyReportSetting


def current_setting() -> MonthlyReportSetting:
    setting = MonthlyReportSetting.objects.order_by("pk").first()
    if setting is None:
        setting = MonthlyReportSetting.objects.create(roles=["quality_officer", "project_director"])
    return setting


@transaction.atomic
def update_setting(*, by, enabled: bool, roles: list[str], language: str) -> MonthlyReportSetting:
    if not by.has_perm("kpis.settings"):
        raise PermissionDenied(_("Only the quality officer changes who receives the monthly report."))
    known = set(Role.objects.values_list("key", flat=True))
    unknown = sorted(set(roles) - known)
    if unknown:
        raise ValidationError({"roles": _("Unknown roles: %(roles)s.") % {"roles": ", ".join(unknown)}})
    setting = MonthlyReportSetting.objects.select_for_update().filter(pk=current_setting().pk).get()
    setting.enabled, setting.roles, setting.language, setting.updated_by = (
        enabled,
        sorted(set(roles)),
        language,
        by,
    )
    setting.save()
    return setting


def recipients(setting: MonthlyReportSetting):
    return (
        User.objects.filter(is_active=True, memberships__role__key__in=setting.roles)
        .distinct()
        .order_by("pk")
        if setting.roles
        else User.objects.none()
    )


def report_title(period: periods.Period) -> str:
    return _("KPI report %(period)s") % {"period": period.label}


def render(period: periods.Period, *, kind: str = "pdf", user=None, filters=None) -> bytes:
    filters = filters or queries.Filters()
    scope = queries.scope_for(period, filters, user)
    figures = queries.dashboard(scope, period)
    title = report_title(period)
    subtitle = _("Meetings starting %(start)s – %(end)s, out-of-scope meetings and drills excluded") % {
        "start": period.start.isoformat(),
        "end": (period.end - dt.timedelta(days=1)).isoformat(),
    }
    if filters.org_unit:
        subtitle += f" · {filters.org_unit}"
    build = exports.pdf if kind == "pdf" else exports.xlsx
    return build(figures, scope, title=title, subtitle=subtitle)


def is_first_working_day(day: dt.date) -> bool:
    from huiyi.calendar.services import build_schedule

    schedule = build_schedule()
    if not schedule.is_working_day(day):
        return False
    return not any(schedule.is_working_day(day.replace(day=d)) for d in range(1, day.day))


def send_monthly_report(*, today: dt.date | None = None, force: bool = False) -> MonthlyReport | None:
    """On the first working day of a month, the previous month's PDF to the chosen roles (once per month)."""
    today = today or timezone.localdate()
    setting = current_setting()
    if not setting.enabled or (not force and not is_first_working_day(today)):
        return None
    period = periods.month_before(today)
    with translation.override(setting.language):
        report = MonthlyReport.objects.filter(period=period.key).first()
        if report is None:
            content = render(period)
            with transaction.atomic():
                report = MonthlyReport(period=period.key, language=setting.language)
                report.file.save(f"kpis-{period.key}.pdf", ContentFile(content), save=False)
                report.save()
                record_event(
                    report, None, {"monthly_report": [None, period.key]}, action=LogEntry.Action.CREATE
                )
        url = reverse("kpis:monthly_report", args=[report.pk])
        people = list(recipients(setting))
        for person in people:
            notify(
                person,
                report_title(period),
                body=_("The KPI report of %(period)s is ready (PDF).") % {"period": period.label},
                url=url,
                kind="kpis.monthly_report",
                dedupe_key=f"kpis-monthly-{period.key}-{person.pk}",
            )
        MonthlyReport.objects.filter(pk=report.pk).update(recipients=len(people))
    return report


def refresh_stored_figures(*, today: dt.date | None = None) -> int:
    """Compute the whole view's dashboards of the current year, quarter and month with their trends, so the
    ended periods' figures are kept fresh (``stored``) before anyone looks; drop the expired ones. Returns
    how many figures are kept afterwards."""
    from . import stored
    from .models import StoredFigure

    today = today or timezone.localdate()
    StoredFigure.objects.filter(computed_at__lte=timezone.now() - stored.max_age()).delete()
    for kind in (periods.YEAR, periods.QUARTER, periods.MONTH):
        period = periods.containing(today, kind)
        scope = queries.scope_for(period, queries.Filters(), None)
        queries.dashboard(scope, period)
    return StoredFigure.objects.count()

"""Pages of the KPI dashboard (REQ-QLT-09): dashboard, drill-down, exports, monthly report setting."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from huiyi.clients.queries import visible_clients
from huiyi.core.forms import apply_service_errors
from huiyi.projects.models import MeetingType

from . import periods, queries, registry, services
from .forms import MonthlyReportForm
from .models import MonthlyReport

DRILL_PAGE_SIZE = 50
VERDICT_CLASSES = {queries.PASS: "success", queries.FAIL: "danger", queries.NONE: "secondary"}


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _refused(request, reason: str):
    return render(request, "kpis/refused.html", {"reason": reason}, status=403)


def _context(request):
    """Period and filters from the query string, or an error message (shown on the page, status 400)."""
    default = str(timezone.localdate().year)
    try:
        period = periods.parse(request.GET.get("period") or default)
    except periods.PeriodError as error:
        return None, None, str(error)
    try:
        filters = queries.parse_filters(request.GET, request.user)
    except queries.FilterError as error:
        return period, None, str(error)
    return period, filters, ""


def _query(period, filters) -> str:
    return urlencode({"period": period.key, **filters.as_params()})


def _choices(request):
    return {
        "units": queries.units_for(request.user),
        "clients": visible_clients(request.user).order_by("name"),
        "meeting_types": MeetingType.objects.order_by("pk"),
    }


def _chart(item: queries.Figure) -> dict:
    factor = 100 if item.kpi.unit == "ratio" else 1
    target = item.target.value if item.target and isinstance(item.target.value, int | float) else None
    return {
        "id": f"chart-{item.key}",
        "labels": [p.key for p, _v in item.trend],
        "values": [None if v.value is None else round(float(v.value) * factor, 2) for _p, v in item.trend],
        "target": None if target is None else round(float(target) * factor, 2),
        "unit": "%" if item.kpi.unit == "ratio" else "",
    }


@login_required
def dashboard(request):
    _require(request, "kpis.dashboard")
    try:
        period, filters, error = _context(request)
    except queries.UnitNotVisible as refused:
        return _refused(request, str(refused))
    context = {"error": error, "period": period, "filters": filters, **_choices(request)}
    if error:
        context["period_text"] = request.GET.get("period", "")
        return render(request, "kpis/dashboard.html", context, status=400)
    scope = queries.scope_for(period, filters, request.user)
    figures = queries.dashboard(scope, period)
    context.update(
        figures=[(f, VERDICT_CLASSES[f.verdict]) for f in figures],
        charts=[_chart(f) for f in figures],
        query=_query(period, filters),
        period_text=period.key,
        can_export=request.user.has_perm("kpis.export"),
        can_configure=request.user.has_perm("kpis.settings"),
    )
    return render(request, "kpis/dashboard.html", context)


@login_required
def detail(request, key: str):
    _require(request, "kpis.dashboard")
    try:
        kpi = registry.get(key)
    except KeyError:
        raise Http404 from None
    try:
        period, filters, error = _context(request)
    except queries.UnitNotVisible as refused:
        return _refused(request, str(refused))
    if error:
        return render(request, "kpis/detail.html", {"kpi": kpi, "error": error}, status=400)
    if kpi.rows is None and kpi.drill is not None:
        return redirect(kpi.drill(queries.scope_for(period, filters, request.user)))
    scope = queries.scope_for(period, filters, request.user)
    item = queries.figure(kpi, scope, period)
    table = kpi.rows(scope) if kpi.rows else None
    page = rows = None
    if table is not None:
        page = Paginator(table.rows, DRILL_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [table.to_row(r) for r in page.object_list]
    return render(
        request,
        "kpis/detail.html",
        {
            "kpi": kpi,
            "item": item,
            "verdict_class": VERDICT_CLASSES[item.verdict],
            "chart": [_chart(item)],
            "table": table,
            "rows": rows,
            "page": page,
            "period": period,
            "query": _query(period, filters),
            "back": reverse("kpis:dashboard") + "?" + _query(period, filters),
        },
    )


@login_required
def export(request, kind: str):
    _require(request, "kpis.export")
    try:
        period, filters, error = _context(request)
    except queries.UnitNotVisible as refused:
        return _refused(request, str(refused))
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    content = services.render(period, kind=kind, user=request.user, filters=filters)
    if kind == "pdf":
        response = HttpResponse(content, content_type="application/pdf")
    else:
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="kpis-{period.key}.{kind}"'
    return response


@login_required
def monthly_settings(request):
    _require(request, "kpis.settings")
    setting = services.current_setting()
    initial = {"enabled": setting.enabled, "roles": setting.roles, "language": setting.language}
    form = MonthlyReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_setting(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("kpis:settings")
    reports = MonthlyReport.objects.all()[:24]
    return render(request, "kpis/settings.html", {"form": form, "setting": setting, "reports": reports})


@login_required
def monthly_report(request, pk: int):
    _require(request, "kpis.dashboard")
    report = get_object_or_404(MonthlyReport, pk=pk)
    # The report covers the whole organisation: its recipients and the quality officer open it.
    if not (
        request.user.has_perm("kpis.settings")
        or services.recipients(services.current_setting()).filter(pk=request.user.pk).exists()
    ):
        raise PermissionDenied
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=f"kpis-{report.period}.pdf")

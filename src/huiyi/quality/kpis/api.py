"""GET /api/v1/kpis/ (REQ-QLT-09): the dashboard's figures — value, numerator, denominator, target, verdict,
trend and breakdown of every registered KPI — for a period and filters, over the projects the caller sees."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from huiyi.api.errors import error_response

from . import periods, queries


class TargetSerializer(serializers.Serializer):
    rule = serializers.CharField()
    op = serializers.CharField()
    value = serializers.JSONField()
    text = serializers.CharField()


class TrendPointSerializer(serializers.Serializer):
    period = serializers.CharField()
    value = serializers.CharField(allow_null=True)
    numerator = serializers.CharField(allow_null=True)
    denominator = serializers.CharField(allow_null=True)


class KpiFigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    req = serializers.CharField()
    higher_is_better = serializers.BooleanField()
    value = serializers.CharField(
        allow_null=True, help_text="Decimal string; ratios as fractions; null = no data"
    )
    shown = serializers.CharField()
    numerator = serializers.CharField(allow_null=True)
    denominator = serializers.CharField(allow_null=True)
    target = TargetSerializer(allow_null=True)
    verdict = serializers.CharField(help_text="pass, fail or none (no target or no data)")
    breakdown = serializers.DictField(child=serializers.JSONField())
    trend = TrendPointSerializer(many=True)


class KpiDashboardSerializer(serializers.Serializer):
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(help_text="exclusive")
    results = KpiFigureSerializer(many=True)


class KpiDashboardView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="kpis_list",
        parameters=[
            OpenApiParameter("period", str, description="2026, 2026-Q3 or 2026-07 (default: this year)"),
            OpenApiParameter("org_unit", int, description="organisational unit (with its sub-units)"),
            OpenApiParameter("client", int),
            OpenApiParameter("meeting_type", int),
            OpenApiParameter("trend", bool, description="include the trend (default true)"),
        ],
        responses={
            200: KpiDashboardSerializer,
            400: inline_serializer("KpiError", {"error": serializers.DictField()}),
        },
    )
    def get(self, request):
        if not request.user.has_perm("kpis.dashboard"):
            return error_response(
                "permission_denied", _("You do not have permission to see the KPIs."), status_code=403
            )
        from django.utils import timezone

        try:
            period = periods.parse(request.query_params.get("period") or str(timezone.localdate().year))
        except periods.PeriodError as error:
            return error_response("invalid", str(error), fields={"period": [str(error)]})
        try:
            filters = queries.parse_filters(request.query_params, request.user)
        except queries.UnitNotVisible as error:
            return error_response(
                "permission_denied", str(error), fields={"org_unit": [str(error)]}, status_code=403
            )
        except queries.FilterError as error:
            return error_response("invalid", str(error), fields={error.field: [str(error)]})
        trend = request.query_params.get("trend", "true").lower() not in ("0", "false", "no")
        scope = queries.scope_for(period, filters, request.user)
        figures = queries.dashboard(scope, period, trend=trend)
        return Response(
            {
                "period": period.key,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "results": [queries.figure_dict(f) for f in figures],
            }
        )

"""Quality API: the what-if check, a project's quality (results and scores), nonconformances."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from huiyi.api.errors import error_response
from huiyi.projects.models import MeetingProject
from huiyi.rulebook.services import active_rulebook, active_version, rulebook_for

from . import checks, queries, scoring, services
from .models import ControlPointResult, CorrectiveAction, Nonconformance, Severity

TRANSLATED = serializers.DictField(child=serializers.CharField())


class CheckRequestSerializer(serializers.Serializer):
    control_point = serializers.CharField(help_text="CCP-01 … CCP-12")
    values = serializers.DictField(help_text="metric → number (ratios as fractions: 5 % is 0.05)")
    project = serializers.IntegerField(required=False, help_text="use this project's pinned rulebook")


class CheckResultSerializer(serializers.Serializer):
    rule = serializers.CharField()
    metric = serializers.CharField()
    value = serializers.CharField(allow_null=True)
    op = serializers.CharField()
    threshold = serializers.JSONField()
    unit = serializers.CharField()
    passed = serializers.BooleanField(allow_null=True)
    req = serializers.CharField()
    clause = serializers.CharField()
    name = TRANSLATED


class CheckResponseSerializer(serializers.Serializer):
    control_point = serializers.CharField()
    rulebook_version = serializers.IntegerField()
    results = CheckResultSerializer(many=True)


class RulebookCheckView(APIView):
    """What-if: compare draft values with a control point's criteria. Nothing is stored."""

    @extend_schema(
        request=CheckRequestSerializer,
        responses={
            200: CheckResponseSerializer,
            404: OpenApiResponse(description="The `project` does not exist or you cannot see it."),
        },
    )
    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        if "control_point" not in data:
            message = _("This field is required.")
            return error_response("invalid", message, fields={"control_point": [message]})
        project_id = data.get("project")
        if project_id is not None:
            if isinstance(project_id, bool) or not str(project_id).isdigit():
                message = _("Give a project id (a whole number).")
                return error_response("invalid", message, fields={"project": [message]})
            project = get_object_or_404(
                MeetingProject.objects.select_related("rulebook_version"), pk=int(project_id)
            )
            if not request.user.has_perm("projects.view_meetingproject", project):
                return error_response("not_found", _("Not found."), status_code=404)
            rulebook, number = rulebook_for(project), project.rulebook_version.number
        else:
            rulebook, number = active_rulebook(), active_version().number
        try:
            results = checks.check(rulebook, data.get("control_point"), data.get("values"))
        except checks.CheckError as error:
            return error_response("invalid", error.message, fields=error.fields)
        return Response(
            {"control_point": data["control_point"], "rulebook_version": number, "results": results}
        )


class ResultSerializer(serializers.ModelSerializer):
    name = TRANSLATED
    reason = TRANSLATED
    rulebook_version = serializers.IntegerField(source="rulebook_version.number", read_only=True)
    evaluated_by = serializers.StringRelatedField()
    measured_by = serializers.StringRelatedField()
    threshold = serializers.JSONField()
    evidence = serializers.JSONField()

    class Meta:
        model = ControlPointResult
        fields = [
            "id",
            "control_point",
            "rule_id",
            "name",
            "req",
            "clause",
            "metric",
            "value",
            "op",
            "threshold",
            "unit",
            "verdict",
            "reason",
            "source",
            "measured_by",
            "evidence",
            "rulebook_version",
            "evaluated_at",
            "evaluated_by",
            "nonconformance",
        ]


class ProjectQualityView(APIView):
    """A project's current result per criterion (the latest evaluation) and its scores."""

    @extend_schema(
        responses={
            200: inline_serializer(
                "ProjectQuality",
                {
                    "project": serializers.IntegerField(),
                    "rulebook_version": serializers.IntegerField(),
                    "results": ResultSerializer(many=True),
                    "scores": serializers.JSONField(),
                    "open_nonconformances": serializers.IntegerField(),
                },
            )
        }
    )
    def get(self, request, pk: int):
        project = MeetingProject.objects.select_related("rulebook_version").filter(pk=pk).first()
        if project is None or not request.user.has_perm("projects.view_meetingproject", project):
            return error_response("not_found", _("Not found."), status_code=404)
        results = queries.current_results(project)
        for row in results.values():
            row.rulebook_version = project.rulebook_version
        scores = scoring.project_scores(project, results=results)
        return Response(
            {
                "project": project.pk,
                "rulebook_version": project.rulebook_version.number,
                "results": ResultSerializer(list(results.values()), many=True).data,
                "scores": scores.as_dict(),
                "open_nonconformances": queries.live_nonconformances(project).count(),
            }
        )


class ActionSerializer(serializers.ModelSerializer):
    owner = serializers.StringRelatedField()

    class Meta:
        model = CorrectiveAction
        fields = ["id", "kind", "description", "owner", "due_date", "done_at", "result"]


class NonconformanceSerializer(serializers.ModelSerializer):
    description = TRANSLATED
    project = serializers.IntegerField(source="project_id", read_only=True)
    project_code = serializers.CharField(source="project.code", read_only=True)
    owner = serializers.StringRelatedField()
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = Nonconformance
        fields = [
            "id",
            "code",
            "project",
            "project_code",
            "source",
            "control_point",
            "rule_id",
            "req",
            "clause",
            "description",
            "severity",
            "status",
            "owner_role",
            "owner",
            "opened_at",
            "due_at",
            "due_confirmed",
            "root_cause",
            "verification_note",
            "verified_at",
            "closed_at",
            "actions",
        ]


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, enum=Nonconformance.Status.values),
        OpenApiParameter("severity", str, enum=Severity.values),
        OpenApiParameter("project", int),
    ]
)
class NonconformanceViewSet(viewsets.ReadOnlyModelViewSet):
    """Nonconformances of the projects the caller may see (REQ-QLT-06)."""

    serializer_class = NonconformanceSerializer
    filter_backends: list = []
    queryset = Nonconformance.objects.none()

    def get_queryset(self):
        items = queries.visible_nonconformances(self.request.user).prefetch_related("actions__owner")
        params = self.request.query_params
        return queries.filter_nonconformances(
            items,
            status=params.get("status", ""),
            severity=params.get("severity", ""),
            project=params.get("project", ""),
        ).order_by("-opened_at", "-pk")


class EvaluateRequestSerializer(serializers.Serializer):
    control_point = serializers.CharField(required=False, allow_blank=True, max_length=10)


class ProjectEvaluateView(APIView):
    """Evaluate a project's control points now (all, or one): the scorecard's "Evaluate now"."""

    @extend_schema(request=EvaluateRequestSerializer, responses={200: ResultSerializer(many=True)})
    def post(self, request, pk: int):
        project = MeetingProject.objects.select_related("rulebook_version").filter(pk=pk).first()
        if project is None or not request.user.has_perm("projects.view_meetingproject", project):
            return error_response("not_found", _("Not found."), status_code=404)
        if not request.user.has_perm("quality.manage_project_quality", project):
            return error_response(
                "permission_denied", _("You may not evaluate this project."), status_code=403
            )
        data = EvaluateRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        results = services.evaluate(
            project, data.validated_data.get("control_point") or None, by=request.user
        )
        for row in results:
            row.rulebook_version = project.rulebook_version
        return Response(ResultSerializer(results, many=True).data)

"""Violations over the API (``/api/v1/violations/``): thin — the services validate, save and audit.

Only the roles the rulebook names (``qlt.violation.visible_to``) and the person concerned see a case; for
anyone else it does not exist (404)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from huiyi.accounts.models import OrgUnit, User
from huiyi.projects.models import MeetingProject
from huiyi.projects.queries import visible_projects

from . import queries, services
from .models import Violation


class ViolationSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)

    class Meta:
        model = Violation
        fields = [
            "id",
            "code",
            "title",
            "description",
            "occurred_at",
            "project",
            "org_unit",
            "rule_id",
            "req",
            "clause",
            "reporter",
            "reported_at",
            "status",
            "investigation_due",
            "investigator",
            "findings",
            "responsible_person",
            "responsible_role",
            "responsibility_note",
            "sanction",
            "sanction_detail",
            "sanction_notified_at",
            "appeal_due",
            "appeal_due_confirmed",
            "appeal_text",
            "appealed_at",
            "appeal_outcome",
            "appeal_decision_note",
            "closed_at",
            "performance_review_ref",
            "nonconformance",
        ]
        read_only_fields = fields


class ViolationCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    project = serializers.PrimaryKeyRelatedField(queryset=MeetingProject.objects.none(), required=False)
    org_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False)
    rule_id = serializers.CharField(max_length=120, required=False, allow_blank=True)
    clause = serializers.CharField(max_length=60, required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["project"].queryset = visible_projects(request.user)


class InvestigateSerializer(serializers.Serializer):
    investigator = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))


class DetermineSerializer(serializers.Serializer):
    findings = serializers.CharField()
    responsible_person = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    responsible_role = serializers.CharField(max_length=40)
    note = serializers.CharField(required=False, allow_blank=True)


class SanctionSerializer(serializers.Serializer):
    sanction = serializers.ChoiceField(choices=Violation.Sanction.choices)
    detail = serializers.CharField(required=False, allow_blank=True)


class AppealSerializer(serializers.Serializer):
    text = serializers.CharField()


class DecideAppealSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Violation.AppealOutcome.choices)
    note = serializers.CharField()


class CloseViolationSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)
    performance_review_ref = serializers.CharField(max_length=100, required=False, allow_blank=True)


@extend_schema(parameters=[OpenApiParameter("status", str, enum=["open", *Violation.Status.values])])
class ViolationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Violations and accountability (REQ-QLT-08): record, investigate, determine responsibility (person and
    role), notify the sanction (opens the rulebook's appeal window), appeal (the person concerned), decide the
    appeal, close."""

    serializer_class = ViolationSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Violation.objects.none()
        status = self.request.query_params.get("status", "")
        if status and status not in ("open", *Violation.Status.values):
            raise serializers.ValidationError({"status": [_("Unknown status.")]})
        return queries.violation_list(self.request.user, status=status)

    def get_object(self):
        violation = get_object_or_404(Violation.objects.select_related("org_unit"), pk=self.kwargs["pk"])
        if not self.request.user.has_perm("accountability.view", violation):
            raise Http404
        return violation

    def _step(self, permission, serializer_class, call):
        violation = self.get_object()
        if not self.request.user.has_perm(permission, violation):
            raise PermissionDenied(_("Your roles do not allow this."))
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        call(violation, by=self.request.user, **data.validated_data)
        return Response(ViolationSerializer(Violation.objects.get(pk=violation.pk)).data)

    @extend_schema(request=ViolationCreateSerializer, responses={201: ViolationSerializer})
    def create(self, request, *args, **kwargs):
        if not request.user.has_perm("accountability.report"):
            raise PermissionDenied(_("Your roles do not allow this."))
        data = ViolationCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.setdefault("org_unit", None)
        violation = services.report_violation(by=request.user, **values)
        return Response(ViolationSerializer(violation).data, status=201)

    @extend_schema(request=InvestigateSerializer, responses=ViolationSerializer)
    @action(detail=True, methods=["post"])
    def investigate(self, request, pk=None):
        return self._step("accountability.investigate", InvestigateSerializer, services.start_investigation)

    @extend_schema(request=DetermineSerializer, responses=ViolationSerializer)
    @action(detail=True, methods=["post"])
    def determine(self, request, pk=None):
        return self._step(
            "accountability.investigate", DetermineSerializer, services.determine_responsibility
        )

    @extend_schema(request=SanctionSerializer, responses=ViolationSerializer)
    @action(detail=True, methods=["post"])
    def sanction(self, request, pk=None):
        return self._step("accountability.sanction", SanctionSerializer, services.notify_sanction)

    @extend_schema(request=AppealSerializer, responses=ViolationSerializer)
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        return self._step("accountability.appeal", AppealSerializer, services.appeal)

    @extend_schema(request=DecideAppealSerializer, responses=ViolationSerializer)
    @action(detail=True, methods=["post"], url_path="decide-appeal")
    def decide_appeal(self, request, pk=None):
        return self._step("accountability.sanction", DecideAppealSerializer, services.decide_appeal)

    @extend_schema(request=CloseViolationSerializer, responses=ViolationSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._step("accountability.sanction", CloseViolationSerializer, services.close_violation)

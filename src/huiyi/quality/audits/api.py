"""Internal audits over the API (``/api/v1/audits/``): thin — the services validate, save and audit."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from huiyi.accounts.models import OrgUnit, User
from huiyi.projects.models import MeetingProject
from huiyi.projects.queries import visible_projects
from huiyi.quality.models import Severity

from . import queries, services
from .models import Audit, AuditItem


class AuditItemSerializer(serializers.ModelSerializer):
    nonconformance_code = serializers.SerializerMethodField()

    class Meta:
        model = AuditItem
        fields = [
            "id",
            "audit",
            "position",
            "chapter",
            "req",
            "rule_id",
            "clause",
            "name",
            "evidence_asked",
            "result",
            "evidence",
            "notes",
            "severity",
            "project",
            "assessed_at",
            "assessed_by",
            "nonconformance",
            "nonconformance_code",
        ]
        read_only_fields = fields

    def get_nonconformance_code(self, item) -> str:
        return item.nonconformance.code if item.nonconformance_id else ""


class AuditSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    auditors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    auditees = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    projects = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    org_units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Audit
        fields = [
            "id",
            "code",
            "title",
            "objective",
            "status",
            "planned_date",
            "scope_chapters",
            "scope_requirements",
            "projects",
            "org_units",
            "lead_auditor",
            "auditors",
            "auditees",
            "rulebook_version",
            "started_at",
            "reported_at",
            "summary",
            "closed_at",
            "closed_by",
            "follow_up_note",
        ]
        read_only_fields = fields


class AuditCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    objective = serializers.CharField(required=False, allow_blank=True)
    planned_date = serializers.DateField()
    scope_chapters = serializers.ListField(child=serializers.CharField(max_length=10), required=False)
    scope_requirements = serializers.ListField(child=serializers.CharField(max_length=20), required=False)
    projects = serializers.PrimaryKeyRelatedField(
        many=True, queryset=MeetingProject.objects.none(), required=False
    )
    org_units = serializers.PrimaryKeyRelatedField(many=True, queryset=OrgUnit.objects.all(), required=False)
    lead_auditor = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    auditors = serializers.PrimaryKeyRelatedField(
        many=True, queryset=User.objects.filter(is_active=True), required=False
    )
    auditees = serializers.PrimaryKeyRelatedField(
        many=True, queryset=User.objects.filter(is_active=True), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["projects"].child_relation.queryset = visible_projects(request.user)


class AssessSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=AuditItem.Result.choices)
    evidence = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False, allow_blank=True)
    project = serializers.PrimaryKeyRelatedField(queryset=MeetingProject.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["project"].queryset = visible_projects(request.user)


class SummarySerializer(serializers.Serializer):
    summary = serializers.CharField()


class FollowUpSerializer(serializers.Serializer):
    note = serializers.CharField()


def _denied():
    raise PermissionDenied(_("Your roles do not allow this."))


@extend_schema(parameters=[OpenApiParameter("status", str, enum=["open", *Audit.Status.values])])
class AuditViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Internal audits (REQ-QLT-07): plan with a scope of the rulebook (chapters, requirements), the audited
    projects and units, and the team; the checklist is built from the rules in scope. Actions: start,
    assess an item (`items/{item}/`; a nonconformity opens a quality nonconformance), complete (the report),
    close (follow-up verified once every nonconformance is closed)."""

    serializer_class = AuditSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Audit.objects.none()
        status = self.request.query_params.get("status", "")
        if status and status not in ("open", *Audit.Status.values):
            raise serializers.ValidationError({"status": [_("Unknown status.")]})
        return (
            queries.audit_list(self.request.user, status=status)
            .prefetch_related("auditors", "auditees", "projects", "org_units")
            .order_by("-planned_date", "-pk")
        )

    def get_object(self):
        audit = get_object_or_404(Audit.objects.select_related("lead_auditor"), pk=self.kwargs["pk"])
        if not self.request.user.has_perm("audits.view", audit):
            raise Http404
        return audit

    def _audit(self, permission: str) -> Audit:
        audit = self.get_object()
        if not self.request.user.has_perm(permission, audit):
            _denied()
        return audit

    @extend_schema(request=AuditCreateSerializer, responses={201: AuditSerializer})
    def create(self, request, *args, **kwargs):
        if not request.user.has_perm("audits.plan"):
            _denied()
        data = AuditCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        audit = services.plan_audit(by=request.user, **data.validated_data)
        return Response(AuditSerializer(audit).data, status=201)

    @extend_schema(request=None, responses=AuditSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return Response(
            AuditSerializer(services.start_audit(self._audit("audits.conduct"), by=request.user)).data
        )

    @extend_schema(request=SummarySerializer, responses=AuditSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        audit = self._audit("audits.conduct")
        data = SummarySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            AuditSerializer(services.complete_audit(audit, by=request.user, **data.validated_data)).data
        )

    @extend_schema(request=FollowUpSerializer, responses=AuditSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        audit = self._audit("audits.close")
        data = FollowUpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            AuditSerializer(services.close_audit(audit, by=request.user, **data.validated_data)).data
        )

    @extend_schema(request=None, responses=AuditItemSerializer(many=True))
    @action(detail=True, methods=["get"])
    def items(self, request, pk=None):
        audit = self.get_object()
        return Response(AuditItemSerializer(queries.checklist(audit), many=True).data)

    @extend_schema(
        request=AssessSerializer,
        responses=AuditItemSerializer,
        parameters=[OpenApiParameter("item_pk", int, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None, item_pk=None):
        audit = self._audit("audits.conduct")
        item = get_object_or_404(AuditItem, pk=self.kwargs["item_pk"], audit=audit)
        data = AssessSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        return Response(
            AuditItemSerializer(services.assess_item(item, by=request.user, **data.validated_data)).data
        )


class FindingList(generics.ListAPIView):
    """Findings (nonconformities and observations) of the internal audits you may see, newest first."""

    serializer_class = AuditItemSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuditItem.objects.none()
        return queries.findings(self.request.user)

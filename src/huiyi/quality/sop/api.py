"""The SOP library over the API (``/api/v1/sops/``): thin — the services validate, save and audit."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from huiyi.accounts.models import OrgUnit, User
from huiyi.feedback.improvement.models import ImprovementAction

from . import queries, services
from .models import OptimisationMeeting, Procedure, ProcedureVersion


class ProcedureVersionSerializer(serializers.ModelSerializer):
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = ProcedureVersion
        fields = [
            "id",
            "number",
            "text",
            "has_file",
            "change_note",
            "effective_from",
            "approved_by",
            "approved_at",
            "meeting",
            "improvement_actions",
        ]
        read_only_fields = fields

    def get_has_file(self, version) -> bool:
        return bool(version.file)


class ProcedureSerializer(serializers.ModelSerializer):
    current_version = serializers.IntegerField(source="current_number", read_only=True, allow_null=True)

    class Meta:
        model = Procedure
        fields = [
            "id",
            "code",
            "title",
            "purpose",
            "requirements",
            "rule_ids",
            "owner_unit",
            "owner",
            "is_active",
            "current_version",
        ]
        read_only_fields = fields


class ProcedureDetailSerializer(ProcedureSerializer):
    versions = ProcedureVersionSerializer(many=True, read_only=True)

    class Meta(ProcedureSerializer.Meta):
        fields = [*ProcedureSerializer.Meta.fields, "versions"]
        read_only_fields = fields


class ProcedureCreateSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    title = serializers.DictField(
        child=serializers.CharField(allow_blank=True), help_text='{"zh-hans": …, "en": …}'
    )
    purpose = serializers.CharField(required=False, allow_blank=True)
    requirements = serializers.ListField(child=serializers.CharField(max_length=20), required=False)
    rule_ids = serializers.ListField(child=serializers.CharField(max_length=120), required=False)
    owner_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), required=False, allow_null=True
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )


class ProcedureVersionCreateSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True)
    change_note = serializers.CharField()
    effective_from = serializers.DateField()
    approved_by = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=OptimisationMeeting.objects.all(), required=False, allow_null=True
    )
    improvement_actions = serializers.PrimaryKeyRelatedField(
        many=True, queryset=ImprovementAction.objects.all(), required=False
    )


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = OptimisationMeeting
        fields = [
            "id",
            "held_on",
            "title",
            "attendees",
            "other_attendees",
            "decisions",
            "minutes",
            "improvement_actions",
        ]
        read_only_fields = fields


class MeetingCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    title = serializers.CharField(max_length=200)
    decisions = serializers.CharField()
    minutes = serializers.CharField(required=False, allow_blank=True)
    attendees = serializers.PrimaryKeyRelatedField(
        many=True, queryset=User.objects.filter(is_active=True), required=False
    )
    other_attendees = serializers.CharField(max_length=500, required=False, allow_blank=True)
    improvement_actions = serializers.PrimaryKeyRelatedField(
        many=True, queryset=ImprovementAction.objects.all(), required=False
    )


def _need(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied(_("Your roles do not allow this."))


class ProcedureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The SOP library (REQ-QLT-10): procedures linked to the rulebook's clauses, with their approved
    versions (`versions/` to add one)."""

    serializer_class = ProcedureSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Procedure.objects.none()
        _need(self.request, "sop.read")
        return queries.procedures().prefetch_related("versions__improvement_actions")

    def get_serializer_class(self):
        return ProcedureDetailSerializer if self.action == "retrieve" else ProcedureSerializer

    @extend_schema(request=ProcedureCreateSerializer, responses={201: ProcedureDetailSerializer})
    def create(self, request, *args, **kwargs):
        _need(request, "sop.edit")
        data = ProcedureCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        procedure = services.create_procedure(by=request.user, **data.validated_data)
        return Response(
            ProcedureDetailSerializer(get_object_or_404(queries.procedures(), pk=procedure.pk)).data,
            status=201,
        )

    @extend_schema(request=ProcedureVersionCreateSerializer, responses={201: ProcedureVersionSerializer})
    @action(detail=True, methods=["post"])
    def versions(self, request, pk=None):
        _need(request, "sop.add_version")
        procedure = get_object_or_404(Procedure, pk=pk)
        data = ProcedureVersionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.add_version(procedure, by=request.user, **data.validated_data)
        return Response(ProcedureVersionSerializer(version).data, status=201)


class MeetingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Quarterly process-optimisation meetings (§3.1(3)), newest first."""

    serializer_class = MeetingSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return OptimisationMeeting.objects.none()
        _need(self.request, "sop.read")
        return queries.meetings()

    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingSerializer})
    def create(self, request, *args, **kwargs):
        _need(request, "sop.record_meeting")
        data = MeetingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            MeetingSerializer(services.record_meeting(by=request.user, **data.validated_data)).data,
            status=201,
        )

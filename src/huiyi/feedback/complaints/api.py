"""Complaints over the API (``/api/v1/complaints/``): thin — the services validate, save and audit."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from huiyi.projects.models import MeetingProject
from huiyi.projects.queries import visible_projects

from . import queries, services, sla
from .models import Channel, Complaint

SEVERITY_CHOICES = [(sla.SERIOUS, "serious"), (sla.NORMAL, "normal")]


class ComplaintSerializer(serializers.ModelSerializer):
    severity = serializers.SerializerMethodField()
    severity_level = serializers.CharField(source="severity", read_only=True)
    breached = serializers.SerializerMethodField()
    complainant_name = serializers.SerializerMethodField()
    complainant_contact = serializers.SerializerMethodField()
    owner = serializers.PrimaryKeyRelatedField(read_only=True)
    nonconformance = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "reference",
            "project",
            "channel",
            "source",
            "severity",
            "severity_level",
            "status",
            "content",
            "complainant_name",
            "complainant_contact",
            "received_at",
            "created_at",
            "response_due",
            "resolution_due",
            "due_confirmed",
            "responded_at",
            "resolved_at",
            "resolution",
            "closed_at",
            "confirmed_by_name",
            "confirmed_at",
            "confirmation_method",
            "no_confirmation_reason",
            "owner",
            "escalation_level",
            "breached",
            "nonconformance",
        ]
        read_only_fields = fields

    def get_severity(self, complaint) -> str:
        """``serious`` or ``normal`` (the rulebook's level is ``severity_level``)."""
        return complaint.reported_severity or sla.NORMAL

    def get_breached(self, complaint) -> bool:
        return complaint.is_breached or (
            complaint.is_open
            and (
                (
                    complaint.responded_at is None
                    and complaint.response_due
                    and complaint.response_due < timezone.now()
                )
                or (complaint.resolution_due is not None and complaint.resolution_due < timezone.now())
            )
        )

    def _full(self) -> bool:
        return bool(self.context.get("full"))

    def get_complainant_name(self, complaint) -> str:
        """Masked in lists; in full on one complaint's page."""
        return complaint.complainant_name if self._full() else queries.mask_name(complaint.complainant_name)

    def get_complainant_contact(self, complaint) -> str:
        contact = complaint.complainant_contact or complaint.complainant_email
        return contact if self._full() else queries.mask_contact(contact)


class ComplaintCreateSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=MeetingProject.objects.none())
    channel = serializers.ChoiceField(choices=Channel.choices)
    severity = serializers.CharField(max_length=20, help_text="serious or normal")
    content = serializers.CharField(max_length=services.CONTENT_MAX_CHARS, trim_whitespace=True)
    complainant_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    complainant_contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    complainant_email = serializers.EmailField(max_length=200, required=False, allow_blank=True)
    received_at = serializers.DateTimeField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["project"].queryset = visible_projects(request.user)


class ComplaintNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.NOTE_MAX_CHARS)


class ComplaintReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=services.NOTE_MAX_CHARS)


class ComplaintResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=services.NOTE_MAX_CHARS)


class ComplaintCloseSerializer(serializers.Serializer):
    confirmed_by_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    confirmed_at = serializers.DateTimeField(required=False)
    confirmation_method = serializers.ChoiceField(
        choices=Complaint.ConfirmationMethod.choices, required=False, allow_blank=True
    )
    no_confirmation_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=services.NOTE_MAX_CHARS
    )


class ComplaintSeveritySerializer(serializers.Serializer):
    severity = serializers.CharField(max_length=20)
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.NOTE_MAX_CHARS)


class ComplaintNonconformanceLinkSerializer(serializers.Serializer):
    nonconformance = serializers.IntegerField()
    code = serializers.CharField()


@extend_schema(
    parameters=[
        OpenApiParameter("project", int, description="only this meeting project"),
        OpenApiParameter("state", str, enum=["open", "breached", "closed"]),
        OpenApiParameter(
            "severity", str, description="the rulebook's severity level (minor, major, serious)"
        ),
    ]
)
class ComplaintViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Complaints (REQ-FBK-06) with their SLA clocks from the project's rulebook. Create with `project`,
    `channel`, `severity` (serious or normal) and `content`; the answer carries `response_due` and
    `resolution_due`. Actions: acknowledge, start, pause, resume, resolve, close (with the client's
    confirmation or the reason), reopen, escalate, severity, raise-nonconformance."""

    serializer_class = ComplaintSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Complaint.objects.none()
        params = self.request.query_params
        project = None
        if params.get("project"):
            try:
                project = get_object_or_404(visible_projects(self.request.user), pk=int(params["project"]))
            except ValueError:
                raise serializers.ValidationError({"project": [_("Give a project id.")]}) from None
        state = params.get("state", "")
        if state not in ("", "open", "breached", "closed"):
            raise serializers.ValidationError({"state": [_("Use open, breached or closed.")]})
        complaints = queries.complaint_list(
            self.request.user, state=state, severity=params.get("severity", ""), project=project
        )
        return complaints.select_related(None)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["full"] = self.action != "list"
        return context

    def _complaint(self, permission: str) -> Complaint:
        complaint = self.get_object()
        if not self.request.user.has_perm(permission, complaint):
            raise PermissionDenied(_("Your roles do not allow this."))
        return complaint

    def get_object(self):
        complaint = get_object_or_404(queries.visible_complaints(self.request.user), pk=self.kwargs["pk"])
        if not self.request.user.has_perm("complaints.view", complaint):
            raise PermissionDenied(_("Your roles do not allow this."))
        return complaint

    def list(self, request, *args, **kwargs):
        if not request.user.has_perm("complaints.dashboard"):
            raise PermissionDenied(_("Your roles do not allow this."))
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ComplaintCreateSerializer, responses={201: ComplaintSerializer})
    def create(self, request, *args, **kwargs):
        data = ComplaintCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        project = values.pop("project")
        if not request.user.has_perm("complaints.add", project):
            raise PermissionDenied(_("Your roles do not allow this."))
        complaint = services.create_complaint(project, by=request.user, source=Complaint.Source.API, **values)
        return Response(ComplaintSerializer(complaint, context={"full": True}).data, status=201)

    def _answer(self, complaint):
        return Response(ComplaintSerializer(complaint, context={"full": True}).data)

    @extend_schema(request=ComplaintNoteSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        complaint = self._complaint("complaints.handle")
        data = ComplaintNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(services.acknowledge(complaint, by=request.user, **data.validated_data))

    @extend_schema(request=None, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._answer(services.start_work(self._complaint("complaints.handle"), by=request.user))

    @extend_schema(request=ComplaintReasonSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        complaint = self._complaint("complaints.handle")
        data = ComplaintReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(services.pause(complaint, by=request.user, **data.validated_data))

    @extend_schema(request=ComplaintNoteSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        complaint = self._complaint("complaints.handle")
        data = ComplaintNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(services.resume(complaint, by=request.user, **data.validated_data))

    @extend_schema(request=ComplaintResolveSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        complaint = self._complaint("complaints.handle")
        data = ComplaintResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(services.resolve(complaint, by=request.user, **data.validated_data))

    @extend_schema(request=ComplaintCloseSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        complaint = self._complaint("complaints.close")
        data = ComplaintCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(services.close(complaint, by=request.user, **data.validated_data))

    @extend_schema(request=ComplaintReasonSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        complaint = self._complaint("complaints.close")
        data = ComplaintReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(services.reopen(complaint, by=request.user, **data.validated_data))

    @extend_schema(request=ComplaintReasonSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        complaint = self._complaint("complaints.escalate")
        data = ComplaintReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(services.escalate(complaint, by=request.user, **data.validated_data))

    @extend_schema(request=ComplaintSeveritySerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def severity(self, request, pk=None):
        complaint = self._complaint("complaints.handle")
        data = ComplaintSeveritySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        return self._answer(
            services.change_severity(complaint, values.pop("severity"), by=request.user, **values)
        )

    @extend_schema(
        request=None,
        # 201 when it raises the nonconformance, 200 with the one raised before (the call is idempotent).
        responses={201: ComplaintNonconformanceLinkSerializer, 200: ComplaintNonconformanceLinkSerializer},
    )
    @action(detail=True, methods=["post"], url_path="raise-nonconformance")
    def raise_nonconformance(self, request, pk=None):
        complaint = self._complaint("complaints.raise_nc")
        had = complaint.nonconformance_id
        nc = services.raise_nonconformance(complaint, by=request.user)
        return Response({"nonconformance": nc.pk, "code": nc.code}, status=200 if had else 201)

"""Incidents over the API (/api/v1/incidents/, /response-plans/, /drills/): thin — services do the work.

An incident's answer carries ``level`` ("I" … "IV") and every clock's deadline in a field ending in ``_due``
(``response_due``, ``critical_response_due``, ``diagnosis_due``, ``host_report_due``; null when the clock does
not apply), plus ``clocks`` with remaining time and verdict, and the command chain with each step's state.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from huiyi.projects.models import MeetingProject
from huiyi.resources.models import Equipment

from . import queries, services
from .models import ChainStep, Drill, Incident, IncidentType, InformationRelease, Level, ResponsePlan
from .rules import can_act_on_timers

TIMER_DENIED = _("Only the people of this incident's command chain, or the project director, may do this.")


def _call(action):
    try:
        return action()
    except DjangoValidationError as error:
        raise serializers.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        ) from error
    except DjangoPermissionDenied as error:
        raise PermissionDenied(str(error) or TIMER_DENIED) from error


def _require(request, permission, obj, message=None):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(message or _("Your roles do not allow this."))


class ClockSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    rule_id = serializers.CharField()
    threshold = serializers.CharField()
    due = serializers.DateTimeField(allow_null=True)
    stopped_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()
    remaining_seconds = serializers.IntegerField(allow_null=True)
    elapsed_minutes = serializers.FloatField()


class ChainStepSerializer(serializers.ModelSerializer):
    red = serializers.BooleanField(source="is_red", read_only=True)

    class Meta:
        model = ChainStep
        fields = [
            "id",
            "position",
            "role",
            "user",
            "name",
            "state",
            "red",
            "paged_at",
            "ack_due",
            "acknowledged_at",
            "acknowledged_by",
            "via",
            "escalated_at",
        ]
        read_only_fields = fields


class ReleaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = InformationRelease
        fields = ["id", "channel", "facts", "measures", "progress", "notes", "released_at", "released_by"]
        read_only_fields = ["id", "released_at", "released_by"]


class IncidentSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=MeetingProject.objects.all())
    type = serializers.ChoiceField(choices=IncidentType.choices)
    place = serializers.CharField(max_length=200)
    impact = serializers.CharField(max_length=2000)
    occurred_at = serializers.DateTimeField(required=False)
    equipment = serializers.PrimaryKeyRelatedField(
        queryset=Equipment.objects.all(), required=False, allow_null=True
    )
    photo = serializers.ImageField(required=False, write_only=True)
    response_due = serializers.SerializerMethodField()
    critical_response_due = serializers.SerializerMethodField()
    diagnosis_due = serializers.SerializerMethodField()
    host_report_due = serializers.SerializerMethodField()
    clocks = serializers.SerializerMethodField()
    chain = ChainStepSerializer(many=True, read_only=True)
    report_pdf = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            "id",
            "project",
            "number",
            "type",
            "place",
            "occurred_at",
            "reported_at",
            "reporter",
            "impact",
            "injuries",
            "attendees_affected",
            "meeting_interrupted",
            "equipment",
            "photo",
            "suggested_level",
            "level",
            "level_confirmed_at",
            "is_drill",
            "status",
            "responded_at",
            "diagnosed_at",
            "host_reported_at",
            "resolved_at",
            "closed_at",
            "response_due",
            "critical_response_due",
            "diagnosis_due",
            "host_report_due",
            "clocks",
            "chain",
            "report_pdf",
        ]
        read_only_fields = [
            "number",
            "reported_at",
            "reporter",
            "suggested_level",
            "level",
            "level_confirmed_at",
            "is_drill",
            "status",
            "responded_at",
            "diagnosed_at",
            "host_reported_at",
            "resolved_at",
            "closed_at",
        ]

    def _clocks(self, incident):
        cache = self.context.setdefault("_clocks", {})
        if incident.pk not in cache:
            cache[incident.pk] = {c.key: c for c in queries.clocks_of(incident, timezone.now())}
        return cache[incident.pk]

    def _due(self, incident, key):
        clock = self._clocks(incident).get(key)
        return clock.due.isoformat() if clock is not None and clock.due else None

    def get_response_due(self, incident) -> str | None:
        return self._due(incident, "response")

    def get_critical_response_due(self, incident) -> str | None:
        return self._due(incident, "critical_response")

    def get_diagnosis_due(self, incident) -> str | None:
        return self._due(incident, "diagnosis")

    def get_host_report_due(self, incident) -> str | None:
        return self._due(incident, "host_report")

    @extend_schema(exclude=False)
    def get_clocks(self, incident) -> list[dict]:
        return ClockSerializer(list(self._clocks(incident).values()), many=True).data

    def get_report_pdf(self, incident) -> str:
        from django.urls import reverse

        return reverse("incidents:report_pdf", args=[incident.pk])


class LevelSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    lessons = serializers.CharField(required=False, allow_blank=True, default="")


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField()


class StopClockSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IncidentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Incidents of the projects you see. Filters: ``status`` (open = not closed), ``level``, ``type``,
    ``drill`` (true/false), ``project``. POST reports one (REQ-INC-02): the level is suggested, the plan's
    checklist opened and the command chain paged."""

    serializer_class = IncidentSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        incidents = queries.visible_incidents(self.request.user).prefetch_related("chain")
        return queries.filtered(incidents, self.request.query_params).order_by("-reported_at", "-pk")

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=["open", "resolved", "closed"]),
            OpenApiParameter("level", str, enum=Level.values),
            OpenApiParameter("type", str, enum=IncidentType.values),
            OpenApiParameter("drill", bool),
            OpenApiParameter("project", int),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        project = data.pop("project")
        if not request.user.has_perm("projects.view_meetingproject", project):
            raise PermissionDenied(_("You cannot see this project."))
        _require(request, "incidents.report", project)
        incident = _call(lambda: services.report_incident(project, by=request.user, **data))
        return Response(self.get_serializer(incident).data, status=status.HTTP_201_CREATED)


class _IncidentAction(generics.GenericAPIView):
    queryset = Incident.objects.select_related("project")
    serializer_class = IncidentSerializer

    def incident(self, permission="incidents.view"):
        incident = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not self.request.user.has_perm("incidents.view", incident):
            raise PermissionDenied(_("You cannot see this incident."))
        if permission != "incidents.view":
            _require(self.request, permission, incident)
        return incident

    def timers(self, incident):
        if not can_act_on_timers(self.request.user, incident):
            raise PermissionDenied(TIMER_DENIED)

    def answer(self, incident):
        incident = Incident.objects.get(pk=incident.pk)
        return Response(IncidentSerializer(incident, context={"request": self.request}).data)


class LevelView(_IncidentAction):
    """Confirm the suggested level or change it (a change needs ``reason``) — the site lead (REQ-INC-01)."""

    @extend_schema(request=LevelSerializer, responses=IncidentSerializer)
    def post(self, request, pk):
        incident = self.incident("incidents.manage")
        data = LevelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(lambda: services.set_level(incident, by=request.user, **data.validated_data))
        return self.answer(incident)


class StopClockView(_IncidentAction):
    """Stop a clock (``diagnosis``, ``host_report``, ``response``): only the command chain or the project
    director; anyone else gets 403."""

    @extend_schema(request=StopClockSerializer, responses=IncidentSerializer)
    def post(self, request, pk, clock):
        incident = self.incident()
        self.timers(incident)
        data = StopClockSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(lambda: services.stop_clock(incident, clock, by=request.user, note=data.validated_data["note"]))
        return self.answer(incident)


class ResolveView(_IncidentAction):
    @extend_schema(request=ResolveSerializer, responses=IncidentSerializer)
    def post(self, request, pk):
        incident = self.incident()
        self.timers(incident)
        data = ResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(lambda: services.resolve(incident, by=request.user, **data.validated_data))
        return self.answer(incident)


class CloseView(_IncidentAction):
    """Close a resolved incident: the report (PDF at ``report_pdf``) and a review of the plan follow."""

    @extend_schema(request=CloseSerializer, responses=IncidentSerializer)
    def post(self, request, pk):
        incident = self.incident("incidents.manage")
        data = CloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(lambda: services.close_incident(incident, by=request.user, **data.validated_data))
        return self.answer(incident)


class ChainView(_IncidentAction):
    """The escalation state: each step of the command chain (red = escalated or nobody holds the role)."""

    serializer_class = ChainStepSerializer
    pagination_class = None  # the whole chain, a handful of steps
    filter_backends: list = []

    @extend_schema(responses=ChainStepSerializer(many=True))
    def get(self, request, pk):
        incident = self.incident()
        return Response(ChainStepSerializer(incident.chain.order_by("position"), many=True).data)


class AcknowledgeView(APIView):
    """Acknowledge a page of the command chain (one tap). Only the chain or the project director: else 403."""

    @extend_schema(request=None, responses=ChainStepSerializer)
    def post(self, request, pk):
        step = get_object_or_404(ChainStep.objects.select_related("incident__project"), pk=pk)
        if not request.user.has_perm("incidents.view", step.incident):
            raise PermissionDenied(_("You cannot see this incident."))
        if not can_act_on_timers(request.user, step.incident):
            raise PermissionDenied(TIMER_DENIED)
        step = _call(lambda: services.acknowledge(step, by=request.user))
        return Response(ChainStepSerializer(step).data)


class ReleaseListView(_IncidentAction):
    """Information releases of an incident (REQ-INC-05): channel, facts, measures, progress, notes."""

    serializer_class = ReleaseSerializer
    pagination_class = None

    @extend_schema(responses=ReleaseSerializer(many=True))
    def get(self, request, pk):
        incident = self.incident()
        return Response(ReleaseSerializer(incident.releases.all(), many=True).data)

    @extend_schema(request=ReleaseSerializer, responses=ReleaseSerializer)
    def post(self, request, pk):
        incident = self.incident("incidents.respond")
        data = ReleaseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        release = _call(
            lambda: services.release_information(incident, by=request.user, **data.validated_data)
        )
        return Response(ReleaseSerializer(release).data, status=status.HTTP_201_CREATED)


class ResponsePlanSerializer(serializers.ModelSerializer):
    review_due = serializers.SerializerMethodField()
    review_overdue = serializers.SerializerMethodField()

    class Meta:
        model = ResponsePlan
        fields = [
            "id",
            "incident_type",
            "title",
            "owner_role",
            "steps",
            "version",
            "last_reviewed_at",
            "review_due",
            "review_overdue",
        ]
        read_only_fields = fields

    def _due(self, plan):
        from huiyi.rulebook.services import active_rulebook

        rulebook = self.context.setdefault("_rulebook", active_rulebook())
        return services.review_due(plan, rulebook)

    def get_review_due(self, plan) -> str:
        return self._due(plan).isoformat()

    def get_review_overdue(self, plan) -> bool:
        return self._due(plan) < timezone.now()


class ResponsePlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Response plans per incident type (REQ-INC-04), with their yearly review state (REQ-INC-06)."""

    serializer_class = ResponsePlanSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return ResponsePlan.objects.none()
        if not self.request.user.has_perm("incidents.plans"):
            raise PermissionDenied(_("Your roles do not allow this."))
        services.ensure_default_plans()
        return ResponsePlan.objects.order_by("incident_type")


class DrillSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=MeetingProject.objects.all())
    incident = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Drill
        fields = [
            "id",
            "project",
            "scenario_type",
            "scenario",
            "scheduled_at",
            "place",
            "participants",
            "resources",
            "status",
            "incident",
            "findings",
            "evaluation",
            "evaluated_at",
        ]
        read_only_fields = ["status", "incident", "findings", "evaluation", "evaluated_at"]


class DrillViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Drills (REQ-INC-07): plan one with POST; run and evaluate them on the incident pages."""

    serializer_class = DrillSerializer

    def get_queryset(self):
        return queries.drills(self.request.user).prefetch_related("participants")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        project = data.pop("project")
        if not request.user.has_perm("projects.view_meetingproject", project):
            raise PermissionDenied(_("You cannot see this project."))
        _require(request, "incidents.manage", project)
        participants = data.pop("participants", [])
        drill = _call(
            lambda: services.plan_drill(project, by=request.user, participants=participants, **data)
        )
        return Response(self.get_serializer(drill).data, status=status.HTTP_201_CREATED)

"""Inspections over the API, nested under a project: thin — the services validate, judge and save.

Bad input answers 400 naming the field (a reading's field is its rule id, e.g. ``ons.environment.humidity``)
and saves nothing.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from huiyi.accounts.models import User
from huiyi.projects.models import MeetingProject
from huiyi.rulebook.services import rulebook_for

from . import items as sheet
from . import queries, services
from .display import format_reading
from .models import InspectionRound, Reading, RollCall, SiteMilestone


def _superseded():
    return Exists(Reading.objects.filter(corrects=OuterRef("pk")))


# -- serializers ------------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class ReadingValueField(serializers.Field):
    """A number (as a number or a string) or, for a checklist item, yes/no (true/false, 1/0)."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return "1" if data else "0"
        if isinstance(data, int | float | str):
            return str(data)
        raise serializers.ValidationError(_("Enter a number, or yes/no for a checklist item."))

    def to_representation(self, value):
        return str(value)


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "array", "items": {"type": "number"}}]})
class ThresholdField(serializers.JSONField):
    pass


class ReadingSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule_id", read_only=True)
    name = serializers.JSONField(source="rule_name", read_only=True)
    threshold = ThresholdField(read_only=True)
    threshold_text = serializers.SerializerMethodField()
    value_text = serializers.SerializerMethodField()
    room = serializers.CharField(source="round.room_label", read_only=True)
    superseded = serializers.SerializerMethodField()

    class Meta:
        model = Reading
        fields = [
            "id",
            "round",
            "room",
            "rule",
            "metric",
            "name",
            "value",
            "value_text",
            "unit",
            "op",
            "threshold",
            "threshold_text",
            "passed",
            "equipment",
            "measured_at",
            "recorded_by",
            "recorded_at",
            "note",
            "corrects",
            "reason",
            "superseded",
            "nonconformance",
        ]
        read_only_fields = fields

    def get_threshold_text(self, reading) -> str:
        from .templatetags.inspections_tags import stored_threshold

        return stored_threshold(reading)

    def get_value_text(self, reading) -> str:
        return format_reading(reading.value, reading.unit)

    def get_superseded(self, reading) -> bool:
        found = getattr(reading, "is_superseded", None)
        return bool(found) if found is not None else Reading.objects.filter(corrects=reading).exists()


class RoundSerializer(serializers.ModelSerializer):
    room_label = serializers.CharField(read_only=True)
    readings = ReadingSerializer(many=True, read_only=True)

    class Meta:
        model = InspectionRound
        fields = [
            "id",
            "room",
            "room_name",
            "room_label",
            "is_main_hall",
            "held_at",
            "inspector",
            "note",
            "completed_at",
            "completed_by",
            "readings",
        ]
        read_only_fields = fields


class ReadingInputSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text=_("The rule id of the item, e.g. ons.environment.humidity."))
    value = ReadingValueField()
    equipment = serializers.IntegerField(required=False, allow_null=True)
    measured_at = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class RoundCreateSerializer(serializers.Serializer):
    room = serializers.IntegerField(required=False, allow_null=True, help_text=_("A booked room's id."))
    room_name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    is_main_hall = serializers.BooleanField(required=False, default=True)
    held_at = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    complete = serializers.BooleanField(required=False, default=False)
    readings = ReadingInputSerializer(many=True, required=False, default=list)


class AddReadingsSerializer(serializers.Serializer):
    readings = ReadingInputSerializer(many=True)


class CorrectionSerializer(serializers.Serializer):
    value = ReadingValueField()
    reason = serializers.CharField(max_length=300)
    measured_at = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class ItemSerializer(serializers.Serializer):
    rule = serializers.CharField()
    metric = serializers.CharField()
    req = serializers.CharField()
    section = serializers.CharField()
    name = serializers.DictField(child=serializers.CharField())
    unit = serializers.CharField()
    unit_symbol = serializers.CharField()
    op = serializers.CharField()
    threshold = ThresholdField()
    threshold_text = serializers.CharField()
    checklist = serializers.BooleanField()
    main_hall_only = serializers.BooleanField()
    equipment_categories = serializers.ListField(child=serializers.CharField())


def _item_data(item: sheet.Item) -> dict:
    rule = item.rule
    return {
        "rule": rule.id,
        "metric": rule.metric,
        "req": rule.req,
        "section": item.section.key,
        "name": rule.name.as_dict(),
        "unit": rule.unit,
        "unit_symbol": item.unit_symbol,
        "op": rule.op,
        "threshold": list(rule.value) if isinstance(rule.value, tuple) else rule.value,
        "threshold_text": item.threshold,
        "checklist": item.is_checklist,
        "main_hall_only": item.main_hall_only,
        "equipment_categories": [str(c) for c in item.section.categories],
    }


class MilestoneSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule_id", read_only=True)
    name = serializers.JSONField(source="rule_name", read_only=True)
    threshold = ThresholdField(read_only=True)
    room_label = serializers.CharField(read_only=True)
    superseded = serializers.SerializerMethodField()

    class Meta:
        model = SiteMilestone
        fields = [
            "id",
            "milestone",
            "room",
            "room_name",
            "room_label",
            "at",
            "rule",
            "name",
            "value",
            "unit",
            "op",
            "threshold",
            "passed",
            "recorded_by",
            "recorded_at",
            "note",
            "corrects",
            "reason",
            "superseded",
            "nonconformance",
        ]
        read_only_fields = fields

    def get_superseded(self, record) -> bool:
        return SiteMilestone.objects.filter(corrects=record).exists()


class MilestoneCreateSerializer(serializers.Serializer):
    milestone = serializers.ChoiceField(choices=SiteMilestone.Milestone.choices)
    at = serializers.DateTimeField(required=False, allow_null=True, help_text=_("Default: now."))
    room = serializers.IntegerField(required=False, allow_null=True)
    room_name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class RosterSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    checked_in_at = serializers.DateTimeField(allow_null=True)
    recorded_by = serializers.IntegerField(allow_null=True)
    lead = serializers.DecimalField(
        max_digits=14, decimal_places=4, allow_null=True, help_text=_("Before the start, in the rule's unit.")
    )
    passed = serializers.BooleanField(allow_null=True)
    nonconformance = serializers.IntegerField(allow_null=True)


def _roster_data(entry: queries.RosterEntry) -> dict:
    call = entry.entry
    return {
        "user": entry.user.pk,
        "name": str(entry.user),
        "roles": entry.roles,
        "checked_in_at": call.checked_in_at if call else None,
        "recorded_by": call.recorded_by_id if call else None,
        "lead": entry.lead,
        "passed": entry.passed,
        "nonconformance": call.nonconformance_id if call else None,
    }


class CheckInSerializer(serializers.Serializer):
    user = serializers.IntegerField(required=False, allow_null=True, help_text=_("Default: yourself."))
    at = serializers.DateTimeField(
        required=False, allow_null=True, help_text=_("A lead may give the time; yours is now.")
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


# -- views ------------------------------------------------------------------------------------------------


class ProjectScoped(viewsets.GenericViewSet):
    """A collection under /projects/<project_pk>/; a project one cannot see answers 404."""

    view_permission = "inspections.view"

    def get_project(self) -> MeetingProject:
        if not hasattr(self, "_project"):
            project = get_object_or_404(MeetingProject, pk=self.kwargs["project_pk"])
            if not self.request.user.has_perm("projects.view_meetingproject", project):
                raise NotFound()
            if not self.request.user.has_perm(self.view_permission, project):
                raise PermissionDenied(_("Your roles do not allow this."))
            self._project = project
        return self._project

    def require(self, permission: str):
        if not self.request.user.has_perm(permission, self.get_project()):
            raise PermissionDenied(_("Your roles do not allow this."))


class RoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProjectScoped):
    """Inspection rounds of the meeting (REQ-ONS-03, REQ-ONS-04) with their readings, each judged on entry.

    POST creates a round with any subset of the sheet's items (`readings`: `rule`, `value`, optional
    `equipment`); a failed reading opens the rule's nonconformance and links it."""

    serializer_class = RoundSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return InspectionRound.objects.none()
        readings = Reading.objects.select_related("round", "round__room").annotate(
            is_superseded=_superseded()
        )
        return queries.rounds(self.get_project()).prefetch_related(
            Prefetch("readings", queryset=readings.order_by("measured_at", "pk"))
        )

    @extend_schema(request=RoundCreateSerializer, responses={201: RoundSerializer})
    def create(self, request, *args, **kwargs):
        project = self.get_project()
        self.require("inspections.record")
        given = RoundCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        round_ = services.record_round(project, by=request.user, **data)
        return Response(
            RoundSerializer(self.get_queryset().get(pk=round_.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=AddReadingsSerializer, responses={201: RoundSerializer})
    def add_readings(self, request, *args, **kwargs):
        round_ = self.get_object()
        self.require("inspections.record")
        given = AddReadingsSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.add_readings(round_, by=request.user, readings=given.validated_data["readings"])
        return Response(
            RoundSerializer(self.get_queryset().get(pk=round_.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses=RoundSerializer)
    def complete(self, request, *args, **kwargs):
        round_ = self.get_object()
        self.require("inspections.record")
        services.complete_round(round_, by=request.user)
        return Response(RoundSerializer(self.get_queryset().get(pk=round_.pk)).data)


class ReadingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProjectScoped):
    """Every reading of the meeting, oldest first. Filters: `rule`, `passed` (true/false), `live` (true: only
    readings no correction replaced). POST …/{id}/correct/ records a correction with its reason."""

    serializer_class = ReadingSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Reading.objects.none()
        found = queries.readings(self.get_project()).annotate(is_superseded=_superseded())
        params = self.request.query_params
        if params.get("rule"):
            found = found.filter(rule_id=params["rule"])
        if params.get("passed") in ("true", "false"):
            found = found.filter(passed=params["passed"] == "true")
        if params.get("live") == "true":
            found = found.filter(is_superseded=False)
        return found

    @extend_schema(request=CorrectionSerializer, responses={201: ReadingSerializer})
    def correct(self, request, *args, **kwargs):
        reading = self.get_object()
        self.require("inspections.record")
        given = CorrectionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        new = services.correct_reading(reading, by=request.user, **given.validated_data)
        return Response(ReadingSerializer(new).data, status=status.HTTP_201_CREATED)


class ItemViewSet(ProjectScoped):
    """The items of the meeting's inspection sheet from its rulebook: threshold, unit, checklist or not."""

    serializer_class = ItemSerializer
    pagination_class = None
    queryset = InspectionRound.objects.none()  # for the schema: the items come from the rulebook

    @extend_schema(responses=ItemSerializer(many=True))
    def list(self, request, *args, **kwargs):
        items = sheet.all_items(rulebook_for(self.get_project()))
        return Response(ItemSerializer([_item_data(item) for item in items], many=True).data)


class MilestoneViewSet(mixins.ListModelMixin, ProjectScoped):
    """Set-up complete (REQ-ONS-01), equipment recovered and venue restored (REQ-ONS-07), judged on entry.

    POSTing a milestone again for the same room (or the whole meeting) corrects it and needs `reason`."""

    serializer_class = MilestoneSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SiteMilestone.objects.none()
        return (
            SiteMilestone.objects.filter(project=self.get_project())
            .select_related("room")
            .order_by("at", "pk")
        )

    @extend_schema(request=MilestoneCreateSerializer, responses={201: MilestoneSerializer})
    def create(self, request, *args, **kwargs):
        project = self.get_project()
        self.require("inspections.record_milestone")
        given = MilestoneCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        record = services.record_milestone(project, by=request.user, **data)
        return Response(MilestoneSerializer(record).data, status=status.HTTP_201_CREATED)


class RollCallViewSet(ProjectScoped):
    """The day's staff (team members and staff booked for the day) and their roll-call (REQ-PPL-04).

    POST checks in yourself (no `user`) or, for a lead, another staff member; a repeated check-in answers 200
    with the first time."""

    serializer_class = RosterSerializer
    view_permission = "inspections.view_roll_call"
    queryset = RollCall.objects.none()  # for the schema: the roster is built by queries.roster()

    @extend_schema(responses=RosterSerializer(many=True))
    def list(self, request, *args, **kwargs):
        project = self.get_project()
        people = [_roster_data(entry) for entry in queries.roster(project, rulebook_for(project))]
        page = self.paginate_queryset(people)
        return self.get_paginated_response(RosterSerializer(page, many=True).data)

    @extend_schema(request=CheckInSerializer, responses={201: RosterSerializer, 200: RosterSerializer})
    def create(self, request, *args, **kwargs):
        project = self.get_project()
        given = CheckInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        user_id = given.validated_data.get("user")
        person = request.user if not user_id else User.objects.filter(pk=user_id).first()
        if person is None:
            raise serializers.ValidationError({"user": [_("There is no such user.")]})
        entry, created = services.check_in(
            project,
            user=person,
            by=request.user,
            at=given.validated_data.get("at"),
            note=given.validated_data["note"],
        )
        row = next(e for e in queries.roster(project, rulebook_for(project)) if e.user.pk == entry.user_id)
        return Response(
            RosterSerializer(_roster_data(row)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

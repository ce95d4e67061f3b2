"""Resources over the API: registers, a project's bookings and the calculator. Thin — services decide."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from huiyi.api.errors import error_response
from huiyi.projects.models import MeetingProject
from huiyi.rulebook.display import format_value
from huiyi.rulebook.services import active_rulebook, rulebook_for

from . import calculator, queries, readings, services
from .models import Booking, Equipment, EquipmentCheck, Layout, Rehearsal, Room, Supplier, Venue


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "integer", "minimum": 0},
        "example": {"theatre": 500, "classroom": 300},
    }
)
class CapacitiesField(serializers.JSONField):
    """{layout: seats}; the room's own validation refuses an unknown layout or seats that are not whole."""


class RoomSerializer(serializers.ModelSerializer):
    capacities = CapacitiesField(
        required=False,
        help_text="Seats per layout ({layout: seats}); a layout left out is not offered in this room. "
        "Layouts: " + ", ".join(Layout.values) + ".",
    )

    class Meta:
        model = Room
        fields = ["id", "venue", "name", "floor", "area_m2", "capacities", "facilities", "is_active"]
        read_only_fields = ["venue"]
        extra_kwargs = {"area_m2": {"min_value": 0}}


class VenueSerializer(serializers.ModelSerializer):
    rooms = RoomSerializer(many=True, read_only=True)

    class Meta:
        model = Venue
        fields = [
            "id",
            "name",
            "name_en",
            "city",
            "address",
            "transport_notes",
            "notes",
            "is_active",
            "rooms",
        ]

    def create(self, validated_data):
        return services.create_venue(created_by=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.update_venue(instance, **validated_data)


class EquipmentSerializer(serializers.ModelSerializer):
    maintenance_due_on = serializers.SerializerMethodField()

    class Meta:
        model = Equipment
        fields = [
            "id",
            "name",
            "category",
            "model_name",
            "serial_number",
            "ccc_certified",
            "ccc_certificate_no",
            "is_key",
            "status",
            "last_maintenance_on",
            "maintenance_due_on",
            "notes",
        ]

    def get_maintenance_due_on(self, item) -> str | None:
        months = self.context.get("maintenance_months")
        due = queries.maintenance_due(item, months)
        return due.isoformat() if due else None

    def create(self, validated_data):
        return services.register_equipment(created_by=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.update_equipment(instance, **validated_data)


class SupplierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Supplier
        fields = [
            "id",
            "name",
            "category",
            "qualification",
            "qualification_expires_on",
            "contact_name",
            "phone",
            "qualified",
            "last_evaluated_on",
        ]
        read_only_fields = ["last_evaluated_on"]

    def create(self, validated_data):
        return services.add_supplier(created_by=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.update_supplier(instance, **validated_data)


class _RegisterViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """An organisation-wide register; its model's role permissions decide who reads and writes."""

    model_name = ""
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def _require(self, action):
        if not self.request.user.has_perm(f"resources.{action}_{self.model_name}"):
            raise PermissionDenied(_("Your roles do not allow this."))

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._require("view")

    def perform_create(self, serializer):
        self._require("add")
        serializer.save()

    def perform_update(self, serializer):
        self._require("change")
        serializer.save()


class VenueViewSet(_RegisterViewSet):
    serializer_class = VenueSerializer
    model_name = "venue"
    queryset = Venue.objects.prefetch_related("rooms").order_by("name")


class EquipmentViewSet(_RegisterViewSet):
    serializer_class = EquipmentSerializer
    model_name = "equipment"
    queryset = Equipment.objects.order_by("category", "name", "serial_number")
    filterset_fields = ["category", "status", "is_key"]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["maintenance_months"] = int(active_rulebook().value("res.equipment.maintenance_interval"))
        return context


class SupplierViewSet(_RegisterViewSet):
    serializer_class = SupplierSerializer
    model_name = "supplier"
    queryset = Supplier.objects.order_by("category", "name")
    filterset_fields = ["category", "qualified"]


class BookingSerializer(serializers.ModelSerializer):
    resource = serializers.CharField(source="resource_label", read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "kind",
            "resource",
            "room",
            "layout",
            "equipment",
            "staff",
            "staff_role",
            "material",
            "quantity",
            "plan_item",
            "supplier",
            "starts_at",
            "ends_at",
            "confirmed",
            "confirmation_document",
            "document_sha256",
            "confirmed_at",
            "layout_drawing",
            "notes",
        ]
        read_only_fields = ["document_sha256", "confirmed_at"]

    def validate(self, attrs):
        return attrs


class RuleNameSerializer(serializers.Serializer):
    zh_hans = serializers.CharField()
    en = serializers.CharField()

    def get_fields(self):
        fields = super().get_fields()
        fields["zh-hans"] = fields.pop("zh_hans")
        return fields


class EquipmentCheckRuleSerializer(serializers.Serializer):
    """A reading a device's pre-use check takes, with the rule's requirement (e.g. "≥ 3000 lm")."""

    rule = serializers.CharField()
    metric = serializers.CharField()
    name = RuleNameSerializer()
    unit = serializers.CharField()
    required = serializers.CharField()


class EquipmentCheckResultSerializer(EquipmentCheckRuleSerializer):
    """The verdict on one reading."""

    value = serializers.CharField()
    passed = serializers.BooleanField()


class EquipmentCheckSerializer(serializers.ModelSerializer):
    checked_by = serializers.StringRelatedField()
    results = serializers.SerializerMethodField()

    class Meta:
        model = EquipmentCheck
        fields = [
            "id",
            "booking",
            "readings",
            "functional",
            "passed",
            "results",
            "checked_at",
            "checked_by",
            "note",
        ]
        read_only_fields = fields

    @extend_schema_field(EquipmentCheckResultSerializer(many=True))
    def get_results(self, check) -> list:
        return check.results


class EquipmentCheckRequestSerializer(serializers.Serializer):
    readings = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        default=dict,
        help_text="The measured number for each rule of the device's category, by metric key "
        "(e.g. projector_brightness_lm); GET the booking's checks/rules/ for the list.",
    )
    functional = serializers.BooleanField(help_text="The device works as intended.")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ConfirmBookingSerializer(serializers.Serializer):
    confirmation_document = serializers.FileField(
        required=False, help_text="The confirmation letter or contract (kept with its SHA-256)."
    )


class ProjectBookingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Bookings of one project. A double booking of a room or device is refused with 409 and the clash.
    DELETE cancels a booking; `confirm/` attaches the confirmation document; `checks/` are the pre-use
    checks of a booked device (REQ-ONS-03, CCP-06)."""

    serializer_class = BookingSerializer

    def project(self) -> MeetingProject:
        if not hasattr(self, "_project"):
            project = get_object_or_404(MeetingProject, pk=self.kwargs["project_pk"])
            if not self.request.user.has_perm("projects.view_meetingproject", project):
                from django.http import Http404

                raise Http404
            self._project = project
        return self._project

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no project
            return Booking.objects.none()
        return queries.project_bookings(self.project()).prefetch_related(None)

    @extend_schema(
        responses={
            201: BookingSerializer,
            409: OpenApiResponse(description="A double booking (error.code `double_booking`): the clash."),
        }
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            booking = services.book(self.project(), by=request.user, **serializer.validated_data)
        except services.DoubleBooking as error:
            return error_response(
                "double_booking",
                " ".join(error.messages),
                fields=error.message_dict,
                status_code=status.HTTP_409_CONFLICT,
            )
        return Response(self.get_serializer(booking).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.cancel_booking(instance, by=self.request.user)

    @extend_schema(request=ConfirmBookingSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def confirm(self, request, *args, **kwargs):
        """Mark the booking confirmed with its confirmation letter or contract (multipart)."""
        booking = self.get_object()
        data = ConfirmBookingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.confirm_booking(
            booking, by=request.user, document=data.validated_data.get("confirmation_document")
        )
        return Response(self.get_serializer(booking).data)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=EquipmentCheckSerializer(many=True),
        summary="Checks of a device",
    )
    @extend_schema(
        methods=["POST"],
        request=EquipmentCheckRequestSerializer,
        responses={201: EquipmentCheckSerializer},
        summary="Record a pre-use check",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[JSONParser, FormParser, MultiPartParser],
        pagination_class=None,  # every check of the device, newest first
        filter_backends=[],
    )
    def checks(self, request, *args, **kwargs):
        """The pre-use checks of a booked device, newest first. POST records one: each reading is judged
        against the project's rulebook (its rules for the device's category) and the verdicts come back in
        `results`; the check passes when every reading meets its rule and the device works."""
        booking = self.get_object()
        if request.method == "GET":
            checks = booking.checks.select_related("checked_by").order_by("-checked_at", "-pk")
            return Response(EquipmentCheckSerializer(checks, many=True).data)
        data = EquipmentCheckRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            check = services.record_equipment_check(
                booking,
                by=request.user,
                readings_given=data.validated_data["readings"],
                functional=data.validated_data["functional"],
                note=data.validated_data["note"],
            )
        except DjangoValidationError as error:
            metrics = (
                set(readings.METRICS_BY_CATEGORY.get(booking.equipment.category, ()))
                if booking.equipment_id
                else set()
            )
            raise DjangoValidationError(
                {
                    (f"readings.{field}" if field in metrics else field): messages
                    for field, messages in error.message_dict.items()
                }
            ) from None
        return Response(EquipmentCheckSerializer(check).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=EquipmentCheckRuleSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="checks/rules", pagination_class=None, filter_backends=[])
    def check_rules(self, request, *args, **kwargs):
        """The readings a pre-use check of this device takes: one per rule of its category, with the
        rule's requirement from the project's rulebook."""
        booking = self.get_object()
        if booking.kind != Booking.Kind.EQUIPMENT or not booking.equipment_id:
            return Response([])
        rules_ = readings.rules_for_category(booking.equipment.category, rulebook_for(booking.project))
        return Response(
            [
                {
                    "rule": rule.id,
                    "metric": rule.metric,
                    "name": rule.name.as_dict(),
                    "unit": rule.unit,
                    "required": format_value(rule),
                }
                for rule in rules_
            ]
        )


class VenueRoomViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Rooms of a venue with their area and capacity per layout (REQ-RES-04). A capacity is a whole number
    of seats; an unknown layout, a negative number or a name the venue already uses is refused."""

    serializer_class = RoomSerializer
    pagination_class = None
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _require(self, permission):
        if not self.request.user.has_perm(permission):
            raise PermissionDenied(_("Your roles do not allow this."))

    def venue(self) -> Venue:
        if not hasattr(self, "_venue"):
            self._venue = get_object_or_404(Venue, pk=self.kwargs["venue_pk"])
        return self._venue

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._require("resources.view_venue")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Room.objects.none()
        return Room.objects.filter(venue=self.venue()).select_related("venue").order_by("name")

    @staticmethod
    def _saved(action):
        try:
            return action()
        except DjangoValidationError as error:
            errors = (
                error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
            )
            if NON_FIELD_ERRORS in errors:  # the one room-wide rule: a name is used once per venue
                errors.setdefault("name", []).extend(errors.pop(NON_FIELD_ERRORS))
            raise DjangoValidationError(errors) from None

    def perform_create(self, serializer):
        self._require("resources.add_room")
        venue = self.venue()
        serializer.instance = self._saved(
            lambda: services.add_room(venue, created_by=self.request.user, **serializer.validated_data)
        )

    def perform_update(self, serializer):
        self._require("resources.change_room")
        room = serializer.instance
        serializer.instance = self._saved(lambda: services.update_room(room, **serializer.validated_data))


class RehearsalSerializer(serializers.ModelSerializer):
    held_by = serializers.StringRelatedField()

    class Meta:
        model = Rehearsal
        fields = ["id", "held_at", "held_by", "note", "created_at"]
        read_only_fields = ["held_by", "created_at"]
        extra_kwargs = {"held_at": {"required": True}}


def _visible_project(request, pk) -> MeetingProject:
    project = MeetingProject.objects.filter(pk=pk).select_related("rulebook_version").first()
    if project is None or not request.user.has_perm("projects.view_meetingproject", project):
        raise Http404
    return project


class ProjectRehearsalViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The AV rehearsal of a project 场地预先试音视频 (CCP-06): technical support or whoever changes the
    project records when it was held."""

    serializer_class = RehearsalSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Rehearsal.objects.none()
        project = _visible_project(self.request, self.kwargs["project_pk"])
        return project.rehearsals.select_related("held_by")

    def perform_create(self, serializer):
        project = _visible_project(self.request, self.kwargs["project_pk"])
        serializer.instance = services.record_rehearsal(
            project, by=self.request.user, **serializer.validated_data
        )


CalculateRequest = inline_serializer(
    "CalculateRequest",
    {
        "attendees": serializers.IntegerField(min_value=1),
        "layout": serializers.CharField(),
        "tiers": serializers.ListField(child=serializers.CharField()),
        "alpha": serializers.DecimalField(max_digits=4, decimal_places=2, required=False),
        "custom_units": serializers.DecimalField(max_digits=10, decimal_places=2, required=False),
        "room": serializers.IntegerField(required=False),
        "project": serializers.IntegerField(required=False),
    },
)


class CalculateView(APIView):
    """POST /api/v1/resources/calculate/ — the calculator's proposal, the same data as the page shows."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=CalculateRequest, responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        rulebook = active_rulebook()
        if data.get("project") not in (None, ""):
            project = MeetingProject.objects.filter(pk=data["project"]).first()
            if project is None or not request.user.has_perm("projects.view_meetingproject", project):
                raise DjangoValidationError({"project": [_("Unknown project.")]})
            rulebook = rulebook_for(project)
        try:
            inputs = calculator.parse(data, rulebook, rooms=queries.rooms())
            return Response(calculator.calculate(inputs, rulebook))
        except calculator.CalculatorError as error:
            raise DjangoValidationError({k: [v] for k, v in error.errors.items()}) from None

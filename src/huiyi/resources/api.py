"""Resources over the API: registers, a project's bookings and the calculator. Thin — services decide."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from huiyi.api.errors import error_response
from huiyi.projects.models import MeetingProject
from huiyi.rulebook.services import active_rulebook, rulebook_for

from . import calculator, queries, services
from .models import Booking, Equipment, Room, Supplier, Venue


class RoomSerializer(serializers.ModelSerializer):
    class Meta:
        model = Room
        fields = ["id", "name", "floor", "area_m2", "capacities", "facilities", "is_active"]


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


class ProjectBookingViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Bookings of one project. A double booking of a room or device is refused with 409 and the clash."""

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

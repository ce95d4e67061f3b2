"""Settlements and the lost-and-found log over the API: thin — the services validate and save.

    GET/POST          /api/v1/settlements/                       (filter ?project=<id>)
    GET/PATCH         /api/v1/settlements/<id>/
    POST              /api/v1/settlements/<id>/invoices/
    POST              /api/v1/settlements/<id>/disputes/
    POST              /api/v1/settlements/<id>/payments/<payment id>/paid/
    GET/POST          /api/v1/projects/<project id>/lost-and-found/
    GET               /api/v1/projects/<project id>/lost-and-found/<id>/

Money is a decimal string; a bad amount answers 400 with ``error.fields`` naming the field.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from huiyi.projects.models import MeetingProject
from huiyi.projects.queries import visible_projects

from . import queries, services
from .models import Dispute, Invoice, LostItem, Payment, Settlement

MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}


def _call(action):
    try:
        return action()
    except DjangoValidationError as error:
        raise serializers.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        ) from error


def _require(user, permission: str, obj):
    if not user.has_perm(permission, obj):
        raise PermissionDenied(_("Your roles do not allow this."))


# -- settlements ---------------------------------------------------------------------------------------------


class InvoiceSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(**MONEY)

    class Meta:
        model = Invoice
        fields = ["id", "number", "amount", "issued_at", "correct", "correction", "corrected_at"]


class PaymentSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(read_only=True, **MONEY)
    paid_amount = serializers.DecimalField(read_only=True, allow_null=True, **MONEY)
    on_time = serializers.BooleanField(read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "name", "amount", "due_date", "paid_amount", "paid_at", "on_time", "schedule_line"]


class PaidSerializer(serializers.Serializer):
    paid_amount = serializers.DecimalField(**MONEY)
    paid_at = serializers.DateField()


class DisputeSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(required=False, allow_null=True, **MONEY)

    class Meta:
        model = Dispute
        fields = ["id", "subject", "opened_at", "amount", "resolved_at", "resolution"]
        read_only_fields = ["resolved_at", "resolution"]
        extra_kwargs = {"opened_at": {"required": False}}


class SettlementSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=MeetingProject.objects.all())
    final_amount = serializers.DecimalField(required=False, allow_null=True, **MONEY)
    agreed_value = serializers.DecimalField(required=False, allow_null=True, **MONEY)
    contract = serializers.SerializerMethodField()
    contract_value = serializers.SerializerMethodField()
    value_source = serializers.SerializerMethodField()
    deviation = serializers.SerializerMethodField()
    invoice_accuracy = serializers.SerializerMethodField()
    payment_on_time_rate = serializers.SerializerMethodField()
    verdicts = serializers.SerializerMethodField()
    invoices = InvoiceSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)
    disputes = DisputeSerializer(many=True, read_only=True)

    class Meta:
        model = Settlement
        fields = [
            "id",
            "project",
            "contract",
            "contract_value",
            "value_source",
            "agreed_value",
            "agreed_value_note",
            "final_amount",
            "deviation",
            "settled_at",
            "note",
            "invoice_accuracy",
            "payment_on_time_rate",
            "verdicts",
            "invoices",
            "payments",
            "disputes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def _figures(self, obj) -> queries.SettlementFigures:
        cache = self.context.setdefault("_figures", {})
        if obj.pk not in cache:
            cache[obj.pk] = queries.settlement_figures(obj.project)
        return cache[obj.pk]

    @staticmethod
    def _s(value):
        return None if value is None else str(value)

    def get_contract(self, obj) -> str | None:
        contract = self._figures(obj).contract
        return str(contract) if contract else None

    def get_contract_value(self, obj) -> str | None:
        return self._s(self._figures(obj).value)

    def get_value_source(self, obj) -> str:
        return self._figures(obj).value_source

    def get_deviation(self, obj) -> str | None:
        return self._s(self._figures(obj).deviation)

    def get_invoice_accuracy(self, obj) -> str | None:
        return self._s(self._figures(obj).invoice_accuracy)

    def get_payment_on_time_rate(self, obj) -> str | None:
        return self._s(self._figures(obj).on_time_rate)

    def get_verdicts(self, obj) -> dict[str, str]:
        figures = self._figures(obj)
        return {key: figures.verdict(key) or "not_measured" for key in figures.rules}


SETTLEMENT_FIELDS = ("final_amount", "agreed_value", "agreed_value_note", "settled_at", "note")


class SettlementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The financial settlement of a project (CCP 10): value, final amount, deviation, invoices, payments."""

    serializer_class = SettlementSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        rows = (
            Settlement.objects.filter(project__in=visible_projects(self.request.user).values("pk"))
            .select_related("project")
            .prefetch_related("invoices", "payments", "disputes")
            .order_by("-pk")
        )
        if self.action == "list":
            project = self.request.query_params.get("project", "")
            if project.isdigit():
                rows = rows.filter(project_id=int(project))
        user = self.request.user
        if not (user.is_superuser or "closing.view_settlement" in user.get_all_permissions()):
            rows = rows.none()  # the object rule is role × visible project; visibility is filtered above
        return rows

    def get_object(self):
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        _require(self.request.user, "closing.view_settlement", obj.project)
        return obj

    @extend_schema(
        parameters=[OpenApiParameter("project", int, description="only this project's settlement")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer):
        project = serializer.validated_data["project"]
        if not self.request.user.has_perm("projects.view_meetingproject", project):
            raise serializers.ValidationError({"project": [_("Unknown project.")]})
        _require(self.request.user, "closing.settle", project)
        if Settlement.objects.filter(project=project).exists():
            raise serializers.ValidationError(
                {"project": [_("This project has a settlement; change it instead.")]}
            )
        data = {k: v for k, v in serializer.validated_data.items() if k in SETTLEMENT_FIELDS}
        serializer.instance = _call(lambda: services.save_settlement(project, by=self.request.user, **data))

    def perform_update(self, serializer):
        settlement = serializer.instance
        _require(self.request.user, "closing.settle", settlement.project)
        if (
            "project" in serializer.validated_data
            and serializer.validated_data["project"] != settlement.project
        ):
            raise serializers.ValidationError({"project": [_("A settlement stays with its project.")]})
        data = {k: v for k, v in serializer.validated_data.items() if k in SETTLEMENT_FIELDS}
        serializer.instance = _call(
            lambda: services.save_settlement(settlement.project, by=self.request.user, **data)
        )

    def _child(self, request, serializer_class, create):
        settlement = self.get_object()
        _require(request.user, "closing.settle", settlement.project)
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = _call(lambda: create(settlement, dict(serializer.validated_data)))
        return Response(serializer_class(obj).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InvoiceSerializer, responses={201: InvoiceSerializer})
    def invoices(self, request, pk=None):
        return self._child(
            request, InvoiceSerializer, lambda s, data: services.add_invoice(s, by=request.user, **data)
        )

    @extend_schema(request=DisputeSerializer, responses={201: DisputeSerializer})
    def disputes(self, request, pk=None):
        return self._child(
            request, DisputeSerializer, lambda s, data: services.open_dispute(s, by=request.user, **data)
        )

    @extend_schema(request=PaidSerializer, responses={200: PaymentSerializer})
    def paid(self, request, pk=None, payment_pk=None):
        settlement = self.get_object()
        _require(request.user, "closing.settle", settlement.project)
        payment = get_object_or_404(Payment, pk=payment_pk, settlement=settlement)
        serializer = PaidSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = _call(
            lambda: services.record_payment(payment, by=request.user, **serializer.validated_data)
        )
        return Response(PaymentSerializer(payment).data)


# -- lost and found ------------------------------------------------------------------------------------------


class LostItemSerializer(serializers.ModelSerializer):
    found_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = LostItem
        fields = [
            "id",
            "description",
            "found_where",
            "found_at",
            "found_by",
            "found_by_name",
            "stored_where",
            "status",
            "returned_to",
            "returned_at",
            "disposed_at",
            "disposal_note",
            "created_at",
        ]
        read_only_fields = [
            "status",
            "returned_to",
            "returned_at",
            "disposed_at",
            "disposal_note",
            "created_at",
        ]
        extra_kwargs = {"found_at": {"required": False}}


class LostItemViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The project's lost-and-found log 遗留物品登记 (CCP 11)."""

    serializer_class = LostItemSerializer

    def get_project(self) -> MeetingProject:
        if not hasattr(self, "_project"):
            project = get_object_or_404(MeetingProject, pk=self.kwargs["project_pk"])
            if not self.request.user.has_perm("projects.view_meetingproject", project):
                raise PermissionDenied(_("You cannot see this project."))
            _require(self.request.user, "closing.view_site", project)
            self._project = project
        return self._project

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LostItem.objects.none()
        return queries.lost_items(self.get_project())

    def perform_create(self, serializer):
        project = self.get_project()
        _require(self.request.user, "closing.keep_site", project)
        serializer.instance = _call(
            lambda: services.log_lost_item(project, by=self.request.user, **serializer.validated_data)
        )

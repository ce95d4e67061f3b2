"""Contracts over the API: thin serializers and viewsets that call the services."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from huiyi.core import links
from huiyi.projects.queries import visible_projects

from . import queries, services
from .models import Breach, ChangeRequest, Contract, PaymentLine, QualityStandard


class PaymentLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaymentLine
        fields = ["name", "due_date", "amount"]


class QualityStandardSerializer(serializers.ModelSerializer):
    class Meta:
        model = QualityStandard
        fields = ["rule_id", "name", "target", "acceptance_point"]
        read_only_fields = ["rule_id", "name", "target"]


class ContractSerializer(serializers.ModelSerializer):
    payments = PaymentLineSerializer(many=True)
    standards = QualityStandardSerializer(many=True, read_only=True)
    acceptance_points = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        write_only=True,
        required=False,
        help_text=_("Acceptance point of each quality standard, in the order of `standards`."),
    )
    project = serializers.PrimaryKeyRelatedField(read_only=True)
    client = serializers.PrimaryKeyRelatedField(read_only=True)
    signed_by = serializers.StringRelatedField(read_only=True)
    signed_copy_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField(help_text="The contract as PDF, in Chinese.")
    pdf_url_en = serializers.SerializerMethodField(help_text="The contract as PDF, in English.")

    class Meta:
        model = Contract
        fields = [
            "id",
            "project",
            "number",
            "version",
            "previous",
            "status",
            "title",
            "client",
            "client_representative",
            "scope_preparation",
            "scope_onsite",
            "scope_in_meeting",
            "scope_post_meeting",
            "acceptance_basis",
            "value",
            "payments",
            "standards",
            "acceptance_points",
            "amendment_note",
            "signed_at",
            "signed_by",
            "signed_copy_url",
            "signed_copy_name",
            "signed_copy_sha256",
            "signed_copy_size",
            "signed_copy_mime",
            "retention_until",
            "pdf_url",
            "pdf_url_en",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "version",
            "previous",
            "status",
            "amendment_note",
            "signed_at",
            "signed_copy_name",
            "signed_copy_sha256",
            "signed_copy_size",
            "signed_copy_mime",
            "retention_until",
        ]
        extra_kwargs = {"number": {"required": False, "allow_blank": True}, "title": {"required": False}}

    def get_signed_copy_url(self, contract) -> str | None:
        if not contract.signed_copy:
            return None
        from django.urls import reverse

        return self.context["request"].build_absolute_uri(
            reverse("contracts:signed_copy", args=[contract.pk])
        )

    def get_pdf_url(self, contract) -> str:
        return self.context["request"].build_absolute_uri(reverse("contracts:pdf", args=[contract.pk]))

    def get_pdf_url_en(self, contract) -> str:
        return self.get_pdf_url(contract) + "?lang=en"

    @staticmethod
    def _standards(points, standards):
        if points is None:
            return None
        if len(points) != len(standards):
            raise serializers.ValidationError(
                {"acceptance_points": _("Give one acceptance point per quality standard.")}
            )
        return [
            {**standard, "acceptance_point": point} for standard, point in zip(standards, points, strict=True)
        ]

    def create(self, validated_data):
        project = self.context["project"]
        points = validated_data.pop("acceptance_points", None)
        standards = self._standards(points, services.standards_from_rulebook(project)) if points else None
        return services.create_contract(
            project, by=self.context["request"].user, standards=standards, **validated_data
        )

    def update(self, instance, validated_data):
        points = validated_data.pop("acceptance_points", None)
        existing = list(instance.standards.values("rule_id", "name", "target", "acceptance_point"))
        payments = validated_data.pop("payments", None)
        return services.update_draft(
            instance,
            by=self.context["request"].user,
            payments=[dict(p) for p in payments] if payments is not None else None,
            standards=self._standards(points, existing),
            **validated_data,
        )


class SignSerializer(serializers.Serializer):
    signed_copy = serializers.FileField(required=False, help_text=_("The signed copy, if not uploaded yet."))
    signed_at = serializers.DateTimeField(required=False)


class ClientConfirmationSerializer(serializers.Serializer):
    client_name = serializers.CharField(help_text=_("The client's person who confirmed the change."))


class ContractSignedCopySerializer(serializers.Serializer):
    signed_copy = serializers.FileField(
        help_text="The signed contract (kept with its SHA-256, size and type)."
    )


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why the change is rejected.")


class RemedySerializer(serializers.Serializer):
    remedy_status = serializers.ChoiceField(choices=Breach.RemedyStatus.choices)


ClientLinkSerializer = inline_serializer(
    "ChangeRequestClientLink", {"url": serializers.URLField(), "expires_at": serializers.DateTimeField()}
)


class ChangeRequestSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    affected_at = serializers.DateTimeField(required=False, allow_null=True)
    resulting_version = serializers.PrimaryKeyRelatedField(read_only=True)
    approved_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "code",
            "contract",
            "kind",
            "description",
            "affected_at",
            "submitted_at",
            "lead_hours",
            "required_lead_hours",
            "is_late",
            "extension_days",
            "extension_ratio",
            "cost_coefficient",
            "cost_impact",
            "cost_from_formula",
            "scope_stage",
            "scope_text",
            "status",
            "approved_at",
            "approved_by",
            "client_confirmed_at",
            "client_confirmed_name",
            "client_channel",
            "rejection_reason",
            "resulting_version",
        ]
        read_only_fields = [
            "contract",
            "submitted_at",
            "lead_hours",
            "required_lead_hours",
            "is_late",
            "extension_ratio",
            "cost_coefficient",
            "cost_from_formula",
            "status",
            "approved_at",
            "client_confirmed_at",
            "client_confirmed_name",
            "client_channel",
            "rejection_reason",
        ]
        extra_kwargs = {"cost_impact": {"required": False, "allow_null": True}}

    def create(self, validated_data):
        validated_data.setdefault("affected_at", None)  # the service names the field when it is missing
        return services.submit_change_request(
            self.context["contract"], by=self.context["request"].user, **validated_data
        )


class BreachSerializer(serializers.ModelSerializer):
    class Meta:
        model = Breach
        fields = [
            "id",
            "contract",
            "breach_class",
            "rule_id",
            "description",
            "occurred_at",
            "responsibility",
            "refund_ratio",
            "remedy_amount",
            "remedy_measures",
            "remedy_deadline",
            "remedy_status",
            "remedy_completed_at",
        ]
        read_only_fields = ["contract", "rule_id", "remedy_status", "remedy_completed_at"]
        extra_kwargs = {"remedy_amount": {"required": False, "allow_null": True}}

    def create(self, validated_data):
        return services.record_breach(
            self.context["contract"], by=self.context["request"].user, **validated_data
        )


class ProjectContractViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """`/api/v1/projects/{project_id}/contracts/`: every version of the project's contract; POST drafts v1."""

    serializer_class = ContractSerializer

    def project(self):
        if not hasattr(self, "_project"):
            self._project = get_object_or_404(
                visible_projects(self.request.user), pk=self.kwargs["project_id"]
            )
        return self._project

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Contract.objects.none()
        return queries.contracts_of_projects(self.request.user, [self.project().pk]).order_by(
            "number", "-version"
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "project_id" in self.kwargs:
            context["project"] = self.project()
        return context

    def perform_create(self, serializer):
        if not self.request.user.has_perm("contracts.change_contract", self.project()):
            raise PermissionDenied(_("You may not draw up contracts for this project."))
        serializer.save()


class ContractViewSet(
    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """`/api/v1/contracts/{id}/`: one version; PATCH changes a draft; `sign/` signs it, `signed-copy/` uploads
    the signed copy, `close/` closes a signed contract; DELETE removes a draft (a signed contract is kept for
    its retention period)."""

    serializer_class = ContractSerializer
    http_method_names = ["get", "patch", "post", "delete", "head", "options"]

    def get_queryset(self):
        return queries.contracts_of_projects(self.request.user)

    def perform_update(self, serializer):
        if not self.request.user.has_perm("contracts.change_contract", serializer.instance):
            raise PermissionDenied(_("You may not change this contract."))
        serializer.save()

    @extend_schema(request=SignSerializer, responses=ContractSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        contract = self.get_object()
        data = SignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data.get("signed_copy"):
            contract = services.attach_signed_copy(
                contract, data.validated_data["signed_copy"], by=request.user
            )
        contract = services.sign_contract(
            contract, by=request.user, signed_at=data.validated_data.get("signed_at")
        )
        return Response(ContractSerializer(contract, context=self.get_serializer_context()).data)

    @extend_schema(request=ContractSignedCopySerializer, responses=ContractSerializer)
    @action(
        detail=True, methods=["post"], url_path="signed-copy", parser_classes=[MultiPartParser, FormParser]
    )
    def signed_copy(self, request, pk=None):
        """Upload (or replace) the signed copy of the contract (multipart, field `signed_copy`)."""
        contract = self.get_object()
        data = ContractSignedCopySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract = services.attach_signed_copy(contract, data.validated_data["signed_copy"], by=request.user)
        return Response(ContractSerializer(contract, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=ContractSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close a signed contract in force (the service is delivered and accounts settled)."""
        contract = services.close_contract(self.get_object(), by=request.user)
        return Response(ContractSerializer(contract, context=self.get_serializer_context()).data)

    def perform_destroy(self, instance):
        services.delete_contract(instance, by=self.request.user)


class _ContractChildViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    def contract(self) -> Contract:
        if not hasattr(self, "_contract"):
            self._contract = get_object_or_404(
                queries.visible_contracts(self.request.user).select_related("project"),
                pk=self.kwargs["contract_id"],
            )
        return self._contract

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "contract_id" in self.kwargs:
            context["contract"] = self.contract()
        return context


class ChangeRequestViewSet(_ContractChildViewSet):
    """`/api/v1/contracts/{contract_id}/change-requests/`: the project's change requests; POST submits one."""

    serializer_class = ChangeRequestSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ChangeRequest.objects.none()
        return queries.project_change_requests(self.request.user, self.contract())

    @extend_schema(request=None, responses=ChangeRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, contract_id=None, pk=None):
        change = get_object_or_404(self.get_queryset(), pk=pk)
        change = services.approve_change_request(change, by=request.user)
        return Response(ChangeRequestSerializer(change, context=self.get_serializer_context()).data)

    @extend_schema(request=ClientConfirmationSerializer, responses=ChangeRequestSerializer)
    @action(detail=True, methods=["post"], url_path="client-confirmation")
    def client_confirmation(self, request, contract_id=None, pk=None):
        change = get_object_or_404(self.get_queryset(), pk=pk)
        if not request.user.has_perm("contracts.change_contract", change):  # before reading the body
            raise PermissionDenied(_("You may not record the client's confirmation."))
        data = ClientConfirmationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.record_client_confirmation(
            change, by=request.user, client_name=data.validated_data["client_name"]
        )
        return Response(ChangeRequestSerializer(change, context=self.get_serializer_context()).data)

    @extend_schema(request=RejectSerializer, responses=ChangeRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, contract_id=None, pk=None):
        """Reject the change (project director or manager), with the reason."""
        change = get_object_or_404(self.get_queryset(), pk=pk)
        data = RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.reject_change_request(change, by=request.user, reason=data.validated_data["reason"])
        return Response(ChangeRequestSerializer(change, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={201: ClientLinkSerializer})
    @action(detail=True, methods=["post"], url_path="client-link")
    def client_link(self, request, contract_id=None, pk=None):
        """Issue the client's signed, single-use link to confirm or decline the change. The URL is returned
        once, never again (only its hash is stored)."""
        change = get_object_or_404(self.get_queryset(), pk=pk)
        token = services.issue_client_link(change, by=request.user)
        link = links.resolve(token, services.CLIENT_LINK_PURPOSE)
        return Response(
            {
                "url": request.build_absolute_uri(reverse("contracts:client_change", args=[token])),
                "expires_at": serializers.DateTimeField().to_representation(link.expires_at),
            },
            status=status.HTTP_201_CREATED,
        )


class BreachViewSet(_ContractChildViewSet):
    """`/api/v1/contracts/{contract_id}/breaches/`: breaches of every version of the contract."""

    serializer_class = BreachSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Breach.objects.none()
        return queries.breaches_of_project(self.contract().project)

    @extend_schema(request=RemedySerializer, responses=BreachSerializer)
    @action(detail=True, methods=["post"])
    def remedy(self, request, contract_id=None, pk=None):
        """Move the remedy on: agreed → in progress → completed (the completion time is recorded)."""
        breach = get_object_or_404(self.get_queryset(), pk=pk)
        data = RemedySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        breach = services.update_remedy_status(
            breach, by=request.user, status=data.validated_data["remedy_status"]
        )
        return Response(BreachSerializer(breach, context=self.get_serializer_context()).data)


__all__ = ["ProjectContractViewSet", "ContractViewSet", "ChangeRequestViewSet", "BreachViewSet"]

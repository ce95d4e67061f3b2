"""Intake over the API: inquiries and their steps, a project's requirements list and its discrepancies."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from huiyi.api import fields as api_fields
from huiyi.clients.models import Client
from huiyi.projects import queries as project_queries
from huiyi.projects.api import ProjectSerializer
from huiyi.projects.models import MeetingProject, MeetingType
from huiyi.rulebook.services import rulebook_for

from . import completeness, queries, services
from .catalogue import SERVICE_LABELS
from .models import Discrepancy, Inquiry, RequirementItem, RequirementsRevision

_FOUR = Decimal("0.0001")

# --- inquiries --------------------------------------------------------------------------------------------


class StepTimingSerializer(serializers.Serializer):
    key = serializers.CharField()
    rule = serializers.CharField(source="rule.id")
    done_at = serializers.DateTimeField(allow_null=True)
    minutes = serializers.FloatField(allow_null=True)
    within_limit = serializers.BooleanField(source="within", allow_null=True)


class InquirySerializer(serializers.ModelSerializer):
    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.all(), required=False)
    new_client = inline_serializer(
        "NewClient",
        {"name": serializers.CharField(max_length=200), "kind": serializers.ChoiceField(Client.Kind.choices)},
        required=False,
        write_only=True,
    )
    account_manager = serializers.StringRelatedField()
    steps = serializers.SerializerMethodField()
    next_step = serializers.SerializerMethodField()

    class Meta:
        model = Inquiry
        fields = [
            "id",
            "client",
            "new_client",
            "contact_name",
            "contact_phone",
            "contact_email",
            "channel",
            "summary",
            "received_at",
            "account_manager",
            "credentials_note",
            "classification",
            "capability_ok",
            "capability_note",
            "next_appointment",
            "next_appointment_note",
            "project",
            "steps",
            "next_step",
        ]
        read_only_fields = [
            "received_at",
            "credentials_note",
            "classification",
            "capability_ok",
            "capability_note",
            "next_appointment",
            "next_appointment_note",
            "project",
        ]

    @extend_schema_field(StepTimingSerializer(many=True))
    def get_steps(self, inquiry) -> list:
        return StepTimingSerializer(queries.contact_step_timings(inquiry), many=True).data

    def get_next_step(self, inquiry) -> str | None:
        return services.next_contact_step(inquiry)

    def validate_client(self, client):
        if (
            not project_queries.clients_for_new_projects(self.context["request"].user)
            .filter(pk=client.pk)
            .exists()
        ):
            raise serializers.ValidationError(_("Unknown client."))
        return client

    def validate(self, data):
        if not data.get("client") and not data.get("new_client"):
            raise serializers.ValidationError({"client": _("Choose a client or enter a new one.")})
        return data

    def create(self, validated_data):
        return services.create_inquiry(by=self.context["request"].user, **validated_data)


class StepSerializer(serializers.Serializer):
    credentials_note = serializers.CharField(max_length=300, required=False)
    classification = serializers.ChoiceField(Inquiry.Classification.choices, required=False)
    capability_ok = serializers.BooleanField(required=False, allow_null=True, default=None)
    capability_note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    next_appointment = serializers.DateTimeField(required=False)
    next_appointment_note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class AttachInquirySerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="An existing project of the same client.")


class ConvertSerializer(serializers.ModelSerializer):
    type = api_fields.SlugRelatedField(
        source="meeting_type", slug_field="key", queryset=MeetingType.objects.filter(is_active=True)
    )

    class Meta:
        model = MeetingProject
        fields = [
            "name",
            "name_en",
            "type",
            "start",
            "end",
            "venue_name",
            "address",
            "venue_type",
            "expected_attendees",
        ]
        extra_kwargs = {"expected_attendees": {"min_value": 1}}

    def validate(self, data):
        if data["end"] <= data["start"]:
            raise serializers.ValidationError({"end": _("The meeting must end after it starts.")})
        return data


class InquiryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Inquiries (REQ-INT-01): record a first contact, click through its four steps, convert it."""

    serializer_class = InquirySerializer
    filterset_fields = ["client", "classification", "channel"]

    def get_queryset(self):
        if not self.request.user.has_perm("intake.view_inquiry"):
            return Inquiry.objects.none()
        return queries.visible_inquiries(self.request.user).order_by("-received_at", "pk")

    def perform_create(self, serializer):
        if not self.request.user.has_perm("intake.add_inquiry"):
            raise PermissionDenied(_("Your roles do not allow recording inquiries."))
        serializer.save()

    def _changeable(self):
        inquiry = self.get_object()
        if not self.request.user.has_perm("intake.change_inquiry", inquiry):
            raise PermissionDenied(_("Your roles do not allow changing this inquiry."))
        return inquiry

    @extend_schema(request=StepSerializer, responses=InquirySerializer)
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<step>[a-z_]+)")
    def step(self, request, pk=None, step=None):
        """Complete the next initial-contact step now: identify_client, classify_request, capability_match,
        next_appointment (the time it took is measured from the timestamps)."""
        inquiry = self._changeable()
        data = StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if v is not None}
        inquiry = services.record_contact_step(inquiry, step, by=request.user, **values)
        return Response(InquirySerializer(inquiry, context=self.get_serializer_context()).data)

    @extend_schema(request=ConvertSerializer, responses={201: ProjectSerializer})
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        """Turn the inquiry into a meeting project (starts the key-step clocks of REQ-INT-02)."""
        inquiry = self._changeable()
        if not request.user.has_perm("projects.add_meetingproject"):
            raise PermissionDenied(_("Your roles do not allow creating meeting projects."))
        data = ConvertSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        project = services.convert_inquiry(inquiry, by=request.user, **data.validated_data)
        return Response(
            ProjectSerializer(project, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=AttachInquirySerializer, responses=InquirySerializer)
    @action(detail=True, methods=["post"])
    def attach(self, request, pk=None):
        """Attach the inquiry to an existing project of the same client."""
        inquiry = self._changeable()
        data = AttachInquirySerializer(data=request.data)
        data.is_valid(raise_exception=True)  # a project id, not a list or an object (a 500 before)
        project = get_object_or_404(
            project_queries.visible_projects(request.user), pk=data.validated_data["project"]
        )
        inquiry = services.attach_inquiry(inquiry, project, by=request.user)
        return Response(InquirySerializer(inquiry, context=self.get_serializer_context()).data)


# --- requirements list ----------------------------------------------------------------------------


@extend_schema_serializer(component_name="RequirementItem")
class ItemSerializer(serializers.ModelSerializer):
    key = serializers.ChoiceField(RequirementItem.Key.choices)
    completion = serializers.DecimalField(
        max_digits=3, decimal_places=2, min_value=0, max_value=1, required=False
    )

    class Meta:
        model = RequirementItem
        fields = ["key", "text", "flag", "purpose", "completion", "unclear"]
        extra_kwargs = {"text": {"required": False}, "unclear": {"required": False}}


class RevisionSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, required=False)
    services = serializers.ListField(child=serializers.ChoiceField(list(SERVICE_LABELS)), required=False)
    basic = inline_serializer(
        "RequirementsBasicInformation",
        {
            "name": serializers.CharField(max_length=200, required=False),
            "start": serializers.DateTimeField(required=False),
            "end": serializers.DateTimeField(required=False),
            "address": serializers.CharField(max_length=300, required=False, allow_blank=True),
            "venue_name": serializers.CharField(max_length=200, required=False, allow_blank=True),
            "venue_type": serializers.ChoiceField(MeetingProject.VenueType.choices, required=False),
            "expected_attendees": serializers.IntegerField(min_value=1, required=False),
            "duration_hours": serializers.FloatField(read_only=True),
        },
        required=False,
    )
    completeness = serializers.SerializerMethodField()
    confirmation = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField(help_text="The requirements list as PDF, in Chinese.")
    pdf_url_en = serializers.SerializerMethodField(help_text="The requirements list as PDF, in English.")

    class Meta:
        model = RequirementsRevision
        fields = [
            "number",
            "status",
            "basic",
            "services",
            "custom_services",
            "budget",
            "payment_schedule",
            "advance_amount",
            "advance_due",
            "balance_amount",
            "balance_due",
            "payment_method",
            "refund_window_days",
            "refund_non_refundable_share",
            "refund_notes",
            "items",
            "completeness",
            "confirmation",
            "pdf_url",
            "pdf_url_en",
            "updated_at",
        ]
        read_only_fields = ["number", "status", "updated_at"]

    def to_representation(self, revision):
        data = super().to_representation(revision)
        project = revision.project
        data["basic"] = {
            "name": project.name,
            "start": serializers.DateTimeField().to_representation(project.start),
            "end": serializers.DateTimeField().to_representation(project.end),
            "duration_hours": round(project.duration.total_seconds() / 3600, 2),
            "address": project.address,
            "venue_name": project.venue_name,
            "venue_type": project.venue_type,
            "expected_attendees": project.expected_attendees,
        }
        return data

    def get_pdf_url(self, revision) -> str:
        path = reverse("intake:requirements_pdf", args=[revision.project_id])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_pdf_url_en(self, revision) -> str:
        return self.get_pdf_url(revision) + "?lang=en"

    @extend_schema_field(
        inline_serializer(
            "RequirementsCompleteness",
            {
                "index": serializers.DecimalField(max_digits=5, decimal_places=4),
                "recorded": serializers.IntegerField(),
                "unclear": serializers.IntegerField(),
                "total": serializers.IntegerField(),
                "missing": serializers.ListField(child=serializers.CharField()),
            },
        )
    )
    def get_completeness(self, revision) -> dict:
        score = completeness.of_revision(revision, rulebook_for(revision.project))
        return {
            "index": str(score.index.quantize(_FOUR)),
            "recorded": score.recorded,
            "unclear": score.unclear,
            "total": score.total,
            "missing": score.missing,
        }

    @extend_schema_field(
        inline_serializer(
            "RequirementsConfirmation",
            {
                "confirmed_by": serializers.CharField(),
                "confirmed_at": serializers.DateTimeField(),
                "address": serializers.CharField(),
                "link": serializers.IntegerField(allow_null=True),
            },
            allow_null=True,
        )
    )
    def get_confirmation(self, revision) -> dict | None:
        if not revision.is_confirmed:
            return None
        return {
            "confirmed_by": revision.confirmed_by_name,
            "confirmed_at": serializers.DateTimeField().to_representation(revision.confirmed_at),
            "address": revision.confirmed_address,
            "link": revision.confirmation_link_id,
        }


class ProjectScopedMixin:
    def project(self, permission: str) -> MeetingProject:
        project = get_object_or_404(project_queries.visible_projects(self.request.user), pk=self.kwargs["pk"])
        if not self.request.user.has_perm(permission, project):
            raise PermissionDenied(_("Your roles do not allow this on the project."))
        return project


class RequirementsView(ProjectScopedMixin, APIView):
    """The current revision of a project's 《会议需求清单》 (REQ-INT-03…07).

    PUT/PATCH change it; once the client confirmed a revision, a change creates the next revision that must be
    confirmed again. Money is a decimal string, ratios are fractions, `items` are the 5W2H items by key.
    """

    @extend_schema(responses=RevisionSerializer)
    def get(self, request, pk):
        revision = queries.current_revision(self.project("intake.view_requirementsrevision"))
        if revision is None:
            return Response(
                {
                    "error": {
                        "code": "not_found",
                        "message": str(_("No requirements list yet.")),
                        "fields": {},
                    }
                },
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(RevisionSerializer(revision, context={"request": request}).data)

    @extend_schema(request=RevisionSerializer, responses=RevisionSerializer)
    def put(self, request, pk):
        return self._save(request, partial=False)

    @extend_schema(request=RevisionSerializer, responses=RevisionSerializer)
    def patch(self, request, pk):
        return self._save(request, partial=True)

    def _save(self, request, *, partial: bool):
        project = self.project("intake.change_requirementsrevision")
        data = RevisionSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        basic = values.pop("basic", None)
        items = {item.pop("key"): item for item in values.pop("items", [])}
        revision = services.save_requirements(
            project, by=request.user, basic=basic, values=values, items=items
        )
        return Response(
            RevisionSerializer(
                queries.current_revision(project) or revision, context={"request": request}
            ).data
        )


class SendLinkSerializer(serializers.Serializer):
    recipient = serializers.CharField(required=False, allow_blank=True)


class SendLinkView(ProjectScopedMixin, APIView):
    """Create the client's signed, expiring confirmation link for the current revision (token shown once)."""

    @extend_schema(
        request=SendLinkSerializer,
        responses={
            201: inline_serializer(
                "ConfirmationLink",
                {"url": serializers.CharField(), "expires_at": serializers.DateTimeField()},
            )
        },
    )
    def post(self, request, pk):
        project = self.project("intake.change_requirementsrevision")
        revision = queries.current_revision(project)
        if revision is None:
            return Response(
                {
                    "error": {
                        "code": "invalid",
                        "message": str(_("Save the requirements list first.")),
                        "fields": {},
                    }
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        data = SendLinkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        link, token = services.send_for_confirmation(
            revision, by=request.user, recipient=data.validated_data.get("recipient", "")[:200]
        )
        return Response(
            {
                "url": request.build_absolute_uri(reverse("intake:confirm", args=[token])),
                "expires_at": serializers.DateTimeField().to_representation(link.expires_at),
            },
            status=status.HTTP_201_CREATED,
        )


class DiscrepancySerializer(serializers.ModelSerializer):
    found_by = serializers.StringRelatedField()
    revision = serializers.IntegerField(source="revision.number", read_only=True)

    class Meta:
        model = Discrepancy
        fields = ["id", "revision", "item", "description", "found_by", "found_at"]
        read_only_fields = ["found_at"]


class DiscrepancyListView(ProjectScopedMixin, generics.ListCreateAPIView):
    """Discrepancies found after the client confirmed the list (REQ-INT-07: error rate = these / items)."""

    serializer_class = DiscrepancySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Discrepancy.objects.none()
        return queries.discrepancies(self.project("intake.view_requirementsrevision")).order_by(
            "-found_at", "pk"
        )

    def create(self, request, *args, **kwargs):
        project = self.project("intake.add_discrepancy")
        data = DiscrepancySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        discrepancy = services.record_discrepancy(project, by=request.user, **data.validated_data)
        return Response(DiscrepancySerializer(discrepancy).data, status=status.HTTP_201_CREATED)

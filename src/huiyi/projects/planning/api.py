"""Plan versions over the API (thin: every change goes through services)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from huiyi.projects.models import MeetingProject

from . import queries, services
from .models import (
    AgendaItem,
    BudgetLine,
    PlanReview,
    PlanVersion,
    ResourceLine,
    ReviewOutcome,
    RiskItem,
    SignedCopy,
)


class Frozen(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "frozen"
    default_detail = _("This plan version is no longer a draft and cannot change; create a new version.")


FROZEN_RESPONSE = OpenApiResponse(description="The version is no longer a draft (error.code `frozen`).")


@extend_schema_serializer(component_name="PlanAgendaItem")  # the live agenda of the meeting is another thing
class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["starts_at", "ends_at", "title", "notes"]


class ResourceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResourceLine
        fields = ["kind", "name", "quantity", "start", "end", "notes"]


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["category", "description", "amount"]


class RiskItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = RiskItem
        fields = ["risk", "description", "response", "owner"]


class SignedCopySerializer(serializers.ModelSerializer):
    """The client's e-signed copy of the confirmed version, archived with its SHA-256 (CCP 3)."""

    uploaded_by = serializers.StringRelatedField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = SignedCopy
        fields = ["id", "original_name", "sha256", "size", "uploaded_at", "uploaded_by", "url"]
        read_only_fields = fields

    def get_url(self, copy) -> str:
        return _absolute(self.context, reverse("planning:signed_copy", args=[copy.pk]))


def _absolute(context, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


NESTED = {
    "agenda": ("agenda_items", AgendaItemSerializer),
    "resources": ("resource_lines", ResourceLineSerializer),
    "budget": ("budget_lines", BudgetLineSerializer),
    "risks": ("risks", RiskItemSerializer),
}


class PlanVersionSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(read_only=True)
    agenda = AgendaItemSerializer(source="agenda_items", many=True, required=False)
    resources = ResourceLineSerializer(source="resource_lines", many=True, required=False)
    budget = BudgetLineSerializer(source="budget_lines", many=True, required=False)
    risks = RiskItemSerializer(many=True, required=False)
    budget_total = serializers.SerializerMethodField()
    creativity_score = serializers.SerializerMethodField()
    client_confirmation = serializers.SerializerMethodField()
    signed_copies = SignedCopySerializer(many=True, read_only=True)
    pdf_url = serializers.SerializerMethodField(help_text="The plan as PDF, in Chinese.")
    pdf_url_en = serializers.SerializerMethodField(help_text="The plan as PDF, in English.")

    class Meta:
        model = PlanVersion
        fields = [
            "id",
            "project",
            "number",
            "status",
            "based_on",
            "change_note",
            *services.GOAL_FIELDS[:-1],
            "agenda",
            "resources",
            "budget",
            "risks",
            "budget_total",
            "creativity_score",
            "review_outcome",
            "review_note",
            "submitted_at",
            "sent_at",
            "confirmed_at",
            "client_confirmation",
            "signed_copies",
            "pdf_url",
            "pdf_url_en",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "number",
            "status",
            "based_on",
            "review_outcome",
            "review_note",
            "submitted_at",
            "sent_at",
            "confirmed_at",
            "created_at",
            "updated_at",
        ]

    def get_pdf_url(self, version) -> str:
        return _absolute(self.context, reverse("planning:pdf", args=[version.pk]))

    def get_pdf_url_en(self, version) -> str:
        return _absolute(self.context, reverse("planning:pdf", args=[version.pk]) + "?lang=en")

    def get_budget_total(self, version) -> str:
        return str(queries.budget_total(version))

    def get_creativity_score(self, version) -> str | None:
        score = queries.score_average(version)
        return None if score is None else str(score)

    @extend_schema(
        responses=inline_serializer(
            "PlanClientConfirmation",
            {
                "accepted_sections": serializers.IntegerField(),
                "sections": serializers.IntegerField(),
                "signed_by": serializers.CharField(),
                "signed_at": serializers.DateTimeField(allow_null=True),
            },
        )
    )
    def get_client_confirmation(self, version) -> dict | None:
        response = queries.latest_response(version)
        if response is None:
            return None
        return {
            "accepted_sections": response.accepted_sections,
            "sections": response.total_sections,
            "signed_by": response.signer_name,
            "signed_at": response.signed_at.isoformat() if response.signed_at else None,
        }

    def update(self, instance, validated_data):
        by = self.context["request"].user
        lines = {
            kind: validated_data.pop(source)
            for kind, (source, _s) in NESTED.items()
            if source in validated_data
        }
        try:
            with transaction.atomic():
                if validated_data:
                    services.update_goals(instance, by=by, **validated_data)
                for kind, rows in lines.items():
                    services.replace_lines(instance, kind, rows, by=by)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return queries.version_detail(instance.pk)


class PlanReviewSerializer(serializers.ModelSerializer):
    reviewer = serializers.StringRelatedField()

    class Meta:
        model = PlanReview
        fields = ["id", "reviewer", "score", "outcome", "comment", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


def _project_for(request, pk) -> MeetingProject:
    project = get_object_or_404(MeetingProject, pk=pk)
    if not request.user.has_perm("planning.view_plan", project):
        raise NotFound
    return project


def _version_for(request, pk, permission="planning.view_plan") -> PlanVersion:
    try:
        version = queries.version_detail(pk)
    except PlanVersion.DoesNotExist as missing:
        raise NotFound from missing
    if not request.user.has_perm("planning.view_plan", version.project):
        raise NotFound
    if not request.user.has_perm(permission, version.project):
        raise PermissionDenied
    return version


class ProjectPlansView(generics.ListCreateAPIView):
    """Plan versions of a project, newest first; POST creates the next version (a copy of the latest)."""

    serializer_class = PlanVersionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PlanVersion.objects.none()
        project = _project_for(self.request, self.kwargs["project_pk"])
        return queries.project_versions(project).prefetch_related("agenda_items", "resource_lines", "risks")

    def create(self, request, *args, **kwargs):
        project = _project_for(request, kwargs["project_pk"])
        if not request.user.has_perm("planning.edit_plan", project):
            raise PermissionDenied
        version = services.create_version(project, by=request.user)
        serializer = self.get_serializer(version, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data:
            serializer.save()
        return Response(
            self.get_serializer(queries.version_detail(version.pk)).data, status=status.HTTP_201_CREATED
        )


class PlanVersionView(generics.RetrieveUpdateAPIView):
    """One plan version; PATCH changes a draft (goals and, when given, whole lists of lines)."""

    serializer_class = PlanVersionSerializer
    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(responses={200: PlanVersionSerializer, 409: FROZEN_RESPONSE})
    def patch(self, request, *args, **kwargs):
        return super().patch(request, *args, **kwargs)

    def get_object(self):
        method = self.request.method
        permission = "planning.view_plan" if method in ("GET", "HEAD", "OPTIONS") else "planning.edit_plan"
        version = _version_for(self.request, self.kwargs["pk"], permission)
        if method == "PATCH" and not version.is_editable:
            raise Frozen
        return version


class PlanReviewsView(generics.ListCreateAPIView):
    """Reviews of a version; POST records (or replaces) the caller's score and recommendation."""

    serializer_class = PlanReviewSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PlanReview.objects.none()
        version = _version_for(self.request, self.kwargs["pk"])
        return version.reviews.select_related("reviewer").order_by("created_at", "pk")

    def create(self, request, *args, **kwargs):
        version = _version_for(request, kwargs["pk"], "planning.review_plan")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.review(version, reviewer=request.user, **serializer.validated_data)
        return Response(self.get_serializer(review).data, status=status.HTTP_201_CREATED)


class PlanSendRequestSerializer(serializers.Serializer):
    recipient = serializers.CharField(required=False, allow_blank=True)


class SendPlanView(APIView):
    """Issue the client's confirmation link for an approved version. The URL is returned once, never again."""

    @extend_schema(
        request=PlanSendRequestSerializer,
        responses={
            201: inline_serializer(
                "PlanSendResponse",
                {
                    "url": serializers.URLField(),
                    "expires_at": serializers.DateTimeField(),
                    "status": serializers.CharField(),
                },
            ),
            409: FROZEN_RESPONSE,
        },
    )
    def post(self, request, pk):
        version = _version_for(request, pk, "planning.edit_plan")
        if version.is_frozen:
            raise Frozen
        data = PlanSendRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        recipient = data.validated_data.get("recipient", "")[:200]
        version, token = services.send_to_client(version, by=request.user, recipient=recipient)
        link = queries.live_link(version)
        return Response(
            {
                "url": request.build_absolute_uri(reverse("planning:confirm", args=[token])),
                "expires_at": link.expires_at if link else None,
                "status": version.status,
            },
            status=status.HTTP_201_CREATED,
        )


def _version_response(request, version: PlanVersion, status_code=status.HTTP_200_OK) -> Response:
    data = PlanVersionSerializer(queries.version_detail(version.pk), context={"request": request}).data
    return Response(data, status=status_code)


class SubmitPlanView(APIView):
    """Submit a draft for internal review (REQ-PLN-03): goals, a budget line and a risk are required."""

    @extend_schema(request=None, responses=PlanVersionSerializer)
    def post(self, request, pk):
        version = _version_for(request, pk, "planning.edit_plan")
        return _version_response(request, services.submit_for_review(version, by=request.user))


class ConcludeReviewSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ConcludeReviewView(APIView):
    """Conclude the internal review: `approve` (ready to send to the client) or `return` (back to draft, the
    note says what needs rework). At least one reviewer must have scored the version."""

    @extend_schema(request=ConcludeReviewSerializer, responses=PlanVersionSerializer)
    def post(self, request, pk):
        version = _version_for(request, pk, "planning.review_plan")
        data = ConcludeReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.conclude_review(version, by=request.user, **data.validated_data)
        return _version_response(request, version)


class SignedCopyUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The client's e-signed copy of the confirmed version.")


class SignedCopiesView(APIView):
    """The client's e-signed copies of a confirmed version. POST (multipart, field `file`) archives one with
    its SHA-256 and size; only the confirmed version takes a signed copy."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=SignedCopySerializer(many=True))
    def get(self, request, pk):
        version = _version_for(request, pk)
        return Response(
            SignedCopySerializer(version.signed_copies.all(), many=True, context={"request": request}).data
        )

    @extend_schema(request=SignedCopyUploadSerializer, responses={201: SignedCopySerializer})
    def post(self, request, pk):
        version = _version_for(request, pk, "planning.edit_plan")
        data = SignedCopyUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        copy = services.archive_signed_copy(version, data.validated_data["file"], by=request.user)
        return Response(
            SignedCopySerializer(copy, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

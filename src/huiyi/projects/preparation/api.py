"""Preparation records over the API, nested under a project: thin — the services validate and save."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from huiyi.accounts.models import User
from huiyi.api.schema import AutoSchema
from huiyi.projects.models import MeetingProject

from . import queries, services
from .models import (
    AttendeeCommunication,
    ClientMessage,
    HostEvaluation,
    MaterialItem,
    ReviewStep,
    Task,
    TrainingSession,
)


def _django_errors_as_api(action):
    try:
        return action()
    except DjangoValidationError as error:
        raise serializers.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        ) from error


class ProjectNestedViewSet(viewsets.GenericViewSet):
    """A collection under /projects/<project_pk>/: readable by those who see the project."""

    manage_permission = "preparation.manage"

    def get_project(self) -> MeetingProject:
        if not hasattr(self, "_project"):
            project = get_object_or_404(MeetingProject, pk=self.kwargs["project_pk"])
            if not self.request.user.has_perm("projects.view_meetingproject", project):
                raise PermissionDenied(_("You cannot see this project."))
            self._project = project
        return self._project

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no project
            return self.serializer_class.Meta.model.objects.none()
        return self.project_queryset(self.get_project())

    def project_queryset(self, project):
        raise NotImplementedError

    def require(self, permission: str, obj):
        if not self.request.user.has_perm(permission, obj):
            raise PermissionDenied(_("Your roles do not allow this."))


# -- tasks ------------------------------------------------------------------------------------------------


class TaskSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    owner_name = serializers.CharField(source="owner.__str__", read_only=True)
    done_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "number",
            "title",
            "owner",
            "owner_name",
            "due",
            "done_criterion",
            "status",
            "done_at",
            "done_by",
            "created_at",
        ]
        read_only_fields = ["number", "done_at", "done_by", "created_at"]


class TaskViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ProjectNestedViewSet,
):
    """The project's execution-plan tasks (REQ-PLN-05, REQ-PRE-01). PATCH `status` to "done" or "open"."""

    serializer_class = TaskSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def project_queryset(self, project):
        return queries.project_tasks(project)

    def perform_create(self, serializer):
        project = self.get_project()
        self.require("preparation.manage", project)
        data = dict(serializer.validated_data)
        data.pop("status", None)
        serializer.instance = _django_errors_as_api(
            lambda: services.create_task(project, created_by=self.request.user, **data)
        )

    def perform_update(self, serializer):
        task = serializer.instance
        data = dict(serializer.validated_data)
        status = data.pop("status", None)
        if data:
            self.require("preparation.manage", task)
            _django_errors_as_api(lambda: services.update_task(task, **data))
        if status is not None and status != task.status:
            self.require("preparation.complete_task", task)
            if status == Task.Status.DONE:
                _django_errors_as_api(lambda: services.complete_task(task, by=self.request.user))
            else:
                _django_errors_as_api(lambda: services.reopen_task(task, by=self.request.user))

    def perform_destroy(self, instance):
        self.require("preparation.manage", instance)
        services.delete_task(instance, by=self.request.user)


# -- review steps -----------------------------------------------------------------------------------------


class ReviewStepSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="get_department_display", read_only=True)

    class Meta:
        model = ReviewStep
        fields = [
            "id",
            "position",
            "department",
            "department_name",
            "rule_id",
            "reviewer",
            "started_at",
            "due",
            "due_confirmed",
            "outcome",
            "comment",
            "completed_at",
        ]
        read_only_fields = fields


class ReviewDecisionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[ReviewStep.Outcome.APPROVED, ReviewStep.Outcome.RETURNED])
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewStepViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProjectNestedViewSet):
    """The cross-department review chain (REQ-PRE-04). POST to the list starts it; PATCH a step with
    `outcome` (approved/returned) and `comment` records the department's decision."""

    serializer_class = ReviewStepSerializer
    schema = AutoSchema()  # POST answers with every step of the chain, not a page of them

    def project_queryset(self, project):
        return queries.review_steps(project)

    @extend_schema(request=None, responses={201: ReviewStepSerializer(many=True)})
    def create(self, request, *args, **kwargs):
        from rest_framework.response import Response

        project = self.get_project()
        self.require("preparation.manage", project)
        steps = _django_errors_as_api(lambda: services.start_review(project, by=request.user))
        return Response(ReviewStepSerializer(steps, many=True).data, status=201)

    def partial_update(self, request, *args, **kwargs):
        from rest_framework.response import Response

        step = self.get_object()
        self.require("preparation.review_step", step)
        decision = ReviewDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        step = _django_errors_as_api(
            lambda: services.complete_review_step(step, by=request.user, **decision.validated_data)
        )
        return Response(ReviewStepSerializer(step).data)

    @extend_schema(request=None, responses=ReviewStepSerializer)
    @action(detail=True, methods=["post"])
    def restart(self, request, *args, **kwargs):
        """After rework, a returned step runs again with a fresh working-day deadline."""
        step = self.get_object()
        self.require("preparation.review_step", step)
        step = _django_errors_as_api(lambda: services.restart_review_step(step, by=request.user))
        return Response(ReviewStepSerializer(step).data)


# -- training ---------------------------------------------------------------------------------------------


class AttendanceSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    attended = serializers.BooleanField(default=True)
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, required=False)
    passed = serializers.BooleanField(read_only=True)


class AttendancesSerializer(serializers.Serializer):
    attendances = AttendanceSerializer(many=True, required=False)


class TrainingSerializer(serializers.ModelSerializer):
    attendances = AttendanceSerializer(many=True, read_only=True)
    pass_mark = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)

    class Meta:
        model = TrainingSession
        fields = ["id", "topic", "title", "audience_roles", "held_at", "trainer", "pass_mark", "attendances"]


class TrainingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ProjectNestedViewSet
):
    """Training sessions (REQ-PRE-02) with attendance and scores. POST `attendances` on a session (a list of
    {user, attended, score}) through PATCH records them."""

    serializer_class = TrainingSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def project_queryset(self, project):
        return queries.trainings(project)

    def perform_create(self, serializer):
        project = self.get_project()
        self.require("preparation.record_training", project)
        serializer.instance = _django_errors_as_api(
            lambda: services.create_training(
                project, created_by=self.request.user, **serializer.validated_data
            )
        )

    @extend_schema(request=AttendancesSerializer, responses=TrainingSerializer)
    def partial_update(self, request, *args, **kwargs):
        from rest_framework.response import Response

        session = self.get_object()
        self.require("preparation.record_training", session)
        given = AttendancesSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        from django.db import transaction

        with transaction.atomic():
            for row in given.validated_data.get("attendances", []):
                _django_errors_as_api(lambda row=row: services.record_attendance(session, **row))
        return Response(TrainingSerializer(queries.trainings(session.project).get(pk=session.pk)).data)


# -- host / MC evaluation --------------------------------------------------------------------------------


class HostEvaluationSerializer(serializers.ModelSerializer):
    created_by = serializers.StringRelatedField()

    class Meta:
        model = HostEvaluation
        fields = ["id", "host_name", "score", "comment", "created_at", "created_by"]
        read_only_fields = ["created_at"]


class HostEvaluationViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, ProjectNestedViewSet):
    """The host/MC's professional evaluation, a score from 0 to 100 (REQ-PRE-02); the scores feed CCP 7."""

    serializer_class = HostEvaluationSerializer

    def project_queryset(self, project):
        return queries.host_evaluations(project).select_related("created_by")

    def perform_create(self, serializer):
        project = self.get_project()
        self.require("preparation.record_training", project)
        serializer.instance = _django_errors_as_api(
            lambda: services.record_host_evaluation(
                project, created_by=self.request.user, **serializer.validated_data
            )
        )


# -- materials --------------------------------------------------------------------------------------------


class MaterialSerializer(serializers.ModelSerializer):
    delivered_on_time = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = MaterialItem
        fields = [
            "id",
            "name",
            "kind",
            "quantity",
            "planned_delivery",
            "approval",
            "approved_by_name",
            "approval_at",
            "approval_via_link",
            "approval_comment",
            "delivered_at",
            "delivered_on_time",
            "satisfaction",
        ]
        read_only_fields = [
            "approval",
            "approved_by_name",
            "approval_at",
            "approval_via_link",
            "approval_comment",
        ]


class DesignDecisionSerializer(serializers.Serializer):
    approved = serializers.BooleanField(help_text="true: the client approves the design; false: rejects it.")
    client_name = serializers.CharField(max_length=100, help_text="Who decided on the client's side.")
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ApprovalLinkRequestSerializer(serializers.Serializer):
    recipient = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


ApprovalLinkSerializer = inline_serializer(
    "DesignApprovalLink", {"url": serializers.URLField(), "expires_at": serializers.DateTimeField()}
)


class MaterialViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ProjectNestedViewSet,
):
    """Materials (REQ-PRE-05): PATCH `delivered_at` records delivery, `satisfaction` the rating."""

    serializer_class = MaterialSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def project_queryset(self, project):
        return queries.materials(project)

    def perform_create(self, serializer):
        project = self.get_project()
        self.require("preparation.manage", project)
        data = {
            k: v
            for k, v in serializer.validated_data.items()
            if k in ("name", "kind", "quantity", "planned_delivery")
        }
        serializer.instance = _django_errors_as_api(
            lambda: services.create_material(project, created_by=self.request.user, **data)
        )

    def perform_update(self, serializer):
        item = serializer.instance
        self.require("preparation.manage", item)
        data = serializer.validated_data
        if "delivered_at" in data:
            _django_errors_as_api(
                lambda: services.record_delivery(
                    item, by=self.request.user, delivered_at=data["delivered_at"]
                )
            )
        if data.get("satisfaction"):
            _django_errors_as_api(
                lambda: services.rate_material(item, by=self.request.user, satisfaction=data["satisfaction"])
            )

    @extend_schema(request=DesignDecisionSerializer, responses=MaterialSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request, *args, **kwargs):
        """Record the client's decision on the design, given by phone or in person (REQ-PRE-05, CCP 5)."""
        item = self.get_object()
        self.require("preparation.manage", item)
        data = DesignDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = _django_errors_as_api(
            lambda: services.record_design_decision(item, by=request.user, **data.validated_data)
        )
        return Response(MaterialSerializer(item).data)

    @extend_schema(request=ApprovalLinkRequestSerializer, responses={201: ApprovalLinkSerializer})
    @action(detail=True, methods=["post"], url_path="approval-link")
    def approval_link(self, request, *args, **kwargs):
        """Issue the client's signed, single-use link to approve or reject the design. The URL is returned
        once, never again (only its hash is stored)."""
        item = self.get_object()
        self.require("preparation.manage", item)
        data = ApprovalLinkRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        link, token = services.issue_design_approval_link(item, by=request.user, **data.validated_data)
        return Response(
            {
                "url": request.build_absolute_uri(reverse("preparation:approve", args=[token])),
                "expires_at": serializers.DateTimeField().to_representation(link.expires_at),
            },
            status=status.HTTP_201_CREATED,
        )


# -- client communications --------------------------------------------------------------------------------


class ClientMessageSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ClientMessage
        fields = [
            "id",
            "channel",
            "direction",
            "stage",
            "summary",
            "received_at",
            "respond_by",
            "respond_by_confirmed",
            "responded_at",
            "responded_by",
            "overdue",
        ]
        read_only_fields = ["respond_by", "respond_by_confirmed", "responded_by"]

    def get_overdue(self, message) -> bool:
        from django.utils import timezone

        return message.is_overdue(timezone.now())


class ClientMessageViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ProjectNestedViewSet,
):
    """The client communication log (REQ-FBK-05); the response clock per stage comes from the rulebook.
    PATCH `responded_at` records the reply."""

    serializer_class = ClientMessageSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def project_queryset(self, project):
        return queries.client_messages(project)

    def perform_create(self, serializer):
        project = self.get_project()
        self.require("preparation.manage", project)
        data = dict(serializer.validated_data)
        data.pop("responded_at", None)
        serializer.instance = _django_errors_as_api(
            lambda: services.log_client_message(project, created_by=self.request.user, **data)
        )

    def perform_update(self, serializer):
        message = serializer.instance
        self.require("preparation.manage", message)
        responded_at = serializer.validated_data.get("responded_at")
        _django_errors_as_api(
            lambda: services.record_response(message, by=self.request.user, responded_at=responded_at)
        )


class AttendeeCommunicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = AttendeeCommunication
        fields = ["id", "kind", "channel", "planned_for", "sent_at", "note"]
        read_only_fields = ["sent_at"]


class AttendeeCommunicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ProjectNestedViewSet
):
    """Planned messages to attendees (REQ-PRE-03): agenda, travel guide, catering … with channel and date.
    POST `{id}/sent/` records that one went out."""

    serializer_class = AttendeeCommunicationSerializer

    def project_queryset(self, project):
        return queries.attendee_communications(project)

    def perform_create(self, serializer):
        project = self.get_project()
        self.require("preparation.manage", project)
        serializer.instance = _django_errors_as_api(
            lambda: services.plan_attendee_communication(
                project, created_by=self.request.user, **serializer.validated_data
            )
        )

    @extend_schema(request=None, responses=AttendeeCommunicationSerializer)
    @action(detail=True, methods=["post"])
    def sent(self, request, *args, **kwargs):
        item = self.get_object()
        self.require("preparation.manage", item)
        item = _django_errors_as_api(lambda: services.mark_attendee_communication_sent(item, by=request.user))
        return Response(AttendeeCommunicationSerializer(item).data)

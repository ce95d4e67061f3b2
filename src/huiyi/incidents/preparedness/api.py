"""Emergency preparedness over the API: thin — the services validate and save.

``/risks/`` (REQ-INC-10): the risk register; the level is computed from likelihood × impact with the
rulebook's four levels. ``/projects/{id}/emergency-resources/`` (REQ-INC-08): the checklist; POST checks
a line.
``/projects/{id}/emergency-contacts/`` (REQ-ONS-09).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from huiyi.accounts.models import User
from huiyi.projects.models import MeetingProject
from huiyi.rulebook.services import active_rulebook, rulebook_for

from . import matrix, queries, services
from .models import EmergencyContact, EmergencyResource, Risk


def _django_errors_as_api(action):
    try:
        return action()
    except DjangoValidationError as error:
        raise serializers.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        ) from error


def _require(request, permission: str, obj=None):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(_("Your roles do not allow this."))


# -- risks --------------------------------------------------------------------------------------------------


class RiskSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(
        queryset=MeetingProject.objects.all(),
        allow_null=True,
        required=False,
        help_text="null: organisation-wide",
    )
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    likelihood = serializers.IntegerField(
        allow_null=True,
        required=False,
        help_text="On the matrix's scale (default 1–5); with impact, or neither.",
    )
    impact = serializers.IntegerField(allow_null=True, required=False)
    level = serializers.IntegerField(read_only=True, allow_null=True, help_text="1 (major) … 4 (low)")
    level_code = serializers.SerializerMethodField()
    level_name = serializers.SerializerMethodField()
    review_overdue = serializers.SerializerMethodField()
    from_plan = serializers.SerializerMethodField(help_text="Imported from the plan's risk table")

    class Meta:
        model = Risk
        fields = [
            "id",
            "project",
            "title",
            "type",
            "description",
            "likelihood",
            "impact",
            "level",
            "level_code",
            "level_name",
            "prevention",
            "trigger",
            "owner",
            "owner_name",
            "review_date",
            "review_overdue",
            "reviewed_at",
            "status",
            "from_plan",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "reviewed_at", "created_at", "updated_at"]

    def _level(self, risk):
        if risk.level is None:
            return None
        grid = matrix.matrix_for(rulebook_for(risk.project) if risk.project else active_rulebook())
        return grid.levels.get(risk.level)

    def get_level_code(self, risk) -> str | None:
        level = self._level(risk)
        return level.code if level else None

    def get_level_name(self, risk) -> dict[str, str] | None:
        level = self._level(risk)
        return dict(level.name) if level else None

    def get_from_plan(self, risk) -> bool:
        return risk.plan_item_id is not None

    def get_review_overdue(self, risk) -> bool:
        return risk.review_overdue(timezone.localdate())


@extend_schema(
    parameters=[
        OpenApiParameter("project", str, description="A project id, or “org” for organisation-wide risks"),
        OpenApiParameter("level", int, description="1 (major) … 4 (low)"),
        OpenApiParameter("status", str, enum=Risk.Status.values),
    ]
)
class RiskViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The risk register (REQ-INC-10, §9): risks of the projects you see and the organisation's. The level
    comes from likelihood × impact with the rulebook's four levels; a value off the scale is refused naming
    the field."""

    serializer_class = RiskSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Risk.objects.none()
        risks = queries.visible_risks(self.request.user).order_by("level", "-pk")
        project = self.request.query_params.get("project")
        if project == "org":
            risks = risks.filter(project__isnull=True)
        elif project and project.isdigit():
            risks = risks.filter(project_id=int(project))
        level = self.request.query_params.get("level")
        if level and level.isdigit():
            risks = risks.filter(level=int(level))
        state = self.request.query_params.get("status")
        if state in Risk.Status.values:
            risks = risks.filter(status=state)
        return risks

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = data.pop("project", None)
        if project is not None:
            if not self.request.user.has_perm("projects.view_meetingproject", project):
                raise serializers.ValidationError({"project": [str(_("You cannot see this project."))]})
            _require(self.request, "preparedness.create_risk", project)
        else:
            _require(self.request, "preparedness.add_risk")
        data.pop("status", None)
        serializer.instance = _django_errors_as_api(
            lambda: services.create_risk(project=project, by=self.request.user, **data)
        )

    def perform_update(self, serializer):
        risk = serializer.instance
        _require(self.request, "preparedness.edit_risk", risk)
        data = dict(serializer.validated_data)
        if "project" in data and data.pop("project") != risk.project:
            raise serializers.ValidationError({"project": [str(_("A risk cannot move to another project."))]})
        serializer.instance = _django_errors_as_api(
            lambda: services.update_risk(risk, by=self.request.user, **data)
        )


# -- project-nested -----------------------------------------------------------------------------------------


class ProjectNestedViewSet(viewsets.GenericViewSet):
    filter_backends: list = []

    def get_project(self) -> MeetingProject:
        if not hasattr(self, "_project"):
            project = get_object_or_404(MeetingProject, pk=self.kwargs["project_pk"])
            if not self.request.user.has_perm("projects.view_meetingproject", project):
                raise PermissionDenied(_("You cannot see this project."))
            self._project = project
        return self._project


class EmergencyResourceLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="null: a rulebook item not recorded yet")
    resource = serializers.CharField(help_text="The rulebook item's key; empty for an item the team added")
    name = serializers.CharField()
    quantity = serializers.IntegerField(allow_null=True)
    location = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    checked = serializers.BooleanField()
    checked_at = serializers.DateTimeField(allow_null=True)
    checked_by = serializers.CharField(allow_null=True)
    first_checked_at = serializers.DateTimeField(allow_null=True)

    @staticmethod
    def line(line) -> dict:
        row = line.row
        return {
            "id": row.pk if row else None,
            "resource": line.key,
            "name": line.name,
            "quantity": row.quantity if row else None,
            "location": row.location if row else "",
            "note": row.note if row else "",
            "checked": line.checked,
            "checked_at": row.checked_at if row else None,
            "checked_by": str(row.checked_by) if row and row.checked_by else None,
            "first_checked_at": row.first_checked_at if row else None,
        }


class EmergencyResourceCheckSerializer(serializers.Serializer):
    resource = serializers.CharField(required=False, allow_blank=True, default="", help_text="A rulebook key")
    item = serializers.IntegerField(required=False, allow_null=True, help_text="Or the id of an added line")
    quantity = serializers.IntegerField(help_text="How many are in place (at least 1)")
    location = serializers.CharField(max_length=200)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class EmergencyResourceViewSet(mixins.ListModelMixin, ProjectNestedViewSet):
    """The emergency-resource checklist of a project (REQ-INC-08): the rulebook's items and any the team
    added. POST checks one line: `resource` (a rulebook key) or `item` (an added line's id), with `quantity`
    and `location`."""

    serializer_class = EmergencyResourceLineSerializer

    def get_queryset(self):
        return EmergencyResource.objects.none()

    def list(self, request, *args, **kwargs):
        project = self.get_project()
        _require(request, "preparedness.view", project)
        lines = [EmergencyResourceLineSerializer.line(line) for line in queries.checklist(project).lines]
        page = self.paginate_queryset(lines)
        return self.get_paginated_response(EmergencyResourceLineSerializer(page, many=True).data)

    @extend_schema(request=EmergencyResourceCheckSerializer, responses={201: EmergencyResourceLineSerializer})
    def create(self, request, *args, **kwargs):
        project = self.get_project()
        _require(request, "preparedness.check_resources", project)
        data = EmergencyResourceCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        item_pk = values.pop("item", None)
        item = None
        if item_pk is not None:
            item = EmergencyResource.objects.filter(project=project, pk=item_pk).first()
            if item is None:
                raise serializers.ValidationError({"item": [str(_("No such line in this project."))]})
        elif not values.get("resource"):
            raise serializers.ValidationError({"resource": [str(_("Give the resource or the item."))]})
        row = _django_errors_as_api(
            lambda: services.check_resource(project, item=item, by=request.user, **values)
        )
        line = next(line for line in queries.checklist(project).lines if line.row and line.row.pk == row.pk)
        return Response(
            EmergencyResourceLineSerializer(EmergencyResourceLineSerializer.line(line)).data,
            status=status.HTTP_201_CREATED,
        )


class EmergencyContactSerializer(serializers.ModelSerializer):
    tel = serializers.CharField(read_only=True, help_text="The number for a tel: link")

    class Meta:
        model = EmergencyContact
        fields = ["id", "position", "role", "name", "phone", "tel", "note", "created_at", "updated_at"]
        read_only_fields = ["position", "created_at", "updated_at"]


class EmergencyContactViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ProjectNestedViewSet,
):
    """The project's emergency contacts (REQ-ONS-09). A change makes the posted and sent copies stale."""

    serializer_class = EmergencyContactSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return EmergencyContact.objects.none()
        project = self.get_project()
        _require(self.request, "preparedness.view_contacts", project)
        return queries.contacts(project)

    def perform_create(self, serializer):
        project = self.get_project()
        _require(self.request, "preparedness.edit_contacts", project)
        serializer.instance = _django_errors_as_api(
            lambda: services.add_contact(project, by=self.request.user, **serializer.validated_data)
        )

    def perform_update(self, serializer):
        contact = serializer.instance
        _require(self.request, "preparedness.edit_contacts", contact.project)
        serializer.instance = _django_errors_as_api(
            lambda: services.update_contact(contact, by=self.request.user, **serializer.validated_data)
        )

    def perform_destroy(self, instance):
        _require(self.request, "preparedness.edit_contacts", instance.project)
        services.delete_contact(instance, by=self.request.user)

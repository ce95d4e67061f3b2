"""Meeting projects over the API: list, read, create and change basic information."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from huiyi.accounts.models import OrgUnit, Role, User
from huiyi.api import fields as api_fields
from huiyi.clients.models import Client

from . import queries, services
from .models import GreenMeasure, MeetingProject, MeetingType, ProjectMember, ServiceGrade


class ProjectSerializer(serializers.ModelSerializer):
    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.all())
    type = api_fields.SlugRelatedField(
        source="meeting_type", slug_field="key", queryset=MeetingType.objects.filter(is_active=True)
    )
    org_unit = api_fields.SlugRelatedField(slug_field="code", queryset=OrgUnit.objects.all(), required=False)
    rulebook_version = serializers.IntegerField(source="rulebook_version.number", read_only=True)
    phase_name = serializers.CharField(source="get_phase_display", read_only=True)
    service_grades = serializers.ListField(
        child=serializers.ChoiceField(choices=ServiceGrade.choices),
        required=False,
        max_length=len(ServiceGrade),
    )
    green_measures = serializers.ListField(
        child=serializers.ChoiceField(choices=GreenMeasure.choices),
        required=False,
        max_length=len(GreenMeasure),
    )

    class Meta:
        model = MeetingProject
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "client",
            "type",
            "org_unit",
            "phase",
            "phase_name",
            "start",
            "end",
            "venue_name",
            "address",
            "venue_type",
            "expected_attendees",
            "out_of_scope",
            "service_grades",
            "green_measures",
            "rulebook_version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["code", "phase", "created_at", "updated_at"]
        extra_kwargs = {"expected_attendees": {"min_value": 1}}

    def validate_client(self, client):
        if not queries.clients_for_new_projects(self.context["request"].user).filter(pk=client.pk).exists():
            raise serializers.ValidationError(_("Unknown client."))
        return client

    def validate_org_unit(self, unit):
        if not queries.units_for_new_projects(self.context["request"].user).filter(pk=unit.pk).exists():
            raise serializers.ValidationError(_("You cannot organise projects in this unit."))
        return unit

    def validate(self, data):
        start = data.get("start", getattr(self.instance, "start", None))
        end = data.get("end", getattr(self.instance, "end", None))
        if start and end and end <= start:
            raise serializers.ValidationError({"end": _("The meeting must end after it starts.")})
        if self.instance is None and "org_unit" not in data:
            user = self.context["request"].user
            units = queries.units_for_new_projects(user)
            default = units.filter(pk=user.org_unit_id).first() or units.first()
            if default is None:
                raise serializers.ValidationError({"org_unit": _("Name the organising unit.")})
            data["org_unit"] = default
        return data

    def create(self, validated_data):
        user = self.context["request"].user
        membership = user.memberships.filter(role__permissions__codename="add_meetingproject").first()
        members = [(user, membership.role)] if membership else []
        return _django_errors_as_api(
            lambda: services.create_project(created_by=user, members=members, **validated_data)
        )

    def update(self, instance, validated_data):
        return _django_errors_as_api(lambda: services.update_project(instance, **validated_data))


def _django_errors_as_api(action):
    try:
        return action()
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.message_dict) from error


class ProjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Meeting projects the caller may see.

    Creating needs the role permission; changing needs it on the project.
    """

    serializer_class = ProjectSerializer
    filterset_fields = ["phase", "org_unit", "client", "meeting_type"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def get_queryset(self):
        # Only the version number is shown: its rules (a large JSON document) are not loaded per row.
        return (
            queries.project_list(self.request.user)
            .select_related("rulebook_version")
            .defer("rulebook_version__data")
            .order_by("-start", "pk")
        )

    def perform_create(self, serializer):
        if not self.request.user.has_perm("projects.add_meetingproject"):
            raise PermissionDenied(_("Your roles do not allow creating meeting projects."))
        serializer.save()

    def perform_update(self, serializer):
        if not self.request.user.has_perm("projects.change_meetingproject", serializer.instance):
            raise PermissionDenied(_("Your roles do not allow changing this project."))
        serializer.save()


class MemberSerializer(serializers.ModelSerializer):
    user = api_fields.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True))
    role = api_fields.SlugRelatedField(slug_field="key", queryset=Role.objects.all())

    class Meta:
        model = ProjectMember
        fields = ["id", "user", "role"]


class ProjectMemberViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The project team (REQ-PPL-01): people with their role on the project."""

    serializer_class = MemberSerializer
    pagination_class = None

    def _project(self) -> MeetingProject:
        project = MeetingProject.objects.filter(pk=self.kwargs["project_pk"]).first()
        if project is None or not self.request.user.has_perm("projects.view_meetingproject", project):
            raise NotFound
        return project

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProjectMember.objects.none()
        return self._project().members.select_related("user", "role").order_by("role__key", "user__username")

    def _require_change(self, project):
        if not self.request.user.has_perm("projects.change_meetingproject", project):
            raise PermissionDenied(_("Your roles do not allow changing this project's team."))

    def create(self, request, *args, **kwargs):
        # Someone who may not change the team learns nothing from the body (not even which usernames exist).
        self._require_change(self._project())
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        project = self._project()
        self._require_change(project)
        user, role = serializer.validated_data["user"], serializer.validated_data["role"]
        if project.members.filter(user=user, role=role).exists():
            raise serializers.ValidationError(
                {"user": _("This person already holds this role on the project.")}
            )
        serializer.instance = services.add_member(project, user, role)

    def perform_destroy(self, instance):
        self._require_change(instance.project)
        services.remove_member(instance)


class ClosePhaseSerializer(serializers.Serializer):
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ClosePhaseView(APIView):
    """Close the current phase (REQ-QLT-01); one that is not ready needs the director's reason."""

    @extend_schema(request=ClosePhaseSerializer, responses={200: ProjectSerializer})
    def post(self, request, pk: int):
        project = MeetingProject.objects.filter(pk=pk).first()
        if project is None or not request.user.has_perm("projects.view_meetingproject", project):
            raise NotFound
        if not request.user.has_perm("projects.change_meetingproject", project):
            raise PermissionDenied(_("Your roles do not allow changing this project."))
        data = ClosePhaseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.close_phase(
            project, by=request.user, override_reason=data.validated_data.get("override_reason", "")
        )
        project.refresh_from_db()
        return Response(ProjectSerializer(project, context={"request": request}).data)

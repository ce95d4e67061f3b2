"""Improvement actions over the API (REQ-FBK-04): thin — the services validate and save; errors name the
field.

/improvement-actions/          list (filters: project, status, overdue, unit), create
/improvement-actions/{id}/     read; PATCH the plan (problem, action, owner, deadline …) and/or move the
                               status one step: ``in_progress``; ``done`` with ``result``;
                               ``effect_evaluated`` with ``effect`` and ``effect_note`` (only a done action)
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from huiyi.accounts.models import OrgUnit, User
from huiyi.projects.models import MeetingProject
from huiyi.quality.models import Nonconformance

from . import queries, services
from .models import Category, ImprovementAction


def _django_errors_as_api(action):
    try:
        return action()
    except DjangoValidationError as error:
        raise serializers.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        ) from error


class ImprovementActionSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=MeetingProject.objects.all())
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    status = serializers.ChoiceField(
        choices=ImprovementAction.Status.choices,
        required=False,
        help_text="On update: the next status only (planned → in_progress → done → effect_evaluated).",
    )
    nonconformances = serializers.PrimaryKeyRelatedField(
        queryset=Nonconformance.objects.all(), many=True, required=False
    )
    result = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, help_text="With status done."
    )
    effect = serializers.ChoiceField(
        choices=ImprovementAction.Effect.choices, required=False, help_text="With status effect_evaluated."
    )
    effect_note = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, help_text="With status effect_evaluated."
    )
    code = serializers.CharField(read_only=True)
    overdue = serializers.SerializerMethodField()
    effect_overdue = serializers.SerializerMethodField()

    class Meta:
        model = ImprovementAction
        fields = [
            "id",
            "code",
            "project",
            "number",
            "problem",
            "action",
            "category",
            "owner",
            "deadline",
            "expected_effect",
            "status",
            "nonconformances",
            "procedure_changed",
            "started_at",
            "done_at",
            "result",
            "effect_due",
            "effect",
            "effect_note",
            "effect_evaluated_at",
            "overdue",
            "effect_overdue",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "number",
            "started_at",
            "done_at",
            "effect_due",
            "effect_evaluated_at",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "problem": {"required": True, "max_length": 4000},
            "action": {"required": True, "max_length": 4000},
            "expected_effect": {"required": True, "max_length": 4000},
            "procedure_changed": {"required": False},
        }

    def get_overdue(self, item) -> bool:
        return item.is_overdue()

    def get_effect_overdue(self, item) -> bool:
        return item.effect_overdue()

    def validate_project(self, project):
        if self.instance is not None and project.pk != self.instance.project_id:
            raise serializers.ValidationError(_("An action cannot move to another project."))
        return project


PLAN_FIELDS = (
    "problem",
    "action",
    "category",
    "owner",
    "deadline",
    "expected_effect",
    "nonconformances",
    "procedure_changed",
)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("project", OpenApiTypes.INT, description="Only this project's actions."),
            OpenApiParameter("status", OpenApiTypes.STR, enum=ImprovementAction.Status.values),
            OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Late actions or effect evaluations."),
            OpenApiParameter(
                "unit", OpenApiTypes.STR, description="Organisation unit code (and its sub-units)."
            ),
        ]
    )
)
class ImprovementActionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Improvement actions of the meetings the user may see (REQ-FBK-04). PATCH moves the status one step at
    a time; the effect is evaluated only once the action is done."""

    serializer_class = ImprovementActionSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImprovementAction.objects.none()
        user = self.request.user
        if not (user.is_superuser or user.has_perm("improvement.view_improvementaction")):
            raise PermissionDenied(_("Your roles do not allow this."))
        queryset = queries.visible_actions(user).prefetch_related("nonconformances")
        if self.action != "list":
            return queryset
        params = self.request.query_params
        errors = {}
        project = unit = None
        status = params.get("status", "")
        if params.get("project"):
            if not params["project"].isdigit():
                errors["project"] = [_("Give a project id.")]
            else:
                project = int(params["project"])
        if status and status not in ImprovementAction.Status.values:
            errors["status"] = [_("Choose one of the listed options.")]
        if params.get("unit"):
            unit = OrgUnit.objects.filter(code=params["unit"]).first()
            if unit is None:
                errors["unit"] = [_("Unknown organisation unit.")]
        overdue = params.get("overdue", "").lower() in ("1", "true", "yes")
        if errors:
            raise serializers.ValidationError(errors)
        if project is not None:
            queryset = queryset.filter(project_id=project)
        return queries.filter_actions(queryset, unit=unit, status=status, overdue=overdue)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = data.pop("project")
        if not self.request.user.has_perm("improvement.manage", project):
            raise PermissionDenied(_("Your roles do not allow this."))
        if data.pop("status", ImprovementAction.Status.PLANNED) != ImprovementAction.Status.PLANNED:
            raise serializers.ValidationError({"status": [_("A new action starts as planned.")]})
        for name in ("result", "effect", "effect_note"):
            data.pop(name, None)
        serializer.instance = _django_errors_as_api(
            lambda: services.create_action(project, by=self.request.user, **data)
        )

    def perform_update(self, serializer):
        item = serializer.instance
        user = self.request.user
        data = dict(serializer.validated_data)
        data.pop("project", None)
        status = data.pop("status", None)
        result = data.pop("result", "")
        effect = data.pop("effect", "")
        note = data.pop("effect_note", "")
        plan = {name: data[name] for name in PLAN_FIELDS if name in data}
        if plan and not user.has_perm("improvement.manage", item):
            raise PermissionDenied(_("Your roles do not allow this."))
        if status is not None and status != item.status:
            needed = (
                "improvement.evaluate"
                if status == ImprovementAction.Status.EFFECT_EVALUATED
                else "improvement.progress"
            )
            if not user.has_perm(needed, item):
                raise PermissionDenied(_("Your roles do not allow this."))

        def save():
            with transaction.atomic():
                saved = item
                if plan:
                    saved = services.update_action(saved, by=user, **plan)
                if status is not None and status != saved.status:
                    saved = services.advance(saved, status, by=user, result=result, effect=effect, note=note)
                return saved

        serializer.instance = _django_errors_as_api(save)

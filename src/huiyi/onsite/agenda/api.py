"""The live agenda over the API: thin — the services validate and save; errors name the field.

/projects/{id}/agenda/                 list, create items
/projects/{id}/agenda/{item}/          read, update an item (planned times after its start: give `reason`)
/projects/{id}/agenda/start-next/      end the running item and start the next one
/agenda/{item}/start/ · /end/          one tap; optional `at` (ISO 8601) for a tap queued on a phone
/agenda/{item}/answers/                start timing a Q&A answer; /agenda-answers/{id}/end/ ends it
/projects/{id}/progress-reports/       list, create
/projects/{id}/coverage/               list, add a key moment; /coverage/{id}/tick/ ticks it
/projects/{id}/onsite-satisfaction/    list, create
"""

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from huiyi.accounts.models import User
from huiyi.projects.models import MeetingProject
from huiyi.resources.models import Room

from . import queries, services, timing
from .models import (
    SCORE_MAX,
    AgendaItem,
    CoverageItem,
    ProgressReport,
    QaAnswer,
    SatisfactionEntry,
)


def _django_errors_as_api(action):
    try:
        return action()
    except DjangoValidationError as error:
        raise serializers.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        ) from error


def _require(user, permission: str, obj):
    if not user.has_perm(permission, obj):
        raise PermissionDenied(_("Your roles do not allow this."))


def _visible_project(request, pk) -> MeetingProject:
    project = get_object_or_404(MeetingProject, pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise PermissionDenied(_("You cannot see this project."))
    _require(request.user, "liveagenda.view", project)
    return project


class ProjectNestedViewSet(viewsets.GenericViewSet):
    """A collection under /projects/<project_pk>/: readable by those who may see the project's agenda."""

    def get_project(self) -> MeetingProject:
        if not hasattr(self, "_project"):
            self._project = _visible_project(self.request, self.kwargs["project_pk"])
        return self._project

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no project
            return self.serializer_class.Meta.model.objects.none()
        return self.project_queryset(self.get_project())

    def project_queryset(self, project):
        raise NotImplementedError


# -- agenda items -----------------------------------------------------------------------------------------


class LiveAgendaDeviationSerializer(serializers.Serializer):
    minutes = serializers.DecimalField(max_digits=8, decimal_places=2, help_text="Signed: + later / longer.")
    passes = serializers.BooleanField()


def _deviation(judged: timing.Judged | None):
    if judged is None:
        return None
    return LiveAgendaDeviationSerializer(
        {"minutes": timing.shown(judged.value, Decimal("0.01")), "passes": judged.passes}
    ).data


class LiveAgendaAnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = QaAnswer
        fields = ["id", "item", "label", "started_at", "ended_at"]
        read_only_fields = fields


class LiveAgendaItemSerializer(serializers.ModelSerializer):
    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all(), required=False, allow_null=True)
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="Required to change the planned times of an item that has started.",
    )
    state = serializers.SerializerMethodField()
    start_deviation = serializers.SerializerMethodField()
    duration_deviation = serializers.SerializerMethodField()
    answers = LiveAgendaAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "kind",
            "title",
            "speaker",
            "room",
            "room_text",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "state",
            "start_deviation",
            "duration_deviation",
            "answers",
            "reason",
        ]
        read_only_fields = ["actual_start", "actual_end"]

    def _row(self, item):
        rules = self.context.get("rules")
        if rules is None:
            rules = self.context["rules"] = queries.rules_for(item.project)
        return queries.item_row(item, rules)

    def get_state(self, item) -> str:
        return "running" if item.is_running else "done" if item.is_done else "planned"

    @extend_schema_field(LiveAgendaDeviationSerializer(allow_null=True))
    def get_start_deviation(self, item):
        return _deviation(self._row(item).start)

    @extend_schema_field(LiveAgendaDeviationSerializer(allow_null=True))
    def get_duration_deviation(self, item):
        return _deviation(self._row(item).duration)

    def validate(self, attrs):
        start = attrs.get("planned_start", getattr(self.instance, "planned_start", None))
        end = attrs.get("planned_end", getattr(self.instance, "planned_end", None))
        if start and end and end <= start:
            raise serializers.ValidationError(
                {"planned_end": _("The planned end must be after the planned start.")}
            )
        return attrs


class AgendaItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ProjectNestedViewSet,
):
    """The project's live agenda (REQ-ONS-05), in planned order, with actual times and deviations judged by
    the project's rulebook. PATCH an item's planned times after it started only with a `reason`."""

    serializer_class = LiveAgendaItemSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def project_queryset(self, project):
        return queries.items(project).select_related("project")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False) and "project_pk" in self.kwargs:
            context["rules"] = queries.rules_for(self.get_project())
        return context

    def perform_create(self, serializer):
        project = self.get_project()
        _require(self.request.user, "liveagenda.plan", project)
        data = dict(serializer.validated_data)
        data.pop("reason", None)
        serializer.instance = _django_errors_as_api(
            lambda: services.create_item(project, created_by=self.request.user, **data)
        )

    def perform_update(self, serializer):
        item = serializer.instance
        _require(self.request.user, "liveagenda.plan", item.project)
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        serializer.instance = _django_errors_as_api(
            lambda: services.update_item(item, by=self.request.user, reason=reason, **data)
        )


class LiveAgendaTapSerializer(serializers.Serializer):
    at = serializers.DateTimeField(
        required=False,
        help_text="When the tap happened (ISO 8601), for taps queued on a phone; default: now.",
    )


class _TapView(APIView):
    permission = "liveagenda.control"

    def item(self, pk) -> AgendaItem:
        item = get_object_or_404(AgendaItem.objects.select_related("project"), pk=pk)
        if not self.request.user.has_perm("projects.view_meetingproject", item.project):
            raise PermissionDenied(_("You cannot see this project."))
        _require(self.request.user, self.permission, item.project)
        return item

    def tapped_at(self, request):
        serializer = LiveAgendaTapSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data.get("at")


class StartItemView(_TapView):
    """Mark an item's actual start (REQ-ONS-05); the item running until now ends at the same instant."""

    @extend_schema(request=LiveAgendaTapSerializer, responses={200: LiveAgendaItemSerializer})
    def post(self, request, pk):
        item = self.item(pk)
        at = self.tapped_at(request)
        item = _django_errors_as_api(lambda: services.start_item(item, by=request.user, at=at))
        return Response(LiveAgendaItemSerializer(item).data)


class EndItemView(_TapView):
    """Mark an item's actual end (REQ-ONS-05)."""

    @extend_schema(request=LiveAgendaTapSerializer, responses={200: LiveAgendaItemSerializer})
    def post(self, request, pk):
        item = self.item(pk)
        at = self.tapped_at(request)
        item = _django_errors_as_api(lambda: services.end_item(item, by=request.user, at=at))
        return Response(LiveAgendaItemSerializer(item).data)


class StartNextView(_TapView):
    """End the running item and start the first item not started yet, in planned order."""

    @extend_schema(request=LiveAgendaTapSerializer, responses={200: LiveAgendaItemSerializer})
    def post(self, request, project_pk):
        project = _visible_project(request, project_pk)
        _require(request.user, self.permission, project)
        at = self.tapped_at(request)
        item = _django_errors_as_api(lambda: services.start_next(project, by=request.user, at=at))
        return Response(LiveAgendaItemSerializer(item).data)


class LiveAgendaStartAnswerSerializer(LiveAgendaTapSerializer):
    label = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class StartAnswerView(_TapView):
    """Start timing one answer of a running Q&A or session (the running answer ends)."""

    @extend_schema(request=LiveAgendaStartAnswerSerializer, responses={201: LiveAgendaAnswerSerializer})
    def post(self, request, pk):
        item = self.item(pk)
        serializer = LiveAgendaStartAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answer = _django_errors_as_api(
            lambda: services.start_answer(item, by=request.user, **serializer.validated_data)
        )
        return Response(LiveAgendaAnswerSerializer(answer).data, status=201)


class EndAnswerView(_TapView):
    """Stop timing an answer; it is judged against the rulebook's per-answer limit."""

    @extend_schema(request=LiveAgendaTapSerializer, responses={200: LiveAgendaAnswerSerializer})
    def post(self, request, pk):
        answer = get_object_or_404(QaAnswer.objects.select_related("item__project"), pk=pk)
        self.item(answer.item_id)
        at = self.tapped_at(request)
        answer = _django_errors_as_api(lambda: services.end_answer(answer, by=request.user, at=at))
        return Response(LiveAgendaAnswerSerializer(answer).data)


# -- progress reports (REQ-ONS-06) -------------------------------------------------------------------------


class ProgressReportSerializer(serializers.ModelSerializer):
    reporter = serializers.PrimaryKeyRelatedField(read_only=True)
    reporter_name = serializers.CharField(source="reporter.__str__", read_only=True)
    reported_at = serializers.DateTimeField(required=False, help_text="Default: now.")
    satisfaction = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=SCORE_MAX, required=False, allow_null=True
    )

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "reported_at",
            "reporter",
            "reporter_name",
            "status",
            "issues",
            "solutions",
            "owner",
            "resolved_at",
            "client_feedback",
            "satisfaction",
        ]


class ProgressReportViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, ProjectNestedViewSet):
    """Progress reports during the meeting (REQ-ONS-06); the reporter is the signed-in user."""

    serializer_class = ProgressReportSerializer

    def project_queryset(self, project):
        return (
            ProgressReport.objects.filter(project=project)
            .select_related("reporter")
            .order_by("reported_at", "pk")
        )

    def perform_create(self, serializer):
        project = self.get_project()
        _require(self.request.user, "liveagenda.report", project)
        serializer.instance = _django_errors_as_api(
            lambda: services.create_progress_report(
                project, reporter=self.request.user, created_by=self.request.user, **serializer.validated_data
            )
        )


# -- coverage (REQ-ONS-08) ---------------------------------------------------------------------------------


class CoverageItemSerializer(serializers.ModelSerializer):
    covered_by = serializers.PrimaryKeyRelatedField(read_only=True)
    # "" until the photos are linked: the schema says "a URL or empty" (allow_blank), not only "a URL".
    link = serializers.URLField(read_only=True, allow_blank=True)

    class Meta:
        model = CoverageItem
        fields = [
            "id",
            "kind",
            "title",
            "required",
            "agenda_item",
            "covered_at",
            "covered_by",
            "note",
            "link",
        ]
        read_only_fields = ["agenda_item", "covered_at", "covered_by", "note", "link"]


class CoverageViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, ProjectNestedViewSet):
    """The photo/video coverage checklist (REQ-ONS-08). POST adds a free key moment (group photo …)."""

    serializer_class = CoverageItemSerializer

    def project_queryset(self, project):
        return CoverageItem.objects.filter(project=project).select_related("agenda_item").order_by("pk")

    def perform_create(self, serializer):
        project = self.get_project()
        _require(self.request.user, "liveagenda.plan_coverage", project)
        serializer.instance = _django_errors_as_api(
            lambda: services.add_coverage_item(
                project, created_by=self.request.user, **serializer.validated_data
            )
        )


class CoverageTickSerializer(LiveAgendaTapSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    link = serializers.URLField(required=False, allow_blank=True, max_length=500, default="")


class TickCoverageView(APIView):
    """Tick a key moment as photographed or filmed, with who (the signed-in user) and when."""

    @extend_schema(request=CoverageTickSerializer, responses={200: CoverageItemSerializer})
    def post(self, request, pk):
        item = get_object_or_404(CoverageItem.objects.select_related("project"), pk=pk)
        if not request.user.has_perm("projects.view_meetingproject", item.project):
            raise PermissionDenied(_("You cannot see this project."))
        _require(request.user, "liveagenda.cover", item.project)
        serializer = CoverageTickSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = _django_errors_as_api(
            lambda: services.tick_coverage(item, by=request.user, **serializer.validated_data)
        )
        return Response(CoverageItemSerializer(item).data)


# -- on-site satisfaction (REQ-ONS-08) ---------------------------------------------------------------------


class OnsiteSatisfactionSerializer(serializers.ModelSerializer):
    score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=SCORE_MAX)
    recorded_at = serializers.DateTimeField(required=False, help_text="Default: now.")

    class Meta:
        model = SatisfactionEntry
        fields = ["id", "respondent", "respondent_name", "score", "note", "recorded_at"]


class SatisfactionViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, ProjectNestedViewSet):
    """Scores (0–100) from quick on-site surveys of attendees and the host (REQ-ONS-08)."""

    serializer_class = OnsiteSatisfactionSerializer

    def project_queryset(self, project):
        return SatisfactionEntry.objects.filter(project=project).order_by("-recorded_at", "-pk")

    def perform_create(self, serializer):
        project = self.get_project()
        _require(self.request.user, "liveagenda.survey", project)
        serializer.instance = _django_errors_as_api(
            lambda: services.add_satisfaction(
                project, created_by=self.request.user, **serializer.validated_data
            )
        )


# -- settings: the minutes owner (REQ-PPL-04) --------------------------------------------------------------


class LiveAgendaSettingsSerializer(serializers.Serializer):
    minutes_owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), allow_null=True, required=False
    )
    minutes_owner_name = serializers.CharField(allow_blank=True, required=False, max_length=100, default="")
    minutes_owner_named = serializers.BooleanField(read_only=True)


class AgendaSettingsView(APIView):
    """Who keeps the minutes of the meeting (REQ-PPL-04): a team member, or a name from outside the team."""

    @extend_schema(responses={200: LiveAgendaSettingsSerializer})
    def get(self, request, project_pk):
        project = _visible_project(request, project_pk)
        return Response(LiveAgendaSettingsSerializer(queries.settings_of(project)).data)

    @extend_schema(request=LiveAgendaSettingsSerializer, responses={200: LiveAgendaSettingsSerializer})
    def put(self, request, project_pk):
        project = _visible_project(request, project_pk)
        _require(request.user, "liveagenda.settings", project)
        serializer = LiveAgendaSettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = _django_errors_as_api(
            lambda: services.set_minutes_owner(project, by=request.user, **serializer.validated_data)
        )
        return Response(LiveAgendaSettingsSerializer(row).data)

"""Surveys, survey responses and client revisits over the API: thin — the services validate and save.

* ``/api/v1/surveys/`` — each survey with its ``collection_rate`` (fraction, REQ-FBK-02) and weighted score.
* ``/api/v1/survey-responses/`` — POST an answer through a personal link ``token``, the anonymous link
  ``code`` (no account needed for either; rate-limited), or as staff entry with ``survey``; a personal
  link's second answer updates the first (200 instead of 201). An out-of-range answer is refused naming the
  question (``fields: {"q<id>": [...]}``).
* ``/api/v1/revisits/`` — client revisits 回访 (CCP 9).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response as ApiResponse

from huiyi.core import links
from huiyi.projects.models import MeetingProject
from huiyi.projects.queries import visible_projects

from . import queries, services, throttle
from .models import Answer, Response, Revisit, Survey, SurveyTemplate

_Q4 = Decimal("0.0001")
#: The figures go out as decimal strings (ratios are never floats), null while nothing is measured yet.
_FRACTION = serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True, read_only=True)
_SCORE_100 = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True, read_only=True)
ROLE_PERMISSIONS = ("surveys.manage_surveys", "surveys.view_survey", "surveys.view_revisit")


def _errors(action):
    try:
        return action()
    except DjangoValidationError as error:
        raise serializers.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        ) from error


def _visible_surveys(user):
    if not user.is_authenticated:
        return Survey.objects.none()
    if not user.is_superuser and not set(ROLE_PERMISSIONS) & user.get_all_permissions():
        return Survey.objects.none()
    return Survey.objects.filter(project__in=visible_projects(user))


# -- surveys ----------------------------------------------------------------------------------------------


class SurveySerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=MeetingProject.objects.all())
    template = serializers.PrimaryKeyRelatedField(queryset=SurveyTemplate.objects.all())
    template_name = serializers.CharField(source="template.name", read_only=True)
    template_version = serializers.IntegerField(source="template.version", read_only=True)
    status = serializers.SerializerMethodField()
    public_url = serializers.SerializerMethodField()
    responses = serializers.SerializerMethodField()
    targeted = serializers.SerializerMethodField()
    collection_rate = serializers.SerializerMethodField()
    weighted_score = serializers.SerializerMethodField()
    weighted_score_100 = serializers.SerializerMethodField()
    composite_score = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = [
            "id",
            "project",
            "template",
            "template_name",
            "template_version",
            "audience",
            "opens_at",
            "closes_at",
            "closed_at",
            "only_checked_in",
            "categories",
            "status",
            "public_url",
            "responses",
            "targeted",
            "collection_rate",
            "weighted_score",
            "weighted_score_100",
            "composite_score",
            "analysed_at",
            "analysis",
        ]
        read_only_fields = ["audience", "closed_at", "analysed_at", "analysis"]

    def _summary(self, survey) -> queries.Summary:
        cache = self.context.setdefault("summaries", {})
        if survey.pk not in cache:
            cache[survey.pk] = queries.summary(survey)
        return cache[survey.pk]

    @extend_schema_field(serializers.ChoiceField(choices=["scheduled", "open", "closed"]))
    def get_status(self, survey) -> str:
        return survey.status()

    def get_public_url(self, survey) -> str:
        path = reverse("surveys:public", args=[survey.public_code])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_responses(self, survey) -> int:
        return self._summary(survey).responses

    def get_targeted(self, survey) -> int:
        return self._summary(survey).targeted

    @extend_schema_field(_FRACTION)
    def get_collection_rate(self, survey):
        rate = self._summary(survey).collection_rate
        return None if rate is None else str(rate.quantize(_Q4))

    @extend_schema_field(_FRACTION)
    def get_weighted_score(self, survey):
        score = self._summary(survey).score
        return None if score is None else str(score.quantize(_Q4))

    @extend_schema_field(_SCORE_100)
    def get_weighted_score_100(self, survey):
        score = self._summary(survey).score_100
        return None if score is None else str(score)

    @extend_schema_field(_FRACTION)
    def get_composite_score(self, survey):
        score = self._summary(survey).composite
        return None if score is None else str(score.quantize(_Q4))


@extend_schema(parameters=[OpenApiParameter("project", int, description="Only the surveys of this project.")])
class SurveyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Satisfaction surveys (REQ-FBK-01, 02): each with its collection rate and weighted score."""

    serializer_class = SurveySerializer

    def get_queryset(self):
        surveys = (
            _visible_surveys(self.request.user)
            .select_related("project", "template")
            .order_by("-opens_at", "pk")
        )
        project = self.request.query_params.get("project")
        if project:
            surveys = surveys.filter(project_id=project if project.isdigit() else 0)
        return surveys

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        context = self.get_serializer_context()
        context["summaries"] = {s.survey.pk: s for s in queries.summaries(page)}
        return self.get_paginated_response(SurveySerializer(page, many=True, context=context).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = data.pop("project")
        if not self.request.user.has_perm("surveys.manage", project):
            raise PermissionDenied(_("Your roles do not allow this."))
        serializer.instance = _errors(lambda: services.create_survey(project, by=self.request.user, **data))


# -- responses --------------------------------------------------------------------------------------------


class AnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Answer
        fields = ["question", "value", "text"]


class ResponseSerializer(serializers.ModelSerializer):
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Response
        fields = ["id", "survey", "source", "language", "submitted_at", "updated_at", "score", "answers"]
        read_only_fields = fields


class SubmitSerializer(serializers.Serializer):
    token = serializers.CharField(required=False, max_length=100, help_text="A personal link's token.")
    code = serializers.CharField(required=False, max_length=32, help_text="The anonymous link's code.")
    survey = serializers.IntegerField(required=False, help_text="Staff entry (needs a token of a manager).")
    language = serializers.ChoiceField(choices=["zh-hans", "en"], required=False)
    answers = serializers.DictField(
        child=serializers.JSONField(),
        help_text='{"<question id>": 4 | [0, 2] | "text"}: a scale value, option indexes, or free text.',
    )


class SubmitAnswerSerializer(ResponseSerializer):
    created = serializers.BooleanField(read_only=True)

    class Meta(ResponseSerializer.Meta):
        fields = [*ResponseSerializer.Meta.fields, "created"]
        read_only_fields = fields


@extend_schema(parameters=[OpenApiParameter("survey", int, description="Only the responses of this survey.")])
class SurveyResponseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Survey responses. Listing needs a staff account; answering needs a link (token or code) or staff."""

    serializer_class = ResponseSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Response.objects.none()
        if not self.request.user.is_authenticated:
            raise NotAuthenticated
        responses = (
            Response.objects.filter(survey__in=_visible_surveys(self.request.user))
            .prefetch_related("answers")
            .order_by("-submitted_at", "pk")
        )
        survey = self.request.query_params.get("survey")
        if survey:
            responses = responses.filter(survey_id=survey if survey.isdigit() else 0)
        return responses

    @extend_schema(
        request=SubmitSerializer, responses={200: SubmitAnswerSerializer, 201: SubmitAnswerSerializer}
    )
    def create(self, request, *args, **kwargs):
        body = SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        invitation, source, by = None, Response.Source.PUBLIC, None
        address = throttle.client_address(request)
        if data.get("token"):
            try:
                invitation = services.invitation_for_token(data["token"])
            except links.LinkError as error:
                raise serializers.ValidationError({"token": [str(error.message)]}) from error
            survey = invitation.survey
            language = invitation.language
            if not throttle.allow_link(invitation.pk):
                raise Throttled(wait=throttle.rate()[1])
        elif data.get("code"):
            survey = (
                Survey.objects.select_related("project", "template").filter(public_code=data["code"]).first()
            )
            if survey is None:
                raise serializers.ValidationError({"code": [_("This survey link is not valid.")]})
            language = data.get("language") or "zh-hans"
            if not throttle.allow_address(survey.pk, address):
                raise Throttled(wait=throttle.rate()[1])
        elif data.get("survey"):
            if not request.user.is_authenticated:
                raise NotAuthenticated
            survey = get_object_or_404(
                Survey.objects.select_related("project", "template"), pk=data["survey"]
            )
            if not request.user.has_perm("surveys.manage", survey.project):
                raise PermissionDenied(_("Your roles do not allow this."))
            source, by, language = Response.Source.STAFF, request.user, data.get("language") or "zh-hans"
        else:
            raise serializers.ValidationError(
                {"token": [_("Send a personal link token, the survey code, or a survey id.")]}
            )
        response, created = _errors(
            lambda: services.submit(
                survey, data["answers"], invitation=invitation, source=source, language=language, by=by
            )
        )
        response.created = created
        return ApiResponse(
            SubmitAnswerSerializer(response).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


# -- revisits ---------------------------------------------------------------------------------------------


class RevisitSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=MeetingProject.objects.all())
    created_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Revisit
        fields = [
            "id",
            "project",
            "contact",
            "channel",
            "on",
            "outcome",
            "score",
            "notes",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_by", "created_at"]
        extra_kwargs = {"score": {"min_value": None, "max_value": None}}


@extend_schema(
    parameters=[OpenApiParameter("project", int, description="Only the revisits of this project.")]
)
class RevisitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Client revisits 回访 (REQ-FBK-07, §3.2 CCP 9): channel, date, outcome, score 0–100, notes."""

    serializer_class = RevisitSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        revisits = Revisit.objects.none()
        if user.is_superuser or set(ROLE_PERMISSIONS) & user.get_all_permissions():
            revisits = Revisit.objects.filter(project__in=visible_projects(user))
        project = self.request.query_params.get("project")
        if project:
            revisits = revisits.filter(project_id=project if project.isdigit() else 0)
        return revisits.order_by("-on", "-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = data.pop("project")
        if not self.request.user.has_perm("surveys.record_revisit", project):
            raise PermissionDenied(_("Your roles do not allow this."))
        serializer.instance = _errors(lambda: services.record_revisit(project, by=self.request.user, **data))

    def perform_update(self, serializer):
        revisit = serializer.instance
        if not self.request.user.has_perm("surveys.record_revisit", revisit.project):
            raise PermissionDenied(_("Your roles do not allow this."))
        data = dict(serializer.validated_data)
        data.pop("project", None)
        serializer.instance = _errors(lambda: services.update_revisit(revisit, by=self.request.user, **data))

"""People over the API: ``/api/v1/staff/`` (profiles with certifications) and ``/api/v1/trainings/`` (sessions
of the training plan with attendance and assessments). Thin: the services validate, save and audit."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from huiyi.accounts.models import User

from . import queries, services
from .models import Certification, MandarinLevel, Method, ModuleAttendance, ModuleSession

CERT_STATES = ["expired", "expiring", "valid", "permanent"]


class CertificationSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()

    class Meta:
        model = Certification
        fields = ["id", "name", "issuer", "number", "issued_on", "expires_on", "state"]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=CERT_STATES))
    def get_state(self, cert) -> str:
        return queries.certificate_state(cert, self.context["today"], self.context["lead_days"])


class StaffMembershipSerializer(serializers.Serializer):
    org_unit = serializers.IntegerField(source="org_unit_id")
    org_unit_code = serializers.CharField(source="org_unit.code")
    role = serializers.CharField(source="role.key")


class StaffSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(source="__str__")
    memberships = StaffMembershipSerializer(many=True)
    job_title = serializers.SerializerMethodField()
    employee_number = serializers.SerializerMethodField()
    mandarin_level = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    certifications = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "email",
            "phone",
            "memberships",
            "job_title",
            "employee_number",
            "mandarin_level",
            "languages",
            "certifications",
        ]
        read_only_fields = fields

    def _profile(self, user):
        return getattr(user, "staff", None)

    def get_job_title(self, user) -> str:
        return getattr(self._profile(user), "job_title", "")

    def get_employee_number(self, user) -> str:
        return getattr(self._profile(user), "employee_number", "")

    @extend_schema_field(serializers.ChoiceField(choices=MandarinLevel.choices, allow_blank=True))
    def get_mandarin_level(self, user) -> str:
        return getattr(self._profile(user), "mandarin_level", "")

    def get_languages(self, user) -> str:
        return getattr(self._profile(user), "languages", "")

    @extend_schema_field(CertificationSerializer(many=True))
    def get_certifications(self, user):
        profile = self._profile(user)
        certs = list(profile.certifications.all()) if profile else []
        return CertificationSerializer(certs, many=True, context=self.context).data


@extend_schema(
    parameters=[
        OpenApiParameter("role", str, description="only holders of this role key"),
        OpenApiParameter("q", str, description="name, user name or job title contains"),
        OpenApiParameter("certificates", str, enum=["expired", "expiring"]),
    ]
)
class StaffViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Staff profiles (REQ-PPL-01, REQ-PPL-04): units and roles, job title, Mandarin level, languages and
    certifications with their state (expired / expiring within the rulebook's lead time). HR and the quality
    officer see everyone, a manager their units, anyone else themselves."""

    serializer_class = StaffSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return User.objects.none()
        params = self.request.query_params
        certificates = params.get("certificates", "")
        if certificates not in ("", "expired", "expiring"):
            raise serializers.ValidationError({"certificates": [_("Use expired or expiring.")]})
        return (
            queries.staff_list(
                self.request.user,
                role=params.get("role", ""),
                text=params.get("q", ""),
                certificates=certificates,
            )
            .select_related(None)
            .select_related("staff")
            .prefetch_related("staff__certifications")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["today"] = timezone.localdate()
        context["lead_days"] = queries.expiry_lead_days()
        return context


class TrainingAttendanceSerializer(serializers.ModelSerializer):
    passed = serializers.BooleanField(read_only=True, allow_null=True)
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)

    class Meta:
        model = ModuleAttendance
        fields = ["user", "attended", "score", "passed"]
        read_only_fields = fields


class TrainingSessionSerializer(serializers.ModelSerializer):
    pass_mark = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True)
    attendees = serializers.SerializerMethodField()
    scored = serializers.SerializerMethodField()
    passed = serializers.SerializerMethodField()

    class Meta:
        model = ModuleSession
        fields = [
            "id",
            "module",
            "title",
            "held_on",
            "trainer",
            "place",
            "method",
            "pass_mark",
            "notes",
            "attendees",
            "scored",
            "passed",
        ]
        read_only_fields = fields

    def _counts(self, session) -> dict:
        if hasattr(session, "attendees"):
            return {"attendees": session.attendees, "scored": session.scored, "passed": session.passed}
        rows = [a for a in session.attendances.all() if a.attended]
        scored = [a for a in rows if a.score is not None]
        return {
            "attendees": len(rows),
            "scored": len(scored),
            "passed": sum(1 for a in scored if a.score >= session.pass_mark),
        }

    def get_attendees(self, session) -> int:
        """People who attended."""
        return self._counts(session)["attendees"]

    def get_scored(self, session) -> int:
        """Assessments scored."""
        return self._counts(session)["scored"]

    def get_passed(self, session) -> int:
        """Assessments at or above the session's pass mark."""
        return self._counts(session)["passed"]


class TrainingSessionDetailSerializer(TrainingSessionSerializer):
    attendances = serializers.SerializerMethodField()

    class Meta(TrainingSessionSerializer.Meta):
        fields = [*TrainingSessionSerializer.Meta.fields, "attendances"]
        read_only_fields = fields

    @extend_schema_field(TrainingAttendanceSerializer(many=True))
    def get_attendances(self, session):
        visible = self.context.get("visible")
        rows = [a for a in session.attendances.all() if visible is None or a.user_id in visible]
        for row in rows:
            row.session = session  # the pass mark, without a query per row
        return TrainingAttendanceSerializer(rows, many=True).data


class TrainingSessionCreateSerializer(serializers.Serializer):
    module = serializers.CharField(max_length=40, help_text="a module key of the rulebook (ppl.training.*)")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    held_on = serializers.DateField()
    trainer = serializers.CharField(max_length=100)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    method = serializers.ChoiceField(choices=Method.choices)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=services.TEXT_MAX)


class TrainingAttendanceRowSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    attended = serializers.BooleanField(default=True)
    score = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, min_value=0, max_value=100
    )


class TrainingAttendanceWriteSerializer(serializers.Serializer):
    rows = TrainingAttendanceRowSerializer(many=True, allow_empty=False)


@extend_schema(
    parameters=[
        OpenApiParameter("module", str, description="only this module key"),
        OpenApiParameter("start", str, description="held on or after (YYYY-MM-DD)"),
        OpenApiParameter("end", str, description="held before (YYYY-MM-DD)"),
    ]
)
class TrainingSessionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Sessions of the training plan (§5.2, REQ-PPL-03) with attendance and assessment scores; the pass mark
    is the rulebook's when the session was recorded. Create with `module`, `held_on`, `trainer`, `method`;
    record attendance with `POST …/attendance/` and `rows: [{user, attended, score}]` (all rows or none)."""

    serializer_class = TrainingSessionSerializer
    filter_backends: list = []

    def _need(self, permission: str) -> None:
        if not self.request.user.has_perm(permission):
            raise PermissionDenied(_("Your roles do not allow this."))

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ModuleSession.objects.none()
        self._need("people.view_training")
        params = self.request.query_params
        dates = {}
        for name in ("start", "end"):
            if params.get(name):
                try:
                    dates[name] = timezone.datetime.fromisoformat(params[name]).date()
                except ValueError:
                    raise serializers.ValidationError({name: [_("Give a date as YYYY-MM-DD.")]}) from None
        return queries.session_list(module=params.get("module", ""), **dates)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False) and not queries.sees_everyone(self.request.user):
            context["visible"] = set(queries.visible_staff(self.request.user).values_list("pk", flat=True))
        return context

    def get_serializer_class(self):
        return TrainingSessionSerializer if self.action == "list" else TrainingSessionDetailSerializer

    def get_object(self):
        session = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, session)
        return session

    @extend_schema(request=TrainingSessionCreateSerializer, responses={201: TrainingSessionDetailSerializer})
    def create(self, request, *args, **kwargs):
        self._need("people.manage_training")
        data = TrainingSessionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = services.record_session(by=request.user, **data.validated_data)
        return Response(TrainingSessionDetailSerializer(session).data, status=201)

    @extend_schema(request=TrainingAttendanceWriteSerializer, responses=TrainingSessionDetailSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        self._need("people.manage_training")
        session = self.get_object()
        data = TrainingAttendanceWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.record_attendance(session, data.validated_data["rows"], by=request.user)
        session = ModuleSession.objects.prefetch_related("attendances").get(pk=session.pk)
        return Response(TrainingSessionDetailSerializer(session, context=self.get_serializer_context()).data)

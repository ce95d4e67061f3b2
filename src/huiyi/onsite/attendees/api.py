"""Attendees over the API, nested under a project, and the QR image of a ticket: thin — services do the work.

Phone and e-mail are masked (138****5678) for users without `attendees.view_contact`, as in the lists;
`ticket_code` appears only for users who may scan tickets or manage the project.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from huiyi.api.errors import error_body
from huiyi.projects.models import MeetingProject
from huiyi.projects.queries import can_see_project

from . import importing, qr, queries, services
from .models import Attendee, Category, Language, Ticket


def _django_errors_as_api(call):
    try:
        return call()
    except DjangoValidationError as error:
        raise serializers.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        ) from error


# Choice sets written inline in the schema (no named enum component that could collide with another
# app's "category" or "status").
@extend_schema_field({"type": "string", "enum": list(Category.values)})
class CategoryField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Category.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": list(Language.values)})
class LanguageField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Language.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": list(Attendee.Status.values)})
class StatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Attendee.Status.choices, **kwargs)


class AttendeeSerializer(serializers.ModelSerializer):
    # Plain text in: the service checks and normalises phone and e-mail (the same rules as an import).
    name = serializers.CharField(max_length=120)
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    phone = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text="Masked unless you may see contacts."
    )
    email = serializers.CharField(
        max_length=254, required=False, allow_blank=True, help_text="Masked unless you may see contacts."
    )
    category = CategoryField(required=False)
    seat = serializers.CharField(max_length=40, required=False, allow_blank=True)
    dietary = serializers.CharField(max_length=200, required=False, allow_blank=True)
    language = LanguageField(required=False)
    status = StatusField(required=False, help_text="PATCH to `cancelled` cancels, to `active` reinstates.")
    external_key = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        help_text="The stable key re-imports match on; derived from phone, e-mail or name when not given.",
    )
    ticket_code = serializers.CharField(
        source="ticket.code",
        read_only=True,
        required=False,
        help_text="Only for users who may scan tickets or manage the project.",
    )

    class Meta:
        model = Attendee
        fields = [
            "id",
            "external_key",
            "name",
            "organisation",
            "title",
            "phone",
            "email",
            "category",
            "seat",
            "dietary",
            "language",
            "status",
            "ticket_code",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("full_contact"):
            data["phone"], data["email"] = queries.shown_contact(instance, False)
            data["external_key"] = queries.shown_key(instance, False)
        if not self.context.get("ticket_codes"):
            data.pop("ticket_code", None)
        return data


class ProjectAttendeesMixin:
    def get_project(self) -> MeetingProject:
        if not hasattr(self, "_project"):
            project = get_object_or_404(MeetingProject, pk=self.kwargs["project_pk"])
            user = self.request.user
            if not user.has_perm("projects.view_meetingproject", project):
                raise PermissionDenied(_("You cannot see this project."))
            if not user.has_perm("attendees.view", project):
                raise PermissionDenied(_("Your roles do not allow this."))
            self._project = project
        return self._project

    def require(self, permission: str):
        if not self.request.user.has_perm(permission, self.get_project()):
            raise PermissionDenied(_("Your roles do not allow this."))


FILTERS = [
    OpenApiParameter("q", str, description="A fragment of the name, organisation or phone number."),
    OpenApiParameter("category", str, enum=list(Category.values)),
    OpenApiParameter("status", str, enum=list(Attendee.Status.values)),
]


@extend_schema(parameters=[OpenApiParameter("project_pk", int, OpenApiParameter.PATH)])
class AttendeeViewSet(
    ProjectAttendeesMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The attendees of a project (REQ-ONS-02). Create with at least `name`; `category` is one of vip,
    speaker, guest, staff, press. Every attendee gets a ticket at once."""

    serializer_class = AttendeeSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Attendee.objects.none()
        project = self.get_project()
        params = self.request.query_params
        return queries.attendees(
            project,
            q=params.get("q", "")[:100],
            category=params.get("category", ""),
            status=params.get("status", ""),
            full_phone_search=queries.may_see_contact(self.request.user, project),
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False) and "project_pk" in self.kwargs:
            project = self.get_project()
            user = self.request.user
            context["full_contact"] = queries.may_see_contact(user, project)
            context["ticket_codes"] = user.has_perm("attendees.scan", project)
        return context

    @extend_schema(parameters=FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer):
        self.require("attendees.add")
        data = dict(serializer.validated_data)
        data.pop("status", None)
        serializer.instance = _django_errors_as_api(
            lambda: services.create_attendee(self.get_project(), by=self.request.user, **data)
        )

    def perform_update(self, serializer):
        self.require("attendees.change")
        attendee = serializer.instance
        data = dict(serializer.validated_data)
        wanted = data.pop("status", None)
        key = data.pop("external_key", None)
        if key is not None and key != attendee.external_key:
            raise serializers.ValidationError({"external_key": [_("The import key cannot be changed.")]})
        data.pop("ticket", None)
        by = self.request.user
        if data:
            _django_errors_as_api(lambda: services.update_attendee(attendee, by=by, **data))
        if wanted == Attendee.Status.CANCELLED and not attendee.is_cancelled:
            _django_errors_as_api(lambda: services.cancel_attendee(attendee, by=by))
        elif wanted == Attendee.Status.ACTIVE and attendee.is_cancelled:
            _django_errors_as_api(lambda: services.reinstate_attendee(attendee, by=by))

    @extend_schema(request=None, responses=AttendeeSerializer)
    @action(detail=True, methods=["post"], url_path="reissue-ticket")
    def reissue_ticket(self, request, *args, **kwargs):
        """A new ticket code: the old one stops working, ticket links sent so far are withdrawn."""
        self.require("attendees.change")
        attendee = self.get_object()
        services.reissue_ticket(attendee, by=request.user)
        return Response(self.get_serializer(attendee).data)


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".xlsx or .csv (UTF-8 with or without BOM, GBK/GB18030).")
    dry_run = serializers.BooleanField(default=False, help_text="Check and count only; nothing is saved.")
    skip_bad_rows = serializers.BooleanField(
        default=False,
        help_text="Save the good rows and report the bad ones (else one bad row saves nothing).",
    )
    mapping = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text='JSON object field → column header, e.g. {"name": "姓名", "phone": "手机"}; fields: '
        + ", ".join(importing.FIELDS)
        + ". Guessed from the headers when left out.",
    )


ROW_ERRORS = inline_serializer(
    "AttendeeImportRowError",
    {
        "row": serializers.IntegerField(),
        "column": serializers.CharField(),
        "message": serializers.CharField(),
    },
    many=True,
)
IMPORT_REPORT = inline_serializer(
    "AttendeeImportReport",
    {
        "rows": serializers.IntegerField(),
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "skipped": serializers.IntegerField(),
        "bad_rows": serializers.IntegerField(),
        "errors": ROW_ERRORS,
        "applied": serializers.BooleanField(),
        "dry_run": serializers.BooleanField(),
        "mapping": serializers.DictField(child=serializers.CharField()),
    },
)


class AttendeeImportView(ProjectAttendeesMixin, APIView):
    """Import attendees from a file (multipart). The answer is the report: every bad row (row, column,
    reason) and what was (or, in a dry run, would be) created and updated. A file with bad rows is refused
    whole (400, nothing saved) unless `skip_bad_rows`."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        parameters=[OpenApiParameter("project_pk", int, OpenApiParameter.PATH)],
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            200: IMPORT_REPORT,
            400: OpenApiResponse(description="Unreadable file, bad mapping, or bad rows (with the report)."),
        },
    )
    def post(self, request, project_pk):
        project = self.get_project()
        self.require("attendees.import")
        form = ImportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        if upload.size > importing.MAX_FILE_BYTES:
            raise serializers.ValidationError({"file": [_("The file is too large.")]})
        data = upload.read()
        names = form.validated_data.get("mapping") or ""
        mapping = None
        if names.strip():
            try:
                names = json.loads(names)
            except ValueError as error:
                raise serializers.ValidationError({"mapping": [_("Not a JSON object.")]}) from error
            if not isinstance(names, dict):
                raise serializers.ValidationError({"mapping": [_("Not a JSON object.")]})
            table = _django_errors_as_api(lambda: importing.read_table(data, upload.name))
            mapping = _django_errors_as_api(lambda: importing.mapping_from_names(table.headers, names))
        report = _django_errors_as_api(
            lambda: services.import_attendees(
                project,
                data,
                filename=upload.name,
                by=request.user,
                mapping=mapping,
                dry_run=form.validated_data["dry_run"],
                skip_bad_rows=form.validated_data["skip_bad_rows"],
            )
        )
        body = report.as_dict()
        if not report.dry_run and not report.applied:
            message = _("%(n)s rows have problems; nothing was saved.") % {"n": report.bad_rows}
            fields: dict[str, list[str]] = {}
            for error in report.errors:
                fields.setdefault(f"row {error.row}", []).append(f"{error.column}: {error.message}")
            return Response({**error_body("bad_rows", message, fields), "report": body}, status=400)
        return Response(body)


@extend_schema(
    parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description="The ticket code.")],
    responses={
        (200, "image/png"): OpenApiTypes.BINARY,
        404: OpenApiResponse(description="Unknown ticket code."),
    },
)
class TicketQrView(APIView):
    """The QR code of a ticket as PNG (for users who may scan tickets or manage the project)."""

    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(self, request, force=False):
        # The image is returned as is; errors are always JSON, whatever the client accepts.
        return JSONRenderer(), JSONRenderer.media_type

    def get(self, request, code):
        if len(code) > 64:
            raise NotFound(_("Unknown ticket code."))
        ticket = Ticket.objects.select_related("project").filter(code=code).first()
        if ticket is None or not can_see_project(request.user, ticket.project):
            raise NotFound(_("Unknown ticket code."))
        if not request.user.has_perm("attendees.scan", ticket.project):
            raise PermissionDenied(_("Your roles do not allow this."))
        try:
            scale = min(max(int(request.query_params.get("scale", 10)), 2), 40)
        except ValueError:
            scale = 10
        response = HttpResponse(qr.png(ticket.code, scale=scale), content_type="image/png")
        response["Cache-Control"] = "private, max-age=300"
        return response

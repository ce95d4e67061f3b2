"""Documents and the access log over the API: thin — the services validate, store and log.

    GET/POST   /api/v1/documents/        (filter ?project=<id>&type=<key>&confidentiality=<class>)
               POST is multipart: project, doc_type, title, file [, retention_class, confidentiality,
               trigger_kind, trigger_date, change_note]
    GET        /api/v1/documents/<id>/
    POST       /api/v1/documents/<id>/versions/          (multipart: file, change_note)
    GET        /api/v1/documents/<id>/download/          (the current version; ?version=<number> for another)
    GET        /api/v1/access-log/                       (quality officer; filter ?project=<id>)

Bad input answers 400 with ``error.fields`` naming the field; a document one may not read does not
exist (404).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from huiyi.projects.models import MeetingProject
from huiyi.projects.queries import visible_projects

from . import queries, services
from .models import AccessLog, Confidentiality, Document, DocumentVersion, TriggerKind
from .rules import can_add_version, can_read


def _call(action_):
    try:
        return action_()
    except DjangoValidationError as error:
        raise serializers.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        ) from error
    except DjangoPermissionDenied as error:
        raise PermissionDenied(str(error) or _("Your roles do not allow this.")) from error


class DocumentVersionSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()

    class Meta:
        model = DocumentVersion
        fields = [
            "id",
            "number",
            "name",
            "original_filename",
            "sha256",
            "size",
            "mime",
            "encrypted",
            "author",
            "created_at",
            "change_note",
        ]


class DocumentSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(
        queryset=MeetingProject.objects.all(), allow_null=True, required=False
    )
    retention = serializers.SerializerMethodField()
    current_version = DocumentVersionSerializer(read_only=True)
    versions = DocumentVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "project",
            "doc_type",
            "title",
            "confidentiality",
            "retention_class",
            "retention",
            "trigger_kind",
            "trigger_date",
            "legal_hold",
            "current_version",
            "versions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["legal_hold", "created_at", "updated_at"]

    def get_retention(self, obj) -> dict:
        return {
            "class": obj.retention_class,
            "permanent": obj.retention_permanent,
            "until": obj.retention_until.isoformat() if obj.retention_until else None,
        }


class DocumentCreateSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=MeetingProject.objects.all())
    doc_type = serializers.CharField(max_length=60)
    title = serializers.CharField(max_length=200)
    retention_class = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    confidentiality = serializers.ChoiceField(
        choices=Confidentiality.choices, required=False, allow_blank=True, default=""
    )
    trigger_kind = serializers.ChoiceField(choices=TriggerKind.choices, default=TriggerKind.MEETING_END)
    trigger_date = serializers.DateField(required=False, allow_null=True, default=None)
    file = serializers.FileField()
    change_note = serializers.CharField(required=False, allow_blank=True, default="")


class DocumentVersionCreateSerializer(serializers.Serializer):
    file = serializers.FileField()
    change_note = serializers.CharField(required=False, allow_blank=True, default="")


class AccessLogSerializer(serializers.ModelSerializer):
    user = serializers.StringRelatedField()
    project = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()

    class Meta:
        model = AccessLog
        fields = ["id", "document", "project", "version", "user", "action", "at", "ip_address", "user_agent"]

    def get_project(self, obj) -> int | None:
        return obj.document.project_id

    def get_version(self, obj) -> int | None:
        return obj.version.number if obj.version else None


class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Controlled documents of the meetings one sees, by class (REQ-DOC-01, 02, 04, 07, 08)."""

    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        rows = queries.readable(self.request.user).prefetch_related("versions__author").order_by("-pk")
        if self.action == "list":
            params = self.request.query_params
            if params.get("project", "").isdigit():
                rows = rows.filter(project_id=int(params["project"]))
            if params.get("type"):
                rows = rows.filter(doc_type=params["type"])
            if params.get("confidentiality"):
                rows = rows.filter(confidentiality=params["confidentiality"])
        return rows

    def get_object(self):
        document = get_object_or_404(Document.objects.select_related("project"), pk=self.kwargs["pk"])
        if not can_read(self.request.user, document):
            raise Http404
        services.log_access(document, self.request.user, AccessLog.Action.VIEW, meta=self.request.META)
        return document

    @extend_schema(
        parameters=[
            OpenApiParameter("project", int, description="only this project's documents"),
            OpenApiParameter("type", str, description="document type key"),
            OpenApiParameter("confidentiality", str, description="confidentiality class"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=DocumentCreateSerializer, responses={201: DocumentSerializer})
    def create(self, request):
        data = DocumentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        project = values["project"]
        if not request.user.has_perm("projects.view_meetingproject", project):
            raise serializers.ValidationError({"project": [_("No such project.")]})
        if not request.user.has_perm("documents.file_in", project):
            raise PermissionDenied(_("Your roles do not allow filing documents here."))
        document = _call(
            lambda: services.create_document(
                project=project,
                doc_type=values["doc_type"],
                title=values["title"],
                retention_class=values["retention_class"],
                confidentiality=values["confidentiality"],
                trigger_kind=values["trigger_kind"],
                trigger_date=values["trigger_date"],
                upload=values["file"],
                change_note=values["change_note"],
                by=request.user,
            )
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DocumentVersionCreateSerializer, responses={201: DocumentVersionSerializer})
    @action(detail=True, methods=["post"])
    def versions(self, request, pk=None):
        document = self.get_object()
        if not can_add_version(request.user, document):
            raise PermissionDenied(_("Your roles do not allow filing a new version."))
        data = DocumentVersionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = _call(
            lambda: services.add_version(
                document,
                upload=data.validated_data["file"],
                change_note=data.validated_data["change_note"],
                by=request.user,
            )
        )
        return Response(DocumentVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("version", int, description="version number (default: current)")],
        responses={
            # The file as it was filed: a PDF, a spreadsheet, an image … each with its own media type.
            (200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The file, with its media type."),
            410: OpenApiResponse(description="The file was destroyed (REQ-DOC-06): when and by whom."),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        document = get_object_or_404(Document.objects.select_related("project"), pk=pk)
        if not can_read(request.user, document):
            raise Http404
        number = request.query_params.get("version", "")
        if number:
            if not number.isdigit():
                raise serializers.ValidationError({"version": [_("Give a version number.")]})
            version = get_object_or_404(document.versions, number=int(number))
        else:
            version = document.current_version
            if version is None:
                raise Http404
        if document.destroyed_at is not None:  # REQ-DOC-06: the bytes are gone, the trace stays
            from .disposition.api import Destroyed

            raise Destroyed(document)
        chunks = services.open_version(version, user=request.user, meta=request.META)
        response = StreamingHttpResponse(chunks, content_type=version.mime)
        response["Content-Disposition"] = content_disposition_header(True, version.name)
        response["Content-Length"] = str(version.size)
        response["Cache-Control"] = "private, no-store"
        return response


class AccessLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Reads and downloads of very-high documents (REQ-DOC-07), for the quality officer."""

    serializer_class = AccessLogSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AccessLog.objects.none()
        user = self.request.user
        if not user.has_perm("documents.view_global_log"):
            raise PermissionDenied(_("Your roles do not allow reading the access log."))
        rows = queries.access_log(user).filter(document__project__in=visible_projects(user).values("pk"))
        project = self.request.query_params.get("project", "")
        if project.isdigit():
            rows = rows.filter(document__project_id=int(project))
        return rows.order_by("-at", "-pk")

    @extend_schema(parameters=[OpenApiParameter("project", int, description="only this project's documents")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

"""Disposition over the API: thin — the services validate, save and audit.

    GET        /api/v1/dispositions/queue/          documents whose retention ended
                   (?state=due|upcoming|held|requested|approved &project= &type= &retention_class= &days=)
    GET/POST   /api/v1/dispositions/                destruction requests (?status= &project=)
                                                    POST {document, reason}
    GET        /api/v1/dispositions/<id>/
    POST       /api/v1/dispositions/<id>/approve/   {note}      the meeting's lead, not the requester
    POST       /api/v1/dispositions/<id>/reject/    {note}
    POST       /api/v1/dispositions/<id>/withdraw/              the requester
    POST       /api/v1/dispositions/<id>/destroy/               → 201 the destruction record
    GET        /api/v1/destruction-records/[<id>/]  (?project=)
    GET/POST   /api/v1/legal-holds/                 hold events (?document=); POST {document, action, reason}

Errors have the house shape ``{"error": {code, message, fields}}``; a refusal names its reason.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.response import Response

from huiyi.documents.models import Document
from huiyi.documents.rules import can_read
from huiyi.projects.queries import visible_projects

from . import queries, services
from .models import DestroyedFile, DestructionRecord, DispositionRequest, LegalHoldEvent


class Destroyed(APIException):
    """A destroyed document's file was asked for: 410 Gone, saying when and by whom."""

    status_code = status.HTTP_410_GONE
    default_code = "destroyed"
    default_detail = _("The file was destroyed.")

    def __init__(self, document):
        super().__init__(queries.destroyed_message(document), "destroyed")


def _call(action_):
    try:
        return action_()
    except DjangoPermissionDenied as error:
        raise PermissionDenied(str(error) or _("Your roles do not allow this.")) from error


def _project(request):
    value = request.query_params.get("project", "")
    if not value:
        return None
    if not value.isdigit():
        raise serializers.ValidationError({"project": [_("Give a project id.")]})
    return get_object_or_404(visible_projects(request.user), pk=int(value))


class QueueDocumentSerializer(serializers.ModelSerializer):
    project_code = serializers.SerializerMethodField()
    open_request = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "project",
            "project_code",
            "doc_type",
            "title",
            "confidentiality",
            "retention_class",
            "retention_until",
            "legal_hold",
            "open_request",
        ]
        read_only_fields = fields

    def get_project_code(self, obj) -> str | None:
        return obj.project.code if obj.project_id else None

    def get_open_request(self, obj) -> int | None:
        found = self.context.get("open_requests", {}).get(obj.pk)
        return found.pk if found else None


class DispositionRequestSerializer(serializers.ModelSerializer):
    requested_by = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField()
    record = serializers.SerializerMethodField()

    class Meta:
        model = DispositionRequest
        fields = [
            "id",
            "document",
            "status",
            "reason",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "executed_at",
            "record",
        ]
        read_only_fields = fields

    def get_record(self, obj) -> int | None:
        record = getattr(obj, "record", None) if obj.status == DispositionRequest.Status.EXECUTED else None
        return record.pk if record else None


class DispositionCreateSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    reason = serializers.CharField(max_length=services.TEXT_MAX_CHARS)


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=services.TEXT_MAX_CHARS, required=False, allow_blank=True, default=""
    )


class DestroyedFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = DestroyedFile
        fields = [
            "number",
            "name",
            "original_filename",
            "sha256",
            "size",
            "mime",
            "encrypted",
            "filed_at",
            "deleted_at",
        ]
        read_only_fields = fields


class DestructionRecordSerializer(serializers.ModelSerializer):
    requested_by = serializers.StringRelatedField()
    approved_by = serializers.StringRelatedField()
    destroyed_by = serializers.StringRelatedField()
    files = DestroyedFileSerializer(many=True, read_only=True)

    class Meta:
        model = DestructionRecord
        fields = [
            "id",
            "request",
            "document",
            "project",
            "project_code",
            "project_name",
            "document_title",
            "doc_type",
            "confidentiality",
            "retention_class",
            "retention_until",
            "reason",
            "requested_by",
            "requested_at",
            "approved_by",
            "approved_at",
            "destroyed_by",
            "destroyed_at",
            "storage_cleared_at",
            "files",
        ]
        read_only_fields = fields


class LegalHoldEventSerializer(serializers.ModelSerializer):
    by = serializers.StringRelatedField()

    class Meta:
        model = LegalHoldEvent
        fields = ["id", "document", "action", "reason", "by", "at"]
        read_only_fields = fields


class LegalHoldCreateSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    action = serializers.ChoiceField(choices=LegalHoldEvent.Action.choices, help_text="placed or lifted")
    reason = serializers.CharField(max_length=services.TEXT_MAX_CHARS)


def _readable_document(request, pk: int) -> Document:
    document = Document.objects.select_related("project", "project__org_unit").filter(pk=pk).first()
    if document is None or not can_read(request.user, document):
        raise serializers.ValidationError({"document": [_("No such document.")]})
    return document


class DispositionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Destruction requests of the documents one may read (REQ-DOC-04, REQ-DOC-06, REQ-CON-05)."""

    serializer_class = DispositionRequestSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DispositionRequest.objects.none()
        if not self.request.user.has_perm("disposition.queue"):
            raise PermissionDenied(_("Your roles do not allow this."))
        status_ = self.request.query_params.get("status", "")
        if status_ and status_ not in DispositionRequest.Status.values:
            raise serializers.ValidationError(
                {
                    "status": [
                        _("Use one of: %(values)s.") % {"values": ", ".join(DispositionRequest.Status.values)}
                    ]
                }
            )
        return queries.requests(
            self.request.user, status=status_, project=_project(self.request)
        ).select_related("record")

    def get_object(self):
        row = get_object_or_404(
            DispositionRequest.objects.select_related(
                "document", "document__project", "document__project__org_unit", "requested_by", "decided_by"
            ),
            pk=self.kwargs["pk"],
        )
        if not self.request.user.has_perm("disposition.view", row):
            raise PermissionDenied(_("Your roles do not allow this."))
        return row

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=[*DispositionRequest.Status.values]),
            OpenApiParameter("project", int, description="only this meeting project"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=DispositionCreateSerializer, responses={201: DispositionRequestSerializer})
    def create(self, request):
        data = DispositionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = _readable_document(request, data.validated_data["document"])
        row = _call(
            lambda: services.request_destruction(
                document, by=request.user, reason=data.validated_data["reason"]
            )
        )
        return Response(DispositionRequestSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=[*queries.QUEUE_STATES]),
            OpenApiParameter("project", int, description="only this meeting project"),
            OpenApiParameter("type", str, description="document type key"),
            OpenApiParameter("retention_class", str, description="retention class key"),
            OpenApiParameter("days", int, description="horizon of state=upcoming (default 90)"),
        ],
        responses=QueueDocumentSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def queue(self, request):
        if not request.user.has_perm("disposition.queue"):
            raise PermissionDenied(_("Your roles do not allow this."))
        params = request.query_params
        state = params.get("state", "due")
        if state not in queries.QUEUE_STATES:
            raise serializers.ValidationError(
                {"state": [_("Use one of: %(values)s.") % {"values": ", ".join(queries.QUEUE_STATES)}]}
            )
        days = params.get("days", "")
        if days and not days.isdigit():
            raise serializers.ValidationError({"days": [_("Give a number of days.")]})
        rows = queries.queue(
            request.user,
            state=state,
            project=_project(request),
            doc_type=params.get("type", ""),
            retention_class=params.get("retention_class", ""),
            days=int(days) if days else queries.DEFAULT_PREVIEW_DAYS,
        )
        page = self.paginate_queryset(rows)
        items = page if page is not None else list(rows)
        context = {"open_requests": queries.open_requests_by_document(d.pk for d in items)}
        data = QueueDocumentSerializer(items, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def _answer(self, row):
        return Response(DispositionRequestSerializer(row).data)

    @extend_schema(request=DecisionSerializer, responses=DispositionRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        row = self.get_object()
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(_call(lambda: services.approve(row, by=request.user, **data.validated_data)))

    @extend_schema(request=DecisionSerializer, responses=DispositionRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        row = self.get_object()
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(_call(lambda: services.reject(row, by=request.user, **data.validated_data)))

    @extend_schema(request=None, responses=DispositionRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        row = self.get_object()
        return self._answer(_call(lambda: services.withdraw(row, by=request.user)))

    @extend_schema(request=None, responses={201: DestructionRecordSerializer})
    @action(detail=True, methods=["post"])
    def destroy_files(self, request, pk=None):
        row = self.get_object()
        record = _call(lambda: services.destroy(row, by=request.user))
        return Response(DestructionRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class DestructionRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """What was destroyed, when, by whom, on whose request and approval (REQ-DOC-06)."""

    serializer_class = DestructionRecordSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DestructionRecord.objects.none()
        if not self.request.user.has_perm("disposition.records"):
            raise PermissionDenied(_("Your roles do not allow reading destruction records."))
        return queries.records(self.request.user, project=_project(self.request))

    @extend_schema(parameters=[OpenApiParameter("project", int, description="only this meeting project")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class LegalHoldViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Legal holds placed and lifted, with their reasons; a hold blocks any destruction (REQ-DOC-06)."""

    serializer_class = LegalHoldEventSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LegalHoldEvent.objects.none()
        rows = LegalHoldEvent.objects.filter(
            document__in=queries.visible(self.request.user).values("pk")
        ).select_related("by")
        document = self.request.query_params.get("document", "")
        if document.isdigit():
            rows = rows.filter(document_id=int(document))
        return rows.order_by("-at", "-pk")

    @extend_schema(parameters=[OpenApiParameter("document", int, description="only this document")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=LegalHoldCreateSerializer, responses={201: LegalHoldEventSerializer})
    def create(self, request):
        data = LegalHoldCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        document = _readable_document(request, values["document"])
        act = services.place_hold if values["action"] == LegalHoldEvent.Action.PLACED else services.lift_hold
        event = _call(lambda: act(document, by=request.user, reason=values["reason"]))
        return Response(LegalHoldEventSerializer(event).data, status=status.HTTP_201_CREATED)

"""Borrowings over the API (REQ-DOC-05): thin — the services judge, save and notify.

    GET/POST  /api/v1/borrowings/               (?scope=mine|approvals|all, ?project=<id>, ?status=<status>)
    GET       /api/v1/borrowings/<id>/
    POST      /api/v1/borrowings/<id>/approve/   {note}        the meeting's lead
    POST      /api/v1/borrowings/<id>/reject/    {reason}      the meeting's lead
    POST      /api/v1/borrowings/<id>/hand-out/                the keeper (paper)
    POST      /api/v1/borrowings/<id>/return/                  the keeper (paper); borrower/lead (electronic)

Errors have the house shape ``{"error": {code, message, fields}}``; a borrowing one may not see does
not exist.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from huiyi.documents.models import Document
from huiyi.projects.queries import visible_projects

from . import queries, services
from .models import Borrowing, BorrowingStatus, Medium


def _call(action_):
    try:
        return action_()
    except DjangoValidationError as error:
        raise serializers.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        ) from error
    except DjangoPermissionDenied as error:
        raise PermissionDenied(str(error) or _("Your roles do not allow this.")) from error


class BorrowingSerializer(serializers.ModelSerializer):
    borrower = serializers.StringRelatedField()
    borrower_id = serializers.IntegerField(read_only=True)
    document_title = serializers.CharField(source="document.title", read_only=True)
    decided_by = serializers.StringRelatedField()
    handed_out_by = serializers.StringRelatedField()
    received_by = serializers.StringRelatedField()
    state = serializers.SerializerMethodField()

    class Meta:
        model = Borrowing
        fields = [
            "id",
            "document",
            "document_title",
            "project",
            "borrower",
            "borrower_id",
            "medium",
            "purpose",
            "starts_at",
            "due_at",
            "status",
            "state",
            "decided_by",
            "decided_at",
            "approver_role",
            "decision_note",
            "borrowed_at",
            "handed_out_by",
            "returned_at",
            "received_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_state(self, obj) -> str:
        """The status, or for time-bound states: ``open``, ``scheduled``, ``expired`` (electronic) or
        ``overdue`` (paper)."""
        return queries.state(obj, self.context.get("now"))


class BorrowingCreateSerializer(serializers.Serializer):
    document = serializers.PrimaryKeyRelatedField(queryset=Document.objects.none())
    medium = serializers.ChoiceField(choices=Medium.choices)
    purpose = serializers.CharField(max_length=services.TEXT_MAX_CHARS)
    starts_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    due_at = serializers.DateTimeField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["document"].queryset = Document.objects.filter(
                Q(project__in=visible_projects(request.user).values("pk")) | Q(project__isnull=True)
            )


class BorrowingNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.TEXT_MAX_CHARS)


class BorrowingReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=services.TEXT_MAX_CHARS)


class BorrowingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Borrowings of documents: request, the lead's decision, hand-out and return (REQ-DOC-05)."""

    serializer_class = BorrowingSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Borrowing.objects.none()
        user = self.request.user
        params = self.request.query_params
        scope = params.get("scope", "all")
        if scope == "mine":
            rows = queries.mine(user)
        elif scope == "approvals":
            rows = queries.awaiting(user)
        else:
            rows = queries.visible(user)
        if params.get("project", "").isdigit():
            rows = rows.filter(project_id=int(params["project"]))
        if params.get("status") in BorrowingStatus.values:
            rows = rows.filter(status=params["status"])
        return rows.order_by("-created_at", "-pk")

    def get_object(self):
        borrowing = get_object_or_404(
            queries.visible(self.request.user)
            if self.request.user.is_authenticated
            else Borrowing.objects.none(),
            pk=self.kwargs["pk"],
        )
        if not self.request.user.has_perm("borrowing.view", borrowing):
            raise Http404
        return borrowing

    @extend_schema(
        parameters=[
            OpenApiParameter("scope", str, enum=["mine", "approvals", "all"], description="whose borrowings"),
            OpenApiParameter("project", int, description="only this project's borrowings"),
            OpenApiParameter(
                "status", str, enum=list(BorrowingStatus.values), description="only this status"
            ),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=BorrowingCreateSerializer, responses={201: BorrowingSerializer})
    def create(self, request):
        data = BorrowingCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        borrowing = _call(
            lambda: services.request_borrowing(
                values["document"],
                by=request.user,
                medium=values["medium"],
                purpose=values["purpose"],
                starts_at=values["starts_at"],
                due_at=values["due_at"],
            )
        )
        return Response(self.get_serializer(borrowing).data, status=status.HTTP_201_CREATED)

    def _done(self, borrowing):
        borrowing.refresh_from_db()
        return Response(self.get_serializer(borrowing).data)

    @extend_schema(request=BorrowingNoteSerializer, responses={200: BorrowingSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        borrowing = self.get_object()
        data = BorrowingNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(lambda: services.approve(borrowing, by=request.user, note=data.validated_data.get("note", "")))
        return self._done(borrowing)

    @extend_schema(request=BorrowingReasonSerializer, responses={200: BorrowingSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        borrowing = self.get_object()
        data = BorrowingReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(lambda: services.reject(borrowing, by=request.user, reason=data.validated_data["reason"]))
        return self._done(borrowing)

    @extend_schema(request=None, responses={200: BorrowingSerializer})
    @action(detail=True, methods=["post"], url_path="hand-out")
    def hand_out(self, request, pk=None):
        borrowing = self.get_object()
        _call(lambda: services.hand_out(borrowing, by=request.user))
        return self._done(borrowing)

    @extend_schema(request=None, responses={200: BorrowingSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def give_back(self, request, pk=None):
        borrowing = self.get_object()
        _call(lambda: services.return_borrowing(borrowing, by=request.user))
        return self._done(borrowing)

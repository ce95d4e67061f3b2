"""Search over the API: GET /api/v1/documents/search/?q=… (REQ-DOC-01, REQ-DOC-08).

Filters: ``project`` (id), ``type`` (document type key), ``class`` (confidentiality), ``from`` / ``to``
(dates the current version was filed, inclusive). Only documents the caller may read are counted and
returned; a missing, blank or too long ``q`` answers 400 in the house error shape naming ``q``.
``count`` stops at 1,000 (more matches are ordered newest first).
Snippets are HTML: escaped text with the matches wrapped in ``<mark>``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied

from huiyi.api.pagination import StandardPagination
from huiyi.documents.models import Confidentiality, Document

from . import queries


class DocumentSearchParams(serializers.Serializer):
    q = serializers.CharField(max_length=queries.MAX_QUERY_LENGTH, trim_whitespace=True)
    project = serializers.IntegerField(required=False, min_value=1)
    type = serializers.CharField(required=False, max_length=60)
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices, required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    #: query-string name → field (``class``, ``from`` and ``to`` are Python keywords)
    ALIASES = {"class": "confidentiality", "from": "date_from", "to": "date_to"}

    def to_internal_value(self, data):
        names = {"q": "q", "project": "project", "type": "type", **self.ALIASES}
        values = {field: data.get(key) for key, field in names.items() if data.get(key) not in (None, "")}
        if "q" in data:
            values["q"] = data.get("q")
        return super().to_internal_value(values)


class DocumentSearchResultSerializer(serializers.ModelSerializer):
    project_code = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()
    filed_at = serializers.SerializerMethodField()
    title_only = serializers.SerializerMethodField()
    snippet = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "project",
            "project_code",
            "doc_type",
            "confidentiality",
            "version",
            "filed_at",
            "title_only",
            "snippet",
            "url",
        ]

    def get_project_code(self, obj) -> str | None:
        return obj.project.code if obj.project else None

    def get_version(self, obj) -> int | None:
        return obj.current_version.number if obj.current_version else None

    def get_filed_at(self, obj) -> str | None:
        return obj.current_version.created_at.isoformat() if obj.current_version else None

    def get_title_only(self, obj) -> bool:
        """Very-high documents: only the title is indexed (their text is never stored in the index)."""
        return obj.is_very_high

    def get_snippet(self, obj) -> str:
        texts = self.context.get("texts", {})
        return str(queries.snippet(texts.get(obj.current_version_id, ""), self.context.get("q", "")))

    def get_url(self, obj) -> str:
        return reverse("documents:detail", args=[obj.pk])


class SearchPagination(StandardPagination):
    """The house pagination over ``queries.CappedPaginator``: ``count`` stops at 1,000 matches (then the
    newest come first); below it, the best ranked come first."""

    def paginate_queryset(self, queryset, request, view=None):
        def paginator(_queryset, per_page):
            return queries.CappedPaginator(request.user, view._params()["q"], view.filters, per_page)

        self.django_paginator_class = paginator
        return super().paginate_queryset(queryset, request, view)


class DocumentSearchView(generics.ListAPIView):
    """Full-text search of the documents one may read: titles and file text, Chinese and English."""

    serializer_class = DocumentSearchResultSerializer
    pagination_class = SearchPagination

    def _params(self):
        if not hasattr(self, "_validated"):
            params = DocumentSearchParams(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            self._validated = params.validated_data
        return self._validated

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Document.objects.none()
        if not self.request.user.has_perm("documents.view_document"):
            raise PermissionDenied(_("Your roles do not allow reading documents."))
        values = self._params()
        filters = queries.Filters(
            project=values.get("project"),
            doc_type=values.get("type", ""),
            confidentiality=values.get("confidentiality", ""),
            date_from=values.get("date_from"),
            date_to=values.get("date_to"),
        )
        self.filters = filters
        return queries.search(self.request.user, values["q"], filters, ranked=False)

    def get_serializer(self, *args, **kwargs):
        if args and not getattr(self, "swagger_fake_view", False):
            documents = list(args[0])
            args = (documents, *args[1:])
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"].update(texts=queries.texts_for(documents), q=self._params()["q"])
        return super().get_serializer(*args, **kwargs)

    @extend_schema(
        operation_id="documents_search",
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "minLength": 1, "maxLength": queries.MAX_QUERY_LENGTH},
                required=True,
                description="words to find",
            ),
            OpenApiParameter("project", int, description="only this project's documents"),
            OpenApiParameter("type", str, description="document type key"),
            OpenApiParameter("class", str, enum=Confidentiality.values, description="confidentiality class"),
            OpenApiParameter("from", OpenApiTypes.DATE, description="filed on or after (YYYY-MM-DD)"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="filed on or before (YYYY-MM-DD)"),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

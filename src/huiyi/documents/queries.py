"""Reads of documents: what a user may see, filtered; each document's display facts."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from huiyi.projects.queries import visibility_filter

from . import catalogue
from .models import AccessLog, Confidentiality, ConfidentialityAgreement, Document
from .rules import OPEN


def readable(user) -> QuerySet[Document]:
    """Documents `user` may read (the same decision as rules.class_allows, as a query)."""
    qs = Document.objects.select_related("project", "current_version")
    if not user.is_authenticated:
        return qs.none()
    perms = user.get_all_permissions()
    if "documents.view_document" not in perms and not user.is_superuser:
        return qs.none()
    visible = visibility_filter(user)
    if visible is not None:
        project_q = Q(project__in=_visible_projects(user)) | Q(project__isnull=True)
        qs = qs.filter(project_q)
    member = Q(project__members__user=user)
    manages = "projects.change_meetingproject" in perms
    allowed = Q(confidentiality__in=OPEN) | Q(project__isnull=True, confidentiality=Confidentiality.HIGH)
    if user.is_superuser or manages:
        allowed |= Q(confidentiality=Confidentiality.HIGH)
    else:
        allowed |= Q(confidentiality=Confidentiality.HIGH) & member
    if "documents.view_very_high_document" in perms and "documents.view_document" in perms:
        signed = ConfidentialityAgreement.objects.filter(user=user).values("project_id")
        allowed |= Q(confidentiality=Confidentiality.VERY_HIGH, project_id__in=signed) & member
    return qs.filter(allowed).distinct()


def _visible_projects(user):
    from huiyi.projects.queries import visible_projects

    return visible_projects(user).values("pk")


def project_documents(user, project, *, doc_type: str = "", confidentiality: str = "") -> QuerySet[Document]:
    qs = readable(user).filter(project=project)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if confidentiality:
        qs = qs.filter(confidentiality=confidentiality)
    return qs


def access_log(user, *, project=None, document=None) -> QuerySet[AccessLog]:
    qs = AccessLog.objects.select_related("document", "document__project", "user", "version")
    if document is not None:
        qs = qs.filter(document=document)
    if project is not None:
        qs = qs.filter(document__project=project)
    visible = visibility_filter(user)
    if visible is not None:
        qs = qs.filter(document__project__in=_visible_projects(user))
    return qs


def has_signed(user, project) -> bool:
    return ConfidentialityAgreement.objects.filter(project=project, user=user).exists()


def retention_label(rulebook, document: Document) -> str:
    choices = dict(catalogue.retention_choices(rulebook))
    return choices.get(document.retention_class, document.retention_class)

"""Reads of borrowings: the meeting's lead, the read grant of an electronic borrowing, what a user sees."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from huiyi.documents.models import ConfidentialityAgreement
from huiyi.projects.models import ProjectMember
from huiyi.projects.queries import visible_projects

from .models import Borrowing, BorrowingStatus, Medium

#: Team roles that make a member the meeting's lead (会议组织负责人) for approving borrowings.
LEAD_ROLES = ("project_manager", "project_director")
#: Approves borrowings of documents that belong to no meeting (organisation records).
ORG_APPROVE_PERMISSION = "borrowing.approve_borrowing"
KEEP_PERMISSION = "borrowing.keep_borrowing"
VIEW_PERMISSION = "borrowing.view_borrowing"


def lead_role(user, project) -> str:
    """The role that makes `user` the lead who approves borrowings of `project`'s documents, or ''.

    A meeting's lead is a member of its team holding one of ``LEAD_ROLES``; for an organisation document
    (no project) it is whoever holds a role granting ``borrowing.approve_borrowing``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ""
    if project is None:
        return "organisation" if ORG_APPROVE_PERMISSION in user.get_all_permissions() else ""
    member = (
        ProjectMember.objects.filter(project=project, user=user, role__key__in=LEAD_ROLES)
        .order_by("role__key")
        .values_list("role__key", flat=True)
        .first()
    )
    return member or ""


def leads(project) -> list:
    """The people who approve borrowings of `project`'s documents (its team's leads)."""
    if project is None:
        return []
    rows = (
        ProjectMember.objects.filter(project=project, role__key__in=LEAD_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    return list(dict.fromkeys(m.user for m in rows))


def open_grant(user, document, now=None) -> Borrowing | None:
    """The borrower's electronic borrowing of `document` open at `now`, if any (agreement not checked)."""
    if not getattr(user, "is_authenticated", False) or document is None:
        return None
    now = now or timezone.now()
    return (
        Borrowing.objects.filter(
            document=document,
            borrower=user,
            medium=Medium.ELECTRONIC,
            status=BorrowingStatus.APPROVED,
            returned_at__isnull=True,
            starts_at__lte=now,
            due_at__gt=now,
        )
        .order_by("-due_at")
        .first()
    )


def needs_agreement(user, borrowing: Borrowing) -> bool:
    """A very-high document is read by a borrower only after they signed the meeting's agreement."""
    document = borrowing.document
    return (
        document.is_very_high
        and document.project_id is not None
        and not ConfidentialityAgreement.objects.filter(project_id=document.project_id, user=user).exists()
    )


def grants_read(user, document, now=None) -> bool:
    """Whether an approved electronic borrowing lets `user` read `document` now (REQ-DOC-05).

    Only the borrower, only that document, only inside the approved window, not after it was returned; for a
    very-high document only once the borrower signed the project's confidentiality agreement."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    grant = open_grant(user, document, now)
    return grant is not None and not needs_agreement(user, grant)


def _base() -> QuerySet[Borrowing]:
    return Borrowing.objects.select_related(
        "document", "document__project", "project", "borrower", "decided_by", "handed_out_by", "received_by"
    )


def mine(user) -> QuerySet[Borrowing]:
    return _base().filter(borrower=user)


def awaiting(user) -> QuerySet[Borrowing]:
    """Requests `user` may decide: of meetings they lead, or of organisation documents if their role
    approves them."""
    led = ProjectMember.objects.filter(user=user, role__key__in=LEAD_ROLES).values("project_id")
    scope = Q(project_id__in=led)
    if ORG_APPROVE_PERMISSION in user.get_all_permissions():
        scope |= Q(project__isnull=True)
    return _base().filter(scope, status=BorrowingStatus.REQUESTED).exclude(borrower=user)


def visible(user) -> QuerySet[Borrowing]:
    """Every borrowing `user` may see: their own, those of meetings they lead, and — with a role granting
    ``borrowing.view_borrowing`` or ``borrowing.keep_borrowing`` — those of the meetings they see."""
    if not user.is_authenticated:
        return Borrowing.objects.none()
    perms = user.get_all_permissions()
    led = ProjectMember.objects.filter(user=user, role__key__in=LEAD_ROLES).values("project_id")
    scope = Q(borrower=user) | Q(project_id__in=led)
    if VIEW_PERMISSION in perms or KEEP_PERMISSION in perms:
        scope |= Q(project__in=visible_projects(user).values("pk")) | Q(project__isnull=True)
    elif ORG_APPROVE_PERMISSION in perms:
        scope |= Q(project__isnull=True)
    return _base().filter(scope)


def of_project(project) -> QuerySet[Borrowing]:
    return _base().filter(project=project)


def overdue(now=None) -> QuerySet[Borrowing]:
    now = now or timezone.now()
    return _base().filter(medium=Medium.PAPER, status=BorrowingStatus.LENT, due_at__lte=now)


def state(borrowing: Borrowing, now=None) -> str:
    """A display state: the status, or ``open`` / ``expired`` / ``overdue`` / ``scheduled`` where time
    matters."""
    now = now or timezone.now()
    if borrowing.is_overdue_at(now):
        return "overdue"
    if borrowing.is_electronic and borrowing.status == BorrowingStatus.APPROVED:
        if borrowing.is_expired_at(now):
            return "expired"
        return "open" if borrowing.starts_at <= now else "scheduled"
    return borrowing.status

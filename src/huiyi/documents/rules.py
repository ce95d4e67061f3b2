"""Who may read and file documents (REQ-DOC-04, 07, 09): role × project membership × class. Deny by default.

- general / medium: a role granting ``documents.view_document`` and sight of the project;
- high (internal): in addition, a member of the project team (or one who manages the project);
- very high (authorised only): a role granting ``documents.view_very_high_document``, membership of the team
  and a signed confidentiality agreement for the project — nobody else, not even an administrator.
Documents of no project (organisation records) are read by the roles that grant the view permission.
The access log is read by roles granting ``documents.view_accesslog`` (the quality officer).
An approved electronic borrowing (``huiyi.documents.borrowing``, REQ-DOC-05) also lets its borrower read that
one document inside the approved window — for a very-high document only after the borrower signed the
project's agreement; reads are logged as any other.
"""

import rules

from huiyi.core.rules import role_grants
from huiyi.projects.queries import can_see_project

from .models import Confidentiality, ConfidentialityAgreement

OPEN = (Confidentiality.GENERAL, Confidentiality.MEDIUM)


def _sees(user, project) -> bool:
    return user.is_authenticated and (project is None or can_see_project(user, project))


def _member(user, project) -> bool:
    return project is not None and project.members.filter(user=user).exists()


def _manages(user, project) -> bool:
    return (
        project is not None
        and can_see_project(user, project)
        and "projects.change_meetingproject" in user.get_all_permissions()
    )


def _signed(user, project) -> bool:
    return ConfidentialityAgreement.objects.filter(project=project, user=user).exists()


def class_allows(user, project, confidentiality: str, permission: str) -> bool:
    if not user.is_authenticated or not _sees(user, project):
        return False
    perms = user.get_all_permissions()
    if confidentiality == Confidentiality.VERY_HIGH:
        return (
            "documents.view_very_high_document" in perms
            and permission in perms
            and _member(user, project)
            and _signed(user, project)
        )
    if user.is_superuser:
        return True
    if permission not in perms:
        return False
    if confidentiality in OPEN or project is None:
        return True
    return _member(user, project) or _manages(user, project)


def can_file(user, project, confidentiality: str) -> bool:
    return class_allows(user, project, confidentiality, "documents.add_document")


def _borrowed(user, document) -> bool:
    from huiyi.documents.borrowing.queries import grants_read

    return grants_read(user, document)


def can_read(user, document) -> bool:
    """Whether `user` may read `document`. Use this, not ``user.has_perm``: Django lets a superuser pass every
    has_perm, while a very-high document opens only to signed, permitted members (or a signed borrower)."""
    return document is not None and (
        class_allows(user, document.project, document.confidentiality, "documents.view_document")
        or _borrowed(user, document)
    )


def can_add_version(user, document) -> bool:
    return document is not None and class_allows(
        user, document.project, document.confidentiality, "documents.add_documentversion"
    )


@rules.predicate
def reads(user, document):
    return can_read(user, document)


@rules.predicate
def files_version(user, document):
    return document is not None and class_allows(
        user, document.project, document.confidentiality, "documents.add_documentversion"
    )


@rules.predicate
def files_in(user, project):
    return (
        project is not None
        and _sees(user, project)
        and "documents.add_document" in user.get_all_permissions()
    )


@rules.predicate
def lists(user, project):
    return (
        project is not None
        and _sees(user, project)
        and "documents.view_document" in user.get_all_permissions()
    )


@rules.predicate
def audits(user, obj):
    project = getattr(obj, "project", obj)
    return _sees(user, project) and "documents.view_accesslog" in user.get_all_permissions()


@rules.predicate
def signs(user, project):
    return project is not None and user.is_authenticated and _member(user, project)


@rules.predicate
def holds(user, document):
    """A legal hold is placed or lifted by the roles that manage documents (``change_document``: the meeting's
    leads), over documents whose meeting they see — not by every planner who may edit the project."""
    return (
        document is not None
        and _sees(user, document.project)
        and "documents.change_document" in user.get_all_permissions()
    )


rules.add_perm("documents.read", reads)
rules.add_perm("documents.add_version", files_version)
rules.add_perm("documents.file_in", rules.is_superuser | files_in)
rules.add_perm("documents.list", rules.is_superuser | lists)
rules.add_perm("documents.view_log", rules.is_superuser | audits)
rules.add_perm("documents.sign_agreement", signs)
rules.add_perm("documents.hold", rules.is_superuser | holds)
rules.add_perm("documents.view_global_log", rules.is_superuser | role_grants("documents.view_accesslog"))

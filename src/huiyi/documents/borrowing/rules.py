"""Who may do what with borrowings (django-rules). Anything not granted here is denied.

- **request** a borrowing of a document: a role granting ``borrowing.add_borrowing`` and sight of the
  document's meeting (or the document is an organisation record);
- **approve / reject**: the meeting's lead only (``queries.lead_role``: a team member holding a lead role; for
  an organisation document a role granting ``borrowing.approve_borrowing``), never the borrower — not even a
  superuser is a lead by being one;
- **hand out / take back** paper: a keeper (role granting ``borrowing.keep_borrowing``) who sees the meeting,
  not the borrower;
- **return** an electronic borrowing early: its borrower, the lead or a keeper;
- **view** a borrowing: its borrower, the lead, and roles granting ``borrowing.view_borrowing`` or
  ``borrowing.keep_borrowing`` over the meetings they see.
"""

import rules

from huiyi.projects.queries import can_see_project

from . import queries


def _sees(user, project) -> bool:
    return user.is_authenticated and (project is None or can_see_project(user, project))


def _perm(user, name) -> bool:
    return user.is_authenticated and name in user.get_all_permissions()


@rules.predicate
def may_request(user, document):
    return (
        document is not None
        and user.is_authenticated
        and user.is_active
        and _perm(user, "borrowing.add_borrowing")
        and _sees(user, document.project)
    )


@rules.predicate
def is_borrower(user, borrowing):
    return borrowing is not None and user.is_authenticated and borrowing.borrower_id == user.pk


@rules.predicate
def is_lead(user, borrowing):
    return borrowing is not None and bool(queries.lead_role(user, borrowing.project))


@rules.predicate
def is_keeper(user, borrowing):
    return borrowing is not None and _perm(user, queries.KEEP_PERMISSION) and _sees(user, borrowing.project)


@rules.predicate
def is_viewer(user, borrowing):
    return (
        borrowing is not None
        and (_perm(user, queries.VIEW_PERMISSION) or _perm(user, queries.KEEP_PERMISSION))
        and _sees(user, borrowing.project)
    )


@rules.predicate
def is_electronic(user, borrowing):
    return borrowing is not None and borrowing.is_electronic


@rules.predicate
def leads_project(user, project):
    return project is not None and bool(queries.lead_role(user, project))


@rules.predicate
def views_project(user, project):
    return (
        project is not None
        and (_perm(user, queries.VIEW_PERMISSION) or _perm(user, queries.KEEP_PERMISSION))
        and _sees(user, project)
    )


rules.add_perm("borrowing.request", may_request)
rules.add_perm("borrowing.decide", is_lead & ~is_borrower)
rules.add_perm("borrowing.keep", is_keeper & ~is_borrower)
rules.add_perm("borrowing.give_back", is_electronic & (is_borrower | is_lead | is_keeper))
rules.add_perm("borrowing.view", is_borrower | is_lead | is_viewer)
rules.add_perm("borrowing.view_project", leads_project | views_project)

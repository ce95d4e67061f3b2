"""Object permissions of disposition (django-rules). Anything not granted here is denied.

A role grants the action (``role_permissions.yaml``); the object rule narrows it to the documents the user may
read (class × membership, as for reading the document). Approving is narrower still: only the meeting's lead
(``services.approvers``) and never the requester — the service refuses that with its reason. Legal holds use
``documents.hold`` (who manages the project).
"""

import rules

from huiyi.core.rules import role_grants
from huiyi.documents.rules import can_read


def _document(obj):
    return getattr(obj, "document", obj)


@rules.predicate
def reads(user, obj):
    document = _document(obj)
    return document is not None and can_read(user, document)


@rules.predicate
def leads(user, obj):
    from .services import is_approver

    document = _document(obj)
    return document is not None and is_approver(user, document)


viewer = role_grants("disposition.view_dispositionrequest")

rules.add_perm("disposition.queue", rules.is_superuser | viewer)
rules.add_perm("disposition.view", rules.is_superuser | (reads & viewer) | (reads & leads))
rules.add_perm(
    "disposition.request", reads & (rules.is_superuser | role_grants("disposition.add_dispositionrequest"))
)
rules.add_perm("disposition.approve", reads & leads)
rules.add_perm(
    "disposition.destroy", reads & (rules.is_superuser | role_grants("disposition.destroy_document"))
)
rules.add_perm("disposition.records", rules.is_superuser | role_grants("disposition.view_destructionrecord"))

"""Object permissions of the attendee app (django-rules). Anything not granted here is denied.

Only people who see the project see its attendees; what they may do comes from their roles
(role_permissions.yaml). Whoever may change the project itself also manages its attendees and tickets.
"""

import rules

from huiyi.core.rules import role_grants
from huiyi.projects.queries import can_see_project


def _project(obj):
    return getattr(obj, "project", obj)


@rules.predicate
def sees(user, obj):
    return obj is not None and user.is_authenticated and can_see_project(user, _project(obj))


manages_project = role_grants("projects.change_meetingproject")

rules.add_perm("attendees.view", rules.is_superuser | (sees & role_grants("attendees.view_attendee")))
rules.add_perm("attendees.add", rules.is_superuser | (sees & role_grants("attendees.add_attendee")))
rules.add_perm("attendees.change", rules.is_superuser | (sees & role_grants("attendees.change_attendee")))
rules.add_perm(
    "attendees.import",
    rules.is_superuser
    | (sees & role_grants("attendees.add_attendee") & role_grants("attendees.change_attendee")),
)
rules.add_perm(
    "attendees.view_contact", rules.is_superuser | (sees & role_grants("attendees.view_attendee_contact"))
)
#: Scanning tickets, seeing ticket codes and their QR codes.
rules.add_perm(
    "attendees.scan", rules.is_superuser | (sees & (role_grants("attendees.scan_ticket") | manages_project))
)

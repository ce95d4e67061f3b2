"""Object permissions of the check-in app (django-rules). Anything not granted here is denied.

Everything is per meeting: only people who see the project may scan its tickets, see its board or acknowledge
its conflicts. Scanning follows the attendee app's rule (the scan permission, or managing the project).
"""

import rules

from huiyi.core.rules import role_grants
from huiyi.projects.queries import can_see_project

#: Model permissions that let a user scan tickets (of the projects they see).
SCAN_PERMISSIONS = ("attendees.scan_ticket", "projects.change_meetingproject")


def _project(obj):
    return getattr(obj, "project", obj)


@rules.predicate
def sees(user, obj):
    return obj is not None and user.is_authenticated and can_see_project(user, _project(obj))


may_scan = role_grants(SCAN_PERMISSIONS[0]) | role_grants(SCAN_PERMISSIONS[1])

rules.add_perm("checkin.scan", rules.is_superuser | (sees & may_scan))
rules.add_perm("checkin.board", rules.is_superuser | (sees & (role_grants("checkin.view_board") | may_scan)))
rules.add_perm(
    "checkin.acknowledge", rules.is_superuser | (sees & role_grants("checkin.acknowledge_conflict"))
)

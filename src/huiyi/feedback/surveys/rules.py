"""Object permissions of the survey app (django-rules). Anything not granted here is denied.

Surveys belong to a project: those who see the project and hold the survey permission of their role run
them (account manager, project manager, project director); the quality officer sees results. Templates are
organisation-wide. Attendees and clients answer through links, never through these permissions.
"""

import rules

from huiyi.core.rules import role_grants
from huiyi.projects.queries import can_see_project


def _project(obj):
    return getattr(obj, "project", obj)


@rules.predicate
def sees(user, obj):
    return obj is not None and user.is_authenticated and can_see_project(user, _project(obj))


manages = role_grants("surveys.manage_surveys")
views_results = role_grants("surveys.view_survey")
records_revisits = role_grants("surveys.add_revisit")
views_revisits = role_grants("surveys.view_revisit")

rules.add_perm("surveys.view", rules.is_superuser | (sees & (manages | views_results | views_revisits)))
rules.add_perm("surveys.manage", rules.is_superuser | (sees & manages))
rules.add_perm("surveys.manage_templates", rules.is_superuser | manages)
rules.add_perm("surveys.view_templates", rules.is_superuser | manages | views_results)
rules.add_perm("surveys.record_revisit", rules.is_superuser | (sees & records_revisits))
